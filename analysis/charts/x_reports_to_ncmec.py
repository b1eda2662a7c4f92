"""X's reports to NCMEC by year: NCMEC's rows for X stacked, the yearly total printed on top."""

from __future__ import annotations

from analysis import claims
from analysis.charts import provenance, style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_number
from analysis.series import x_reports

CHANGE_CLAIM = "x-ncmec-reports-2024-vs-2023"
SOURCE = provenance.MARK_SOURCE


def load() -> dict:
    return {"years": x_reports.x_by_year(), "rows": x_reports.x_provider_rows(),
            "change": claims.claim(CHANGE_CLAIM), "bundling": claims.claim(provenance.BUNDLING_CLAIM)}


def marks_of(data: dict, lang: str):
    rows_per_year = data["rows"]["year"].value_counts()
    rows = [{"series": "NCMEC row", "category": f"{row.year} {row.provider}", "value": row.reports,
             # NCMEC's rows are named only where a year has several
             "label": f"{row.provider}\n{format_number(row.reports, lang)}" if rows_per_year[row.year] > 1 else "",
             "evidence": row.evidence, "source": SOURCE[row.evidence]}
            for row in data["rows"].itertuples()]
    rows += [{"series": "total", "category": str(row.year), "value": row.reports,
              "label": format_number(row.reports, lang), "evidence": row.evidence, "source": SOURCE[row.evidence]}
             for row in data["years"].itertuples()]
    return marks(rows)


def texts(data: dict, drawn, lang: str) -> Texts:
    years = data["years"].set_index("year")
    first, last = int(years.index.min()), int(years.index.max())
    old, new = (data["change"].compute["args"][key] for key in ("old_year", "new_year"))
    change = data["change"].published_text(lang)
    total = drawn[drawn["series"] == "total"].set_index("category")["label"]
    n = {year: total[str(year)] for year in (first, old, last)}
    statuses = years["evidence"].to_dict()
    two_rows = sorted(data["rows"].groupby("year").filter(lambda g: len(g) > 1)["year"].unique())
    bundling = provenance.bundling_note(data["bundling"], first, last, lang)
    if lang == "fr":
        notes = [*(f"{y}{NBSP}: le NCMEC liste X sur deux lignes, additionnées ici." for y in two_rows),
                 provenance.transcription_note(statuses, lang), bundling]
        return Texts(
            title=f"Les signalements de X au NCMEC ont bondi en {old}, puis reculé",
            subtitle=f"Signalements envoyés par X (Twitter) à la CyberTipline du NCMEC, par an. "
                     f"{new} par rapport à {old}{NBSP}: {change}",
            notes=" ".join(note for note in notes if note),
            source=provenance.ncmec_source(statuses, lang),
            alt=f"Histogramme des signalements annuels de X au NCMEC de {first} à {last}{NBSP}: "
                f"{n[first]} en {first}, {n[old]} en {old}, {n[last]} en {last} ({new} par rapport à {old}{NBSP}: "
                f"{change}).")
    notes = [*(f"{y}: NCMEC lists X in two rows, added up here." for y in two_rows),
             provenance.transcription_note(statuses, lang), bundling]
    return Texts(
        title=f"X's reports to NCMEC jumped in {old}, then fell back",
        subtitle=f"Reports sent by X (Twitter) to NCMEC's CyberTipline, per year. {new} against {old}: {change}",
        notes=" ".join(note for note in notes if note),
        source=provenance.ncmec_source(statuses, lang),
        alt=f"Bar chart of X's yearly reports to NCMEC from {first} to {last}: {n[first]} in {first}, "
            f"{n[old]} in {old} and {n[last]} in {last} ({new} against {old}: {change}).")


def draw(ax, drawn, data: dict, lang: str) -> None:
    years = data["years"]
    bottoms: dict[int, float] = {}
    row_marks = drawn[drawn["series"] == "NCMEC row"]
    for row, mark in zip(data["rows"].itertuples(), row_marks.itertuples()):
        bottom = bottoms.get(row.year, 0)
        # every row is X's, in its colour; a white rule parts a year's rows (their labels name them)
        ax.bar(row.year, mark.value, bottom=bottom, width=0.66, **style.mark_style(style.COLOURS["X"], mark.evidence, mark.Index))
        if bottom:
            ax.hlines(bottom, row.year - 0.33, row.year + 0.33, color="white", linewidth=style.pt(2))
        if mark.label:  # on the left, where the short bars leave room
            ax.text(row.year - 0.4, bottom + mark.value / 2, mark.label, fontsize=style.pt(style.SMALLEST), va="center",
                    ha="right", color=style.SUBTLE)
        bottoms[row.year] = bottom + mark.value
    for total in drawn[drawn["series"] == "total"].itertuples():
        # On a phone, the years' columns a third as wide: the totals in the smallest type fit above them.
        ax.text(int(total.category), total.value, total.label, ha="center", va="bottom",
                fontsize=style.pt(style.SMALLEST if style.on_phone() else 12),
                fontweight="bold", color=style.INK)
    ax.set_xticks(years["year"], [str(year) for year in years["year"]])
    ax.set_yticks([])
    ax.spines[["left"]].set_visible(False)
    ax.set_xlim(years["year"].min() - 0.6, years["year"].max() + 0.6)
    ax.margins(y=0.12)


CHART = Chart("x-reports-to-ncmec", load, marks_of, texts, draw)
