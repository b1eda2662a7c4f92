"""The SQL of the ingest: DuckDB's reader of a part, the row checks, what is stored and how, and
the tables that find repeated statements (one place for every query text the ingest runs)."""

from __future__ import annotations

from pathlib import Path

import duckdb

TIMESTAMP = "%Y-%m-%d %H:%M:%S"


def connect(spill: Path) -> duckdb.DuckDBPyConnection:
    """A connection whose tables spill to ``spill`` (the run's folder) past the memory limit; the
    hashes of a day's uuids (``stored``, 20 bytes a statement) could outgrow it on a large day. Parts
    are scanned in cursors of it (:func:`ingest_part`), into tables all cursors see. One thread
    per query: parts are read two at a time, and DuckDB's own threads on top of that cost about a
    tenth more CPU time for no speed. 512 MB keeps the peak resident memory near half the peer
    tool's (``benchmarks/dsa_peer.py``) at no cost in time."""
    con = duckdb.connect(config={"temp_directory": str(spill)})
    con.execute("SET threads = 1; SET memory_limit = '512MB'; SET preserve_insertion_order = true")
    con.execute("CREATE TABLE stored (uuid_hash UBIGINT, part INTEGER, record BIGINT)")
    con.execute("CREATE TABLE repeated (part INTEGER, record BIGINT, uuid VARCHAR, first_part INTEGER, "
                "first_record BIGINT)")
    return con


# A JSON array of strings, strictly as RFC 8259 writes it: the multi-valued cells are stored as
# published and parsed by each engine when read, and DuckDB's json_valid also accepts what Spark's
# from_json does not (a trailing comma, NaN), so the two would disagree on a cell it let through.
_JSON_STRING = r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"'
JSON_STRINGS = rf"[ \t\n\r]*\[[ \t\n\r]*(?:{_JSON_STRING}[ \t\n\r]*(?:,[ \t\n\r]*{_JSON_STRING}[ \t\n\r]*)*)?\][ \t\n\r]*"


def malformed_expression() -> str:
    """Why a row is malformed (NULL when it is not), but for its multi-valued cells
    (:func:`check_lists`, which come last). Values come in as the ``$day`` parameter."""
    checks = [
        "WHEN uuid IS NULL THEN 'no uuid'",
        "WHEN platform_name IS NULL THEN 'no platform_name'",
        f"WHEN try_strptime(created_at, '{TIMESTAMP}') IS NULL THEN 'created_at is not YYYY-MM-DD HH:MM:SS'",
        f"WHEN CAST(try_strptime(created_at, '{TIMESTAMP}') AS DATE) <> CAST($day AS DATE) "
        "THEN 'created_at is not on ' || $day || ', the day in the dump''s name'",
        "WHEN automated_detection IS NULL OR automated_detection NOT IN ('Yes', 'No') "
        "THEN 'automated_detection is not Yes/No'",
        # the other timestamps kept may be empty, never in another form (stored as NULL, unsaid)
        *(f"WHEN {column} IS NOT NULL AND try_strptime({column}, '{TIMESTAMP}') IS NULL "
          f"THEN '{column} is not YYYY-MM-DD HH:MM:SS'" for column in ("application_date", "content_date")),
    ]
    return "CASE\n  " + "\n  ".join(checks) + "\nEND"



# The partition folder of a platform: platform=X, platform=Hotel_Hideaway.
FOLDER = "regexp_replace(platform_name, '[^A-Za-z0-9]+', '_', 'g')"
def stored(table: str) -> str:
    """The rows of a part's table that are stored: kept, well-formed, not a repeat."""
    return f"keep AND why IS NULL AND rowid + 1 NOT IN (SELECT record FROM {table}_repeats)"


def select_valid(table: str, partitioned: bool) -> str:
    """The stored rows of ``table`` as stored; ``partitioned`` adds the ``platform`` column that
    PARTITION_BY turns into folders. The multi-valued columns (:data:`schema.LISTS`) are stored as
    the JSON arrays published, checked, and parsed by the readers' ``statements`` view
    (:func:`analysis.dsa.query.connect`): written as Parquet lists, ``territorial_scope``'s 27 or
    30 codes a row cost two thirds of the whole write, as text (one dictionary entry) almost
    nothing."""
    return f"""
SELECT uuid, decision_visibility, decision_account, decision_ground, category, category_addition,
  content_type, content_id_ean, territorial_scope,
  try_strptime(application_date, '{TIMESTAMP}') AS application_date,
  try_strptime(content_date, '{TIMESTAMP}') AS content_date,
  source_type,
  automated_detection = 'Yes' AS automated_detection,
  automated_decision, platform_name,
  strptime(created_at, '{TIMESTAMP}') AS created_at{f", {FOLDER} AS platform" if partitioned else ""}
FROM {table}
WHERE {stored(table)}"""


def quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def reader_sql(columns: tuple[str, ...] | list[str], options: str = "") -> str:
    """DuckDB's CSV reader for one part, its path as the ``$path`` parameter. The dialect and the
    columns are given, not sniffed: the header has been matched to a published layout already,
    and sniffing every part cost up to a fifth of the scan."""
    types = ", ".join(f"'{column}': 'VARCHAR'" for column in columns)  # a published layout's names
    return (f"read_csv($path, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
            f"columns = {{{types}}}{options})")



REPEATS = """
CREATE OR REPLACE TABLE {table}_repeats AS
WITH kept AS (SELECT rowid + 1 AS record, uuid FROM {table} WHERE keep AND why IS NULL),
first_here AS (SELECT uuid, min(record) AS first_record FROM kept GROUP BY uuid)
SELECT k.record, k.uuid, $part AS first_part, f.first_record
FROM kept k JOIN first_here f USING (uuid)
WHERE k.record <> f.first_record"""


# The day's stored statements grouped by the 64-bit hash of their uuid (computed by each part's
# thread; many times cheaper than grouping the strings, and 20 bytes a statement to hold rather
# than the uuid's 36 and more): the candidates, few, are told apart by uuid once read again.
CANDIDATES = """
CREATE OR REPLACE TEMP TABLE candidates AS
SELECT part, record FROM stored
WHERE uuid_hash IN (SELECT uuid_hash FROM stored GROUP BY uuid_hash HAVING count(*) > 1)"""

ACROSS_PARTS = """
CREATE OR REPLACE TEMP TABLE across AS
SELECT part, record, uuid, first_part, first_record FROM (
  SELECT part, record, uuid, first_value(part) OVER w AS first_part, first_value(record) OVER w AS first_record
  FROM candidates JOIN again USING (part, record)
  WINDOW w AS (PARTITION BY uuid ORDER BY part, record))
WHERE part <> first_part"""
