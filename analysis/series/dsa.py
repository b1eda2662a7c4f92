"""X in the EU DSA Transparency Database's published summary statistics, month by month.

The ledger's measures, notebook 03 and the ``x-minors-dsa`` chart take their DSA numbers from
here. Every row is EU-wide statements of reasons (content-moderation decisions filed in the EU),
not NCMEC reports, dated by the database's release day; evidence ``third-party-statistics``
(shantay, R. Grimm, computed the statistics from the Commission's database). Coverage travels
with every count (:mod:`analysis.dsa.stats`): a month with missing days is never compared.

>>> june = complete_month(minors_by_month("X"), "2025-06")
>>> int(june["statements"]), int(june["days_with_statements"]), round(float(june["daily_mean"]), 1)
(15612, 30, 520.4)
>>> int(complete_month(statements_by_month("X"), "2025-06")["statements"])
77330
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis import datapackage, evidence
from analysis.dsa import schema, stats, summary
from analysis.errors import DataError, UsageError

EVIDENCE = evidence.THIRD_PARTY_STATISTICS
SCHEMA_CHANGE = summary.SCHEMA_CHANGE
# A filing gap: at least a week of release days on each of which the platform filed fewer than a
# tenth of its median day's statements ("almost nothing": X's summer 2025 has at most 161 a day,
# its median day thousands).
GAP_SHARE_OF_MEDIAN = 0.1
GAP_MIN_DAYS = 7


def _with_evidence(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(evidence=EVIDENCE)


@datapackage.memoized
def minors_by_month(platform: str = "X") -> pd.DataFrame:
    """The platform's statements on protection of minors per month, with coverage
    (columns of :data:`analysis.dsa.stats.COLUMNS` and ``evidence``)."""
    return _with_evidence(stats.from_summary(platform, schema.MINORS, "month"))


@datapackage.memoized
def statements_by_month(platform: str = "X") -> pd.DataFrame:
    """The platform's statements of every category together per month, with coverage (the columns
    of :func:`minors_by_month`, ``category`` empty): the context of a change in one category.
    Each statement has one category, so the categories' counts add up to the statements filed."""
    table = stats.from_summary(platform, None, "month")
    coverage = ["period", "platform", "days_with_statements", "days_in_database", "complete"]
    months = table.groupby(coverage, as_index=False)["statements"].sum(min_count=1)
    months["category"] = ""
    months["daily_mean"] = (months["statements"] / months["days_with_statements"].where(
        months["days_with_statements"] > 0)).astype(float)
    return _with_evidence(months[stats.COLUMNS])


def complete_month(table: pd.DataFrame, month: str) -> pd.Series:
    """The row of ``month`` (``YYYY-MM``) of a monthly table; a clear error if the month is not in
    the file or is incomplete (its mean would not be comparable)."""
    rows = table[table["period"] == month]
    if rows.empty:
        raise DataError(f"no release of the database in {month}", path=summary.raw_path())
    row = rows.iloc[0]
    if not row["complete"]:
        raise DataError(f"{month} is incomplete ({row['days_with_statements']} days with statements, "
                        f"{row['days_in_database']} days in the database): its mean is not comparable",
                        path=summary.raw_path())
    return row


def chart_window(table: pd.DataFrame) -> pd.DataFrame:
    """The months from the first one in which the platform filed to the last complete one."""
    filed = table.loc[table["days_with_statements"] > 0, "period"]
    complete = table.loc[table["complete"], "period"]
    if filed.empty or complete.empty:
        raise DataError("the platform has no complete month in the file", path=summary.raw_path())
    return table[(table["period"] >= filed.min()) & (table["period"] <= complete.max())].reset_index(drop=True)


