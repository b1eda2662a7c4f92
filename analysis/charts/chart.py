"""What a chart module declares, and the table of marks every chart draws from.

A chart's *marks* are one row per thing drawn (a bar, a dot, a tile, a label): what series it
belongs to, where it sits (``category``), its ``value``, the ``label`` printed on it (exactly
as drawn), the ``evidence`` the value rests on (:mod:`analysis.evidence`), the ``verdict`` of its
check where the mark draws a ledger claim (empty otherwise), and its ``source``. The drawing reads
only the marks and the texts, the renderer writes the marks beside the images as the readers' CSV
(:func:`readers_table`: with the status readers see), and the tests check the marks against the
ledger and the series: what a reader downloads is what was drawn.

A mark's ``series`` and ``source`` are the code's English words (the drawing selects marks by
series); a French reader's CSV says them in French (:func:`in_french`), names and document titles
unchanged, under French headings (:data:`READERS_HEADINGS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import evidence
from analysis.charts.style import PHONE_CHART_PT, Texts
from analysis.formatting import format_day, house_typography

MARK_COLUMNS = ["series", "category", "value", "label", "evidence", "verdict", "source"]
READERS_COLUMNS = ["series", "category", "value", "label", "status", "evidence", "source"]
# The readers' CSV header in each language: the same columns in the same order, headed in the
# reader's words (the gallery's French calls ``evidence`` the "fondement" of a value).
READERS_HEADINGS = {
    "en": {column: column for column in READERS_COLUMNS},
    "fr": {"series": "série", "category": "catégorie", "value": "valeur", "label": "libellé", "status": "statut",
           "evidence": "fondement", "source": "source"},
}

# The English words of the marks' series and sources, in French. Whole words or phrases, the longest
# first; names (NCMEC, X Safety, The Washington Post…), document titles (CyberTipline Reports by ESP,
# Twitter Transparency Center) and URLs are not translated. A test builds every chart and fails on
# an English series or source left in a French CSV: a new one needs its line here.
FRENCH = {
    # series
    "reported change": "évolution rapportée", "reported": "rapporté", "rank": "rang", "company": "entreprise",
    "meta": "Meta", "others": "toutes sauf Meta", "share": "part", "incomplete month": "mois incomplet",
    "daily mean": "moyenne quotidienne", "schema change": "changement de schéma",
    "filing gap": "interruption des déclarations", "per 100 suspended": "pour 100 comptes suspendus",
    "implied": "calculé (année moins 1ᵉʳ semestre)", "event": "événement", "NCMEC row": "ligne du NCMEC",
    "x_share_pct": "part de X (ensemble des plateformes)", "x_share_of_others_pct": "part de X (hors Meta)",
    "change": "évolution", "referrals": "« referrals »", "rounding: highest": "arrondi : au plus haut",
    "rounding: lowest": "arrondi : au plus bas", "Twitter: CSE suspensions": "Twitter : suspensions pour exploitation sexuelle",
    "X: child-safety figures": "X : chiffres « sécurité des enfants »",
    # sources
    "Paris prosecutor": "parquet de Paris", "then": "puis", "App Store screenshot": "capture d'écran de l'App Store",
    "relayed by": "relayé par", "as transcribed by": "transcrit par", "European Commission": "Commission européenne",
    "DSA Transparency Database": "base de transparence du DSA", "statistics computed by": "statistiques calculées par",
    "X transparency report": "rapport de transparence de X", "Thorn's spokesperson, to": "porte-parole de Thorn, à",
    "U.S. Congress": "Congrès des États-Unis", "as captured by": "relevé par",
    "data desk: where the rounded figure can lie, half a unit of its last non-zero digit either side":
        "cellule data : où le chiffre arrondi peut se trouver, une demi-unité de son dernier chiffre non nul de part et d'autre",
    # what a source's figure rests on, in brackets, as analysis.evidence says it
    **{f"({grade})": f"({words['fr']})" for grade, words in evidence.DESCRIPTION.items()},
    f"({evidence.REPORTED_ONLY})": f"({evidence.status(evidence.REPORTED_ONLY, evidence.REPORTED, 'fr')})",
}
_PHRASES = re.compile("|".join(rf"(?<!\w){re.escape(english)}(?!\w)"
                               for english in sorted(FRENCH, key=len, reverse=True)))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_ENGLISH_DAY = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b")  # "18 June 2025"


def marks(rows: list[dict]) -> pd.DataFrame:
    """The marks table from one dict per mark (missing ``label``: nothing printed on it; missing
    ``verdict``: the mark draws no checked claim). An unknown evidence or verdict word is refused."""
    frame = pd.DataFrame(rows, columns=MARK_COLUMNS)
    frame["value"] = frame["value"].astype(float)
    frame[["label", "verdict"]] = frame[["label", "verdict"]].fillna("")
    for column in ("series", "category", "evidence", "verdict", "source"):
        frame[column] = frame[column].astype(str)
    for number, mark in enumerate(frame.itertuples(), start=1):
        evidence.check_evidence(mark.evidence, f"mark {number} ({mark.series}, {mark.category})")
        if mark.verdict:
            evidence.status(mark.verdict, mark.evidence)  # refuses an unknown verdict, or one the grade cannot reach
    return frame


def status(mark, lang: str) -> str:
    """What readers are told a mark rests on: the claim's status where it draws one, else its evidence."""
    return evidence.status(mark.verdict, mark.evidence, lang) if mark.verdict else evidence.DESCRIPTION[mark.evidence][lang]


def in_french(text: str) -> str:
    """A mark's series or source in French: the phrases of :data:`FRENCH`, and days as French
    writes them ("18 June 2025" → "18 juin 2025").

    >>> in_french("Paris prosecutor (Le Monde, then Next.ink)")
    'parquet de Paris (Le Monde, puis Next.ink)'
    """
    text = _PHRASES.sub(lambda found: FRENCH[found.group()], text)
    return _ENGLISH_DAY.sub(lambda day: format_day(f"{day[3]}-{MONTHS.index(day[2]) + 1:02d}-{int(day[1]):02d}", "fr"),
                            text)


def _words(text: str, lang: str) -> str:
    """A series or source as a reader of ``lang`` reads it, in the house typography."""
    return house_typography(in_french(text) if lang == "fr" else text, lang)


def readers_table(drawn: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The marks as readers download them: each with its status and evidence in their language, its
    series and source in their language's words, under the headings of :data:`READERS_HEADINGS`."""
    table = drawn.assign(status=[status(mark, lang) for mark in drawn.itertuples()],
                         evidence=[evidence.DESCRIPTION[grade][lang] for grade in drawn["evidence"]],
                         series=[_words(text, lang) for text in drawn["series"]],
                         source=[_words(text, lang) for text in drawn["source"]])
    return table[READERS_COLUMNS].rename(columns=READERS_HEADINGS[lang])


def always() -> bool:
    return True


@dataclass(frozen=True)
class Chart:
    """One publication chart; see :mod:`analysis.charts`."""

    id: str
    load: Callable[[], Any]  # the chart's data, from the series layer
    marks: Callable[[Any, str], pd.DataFrame]  # (data, lang) → what is drawn, see MARK_COLUMNS
    texts: Callable[[Any, pd.DataFrame, str], Texts]  # (data, marks, lang) → words around it
    draw: Callable[[Any, pd.DataFrame, Any, str], None]  # (ax, marks, data, lang)
    available: Callable[[], bool] = always  # False: no data yet, the build skips the chart
    phone_chart_pt: float = PHONE_CHART_PT  # the least height of the chart itself on a phone, in points
