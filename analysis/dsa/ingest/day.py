"""One dump in, one day out: the parts read two at a time, the repeats judged, the share of
malformed rows checked, then the day swapped into place (see :mod:`analysis.dsa.ingest`)."""

from __future__ import annotations

import json
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import asdict
from datetime import UTC, datetime
from difflib import get_close_matches
from pathlib import Path

import duckdb
from tqdm import tqdm

from analysis.dsa import archive, names, release, schema
from analysis.dsa.ingest.part import ingest_part, part_columns
from analysis.dsa.ingest.recovery import replace_day, run_folder
from analysis.dsa.ingest.repeats import judge_repeats, read_again, repeats_across_parts
from analysis.dsa.ingest.report import RECORD, DayReport, PartReport, add_part, file_records
from analysis.dsa.ingest.sql import connect, reader_sql
from analysis.errors import DataError, UsageError
from analysis.files import open_no_follow, write_text

MAX_MALFORMED = 0.01  # share of a day's rows; above it the day fails
LOG = "_ingest.log"  # beside the days `dsa ingest` writes: a line per part and per day, appended


class Progress:
    """What a long ingest shows and keeps: a bar of the parts done of those listed (a zip of zips
    lists an inner zip's parts only when it opens it, so the total grows until the last one) with
    the rows read so far, and a line per part and per day appended to ``log_file`` (none: no file)."""

    def __init__(self, day: str, source: str, log_file: Path | None, shown: bool, file=None):
        self.day, self.source, self.log_file = day, source, log_file
        self.done, self.listed_parts, self.rows = 0, 0, 0  # a disabled bar counts nothing
        # disable=None: shown on a terminal only (stderr); a file given is written to whatever it is
        disabled = True if not shown else None if file is None else False
        self.bar = tqdm(total=0, desc=day, unit=" part", disable=disabled, leave=False, file=file,
                        bar_format="{desc}: {n_fmt}/{total_fmt} parts{postfix} [{elapsed}, {rate_fmt}]")

    def listed(self, parts: int) -> None:
        self.listed_parts += parts
        self.bar.total = self.listed_parts
        self.bar.refresh()

    def part_done(self, added: PartReport) -> None:
        self.done, self.rows = self.done + 1, self.rows + added.rows
        self.bar.set_postfix_str(f"{self.rows:,} rows", refresh=False)
        self.bar.update()
        self.write(f"part {self.done}/{self.listed_parts} {added.name}: {added.rows:,} rows read, {added.kept:,} kept, "
                   f"{added.malformed:,} malformed")

    def write(self, line: str) -> None:
        if self.log_file is not None:
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            with open_no_follow(self.log_file, append=True) as log:
                log.write(f"{stamp} {self.day} {self.source}: {line}\n".encode())

    def close(self) -> None:
        self.bar.close()


def count_rows(dump: str | Path, scratch: Path) -> int:
    """Every row of a dump, counted by the same extraction and reader as the ingest but kept
    nowhere: the floor the benchmarks compare the ingest with."""
    database = duckdb.connect()
    database.execute("SET threads = 2")

    def count(part: archive.Part) -> int:
        with database.cursor() as con:
            return con.execute(f"SELECT count(*) FROM {reader_sql(schema.COLUMNS)}",
                               {"path": str(part.path)}).fetchone()[0]

    return sum(archive.map_parts(dump, Path(scratch), count))


def platform_names(con, path: Path, scratch: Path, limits: archive.Limits) -> set[str]:
    """Every platform_name of a dump, read again: only to suggest the right name for a platform
    asked for and absent (the scan counts the other platforms' rows without their names)."""
    def names_in(part: archive.Part) -> set[str]:
        with con.cursor() as cursor:
            return {name for (name,) in cursor.execute(
                f"SELECT DISTINCT platform_name FROM {reader_sql(part_columns(part, path), ', store_rejects = true')}",
                {"path": str(part.path)}).fetchall() if name}

    with closing(archive.map_parts(path, scratch, names_in, limits)) as found:
        return set().union(*found)


def check_share(value: float) -> float:
    """A share of rows, 0 to 1 (NaN and infinities refused)."""
    if not isinstance(value, (int, float)) or math.isnan(value) or not 0 <= value <= 1:
        raise UsageError(f"--max-malformed must be a share between 0 and 1 (e.g. 0.01), not {value!r}")
    return float(value)


def one_dump_a_day(paths: list[str | Path]) -> None:
    """Refuse, before any is ingested, two dumps (or parts) of one day in one command: each day's
    ingest replaces its folder, so the second would silently replace the first."""
    seen: dict[str, Path] = {}
    for path in map(Path, paths):
        try:
            day = release.dump_date(path)
        except DataError:
            continue  # refused with its own message when its turn comes
        if day in seen and seen[day].resolve() != path.resolve():
            raise UsageError(f"{seen[day]} and {path} are both {day}: a day's ingest replaces the day, so the "
                             "second would replace the first; ingest one dump a day (a whole day's dump, not "
                             "its parts one by one)")
        seen[day] = path


