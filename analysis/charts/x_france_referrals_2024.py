"""X's reports concerning France that NCMEC classed as referrals, first and second half of 2024, from
NCMEC's Global Platform for Child Exploitation Policy: two rounded bars, where each can lie, the
change between them with its bounds, and each value's grade written on it.

The only public figures crossing X with France; the notes say what they are not (all reports,
exact, 2025) and that they cannot check the Paris prosecutor's −81.4 %.
"""

from __future__ import annotations

from analysis import claims
from analysis.charts import style
from analysis.charts.chart import Chart, marks, status
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_percent
from analysis.series import france_referrals

HALVES = {"2024 H1": "x-france-referrals-2024-h1", "2024 H2": "x-france-referrals-2024-h2"}
CLAIMS = {"change_claim": "x-france-referrals-2024-h1-vs-h2", "prosecutor": "x-france-reports-drop",
          "total": "gpcep-france-reports-total-2024"}
HALF = {"fr": {"2024 H1": "1er semestre 2024", "2024 H2": "2e semestre 2024"},
        "en": {"2024 H1": "H1 2024", "2024 H2": "H2 2024"}}
SOURCE = "NCMEC, Global Platform for Child Exploitation Policy, as captured by R. Grimm (diaphanous)"
ROUNDING = "data desk: where the rounded figure can lie, half a unit of its last non-zero digit either side"
TITLE = {"fr": "Les signalements de X concernant la France classés « referrals » par le NCMEC, 2024",
         "en": "X's reports concerning France that NCMEC classed as referrals, 2024"}


def load() -> dict:
    return {"halves": france_referrals.company_referrals(), "change": france_referrals.company_referrals_change(),
            **{period: claims.claim(claim_id) for period, claim_id in HALVES.items()},
            **{key: claims.claim(claim_id) for key, claim_id in CLAIMS.items()}}


def _bounds(data: dict, lang: str) -> tuple[str, str]:
    """The lowest and highest change the rounded figures allow, to the whole percent."""
    change = data["change"]
    return format_percent(change["low_pct"], lang, decimals=0), format_percent(change["high_pct"], lang, decimals=0)


def marks_of(data: dict, lang: str):
    rows = []
    for row in data["halves"].itertuples():
        claim = data[row.period]
        rows.append({"series": "referrals", "category": HALF[lang][row.period], "value": row.referrals,
                     "label": claim.published_text(lang), "evidence": row.evidence, "verdict": claim.expected,
                     "source": SOURCE})
        for series, value in (("rounding: lowest", row.low), ("rounding: highest", row.high)):  # the whiskers
            rows.append({"series": series, "category": HALF[lang][row.period], "value": value,
                         "evidence": row.evidence, "source": ROUNDING})
    change, claim = data["change"], data["change_claim"]
    rows.append({"series": "change", "category": f"{HALF[lang]['2024 H1']} → {HALF[lang]['2024 H2']}",
                 "value": change["change_pct"], "label": claim.published_text(lang), "evidence": change["evidence"],
                 "verdict": claim.expected, "source": SOURCE})
    return marks(rows)


