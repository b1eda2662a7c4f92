"""The official dump layout, and streaming access to the CSV parts inside a dump.

A daily dump ``sor-global-YYYY-MM-DD-full.zip`` (or ``-light.zip``) is, since April 2024, a zip of
zips: each inner zip holds at most 1 M records as CSV parts of 100,000 rows. Older dumps and
single parts are plain zips of CSVs or bare CSV files. :func:`map_parts` extracts each CSV part
to a scratch folder and reads it, two parts at a time, each by one thread (:func:`csv_parts`: one
at a time, in the caller's thread), so a day is never held in memory or on disk whole; both refuse
members whose paths escape (zip slip) and report truncated or corrupt archives clearly.
:func:`check_sha1` checks a ``.sha1`` beside a dump.

>>> dump_date("synthetic-sor-global-2025-07-01-full.zip")
'2025-07-01'
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from analysis.errors import DataError

COLUMNS = (
    "uuid", "decision_visibility", "decision_visibility_other", "end_date_visibility_restriction",
    "decision_monetary", "decision_monetary_other", "end_date_monetary_restriction",
    "decision_provision", "end_date_service_restriction", "decision_account",
    "end_date_account_restriction", "account_type", "decision_ground",
    "decision_ground_reference_url", "illegal_content_legal_ground", "illegal_content_explanation",
    "incompatible_content_ground", "incompatible_content_explanation", "incompatible_content_illegal",
    "category", "category_addition", "category_specification", "category_specification_other",
    "content_type", "content_type_other", "content_language", "content_date", "content_id_ean",
    "territorial_scope", "application_date", "decision_facts", "source_type", "source_identity",
    "automated_detection", "automated_decision", "platform_name", "platform_uid", "created_at",
)
# The light dumps drop the long free-text fields and territorial_scope.
LIGHT_DROPPED = ("decision_visibility_other", "decision_monetary_other", "illegal_content_legal_ground",
                 "illegal_content_explanation", "incompatible_content_ground",
                 "incompatible_content_explanation", "category_specification_other",
                 "content_type_other", "decision_facts", "territorial_scope")
# What the analysis keeps; multi-valued ones are JSON arrays inside the CSV cell.
KEPT = ("uuid", "decision_visibility", "decision_account", "decision_ground", "category",
        "category_addition", "content_type", "territorial_scope", "application_date", "content_date",
        "source_type", "automated_detection", "automated_decision", "platform_name", "created_at")
LISTS = ("decision_visibility", "category_addition", "content_type", "territorial_scope")
MINORS = "STATEMENT_CATEGORY_PROTECTION_OF_MINORS"
DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
CHUNK = 1 << 20
WORKERS = 2  # parts decompressed and read at once: the cores of the machines we run on
T = TypeVar("T")


def dump_date(path: str | Path) -> str:
    """The day a dump covers, from its file name."""
    match = DATE_IN_NAME.search(Path(path).name)
    if not match:
        raise DataError("no YYYY-MM-DD date in the file name: cannot tell which day it covers", path=path)
    return match.group(1)


def check_sha1(path: Path) -> bool:
    """Check ``path`` against ``path.sha1`` when that file exists; ``True`` if it was checked."""
    sidecar = path.with_name(path.name + ".sha1")
    if not sidecar.exists():
        return False
    expected = sidecar.read_text().split()[0].strip().lower() if sidecar.read_text().strip() else ""
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    if digest.hexdigest() != expected:
        raise DataError(f"sha1 {digest.hexdigest()} differs from {sidecar.name} ({expected})", path=path)
    return True


def _safe_name(member: str, archive: Path) -> str:
    """The member's base name; refuse absolute paths and ``..`` (zip slip)."""
    pure = PurePosixPath(member.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", member):
        raise DataError(f"member {member!r} escapes the extraction folder (zip slip): refused", path=archive)
    return pure.name


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, where: Path) -> Path:
    try:
        with archive.open(info) as source, open(target, "wb") as sink:
            shutil.copyfileobj(source, sink, CHUNK)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise DataError(f"corrupt or truncated member {info.filename!r}: {error}", path=where) from None
    return target


