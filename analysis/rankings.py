"""App Store rankings: snapshots our collector stored, and the top-5 the press reported.

>>> reported_top_chart().loc[lambda f: f["name"] == "Grok", "rank"].item()
4
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis import datapackage
from analysis.errors import DataError
from analysis.validate import check

REPORTED_RESOURCE = "wapo-app-store-top5-2026-01"

_REPORTED_SCHEMA = pa.DataFrameSchema(
    {"period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
     "country": pa.Column(str, nullable=True), "chart": pa.Column(str, pa.Check.isin(["top-free", "top-paid"])),
     "rank": pa.Column(int, pa.Check.ge(1)), "name": pa.Column(str), "shown_by": pa.Column(str),
     "relayed_by": pa.Column(str), "relayed_on": pa.Column("datetime64[ns]")},
    unique=["period", "chart", "rank"], strict=True, ordered=True, coerce=True)


def read_reported_top_chart(path) -> pd.DataFrame:
    """A top chart as the press showed it; every row is ``reported-only``."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise DataError("file not found", path=path) from None
    return check(raw, _REPORTED_SCHEMA, path=path, row_of=lambda i: int(i) + 2).assign(status="reported-only")


def reported_top_chart() -> pd.DataFrame:
    """The App Store top-5 free apps of January 2026 as shown by The Washington Post."""
    return read_reported_top_chart(datapackage.verified_path(REPORTED_RESOURCE))
