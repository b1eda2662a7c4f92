"""The DSA Transparency Database's published summary statistics (real data, derived by a third party).

Resource ``dsa-shantay-summary``: shantay 0.6.0's pre-computed statistics of the **whole** database,
one daily release at a time, 2023-09-25 to 2026-01-10 (``data/raw/dsa/``). The file is a long frame
(shantay README, section 3.3): ``start_date``/``end_date`` are the database's release day (not the
statements' ``created_at``), ``platform`` the platform, ``column`` a database column, ``variant`` one
of its values and ``count`` the number of statements. Every query this project runs on the file is
here (:mod:`analysis.dsa.stats` and :mod:`analysis.series.dsa` call them). A platform that filed nothing on a release day
has no rows for that day.

:func:`connect` checks the file's sha256 (data package), its columns and their types, then
DuckDB reads the rows this project uses into a table ``daily(day, platform, field, value,
statements)`` and checks them: no duplicate keys, every date within 2023-09-25..2026-01-10, daily
rows (start = end), no negative or missing count. Fields: ``rows`` (all statements, value NULL),
``category``, ``category_specification`` (keywords; NULL = none given), ``automated_detection``
(Yes/No), ``automated_decision``. A table ``database_days(day)`` lists the release days the file
covers. Nothing close to the file's 4.4 M rows ever reaches pandas: :func:`daily` returns the
filtered, tidy frame.

>>> int(daily("X", "category", "STATEMENT_CATEGORY_PROTECTION_OF_MINORS").set_index("day").loc["2025-06-10", "statements"])
323
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from pathlib import Path

import pandas as pd

from analysis import datapackage
from analysis.dsa import schema
from analysis.errors import DataError, UsageError

RESOURCE = "dsa-shantay-summary"
FIRST_DAY = dt.date(2023, 9, 25)  # the database's first release
LAST_DAY = dt.date(2026, 1, 10)  # the last release the shipped file covers (a newer one: last_day())
SCHEMA = {"start_date": "DATE", "end_date": "DATE", "tag": "VARCHAR", "platform": "VARCHAR",
          "category": "VARCHAR", "column": "VARCHAR", "entity": "VARCHAR", "variant": "VARCHAR",
          "text": "VARCHAR", "count": "BIGINT", "min": "BIGINT", "mean": "BIGINT", "max": "BIGINT"}
FIELDS = ("rows", "category", "category_specification", "automated_detection", "automated_decision")
CSAM = "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL"
SCHEMA_CHANGE = schema.SCHEMA_CHANGE

# The validated tables of each version of the file (its recorded hash, and the last day it may
# hold): a copy of data/ holding the same bytes shares them.
_connections: dict[tuple[str, dt.date], object] = {}


def _check_columns(con, path: Path) -> None:
    found = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                             [str(path)]).fetchall())
    missing = [c for c in SCHEMA if c not in found]
    unexpected = [c for c in found if c not in SCHEMA]
    if missing or unexpected:
        raise DataError(f"columns differ from shantay's layout: missing {', '.join(missing) or 'none'}; "
                        f"unexpected {', '.join(unexpected) or 'none'}", path=path,
                        column=(missing or unexpected)[0])
    for column, expected in SCHEMA.items():
        if found[column] != expected:
            raise DataError(f"type {found[column]}, expected {expected}", path=path, column=column)


def _check_rows(con, path: Path, last_day: dt.date) -> None:
    duplicate = con.execute("SELECT day, platform, field, value FROM daily GROUP BY ALL "
                            "HAVING count(*) > 1 LIMIT 1").fetchone()
    if duplicate:
        raise DataError(f"duplicate key (day, platform, column, variant) = {duplicate}", path=path,
                        column="variant")
    checks = con.execute("""
        SELECT min(start_date), max(start_date), min(end_date), max(end_date),
               count(*) FILTER (WHERE start_date IS DISTINCT FROM end_date),
               count(*) FILTER (WHERE count IS NULL), min(count)
        FROM read_parquet(?)""", [str(path)]).fetchone()
    first, last, first_end, last_end, not_daily, no_count, least = checks
    for column, low, high in (("start_date", first, last), ("end_date", first_end, last_end)):
        if low is None or low < FIRST_DAY or high > last_day:
            raise DataError(f"dates {low}..{high} outside {FIRST_DAY}..{last_day}", path=path, column=column)
    if not_daily:
        raise DataError(f"{not_daily} rows span more than one day", path=path, column="end_date")
    if no_count:
        raise DataError(f"{no_count} rows without a count", path=path, column="count")
    if least < 0:
        raise DataError(f"negative count ({least})", path=path, column="count")


def raw_path() -> Path:
    """Where the active package's file lives (for error messages; reads go through :func:`connect`)."""
    return datapackage.active().parent / datapackage.resource(RESOURCE)["path"]


