"""Statements of reasons per period, platform and category, from the ingested Parquet.

One SQL statement serves both engines, so they cannot drift apart: DuckDB (embedded, the
default) and Apache Spark (``local[2]`` in tests, ``--master URL`` for a cluster). The output:
``period`` (``YYYY-MM-DD`` by day, ``YYYY-MM`` by month), ``platform_name``, ``category``,
``statements``, ``automated_detection_pct`` and ``fully_automated_pct`` (percent of those
statements), sorted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.dsa import layout
from analysis.errors import DataError

COLUMNS = ["period", "platform_name", "category", "statements", "automated_detection_pct",
           "fully_automated_pct"]
BY = {"day": "day", "month": "month"}


def _sql(table: str, by: str, platforms, category, territory) -> str:
    """The aggregation, in the dialect both DuckDB and Spark SQL accept. Values are checked
    against a strict pattern before they reach the SQL text."""
    for value in [*(platforms or []), category or "", territory or ""]:
        if not re.fullmatch(r"[A-Za-z0-9_ .&'-]*", value):
            raise ValueError(f"refused filter value {value!r}")
    conditions = ["TRUE"]
    if platforms:
        conditions.append("platform_name IN (" + ", ".join(f"'{p}'" for p in platforms) + ")")
    if category:
        conditions.append(f"category = '{category}'")
    if territory:
        conditions.append(f"array_contains(territorial_scope, '{territory.upper()}')")
    return f"""
SELECT date_trunc('{BY[by]}', created_at) AS period, platform_name, category,
       count(*) AS statements,
       100.0 * sum(CASE WHEN automated_detection THEN 1 ELSE 0 END) / count(*) AS automated_detection_pct,
       100.0 * sum(CASE WHEN automated_decision = 'AUTOMATED_DECISION_FULLY' THEN 1 ELSE 0 END) / count(*)
           AS fully_automated_pct
FROM {table}
WHERE {' AND '.join(conditions)}
GROUP BY 1, 2, 3"""


def _tidy(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    frame = frame.copy()
    frame["period"] = pd.to_datetime(frame["period"]).dt.strftime("%Y-%m-%d" if by == "day" else "%Y-%m")
    frame["statements"] = frame["statements"].astype("int64")
    for column in ("automated_detection_pct", "fully_automated_pct"):
        frame[column] = frame[column].astype(float)
    return frame[COLUMNS].sort_values(["period", "platform_name", "category"], ignore_index=True)


def _files(data: Path) -> list[Path]:
    files = sorted(Path(data).glob("date=*/platform=*/*.parquet"))
    if not files:
        raise DataError("no ingested Parquet here: run `python -m analysis dsa ingest DUMP… --out DIR`",
                        path=data)
    return files


def query_duckdb(data: str | Path, by: str = "month", platforms=("X",), category=layout.MINORS,
                 territory: str | None = None) -> pd.DataFrame:
    import duckdb

    _files(data)
    con = duckdb.connect()
    con.execute("SET threads = 2; SET memory_limit = '1GB'")
    con.execute(f"CREATE VIEW statements AS SELECT * FROM read_parquet('{Path(data)}/date=*/platform=*/*.parquet', "
                "hive_partitioning = true, union_by_name = true)")
    if territory:
        _check_territory(con.execute("SELECT count(*) FROM statements WHERE territorial_scope IS NULL").fetchone()[0],
                         data)
    frame = con.execute(_sql("statements", by, platforms, category, territory)).fetchdf()
    con.close()
    return _tidy(frame, by)


def _check_territory(rows_without_scope: int, data) -> None:
    """A territory filter needs every statement's scope (only asked, and counted, for one)."""
    if rows_without_scope:
        raise DataError(f"{rows_without_scope} statements have no territorial scope (light dumps drop "
                        "it): ingest full dumps to filter by territory", path=data)


def spark_session(master: str = "local[2]"):
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(master).appName("dsa-query")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC").getOrCreate())


def query_spark(data: str | Path, by: str = "month", platforms=("X",), category=layout.MINORS,
                territory: str | None = None, master: str = "local[2]", session=None) -> pd.DataFrame:
    _files(data)
    spark = session or spark_session(master)
    frame = spark.read.option("mergeSchema", "true").parquet(str(Path(data)))
    frame.createOrReplaceTempView("statements")
    if territory:
        _check_territory(spark.sql("SELECT count(*) FROM statements WHERE territorial_scope IS NULL").first()[0], data)
    result = spark.sql(_sql("statements", by, platforms, category, territory)).toPandas()
    return _tidy(result, by)


def ingested_days(data: str | Path) -> pd.DataFrame:
    """One row per ingested day: ``day, source, rows, kept, malformed, synthetic``."""
    import json

    rows = []
    for report in sorted(Path(data).glob("date=*/_ingest.json")):
        entry = json.loads(report.read_text())
        rows.append({"day": entry["day"], "source": entry["source"], "rows": entry["rows"],
                     "kept": entry["kept"], "malformed": entry["malformed"],
                     "synthetic": "synthetic" in entry["source"].lower()})
    return pd.DataFrame(rows, columns=["day", "source", "rows", "kept", "malformed", "synthetic"])


def query(data, engine: str = "duckdb", **kwargs) -> pd.DataFrame:
    """Dispatch to :func:`query_duckdb` or :func:`query_spark`."""
    if engine == "duckdb":
        kwargs.pop("master", None)
        return query_duckdb(data, **kwargs)
    if engine == "spark":
        return query_spark(data, **kwargs)
    raise ValueError(f"unknown engine {engine!r}")
