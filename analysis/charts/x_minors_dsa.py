"""X's statements of reasons on protection of minors in the EU, daily mean per month (DSA
Transparency Database, shantay's summary statistics): complete months drawn, incomplete months
shown only by their coverage, X's filing gaps shaded, the schema change of 1 July 2025 marked.

After the summary's last day the series goes on from the days the desk ingested from the
Commission's dumps (:mod:`analysis.series.dsa_extension`): those months are drawn hollow and
their marks name that source, and its filing gaps are found from those days' own counts
(:func:`analysis.series.dsa_extension.filing_gaps`). With no day ingested the chart is the summary's alone."""

from __future__ import annotations

from dataclasses import replace

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis import claims
from analysis.charts import style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.dsa import summary
from analysis.formatting import NBSP, format_day, format_month, format_number, french_de
from analysis.series import dsa, dsa_extension

PLATFORM = "X"
# The months labelled on the line: the change's two months and the later one's month a year before.
LABELLED = {"2024-10": "x-dsa-minors-daily-mean-2024-10", "2025-06": "x-dsa-minors-daily-mean-2025-06",
            "2025-10": "x-dsa-minors-daily-mean-2025-10"}
CHANGE_CLAIM = "x-dsa-minors-daily-mean-2025-06-vs-10"
# The same months' change of all X's statements, every category: the context of the minors' change.
ALL_CLAIM = "x-dsa-statements-daily-mean-2025-06-vs-10"
SOURCE = "European Commission, DSA Transparency Database; statistics computed by shantay (R. Grimm)"
# A month's source by where its days come from (dsa_extension's ``source``).
SOURCES = {dsa_extension.SUMMARY: SOURCE,
           dsa_extension.INGEST: "European Commission, DSA Transparency Database, daily dumps counted by the desk",
           f"{dsa_extension.SUMMARY}+{dsa_extension.INGEST}": SOURCE + "; then daily dumps counted by the desk"}
INGEST_NOTE = {"fr": "Cercles vides{NBSP}: mois comptés, en tout ou en partie, par nous dans les exports quotidiens "
                     "de la Commission, après la fin des statistiques de shantay le {last}.",
               "en": "Hollow circles: months counted, wholly or partly, by us in the Commission's daily dumps, "
                     "after shantay's statistics end on {last}."}
INGEST_SOURCE = {"fr": "{NBSP}; puis exports quotidiens de la Commission comptés par nous",
                 "en": "; then the Commission's daily dumps, counted by us"}
SCHEMA_LABEL = {"fr": "Nouveau schéma\nde la base", "en": "New database\nschema"}
GAP_LABEL = {"fr": "X ne déclare\npresque rien", "en": "X files almost\nnothing"}
TITLE = {"fr": "Les décisions de X sur la protection des mineurs dans l’UE, mois par mois",
         "en": "X's moderation decisions on minors in the EU, month by month"}


def load() -> dict:
    months = dsa.chart_window(dsa_extension.minors_by_month(PLATFORM))
    first, last = pd.Timestamp(months["period"].iloc[0]), pd.Timestamp(months["period"].iloc[-1]) + pd.offsets.MonthEnd()
    gaps = dsa_extension.filing_gaps(PLATFORM)
    return {"months": months, "gaps": gaps[(gaps["end"] >= first) & (gaps["start"] <= last)].reset_index(drop=True),
            "labelled": {month: claims.claim(claim_id) for month, claim_id in LABELLED.items()},
            "change": claims.claim(CHANGE_CLAIM), "all": claims.claim(ALL_CLAIM),
            "ingested": bool((months["source"] != dsa_extension.SUMMARY).any())}


def _gap_key(gap) -> str:
    return f"{gap.start.date().isoformat()}/{gap.end.date().isoformat()}"


def marks_of(data: dict, lang: str):
    rows = []
    for month in data["months"].itertuples():
        if month.complete:
            claim = data["labelled"].get(month.period)
            rows.append({"series": "daily mean", "category": month.period, "value": month.daily_mean,
                         "label": f"{format_month(month.period, lang)}\n{claim.published_text(lang)}" if claim else "",
                         "evidence": month.evidence, "source": SOURCES[month.source]})
        else:  # a month with missing days is not a value: only its coverage is shown
            rows.append({"series": "incomplete month", "category": month.period, "value": None,
                         "label": f"{month.days_with_statements}/{month.days_in_database}",
                         "evidence": month.evidence, "source": SOURCES[month.source]})
    rows.append({"series": "schema change", "category": dsa.SCHEMA_CHANGE.isoformat(), "value": None,
                 "label": SCHEMA_LABEL[lang], "evidence": dsa.EVIDENCE, "source": SOURCE})
    for gap in data["gaps"].itertuples():
        rows.append({"series": "filing gap", "category": _gap_key(gap), "value": gap.release_days,
                     "label": GAP_LABEL[lang] if gap.start == pd.Timestamp(dsa.SCHEMA_CHANGE) else "",
                     "evidence": gap.evidence, "source": SOURCE})
    return marks(rows)


