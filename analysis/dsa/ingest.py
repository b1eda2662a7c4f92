"""Daily dumps → Parquet partitioned by day and platform, streaming and atomic.

For each dump: every CSV part is read by DuckDB in one strict scan, all columns as text (a part
with broken lines is read again with DuckDB's rejects table, which counts and locates them); the
rows of the chosen platforms are checked (timestamps, Yes/No, JSON arrays), their JSON cells
parsed, and written as Parquet under a staging folder. Only when the whole day has been
read, and its share of malformed rows is under the threshold, does the staging folder replace
``DIR/date=YYYY-MM-DD`` (rename, so readers never see half a day). Each day folder carries
``_ingest.json`` with what was read, kept and refused.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import uuid as uuidlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
from tqdm import tqdm

from analysis.dsa import layout
from analysis.errors import DataError
from analysis.files import write_text

TIMESTAMP = "%Y-%m-%d %H:%M:%S"
MAX_MALFORMED = 0.01  # share of a day's rows; above it the day fails
EXAMPLES = 5


@dataclass
class DayReport:
    day: str
    source: str
    sha1_checked: bool = False
    parts: int = 0
    rows: int = 0
    kept: int = 0
    malformed: int = 0
    examples: list[str] = field(default_factory=list)  # "file, line N: why"
    platforms_missing: list[str] = field(default_factory=list)


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        try:
            return next(csv.reader(handle))
        except StopIteration:
            raise DataError("empty CSV part: no header", path=path) from None


def _variant(columns: list[str], name: str, where: Path) -> str:
    """``"full"`` or ``"light"``, or a clear error naming the missing and unexpected columns."""
    light = [c for c in layout.COLUMNS if c not in layout.LIGHT_DROPPED]
    for variant, expected in (("full", list(layout.COLUMNS)), ("light", light)):
        if columns == expected:
            return variant
    expected = list(layout.COLUMNS) if "territorial_scope" in columns or len(columns) > len(light) else light
    missing = [c for c in expected if c not in columns]
    unexpected = [c for c in columns if c not in expected]
    raise DataError(f"{name}: columns differ from the official layout: missing {missing}, "
                    f"unexpected {unexpected}", path=where, column=(missing or unexpected or ["order"])[0])


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET threads = 2; SET memory_limit = '1GB'; SET preserve_insertion_order = true")
    return con


# --- the scan of one part -------------------------------------------------------------------------

_MALFORMED = """
CASE
  WHEN uuid IS NULL THEN 'no uuid'
  WHEN platform_name IS NULL THEN 'no platform_name'
  WHEN try_strptime(created_at, '{ts}') IS NULL THEN 'created_at is not YYYY-MM-DD HH:MM:SS'
  WHEN automated_detection IS NULL OR automated_detection NOT IN ('Yes', 'No') THEN 'automated_detection is not Yes/No'
  {lists}
END
"""
# The partition folder of a platform: platform=X, platform=Hotel_Hideaway.
_FOLDER = "regexp_replace(platform_name, '[^A-Za-z0-9]+', '_', 'g')"


def _malformed_expression(variant: str) -> str:
    lists = [c for c in layout.LISTS if variant == "full" or c != "territorial_scope"]
    checks = "\n  ".join(f"WHEN {c} IS NOT NULL AND NOT coalesce(json_valid({c}), false) "
                         f"THEN '{c} is not a JSON array'" for c in lists)
    return _MALFORMED.format(ts=TIMESTAMP, lists=checks)


def _folder(con, platform_name: str) -> str:
    """The partition folder's value for a platform, as PARTITION_BY names it."""
    return con.execute(f"SELECT {_FOLDER} FROM (SELECT ? AS platform_name)", [platform_name]).fetchone()[0]


