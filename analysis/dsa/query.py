"""Statements of reasons per period, platform and category, from the ingested Parquet.

One SQL text serves both engines, so they cannot drift apart: DuckDB (embedded, the default) and
Apache Spark (``local[2]`` in tests, ``--master URL`` for a cluster). No value a reader types ever
becomes SQL text: platforms, category and territory travel as parameters (``?``, bound by DuckDB
and by ``spark.sql(text, args=…)``), and the data folder is opened through each engine's API.
Values are also checked against what can be asked (:class:`UsageError` listing the valid ones), so a
typo is an error, not an empty table.

The output: ``period`` (``YYYY-MM-DD`` by day, ``YYYY-MM`` by month), ``platform`` (the
service: every ``platform_name`` of it counts, :mod:`analysis.dsa.names`; named as in
:mod:`analysis.dsa.stats`), ``category``, ``statements``,
``automated_detection_pct`` and ``fully_automated_pct`` (percent of those statements), sorted.
``frame.attrs["definition"]`` says which statements a category counts: those whose ``category``
is it, or (``with_additional_categories``) also those listing it in ``category_addition``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import synthetic
from analysis.dsa import names, schema, summary
from analysis.dsa.ingest.report import RECORD, checked_files, read_record
from analysis.errors import DataError, UsageError

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["period", "platform", "category", "statements", "automated_detection_pct",
           "fully_automated_pct"]
BY = {"day": "day", "month": "month"}  # our constants, the only text that varies by argument
DEFINITIONS = {False: "category", True: "category or category_addition"}
LISTED = 30  # valid values shown in an error message


def _sql(by: str, platform_names: list[str] | None, category: str | None, with_additions: bool,
         territory: str | None, mapping: dict[str, str]) -> tuple[str, list]:
    """The aggregation in the dialect both DuckDB and Spark SQL accept, and its parameters in the
    order their ``?`` appear. Only placeholders are generated from the arguments' lengths."""
    if by not in BY:
        raise UsageError(f"--by must be one of {', '.join(BY)}")
    service = ("CASE platform_name " + " ".join("WHEN ? THEN ?" for _ in mapping) + " ELSE platform_name END"
               if mapping else "platform_name")
    select_params = [value for pair in mapping.items() for value in pair]
    if category:
        category_column, group_by = "?", "GROUP BY 1, 2"
        select_params.append(category)
    else:
        category_column, group_by = "category", "GROUP BY 1, 2, 3"
    conditions, where_params = ["TRUE"], []
    if platform_names is not None:
        conditions.append("platform_name IN (" + ", ".join("?" for _ in platform_names) + ")")
        where_params += platform_names
    if category:
        conditions.append("(category = ? OR array_contains(category_addition, ?))" if with_additions
                          else "category = ?")
        where_params += [category, category] if with_additions else [category]
    if territory:
        conditions.append("array_contains(territorial_scope, ?)")
        where_params.append(territory)
    text = f"""
SELECT CAST(date_trunc('{BY[by]}', created_at) AS DATE) AS period, {service} AS platform,
       {category_column} AS category,
       count(*) AS statements,
       100.0 * sum(CASE WHEN automated_detection THEN 1 ELSE 0 END) / count(*) AS automated_detection_pct,
       100.0 * sum(CASE WHEN automated_decision = 'AUTOMATED_DECISION_FULLY' THEN 1 ELSE 0 END) / count(*)
           AS fully_automated_pct
FROM statements
WHERE {' AND '.join(conditions)}
{group_by}"""
    return text, select_params + where_params


@dataclass(frozen=True)
class Counts:
    """The answer of a query: ``rows`` in :data:`COLUMNS`' order, sorted, and which statements a
    category counts (``definition``). Plain Python values: the command line writes them as CSV
    without importing pandas (0.6 s a command); :meth:`frame` gives the table notebooks use."""
    rows: list[tuple]
    definition: str

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        frame = pd.DataFrame(self.rows, columns=COLUMNS).astype(
            {"period": "object", "statements": "int64", "automated_detection_pct": float, "fully_automated_pct": float})
        frame.attrs["definition"] = self.definition
        return frame


