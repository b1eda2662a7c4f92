"""App Store rankings: snapshots our collector stored, and the top-5 the press reported.

Collected snapshots (``python -m analysis fetch apple-charts``) become one rank history;
:func:`rank_of` answers "where was Grok on that day", :func:`compare` follows Grok, ChatGPT and
Gemini over time. The reported January 2026 top-5 stays apart, with its source: it is not ours.

>>> reported_top_chart().loc[lambda f: f["name"] == "Grok", "rank"].item()
4
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from analysis import datapackage, evidence
from analysis.errors import DataError
from analysis.validate import check, once_per_content, read_csv

REPORTED_RESOURCE = "wapo-app-store-top5-2026-01"

_REPORTED_SCHEMA = pa.DataFrameSchema(
    {"period": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
     "country": pa.Column(str, nullable=True), "chart": pa.Column(str, pa.Check.isin(["top-free", "top-paid"])),
     "rank": pa.Column(int, pa.Check.ge(1)), "name": pa.Column(str), "shown_by": pa.Column(str),
     "relayed_by": pa.Column(str), "relayed_on": pa.Column("datetime64[ns]")},
    unique=["period", "chart", "rank"], strict=True, ordered=True, coerce=True)


@once_per_content
def read_reported_top_chart(path) -> pd.DataFrame:
    """A top chart as the press showed it; every row is ``reported-only``."""
    return check(read_csv(path), _REPORTED_SCHEMA, path=path, row_of=lambda i: int(i) + 2).assign(evidence=evidence.REPORTED)


def reported_top_chart() -> pd.DataFrame:
    """The App Store top-5 free apps of January 2026 as shown by The Washington Post."""
    return read_reported_top_chart(datapackage.read(REPORTED_RESOURCE))


SNAPSHOT_KIND = "apple-chart-snapshot"
SNAPSHOT_SCHEMA = pa.DataFrameSchema(
    {"retrieved_at": pa.Column("datetime64[ns, UTC]"), "feed_updated": pa.Column("datetime64[ns, UTC]"),
     "country": pa.Column(str, pa.Check.str_matches(r"^[a-z]{2}$")),
     "chart": pa.Column(str, pa.Check.isin(["top-free", "top-paid"])),
     "rank": pa.Column(int, pa.Check.in_range(1, 200)), "app_id": pa.Column(str),
     "name": pa.Column(str), "artist": pa.Column(str)},
    unique=["retrieved_at", "country", "chart", "rank"], strict=True, ordered=True, coerce=True)


def rank_history() -> pd.DataFrame:
    """Every collected snapshot in one table: ``date, retrieved_at, country, chart, app_id, name,
    rank``, oldest first. Empty (with those columns) when no snapshot has been collected yet."""
    frames = []
    for name in datapackage.select(kind=SNAPSHOT_KIND):
        path = datapackage.read(name)
        frames.append(check(read_csv(path), SNAPSHOT_SCHEMA, path=path, row_of=lambda i: int(i) + 2))
    columns = ["date", "retrieved_at", "country", "chart", "app_id", "name", "rank"]
    if not frames:
        return pd.DataFrame(columns=columns)
    history = pd.concat(frames, ignore_index=True)
    history["date"] = history["retrieved_at"].dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    return history[columns].sort_values(["retrieved_at", "country", "chart", "rank"], ignore_index=True)


def _matches(history: pd.DataFrame, app: str) -> pd.Series:
    """Rows of ``app``: its App Store id, or its name as a whole word ("Gemini" finds "Google Gemini")."""
    by_id = history["app_id"] == str(app)
    if by_id.any():
        return by_id
    return history["name"].str.contains(rf"(?<!\w){re.escape(app)}(?!\w)", case=False, regex=True)


def rank_of(app: str, date, country: str, chart: str = "top-free", history: pd.DataFrame | None = None):
    """``app``'s rank on ``date`` (its last snapshot that day), or ``None`` if it was not charted.

    Raises :class:`DataError` when no snapshot exists for that day and storefront, and when the
    name matches several apps (pass the app id then).
    """
    history = rank_history() if history is None else history
    day = history[(history["date"] == pd.Timestamp(date)) & (history["country"] == country.lower())
                  & (history["chart"] == chart)]
    if day.empty:
        raise DataError(f"no {chart} snapshot for storefront {country} on {pd.Timestamp(date).date()}")
    day = day[day["retrieved_at"] == day["retrieved_at"].max()]
    found = day[_matches(day, app)]
    if found["app_id"].nunique() > 1:
        raise DataError(f"{app!r} matches several apps: {sorted(found['name'].unique())}; pass an app id")
    return None if found.empty else int(found["rank"].iloc[0])


COMPARED_APPS = ("Grok", "ChatGPT", "Gemini")


def compare(apps=COMPARED_APPS, country: str = "us", chart: str = "top-free",
            history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Daily rank of each app (columns) in one storefront and chart; missing when not charted."""
    history = rank_history() if history is None else history
    scope = history[(history["country"] == country.lower()) & (history["chart"] == chart)]
    latest = scope[scope["retrieved_at"] == scope.groupby("date")["retrieved_at"].transform("max")]
    table = pd.DataFrame(index=pd.DatetimeIndex(sorted(latest["date"].unique()), name="date"))
    for app in apps:
        rows = latest[_matches(latest, app)]
        table[app] = rows.set_index("date")["rank"].reindex(table.index).astype("Int64")
    return table
