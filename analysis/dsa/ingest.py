"""Daily dumps → Parquet partitioned by day and platform, streaming and atomic.

For each dump: every CSV part is read by DuckDB in one strict scan of the columns kept, as text,
two parts at a time, each by its own thread (:func:`layout.map_parts`; a part with broken lines is
read again with DuckDB's rejects table, which counts and locates them); its header says which
published layout it follows (:func:`layout.detect_layout`: 37 or 38 columns, full or light), and
every layout is written in the same Parquet schema (a column a layout lacks is null). The rows of
the chosen platforms (every ``platform_name`` of the service, :mod:`analysis.dsa.names`) are
checked (timestamps on the dump's day, Yes/No, JSON arrays of strings) and written as Parquet
under a staging folder by the same thread, the multi-valued columns as the JSON text published
(:func:`_select_valid`); the counts join the day in the parts' order. The day's SHA-1 is computed
meanwhile and checked before the day is swapped in.

Each statement is identified by its uuid across every part and inner zip of the day: an exact
repeat (same uuid, same content in every column) is kept once and listed in ``_ingest.json``
with its file and record; the same uuid with different content is a malformed row. Repeats within
a part are left out as it is written; repeats across parts are found, and taken out of the files
written, once the day is read.

Only when the whole day has been read, and its share of malformed rows is under the threshold,
does the staging folder replace ``DIR/date=YYYY-MM-DD`` (rename, so readers never see half a day).
Each run works in its own ``DIR/.ingest-*`` folder, held by a lock: a run that was killed leaves
that folder behind, and the next run removes it (putting back a day it had moved aside).
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import math
import os
import shutil
import threading
import uuid as uuidlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from difflib import get_close_matches
from pathlib import Path

import duckdb
from tqdm import tqdm

from analysis import synthetic
from analysis.dsa import layout, names
from analysis.errors import DataError, UsageError
from analysis.files import write_text

TIMESTAMP = "%Y-%m-%d %H:%M:%S"
MAX_MALFORMED = 0.01  # share of a day's rows; above it the day fails
EXAMPLES = 5
DUPLICATES_LISTED = 100  # in _ingest.json; the count is always complete
RUN_PREFIX = ".ingest-"


@dataclass
class DayReport:
    day: str
    source: str
    sha1_checked: bool = False
    synthetic: bool = False  # from the file name, the zip's comment or the rows' own marks
    layouts: list[str] = field(default_factory=list)
    parts: int = 0
    rows: int = 0
    kept: int = 0
    malformed: int = 0
    duplicates: int = 0  # exact repeats of a statement already kept: counted once
    examples: list[str] = field(default_factory=list)  # "file, line N: why"
    duplicate_examples: list[dict] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)  # the platform_name values selected
    platforms_missing: list[str] = field(default_factory=list)


def _head(path: Path) -> tuple[list[str], dict[str, str]]:
    """The header and the first record (as a dict; empty when there is none or it is unreadable:
    the scan locates what is wrong with it)."""
    with open(path, "rb") as handle:
        line = handle.readline()
        if not line:
            raise DataError("empty CSV part: no header", path=path)
        try:
            header = next(csv.reader([line.decode("utf-8-sig")]))
        except (csv.Error, UnicodeDecodeError, StopIteration) as error:
            raise DataError(f"unreadable CSV header: {error}", path=path, row=1) from None
        try:
            first = next(csv.reader(io.TextIOWrapper(handle, encoding="utf-8", errors="replace", newline="")), [])
        except csv.Error:
            first = []
    return header, dict(zip(header, first))


def _looks_synthetic(first: dict[str, str]) -> bool:
    return (first.get("platform_uid", "").startswith(layout.SYNTHETIC_UID_PREFIX)
            or first.get("decision_facts", "").startswith(layout.SYNTHETIC_FACTS_PREFIX))


def _connect(spill: Path) -> duckdb.DuckDBPyConnection:
    """A connection whose tables spill to ``spill`` (the run's folder) past the memory limit; the
    hashes of a day's uuids (``stored``, 20 bytes a statement) could outgrow it on a large day. Parts
    are scanned in cursors of it (:func:`_ingest_part`), into tables all cursors see. One thread
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
_JSON_STRINGS = rf"[ \t\n\r]*\[[ \t\n\r]*(?:{_JSON_STRING}[ \t\n\r]*(?:,[ \t\n\r]*{_JSON_STRING}[ \t\n\r]*)*)?\][ \t\n\r]*"


def _malformed_expression() -> str:
    """Why a row is malformed (NULL when it is not), but for its multi-valued cells
    (:func:`_check_lists`, which come last). Values come in as the ``$day`` parameter."""
    checks = [
        "WHEN uuid IS NULL THEN 'no uuid'",
        "WHEN platform_name IS NULL THEN 'no platform_name'",
        f"WHEN try_strptime(created_at, '{TIMESTAMP}') IS NULL THEN 'created_at is not YYYY-MM-DD HH:MM:SS'",
        f"WHEN CAST(try_strptime(created_at, '{TIMESTAMP}') AS DATE) <> CAST($day AS DATE) "
        "THEN 'created_at is not on ' || $day || ', the day in the dump''s name'",
        "WHEN automated_detection IS NULL OR automated_detection NOT IN ('Yes', 'No') "
        "THEN 'automated_detection is not Yes/No'",
    ]
    return "CASE\n  " + "\n  ".join(checks) + "\nEND"


def _check_lists(con, table: str, found: layout.Layout) -> None:
    """Mark the kept rows whose multi-valued cells are not JSON arrays of strings, the last of the
    row checks, in :data:`layout.LISTS` order. Each distinct value is matched once: a part's rows
    share few of them (``territorial_scope`` lists the same 27 or 30 codes), and matching every
    row cost a tenth of the scan."""
    lists = [c for c in layout.LISTS if c in found.columns]
    distinct = " UNION ALL ".join(f"SELECT '{c}' AS name, value FROM (SELECT DISTINCT {c} AS value FROM {table} "
                                  f"WHERE keep AND why IS NULL AND {c} IS NOT NULL)" for c in lists)
    bad = dict(con.execute(f"SELECT name, list(value) FROM ({distinct}) WHERE NOT regexp_full_match(value, "
                           f"'{_JSON_STRINGS}') GROUP BY name").fetchall())
    if bad:
        checks = [(c, f"list_contains(${c}, {c})") for c in lists if c in bad]
        con.execute(f"UPDATE {table} SET why = CASE "
                    + " ".join(f"WHEN {test} THEN '{c} is not a JSON array of strings'" for c, test in checks)
                    + f" END WHERE keep AND why IS NULL AND ({' OR '.join(test for _, test in checks)})", bad)


# The partition folder of a platform: platform=X, platform=Hotel_Hideaway.
_FOLDER = "regexp_replace(platform_name, '[^A-Za-z0-9]+', '_', 'g')"
def _stored(table: str) -> str:
    """The rows of a part's table that are stored: kept, well-formed, not a repeat."""
    return f"keep AND why IS NULL AND rowid + 1 NOT IN (SELECT record FROM {table}_repeats)"


def _select_valid(table: str, partitioned: bool) -> str:
    """The stored rows of ``table`` as stored; ``partitioned`` adds the ``platform`` column that
    PARTITION_BY turns into folders. The multi-valued columns (:data:`layout.LISTS`) are stored as
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
  strptime(created_at, '{TIMESTAMP}') AS created_at{f", {_FOLDER} AS platform" if partitioned else ""}
FROM {table}
WHERE {_stored(table)}"""


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def reader_sql(columns: tuple[str, ...] | list[str], options: str = "") -> str:
    """DuckDB's CSV reader for one part, its path as the ``$path`` parameter. The dialect and the
    columns are given, not sniffed: the header has been matched to a published layout already,
    and sniffing every part cost up to a fifth of the scan."""
    types = ", ".join(f"'{column}': 'VARCHAR'" for column in columns)  # a published layout's names
    return (f"read_csv($path, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
            f"columns = {{{types}}}{options})")


def count_rows(dump: str | Path, scratch: Path) -> int:
    """Every row of a dump, counted by the same extraction and reader as the ingest but kept
    nowhere: the floor the benchmarks compare the ingest with."""
    database = duckdb.connect()
    database.execute("SET threads = 2")

    def count(part: layout.Part) -> int:
        with database.cursor() as con:
            return con.execute(f"SELECT count(*) FROM {reader_sql(layout.COLUMNS)}",
                               {"path": str(part.path)}).fetchone()[0]

    return sum(layout.map_parts(dump, Path(scratch), count))


def _columns(part: layout.Part, where: Path) -> tuple[str, ...]:
    """The columns of a part's published layout, from its header."""
    return layout.detect_layout(_head(part.path)[0], part.name, where).columns


# --- the scan of one part, in a worker thread (parts are scanned two at a time) -------------------

def _scan(con, table: str, part: layout.Part, found: layout.Layout, day: str, platforms: list[str] | None,
          where: str) -> list[tuple]:
    """One scan of a part into ``table``: a row for every row, whose kept columns (null where the
    layout lacks one) and what is wrong with it (``why``) are filled for the platforms kept only
    (the other rows are only counted: storing even their platform cost a sixth of the scan).
    Only the kept columns are read (every column if the part is not all UTF-8, which DuckDB checks
    only in the columns it reads: :class:`layout.Utf8Check`): the whole content of a row is read
    again only if its uuid repeats (:func:`_read_again`). Returns DuckDB's rejected lines as
    ``(line, error)``: the fast path reads strictly and, only if a line is broken, the part is read
    again with DuckDB's rejects table to count and locate every broken line."""
    keep = "TRUE" if platforms is None else "list_contains($platforms, platform_name)"
    columns = ", ".join(f"CASE WHEN keep THEN {c} END AS {c}" if c in found.columns
                        else f"CAST(NULL AS VARCHAR) AS {c}" for c in layout.KEPT)
    why = f"CASE WHEN keep THEN {_malformed_expression()} END AS why"
    every = "" if part.is_utf8() else f", hash({', '.join(_quoted(c) for c in found.columns)}) AS every_column"
    def sql(reader: str) -> str:
        return (f"CREATE OR REPLACE TABLE {table} AS SELECT keep, {columns}, {why}{every} "
                f"FROM (SELECT *, {keep} AS keep FROM {reader})")

    parameters = {"path": str(part.path), "day": day}
    if platforms is not None:
        parameters["platforms"] = platforms
    try:
        con.execute(sql(reader_sql(found.columns)), parameters)
        return []
    except duckdb.Error:  # a broken line: read again, keeping the good lines and listing the bad
        con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
        try:
            con.execute(sql(reader_sql(found.columns, ", store_rejects = true")), parameters)
        except duckdb.Error as error:
            raise DataError(f"unreadable CSV part: {str(error).splitlines()[0]}", path=where) from None
        return con.execute("SELECT line, min(error_type) FROM reject_errors GROUP BY line ORDER BY line").fetchall()


@dataclass
class _PartReport:
    """What one part added to the day."""
    name: str
    layout: str
    synthetic: bool
    rows: int
    kept: int  # stored, before the repeats across parts are taken out
    malformed: int
    examples: list[str]  # at most EXAMPLES, in file order
    platforms: set[str]  # platform_name values among the rows kept


_REPEATS = """
CREATE OR REPLACE TABLE {table}_repeats AS
WITH kept AS (SELECT rowid + 1 AS record, uuid FROM {table} WHERE keep AND why IS NULL),
first_here AS (SELECT uuid, min(record) AS first_record FROM kept GROUP BY uuid)
SELECT k.record, k.uuid, $part AS first_part, f.first_record
FROM kept k JOIN first_here f USING (uuid)
WHERE k.record <> f.first_record"""


def _ingest_part(database: duckdb.DuckDBPyConnection, part: layout.Part, where: Path, day: str,
                 platforms: list[str] | None, staging: Path) -> _PartReport:
    """One CSV part, in a worker thread and a cursor of its own: scan it (:func:`_scan`), check
    its kept rows, find the statements whose uuid came earlier in the part (not stored), note the
    hashes of the uuids stored (``stored``: those that came in an earlier part are found once the
    day is read, :func:`_repeats_across_parts`; comparing each part with every statement before
    it made a day quadratic in its parts), and write the stored rows as Parquet under
    ``staging``. Row checks apply to the platforms kept; broken lines count whatever their
    platform."""
    header, first = _head(part.path)
    found = layout.detect_layout(header, part.name, where)
    table, number = f"part_{part.number:05d}", {"part": part.number}
    with database.cursor() as con:
        rejects = _scan(con, table, part, found, day, platforms, f"{where}/{part.name}")
        _check_lists(con, table, found)
        read, bad, seen = con.execute(f"SELECT count(*), count(why), list(DISTINCT platform_name) FILTER (keep) "
                                      f"FROM {table}").fetchone()
        examples = [f"{part.name}, line {line}: {kind.lower()}" for line, kind in rejects[:EXAMPLES]]
        if bad and len(examples) < EXAMPLES:  # only now pay for record numbers
            examples += [f"{part.name}, record {record}: {why}" for record, why in con.execute(
                f"SELECT rowid + 1, why FROM {table} WHERE why IS NOT NULL ORDER BY rowid LIMIT ?",
                [EXAMPLES - len(examples)]).fetchall()]
        con.execute(_REPEATS.format(table=table), number)
        con.execute(f"INSERT INTO repeated SELECT $part, record, uuid, first_part, first_record FROM {table}_repeats",
                    number)
        con.execute(f"INSERT INTO stored SELECT hash(uuid), $part, rowid + 1 FROM {table} "
                    f"WHERE {_stored(table)}", number)
        kept, names = con.execute(f"SELECT count(*), list(DISTINCT platform_name) FROM {table} "
                                  f"WHERE {_stored(table)}").fetchone()
        if kept and len(names) == 1:  # one platform (the usual X only): no partitioning to pay for
            folder, = con.execute(f"SELECT {_FOLDER} FROM (SELECT ? AS platform_name)", names).fetchone()
            (staging / f"platform={folder}").mkdir(exist_ok=True)
            con.execute(f"COPY ({_select_valid(table, partitioned=False)}) TO $target (FORMAT parquet)",
                        {"target": str(staging / f"platform={folder}" / f"part-{part.number:05d}-0.parquet")})
        elif kept:
            con.execute(f"COPY ({_select_valid(table, partitioned=True)}) TO $staging (FORMAT parquet, "
                        f"PARTITION_BY (platform), FILENAME_PATTERN 'part-{part.number:05d}-{{i}}', "
                        "OVERWRITE_OR_IGNORE true)", {"staging": str(staging)})
        con.execute(f"DROP TABLE {table}; DROP TABLE {table}_repeats")
    return _PartReport(name=part.name, layout=found.name, synthetic=_looks_synthetic(first),
                       rows=read + len(rejects), kept=kept, malformed=len(rejects) + bad, examples=examples,
                       platforms={p for p in seen or [] if p is not None})


def _add_part(report: DayReport, added: _PartReport, part_names: list[str]) -> None:
    """Add a part's counts to the day's, in the parts' order."""
    if added.layout not in report.layouts:
        report.layouts.append(added.layout)
    report.synthetic = report.synthetic or added.synthetic
    report.rows += added.rows
    report.kept += added.kept
    report.malformed += added.malformed
    report.examples += added.examples[:EXAMPLES - len(report.examples)]
    part_names.append(added.name)
    report.parts += 1


# --- once the day is read ------------------------------------------------------------------------

# The day's stored statements grouped by the 64-bit hash of their uuid (computed by each part's
# thread; many times cheaper than grouping the strings, and 20 bytes a statement to hold rather
# than the uuid's 36 and more): the candidates, few, are told apart by uuid once read again.
_CANDIDATES = """
CREATE OR REPLACE TEMP TABLE candidates AS
SELECT part, record FROM stored
WHERE uuid_hash IN (SELECT uuid_hash FROM stored GROUP BY uuid_hash HAVING count(*) > 1)"""

_ACROSS_PARTS = """
CREATE OR REPLACE TEMP TABLE across AS
SELECT part, record, uuid, first_part, first_record FROM (
  SELECT part, record, uuid, first_value(part) OVER w AS first_part, first_value(record) OVER w AS first_record
  FROM candidates JOIN again USING (part, record)
  WINDOW w AS (PARTITION BY uuid ORDER BY part, record))
WHERE part <> first_part"""


def _read_again(con, path: Path, scratch: Path, limits: layout.Limits) -> None:
    """Read again the parts that hold a repeat within the part (``repeated``), its first
    occurrence, or a candidate repeat across parts (``candidates``: a uuid hash stored from two
    parts), all columns, and keep the uuid and a digest of every column of those records
    (``again``): DuckDB's 64-bit hash, for which another content hashing alike has odds of 2^-64.
    That is rare, and the scan thus reads only the kept columns (hashing every column of every
    kept row cost a fifth of the scan) and stores only the uuids' hashes."""
    con.execute(f"SET threads = {layout.WORKERS}")  # the parts' threads are done: every core
    con.execute(_CANDIDATES)
    con.execute("SET threads = 1")
    con.execute("""CREATE OR REPLACE TABLE wanted AS
        SELECT part, record FROM repeated UNION SELECT first_part, first_record FROM repeated
        UNION SELECT part, record FROM candidates""")
    con.execute("CREATE OR REPLACE TABLE again (part INTEGER, record BIGINT, uuid VARCHAR, digest UBIGINT)")
    involved = {part for (part,) in con.execute("SELECT DISTINCT part FROM wanted").fetchall()}
    if not involved:
        return

    def read(part: layout.Part) -> None:
        columns = _columns(part, path)
        with con.cursor() as cursor:  # as the scan reads a part with broken lines: the same record numbers
            cursor.execute(f"CREATE TEMP TABLE whole AS SELECT uuid, hash({', '.join(_quoted(c) for c in columns)}) "
                           f"AS digest FROM {reader_sql(columns, ', store_rejects = true')}", {"path": str(part.path)})
            cursor.execute("INSERT INTO again SELECT $part, rowid + 1, uuid, digest FROM whole WHERE rowid + 1 IN "
                           "(SELECT record FROM wanted WHERE part = $part)", {"part": part.number})

    with closing(layout.map_parts(path, scratch, read, limits, only=involved)) as done:
        for _ in done:
            pass
    missing = con.execute("SELECT count(*) FROM wanted ANTI JOIN again USING (part, record)").fetchone()[0]
    if missing:  # a repeat left uncounted would be stored twice
        raise DataError(f"{missing} repeated records could not be read again", path=path)


def _repeats_across_parts(con, staging: Path, report: DayReport) -> None:
    """Find the statements whose uuid was stored from an earlier part (among the candidates read
    again, :func:`_read_again`), take them out of their part's Parquet files again (rare: the
    files are rewritten without them) and out of ``kept``; :func:`_judge_repeats` then counts
    them."""
    con.execute(_ACROSS_PARTS)
    con.execute("INSERT INTO repeated SELECT * FROM across")
    for (part,) in con.execute("SELECT DISTINCT part FROM across ORDER BY part").fetchall():
        for file in sorted(staging.glob(f"platform=*/part-{part:05d}-*.parquet")):
            rewritten = file.with_name(f".{file.name}")
            left = con.execute("SELECT count(*) FROM read_parquet($file) WHERE uuid NOT IN "
                               "(SELECT uuid FROM across WHERE part = $part)", {"file": str(file), "part": part})
            if left.fetchone()[0]:
                con.execute("COPY (SELECT * FROM read_parquet($file) WHERE uuid NOT IN (SELECT uuid FROM across "
                            "WHERE part = $part)) TO $rewritten (FORMAT parquet)",
                            {"file": str(file), "part": part, "rewritten": str(rewritten)})
                rewritten.replace(file)
            else:
                file.unlink()
                if not any(file.parent.iterdir()):
                    file.parent.rmdir()
    report.kept -= con.execute("SELECT count(*) FROM across").fetchone()[0]


def _judge_repeats(con, part_names: list[str], report: DayReport) -> None:
    """Count the day's repeated uuids as exact repeats (the same digest of every column in both
    rows, :func:`_read_again`: counted once) or conflicting ones (malformed rows)."""
    judged = con.execute("""
        SELECT r.part, r.record, r.uuid, r.first_part, r.first_record, a.digest = b.digest AS same
        FROM repeated r JOIN again a ON a.part = r.part AND a.record = r.record
        JOIN again b ON b.part = r.first_part AND b.record = r.first_record
        ORDER BY r.part, r.record""").fetchall()
    for part, record, uuid, first_part, first_record, same in judged:
        if same:
            report.duplicates += 1
            if len(report.duplicate_examples) < DUPLICATES_LISTED:
                report.duplicate_examples.append({"uuid": uuid, "file": part_names[part], "record": record,
                                                  "first_file": part_names[first_part], "first_record": first_record})
        else:
            report.malformed += 1
            if len(report.examples) < EXAMPLES:
                report.examples.append(f"{part_names[part]}, record {record}: uuid {uuid} already seen with "
                                       f"other content ({part_names[first_part]}, record {first_record})")


def _platform_names(con, path: Path, scratch: Path, limits: layout.Limits) -> set[str]:
    """Every platform_name of a dump, read again: only to suggest the right name for a platform
    asked for and absent (the scan counts the other platforms' rows without their names)."""
    def names_in(part: layout.Part) -> set[str]:
        with con.cursor() as cursor:
            return {name for (name,) in cursor.execute(
                f"SELECT DISTINCT platform_name FROM {reader_sql(_columns(part, path), ', store_rejects = true')}",
                {"path": str(part.path)}).fetchall() if name}

    with closing(layout.map_parts(path, scratch, names_in, limits)) as found:
        return set().union(*found)


def check_share(value: float) -> float:
    """A share of rows, 0 to 1 (NaN and infinities refused)."""
    if not isinstance(value, (int, float)) or math.isnan(value) or not 0 <= value <= 1:
        raise UsageError(f"--max-malformed must be a share between 0 and 1 (e.g. 0.01), not {value!r}")
    return float(value)


def ingest_dump(path: str | Path, out_dir: str | Path, platforms: list[str] | None = ("X",),
                max_malformed: float = MAX_MALFORMED, log=print, progress: bool = True,
                allow_absent: bool = False, limits: layout.Limits = layout.DEFAULT_LIMITS) -> DayReport:
    """Ingest one dump (zip of zips, zip of CSVs, or one CSV part) as its day's partition.

    ``platforms`` are services (each stands for all its ``platform_name`` values); ``None`` keeps
    every platform. Raises :class:`DataError` (leaving any previous ingest of that day untouched)
    for a corrupt archive, a zip-slip or zip-bomb member, an unknown header, or a share of
    malformed rows above ``max_malformed``; and :class:`UsageError` when a platform asked for
    has no statement in the dump (a misspelt name would otherwise replace the day with an empty
    one), unless ``allow_absent``.
    """
    path, out_dir = Path(path), Path(out_dir)
    max_malformed = check_share(max_malformed)
    day = layout.dump_date(path)
    if not path.exists():
        raise DataError("file not found", path=path)
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = None if platforms is None else names.names_of(platforms)
    report = DayReport(day=day, source=path.name, platforms=wanted or [],
                       synthetic=synthetic.named_synthetic(path.name)
                       or layout.SYNTHETIC_COMMENT in layout.zip_comment(path))
    seen: set[str] = set()  # platform names met among the rows kept
    part_names: list[str] = []
    interrupted = threading.Event()
    with run_folder(out_dir) as run, ThreadPoolExecutor(1, thread_name_prefix="dsa-sha1") as checker:
        # The checksum is computed while the parts are read (the first inner zip's extraction
        # would otherwise wait for it) and checked before anything is written in place.
        sha1 = checker.submit(layout.check_sha1, path, interrupted.is_set)
        staging, scratch = run / "staging", run / "scratch"
        staging.mkdir()
        scratch.mkdir()
        con = _connect(scratch)
        try:
            parts = layout.map_parts(path, scratch, lambda part: _ingest_part(con, part, path, day, wanted, staging),
                                     limits)
            try:
                with closing(parts):  # on any error, the threads are stopped before the connection closes
                    for added in tqdm(parts, desc=day, unit=" part", disable=None if progress else True, leave=False):
                        seen |= added.platforms
                        _add_part(report, added, part_names)
            except Exception:
                sha1.result()  # a dump that fails its checksum is reported as such, whatever broke in reading it
                raise
            except BaseException:  # Ctrl-C: stop hashing too
                interrupted.set()
                raise
            report.sha1_checked = sha1.result()
            _read_again(con, path, scratch, limits)
            _repeats_across_parts(con, staging, report)
            _judge_repeats(con, part_names, report)
            if report.rows == 0:
                raise DataError("no rows in the dump", path=path)
            share = report.malformed / report.rows
            if share > max_malformed:
                raise DataError(f"{report.malformed} of {report.rows} rows malformed ({share:.2%}, above "
                                f"{max_malformed:.2%}): day not ingested. First: {'; '.join(report.examples)}",
                                path=path)
            report.platforms_missing = [service for service in platforms or []
                                        if not set(names.names_of([service])) & seen]
            if report.platforms_missing and not allow_absent:
                present = sorted(_platform_names(con, path, scratch, limits))
                hints = {service: get_close_matches(service, present, n=3, cutoff=0.5)
                         for service in report.platforms_missing}
                raise UsageError(
                    f"{path}: no statement of {', '.join(map(repr, report.platforms_missing))} in this dump, "
                    "so nothing was written (the day keeps its previous ingest). "
                    + "".join(f"Did you mean {' or '.join(map(repr, close))} for {service!r}? "
                              for service, close in hints.items() if close)
                    + "If the platform truly filed nothing that day, pass --allow-absent.")
        finally:
            con.close()
        for service in report.platforms_missing:
            log(f"warning: platform {service!r} has no statement in {path.name}: recorded as none")
        write_text(staging / "_ingest.json", json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n")
        _replace_day(staging, out_dir / f"date={day}", run)
    if report.malformed:
        log(f"{day}: {report.malformed} malformed rows set aside, e.g. {report.examples[0]}")
    if report.duplicates:
        first = report.duplicate_examples[0]
        log(f"{day}: {report.duplicates} exact duplicate statements counted once, e.g. uuid "
            f"{first['uuid']} in {first['file']}, record {first['record']}")
    return report


# --- one private folder per run, and cleaning up after killed runs ----------------------------

@contextmanager
def run_folder(out_dir: Path) -> Iterator[Path]:
    """A private ``out_dir/.ingest-TOKEN`` folder, held by an exclusive lock on
    ``.ingest-TOKEN.lock`` for as long as this run lives; the folders of dead runs are cleaned
    first (:func:`recover`). The folder is removed when the run ends, whatever the outcome."""
    recover(out_dir)
    while True:
        token = uuidlib.uuid4().hex[:12]
        lock_path = out_dir / f"{RUN_PREFIX}{token}.lock"
        handle = open(lock_path, "w")
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:  # a concurrent recover() may have removed the file before we locked it
            if os.fstat(handle.fileno()).st_ino == os.stat(lock_path).st_ino:
                break
        except FileNotFoundError:
            pass
        handle.close()
    run = out_dir / f"{RUN_PREFIX}{token}"
    try:
        run.mkdir()
        yield run
    finally:
        shutil.rmtree(run, ignore_errors=True)
        lock_path.unlink(missing_ok=True)
        handle.close()


def recover(out_dir: Path) -> list[str]:
    """Remove what killed runs left in ``out_dir`` (their lock is free): staging, scratch, and a
    day moved aside but not yet replaced goes back into place. Returns what was done."""
    done = []
    for lock_path in sorted(Path(out_dir).glob(f"{RUN_PREFIX}*.lock")):
        with open(lock_path, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live run
            run = lock_path.with_suffix("")
            for moved in sorted((run / "trash").glob("date=*")):
                target = Path(out_dir) / moved.name
                if not target.exists():
                    moved.rename(target)
                    done.append(f"restored {target.name} from a killed run")
            shutil.rmtree(run, ignore_errors=True)
            lock_path.unlink(missing_ok=True)
            done.append(f"removed {run.name}")
    return done


def _replace_day(staging: Path, target: Path, run: Path) -> None:
    """Swap a finished day into place by renames: readers see the old day or the new, never half;
    if the run dies between the two renames, :func:`recover` puts the old day back."""
    trash = run / "trash"
    trash.mkdir()
    if target.exists():
        target.rename(trash / target.name)
    staging.rename(target)
    shutil.rmtree(trash, ignore_errors=True)
