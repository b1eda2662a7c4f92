"""One table of DSA statements with their coverage, by two routes that mean the same thing.

``period, platform, category, statements, days_with_statements, days_in_database, daily_mean,
complete``, per day or month:

- ``days_in_database``: release days of the database held in the period (the summary: every
  release it covers; ingested dumps: the days ingested);
- ``days_with_statements``: those on which the platform filed any statement at all (any category,
  any territory);
- ``statements``: the platform's statements in the category (and territory) on those days. When the
  platform filed nothing in the period it is missing, not zero: silence is not "no moderation";
- ``daily_mean`` = statements / days_with_statements, the only number to compare across periods;
- ``complete``: the database has a release on every calendar day of the period and the platform
  filed on each of them. A change between periods is only computed between complete periods.

Both routes date statements by the database **release day** (the summary's ``start_date``, the
ingested dumps' ``date=`` partition), so on real dumps a statement created on one day and released
the next counts on the release day here, while ``dsa query`` dates by ``created_at``.

:func:`from_summary` reads the published summary statistics (EU-wide: the summary does not cross
category with territory); :func:`from_dumps` reads dumps ingested with ``dsa ingest`` and can
restrict to a territory. :func:`summary_batches` and :func:`dumps_batches` give the same table in
frames of :data:`BATCH_ROWS` rows, for a request too wide to hold at once (``dsa stats`` prints
every request that way: every platform, category and day is 1.2 million rows).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.dsa import schema, summary
from analysis.errors import UsageError

COLUMNS = ["period", "platform", "category", "statements", "days_with_statements",
           "days_in_database", "daily_mean", "complete"]
PERIODS = {"day": ("%Y-%m-%d", "1"), "month": ("%Y-%m", "day(last_day(min(day)))")}

# After the route's relations (DuckDB cannot prepare views, so they come as common table
# expressions): database_days(day), platform_days(day, platform, statements) and
# category_days(day, platform, category, statements).
_TABLE = """
WITH {relations},
db AS (SELECT day, strftime(day, '{fmt}') AS period FROM database_days),
periods AS (SELECT period, count(*) AS days_in_database, {calendar} AS calendar_days
            FROM db GROUP BY period),
filed AS (SELECT db.period, p.platform, count(*) FILTER (WHERE p.statements > 0) AS days_with_statements
          FROM platform_days p JOIN db USING (day) GROUP BY ALL),
counts AS (SELECT db.period, c.platform, c.category, sum(c.statements) AS statements
           FROM category_days c JOIN db USING (day) GROUP BY ALL),
pairs AS (SELECT DISTINCT platform, category FROM category_days),
joined AS (
    SELECT periods.period, pairs.platform, pairs.category,
           coalesce(filed.days_with_statements, 0) AS days_with_statements,
           periods.days_in_database, periods.calendar_days,
           coalesce(counts.statements, 0) AS counted
    FROM periods CROSS JOIN pairs
    LEFT JOIN filed ON filed.period = periods.period AND filed.platform = pairs.platform
    LEFT JOIN counts ON counts.period = periods.period AND counts.platform = pairs.platform
                    AND counts.category = pairs.category)
SELECT period, platform, category,
       CASE WHEN days_with_statements > 0 THEN counted END AS statements,
       days_with_statements, days_in_database,
       CASE WHEN days_with_statements > 0 THEN counted / days_with_statements END AS daily_mean,
       days_in_database = calendar_days AND days_with_statements = days_in_database AS complete
