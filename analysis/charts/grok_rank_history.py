"""Grok against ChatGPT and Gemini in our own daily App Store snapshots (drawn once we have two)."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis import evidence
from analysis.charts import style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_day
from analysis.series import grok

# Grok in X's accent (one owner); the other apps are other companies: the context grey, told apart
# by their lines and the names at their ends.
SUBJECT = "Grok"
LINES = {"Grok": "-", "ChatGPT": "--", "Gemini": ":"}
SOURCE = "Apple Marketing Tools RSS feed, data desk snapshots"


def load() -> dict:
    return {"ranks": grok.rank_comparison()}


def available() -> bool:
    """Drawn once our snapshots chart one of the apps on two days at least."""
    return int(grok.rank_comparison().notna().any(axis=1).sum()) >= 2


def marks_of(data: dict, lang: str):
    ranks = data["ranks"]
    return marks([{"series": app, "category": day.date().isoformat(),
                   "value": None if ranks[app].isna()[day] else ranks.loc[day, app], "label": "",
                   "evidence": evidence.COLLECTED, "source": SOURCE}
                  for app in ranks.columns for day in ranks.index])


def texts(data: dict, drawn, lang: str) -> Texts:
    first, last = drawn["category"].min(), drawn["category"].max()
    grok_ranks = drawn.loc[drawn["series"] == "Grok", "value"].dropna()
    best = "—" if grok_ranks.empty else str(int(grok_ranks.min()))
    storefront = grok.HISTORY_COUNTRY.upper()
    if lang == "fr":
        return Texts(
            title="Grok face à ChatGPT et Gemini dans le classement de l’App Store",
            subtitle=f"Rang quotidien parmi les applications gratuites, App Store {storefront}, "
                     f"du {format_day(first, lang)} au {format_day(last, lang)}",
            notes=f"Relevés de la cellule data (un par jour au plus). Absent du graphique{NBSP}: hors "
                  "classement ce jour-là.",
            source=f"Source{NBSP}: Apple, flux RSS Marketing Tools, relevés de la cellule data",
            alt=f"Courbes du rang quotidien de Grok, ChatGPT et Gemini sur l’App Store {storefront}"
                f"{NBSP}; meilleur rang de Grok{NBSP}: {best}.")
    return Texts(
        title="Grok against ChatGPT and Gemini in the App Store chart",
        subtitle=f"Daily rank among free apps, {storefront} App Store, {format_day(first, lang)} to "
                 f"{format_day(last, lang)}",
        notes="Snapshots collected by the data desk (at most one a day). A gap: not charted that day.",
        source=f"Source: {SOURCE}",
        alt=f"Lines of the daily rank of Grok, ChatGPT and Gemini in the {storefront} App Store; "
            f"Grok's best rank: {best}.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    ranks = data["ranks"]
    if style.on_phone():  # room on the left for the ranks and the first day's half: the frame gives a phone's chart all its width
        box = ax.get_position()
        room = style.pt(12) * 2 / 72 / ax.figure.get_figwidth()
        ax.set_position((box.x0 + room, box.y0, box.width - room, box.height))
    for app, line in drawn.groupby("series", sort=False):
        colour = style.COLOURS["X"] if app == SUBJECT else style.COLOURS["others"]
        ax.plot(ranks.index, line["value"].to_numpy(), color=colour, lw=style.pt(2.5), ls=LINES.get(app, "-"),
                marker="o", ms=style.pt(3))
        charted = line.dropna(subset=["value"])
        if not charted.empty:
            ax.annotate(app, (pd.Timestamp(charted["category"].iloc[-1]), charted["value"].iloc[-1]), xytext=(style.pt(6), 0),
                        textcoords="offset points", va="center", fontsize=style.pt(12), fontweight="bold", color=style.text_shade(colour))
    ax.invert_yaxis()
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color=style.GRID)
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, len(ranks) // (3 if style.on_phone() else 7))))
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda value, _: format_day(mdates.num2date(value), lang).rsplit(NBSP, 1)[0]))
    # Room for the names right of the lines' ends: a tenth of the axes, or on a phone (a third of the
    # web's width) as much as the longest name takes.
    left, right = ax.get_xlim()
    share = 0.1
    if style.on_phone():
        names = max(len(app) for app in drawn["series"].unique()) * style.pt(12) * 0.65 + style.pt(8)
        share = names / (ax.get_position().width * ax.figure.get_figwidth() * 72 - names)
    ax.set_xlim(right=right + (right - left) * share)


CHART = Chart("grok-rank-history", load, marks_of, texts, draw, available=available)
