"""Daily dumps → Parquet partitioned by day and platform, streaming and atomic.

For each dump: every CSV part is read by DuckDB in one strict scan, all columns as text (a part
with broken lines is read again with DuckDB's rejects table, which counts and locates them); its
header says which published layout it follows (:func:`layout.detect_layout`: 37 or 38 columns,
full or light), and every layout is written in the same Parquet schema (a column a layout lacks is
null). The rows of the chosen platforms (every ``platform_name`` of the service,
:mod:`analysis.dsa.names`) are checked (timestamps on the dump's day, Yes/No, JSON arrays), their
JSON cells parsed, and written as Parquet under a staging folder.

Each statement is identified by its uuid across every part and inner zip of the day: an exact
repeat (same uuid, same content in every column) is kept once and listed in ``_ingest.json``
with its file and record; the same uuid with different content is a malformed row.

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
import uuid as uuidlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from difflib import get_close_matches
from pathlib import Path

import duckdb
from tqdm import tqdm

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
    uuids of a day's statements (``seen``) can outgrow memory when every platform is kept."""
    con = duckdb.connect(config={"temp_directory": str(spill)})
    con.execute("SET threads = 2; SET memory_limit = '1GB'; SET preserve_insertion_order = true")
    con.execute("CREATE TEMP TABLE seen (uuid VARCHAR, digest UHUGEINT, part INTEGER, record BIGINT)")
    return con


def _malformed_expression(found: layout.Layout) -> str:
    """Why a row is malformed (NULL when it is not). Values come in as the ``$day`` parameter."""
    checks = [
        "WHEN uuid IS NULL THEN 'no uuid'",
        "WHEN platform_name IS NULL THEN 'no platform_name'",
        f"WHEN try_strptime(created_at, '{TIMESTAMP}') IS NULL THEN 'created_at is not YYYY-MM-DD HH:MM:SS'",
        f"WHEN CAST(try_strptime(created_at, '{TIMESTAMP}') AS DATE) <> CAST($day AS DATE) "
        "THEN 'created_at is not on ' || $day || ', the day in the dump''s name'",
        "WHEN automated_detection IS NULL OR automated_detection NOT IN ('Yes', 'No') "
        "THEN 'automated_detection is not Yes/No'",
    ]
    checks += [f"WHEN {c} IS NOT NULL AND NOT coalesce(json_valid({c}), false) THEN '{c} is not a JSON array'"
               for c in layout.LISTS if c in found.columns]
    return "CASE\n  " + "\n  ".join(checks) + "\nEND"


_SELECT_VALID = f"""
SELECT uuid,
  from_json(decision_visibility, '["VARCHAR"]') AS decision_visibility,
  decision_account, decision_ground, category,
  from_json(category_addition, '["VARCHAR"]') AS category_addition,
  from_json(content_type, '["VARCHAR"]') AS content_type,
  content_id_ean,
  from_json(territorial_scope, '["VARCHAR"]') AS territorial_scope,
  try_strptime(application_date, '{TIMESTAMP}') AS application_date,
  try_strptime(content_date, '{TIMESTAMP}') AS content_date,
  source_type,
  automated_detection = 'Yes' AS automated_detection,
  automated_decision, platform_name,
  strptime(created_at, '{TIMESTAMP}') AS created_at,
  regexp_replace(platform_name, '[^A-Za-z0-9]+', '_', 'g') AS platform
FROM part
WHERE keep AND why IS NULL AND rowid + 1 NOT IN (SELECT record FROM repeats)"""


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _scan(con, csv_path: Path, found: layout.Layout, day: str, platforms: list[str] | None,
          where: str) -> list[tuple]:
    """One parallel scan of a part into the temporary table ``part``: the platform of every row
    and, for the platforms kept only, the kept columns (null where the layout lacks one), what is
    wrong with the row (``why``) and a digest of its whole content. Returns DuckDB's rejected
    lines as ``(line, error)``: the fast path reads strictly and, only if a line is broken, the
    part is read again with DuckDB's rejects table to count and locate every broken line."""
    keep = "TRUE" if platforms is None else "list_contains($platforms, platform_name)"
    columns = ", ".join(f"CASE WHEN keep THEN {c} END AS {c}" if c in found.columns
                        else f"CAST(NULL AS VARCHAR) AS {c}" for c in layout.KEPT if c != "platform_name")
    why = f"CASE WHEN keep THEN {_malformed_expression(found)} END AS why"
    every = ", ".join(_quoted(c) for c in found.columns)
    digest = f"CASE WHEN keep THEN md5_number(to_json(list_value({every}))) END AS digest"
    sql = (f"CREATE OR REPLACE TEMP TABLE part AS SELECT platform_name, keep, {columns}, {why}, {digest} "
           f"FROM (SELECT *, {keep} AS keep FROM read_csv($path, header = true, all_varchar = true{{rejects}}))")
    parameters = {"path": str(csv_path), "day": day}
    if platforms is not None:
        parameters["platforms"] = platforms
    try:
        con.execute(sql.format(rejects=""), parameters)
        return []
    except duckdb.Error:  # a broken line: read again, keeping the good lines and listing the bad
        con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
        try:
            con.execute(sql.format(rejects=", store_rejects = true"), parameters)
        except duckdb.Error as error:
            raise DataError(f"unreadable CSV part: {str(error).splitlines()[0]}", path=where) from None
        return con.execute("SELECT line, min(error_type) FROM reject_errors GROUP BY line ORDER BY line").fetchall()


