"""The App Store top-5 free apps as The Washington Post showed it, Grok highlighted."""

from __future__ import annotations

from matplotlib.patches import Rectangle

from analysis import claims
from analysis.charts import style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_month
from analysis.series import grok

APP = "Grok"
CLAIM = "grok-app-store-top5"


def load() -> dict:
    return {"chart": grok.reported_top_chart(), "claim": claims.claim(CLAIM)}


def marks_of(data: dict, lang: str):
    return marks([{"series": "rank", "category": row.name, "value": row.rank, "label": str(row.rank),
                   "evidence": row.evidence, "source": f"{row.shown_by}, relayed by {row.relayed_by}"}
                  for row in data["chart"].itertuples()])


def texts(data: dict, drawn, lang: str) -> Texts:
    rank = data["claim"].published_text(lang)  # the rank drawn for Grok: a test holds them equal
    names = ", ".join(f"{r.label} {r.category}" for r in drawn.itertuples())
    period, = data["chart"]["period"].unique()  # one screenshot, one month
    month = format_month(period, lang)
    if lang == "fr":
        return Texts(
            title=f"Grok, {rank}ᵉ application gratuite de l’App Store selon le Washington Post",
            subtitle=f"Classement des applications gratuites de l’App Store d’Apple en {month}, tel que "
                     "montré par le Washington Post (jour et pays non précisés)",
            notes="Capture d’écran publiée par le Washington Post, reprise par Next.ink. Apple ne "
                  "publie pas d’historique de ses classements.",
            source=f"Source{NBSP}: Apple App Store, capture du Washington Post",
            badge="rapporté par le Washington Post",
            alt=f"Les cinq premières applications gratuites de l’App Store en {month} selon le Washington "
                f"Post{NBSP}: {names}.")
    return Texts(
        title=f"Grok was the App Store's no. {rank} free app, according to The Washington Post",
        subtitle=f"Apple App Store top free apps in {month}, as shown by The Washington Post (day and "
                 "storefront not stated)",
        notes="Screenshot published by The Washington Post, relayed by Next.ink. Apple publishes "
              "no history of its charts.",
        source="Source: Apple App Store, screenshot by The Washington Post",
        badge="reported by The Washington Post",
        alt=f"The five top free apps of the App Store in {month} according to The Washington Post: {names}.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    ax.set_axis_off()
    ax.set_ylim(len(drawn) + 0.5, 0.3)
    ax.set_xlim(0, 10)
    for mark in drawn.itertuples():
        mine, rank = mark.category == APP, mark.value
        ax.add_patch(Rectangle((0.2, rank - 0.42), 6.2, 0.84, facecolor=style.ACCENT if mine else style.PANEL,
                               edgecolor="none"))
        colour = style.ink_on(style.ACCENT) if mine else style.INK  # type that reads on its row
        ax.text(0.55, rank, mark.label, va="center", ha="center", fontsize=style.pt(20), fontweight="bold", color=colour)
        ax.text(1.1, rank, mark.category, va="center", fontsize=style.pt(18), fontweight="bold" if mine else "normal",
                color=colour)


CHART = Chart("grok-app-store-top5", load, marks_of, texts, draw)