def _context(data: dict, drawn, lang: str) -> dict:
    """The change and what it sits among, each from the ledger or the drawn series: its two months
    (the change claim's own), the later month a year before, the drawn months' range, and the
    change of all X's statements over the same months."""
    args = data["change"].compute["args"]
    start, end = args["old_month"], args["new_month"]
    year_before = str(pd.Period(end, "M") - 12)
    drawn_months = drawn[drawn["series"] == "daily mean"].set_index("category")["value"]
    highest, lowest = drawn_months.idxmax(), drawn_months.idxmin()
    number = {month: data["labelled"][month].published_text(lang) for month in (start, end, year_before)}
    return {"start": format_month(start, lang), "end": format_month(end, lang),
            "before": format_month(year_before, lang), "change": data["change"].published_text(lang),
            "all": data["all"].published_text(lang), "at_start": number[start], "at_end": number[end],
            "at_before": number[year_before], "start_is_highest": highest == start,
            "highest": format_month(highest, lang), "lowest": format_month(lowest, lang),
            "high": format_number(drawn_months[highest], lang, 1), "low": format_number(drawn_months[lowest], lang, 1)}


def texts(data: dict, drawn, lang: str) -> Texts:
    """The chart's texts; with months from our ingest, the notes and the source say so."""
    said = _summary_texts(data, drawn, lang)
    if not data["ingested"]:
        return said
    last = format_day(summary.last_day(), lang)
    return replace(said, notes=f"{said.notes} {INGEST_NOTE[lang].format(NBSP=NBSP, last=last)}",
                   source=said.source + INGEST_SOURCE[lang].format(NBSP=NBSP))


def _summary_texts(data: dict, drawn, lang: str) -> Texts:
    months = data["months"]["period"]
    first, last = format_month(months.iloc[0], lang), format_month(months.iloc[-1], lang)
    c = _context(data, drawn, lang)
    schema_day = format_day(dsa.SCHEMA_CHANGE, lang)
    summer = data["gaps"][data["gaps"]["start"] == pd.Timestamp(dsa.SCHEMA_CHANGE)].iloc[0]
    summer_end = format_day(summer["end"], lang)
    if lang == "fr":
        peak = ", mois complet le plus haut," if c["start_is_highest"] else ""
        return Texts(
            title=TITLE["fr"],
            subtitle=f"Décisions de modération (« exposés des motifs ») déposées par X dans la base de transparence "
                     f"du DSA, catégorie protection des mineurs, moyenne quotidienne par mois. {french_de(c['start'], capital=True)}"
                     f"{peak} à {c['end']}{NBSP}: {c['change']}, de part et d’autre d’un changement de schéma de la base "
                     f"(toutes ses décisions, toutes catégories{NBSP}: {c['all']}). {c['end'].capitalize()}{NBSP}: {c['at_end']}, contre "
                     f"{c['at_before']} un an plus tôt",
            notes=f"Mois complets entre {c['low']} ({c['lowest']}) et {c['high']} ({c['highest']}). Mois incomplets non "
                  f"tracés{NBSP}: le chiffre en bas donne les jours où X a déposé / les jours "
                  f"de publication de la base ce mois-là. En grisé{NBSP}: une semaine ou plus où X n’a presque rien "
                  f"déposé (moins d’un dixième de sa journée médiane). Nouveau schéma le {schema_day}. Décisions de "
                  f"restriction de contenus dans l’UE, datées par jour de publication{NBSP}; ce ne sont pas des "
                  f"signalements au NCMEC.",
            source=f"Source{NBSP}: Commission européenne, base de transparence du DSA{NBSP}; statistiques calculées "
                   f"par shantay (R. Grimm)",
            alt=f"Courbe de la moyenne quotidienne des décisions de X sur la protection des mineurs dans l’UE, "
                f"{french_de(first)} à {last}{NBSP}: {c['at_start']} en {c['start']}{peak.rstrip(',')}, {c['at_end']} "
                f"en {c['end']} ({c['change']}{NBSP}; toutes catégories{NBSP}: {c['all']}), contre {c['at_before']} en "
                f"{c['before']}{NBSP}; mois complets entre {c['low']} et {c['high']}. X ne déclare presque rien du "
                f"{schema_day} au {summer_end}, après le changement de schéma de la base.")
    peak = ", the highest complete month," if c["start_is_highest"] else ""
    return Texts(
        title=TITLE["en"],
        subtitle=f"Statements of reasons filed by X in the DSA Transparency Database under protection of minors, "
                 f"daily mean per month. From {c['start']}{peak} to {c['end']}: {c['change']}, across a change of the "
                 f"database's schema (all its statements, every category: {c['all']}). {c['end']}: {c['at_end']}, against {c['at_before']} "
                 f"a year before",
        notes=f"Complete months range from {c['low']} ({c['lowest']}) to {c['high']} ({c['highest']}). Incomplete "
              f"months are not drawn: the figure at the bottom gives the days X filed / the database's "
              f"release days that month. Shaded: a week or more in which X filed almost nothing (under a tenth of "
              f"its median day). New schema on {schema_day}. Decisions to restrict content in the EU, dated by "
              f"release day; not reports to NCMEC.",
        source="Source: European Commission, DSA Transparency Database; statistics computed by shantay (R. Grimm)",
        alt=f"Line chart of the daily mean of X's decisions on protection of minors in the EU, from {first} to "
            f"{last}: {c['at_start']} in {c['start']}{peak.rstrip(',')}, {c['at_end']} in {c['end']} ({c['change']}; "
            f"every category: {c['all']}), against {c['at_before']} in {c['before']}; complete months range from "
            f"{c['low']} to {c['high']}. X files almost nothing from {schema_day} to {summer_end}, after the "
            f"database's schema change.")