_REPEATS = """
CREATE OR REPLACE TEMP TABLE repeats AS
WITH kept AS (SELECT rowid + 1 AS record, uuid, digest FROM part WHERE keep AND why IS NULL),
first_here AS (SELECT uuid, arg_min(digest, record) AS digest, min(record) AS record FROM kept GROUP BY uuid),
original AS (
  SELECT f.uuid, coalesce(s.digest, f.digest) AS digest, coalesce(s.part, $part) AS part,
         coalesce(s.record, f.record) AS record
  FROM first_here f LEFT JOIN seen s USING (uuid))
SELECT k.record, k.uuid, k.digest = o.digest AS same, o.part AS first_part, o.record AS first_record
FROM kept k JOIN original o USING (uuid)
WHERE NOT (o.part = $part AND o.record = k.record)"""


def _check_repeats(con, number: int, part_names: list[str], report: DayReport) -> None:
    """Find part ``number``'s statements already kept (earlier in the part or in an earlier
    part), count the exact repeats and the conflicting ones, remember the new ones."""
    name, where = part_names[number], {"part": number}
    con.execute(_REPEATS, where)
    same, conflicting = con.execute("SELECT count(*) FILTER (same), count(*) FILTER (NOT same) "
                                    "FROM repeats").fetchone()
    report.duplicates += same
    report.malformed += conflicting
    if same and len(report.duplicate_examples) < DUPLICATES_LISTED:
        rows = con.execute("SELECT uuid, record, first_part, first_record FROM repeats WHERE same "
                           "ORDER BY record LIMIT ?", [DUPLICATES_LISTED - len(report.duplicate_examples)]).fetchall()
        report.duplicate_examples += [{"uuid": u, "file": name, "record": r, "first_file": part_names[f],
                                       "first_record": fr} for u, r, f, fr in rows]
    if conflicting and len(report.examples) < EXAMPLES:
        rows = con.execute("SELECT uuid, record, first_part, first_record FROM repeats WHERE NOT same "
                           "ORDER BY record LIMIT ?", [EXAMPLES - len(report.examples)]).fetchall()
        report.examples += [f"{name}, record {r}: uuid {u} already seen with other content "
                            f"({part_names[f]}, record {fr})" for u, r, f, fr in rows]
    con.execute("INSERT INTO seen SELECT uuid, digest, $part, rowid + 1 FROM part "
                "WHERE keep AND why IS NULL AND rowid + 1 NOT IN (SELECT record FROM repeats)", where)


def _ingest_part(con, csv_path: Path, name: str, where: Path, number: int, staging: Path,
                 platforms: list[str] | None, report: DayReport, seen: set[str],
                 part_names: list[str]) -> None:
    """One CSV part: scan (:func:`_scan`), check the kept rows and their uuids, write them as
    Parquet. Row checks apply to the platforms kept; broken lines count whatever their platform."""
    header, first = _head(csv_path)
    found = layout.detect_layout(header, name, where)
    if found.name not in report.layouts:
        report.layouts.append(found.name)
    report.synthetic = report.synthetic or _looks_synthetic(first)
    rejects = _scan(con, csv_path, found, report.day, platforms, f"{where}/{name}")
    read, platforms_seen = con.execute("SELECT count(*), list(DISTINCT platform_name) FROM part").fetchone()
    seen.update(platform for platform in platforms_seen or [] if platform is not None)
    bad = con.execute("SELECT count(why) FROM part").fetchone()[0]
    report.rows += read + len(rejects)
    report.malformed += len(rejects) + bad
    report.examples += [f"{name}, line {line}: {kind.lower()}"
                        for line, kind in rejects[:EXAMPLES - len(report.examples)]]
    if bad and len(report.examples) < EXAMPLES:  # only now pay for record numbers
        examples = con.execute("SELECT rowid + 1, why FROM part WHERE why IS NOT NULL ORDER BY rowid LIMIT ?",
                               [EXAMPLES - len(report.examples)]).fetchall()
        report.examples += [f"{name}, record {record}: {why}" for record, why in examples]
    part_names.append(name)
    _check_repeats(con, number, part_names, report)
    count = con.execute("SELECT count(*) FROM part WHERE keep AND why IS NULL "
                        "AND rowid + 1 NOT IN (SELECT record FROM repeats)").fetchone()[0]
    if count:
        con.execute(f"COPY ({_SELECT_VALID}) TO $staging (FORMAT parquet, PARTITION_BY (platform), "
                    f"FILENAME_PATTERN 'part-{number:05d}-{{i}}', OVERWRITE_OR_IGNORE true)",
                    {"staging": str(staging)})
    report.kept += count
    report.parts += 1


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
                       synthetic="synthetic" in path.name.lower()
                       or layout.SYNTHETIC_COMMENT in layout.zip_comment(path))
    seen: set[str] = set()  # platform names met in the dump
    part_names: list[str] = []
    with run_folder(out_dir) as run:
        report.sha1_checked = layout.check_sha1(path)
        staging, scratch = run / "staging", run / "scratch"
        staging.mkdir()
        scratch.mkdir()
        con = _connect(scratch)
        try:
            parts = layout.prefetched(layout.csv_parts(path, scratch, limits))
            for number, part in enumerate(
                    tqdm(parts, desc=day, unit=" part", disable=None if progress else True, leave=False)):
                try:
                    _ingest_part(con, part.path, part.name, path, number, staging, wanted, report, seen,
                                 part_names)
                finally:
                    part.release()
        finally:
            con.close()
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
            hints = {service: get_close_matches(service, sorted(seen), n=3, cutoff=0.5)
                     for service in report.platforms_missing}
            raise UsageError(
                f"{path}: no statement of {', '.join(map(repr, report.platforms_missing))} in this dump, "
                "so nothing was written (the day keeps its previous ingest). "
                + "".join(f"Did you mean {' or '.join(map(repr, close))} for {service!r}? "
                          for service, close in hints.items() if close)
                + "If the platform truly filed nothing that day, pass --allow-absent.")
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