def last_day() -> dt.date:
    """The last release day the active package's summary covers, as its provenance records it
    (``upstream.days.period``): :data:`LAST_DAY` for the shipped file, a later day once a newer
    release is registered (``update --accept``). A package that records none (tests' small files):
    :data:`LAST_DAY`."""
    period = (datapackage.resource(RESOURCE).get("upstream") or {}).get("days", {}).get("period")
    return dt.date.fromisoformat(period) if period else LAST_DAY


def _checked(path: Path, last: dt.date):
    """A DuckDB connection holding the file's validated tables ``daily`` and ``database_days``,
    every date required within :data:`FIRST_DAY`..``last``."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2")
    limit_memory(con, "256MB")  # the table is 46 MB; the widest `dsa stats` sorts 1.2 M rows
    _check_columns(con, path)
    con.execute("""
        CREATE TABLE daily AS
        SELECT start_date AS day, platform, "column" AS field, variant AS value, count AS statements
        FROM read_parquet($path)
        WHERE tag IS NULL AND entity IS NULL AND text IS NULL AND platform IS NOT NULL
          AND list_contains($fields, "column")""", {"path": str(path), "fields": list(FIELDS)})
    _check_rows(con, path, last)
    con.execute("CREATE TABLE database_days AS SELECT DISTINCT start_date AS day "
                "FROM read_parquet(?) ORDER BY day", [str(path)])
    return con


def check_release(path: Path, retrieved: dt.date) -> tuple[dt.date, dt.date]:
    """Check a newer release's file (staged by ``update``) as :func:`connect` checks ours, its days
    bounded by the day it was retrieved (a release covers no later day); returns its first and last
    release days, the last to record as its provenance."""
    con = _checked(path, retrieved)
    return con.execute("SELECT min(day), max(day) FROM database_days").fetchone()


def connect():
    """A DuckDB connection with the validated tables ``daily`` and ``database_days``.

    The file is read through the data package (hash-checked, the read recorded) on every call; the
    validated tables are built once per process and file version (a few tenths of a second). Its
    days must lie within :data:`FIRST_DAY`..:func:`last_day`, the last its provenance records.
    """
    return _connections[_version()].cursor()


def _version() -> tuple[str, dt.date]:
    """The active file's version (read through the data package), its tables built if new."""
    path = datapackage.read(RESOURCE)
    key = (datapackage.resource(RESOURCE)["hash"], last_day())
    if key not in _connections:
        _connections[key] = _checked(path, key[1])
    return key


def limit_memory(con, limit: str) -> None:
    """Bound DuckDB's memory to ``limit``; past it, sorts and joins spill to ``.cache/duckdb/``
    (DuckDB's default would be a ``.tmp`` folder wherever the command was run)."""
    from analysis import paths

    con.execute(f"SET memory_limit = '{limit}'")
    con.execute("SET temp_directory = " + "'" + str(paths.DUCKDB_SPILL).replace("'", "''") + "'")


def platforms() -> list[str]:
    """Every platform that filed at least one statement in the file (191 names)."""
    return list(_platforms_of(_version()))


@functools.cache
def _platforms_of(version: tuple[str, dt.date]) -> tuple[str, ...]:
    return tuple(r[0] for r in _connections[version].cursor().execute(
        "SELECT DISTINCT platform FROM daily WHERE field = 'rows' ORDER BY 1").fetchall())


def values(field: str) -> list[str]:
    """The values a field takes in the file (e.g. the 20 categories of both schemas)."""
    return [r[0] for r in connect().execute(
        "SELECT DISTINCT value FROM daily WHERE field = ? AND value IS NOT NULL ORDER BY 1",
        [field]).fetchall()]


