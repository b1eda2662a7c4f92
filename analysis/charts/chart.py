"""What a chart module declares, and the table of marks every chart draws from.

A chart's *marks* are one row per thing drawn (a bar, a dot, a tile, a label): what series it
belongs to, where it sits (``category``), its ``value``, the ``label`` printed on it (exactly
as drawn), and the ``status`` and ``source`` of the value. The drawing reads only the marks and
the texts, the renderer writes the marks beside the images as the readers' CSV, and the tests
check the marks against the ledger and the series: what a reader downloads is what was drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.charts.style import Texts

MARK_COLUMNS = ["series", "category", "value", "label", "status", "source"]


def marks(rows: list[dict]) -> pd.DataFrame:
    """The marks table from one dict per mark (missing ``label``: nothing printed on it)."""
    frame = pd.DataFrame(rows, columns=MARK_COLUMNS)
    frame["value"] = frame["value"].astype(float)
    frame["label"] = frame["label"].fillna("")
    for column in ("series", "category", "status", "source"):
        frame[column] = frame[column].astype(str)
    return frame


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
