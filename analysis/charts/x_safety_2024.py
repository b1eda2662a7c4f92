"""X Safety's four figures for 2024 as tiles, each badged with its status in the ledger
(:func:`analysis.evidence.status`: what the check found and what it rests on)."""

from __future__ import annotations

from matplotlib.patches import FancyBboxPatch

from analysis import claims, evidence
from analysis.charts import provenance, style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_day, format_number, format_period
from analysis.sources import x

TILES = (  # (measure, claim id, {lang: (label for one, label for several)})
    ("reports_to_ncmec", "x-ncmec-reports-2024",
     {"fr": ("signalement au NCMEC", "signalements au NCMEC"), "en": ("report to NCMEC", "reports to NCMEC")}),
    ("accounts_suspended", "x-accounts-suspended-2024",
     {"fr": ("compte suspendu", "comptes suspendus"), "en": ("account suspended", "accounts suspended")}),
    ("arrests", "ncmec-arrests-2024", {"fr": ("arrestation", "arrestations"), "en": ("arrest", "arrests")}),
    ("convictions", "ncmec-convictions-2024",
     {"fr": ("condamnation", "condamnations"), "en": ("conviction", "convictions")}),
)
# Where NCMEC's own count comes from, for the note under the tiles.
NCMEC_SOURCE = {evidence.TRANSCRIPTION: {"fr": "transcription tierce de son rapport",
                                       "en": "third-party transcription of its report"},
                evidence.PRIMARY: {"fr": "son rapport", "en": "its report"}}
CHECKED = (evidence.MATCHES, evidence.CONTRADICTED)  # what data could check, whatever it rests on
CHECKABLE = {"fr": {0: "aucun vérifiable", 1: "dont un seul vérifiable"},
             "en": {0: "none of which we can check", 1: "and the one we can check"}}


def load() -> dict:
    # Each tile's claim says the verdict and evidence its check must find: the build draws nothing
    # unless the check found them, so the badges need no computation of their own.
    quoted = {tile[1]: claims.claim(tile[1]) for tile in TILES}
    return {"statement": x.safety_statement_2025().set_index("measure"), "claims": quoted}


def marks_of(data: dict, lang: str):
    rows = []
    for measure, claim_id, labels in TILES:
        row, claim = data["statement"].loc[measure], data["claims"][claim_id]
        one, several = labels[lang]
        rows.append({"series": one if row["value"] == 1 else several,
                     "category": format_period(row["period_start"], row["period_end"], lang),
                     "value": row["value"], "label": format_number(int(row["value"]), lang),
                     "evidence": claim.evidence, "verdict": claim.expected, "source": f"{row['said_by']}, {row['reported_by']}"})
    return marks(rows)


def texts(data: dict, drawn, lang: str) -> Texts:
    s = data["statement"]
    said_on = format_day(s["said_on"].iloc[0], lang)
    reports = drawn["label"].iloc[0]
    reported_by = s["reported_by"].iloc[0]
    year = s.loc[TILES[0][0], "period_end"].year
    first = data["claims"][TILES[0][1]]
    badge = first.status(lang)
    ncmec = NCMEC_SOURCE[first.evidence][lang]
    credit = provenance.ncmec_credit({year: first.evidence}, lang)
    checked = sum(claim.expected in CHECKED for claim in data["claims"].values())
    checkable = CHECKABLE[lang].get(checked) or (f"dont {checked} vérifiables" if lang == "fr"
                                                  else f"and the {checked} we can check")
    if lang == "fr":
        return Texts(
            title=f"Les chiffres de X pour {year}, {checkable}",
            subtitle=f"Chiffres publiés par X Safety le {said_on}, repris par {reported_by}",
            notes=f"Le NCMEC attribue aussi {reports} signalements à X en {year} ({ncmec}). Les suspensions, "
                  "arrestations et condamnations ne sont publiées que par X.",
            source=f"Source{NBSP}: X Safety (@Safety), cité par {reported_by}{NBSP}; {credit}",
            alt=f"Quatre chiffres de X pour {year}{NBSP}: {reports} signalements au NCMEC ({badge}), et "
                "des suspensions, arrestations et condamnations que seul X rapporte.")
    return Texts(
        title=f"X's figures for {year}, {checkable}",
        subtitle=f"Figures posted by X Safety on {said_on}, as quoted by {reported_by}",
        notes=f"NCMEC also credits X with {reports} reports in {year} ({ncmec}). Suspensions, arrests and "
              "convictions are published by X alone.",
        source=f"Source: X Safety (@Safety), quoted by {reported_by}; {credit}",
        alt=f"Four figures X gave for {year}: {reports} reports to NCMEC ({badge}), and suspensions, "
            "arrests and convictions that only X reports.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    # A row of four tiles; two rows of two on a phone, the figure's width a third of the web's.
    columns = 2 if style.on_phone() else len(drawn)
    rows = -(-len(drawn) // columns)
    ax.set_axis_off()
    ax.set_xlim(0, columns)
    ax.set_ylim(0, rows)
    phone = style.on_phone()
    number, series, period, badge = (0.82, 0.6, 0.41, 0.17) if phone else (0.66, 0.46, 0.34, 0.15)  # heights in a tile
    for i, (tile, claim_tile) in enumerate(zip(drawn.itertuples(), TILES)):
        claim = data["claims"][claim_tile[1]]
        x, y = i % columns, rows - 1 - i // columns
        ax.add_patch(FancyBboxPatch((x + 0.06, y + 0.05), 0.88, 0.9, boxstyle="round,pad=0,rounding_size=0.04",
                                    facecolor=style.PANEL, edgecolor="none"))
        ax.text(x + 0.5, y + number, tile.label, ha="center", va="center", fontsize=style.pt(20 if phone else 27),
                fontweight="bold", color=style.text_shade(style.ACCENT, style.PANEL))
        ax.text(x + 0.5, y + series, style.wrap_to(tile.series, 14 if phone else 18), ha="center", va="center", fontsize=style.pt(14))
        ax.text(x + 0.5, y + period, tile.category, ha="center", va="center", fontsize=style.pt(12), color=style.SUBTLE)
        ax.text(x + 0.5, y + badge, style.wrap_to(claim.status(lang), 17 if phone else 24), ha="center",
                va="center", **style.badge_style(style.pt(11), style.CHECKED if claim.expected in CHECKED else style.REPORTED))


CHART = Chart("x-safety-2024", load, marks_of, texts, draw)
