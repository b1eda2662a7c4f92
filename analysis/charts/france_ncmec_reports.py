"""France's CyberTipline reports per year (NCMEC's table by country), and where the prosecutor's
−81.4 % would sit: two years past the end of the only official series, about one provider only."""

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
                  f"{last}. Aucun tableau par pays détenu pour {last + 1}–{last + 2}.",
            badge=f"encadré{NBSP}: chiffre rapporté par {WHO['fr']}",
            source=f"Source{NBSP}: NCMEC, CyberTipline Reports by Country {first}–{last}{NBSP}; parquet de Paris, "
                   "cité par Le Monde et Next.ink",
            alt=f"Histogramme des signalements attribués à la France{NBSP}: {bars[str(first)]} en {first}, "
                f"{bars[str(last)]} en {last}. À droite, la baisse de {fall} citée par le parquet, "
                "qui ne concerne que X.")
    return Texts(
        title=f"Reports concerning France {'more than ' if more else ''}{en} from {first} to {last}",
        subtitle=f"CyberTipline reports NCMEC attributes to France, all platforms and the public, per year "
                 f"({growth} from {first} to {last})",
        notes=f"The table by country gives neither platform nor month. Overseas departments and territories are "
              f"listed apart: "
              f"{overseas} reports in {last} (Réunion, Mayotte…). France = {share} of the world total in "
              f"{last}. No table by country held for {last + 1}–{last + 2}.",
        badge=f"boxed figure: reported by {WHO['en']}",
        source=f"Source: NCMEC, CyberTipline Reports by Country {first}–{last}; Paris prosecutor, quoted by "
               "Le Monde and Next.ink",
        alt=f"Bar chart of reports attributed to France: {bars[str(first)]} in {first}, {bars[str(last)]} in "
            f"{last}. On the right, the {fall} fall quoted by the prosecutor, which concerns X only.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    bars = drawn[drawn["series"] == "France"]
    years = bars["category"].astype(int).tolist()
    for year, bar in zip(years, bars.itertuples()):
        ax.bar(year, bar.value, width=0.66, **style.mark_style(style.COLOURS["France"], bar.evidence, bar.Index))
        ax.text(year, bar.value, bar.label, ha="center", va="bottom", fontsize=style.pt(12), fontweight="bold")
    gap = years[-1] + 1
    ax.axvspan(gap - 0.5, gap + 1.5, color=style.PANEL, zorder=0)
    ax.text(gap + 0.5, bars["value"].max() * 0.04, {"en": "no table\nby country", "fr": "pas de tableau\npar pays"}[lang],
            ha="center", va="bottom", fontsize=style.pt(10.5), color=style.SUBTLE)
    event = drawn[drawn["series"] == "reported"].iloc[0]
    # Inside the panel's right edge, its padding included: centred on the year, it spilled past the axis.
    ax.text(gap + 1.4, bars["value"].max() * 0.55, event["label"], ha="right", va="center", multialignment="center",
            fontsize=style.pt(11), color=style.INK, bbox={"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": style.COLOURS["reported"],
                                   "linewidth": style.pt(1.5)})
    ax.set_xticks(years + [gap, gap + 1], [str(y) for y in years] + [str(gap), str(gap + 1)])
    ax.set_yticks([])
    ax.spines[["left"]].set_visible(False)
    ax.set_xlim(years[0] - 0.6, gap + 1.6)
    ax.margins(y=0.12)


CHART = Chart("france-ncmec-reports", load, marks_of, texts, draw)
