"""X's reports to NCMEC per 100 accounts it suspended, period by period, and the detection timeline:
what X and others said and did around its detection from 2024 on."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd

from analysis import claims, evidence
from analysis.charts import style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_day, format_month, format_number, format_period
from analysis.series import timeline, x_over_time

TIMELINE_SINCE = "2024-01-01"
CLAIMS = {"automated_reports": "x-h1-2024-reports-automated", "automated_suspensions": "x-h1-2024-suspensions-automated"}
# What an event's label adds, by the evidence of the event (a reported one says so).
STATUS_WORDS = {evidence.PRIMARY: {"en": "", "fr": ""}, evidence.REPORTED: {"en": " — reported", "fr": " — rapporté"},
                evidence.UNSOURCED: {"en": " — unverified", "fr": " — non vérifié"}}
STATUS_COLOURS = {evidence.PRIMARY: style.INK, evidence.REPORTED: style.REPORTED, evidence.UNSOURCED: style.MUTED}
RESTS_ON_REPORTED = (evidence.REPORTED, evidence.ARITHMETIC_ON_REPORTED)
HALF = {"en": {"H1": "H1", "H2": "H2"}, "fr": {"H1": "S1", "H2": "S2"}}


def load() -> dict:
    return {"periods": x_over_time.reports_per_suspension(), "events": timeline.events(since=TIMELINE_SINCE),
            **{key: claims.claim(i) for key, i in CLAIMS.items()}}


def _period(label: str, lang: str) -> str:
    year, _, half = label.partition(" ")
    return f"{year} {HALF[lang][half]}" if half else year


def _when(event, lang: str) -> str:
    if event["start"] != event["end"] and event["precision"] != "day" and isinstance(event["date_end"], str):
        return format_period(event["start"], event["end"], lang)
    return {"day": format_day, "month": format_month}.get(event["precision"], lambda d, _: str(d.year))(
        event["start"], lang)


def marks_of(data: dict, lang: str):
    rows = []
    for row in data["periods"].itertuples():
        implied = row.method == x_over_time.IMPLIED
        rows.append({"series": "implied" if implied else "per 100 suspended", "category": _period(row.period, lang),
                     "value": 100 * row.reports_per_suspended_account,
                     "label": format_number(100 * row.reports_per_suspended_account, lang, 1),
                     "evidence": row.evidence, "source": f"{row.reports_source}; {row.suspensions_source}"})
    for event in data["events"].to_dict("records"):
        rows.append({"series": "event", "category": event["event"], "value": float("nan"),
                     "label": f"{event[f'label_{lang}']} ({_when(event, lang)}){STATUS_WORDS[event['evidence']][lang]}",
                     "evidence": event["evidence"], "source": f"{event['said_by']}, {claims.source_text(event['source_url'], lang)}"})
    return marks(rows)


def _status_word(mark_status: str, lang: str) -> str:
    """The words after a value that rests on a figure only X reported (" — reported"), else none."""
    return STATUS_WORDS[evidence.REPORTED][lang] if mark_status in RESTS_ON_REPORTED else ""


def texts(data: dict, drawn, lang: str) -> Texts:
    values = drawn[drawn["series"] != "event"]
    periods = values.set_index("category")["label"]
    reported = values["evidence"].isin(RESTS_ON_REPORTED)
    last_word = _status_word(values["evidence"].iloc[-1], lang)
    first, last = periods.index[0], periods.index[-1]
    reports, suspensions = (data[k].published_text(lang) for k in ("automated_reports", "automated_suspensions"))
    if lang == "fr":
        return Texts(
            title="X envoie plus de signalements par compte suspendu en 2024 qu'en 2019–2021",
            subtitle="Signalements de X (Twitter) au NCMEC pour 100 comptes suspendus pour exploitation sexuelle "
                     "d'enfants, par période, et chronologie de la détection",
            notes=f"Selon X, {suspensions} des suspensions et {reports} des signalements du 1er semestre 2024 "
                  f"étaient automatisés. {HALF['fr']['H2']} 2024 (pointillés){NBSP}: calculé, année moins 1er "
                  "semestre. Pas de chiffres de suspensions dans nos données de mi-2022 à fin 2023."
                  + (f" «{NBSP}Rapporté{NBSP}»{NBSP}: calculé avec le nombre de suspensions annoncé par X Safety, "
                     "qu'aucune donnée publique ne confirme." if reported.any() else ""),
            source=f"Source{NBSP}: NCMEC{NBSP}; Twitter Transparency Center (transcription diaphanous){NBSP}; "
                   f"rapport de transparence de X, S1 2024{NBSP}; X Safety, cité par Next.ink",
            alt=f"Segments par période du nombre de signalements pour 100 comptes suspendus{NBSP}: {periods[first]} "
                f"en {first}, {periods[last]} en {last}{last_word}, avec les événements de 2024–2025 autour de la détection.")
    return Texts(
        title="X sends more reports per suspended account in 2024 than in 2019–2021",
        subtitle="Reports X (Twitter) sent to NCMEC per 100 accounts it suspended for child sexual exploitation, "
                 "per period, and the detection timeline",
        notes=f"X says {suspensions} of its H1 2024 suspensions and {reports} of its reports were automated. "
              f"2024 H2 (dotted): our subtraction, the year minus the first half. No suspension counts in our "
              "data from mid-2022 to the end of 2023."
              + (" “Reported”: computed with the suspension count X Safety announced, which no public data "
                 "confirms." if reported.any() else ""),
        source="Source: NCMEC; Twitter Transparency Center (diaphanous transcription); X transparency report "
               "H1 2024; X Safety, quoted by Next.ink",
        alt=f"Segments per period of reports per 100 suspended accounts: {periods[first]} in {first}, "
            f"{periods[last]} in {last}{last_word}, with the 2024–2025 events around X's detection.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    spans = data["periods"]
    values = drawn[drawn["series"] != "event"]
    top = values["value"].max()
    for span, mark in zip(spans.itertuples(), values.itertuples()):
        whole_2024 = span.period == str(x_over_time.YEAR)
        implied = mark.series == "implied"
        colour = style.MUTED if whole_2024 else style.ACCENT
        middle = span.start + (span.end - span.start) / 2
        ax.hlines(mark.value, span.start, span.end + pd.Timedelta(days=1), color=colour, linewidth=style.pt(4),
                  linestyles=":" if implied else "--" if whole_2024 else "-")
        if whole_2024:  # the year, X Safety's figures: at its left end, clear of the 2025 events
            ax.annotate(f"{mark.label} ({mark.category}){_status_word(mark.evidence, lang)}", (span.start, mark.value),
                        xytext=(style.pt(-8), 0), textcoords="offset points", fontsize=style.pt(11.5), ha="right",
                        va="center", color=colour, fontweight="bold")
        else:  # the first half below its line, everything else above; the second half ends with its
            # line, clear of the 2025 events' stems
            below = span.period.endswith("H1")
            ax.annotate(mark.label + (f" ({mark.category.split()[-1]})" if " " in mark.category else "")
                        + _status_word(mark.evidence, lang),
                        (span.end + pd.Timedelta(days=1), mark.value) if implied else (middle, mark.value),
                        xytext=(0, style.pt(-7 if below else 4)), textcoords="offset points",
                        fontsize=style.pt(11.5), ha="right" if implied else "center",
                        va="top" if below else "bottom", color=colour, fontweight="bold")
    # The timeline above the periods: its stems stop short of them and of their labels, and its
    # periods are shaded under the stems only, not under the labels.
    events = drawn[drawn["series"] == "event"]
    ceiling, lowest, step = top * 1.2, top * 1.34, top * 0.105
    highest = lowest + len(events) * step
    for i, (event, mark) in enumerate(zip(data["events"].to_dict("records"), events.itertuples())):
        y = lowest + i * step  # the earliest lowest: no stem crosses a later label
        colour = STATUS_COLOURS[mark.evidence]
        if event["end"] > event["start"]:
            ax.axvspan(event["start"], event["end"] + pd.Timedelta(days=1), ymax=ceiling / highest, color=colour, alpha=0.08,
                       linewidth=0)
        ax.vlines(event["start"], ceiling, y, color=colour, linewidth=style.pt(0.8), alpha=0.7)
        ax.annotate(mark.label, (event["start"], y), xytext=(style.pt(-4), 0), textcoords="offset points",
                    ha="right", va="center", fontsize=style.pt(9.5), color=colour)
    ax.set_ylim(0, highest)
    ax.set_xlim(pd.Timestamp("2019-01-01"), pd.Timestamp("2026-01-31"))
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_yticks([])
    ax.spines[["left"]].set_visible(False)


CHART = Chart("x-reports-per-suspension", load, marks_of, texts, draw)