def _middle(period: str) -> pd.Timestamp:
    return pd.Timestamp(period) + pd.Timedelta(days=14)


def draw(ax, drawn, data: dict, lang: str) -> None:
    phone = style.on_phone()
    if phone:  # room on the left for the values' axis: the frame gives a phone's chart all its width
        box = ax.get_position()
        room = style.pt(11) * 5 / 72 / ax.figure.get_figwidth()
        ax.set_position((box.x0 + room, box.y0, box.width - room, box.height))
    by_series = {name: part for name, part in drawn.groupby("series", sort=False)}
    for gap in by_series.get("filing gap", drawn.iloc[:0]).itertuples():
        start, end = (pd.Timestamp(day) for day in gap.category.split("/"))
        ax.axvspan(start, end + pd.Timedelta(days=1), color=style.GRID, alpha=0.7, lw=0, zorder=0)
        if gap.label:  # halfway up, clear of the schema change's line and label (left of them on a phone)
            ax.text(start + pd.Timedelta(days=-4 if phone else 4), 0.5, gap.label, transform=ax.get_xaxis_transform(),
                    ha="right" if phone else "left",
                    va="center", fontsize=style.pt(style.SMALLEST), color=style.SUBTLE)
    months = pd.concat([by_series["daily mean"], by_series["incomplete month"]]).sort_values("category")
    x = [_middle(period) for period in months["category"]]
    ax.plot(x, months["value"].to_numpy(), color=style.ACCENT, lw=style.pt(2.5), marker="o", ms=style.pt(5), zorder=3)
    ours = months[(months["source"] != SOURCE) & months["value"].notna()]
    if not ours.empty:  # months (partly) from our ingest: hollow, as the notes say
        ax.plot([_middle(period) for period in ours["category"]], ours["value"].to_numpy(), ls="none", marker="o",
                ms=style.pt(5), mfc="white", mec=style.ACCENT, mew=style.pt(1.5), zorder=4)
    raised = set()  # on a phone, of two incomplete months side by side the second's label sits higher
    for mark in by_series["incomplete month"].itertuples():
        before = str(pd.Period(mark.category, "M") - 1)
        if phone and before in set(by_series["incomplete month"]["category"]) - raised:
            raised.add(mark.category)
        ax.text(_middle(mark.category), 0.14 if mark.category in raised else 0.02, mark.label,
                transform=ax.get_xaxis_transform(), rotation=90, ha="center", va="bottom", fontsize=style.pt(style.SMALLEST), color=style.SUBTLE)
    highest = by_series["daily mean"]["value"].max()
    for mark in by_series["daily mean"][by_series["daily mean"]["label"] != ""].itertuples():
        # Peaks labelled above on the left (clear of what follows); the rest well below, clear of the
        # months beside them (the one before may sit lower, as after a gap).
        # On a phone, where months are closer, every label is set as the peaks' are.
        above = mark.value >= highest * 0.75 or phone
        offset = (style.pt(4), style.pt(10)) if above else (0, style.pt(-24))
        ax.annotate(mark.label, (_middle(mark.category), mark.value), xytext=offset, textcoords="offset points",
                    ha="right" if above else "center", va="bottom" if above else "top",
                    fontsize=style.pt(11.5), fontweight="bold", color=style.text_shade(style.ACCENT))
    schema = by_series["schema change"].iloc[0]
    ax.axvline(pd.Timestamp(schema["category"]), color=style.INK, lw=style.pt(1.2), ls="--", zorder=2)
    # Right of its line; on a phone, where the months after it are few, left of it.
    ax.text(pd.Timestamp(schema["category"]) + pd.Timedelta(days=-4 if phone else 4), 0.98, schema["label"],
            transform=ax.get_xaxis_transform(), ha="right" if phone else "left", va="top",
            fontsize=style.pt(style.SMALLEST), color=style.INK)
    ax.set_ylim(0, highest * 1.5)  # room above the peak for its label and the schema change's
    ax.set_ylabel("décisions par jour (moyenne du mois)" if lang == "fr" else "statements a day (monthly mean)",
                  fontsize=style.pt(11))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, lang)))
    if phone:
        ax.yaxis.set_major_locator(MaxNLocator(4))
    ax.grid(axis="y", color=style.GRID)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlim(pd.Timestamp(months["category"].iloc[0]), pd.Timestamp(months["category"].iloc[-1]) + pd.offsets.MonthEnd())
    ax.tick_params(labelsize=style.pt(11))


CHART = Chart("x-minors-dsa", load, marks_of, texts, draw)
