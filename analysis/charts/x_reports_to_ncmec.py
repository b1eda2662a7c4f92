"""X's reports to NCMEC by year: NCMEC's rows for X stacked, the yearly total printed on top."""

from __future__ import annotations

from analysis import claims, status
from analysis.charts import style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_number
from analysis.series import x_reports

CHANGE_CLAIM = "x-ncmec-reports-2024-vs-2023"
SOURCE = {status.PDF: "NCMEC, CyberTipline Reports by ESP",
          status.TRANSCRIPTION: "NCMEC, as transcribed by R. Grimm (diaphanous)"}


def load() -> dict:
    return {"years": x_reports.x_by_year(), "rows": x_reports.x_provider_rows(),
            "change": claims.claim(CHANGE_CLAIM)}


def marks_of(data: dict, lang: str):
    rows_per_year = data["rows"]["year"].value_counts()
    rows = [{"series": "NCMEC row", "category": f"{row.year} {row.provider}", "value": row.reports,
             # NCMEC's rows are named only where a year has several
             "label": f"{row.provider}\n{format_number(row.reports, lang)}" if rows_per_year[row.year] > 1 else "",
             "status": row.status, "source": SOURCE[row.status]}
            for row in data["rows"].itertuples()]
    rows += [{"series": "total", "category": str(row.year), "value": row.reports,
              "label": format_number(row.reports, lang), "status": row.status, "source": SOURCE[row.status]}
             for row in data["years"].itertuples()]
    return marks(rows)


def texts(data: dict, drawn, lang: str) -> Texts:
    years = data["years"].set_index("year")
    first, last, peak = int(years.index.min()), int(years.index.max()), int(years["reports"].idxmax())
    change = data["change"].published_text(lang)
    total = drawn[drawn["series"] == "total"].set_index("category")["label"]
    n = {year: total[str(year)] for year in (first, peak, last)}
    pdf_years = years.index[years["status"] == status.PDF]
    transcribed = sorted(years.index[years["status"] == status.TRANSCRIPTION])
    two_rows = sorted(data["rows"].groupby("year").filter(lambda g: len(g) > 1)["year"].unique())
    hatched = ", ".join(str(y) for y in transcribed)
    if lang == "fr":
        return Texts(
            title=f"Les signalements de X au NCMEC ont bondi en {peak}, puis reculé",
            subtitle=f"Signalements envoyés par X (Twitter) à la CyberTipline du NCMEC, par an. "
                     f"{last} par rapport à {peak}{NBSP}: {change}",
            notes=" ".join([*(f"{y}{NBSP}: le NCMEC liste X sur deux lignes, additionnées ici." for y in two_rows),
                            f"Barre hachurée ({hatched}){NBSP}: chiffre transcrit par un tiers du rapport du NCMEC."]),
            source=f"Source{NBSP}: NCMEC, CyberTipline Reports by ESP {pdf_years.min()}–{pdf_years.max()}{NBSP}; "
                   f"{hatched}{NBSP}: transcription de R. Grimm (diaphanous)",
            alt=f"Histogramme des signalements annuels de X au NCMEC de {first} à {last}{NBSP}: "
                f"{n[first]} en {first}, {n[peak]} en {peak}, {n[last]} en {last} ({change}).")
    return Texts(
        title=f"X's reports to NCMEC jumped in {peak}, then fell back",
        subtitle=f"Reports sent by X (Twitter) to NCMEC's CyberTipline, per year. {last} against {peak}: {change}",
        notes=" ".join([*(f"{y}: NCMEC lists X in two rows, added up here." for y in two_rows),
                        f"Hatched bar ({hatched}): figure transcribed by a third party from NCMEC's report."]),
        source=f"Source: NCMEC, CyberTipline Reports by ESP {pdf_years.min()}–{pdf_years.max()}; "
               f"{hatched}: transcription by R. Grimm (diaphanous)",
        alt=f"Bar chart of X's yearly reports to NCMEC from {first} to {last}: {n[first]} in {first}, "
            f"{n[peak]} in {peak} and {n[last]} in {last} ({change}).")


def draw(ax, drawn, data: dict, lang: str) -> None:
    years = data["years"]
    bottoms: dict[int, float] = {}
    row_marks = drawn[drawn["series"] == "NCMEC row"]
    for row, mark in zip(data["rows"].itertuples(), row_marks.itertuples()):
        bottom = bottoms.get(row.year, 0)
        ax.bar(row.year, mark.value, bottom=bottom, width=0.66, color=style.ACCENT if bottom == 0 else "#F0A877",
               hatch="//" if mark.status != status.PDF else None, edgecolor="white", linewidth=0)
        if mark.label:  # on the left, where the short bars leave room
            ax.text(row.year - 0.4, bottom + mark.value / 2, mark.label, fontsize=style.pt(10.5), va="center",
                    ha="right", color=style.SUBTLE)
        bottoms[row.year] = bottom + mark.value
    for total in drawn[drawn["series"] == "total"].itertuples():
        ax.text(int(total.category), total.value, total.label, ha="center", va="bottom", fontsize=style.pt(12),
                fontweight="bold", color=style.INK)
    ax.set_xticks(years["year"], [str(year) for year in years["year"]])
    ax.set_yticks([])
    ax.spines[["left"]].set_visible(False)
    ax.set_xlim(years["year"].min() - 0.6, years["year"].max() + 0.6)
    ax.margins(y=0.12)


CHART = Chart("x-reports-to-ncmec", load, marks_of, texts, draw)