def close_matches(name: str, known: list[str]) -> list[str]:
    """Up to five known names close to ``name`` or containing it, ignoring case.

    >>> close_matches("twiter", ["X", "Twitter", "TikTok"])
    ['Twitter']
    >>> close_matches("minors", ["STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "STATEMENT_CATEGORY_VIOLENCE"])
    ['STATEMENT_CATEGORY_PROTECTION_OF_MINORS']
    """
    folded = {k.casefold(): k for k in known}
    near = difflib.get_close_matches(name.casefold(), list(folded), n=5, cutoff=0.6)
    containing = [k for k in folded if name.casefold() in k]
    return [folded[k] for k in dict.fromkeys(near + containing)][:5]


def check_name(kind: str, name: str, known: list[str]) -> str:
    """``name`` if it is in ``known``; else a :class:`UsageError` listing close matches."""
    from analysis.dsa.names import ascii_folded, check_typed, look_alikes

    if name in known:
        return name
    check_typed(f"--{kind}", name)
    near = close_matches(ascii_folded(name), known)
    hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else f" ({len(known)} known)"
    raise UsageError(f"unknown {kind} {name!r}{look_alikes(name)}{hint}")


def daily(platform: str | None = "X", field: str = "rows", value: str | None = None) -> pd.DataFrame:
    """Tidy daily counts: ``day, platform, field, value, statements``, one row per release day on
    which the platform filed statements (days without a row are *not* zeros). ``platform=None``
    keeps every platform; ``value`` filters the field's value."""
    if field not in FIELDS:
        raise UsageError(f"unknown field {field!r}; expected one of {', '.join(FIELDS)}")
    con = connect()
    if platform is not None:
        check_name("platform", platform, platforms())
    frame = con.execute(
        "SELECT day, platform, field, value, statements FROM daily WHERE field = ? "
        "AND (CAST(? AS VARCHAR) IS NULL OR platform = ?) AND (CAST(? AS VARCHAR) IS NULL OR value = ?) "
        "ORDER BY day, platform, value", [field, platform, platform, value, value]).fetchdf()
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


# The summary's relations for the coverage table of :mod:`analysis.dsa.stats` (parameters
# ``$platform``, ``$category``, ``$field``; NULL for every one).
RELATIONS = """
        database_days AS (SELECT day FROM database_days),
        platform_days AS (SELECT day, platform, statements FROM daily WHERE field = 'rows'
                          AND (CAST($platform AS VARCHAR) IS NULL OR platform = $platform)),
        category_days AS (SELECT day, platform, value AS category, statements FROM daily
                          WHERE field = $field AND (CAST($platform AS VARCHAR) IS NULL OR platform = $platform)
                          AND (CAST($category AS VARCHAR) IS NULL OR value = $category))"""


def release_days() -> list[dt.date]:
    """Every release day the file covers, in order."""
    return [row[0] for row in connect().execute("SELECT day FROM database_days ORDER BY day").fetchall()]


def automated_detection_monthly(platform: str) -> pd.DataFrame:
    """Per month: ``period, statements, automatically_detected, days_with_statements`` of the
    platform (months without any statement: no row)."""
    check_name("platform", platform, platforms())
    return connect().execute("""
        SELECT strftime(day, '%Y-%m') AS period,
               sum(statements) FILTER (WHERE field = 'rows') AS statements,
               coalesce(sum(statements) FILTER (WHERE field = 'automated_detection' AND value = 'Yes'), 0)
                   AS automatically_detected,
               count(*) FILTER (WHERE field = 'rows' AND statements > 0) AS days_with_statements
        FROM daily WHERE platform = ? AND field IN ('rows', 'automated_detection')
        GROUP BY 1 ORDER BY 1""", [platform]).fetchdf()


def automated_detection_between(platform: str, first_day: dt.date, last_day: dt.date) -> tuple:
    """``(statements, automatically_detected)`` of the platform between two release days,
    inclusive (``statements`` None when it filed none)."""
    check_name("platform", platform, platforms())
    return connect().execute("""
        SELECT sum(statements) FILTER (WHERE field = 'rows'),
               coalesce(sum(statements) FILTER (WHERE field = 'automated_detection' AND value = 'Yes'), 0)
        FROM daily WHERE platform = ? AND day BETWEEN ? AND ?""", [platform, first_day, last_day]).fetchone()
