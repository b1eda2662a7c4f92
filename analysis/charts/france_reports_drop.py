"""The Paris prosecutor's −81.4 % as a quote card: one reported number, who said it, what it
covers, what public data can and cannot check, and where the EU record is (the DSA chart,
x-minors-dsa). One number is not drawn as bars: there is no June level and no October level to
draw, only a change someone reported.
"""

from __future__ import annotations

from analysis import claims
from analysis.charts import style, x_minors_dsa
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_month, french_de

CLAIM = "x-france-reports-drop"
WHO = {"fr": "le parquet de Paris", "en": "the Paris prosecutor"}
RELAYED = {"fr": "cité par Le Monde, puis Next.ink", "en": "quoted by Le Monde, then Next.ink"}


def load() -> dict:
    return {"claim": claims.claim(CLAIM)}


def _period(claim: claims.Claim, lang: str) -> tuple[str, str]:
    return format_month(claim.period_start, lang), format_month(claim.period_end, lang)


def marks_of(data: dict, lang: str):
    claim = data["claim"]
    start, end = _period(claim, lang)
    covers = {"fr": f"signalements de X au NCMEC concernant la France, {start} → {end}",
              "en": f"X's reports to NCMEC concerning France, {start} → {end}"}[lang]
    return marks([{"series": "reported change", "category": covers, "value": claim.published,
                   "label": claim.published_text(lang), "evidence": claim.evidence, "verdict": claim.expected,
                   "source": f"{claim.said_by} ({claim.relayed_by})"}])


def _card(lang: str, covers: str) -> list[tuple[str, str]]:
    """The card's headings and lines under the number."""
    if lang == "fr":
        return [("Qui l’a dit", f"Le parquet de Paris, {RELAYED['fr']}"),
                ("Ce que le chiffre couvre", covers[0].upper() + covers[1:]),
                ("Ce que l’on peut vérifier", "Rien avec des données publiques\u00a0: les plus proches (NCMEC, "
                 "X et France ensemble) sont des semestres de 2024, arrondis."),
                ("Pour l’UE", f"Le graphique « {x_minors_dsa.TITLE['fr']} » montre les décisions de X déposées "
                 "dans la base de transparence du DSA, dans les mêmes mois. Une autre mesure (décisions dans "
                 "l’UE, pas des signalements au NCMEC), qui ne confirme ni ne réfute ce chiffre.")]
    return [("Who said it", f"The Paris prosecutor, {RELAYED['en']}"),
            ("What it covers", covers),
            ("What we can check", "Nothing in public data: the nearest, NCMEC's figures for X and "
             "France together, are rounded half-years of 2024."),
            ("For the EU", f"The chart “{x_minors_dsa.TITLE['en']}” shows X's decisions filed in the DSA "
             "Transparency Database, in the same months. Another measure (EU-wide decisions, not reports to "
             "NCMEC), which neither confirms nor refutes this figure.")]


def texts(data: dict, drawn, lang: str) -> Texts:
    claim = data["claim"]
    change = drawn["label"].item()
    start, end = _period(claim, lang)
    if lang == "fr":
        return Texts(
            title=f"Signalements de X concernant la France{NBSP}: {change} {french_de(start)} à {end}, "
                  "selon le parquet de Paris",
            subtitle="Un chiffre rapporté, que les données publiques ne permettent pas de vérifier",
            badge=f"rapporté par {WHO['fr']}",
            source=f"Source{NBSP}: parquet de Paris, cité par Le Monde et Next.ink",
            alt=f"Fiche citation{NBSP}: {change}, baisse des signalements adressés par X au NCMEC "
                f"concernant la France {french_de(start)} à {end}, selon le parquet de Paris. Chiffre "
                "rapporté, non vérifiable avec des données publiques.")
    return Texts(
        title=f"X's reports concerning France: {change} from {start} to {end}, says the Paris prosecutor",
        subtitle="A reported figure that public data cannot check",
        badge=f"reported by {WHO['en']}",
        source="Source: Paris prosecutor, quoted by Le Monde and Next.ink",
        alt=f"Quote card: {change}, the fall in X's reports to NCMEC concerning France from {start} "
            f"to {end}, according to the Paris prosecutor. A reported figure, not verifiable with "
            "public data.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    mark = drawn.iloc[0]
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    # The number on the left and the card beside it, evenly spaced; on a phone, the card under the
    # number, each block following the one above it as tall as its lines.
    phone = style.on_phone()
    point = 1 / (ax.get_position().height * ax.figure.get_figheight() * 72)  # a point, in the axes' height
    number, said = style.pt(34 if phone else 64), style.pt(15)
    number_y, said_y = (1 - number * 0.6 * point, 1 - (number * 1.25 + said * 0.6) * point) if phone else (0.62, 0.3)
    ax.text(0.0, number_y, mark["label"], ha="left", va="center", fontsize=number, fontweight="bold",
            color=style.text_shade(style.ACCENT))
    ax.text(0.0, said_y, {"fr": "selon le parquet de Paris", "en": "according to the Paris prosecutor"}[lang],
            ha="left", va="center", fontsize=said, color=style.INK)
    lines = _card(lang, mark["category"])
    heading_size, line_size = style.pt(12), style.pt(11.5)
    card_x, y, wrap = (0.0, said_y - said * 1.6 * point, 46) if phone else (0.44, 1, 62)
    for heading, line in lines:
        ax.text(card_x, y, heading, ha="left", va="top", fontsize=heading_size, fontweight="bold", color=style.INK)
        wrapped = style.wrap_to(line, wrap)
        ax.text(card_x, y - (heading_size * 1.3 * point if phone else 0.3 / len(lines)), wrapped, ha="left",
                va="top", fontsize=line_size, color=style.SUBTLE)
        y -= (heading_size * 1.3 + line_size * 1.2 * (wrapped.count("\n") + 1) + 5) * point if phone else 1 / len(lines)


CHART = Chart("france-reports-drop", load, marks_of, texts, draw)