def ingest_dump(path: str | Path, out_dir: str | Path, platforms: list[str] | None = ("X",),
                max_malformed: float = MAX_MALFORMED, log=print, progress: bool = True,
                allow_absent: bool = False, limits: archive.Limits = archive.DEFAULT_LIMITS,
                log_file: str | Path | None = None) -> DayReport:
    """Ingest one dump (zip of zips, zip of CSVs, or one CSV part) as its day's partition.

    ``platforms`` are services (each stands for all its ``platform_name`` values); ``None`` keeps
    every platform. Raises :class:`DataError` (leaving any previous ingest of that day untouched)
    for a corrupt archive, a zip-slip or zip-bomb member, an unknown header, or a share of
    malformed rows above ``max_malformed``; and :class:`UsageError` when a platform asked for
    has no statement in the dump (a misspelt name would otherwise replace the day with an empty
    one), unless ``allow_absent``. With ``log_file``, a line per part and one for the day (its
    counts, or why it was refused) are appended to it (:class:`Progress`).
    """
    path, out_dir = Path(path), Path(out_dir)
    max_malformed = check_share(max_malformed)
    dump = release.Release.of_file(path)
    if not path.exists():
        raise DataError("file not found", path=path)
    out_dir.mkdir(parents=True, exist_ok=True)
    shown = Progress(dump.date, path.name, None if log_file is None else Path(log_file), progress)
    try:
        report = _ingest(path, out_dir, dump, platforms, max_malformed, log, shown, allow_absent, limits)
    except (DataError, UsageError) as error:
        shown.write(f"not ingested: {error}")
        raise
    finally:
        shown.close()
    shown.write(f"ingested: {report.parts:,} part{'s' if report.parts != 1 else ''}, {report.rows:,} rows read, {report.kept:,} kept, "
                f"{report.malformed:,} malformed, {report.duplicates:,} duplicates counted once")
    return report


def _ingest(path: Path, out_dir: Path, dump: release.Release, platforms: list[str] | None, max_malformed: float,
            log, shown: Progress, allow_absent: bool, limits: archive.Limits) -> DayReport:
    """:func:`ingest_dump`'s work, once its arguments are checked."""
    day = dump.date
    wanted = None if platforms is None else names.names_of(platforms)
    report = DayReport(day=day, source=path.name, platforms=wanted or [],
                       synthetic=dump.synthetic or schema.SYNTHETIC_COMMENT in archive.zip_comment(path))
    seen: set[str] = set()  # platform names met among the rows kept
    interrupted = threading.Event()
    with run_folder(out_dir) as run, ThreadPoolExecutor(1, thread_name_prefix="dsa-sha1") as checker:
        # The checksum is computed while the parts are read (the first inner zip's extraction
        # would otherwise wait for it) and checked before anything is written in place.
        sha1 = checker.submit(release.check_sha1, path, interrupted.is_set)
        staging, scratch = run / "staging", run / "scratch"
        staging.mkdir()
        scratch.mkdir()
        con = connect(scratch)
        try:
            parts = archive.map_parts(path, scratch, lambda part: ingest_part(con, part, path, day, wanted, staging),
                                      limits, listed=shown.listed)
            try:
                with closing(parts):  # on any error, the threads are stopped before the connection closes
                    for added in parts:
                        seen |= added.platforms
                        add_part(report, added, dump.parts)
                        shown.part_done(added)
            except Exception:
                sha1.result()  # a dump that fails its checksum is reported as such, whatever broke in reading it
                raise
            except BaseException:  # Ctrl-C: stop hashing too
                interrupted.set()
                raise
            report.sha1_checked = sha1.result()
            report.sha1 = release.published_sha1(path) if report.sha1_checked else None
            read_again(con, path, scratch, limits)
            repeats_across_parts(con, staging, report)
            judge_repeats(con, dump.parts, report)
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
                present = sorted(platform_names(con, path, scratch, limits))
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
        report.files = file_records(staging)
        write_text(staging / RECORD, json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n")
        replace_day(staging, out_dir / f"date={day}", run)
    if report.malformed:
        log(f"{day}: {report.malformed} malformed rows set aside, e.g. {report.examples[0]}")
    if report.duplicates:
        first = report.duplicate_examples[0]
        log(f"{day}: {report.duplicates} exact duplicate statements counted once, e.g. uuid "
            f"{first['uuid']} in {first['file']}, record {first['record']}")
    return report

