"""X's monthly series on minors, extended day by day from our own ingest after the summary ends.

shantay's summary statistics (:mod:`analysis.series.dsa`) stop on their last release day
(:data:`analysis.dsa.summary.LAST_DAY`). Days the desk ingested afterwards from the Commission's
daily dumps (``dsa fetch --ingest``, into ``data/dsa/``) carry the series on. Each day keeps its
provenance: the summary's, or our ingest's with the dump's name and SHA-1. Both routes date a
statement by the database's release day (:mod:`analysis.dsa.stats`), so their days are the same
days; where both hold a day they must agree (:func:`check_agreement`), or nothing is built.

Coverage travels with every count: a month's ``days_in_database`` are the release days held from
either route, a day neither holds is missing (never a zero), and a month is complete only when
every calendar day is held and the platform filed on each.

With no day ingested, :func:`minors_by_month` is exactly :func:`analysis.series.dsa.minors_by_month`
plus ``source = "summary"``. Synthetic days are counted (tests and notebooks use them, with
evidence ``synthetic``) and recorded (:func:`record_ingest`), so that the chart build refuses to
publish anything drawn from them (:func:`analysis.charts.build.refuse_synthetic`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis import datapackage, evidence, paths, tracking
from analysis.dsa import schema, stats, summary
from analysis.errors import DataError
from analysis.series import dsa

SUMMARY = "summary"  # a day of shantay's summary statistics
INGEST = "ingest"  # a day of our own ingest of the Commission's dump
DAY_COLUMNS = ["day", "platform", "statements", "filed", "source", "dump", "sha1", "evidence"]
LISTING = "dsa-ingest"  # the key under which a computation records the ingested days it read
SYNTHETIC_MARK = "synthetic"


def _ingest_folder(data: str | Path | None) -> Path:
    return Path(paths.DSA if data is None else data)


def ingest_listing(data: str | Path | None = None) -> list[str]:
    """The ingested days of ``data`` as one line each, ``DAY SHA1 DUMP`` (``synthetic`` appended for
    a synthetic day): what a chart drawn from them depends on."""
    from analysis.dsa import query

    days = query.ingested_days(_ingest_folder(data))
    return [f"{row.day} {row.sha1 or 'no-sha1'} {row.source}" + (f" {SYNTHETIC_MARK}" if row.synthetic else "")
            for row in days.itertuples()]


def listing_key(data: str | Path | None = None) -> str:
    return json.dumps({LISTING: str(_ingest_folder(data))})


def record_ingest(data: str | Path | None = None) -> list[str]:
    """Note the ingested days read (:func:`ingest_listing`) in the active recordings: a chart's
    fingerprint then changes when a day is ingested, and the build sees synthetic days."""
    listing = ingest_listing(data)
    tracking.record("listings", listing_key(data), listing)
    return listing


datapackage.answer_listings(LISTING, ingest_listing)


def synthetic_days(listing: list[str]) -> list[str]:
    """The days of an :func:`ingest_listing` that are synthetic."""
    return [line.split()[0] for line in listing if line.endswith(f" {SYNTHETIC_MARK}")]


def summary_days(platform: str = "X") -> pd.DataFrame:
    """The platform's statements on minors per release day of the summary (:data:`DAY_COLUMNS`;
    ``statements`` missing on a day it filed nothing at all)."""
    table = stats.from_summary(platform, schema.MINORS, "day")
    return _days(table, SUMMARY, None, None, dsa.EVIDENCE)


def ingested_days(data: str | Path | None = None, platform: str = "X") -> pd.DataFrame:
    """The same per day ingested into ``data`` (default ``data/dsa/``), each with its dump's name
    and SHA-1; evidence ``primary`` (the Commission's own dump, read by our code) or ``synthetic``.
    No day ingested: an empty table."""
    from analysis.dsa import query

    folder = _ingest_folder(data)
    held = query.ingested_days(folder)
    if held.empty:
        return pd.DataFrame(columns=DAY_COLUMNS)
    table = stats.from_dumps(folder, platform, schema.MINORS, "day")
    held = held.set_index("day")
    frame = _days(table, INGEST, held["source"], held["sha1"], evidence.PRIMARY)
    frame.loc[held["synthetic"].reindex(frame["day"]).to_numpy(), "evidence"] = evidence.SYNTHETIC
    return frame


def _days(table: pd.DataFrame, source: str, dumps, sha1s, grade: str) -> pd.DataFrame:
    frame = pd.DataFrame({"day": table["period"], "platform": table["platform"],
                          "statements": table["statements"], "filed": table["days_with_statements"] > 0})
    frame["source"] = source
    frame["dump"] = None if dumps is None else dumps.reindex(frame["day"]).to_numpy()
    frame["sha1"] = None if sha1s is None else sha1s.reindex(frame["day"]).to_numpy()
    frame["evidence"] = grade
    return frame[DAY_COLUMNS]


def check_agreement(from_summary: pd.DataFrame, from_ingest: pd.DataFrame) -> int:
    """Every day both hold must have the same count (and the platform filing, or not, on both):
    otherwise a :class:`DataError` naming each day and both counts. Returns the days compared."""
    both = from_summary.merge(from_ingest, on="day", suffixes=("_summary", "_ingest"))
    differ = both[(both["filed_summary"] != both["filed_ingest"])
                  | (both["statements_summary"].fillna(-1) != both["statements_ingest"].fillna(-1))]
    if not differ.empty:
        def count(value) -> str:
            return "nothing filed" if pd.isna(value) else str(int(value))
        listed = "; ".join(f"{row.day}: summary {count(row.statements_summary)}, our ingest "
                           f"{count(row.statements_ingest)} ({row.dump_ingest})" for row in differ.itertuples())
        raise DataError(f"the summary and our ingest disagree on {len(differ)} of the {len(both)} days both hold "
                        f"(statements on protection of minors): {listed}", path=summary.raw_path())
    return len(both)


def extended_days(platform: str = "X", data: str | Path | None = None,
                  from_summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per release day held (:data:`DAY_COLUMNS`): the summary's days, then the days of our
    ingest after its last one. Overlapping days are checked first (:func:`check_agreement`).
    ``from_summary`` replaces the summary's days (tests)."""
    from_summary = summary_days(platform) if from_summary is None else from_summary
    from_ingest = ingested_days(data, platform)
    if from_ingest.empty:
        return from_summary.reset_index(drop=True)
    check_agreement(from_summary, from_ingest)
    later = from_ingest[from_ingest["day"] > from_summary["day"].max()]
    return pd.concat([from_summary, later], ignore_index=True)


def by_month(days: pd.DataFrame) -> pd.DataFrame:
    """Per-day rows (:data:`DAY_COLUMNS`) as a monthly table: the columns of
    :func:`analysis.series.dsa.minors_by_month`, ``evidence`` the weakest of the month's days,
    and ``source``: ``summary``, ``ingest`` or ``summary+ingest``."""
    frame = days.assign(period=days["day"].str[:7])
    rows = []
    for period, month in frame.groupby("period", sort=True):
        filed = int(month["filed"].sum())
        statements = month.loc[month["filed"], "statements"].sum() if filed else pd.NA
        calendar = pd.Period(period, "M").days_in_month
        sources = [name for name in (SUMMARY, INGEST) if name in set(month["source"])]
        rows.append({"period": period, "platform": month["platform"].iloc[0], "category": schema.MINORS,
                     "statements": statements, "days_with_statements": filed, "days_in_database": len(month),
                     "daily_mean": float(statements) / filed if filed else float("nan"),
                     "complete": len(month) == calendar and filed == len(month),
                     "evidence": evidence.weakest(*month["evidence"].unique()), "source": "+".join(sources)})
    table = pd.DataFrame(rows, columns=[*stats.COLUMNS, "evidence", "source"])
    return table.astype({"statements": "Int64", "days_with_statements": "int64", "days_in_database": "int64",
                         "daily_mean": float, "complete": bool})


def ingested_statements(data: str | Path | None = None, platform: str = "X") -> pd.DataFrame:
    """The platform's statements of every category per day ingested into ``data`` (the days each
    day's ``_ingest.json`` records, 0 on a day it filed nothing), with the day's evidence:
    ``day, statements, evidence``. No day ingested: an empty table."""
    from analysis.dsa import query

    folder = _ingest_folder(data)
    held = query.ingested_days(folder)
    if held.empty:
        return pd.DataFrame(columns=["day", "statements", "evidence"])
    per_day = stats.from_dumps(folder, platform, None, "day").groupby("period")["statements"].sum()  # over categories
    held = held.set_index("day")
    return pd.DataFrame({
        "day": held.index,
        "statements": per_day.reindex(held.index).fillna(0).astype("int64").to_numpy(),
        "evidence": [evidence.SYNTHETIC if synthetic else evidence.PRIMARY for synthetic in held["synthetic"]]})


def filing_gaps(platform: str = "X", data: str | Path | None = None) -> pd.DataFrame:
    """The platform's filing gaps (:func:`analysis.series.dsa.filing_gaps`) over every release day
    held: the summary's, then the days of our ingest after its last one, counted from the ingest's
    own records, so that a gap after the summary ends is found too. ``evidence``: the weakest of
    the gap's days. With no day ingested, exactly the summary's gaps."""
    if not record_ingest(data):
        return dsa.filing_gaps(platform)
    summary_counts = dsa.filing_days(platform)
    ours = ingested_statements(data, platform)
    ours = ours.assign(day=pd.to_datetime(ours["day"])).set_index("day")
    later = ours[ours.index > summary_counts.index.max()]
    counts = pd.concat([summary_counts, later["statements"]])
    grades = pd.concat([pd.Series(dsa.EVIDENCE, index=summary_counts.index), later["evidence"]])
    # Against the summary's median: days ingested later never move the summary's own gaps.
    gaps = dsa.gaps_in(counts, reference=summary_counts)
    gaps["evidence"] = [evidence.weakest(*grades[gap.start:gap.end].unique()) for gap in gaps.itertuples()]
    return gaps


def minors_by_month(platform: str = "X", data: str | Path | None = None) -> pd.DataFrame:
    """The platform's monthly series on minors, extended by our ingest (``data``, default
    ``data/dsa/``) after the summary ends, with ``source`` per month. With no ingested day, the
    summary's own table (:func:`analysis.series.dsa.minors_by_month`) with ``source = "summary"``:
    nothing published changes until a day is ingested."""
    listing = record_ingest(data)
    if not listing:
        return dsa.minors_by_month(platform).assign(source=SUMMARY)
    return by_month(extended_days(platform, data))
