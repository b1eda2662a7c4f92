"""France's CyberTipline reports per year (NCMEC's table by country), and beside it (under it on a
phone, where the years are horizontal bars), in a panel of its own off the axis, the prosecutor's −81.4 %: a change over months, about one provider only,
reported two years past the end of the only official series."""

from __future__ import annotations

from analysis import claims
from analysis.charts import style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_number, format_percent, format_period
from analysis.series import france, timeline

CLAIMS = {"prosecutor": "x-france-reports-drop", "overseas": "france-overseas-reports-2023",
          "growth": "france-ncmec-reports-2023-vs-2019", "share": "france-share-of-all-reports-2023"}
WINDOW_EVENT = "prosecutor-window"
WHO = {"fr": "le parquet de Paris", "en": "the Paris prosecutor"}
MULTIPLES = {2: ("doubled", "doublé"), 3: ("tripled", "triplé"), 4: ("quadrupled", "quadruplé"),
             5: ("quintupled", "quintuplé")}
NOT_HELD = {"en": "table by country\nnot held by us", "fr": "tableau par pays\nque nous ne\ndétenons pas"}
PANEL_HEADING = {"en": "Another measure", "fr": "Une autre mesure"}
PANEL_SHARE = 0.26  # of the chart's width, for the prosecutor's panel (a gap included)


def load() -> dict:
    return {"years": france.reports_by_year(), "window": timeline.events().set_index("event").loc[WINDOW_EVENT],
            **{key: claims.claim(i) for key, i in CLAIMS.items()}}


def marks_of(data: dict, lang: str):
    rows = [{"series": "France", "category": str(row.year), "value": row.reports,
             "label": format_number(row.reports, lang), "evidence": row.evidence,
             "source": f"NCMEC, CyberTipline Reports by Country {row.year}"} for row in data["years"].itertuples()]
    claim, window = data["prosecutor"], data["window"]
    period = format_period(window["start"], window["end"], lang)
    words = {"en": f"{period}:\n{claim.published_text(lang)}\nX's reports only,\nsays the prosecutor",
             "fr": f"{period}{NBSP}:\n{claim.published_text(lang)}\nsignalements de X seuls,\nselon le parquet"}
    rows.append({"series": "reported", "category": period, "value": claim.published, "label": words[lang],
                 "evidence": claim.evidence, "verdict": claim.expected, "source": claim.said_by})
    return marks(rows)


