"""The detection timeline, checked against the claims ledger, for charts and notebooks.

An event that names a ledger claim must cite the same source URL as the claim, or none where the
claim's was not recorded: the timeline takes its sources from the ledger, never the other way round.

>>> events(since="2025-06-18")["event"].tolist()
['x-safety-statement', 'x-hash-matching', 'dsa-schema-change']
"""

from __future__ import annotations

import pandas as pd

from analysis import claims, datapackage
from analysis.errors import DataError
from analysis.sources import timeline


def events(since=None, until=None) -> pd.DataFrame:
    """Events starting on or after ``since`` and on or before ``until`` (dates), by start date.

    Columns as :func:`analysis.sources.timeline.read_timeline`.
    """
    table = timeline.detection_timeline()
    for index, row in table.iterrows():
        if isinstance(row["ledger_claim"], str):
            try:
                claim = claims.claim(row["ledger_claim"])
            except DataError as error:
                raise DataError(f"event {row['event']!r}: {error.message}", path=datapackage.read(timeline.RESOURCE),
                                row=int(index) + 2, column="ledger_claim") from None
            url = row["source_url"] if isinstance(row["source_url"], str) else None  # empty: not recorded
            if claim.source_url != url:
                raise DataError(f"event {row['event']!r} cites {claims.source_text(url)} but its ledger claim "
                                f"{claim.id!r} cites {claims.source_text(claim.source_url)}",
                                path=datapackage.read(timeline.RESOURCE), row=int(index) + 2, column="source_url")
    if since is not None:
        table = table[table["start"] >= pd.Timestamp(since)]
    if until is not None:
        table = table[table["start"] <= pd.Timestamp(until)]
    return table.sort_values(["start", "end"], kind="stable", ignore_index=True)