FROM joined
ORDER BY period, platform, category"""


BATCH_ROWS = 50_000  # rows of a batch of :func:`summary_batches` and :func:`dumps_batches`


def _result(con, by: str, relations: str, parameters: dict):
    if by not in PERIODS:
        raise UsageError(f"unknown period {by!r}; expected day or month")
    fmt, calendar = PERIODS[by]
    return con.execute(_TABLE.format(relations=relations, fmt=fmt, calendar=calendar), parameters)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["statements"] = frame["statements"].astype("Int64")
    frame["days_with_statements"] = frame["days_with_statements"].astype("int64")
    frame["days_in_database"] = frame["days_in_database"].astype("int64")
    frame["daily_mean"] = frame["daily_mean"].astype(float)
    frame["complete"] = frame["complete"].astype(bool)
    return frame[COLUMNS]


def _table(con, by: str, relations: str, parameters: dict) -> pd.DataFrame:
    return _typed(_result(con, by, relations, parameters).fetchdf())


def _batches(con, by: str, relations: str, parameters: dict, rows: int | None) -> Iterator[pd.DataFrame]:
    """The table in frames of about ``rows`` rows (default :data:`BATCH_ROWS`, read when called),
    in order; the first one even when empty (it carries the columns). DuckDB hands the rows over as
    they are asked for, so a request of millions of rows never sits whole in Python (the sort
    spills to disk past its memory limit)."""
    result = _result(con, by, relations, parameters)
    vectors = max(1, -(-(rows or BATCH_ROWS) // 2048))  # DuckDB hands over vectors of 2,048 rows
    first = True
    while True:
        frame = result.fetch_df_chunk(vectors)
        if len(frame) == 0 and not first:
            return
        yield _typed(frame)
        first = False


def _summary_parameters(platform: str | None, category: str | None, field: str) -> dict:
    if platform is not None:
        platform = summary.check_name("platform", platform, summary.platforms())
    if category is not None and field == "category":
        category = summary.check_name("category", schema.category_name(category), summary.values("category"))
    elif category is not None:
        category = summary.check_name(field, category, summary.values(field))
    return {"platform": platform, "category": category, "field": field}


def from_summary(platform: str | None = "X", category: str | None = schema.MINORS, by: str = "month",
                 field: str = "category") -> pd.DataFrame:
    """The table from the published summary statistics. ``platform=None``: every platform;
    ``category=None``: every category, one row each. ``field="category_specification"`` counts
    keywords instead (``category`` then names a keyword, e.g. ``summary.CSAM``)."""
    parameters = _summary_parameters(platform, category, field)
    return _table(summary.connect(), by, summary.RELATIONS, parameters)


def summary_batches(platform: str | None = "X", category: str | None = schema.MINORS, by: str = "month",
                    field: str = "category", rows: int | None = None) -> Iterator[pd.DataFrame]:
    """:func:`from_summary`'s table in frames of about ``rows`` rows (arguments are checked, and
    the query run, when the first one is asked for)."""
    parameters = _summary_parameters(platform, category, field)
    yield from _batches(summary.connect(), by, summary.RELATIONS, parameters, rows)


@contextlib.contextmanager
def _dumps_request(data: str | Path, platform: str | None, category: str | None,
                   territory: str | None) -> Iterator[tuple]:
    """A connection on the dumps ingested into ``data`` with the relations and parameters of the
    table, the arguments checked as ``dsa query`` checks them."""
    from analysis.dsa import query

    category = None if category is None else schema.category_name(category)
    days = query.ingested_days(data)  # the release days ingested, from each day's _ingest.json
    with query.connect(data) as con:
        platform_names, category, territory = query.check_arguments(
            lambda text, params: con.execute(text, params).fetchall(), data,
            None if platform is None else [platform], category, territory, False)
        relations = """
        statements AS (SELECT CAST(date AS DATE) AS day, * FROM statements
                       WHERE CAST($names AS VARCHAR[]) IS NULL OR list_contains($names, platform_name)),
        database_days AS (SELECT DISTINCT CAST(unnest($days) AS DATE) AS day),
        platform_days AS (SELECT day, coalesce($platform, platform_name) AS platform, count(*) AS statements
                          FROM statements GROUP BY ALL),
        category_days AS (SELECT day, coalesce($platform, platform_name) AS platform, category,
                                 count(*) AS statements
                          FROM statements
                          WHERE (CAST($category AS VARCHAR) IS NULL OR category = $category)
                          AND (CAST($territory AS VARCHAR) IS NULL
                               OR array_contains(territorial_scope, $territory))
                          GROUP BY ALL)"""
        yield con, relations, {"names": platform_names, "days": days["day"].tolist(),
                               "platform": platform, "category": category, "territory": territory}


def from_dumps(data: str | Path, platform: str | None = "X", category: str | None = schema.MINORS,
               by: str = "month", territory: str | None = None) -> pd.DataFrame:
    """The same table from dumps ingested with ``dsa ingest`` into ``data``; ``territory`` (e.g.
    ``FR``) keeps the statements whose territorial scope includes it. Arguments are checked as
    ``dsa query`` checks them, and every name the platform filed under counts as the platform."""
    with _dumps_request(data, platform, category, territory) as (con, relations, parameters):
        return _table(con, by, relations, parameters)


def dumps_batches(data: str | Path, platform: str | None = "X", category: str | None = schema.MINORS,
                  by: str = "month", territory: str | None = None,
                  rows: int | None = None) -> Iterator[pd.DataFrame]:
    """:func:`from_dumps`'s table in frames of about ``rows`` rows (arguments are checked, and
    the query run, when the first one is asked for)."""
    with _dumps_request(data, platform, category, territory) as (con, relations, parameters):
        yield from _batches(con, by, relations, parameters, rows)