def _open_zip(path: Path, where: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise DataError(f"not a readable zip (truncated or corrupt): {error}", path=where) from None


@dataclass(frozen=True)
class Part:
    name: str
    path: Path
    extracted: bool  # a scratch copy the consumer deletes once read; False for a bare CSV input
    number: int = 0  # its rank in the dump, from 0

    def release(self) -> None:
        if self.extracted:
            self.path.unlink(missing_ok=True)


class _SharedZip:
    """An open zip whose members several threads extract at once (zipfile serialises the reads of
    one handle; the inflating runs in parallel, zlib releasing the GIL). Closed once its last
    member is out, and deleted then if it is an inner zip extracted to scratch."""

    def __init__(self, path: Path, where: Path, temporary: bool):
        self.archive = _open_zip(path, where)
        self.path, self.temporary = path, temporary
        self._left = 0
        self._lock = threading.Lock()

    def expect(self, members: int) -> None:
        self._left = members
        if not members:
            self.close()

    def member_done(self) -> None:
        with self._lock:
            self._left -= 1
            last = self._left == 0
        if last:
            self.close()

    def close(self) -> None:
        self.archive.close()
        if self.temporary:
            self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Member:
    """A CSV part still in its zip (``source``), or a bare CSV file (``source`` None)."""
    name: str
    where: Path  # the dump, or dump/inner.zip: what error messages name
    source: _SharedZip | None = None
    info: zipfile.ZipInfo | None = None

    def extract(self, scratch: Path, number: int) -> Part:
        """The part as a file: extracted to ``scratch`` (under a name unique in the dump), or the
        bare CSV itself."""
        if self.source is None:
            return Part(self.name, self.where, extracted=False, number=number)
        try:
            target = scratch / f"{number:05d}-{self.name}"
            return Part(self.name, _extract(self.source.archive, self.info, target, self.where), extracted=True,
                        number=number)
        finally:
            self.source.member_done()


def _members(path: Path, scratch: Path, opened: list[_SharedZip]) -> Iterator[Member]:
    """The CSV parts of a dump in name order, not yet extracted; inner zips are extracted (to
    ``scratch``) as the iteration reaches them. Every zip opened is appended to ``opened``."""
    if not path.exists():
        raise DataError("file not found", path=path)
    if path.suffix.lower() == ".csv":
        yield Member(path.name, path)
        return
    yield from _zip_members(path, path, scratch, opened, temporary=False)


def _zip_members(archive_path: Path, where: Path, scratch: Path, opened: list[_SharedZip],
                 temporary: bool) -> Iterator[Member]:
    shared = _SharedZip(archive_path, where, temporary)
    opened.append(shared)
    infos = [info for info in shared.archive.infolist() if not info.is_dir()]
    names = [_safe_name(info.filename, where) for info in infos]  # refuse before extracting
    wanted = sorted(((name, info) for name, info in zip(names, infos) if name.lower().endswith((".zip", ".csv"))),
                    key=lambda pair: pair[0])
    shared.expect(len(wanted))
    for name, info in wanted:
        if name.lower().endswith(".zip"):
            try:
                inner = _extract(shared.archive, info, scratch / f"zip{len(opened):05d}-{name}", where)
            finally:
                shared.member_done()
            yield from _zip_members(inner, where / name, scratch, opened, temporary=True)
        else:
            yield Member(name, where, shared, info)


def csv_parts(path: str | Path, scratch: Path) -> Iterator[Part]:
    """Yield each CSV part of a dump, extracted into ``scratch`` one at a time; the consumer
    calls :meth:`Part.release` when done with it (``scratch`` is a temporary folder anyway)."""
    opened: list[_SharedZip] = []
    try:
        for number, member in enumerate(_members(Path(path), scratch, opened)):
            yield member.extract(scratch, number)
    finally:
        for shared in opened:
            shared.close()


def map_parts(path: str | Path, scratch: Path, function: Callable[[Part], T],
              workers: int = WORKERS) -> Iterator[T]:
    """``function(part)`` for every CSV part of a dump, in ``workers`` threads; yields the results
    in the parts' order, and raises here any error of the extraction or of ``function``.

    Each thread decompresses its part into ``scratch`` and then reads it, so both cores stay busy
    with one part's inflating overlapping another's scan (zlib and DuckDB release the GIL). At most
    ``workers`` parts are on disk at a time, each deleted once ``function`` returns."""

    def extract_and_call(member: Member, number: int) -> T:
        part = member.extract(scratch, number)
        try:
            return function(part)
        finally:
            part.release()

    opened: list[_SharedZip] = []
    pending: deque[Future] = deque()
    with ThreadPoolExecutor(workers, thread_name_prefix="dsa-part") as pool:
        try:
            for number, member in enumerate(_members(Path(path), scratch, opened)):
                pending.append(pool.submit(extract_and_call, member, number))
                if len(pending) > 2 * workers:  # queued ahead, so that no thread waits for the next
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
            wait(pending)
            for shared in opened:
                shared.close()
