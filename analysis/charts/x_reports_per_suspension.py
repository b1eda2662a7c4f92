"""X's reports to NCMEC per 100 accounts it suspended, period by period, under the two definitions
the data use (Twitter's years and X's own 2024 figures are not one series), and the detection
timeline: what X and others said and did around its detection from 2024 on."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd

from analysis import claims, evidence
from analysis.charts import style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_day, format_month, format_number, format_period
from analysis.series import timeline, x_over_time, x_own

TIMELINE_SINCE = "2024-01-01"
CLAIMS = {"automated_reports": "x-h1-2024-reports-automated", "automated_suspensions": "x-h1-2024-suspensions-automated"}
SECOND_HALF = f"{x_over_time.YEAR} H2"  # X's own, as transcribed: its label ends with its line, clear of the 2025 events
# What an event's label adds, by the evidence of the event (a reported one says so).
STATUS_WORDS = {evidence.PRIMARY: {"en": "", "fr": ""}, evidence.REPORTED: {"en": " — reported", "fr": " — rapporté"},
                evidence.UNSOURCED: {"en": " — unverified", "fr": " — non vérifié"}}
STATUS_COLOURS = {evidence.PRIMARY: style.INK, evidence.REPORTED: style.REPORTED, evidence.UNSOURCED: style.MUTED}
RESTS_ON_REPORTED = (evidence.REPORTED, evidence.ARITHMETIC_ON_REPORTED)
HALF = {"en": {"H1": "H1", "H2": "H2"}, "fr": {"H1": "S1", "H2": "S2"}}
# Each definition's series name in the marks, and the words that name it on the chart.
SERIES = {x_own.TWITTER_CSE: "Twitter: CSE suspensions", x_own.X_CHILD_SAFETY: "X: child-safety figures"}
DEFINITION_LABELS = {  # short: the subtitle says what each divides
    x_own.TWITTER_CSE: {"en": "Twitter’s definition (CSE)", "fr": "définition de Twitter (exploitation sexuelle)"},
    x_own.X_CHILD_SAFETY: {"en": "X’s own figures", "fr": "chiffres de X"}}
CHANGE = {"en": "definitions change", "fr": "changement de définition"}


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
        rows.append({"series": SERIES[row.definition], "category": _period(row.period, lang),
                     "value": row.reports_per_100_suspended,
                     "label": format_number(row.reports_per_100_suspended, lang, 1),
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
    reported = values["evidence"].isin(RESTS_ON_REPORTED)
    every = ", ".join(f"{label} ({period}){_status_word(grade, lang)}" for period, label, grade in
                      zip(values["category"], values["label"], values["evidence"]))
    reports, suspensions = (data[k].published_text(lang) for k in ("automated_reports", "automated_suspensions"))
    if lang == "fr":
        return Texts(
            title=f"Signalements de X au NCMEC pour 100 comptes suspendus{NBSP}: deux définitions, pas une tendance",
            subtitle=f"2019–2021{NBSP}: décompte du NCMEC pour Twitter et suspensions de Twitter pour exploitation "
                     f"sexuelle d'enfants{NBSP}; 2024{NBSP}: chiffres de X lui-même, maltraitance physique comprise. "
                     "Et la chronologie de la détection",
            notes=f"Selon X, {suspensions} des suspensions et {reports} des signalements du 1er semestre 2024 "
                  f"étaient automatisés. {HALF['fr']['H2']} 2024{NBSP}: chiffres de X (rapport de transparence 2025), "
                  "transcrits par un tiers. Pas de chiffres de suspensions dans nos données de mi-2022 à fin 2023."
                  + (f" «{NBSP}Rapporté{NBSP}»{NBSP}: calculé avec le nombre de suspensions annoncé par X Safety, "
                     "qu'aucune donnée publique ne confirme." if reported.any() else ""),
            source=f"Source{NBSP}: NCMEC{NBSP}; Twitter Transparency Center (transcription diaphanous){NBSP}; "
                   f"rapports de transparence de X, S1 2024 et 2025 (S2 2024, transcription diaphanous){NBSP}; "
                   "X Safety, cité par Next.ink",
            alt=f"Segments par période du nombre de signalements pour 100 comptes suspendus, selon deux définitions "
                f"(Twitter en 2019–2021, les chiffres de X lui-même en 2024){NBSP}: {every}{NBSP}; avec les événements "
                "de 2024–2025 autour de la détection.")
    return Texts(
        title="X's reports to NCMEC per 100 suspended accounts: two definitions, not one trend",
        subtitle="2019–2021: NCMEC's count for Twitter and Twitter's suspensions for child sexual exploitation; "
                 "2024: X's own figures, physical child abuse included. And the detection timeline",
        notes=f"X says {suspensions} of its H1 2024 suspensions and {reports} of its reports were automated. "
              "2024 H2: X's figures (2025 transparency report), as transcribed by a third party. No suspension "
              "counts in our data from mid-2022 to the end of 2023."
              + (" “Reported”: computed with the suspension count X Safety announced, which no public data "
                 "confirms." if reported.any() else ""),
        source="Source: NCMEC; Twitter Transparency Center (diaphanous transcription); X transparency reports "
               "H1 2024 and 2025 (H2 2024, diaphanous transcription); X Safety, quoted by Next.ink",
        alt=f"Segments per period of reports per 100 suspended accounts, under two definitions (Twitter's in "
            f"2019–2021, X's own figures in 2024): {every}; with the 2024–2025 events around X's detection.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    spans = data["periods"]
    values = drawn[drawn["series"] != "event"]
    top = values["value"].max()
    for span, mark in zip(spans.itertuples(), values.itertuples()):
        whole_2024 = span.period == str(x_over_time.YEAR)
        at_end = span.period == SECOND_HALF
        # X in its colour under X's own definition, Twitter's years in the year-before ink, the
        # figure X Safety only reported in the reported colour
        colour = style.REPORTED if whole_2024 else style.ACCENT if span.definition == x_own.X_CHILD_SAFETY \
            else style.COLOURS["year before"]
        middle = span.start + (span.end - span.start) / 2
        ax.hlines(mark.value, span.start, span.end + pd.Timedelta(days=1), color=colour, linewidth=style.pt(4),
                  linestyles="--" if whole_2024 else "-")
        if whole_2024:  # the year, X Safety's figures: at its left end, clear of the 2025 events
            ax.annotate(f"{mark.label} ({mark.category}){_status_word(mark.evidence, lang)}", (span.start, mark.value),
                        xytext=(style.pt(-8), 0), textcoords="offset points", fontsize=style.pt(11.5), ha="right",
                        va="center", color=style.text_shade(colour), fontweight="bold")
        else:  # the first half below its line, everything else above; the second half ends with its
            # line, clear of the 2025 events' stems
            below = span.period.endswith("H1")
            ax.annotate(mark.label + (f" ({mark.category.split()[-1]})" if " " in mark.category else "")
                        + _status_word(mark.evidence, lang),
                        (span.end + pd.Timedelta(days=1), mark.value) if at_end else (middle, mark.value),
                        xytext=(0, style.pt(-7 if below else 4)), textcoords="offset points",
                        fontsize=style.pt(11.5), ha="right" if at_end else "center",
                        va="top" if below else "bottom", color=style.text_shade(colour), fontweight="bold")
    # The timeline above the periods: its stems stop short of them and of their labels, and its
    # periods are shaded under the stems only, not under the labels.
    events = drawn[drawn["series"] == "event"]
    # One line of the events' type as a share of the axes' height, whatever the notes left it: the
    # labels are stacked that far apart in data units, above the periods' values.
    line = style.pt(style.SMALLEST) * 1.45 / (ax.get_position().height * ax.figure.get_figheight() * 72)
    ceiling, lowest = top * 1.2, top * 1.34
    # One line each; on a phone, wrapped to end left of the stems.
    labels = [style.wrap_to(mark.label, 36) if style.on_phone() else mark.label for mark in events.itertuples()]
    lines = [label.count("\n") + 1 for label in labels]
    highest = lowest / (1 - sum(lines) * line)
    step = highest * line
    y = lowest  # the earliest lowest: no stem crosses a later label
    for event, mark, label, height in zip(data["events"].to_dict("records"), events.itertuples(), labels, lines):
        middle = y + (height - 1) * step / 2
        colour = STATUS_COLOURS[mark.evidence]
        if event["end"] > event["start"] and event["precision"] != "year":  # a whole year's band would say nothing
            ax.axvspan(event["start"], event["end"] + pd.Timedelta(days=1), ymax=ceiling / highest, color=colour, alpha=0.08,
                       linewidth=0)
        ax.vlines(event["start"], ceiling, middle, color=colour, linewidth=style.pt(0.8), alpha=0.7)
        ax.annotate(label, (event["start"], middle), xytext=(style.pt(-4), 0), textcoords="offset points",
                    ha="right", va="center", fontsize=style.pt(style.SMALLEST), color=style.text_shade(colour))
        y += height * step
    _definitions(ax, spans, top, lang)
    ax.set_ylim(0, highest)
    ax.set_xlim(pd.Timestamp("2019-01-01"), pd.Timestamp("2026-01-31"))
    if style.on_phone():  # every other year: fewer labels on a phone's width
        ax.set_xticks([pd.Timestamp(f"{year}-01-01") for year in range(2019, 2026, 2)])
    else:
        ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_yticks([])
    ax.spines[["left"]].set_visible(False)


def _short(words: str) -> str:
    """Words under the periods, wrapped on a phone: the years stand closer there."""
    return style.wrap_to(words, 13) if style.on_phone() else words


def _definitions(ax, spans, top: float, lang: str) -> None:
    """Under each definition's periods, what it divides; between them, where the definition changes."""
    for definition, periods in spans.groupby("definition", sort=False):
        middle = periods["start"].min() + (periods["end"].max() - periods["start"].min()) / 2
        colour = style.ACCENT if definition == x_own.X_CHILD_SAFETY else style.COLOURS["year before"]
        ax.text(middle, top * 0.04, _short(DEFINITION_LABELS[definition][lang]), ha="center", va="bottom",
                fontsize=style.pt(style.SMALLEST), color=style.text_shade(colour))
    twitter = spans[spans["definition"] == x_own.TWITTER_CSE]
    x_own_figures = spans[spans["definition"] == x_own.X_CHILD_SAFETY]
    change = twitter["end"].max() + (x_own_figures["start"].min() - twitter["end"].max()) / 2
    ax.vlines(change, top * 0.3, top * 0.9, color=style.SUBTLE, linewidth=style.pt(0.8), linestyles=":")
    if style.on_phone():  # along its line: no room between the definitions' words
        ax.annotate(_short(CHANGE[lang]), (change, top * 0.6), xytext=(style.pt(-3), 0), textcoords="offset points",
                    rotation=90, ha="right", va="center", fontsize=style.pt(style.SMALLEST), color=style.SUBTLE)
    else:
        ax.text(change, top * 0.04, CHANGE[lang], ha="center", va="bottom", fontsize=style.pt(style.SMALLEST),
                color=style.SUBTLE)


# On a phone the timeline's labels wrap: the chart needs more height than most.
CHART = Chart("x-reports-per-suspension", load, marks_of, texts, draw, phone_chart_pt=640)
