"""Each company's share of the reports platforms sent to NCMEC in one year, the year before as dots."""

from __future__ import annotations

from analysis import claims
from analysis.charts import provenance, style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_number, format_percent
from analysis.series import x_reports

YEAR = 2024
COMPANIES = 8  # the largest, by share
SHARE_CLAIM = "x-share-of-provider-reports-2024"
NAMES = {"X Corp.": "X", "Alphabet": "Alphabet (Google)"}
SOURCE = provenance.MARK_SOURCE


def load() -> dict:
    shares = x_reports.company_shares(YEAR)
    return {"shares": shares.head(COMPANIES), "listed": len(shares), "claim": claims.claim(SHARE_CLAIM),
            "bundling": claims.claim(provenance.BUNDLING_CLAIM)}


def marks_of(data: dict, lang: str):
    rows = []
    for row in data["shares"].itertuples():
        name = NAMES.get(row.company, row.company)
        rows.append({"series": f"share {YEAR}", "category": name, "value": row.share_pct,
                     "label": format_percent(row.share_pct, lang, signed=False), "evidence": row.evidence,
                     "source": SOURCE[row.evidence]})
        rows.append({"series": f"share {YEAR - 1}", "category": name, "value": row.previous_share_pct,
                     "label": "", "evidence": row.previous_evidence, "source": SOURCE[row.previous_evidence]})
    return marks(rows)


def _which(data: dict, statuses: dict[int, str], lang: str) -> str:
    """Which companies the bars are: those the year's table lists (the transcription's few, while
    we hold no NCMEC table of the year), or the largest of them."""
    shown, listed = len(data["shares"]), provenance.companies_listed(data["listed"], {YEAR: statuses[YEAR]}, lang)
    if shown == data["listed"]:
        return ("les " if lang == "fr" else "the ") + listed
    return f"les {shown} plus grands des {listed}" if lang == "fr" else f"the {shown} largest of {listed}"


def texts(data: dict, drawn, lang: str) -> Texts:
    shares = data["shares"].set_index("company")
    meta = format_percent(shares.loc["Meta", "share_pct"], lang, signed=False)
    mine = data["claim"].published_text(lang)
    total = format_number(int(shares["provider_total"].iloc[0]), lang)
    before = format_number(int(shares["previous_provider_total"].dropna().iloc[0]), lang)
    statuses = {YEAR: shares["evidence"].iloc[0], YEAR - 1: shares["previous_evidence"].dropna().iloc[0]}
    which = _which(data, statuses, lang)
    context = " ".join(part for part in (provenance.transcription_note(statuses, lang),
                                         provenance.bundling_note(data["bundling"], YEAR - 1, YEAR, lang)) if part)
    if lang == "fr":
        return Texts(
            title=f"X pèse {mine} des signalements des plateformes au NCMEC en {YEAR}",
            subtitle=f"Part de chaque groupe dans les signalements envoyés par les plateformes, pour {which}{NBSP}: "
                     f"barres, {YEAR} ({total} signalements){NBSP}; points, {YEAR - 1} ({before})",
            notes=f"Meta additionne Facebook, Instagram et WhatsApp ({meta}). {context}",
            source=provenance.ncmec_source(statuses, lang),
            alt=f"Barres horizontales des parts des grands groupes dans les signalements de {YEAR} "
                f"au NCMEC{NBSP}: Meta {meta}, X {mine}.")
    return Texts(
        title=f"X sent {mine} of platforms' reports to NCMEC in {YEAR}",
        subtitle=f"Each company's share of the reports platforms sent, for {which}: bars, {YEAR} ({total} reports); "
                 f"dots, {YEAR - 1} ({before})",
        notes=f"Meta adds up Facebook, Instagram and WhatsApp ({meta}). {context}",
        source=provenance.ncmec_source(statuses, lang),
        alt=f"Horizontal bars of large companies' shares of {YEAR} reports to NCMEC: Meta "
            f"{meta}, X {mine}.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    bars = drawn[drawn["series"] == f"share {YEAR}"].iloc[::-1]  # largest at the top
    dots = drawn[drawn["series"] == f"share {YEAR - 1}"].iloc[::-1]
    positions = list(range(len(bars)))
    style.name_bars(ax, positions, list(bars["category"]), [False] * len(bars), style.pt(12))
    for y, bar in zip(positions, bars.itertuples()):
        ax.barh(y, bar.value, height=style.bar_height(0.62), **style.mark_style(style.colour_of(bar.category), bar.evidence, bar.Index))
        ax.text(bar.value + 0.8, y, bar.label, va="center", fontsize=style.pt(11.5),
                fontweight="bold" if bar.category == "X" else "normal")
    for y, dot in zip(positions, dots.itertuples()):  # the year before, in its ink, over every company's bar
        ax.scatter(dot.value, y, s=style.pt(5) ** 2, zorder=3,
                   **style.mark_style(style.COLOURS["year before"], dot.evidence, dot.Index))
    ax.annotate(str(YEAR - 1), (dots["value"].iloc[-1], positions[-1]), xytext=(0, style.pt(12)),
                textcoords="offset points", ha="center", fontsize=style.pt(style.SMALLEST), color=style.INK)
    ax.set_xticks([])
    ax.spines[["bottom", "left"]].set_visible(False)
    ax.set_xlim(0, drawn["value"].max() * 1.08)


CHART = Chart("provider-shares-2024", load, marks_of, texts, draw)
