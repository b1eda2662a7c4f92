"""X's share of the reports platforms send NCMEC, per year: of all platforms, and of all but Meta."""

from __future__ import annotations

from analysis import claims
from analysis.charts import provenance, style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_percent
from analysis.series import x_over_time

SERIES = {"x_share_pct": {"en": "of all platforms' reports", "fr": "de l’ensemble des plateformes"},
          "x_share_of_others_pct": {"en": "leaving Meta aside", "fr": "hors Meta"}}
BELOW = "x_share_pct"  # the lower line: its labels under the points
# Both lines are X's, in its colour: the share leaving Meta aside dashed.
LINES = {"x_share_pct": "-", "x_share_of_others_pct": (0, (4, 2))}
CLAIMS = {"share": "x-share-of-provider-reports-2024", "share_before": "x-share-of-provider-reports-2023",
          "others": "x-share-of-non-meta-reports-2024", "others_before": "x-share-of-non-meta-reports-2023"}
SOURCE = provenance.MARK_SOURCE


def load() -> dict:
    return {"years": x_over_time.share_by_year(), "bundling": claims.claim(provenance.BUNDLING_CLAIM),
            **{key: claims.claim(i) for key, i in CLAIMS.items()}}


def marks_of(data: dict, lang: str):
    return marks([{"series": column, "category": str(row["year"]), "value": row[column],
                   "label": format_percent(row[column], lang, signed=False), "evidence": row["evidence"],
                   "source": SOURCE[row["evidence"]]}
                  for column in SERIES for _, row in data["years"].iterrows()])


def texts(data: dict, drawn, lang: str) -> Texts:
    years = data["years"]
    first, last = int(years["year"].min()), int(years["year"].max())
    share, before = data["share"].published_text(lang), data["share_before"].published_text(lang)
    others, others_before = data["others"].published_text(lang), data["others_before"].published_text(lang)
    statuses = dict(zip(years["year"].astype(int), years["evidence"]))
    context = " ".join(part for part in (provenance.transcription_note(statuses, lang),
                                         provenance.bundling_note(data["bundling"], first, last, lang)) if part)
    at_first = drawn[drawn["category"] == str(first)].set_index("series")["label"]
    if lang == "fr":
        return Texts(
            title=f"La part de X monte en {last} parce que celle de Meta baisse",
            subtitle=f"Part de X dans les signalements envoyés au NCMEC par toutes les plateformes, et par "
                     f"toutes sauf Meta, {first}–{last}",
            notes=f"{last}{NBSP}: {share} des signalements de l'ensemble des plateformes (contre {before}), "
                  f"mais {others} hors Meta (contre "
                  f"{others_before}). {last - 1}{NBSP}: le NCMEC liste X sur deux lignes, additionnées. {context}",
            source=provenance.ncmec_source(statuses, lang),
            alt=f"Deux courbes de {first} à {last}{NBSP}: la part de X dans les signalements de l'ensemble des "
                f"plateformes, {at_first['x_share_pct']} en {first}, {before} en {last - 1} et {share} en {last}{NBSP}; "
                f"sa part hors Meta, {at_first['x_share_of_others_pct']}, {others_before} et {others}.")
    return Texts(
        title=f"X's share rises in {last} because Meta's falls",
        subtitle=f"X's share of the reports sent to NCMEC by all platforms, and by all platforms but Meta, "
                 f"{first}–{last}",
        notes=f"{last}: {share} of all platforms' reports (against {before}), but {others} leaving Meta aside (against "
              f"{others_before}). {last - 1}: NCMEC lists X in two rows, added up. {context}",
        source=provenance.ncmec_source(statuses, lang),
        alt=f"Two lines from {first} to {last}: X's share of all platforms' reports, {at_first['x_share_pct']} in "
            f"{first}, {before} in {last - 1} and {share} in {last}; its share of all but Meta's, "
            f"{at_first['x_share_of_others_pct']}, {others_before} and {others}.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    colour = style.COLOURS["X"]
    ink = style.text_shade(colour)  # its labels' shade of it, legible on white
    for series, points in drawn.groupby("series", sort=False):
        years = points["category"].astype(int).tolist()
        ax.plot(years, points["value"], color=colour, linewidth=style.pt(2.5), linestyle=LINES[series], zorder=2)
        values = points["value"].tolist()
        for i, (year, point) in enumerate(zip(years, points.itertuples())):
            # large enough for a transcribed year's hatching to show (three lines)
            ax.scatter(year, point.value, s=style.pt(13) ** 2, zorder=3, **style.mark_style(colour, point.evidence, point.Index))
            if i == len(values) - 1:  # the last value, bold, right of its point above the series' name
                ax.annotate(point.label, (year, point.value), xytext=(style.pt(12), style.pt(1)),
                            textcoords="offset points", ha="left", va="bottom", fontsize=style.pt(12),
                            color=ink, fontweight="bold")
                continue
            # A trough's label right of its point; on a phone, where the years are closer, under it.
            trough = series != BELOW and 0 < i and values[i] < min(values[i - 1], values[i + 1]) and not style.on_phone()
            (dx, dy), va = ((9, -2), "center") if trough else ((0, -10), "top") if series == BELOW else ((0, 9), "bottom")
            ax.annotate(point.label, (year, point.value), xytext=(style.pt(dx), style.pt(dy)), textcoords="offset points",
                        ha="left" if trough else "center", va=va, fontsize=style.pt(11), color=ink)
        # Wrapped: at print size, one line ran to the page's edge.
        ax.annotate(style.wrap_to(SERIES[series][lang], 13 if style.on_phone() else 18), (years[-1], points["value"].iloc[-1]),
                    xytext=(style.pt(12), style.pt(-1)),
                    textcoords="offset points", ha="left", va="top", fontsize=style.pt(12), color=ink)
    years = sorted(drawn["category"].astype(int).unique())
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_yticks([])
    ax.spines[["left"]].set_visible(False)
    ax.set_xlim(years[0] - 0.3, years[-1] + (2.6 if style.on_phone() else 1.6))  # room for the series names
    ax.set_ylim(-drawn["value"].max() * 0.1, drawn["value"].max() * 1.18)


CHART = Chart("x-share-of-reports", load, marks_of, texts, draw)
