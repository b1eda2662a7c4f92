"""The detection timeline (``data/reference/detection-timeline.csv``): dated events around X's
detection of child sexual abuse material, each with who said it, a source URL (empty where it was
not recorded) and the evidence it
rests on (:mod:`analysis.evidence`: ``primary`` where a primary document records it, ``reported``
where only someone said it, ``unsourced`` for a transcription without source). A date is written at the
precision known: "2025-06-18" (day), "2025-06" (month), "2025" (year); an event over a span also
has ``date_end``. Parsed dates cover the whole period: "2025-06" runs from 1 to 30 June.

>>> events = read_timeline(datapackage.read(RESOURCE)).set_index("event")
>>> [day.strftime("%Y-%m-%d") for day in events.loc["thorn-contract-ended", ["start", "end"]]]
['2025-06-01', '2025-06-30']
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis import datapackage, evidence
from analysis.errors import DataError
from analysis.validate import check, once_per_content, read_csv

RESOURCE = "detection-timeline"
PATTERNS = {"day": r"^\d{4}-\d{2}-\d{2}$", "month": r"^\d{4}-\d{2}$", "year": r"^\d{4}$"}
PERIODS = {"day": "D", "month": "M", "year": "Y"}

_SCHEMA = pa.DataFrameSchema(
    {"event": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9-]+$"), unique=True),
     "date_start": pa.Column(str), "date_end": pa.Column(str, nullable=True),
     "precision": pa.Column(str, pa.Check.isin(list(PATTERNS))),
     "label_en": pa.Column(str), "label_fr": pa.Column(str), "said_by": pa.Column(str),
     "source_url": pa.Column(str, pa.Check.str_matches(r"^https?://"), nullable=True),  # empty: not recorded
     "evidence": pa.Column(str, pa.Check.isin(list(evidence.EVIDENCE))),
     "ledger_claim": pa.Column(str, nullable=True), "note": pa.Column(str, nullable=True)},
    strict=True, ordered=True)


@once_per_content
def read_timeline(path) -> pd.DataFrame:
    """The events, checked, with ``start`` and ``end`` (timestamps covering the stated period)."""
    frame = check(read_csv(path), _SCHEMA, path=path, row_of=lambda i: int(i) + 2)
    starts, ends = [], []
    for index, row in frame.iterrows():
        for column in ("date_start", "date_end"):
            value = row[column]
            if isinstance(value, str) and not pd.Series([value]).str.match(PATTERNS[row["precision"]]).item():
                raise DataError(f"{value!r} is not a date at {row['precision']} precision", path=path,
                                row=int(index) + 2, column=column)
        period = PERIODS[row["precision"]]
        start = pd.Period(row["date_start"], freq=period)
        end = pd.Period(row["date_end"], freq=period) if isinstance(row["date_end"], str) else start
        if end < start:
            raise DataError(f"ends ({row['date_end']}) before it starts ({row['date_start']})", path=path,
                            row=int(index) + 2, column="date_end")
        starts.append(start.start_time)
        ends.append(end.end_time.normalize())
    return frame.assign(start=starts, end=ends)


def detection_timeline() -> pd.DataFrame:
    """See :func:`read_timeline`."""
    return read_timeline(datapackage.read(RESOURCE))