def _tidy(rows: list[tuple], by: str, with_additions: bool) -> Counts:
    """Either engine's rows as :class:`Counts`: periods as ``YYYY-MM-DD`` or ``YYYY-MM``, sorted by
    period, platform and category (a missing category last)."""
    shape = "%Y-%m-%d" if by == "day" else "%Y-%m"
    tidy = [(period.strftime(shape), platform, category, int(statements), float(detected), float(automated))
            for period, platform, category, statements, detected, automated in rows]
    tidy.sort(key=lambda row: (row[0], row[1] is None, row[1] or "", row[2] is None, row[2] or ""))
    return Counts(tidy, DEFINITIONS[with_additions])


def _files(data: Path) -> list[Path]:
    """Every ingested Parquet file, each day's checked against its ``_ingest.json``
    (:func:`analysis.dsa.ingest.report.checked_files`: no stray copy is counted twice)."""
    files = [file for folder in _day_folders(data) for file in checked_files(folder)]
    if not files:
        raise DataError("no ingested Parquet here: run `python -m analysis dsa ingest DUMP… --out DIR`",
                        path=data)
    return files


def _day_folders(data: str | Path) -> list[Path]:
    return sorted(path for path in Path(data).glob("date=*") if path.is_dir())


def _listing(values) -> str:
    values = sorted(values)
    shown = ", ".join(values[:LISTED])
    return shown + (f" … ({len(values) - LISTED} more)" if len(values) > LISTED else "")


def check_territory(territory: str | None) -> str | None:
    """The territory as an upper-case code, or a :class:`UsageError` listing every valid code."""
    if territory is None:
        return None
    code = territory.strip().upper()
    if code not in schema.TERRITORIES:
        raise UsageError(f"--territory {territory!r} is not a code of territorial_scope; valid: "
                         f"{', '.join(schema.TERRITORIES)} (EU member states, and IS, LI, NO of the EEA)")
    return code


def check_arguments(fetch: Callable[[str, list], list[tuple]], data, platforms, category, territory,
                     with_additions: bool) -> tuple[list[str] | None, str | None, str | None]:
    """Refuse what the data cannot answer, listing what it can: an unknown platform or category,
    a territory outside the EU and EEA, or a territory asked of light dumps (no scope)."""
    territory = check_territory(territory)
    platform_names = None
    if platforms is not None:
        present = {row[0] for row in fetch("SELECT DISTINCT platform_name FROM statements", [])}
        unknown = [names.check_typed("--platform", p) for p in platforms if not set(names.names_of([p])) & present]
        if unknown:
            raise UsageError(f"no ingested statement of platform {', '.join(map(repr, unknown))}"
                             f"{''.join(map(names.look_alikes, unknown))}; platforms "
                             f"in {data}: {_listing({names.service_of(p) for p in present})}")
        platform_names = names.names_of(platforms)
    if category is not None:
        present = {row[0] for row in fetch("SELECT DISTINCT category FROM statements", []) if row[0]}
        if with_additions:
            lists = fetch("SELECT DISTINCT category_addition FROM statements WHERE category_addition IS NOT NULL", [])
            present |= {value for (values,) in lists for value in values or [] if value}
        if not schema.CATEGORY_PATTERN.fullmatch(category) or category not in present:
            raise UsageError(f"category {category!r} occurs in no ingested statement; categories in {data}: "
                             f"{_listing(present)}, or 'all'")
    if territory:
        without = fetch("SELECT count(*) FROM statements WHERE territorial_scope IS NULL", [])[0][0]
        if without:
            raise DataError(f"{without} statements have no territorial scope (light dumps drop it): "
                            "ingest full dumps to filter by territory", path=data)
    return platform_names, category, territory


def _answer(fetch: Callable[[str, list], list[tuple]], data, by: str, platforms, category, territory,
            with_additions: bool) -> Counts:
    """The query's answer, by either engine (``fetch``). The arguments are checked against the
    data (:func:`check_arguments`, scans of it) only when the answer lacks a platform asked for or
    is empty: an answer holding every platform and the category asked for proves them. With a
    territory they are checked first, as an answer over statements without scope would be partial."""
    platforms = None if platforms is None else list(platforms)
    category = None if category is None else schema.category_name(category)
    if territory:
        check_arguments(fetch, data, platforms, category, territory, with_additions)
    territory = check_territory(territory)
    platform_names = None if platforms is None else names.names_of(platforms)
    rows = fetch(*_sql(by, platform_names, category, with_additions, territory, names.mapping()))
    if not territory and (not rows or (platforms is not None and not set(platforms) <= {row[1] for row in rows})):
        check_arguments(fetch, data, platforms, category, territory, with_additions)
    return _tidy(rows, by, with_additions)