def _select_valid(variant: str, folder: bool) -> str:
    """The checked rows of ``part`` as stored; with ``folder``, plus the ``platform`` column that
    PARTITION_BY turns into folders."""
    scope = ("from_json(territorial_scope, '[\"VARCHAR\"]')" if variant == "full"
             else "CAST(NULL AS VARCHAR[])")
    return f"""
SELECT uuid,
  from_json(decision_visibility, '["VARCHAR"]') AS decision_visibility,
  decision_account, decision_ground, category,
  from_json(category_addition, '["VARCHAR"]') AS category_addition,
  from_json(content_type, '["VARCHAR"]') AS content_type,
  {scope} AS territorial_scope,
  try_strptime(application_date, '{TIMESTAMP}') AS application_date,
  try_strptime(content_date, '{TIMESTAMP}') AS content_date,
  source_type,
  automated_detection = 'Yes' AS automated_detection,
  automated_decision, platform_name,
  strptime(created_at, '{TIMESTAMP}') AS created_at{f", {_FOLDER} AS platform" if folder else ""}
FROM part WHERE keep AND why IS NULL"""


def reader_sql(columns: list[str], rejects: bool = False) -> str:
    """DuckDB's CSV reader for one part (the path is the only parameter). The dialect and columns
    are given, not sniffed: the header was checked against the official layout already, and
    sniffing each part cost a quarter of the scan."""
    types = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
    return (f"read_csv(?, header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
            f"columns = {{{types}}}{', store_rejects = true' if rejects else ''})")


def _scan(con, csv_path: Path, columns: list[str], variant: str, kept: list[str],
          platforms: list[str] | None) -> list[tuple]:
    """One scan of a part into the temporary table ``part``: a row for every row, whose kept
    columns and what is wrong with it (``why``) are filled only for the platforms kept (the other
    rows are only counted: storing even their platform cost a sixth of the scan). Returns DuckDB's
    rejected lines as ``(line, error)``: the fast path reads strictly and, only if a line is
    broken, the part is read again with DuckDB's rejects table to count and locate every one."""
    keep = "TRUE" if platforms is None else "platform_name IN (" + ", ".join("?" for _ in platforms) + ")"
    selected = ", ".join(f"CASE WHEN keep THEN {c} END AS {c}" for c in kept)
    why = f"CASE WHEN keep THEN {_malformed_expression(variant)} END AS why"
    sql = (f"CREATE OR REPLACE TEMP TABLE part AS SELECT keep, {selected}, {why} FROM "
           f"(SELECT *, {keep} AS keep FROM {{reader}})")
    parameters = [*(platforms or []), str(csv_path)]  # in the order the ? appear
    try:
        con.execute(sql.format(reader=reader_sql(columns, rejects=False)), parameters)
        return []
    except duckdb.Error:  # a broken line: read again, keeping the good lines and listing the bad
        con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
        con.execute(sql.format(reader=reader_sql(columns, rejects=True)), parameters)
        return con.execute("SELECT line, min(error_type) FROM reject_errors GROUP BY line ORDER BY line").fetchall()


@dataclass
class _PartReport:
    rows: int
    kept: int
    malformed: int
    examples: list[str]  # at most EXAMPLES, in file order
    platforms_seen: set[str]  # of the platforms kept


def _ingest_part(database: duckdb.DuckDBPyConnection, part: layout.Part, where: Path, staging: Path,
                 platforms: list[str] | None) -> _PartReport:
    """One CSV part, in a connection of its own (parts are read in parallel): scan
    (:func:`_scan`), check the kept rows, write them as Parquet under ``staging``. Row checks apply
    to the platforms kept; broken lines count whatever their platform."""
    columns = _header(part.path)
    variant = _variant(columns, part.name, where)
    kept = [c for c in layout.KEPT if variant == "full" or c != "territorial_scope"]
    con = database.cursor()
    try:
        rejects = _scan(con, part.path, columns, variant, kept, platforms)
        read, bad, count, seen, written = con.execute(
            f"SELECT count(*), count(why), count(*) FILTER (keep AND why IS NULL), "
            "list(DISTINCT platform_name) FILTER (keep), list(DISTINCT platform_name) FILTER (keep AND why IS NULL) "
            "FROM part").fetchone()
        examples = [f"{part.name}, line {line}: {kind.lower()}" for line, kind in rejects[:EXAMPLES]]
        if bad and len(examples) < EXAMPLES:  # only now pay for record numbers
            examples += [f"{part.name}, record {record}: {why}" for record, why in con.execute(f"""
                SELECT record, why FROM (SELECT row_number() OVER () AS record, why FROM part)
                WHERE why IS NOT NULL ORDER BY record LIMIT {EXAMPLES - len(examples)}""").fetchall()]
        if len(written or []) == 1:  # one platform (the usual X only): no partitioning to pay for
            folder = staging / f"platform={_folder(con, written[0])}"
            folder.mkdir(exist_ok=True)
            con.execute(f"COPY ({_select_valid(variant, folder=False)}) TO "
                        f"'{folder / f'part-{part.number:05d}-0.parquet'}' (FORMAT parquet)")
        elif written:
            con.execute(f"COPY ({_select_valid(variant, folder=True)}) TO '{staging}' (FORMAT parquet, "
                        f"PARTITION_BY (platform), FILENAME_PATTERN 'part-{part.number:05d}-{{i}}', "
                        "OVERWRITE_OR_IGNORE true)")
    finally:
        con.close()
    return _PartReport(rows=read + len(rejects), kept=count, malformed=len(rejects) + bad, examples=examples,
                       platforms_seen=set(seen or []))


