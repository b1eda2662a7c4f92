"""What an ingest records: a day's report (written as its ``_ingest.json``, with every Parquet file
it wrote: size, modification time and SHA-256) and each part's share; and the readers' check that a
day's folder holds exactly what its ingest wrote (:func:`checked_files`), so that nothing is
counted twice: a file-sync conflict copy of a Parquet file, or a day's folder copied under another
date, is refused, naming the stray file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from analysis.errors import DataError
from analysis.files import sha256

RECORD = "_ingest.json"
COUNTS = ("parts", "rows", "kept", "malformed", "duplicates")  # whole numbers from 0, where recorded
EXAMPLES = 5
DUPLICATES_LISTED = 100  # in _ingest.json; the count is always complete


@dataclass
class DayReport:
    day: str
    source: str
    sha1_checked: bool = False
    sha1: str | None = None  # the dump's, as its .sha1 gives it and once checked: the day's provenance
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
    files: dict[str, dict] = field(default_factory=dict)  # platform=…/part-….parquet: what was written



@dataclass
class PartReport:
    """What one part added to the day."""
    name: str
    layout: str
    synthetic: bool
    rows: int
    kept: int  # stored, before the repeats across parts are taken out
    malformed: int
    examples: list[str]  # at most EXAMPLES, in file order
    platforms: set[str]  # platform_name values among the rows kept



def add_part(report: DayReport, added: PartReport, part_names: list[str]) -> None:
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


def _parquet(folder: Path) -> list[Path]:
    return sorted(folder.glob("platform=*/*.parquet"))


def file_records(folder: Path) -> dict[str, dict]:
    """Every Parquet file of a day's folder: its path in the folder → ``bytes``, ``mtime_ns`` and
    ``sha256``."""
    records = {}
    for path in _parquet(folder):
        stat = path.stat()
        records[path.relative_to(folder).as_posix()] = {"bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                                                        "sha256": sha256(path)}
    return records


class _Written(str):
    """A JSON number with a fraction or an exponent, as written: ``1e999`` would be read as infinity."""


def read_record(folder: Path) -> dict:
    """A day's ``_ingest.json``, checked to name the day of the folder it sits in (``date=DAY``): a
    day's folder copied under another date still names the original day, and would be counted twice."""
    path = folder / RECORD
    try:
        entry = json.loads(path.read_text(encoding="utf-8"), parse_float=_Written)
    except FileNotFoundError:
        raise DataError(f"no {RECORD}: not a day written by `dsa ingest`; remove the folder or ingest the "
                        "day again", path=folder) from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise DataError(f"damaged ({error.__class__.__name__}): ingest the day again", path=path) from None
    if not isinstance(entry, dict) or not isinstance(entry.get("day"), str):
        raise DataError("no day recorded: ingest the day again", path=path)
    for name in COUNTS:
        value = entry.get(name, 0)
        if type(value) is not int or value < 0:  # bool is an int to Python, not a count
            written = value if isinstance(value, _Written) else json.dumps(value)
            raise DataError(f"field {name!r} is {written}, not a count (a whole number from 0): damaged, ingest the "
                            "day again", path=path)
    if folder.name != f"date={entry['day']}":
        raise DataError(f"records the day {entry['day']}, not the {folder.name} it sits in: a day's folder "
                        "copied under another date would be counted twice; refused, remove the copy", path=path)
    return entry


def checked_files(folder: Path) -> list[Path]:
    """The Parquet files of a day's folder, checked against what its ingest recorded: every file
    listed, none else (a copy beside one would be counted twice), each of its recorded size and,
    when its modification time differs from the one recorded, of its recorded SHA-256. Days
    ingested before the files were recorded are checked for their day only."""
    present = _parquet(folder)
    if not present and not (folder / RECORD).exists():
        return []
    entry = read_record(folder)
    recorded = entry.get("files")
    if recorded is None:
        return present
    if not isinstance(recorded, dict):
        raise DataError("damaged file list: ingest the day again", path=folder / RECORD)
    for path in present:
        record = recorded.get(path.relative_to(folder).as_posix())
        if not isinstance(record, dict):
            raise DataError(f"not among the files `dsa ingest` wrote for {entry['day']} (listed in its {RECORD}): "
                            "a copy would be counted twice; refused, remove it", path=path)
        stat = path.stat()
        if stat.st_size != record.get("bytes") or (stat.st_mtime_ns != record.get("mtime_ns")
                                                   and sha256(path) != record.get("sha256")):
            raise DataError(f"changed since `dsa ingest` wrote it (size or SHA-256 differs from its {RECORD}): "
                            "ingest the day again", path=path)
    missing = sorted(set(recorded) - {path.relative_to(folder).as_posix() for path in present})
    if missing:
        raise DataError(f"listed in its {RECORD} but missing: ingest the day again", path=folder / missing[0])
    return present