def texts(data: dict, drawn, lang: str) -> Texts:
    bars = drawn[drawn["series"] == "referrals"]
    first, second = bars["label"].tolist()
    change = drawn.loc[drawn["series"] == "change", "label"].item()
    low, high = _bounds(data, lang)
    prosecutor, total = data["prosecutor"].published_text(lang), data["total"].published_text(lang)
    if lang == "fr":
        return Texts(
            title=TITLE["fr"],
            subtitle=f"Environ {first} au 1er semestre, {second} au 2e{NBSP}: chiffres arrondis de la Global Platform "
                     "for Child Exploitation Policy du NCMEC, par semestre",
            notes=f"Chiffres arrondis par le NCMEC{NBSP}: les traits montrent où chacun peut se trouver, d'où une évolution "
                  f"comprise entre {low} et {high}. «\u00a0Referrals\u00a0» seulement, sans les signalements que le NCMEC "
                  f"classe comme informatifs. 2024, pas 2025{NBSP}: ces chiffres ne vérifient pas le {prosecutor} du "
                  f"parquet de Paris (juin → octobre 2025), mais ce sont les plus proches qui soient publics. Le total 2024 "
                  f"que la plateforme donne pour la France ({total}) est le chiffre 2023 du NCMEC à l'unité près{NBSP}: "
                  f"il n'est pas utilisé. Hachuré{NBSP}: chiffres relevés par un tiers sur la plateforme du NCMEC.",
            source=f"Source{NBSP}: NCMEC, Global Platform for Child Exploitation Policy (données 2024 relevées par "
                   "R. Grimm, diaphanous)",
            alt=f"Deux barres{NBSP}: environ {first} signalements de X concernant la France classés «\u00a0referrals\u00a0» "
                f"par le NCMEC au 1er semestre 2024, environ {second} au 2e semestre, soit {change} (entre {low} et {high} "
                "compte tenu des arrondis). Chiffres arrondis, transcrits par un tiers.")
    return Texts(
        title=TITLE["en"],
        subtitle=f"About {first} in the first half, {second} in the second: rounded figures from NCMEC's Global "
                 "Platform for Child Exploitation Policy, per half-year",
        notes=f"Figures rounded by NCMEC: the whiskers show where each can lie, so the change lies between {low} and "
              f"{high}. Referrals only, without the reports NCMEC classes as informational. 2024, not 2025: these "
              f"figures do not check the Paris prosecutor's {prosecutor} (June → October 2025), but they are the "
              f"nearest public ones. The 2024 total the platform gives for France ({total}) is NCMEC's 2023 figure to "
              "the unit: it is not used. Hatched: figures captured by a third party from NCMEC's platform.",
        source="Source: NCMEC, Global Platform for Child Exploitation Policy (2024 data captured by R. Grimm, "
               "diaphanous)",
        alt=f"Two bars: about {first} of X's reports concerning France classed as referrals by NCMEC in H1 2024, "
            f"about {second} in H2 2024, a change of {change} (between {low} and {high} given the rounding). "
            "Rounded figures, transcribed by a third party.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    bars = drawn[drawn["series"] == "referrals"]  # indexed by their row in the marks
    lows = drawn.loc[drawn["series"] == "rounding: lowest", "value"].tolist()
    highs = drawn.loc[drawn["series"] == "rounding: highest", "value"].tolist()
    top = max(highs)
    phone = style.on_phone()
    for x, (mark, low, high) in enumerate(zip(bars.itertuples(), lows, highs)):
        ax.bar(x, mark.value, width=0.5, **style.mark_style(style.ACCENT, mark.evidence, mark.Index))
        ax.vlines(x, low, high, color=style.INK, linewidth=style.pt(1.5))  # where the rounded figure can lie
        ax.hlines([low, high], x - 0.06, x + 0.06, color=style.INK, linewidth=style.pt(1.5))
        ax.annotate(mark.label, (x, high), xytext=(0, style.pt(5)), textcoords="offset points", ha="center",
                    va="bottom", fontsize=style.pt(16), fontweight="bold", color=style.INK)
        # each value's grade, written on its bar
        ax.text(x, mark.value * 0.45, style.wrap_to(status(mark, lang), 16 if phone else 26), ha="center", va="center",
                **style.badge_style(style.pt(style.SMALLEST), style.ACCENT))  # a badge: legible over the hatching
    change = drawn[drawn["series"] == "change"].iloc[0]
    low, high = _bounds(data, lang)
    # Between the bars; on a phone, where they stand closer, above them.
    arrow, said, bounds = (1.42, 1.48, 1.38) if phone else (0.86, 0.93, 0.8)
    ax.annotate("", xy=(0.7, top * arrow), xytext=(0.3, top * arrow),
                arrowprops={"arrowstyle": "->", "color": style.SUBTLE, "linewidth": style.pt(1.2)})
    ax.text(0.5, top * said, change["label"], ha="center", va="bottom", fontsize=style.pt(15), fontweight="bold",
            color=style.text_shade(style.ACCENT))
    ax.text(0.5, top * bounds, {"fr": f"entre {low} et {high}\ncompte tenu des arrondis",
                                "en": f"between {low} and {high}\ngiven the rounding"}[lang],
            ha="center", va="top", fontsize=style.pt(style.SMALLEST), color=style.SUBTLE)
    ax.set_xticks(range(len(bars)), bars["category"].tolist())
    ax.tick_params(axis="x", length=0, labelsize=style.pt(12.5), labelcolor=style.INK)
    ax.set_yticks([])
    ax.spines[["left"]].set_visible(False)
    ax.set_xlim(-0.55, 1.55)
    ax.set_ylim(0, top * (1.62 if phone else 1.22))


CHART = Chart("x-france-referrals-2024", load, marks_of, texts, draw)
