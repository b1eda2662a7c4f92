"""The Paris prosecutor's −81.4 % (X's reports concerning France, June → October 2025), as reported."""

from __future__ import annotations

from analysis import changes, claims
from analysis.charts import style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_month, format_number

CLAIM = "x-france-reports-drop"


def load() -> dict:
    return {"claim": claims.claim(CLAIM)}


def marks_of(data: dict, lang: str):
    claim = data["claim"]
    after = changes.apply_change(100, claim.published)
    return marks([
        {"series": "index", "category": format_month(claim.period_start, lang), "value": 100.0,
         "label": format_number(100, lang), "status": claim.expected, "source": claim.said_by},
        {"series": "index", "category": format_month(claim.period_end, lang), "value": after,
         "label": format_number(after, lang, 1), "status": claim.expected, "source": claim.said_by},
        {"series": "change", "category": format_month(claim.period_end, lang), "value": claim.published,
         "label": claim.published_text(lang), "status": claim.expected, "source": claim.said_by}])


def texts(data: dict, drawn, lang: str) -> Texts:
    index = drawn[drawn["series"] == "index"]
    start, end = index["category"]
    after = index["label"].iloc[1]
    change = drawn.loc[drawn["series"] == "change", "label"].item()
    if lang == "fr":
        return Texts(
            title=f"Signalements de X concernant la France{NBSP}: {change} de {start} à {end}, "
                  "selon le parquet",
            subtitle=f"Signalements adressés par X au NCMEC concernant la France, indice {start} = 100",
            notes=f"Chiffre rapporté par le parquet de Paris (via Le Monde), invérifiable avec des "
                  f"données publiques{NBSP}: le NCMEC ne publie pas de chiffres par plateforme et par "
                  "pays, ni par mois.",
            source=f"Source{NBSP}: parquet de Paris, cité par Le Monde et Next.ink",
            alt=f"Deux barres{NBSP}: indice 100 en {start}, {after} en {end}, soit {change} selon le "
                "parquet de Paris (non vérifiable).")
    return Texts(
        title=f"X's reports concerning France: {change} from {start} to {end}, says the Paris prosecutor",
        subtitle=f"Reports sent by X to NCMEC concerning France, index {start} = 100",
        notes="Figure reported by the Paris prosecutor (via Le Monde); public data cannot check it: "
              "NCMEC publishes no figures by platform and country, nor by month.",
        source="Source: Paris prosecutor, quoted by Le Monde and Next.ink",
        alt=f"Two bars: index 100 in {start} and {after} in {end}, a change of {change} according "
            "to the Paris prosecutor (not verifiable).")


def draw(ax, drawn, data: dict, lang: str) -> None:
    index = drawn[drawn["series"] == "index"]
    ax.bar([0, 1], index["value"], color=[style.MUTED, style.REPORTED], width=0.55)
    for i, bar in enumerate(index.itertuples()):
        ax.text(i, bar.value + 2, bar.label, ha="center", va="bottom", fontsize=16, fontweight="bold")
    change = drawn[drawn["series"] == "change"].iloc[0]
    ax.annotate(change["label"], xy=(1, index["value"].iloc[1] + 14), xytext=(0.5, 88), ha="center",
                fontsize=18, fontweight="bold", color=style.ACCENT,
                arrowprops={"arrowstyle": "->", "color": style.ACCENT, "lw": 2})
    ax.set_xticks([0, 1], list(index["category"]))
    ax.set_yticks([])
    ax.set_ylim(0, 118)
    ax.set_xlim(-0.7, 2.4)
    ax.spines[["left"]].set_visible(False)
    style.reported_badge(ax, {"fr": "rapporté par le parquet de Paris",
                              "en": "reported by the Paris prosecutor"}[lang])


CHART = Chart("france-reports-drop", load, marks_of, texts, draw)