@datapackage.memoized
def filing_gaps(platform: str = "X") -> pd.DataFrame:
    """Runs of at least :data:`GAP_MIN_DAYS` release days, after the platform's first filing, on
    each of which it filed fewer than :data:`GAP_SHARE_OF_MEDIAN` of its median day's statements
    (no statement at all counts).

    Columns: ``start, end`` (release days, inclusive), ``release_days``, ``days_with_statements``,
    ``statements`` (all categories), ``evidence``.
    """
    return _with_evidence(gaps_in(filing_days(platform)))


def filing_days(platform: str = "X") -> pd.Series:
    """The platform's statements (all categories) per release day of the summary, from its first
    day of filing on: 0 on a release day it filed nothing."""
    days = pd.to_datetime(pd.Series(summary.release_days(), name="day"))
    filed = summary.daily(platform, "rows").set_index("day")["statements"]
    return filed.reindex(days[days >= filed.index.min()], fill_value=0)


def gaps_in(counts: pd.Series, reference: pd.Series | None = None) -> pd.DataFrame:
    """The filing gaps of ``counts``, a platform's statements per release day held (a timestamp
    index, in order; 0 on a day it filed nothing), measured against the median day of filing of
    ``reference`` (default: ``counts``): ``start, end, release_days, days_with_statements,
    statements``. A day not held ends a run."""
    reference = counts if reference is None else reference
    low = counts < GAP_SHARE_OF_MEDIAN * reference[reference > 0].median()
    consecutive = counts.index.to_series().diff() == pd.Timedelta(days=1)
    run = ((low != low.shift()) | ~consecutive).cumsum()
    rows = []
    for _, part in counts[low].groupby(run[low]):
        if len(part) >= GAP_MIN_DAYS:
            rows.append((part.index.min(), part.index.max(), len(part), int((part > 0).sum()), int(part.sum())))
    return pd.DataFrame(rows, columns=["start", "end", "release_days", "days_with_statements", "statements"])


@datapackage.memoized
def automated_detection_by_month(platform: str = "X") -> pd.DataFrame:
    """Per month: the platform's statements, those flagged ``automated_detection = Yes``, their
    share in percent, and the days with statements (months without any statement: no row)."""
    frame = summary.automated_detection_monthly(platform)
    for column in ("statements", "automatically_detected", "days_with_statements"):
        frame[column] = frame[column].astype("int64")
    frame["automated_detection_pct"] = 100.0 * frame["automatically_detected"] / frame["statements"]
    return _with_evidence(frame)


def automated_detection_between(platform: str = "X", first: str | None = None,
                                last: str | None = None) -> tuple[int, int]:
    """``(statements, automatically_detected)`` of the platform between release days ``first`` and
    ``last`` (``YYYY-MM-DD``, inclusive; default: the whole file); an error if it filed none."""
    summary.check_name("platform", platform, summary.platforms())
    first_day = dt.date.fromisoformat(first) if first else summary.FIRST_DAY
    last_day = dt.date.fromisoformat(last) if last else summary.last_day()
    if first_day > last_day:
        raise UsageError(f"first day {first_day} is after last day {last_day}")
    statements, detected = summary.automated_detection_between(platform, first_day, last_day)
    if not statements:
        raise DataError(f"{platform} filed no statements between {first_day} and {last_day}",
                        path=summary.raw_path())
    return int(statements), int(detected)


@datapackage.memoized
def csam_keyword_by_month(platform: str = "X") -> pd.DataFrame:
    """The platform's statements carrying the keyword ``KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL`` per
    month, with coverage, until the schema change of 1 July 2025 (after it the keywords were
    redefined: the series does not continue)."""
    table = stats.from_summary(platform, summary.CSAM, "month", field="category_specification")
    return _with_evidence(table[table["period"] < SCHEMA_CHANGE.strftime("%Y-%m")].reset_index(drop=True))


def csam_keyword_after_schema_change(platform: str = "X") -> int:
    """The platform's statements with that keyword from 1 July 2025 to the file's last release."""
    after = summary.daily(platform, "category_specification", summary.CSAM)
    return int(after.loc[after["day"] >= pd.Timestamp(SCHEMA_CHANGE), "statements"].sum())
