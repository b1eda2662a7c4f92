"""What a chart module declares, and the table of marks every chart draws from.

A chart's *marks* are one row per thing drawn (a bar, a dot, a tile, a label): what series it
belongs to, where it sits (``category``), its ``value``, the ``label`` printed on it (exactly
as drawn), the ``evidence`` the value rests on (:mod:`analysis.evidence`), the ``verdict`` of its
check where the mark draws a ledger claim (empty otherwise), and its ``source``. The drawing reads
only the marks and the texts, the renderer writes the marks beside the images as the readers' CSV
(:func:`readers_table`: with the status readers see), and the tests check the marks against the
ledger and the series: what a reader downloads is what was drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis import evidence
from analysis.charts.style import Texts

MARK_COLUMNS = ["series", "category", "value", "label", "evidence", "verdict", "source"]
READERS_COLUMNS = ["series", "category", "value", "label", "status", "evidence", "source"]


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


def readers_table(drawn: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The marks as readers download them: each with its status and evidence in their language."""
    return drawn.assign(status=[status(mark, lang) for mark in drawn.itertuples()],
                        evidence=[evidence.DESCRIPTION[grade][lang] for grade in drawn["evidence"]])[READERS_COLUMNS]


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