# --- a day ---------------------------------------------------------------------------------------

def ingest_dump(path: str | Path, out_dir: str | Path, platforms: list[str] | None = ("X",),
                max_malformed: float = MAX_MALFORMED, log=print, progress: bool = True) -> DayReport:
    """Ingest one dump (zip of zips, zip of CSVs, or one CSV part) as its day's partition.

    ``platforms=None`` keeps every platform. Raises :class:`DataError` (leaving any previous
    ingest of that day untouched) for a corrupt archive, a zip-slip member, a wrong header, or a
    share of malformed rows above ``max_malformed``.
    """
    path, out_dir = Path(path), Path(out_dir)
    day = layout.dump_date(path)
    out_dir.mkdir(parents=True, exist_ok=True)
    platforms = None if platforms is None else list(platforms)
    report = DayReport(day=day, source=path.name)
    staging = out_dir / f".staging-{day}-{uuidlib.uuid4().hex[:8]}"
    seen: set[str] = set()
    try:
        if not path.exists():
            raise DataError("file not found", path=path)
        report.sha1_checked = layout.check_sha1(path)
        staging.mkdir()
        with tempfile.TemporaryDirectory(dir=out_dir, prefix=".scratch-") as scratch:
            database = _connect()
            try:
                parts = layout.map_parts(path, Path(scratch),
                                         lambda part: _ingest_part(database, part, path, staging, platforms))
                for part in tqdm(parts, desc=day, unit=" part", disable=None if progress else True, leave=False):
                    report.parts += 1
                    report.rows += part.rows
                    report.kept += part.kept
                    report.malformed += part.malformed
                    report.examples += part.examples[:EXAMPLES - len(report.examples)]
                    seen |= part.platforms_seen
            finally:
                database.close()
        if report.rows == 0:
            raise DataError("no rows in the dump", path=path)
        share = report.malformed / report.rows
        if share > max_malformed:
            raise DataError(f"{report.malformed} of {report.rows} rows malformed ({share:.2%}, above "
                            f"{max_malformed:.2%}): day not ingested. First: {'; '.join(report.examples)}",
                            path=path)
        report.platforms_missing = sorted(set(platforms or []) - seen)
        for name in report.platforms_missing:
            log(f"warning: platform {name!r} has no statement in {path.name} (unknown name?)")
        write_text(staging / "_ingest.json", json.dumps(asdict(report), indent=2) + "\n")
        _replace_day(staging, out_dir / f"date={day}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if report.malformed:
        log(f"{day}: {report.malformed} malformed rows set aside, e.g. {report.examples[0]}")
    return report


def _replace_day(staging: Path, target: Path) -> None:
    """Swap a finished day into place by renames: readers see the old day or the new, never half."""
    trash = target.with_name(f".trash-{target.name}-{uuidlib.uuid4().hex[:8]}")
    if target.exists():
        target.rename(trash)
    staging.rename(target)
    shutil.rmtree(trash, ignore_errors=True)
