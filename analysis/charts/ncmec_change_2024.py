"""NCMEC's fall in 2024, company by company: Meta's reports fell, the other platforms' rose."""

from __future__ import annotations

from analysis import claims, evidence
from analysis.charts import style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_number, format_percent
from analysis.series import ncmec_context

OLD, NEW = ncmec_context.OLD_YEAR, ncmec_context.NEW_YEAR
CLAMP = 150.0  # percent: a bar beyond it (a company from almost nothing) is cut, its label says how far
NAMES = {"en": {"X Corp.": "X", "Alphabet": "Alphabet (Google)", "TikTok (ByteDance)": "TikTok",
                ncmec_context.ALL: "All platforms", ncmec_context.OTHERS: "All platforms but Meta"},
         "fr": {"X Corp.": "X", "Alphabet": "Alphabet (Google)", "TikTok (ByteDance)": "TikTok",
                ncmec_context.ALL: "Toutes les plateformes", ncmec_context.OTHERS: "Toutes sauf Meta"}}
CLAIMS = {"others": "non-meta-reports-2024-vs-2023", "meta": "meta-reports-2024-vs-2023",
          "incidents": "ncmec-incidents-2024", "non_meta_share": "x-share-of-non-meta-reports-2024",
          "share": "x-share-of-provider-reports-2024", "share_before": "x-share-of-provider-reports-2023"}
SOURCE = {evidence.PRIMARY: "NCMEC, CyberTipline Reports by ESP",
          evidence.TRANSCRIPTION: "NCMEC, as transcribed by R. Grimm (diaphanous)"}


def load() -> dict:
    return {"changes": ncmec_context.company_changes(), **{key: claims.claim(i) for key, i in CLAIMS.items()}}


def marks_of(data: dict, lang: str):
    return marks([{"series": row.group, "category": NAMES[lang].get(row.company, row.company),
                   "value": row.change_pct,
                   "label": format_percent(row.change_pct, lang, decimals=0 if abs(row.change_pct) >= 1000 else 1),
                   "evidence": row.evidence, "source": f"{SOURCE[evidence.PRIMARY]} {OLD}; {SOURCE[row.evidence]} {NEW}"}
                  for row in data["changes"].itertuples()])


def texts(data: dict, drawn, lang: str) -> Texts:
    others, meta = data["others"].published_text(lang), data["meta"].published_text(lang)
    rise = format_percent(data["others"].published, lang, data["others"].decimals, signed=False)
    share, before = data["share"].published_text(lang), data["share_before"].published_text(lang)
    non_meta = data["non_meta_share"].published_text(lang)
    incidents = format_number(data["incidents"].published / 1e6, lang, 1)
    companies = drawn[drawn["series"].isin(["company", "meta"])]
    cut = drawn[drawn["value"] > CLAMP]
    if lang == "fr":
        return Texts(
            title=f"La chute de {NEW} au NCMEC, c'est Meta{NBSP}: hors Meta, les signalements progressent de {rise}",
            subtitle=f"Évolution des signalements envoyés à la CyberTipline du NCMEC, {OLD} → {NEW}, "
                     f"par groupe ({len(companies)} groupes listés les deux années)",
            notes=f"X pèse {share} des signalements des plateformes en {NEW} ({before} en {OLD}), mais "
                  f"{non_meta} de ceux des plateformes autres que Meta. {NEW}{NBSP}: chiffres transcrits par un "
                  f"tiers{NBSP}; le NCMEC a commencé à regrouper les signalements en double, selon la presse, et "
                  f"NBC News fait état d'« environ {incidents}{NBSP}millions de signalements d'exploitation "
                  f"présumée » {claims.TRANSLATION_MARK_FR}, plus que le tableau n'en compte."
                  + "".join(f" Barre coupée{NBSP}: {c.category} ({c.label}), parti de presque rien." for c in cut.itertuples()),
            source=f"Source{NBSP}: NCMEC, CyberTipline Reports by ESP {OLD}{NBSP}; {NEW}{NBSP}: transcription "
                   "de R. Grimm (diaphanous)",
            alt=f"Barres horizontales de l'évolution des signalements au NCMEC de {OLD} à {NEW}{NBSP}: "
                f"Meta {meta}, toutes les autres plateformes {others}.")
    return Texts(
        title=f"NCMEC's {NEW} fall is Meta's: the other platforms' reports rose {rise}",
        subtitle=f"Change in reports sent to NCMEC's CyberTipline, {OLD} → {NEW}, by company "
                 f"({len(companies)} companies listed in both years)",
        notes=f"X sent {share} of the platforms' reports in {NEW} ({before} in {OLD}) but {non_meta} of those "
              f"of platforms other than Meta. {NEW}: figures transcribed by a third party; NCMEC began bundling "
              f"duplicate reports, according to the press, and NBC News gives “about {incidents} million reports "
              f"of suspected exploitation”, more than the table counts."
              + "".join(f" Bar cut: {c.category} ({c.label}), from almost nothing." for c in cut.itertuples()),
        source=f"Source: NCMEC, CyberTipline Reports by ESP {OLD}; {NEW}: transcription by R. Grimm (diaphanous)",
        alt=f"Horizontal bars of the change in reports to NCMEC from {OLD} to {NEW}: Meta {meta}, "
            f"all other platforms {others}.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    rows = drawn.iloc[::-1].reset_index(drop=True)  # first row at the top
    names = max(len(name) for name in rows["category"]) * style.pt(12) * 0.6 / 72 / ax.figure.get_figwidth()
    box = ax.get_position()  # room on the left for company names
    ax.set_position((box.x0 + names, box.y0, box.width - names, box.height))
    positions = [i + (0.6 if row.series in ("company", "meta") else 0) for i, row in enumerate(rows.itertuples())]
    colours = {"meta": style.OTHER, "others": style.INK, "total": style.INK, "company": style.MUTED}
    for y, row in zip(positions, rows.itertuples()):
        colour = style.ACCENT if row.category == "X" else colours[row.series]
        width = max(min(row.value, CLAMP), -100)
        ax.barh(y, width, color=colour, height=0.66)  # every bar has a transcribed year: the notes say so
        ax.annotate(row.label + (" →" if row.value > CLAMP else ""), (width, y),
                    xytext=(style.pt(4) if width >= 0 else -style.pt(4), 0), textcoords="offset points",
                    va="center", ha="left" if width >= 0 else "right", fontsize=style.pt(11.5),
                    fontweight="bold" if row.series != "company" or row.category == "X" else "normal")
    ax.axvline(0, color=style.INK, linewidth=style.pt(0.8))
    ax.set_yticks(positions, list(rows["category"]))
    for tick, row in zip(ax.get_yticklabels(), rows.itertuples()):
        tick.set_fontweight("bold" if row.series in ("others", "total", "meta") else "normal")
    ax.set_xticks([])
    ax.spines[["bottom", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0, labelsize=style.pt(12), labelcolor=style.INK)
    ax.set_xlim(-100 - 30, CLAMP + 60)


CHART = Chart("ncmec-change-2024", load, marks_of, texts, draw)