# What `dsa ingest` writes, as a Parquet footer says it (physical type, converted type): text, three
# timestamps and a Boolean; the multi-valued columns as text, or as lists (older ingests).
_TEXT, _LIST = ("BYTE_ARRAY", "UTF8"), (None, "LIST")
_TYPE_WORDS = {_TEXT: "text", ("INT64", "TIMESTAMP_MICROS"): "a timestamp", ("BOOLEAN", None): "a Boolean",
               _LIST: "a list", ("BYTE_ARRAY", None): "bytes"}
STORED_TYPES = {column: {_TEXT} for column in schema.KEPT} | {
    **{column: {("INT64", "TIMESTAMP_MICROS")} for column in ("application_date", "content_date", "created_at")},
    "automated_detection": {("BOOLEAN", None)}, **{column: {_TEXT, _LIST} for column in schema.LISTS}}


def _type_words(stored: tuple) -> str:
    return _TYPE_WORDS.get(stored) or "/".join(str(part) for part in stored if part)


def _check_types(found: list[tuple[str, str, str | None, str | None]]) -> None:
    """Refuse a kept column stored in another type than `dsa ingest` writes (a file rewritten by
    another tool): DuckDB would cast it silently, or fail on it with its own words. ``found``:
    ``(file, column, physical type, converted type)`` from the files' footers."""
    for file, column, physical, converted in found:
        allowed = STORED_TYPES.get(column)
        if allowed is not None and (physical, converted) not in allowed:
            expected = " or ".join(sorted(map(_type_words, allowed)))
            raise DataError(f"column {column!r} is stored as {_type_words((physical, converted))}, not as "
                            f"{expected} as `dsa ingest` writes it: refused, ingest the day again", path=file)


def _by_storage(con, data: Path) -> tuple[list[str], list[str]]:
    """The ingested files split by how they store the multi-valued columns (:data:`schema.LISTS`):
    as the JSON text published (every ingest since it was so) and as lists (older ingests). One
    folder may hold both, days being added over time; each engine reads the text ones through
    its own JSON parser (DuckDB's cast of text to a list, which a union of the two would apply,
    reads escapes otherwise). Read from the files' Parquet footers only, by the DuckDB
    connection ``con``; a kept column of another type is refused (:func:`_check_types`)."""
    import duckdb

    paths = [str(f) for f in _files(data)]
    try:
        found = con.execute("SELECT file_name, name, type, converted_type FROM parquet_schema(?) "
                            "WHERE list_contains(?, name) ORDER BY file_name", [paths, list(schema.KEPT)]).fetchall()
    except duckdb.Error as error:
        raise _unreadable(error, data) from None
    _check_types(found)
    as_lists = {file for file, column, _, converted in found if column == schema.LISTS[0] and converted == "LIST"}
    return [p for p in paths if p not in as_lists], [p for p in paths if p in as_lists]


def _unreadable(error: Exception, data: Path) -> DataError:
    return DataError(f"DuckDB cannot read the ingested Parquet: {' '.join(str(error).split())[:300]}; "
                     "ingest the day again", path=data)


@contextlib.contextmanager
def connect(data: str | Path) -> Iterator:
    """A DuckDB connection on which ``statements`` is every statement ingested into ``data``
    (the multi-valued columns as lists, :func:`_by_storage`), closed after the block. A file
    DuckDB cannot read (damaged, not Parquet) is a :class:`DataError` naming the folder, not an
    engine's traceback."""
    import duckdb

    con = duckdb.connect()
    try:
        as_text, as_lists = _by_storage(con, data)
        con.execute("SET threads = 2")
        summary.limit_memory(con, "1GB")
        parsed = ", ".join(f"""from_json({c}, '["VARCHAR"]') AS {c}""" for c in schema.LISTS)
        groups = [con.read_parquet(as_text, hive_partitioning=True, union_by_name=True).project(
            f"* REPLACE ({parsed})")] if as_text else []
        if as_lists:
            groups.append(con.read_parquet(as_lists, hive_partitioning=True, union_by_name=True))
        for number, group in enumerate(groups):
            group.create_view(f"stored_{number}")
        con.execute("CREATE VIEW statements AS "
                    + " UNION ALL BY NAME ".join(f"SELECT * FROM stored_{number}" for number in range(len(groups))))
        yield con
    except (duckdb.IOException, duckdb.InvalidInputException, duckdb.ConversionException) as error:
        raise _unreadable(error, data) from None
    finally:
        con.close()


