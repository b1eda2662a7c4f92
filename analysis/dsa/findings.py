"""What the published DSA summary statistics say about X and minors: values for the claims ledger.

Each ``*_measure`` function returns an :class:`analysis.measures.Measure` (status ``derived by a
third party``: shantay computed the statistics from the Commission's database); each ``*_series``
function returns the rows of :mod:`analysis.dsa.stats` it rests on, coverage included. Every
number is EU-wide statements of reasons (content-moderation decisions filed in the EU), not NCMEC
reports, dated by database release day.

>>> round(minors_daily_mean_measure("2025-06").value, 1), round(minors_daily_mean_measure("2025-10").value, 1)
(520.4, 239.7)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from analysis import changes, paths, status
from analysis.dsa import layout, stats, summary
from analysis.errors import DataError
from analysis.measures import Measure


def _measure(value: float) -> Measure:
    return Measure(float(value), status.DERIVED)


def minors_series(platform: str = "X", by: str = "month", package: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """The platform's statements on protection of minors per period, with coverage."""
    return stats.from_summary(platform, layout.MINORS, by, package)


def _complete_month(table: pd.DataFrame, month: str, package: Path) -> pd.Series:
    rows = table[table["period"] == month]
    if rows.empty:
        raise DataError(f"no release of the database in {month}", path=summary.raw_path(package))
    row = rows.iloc[0]
    if not row["complete"]:
        raise DataError(f"{month} is incomplete ({row['days_with_statements']} days with statements, "
                        f"{row['days_in_database']} days in the database): its mean is not comparable",
                        path=summary.raw_path(package))
    return row


def minors_daily_mean_measure(month: str, platform: str = "X", package: Path = paths.DATAPACKAGE) -> Measure:
    """Daily mean of the platform's statements on minors in ``month`` (``YYYY-MM``), a complete month."""
    return _measure(_complete_month(minors_series(platform, package=package), month, package)["daily_mean"])


def minors_daily_mean_change_measure(old_month: str, new_month: str, platform: str = "X",
                                     package: Path = paths.DATAPACKAGE) -> Measure:
    """Percent change of that daily mean between two complete months."""
    table = minors_series(platform, package=package)
    old, new = (_complete_month(table, month, package)["daily_mean"] for month in (old_month, new_month))
    return _measure(changes.percent_change(old, new))


def automated_detection_series(platform: str = "X", package: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Per month: the platform's statements, those flagged ``automated_detection = Yes``, their
    share in percent, and the days with statements."""
    con = summary.connect(package)
    summary.check_name("platform", platform, summary.platforms(package))
    frame = con.execute("""
        SELECT strftime(day, '%Y-%m') AS period,
               sum(statements) FILTER (WHERE field = 'rows') AS statements,
               coalesce(sum(statements) FILTER (WHERE field = 'automated_detection' AND value = 'Yes'), 0)
                   AS automatically_detected,
               count(*) FILTER (WHERE field = 'rows' AND statements > 0) AS days_with_statements
        FROM daily WHERE platform = ? AND field IN ('rows', 'automated_detection')
        GROUP BY 1 ORDER BY 1""", [platform]).fetchdf()
    for column in ("statements", "automatically_detected", "days_with_statements"):
        frame[column] = frame[column].astype("int64")
    frame["automated_detection_pct"] = 100.0 * frame["automatically_detected"] / frame["statements"]
    return frame


def automated_detection_share_measure(platform: str = "X", first: str | None = None, last: str | None = None,
                                      package: Path = paths.DATAPACKAGE) -> Measure:
    """Percent of the platform's statements flagged as detected automatically, between release days
    ``first`` and ``last`` (``YYYY-MM-DD``, inclusive; default: the whole file)."""
    con = summary.connect(package)
    summary.check_name("platform", platform, summary.platforms(package))
    first_day = dt.date.fromisoformat(first) if first else summary.FIRST_DAY
    last_day = dt.date.fromisoformat(last) if last else summary.LAST_DAY
    statements, detected = con.execute("""
        SELECT sum(statements) FILTER (WHERE field = 'rows'),
               coalesce(sum(statements) FILTER (WHERE field = 'automated_detection' AND value = 'Yes'), 0)
        FROM daily WHERE platform = ? AND day BETWEEN ? AND ?""", [platform, first_day, last_day]).fetchone()
    if not statements:
        raise DataError(f"{platform} filed no statements between {first_day} and {last_day}",
                        path=summary.raw_path(package))
    return _measure(changes.share(detected, statements))


def csam_keyword_series(platform: str = "X", by: str = "month", package: Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """The platform's statements carrying the keyword ``KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL``, per
    period, with coverage, until the schema change of 1 July 2025 (after it the keywords were
    redefined, and X files none)."""
    table = stats.from_summary(platform, summary.CSAM, by, package, field="category_specification")
    return table[table["period"] < summary.SCHEMA_CHANGE.strftime("%Y-%m-%d" if by == "day" else "%Y-%m")] \
        .reset_index(drop=True)


def csam_keyword_total_measure(platform: str = "X", package: Path = paths.DATAPACKAGE) -> Measure:
    """The platform's statements with the CSAM keyword from the first release to 30 June 2025."""
    return _measure(csam_keyword_series(platform, "month", package)["statements"].sum())