def texts(data: dict, drawn, lang: str) -> Texts:
    years = data["years"]
    first, last = int(years["year"].min()), int(years["year"].max())
    bars = drawn[drawn["series"] == "France"].set_index("category")["label"]
    growth, share = data["growth"].published_text(lang), data["share"].published_text(lang)
    overseas = data["overseas"].published_text(lang)
    fall = format_percent(abs(data["prosecutor"].published), lang, data["prosecutor"].decimals, signed=False)
    ratio = int(years["reports"].iloc[-1] // years["reports"].iloc[0])  # whole multiples reached
    en, fr = MULTIPLES.get(ratio, (f"grew {ratio}-fold", f"été multipliés par {ratio}"))
    more = ratio * years["reports"].iloc[0] < years["reports"].iloc[-1]
    if lang == "fr":
        return Texts(
            title=f"Les signalements concernant la France ont {'plus que ' if more else ''}{fr} de {first} à {last}",
            subtitle=f"Signalements à la CyberTipline du NCMEC attribués à la France, toutes plateformes et "
                     f"public confondus, par an ({growth} de {first} à {last})",
            notes=f"Le tableau par pays ne dit ni la plateforme ni le mois. Outre-mer listé à part{NBSP}: "
                  f"{overseas} signalements en {last} (Réunion, Mayotte…). France = {share} du total mondial en "
                  f"{last}. Nous ne détenons pas de tableau par pays pour {last + 1}–{last + 2}.",
            badge=f"encadré{NBSP}: chiffre rapporté par {WHO['fr']}",
            source=f"Source{NBSP}: NCMEC, CyberTipline Reports by Country {first}–{last}{NBSP}; parquet de Paris, "
                   "cité par Le Monde et Next.ink",
            alt=f"Histogramme des signalements attribués à la France{NBSP}: {bars[str(first)]} en {first}, "
                f"{bars[str(last)]} en {last}. À part, hors de l'axe, la baisse de {fall} citée par le parquet, "
                "qui ne concerne que X.")
    return Texts(
        title=f"Reports concerning France {'more than ' if more else ''}{en} from {first} to {last}",
        subtitle=f"CyberTipline reports NCMEC attributes to France, all platforms and the public, per year "
                 f"({growth} from {first} to {last})",
        notes=f"The table by country gives neither platform nor month. Overseas departments and territories are "
              f"listed apart: "
              f"{overseas} reports in {last} (Réunion, Mayotte…). France = {share} of the world total in "
              f"{last}. We hold no table by country for {last + 1}–{last + 2}.",
        badge=f"boxed figure: reported by {WHO['en']}",
        source=f"Source: NCMEC, CyberTipline Reports by Country {first}–{last}; Paris prosecutor, quoted by "
               "Le Monde and Next.ink",
        alt=f"Bar chart of reports attributed to France: {bars[str(first)]} in {first}, {bars[str(last)]} in "
            f"{last}. Set apart, off the axis, the {fall} fall quoted by the prosecutor, which concerns X only.")


def _side_panel(ax, event, lang: str) -> None:
    """The prosecutor's figure in a panel of its own right of the bars (under them on a phone), set
    apart by a rule: a change over months about X alone, never a bar of the yearly all-platform axis."""
    box = ax.get_position()
    if style.on_phone():
        share = 0.3  # of the chart's height: the box's four lines
        ax.set_position((box.x0, box.y0 + box.height * share, box.width, box.height * (1 - share)))
        panel = ax.figure.add_axes((box.x0, box.y0, box.width, box.height * share * 0.85))
        rule, heading, label = panel.axhline, (0.0, 0.9), (0.45, 0.45)
    else:
        ax.set_position((box.x0, box.y0, box.width * (1 - PANEL_SHARE), box.height))
        panel = ax.figure.add_axes((box.x0 + box.width * (1 - PANEL_SHARE * 0.8), box.y0,
                                    box.width * PANEL_SHARE * 0.8, box.height))
        rule, heading, label = panel.axvline, (0.1, 0.9), (0.1, 0.55)
    panel.set_axis_off()
    panel.set_xlim(0, 1)
    panel.set_ylim(0, 1)
    rule(1 if style.on_phone() else 0, color=style.GRID, linewidth=style.pt(1))
    panel.text(*heading, PANEL_HEADING[lang], ha="left", va="top", fontsize=style.pt(11), fontweight="bold",
               color=style.SUBTLE)
    panel.text(*label, event["label"], ha="left", va="center", multialignment="center", fontsize=style.pt(11),
               color=style.INK, bbox={"boxstyle": "round,pad=0.5", "facecolor": "white",
                                      "edgecolor": style.COLOURS["reported"], "linewidth": style.pt(1.5)})


def draw(ax, drawn, data: dict, lang: str) -> None:
    _side_panel(ax, drawn[drawn["series"] == "reported"].iloc[0], lang)
    bars = drawn[drawn["series"] == "France"]
    years = bars["category"].astype(int).tolist()
    gap = years[-1] + 1
    # Columns of years; on a phone, rows (seven columns' labels would not fit its width).
    rows = style.on_phone()
    for year, bar in zip(years, bars.itertuples()):
        if rows:
            ax.barh(year, bar.value, height=style.bar_height(0.66), **style.mark_style(style.COLOURS["France"], bar.evidence, bar.Index))
            ax.annotate(bar.label, (bar.value, year), xytext=(style.pt(4), 0), textcoords="offset points",
                        ha="left", va="center", fontsize=style.pt(12), fontweight="bold")
        else:
            ax.bar(year, bar.value, width=0.66, **style.mark_style(style.COLOURS["France"], bar.evidence, bar.Index))
            ax.text(year, bar.value, bar.label, ha="center", va="bottom", fontsize=style.pt(12), fontweight="bold")
    ticks = years + [gap, gap + 1], [str(y) for y in years] + [str(gap), str(gap + 1)]
    if rows:
        ax.axhspan(gap - 0.5, gap + 1.5, color=style.PANEL, zorder=0)
        ax.text(bars["value"].max() * 0.25, gap + 0.5, NOT_HELD[lang].replace("\n", " "), ha="left", va="center",
                fontsize=style.pt(style.SMALLEST), color=style.SUBTLE)
        ax.set_ylim(gap + 1.6, years[0] - 0.9)
        style.name_bars(ax, *ticks, [False] * len(ticks[0]), style.pt(12))
        ax.set_xticks([])
        ax.spines[["bottom", "left"]].set_visible(False)
        ax.set_xlim(0, bars["value"].max() * 1.3)
        return
    ax.axvspan(gap - 0.5, gap + 1.5, color=style.PANEL, zorder=0)
    ax.text(gap + 0.5, bars["value"].max() * 0.04, NOT_HELD[lang], ha="center", va="bottom",
            fontsize=style.pt(style.SMALLEST), color=style.SUBTLE)
    ax.set_xticks(*ticks)
    ax.set_yticks([])
    ax.spines[["left"]].set_visible(False)
    ax.set_xlim(years[0] - 0.6, gap + 1.6)
    ax.margins(y=0.12)


CHART = Chart("france-ncmec-reports", load, marks_of, texts, draw)