def counts_duckdb(data: str | Path, by: str = "month", platforms=("X",), category=schema.MINORS,
                  territory: str | None = None, with_additional_categories: bool = False) -> Counts:
    """Statements per period, platform and category, by DuckDB (see the module's docstring)."""
    with connect(data) as con:
        return _answer(lambda text, params: con.execute(text, params).fetchall(), data, by, platforms, category,
                       territory, with_additional_categories)


def query_duckdb(data: str | Path, **kwargs) -> pd.DataFrame:
    """:func:`counts_duckdb` as a DataFrame (``attrs["definition"]`` says what a category counts)."""
    return counts_duckdb(data, **kwargs).frame()


# The master URLs Spark documents: local, local[N], local[*], spark://, yarn, k8s://, mesos://.
MASTER = re.compile(r"local(\[(\d+|\*)(,\d+)?\])?|yarn|(spark|k8s|mesos)://\S+")


def spark_session(master: str = "local[2]", config: dict[str, str] | None = None):
    """A Spark session on ``master``, with ``config`` added to its settings; a URL of no documented
    form is refused before Java starts (which would otherwise print its own stack trace)."""
    if not MASTER.fullmatch(master):
        raise UsageError(f"--master {master!r} is not a Spark master URL: use local[N], spark://HOST:PORT, "
                         "yarn or k8s://URL")
    from pyspark.sql import SparkSession

    settings = {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "4",
                "spark.sql.session.timeZone": "UTC", **(config or {})}
    builder = SparkSession.builder.master(master).appName("dsa-query")
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def counts_spark(data: str | Path, by: str = "month", platforms=("X",), category=schema.MINORS,
                 territory: str | None = None, master: str = "local[2]", session=None,
                 with_additional_categories: bool = False) -> Counts:
    """The same table as :func:`counts_duckdb`, by Spark SQL on ``master`` (or ``session``)."""
    import duckdb

    with duckdb.connect() as con:
        as_text, as_lists = _by_storage(con, data)
    spark = session or spark_session(master)
    from pyspark.sql import functions

    def read(files: list[str]):
        return spark.read.option("basePath", str(Path(data))).option("mergeSchema", "true").parquet(*files)

    groups = [read(as_text).withColumns({c: functions.from_json(c, "array<string>") for c in schema.LISTS})
              ] if as_text else []
    if as_lists:
        groups.append(read(as_lists))
    statements = groups[0] if len(groups) == 1 else groups[0].unionByName(groups[1])
    statements.createOrReplaceTempView("statements")
    return _answer(lambda text, params: [tuple(row) for row in spark.sql(text, args=params).collect()], data, by,
                   platforms, category, territory, with_additional_categories)


def query_spark(data: str | Path, **kwargs) -> pd.DataFrame:
    """:func:`counts_spark` as a DataFrame."""
    return counts_spark(data, **kwargs).frame()


def ingested_days(data: str | Path) -> pd.DataFrame:
    """One row per ingested day: ``day, source, sha1, rows, kept, malformed, synthetic`` (``sha1``: the
    dump's, checked against its ``.sha1`` at ingest; None when it had none or was ingested before
    the digest was recorded). A day is
    synthetic when its file name says so or when ingest found the synthetic marks (the zip's
    comment, the rows' own), so a renamed synthetic dump still counts as synthetic."""
    rows = []
    for folder in _day_folders(data):
        if not (folder / RECORD).exists() and not checked_files(folder):
            continue
        entry = read_record(folder)
        rows.append({"day": entry["day"], "source": entry["source"], "sha1": entry.get("sha1"), "rows": entry["rows"],
                     "kept": entry["kept"], "malformed": entry["malformed"],
                     "synthetic": bool(entry.get("synthetic")) or synthetic.named_synthetic(entry["source"])})
    import pandas as pd

    return pd.DataFrame(rows, columns=["day", "source", "sha1", "rows", "kept", "malformed", "synthetic"])


def counts(data, engine: str = "duckdb", **kwargs) -> Counts:
    """Dispatch to :func:`counts_duckdb` or :func:`counts_spark`."""
    if engine == "duckdb":
        kwargs.pop("master", None)
        return counts_duckdb(data, **kwargs)
    if engine == "spark":
        return counts_spark(data, **kwargs)
    raise UsageError(f"unknown engine {engine!r}: duckdb or spark")


def query(data, engine: str = "duckdb", **kwargs) -> pd.DataFrame:
    """:func:`counts` as a DataFrame."""
    return counts(data, engine, **kwargs).frame()
