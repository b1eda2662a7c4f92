"""Streaming, hardened access to the CSV parts inside a dump (zips of zips).

A daily dump is, since April 2024, a zip of zips: each inner zip holds at most 1 M records as CSV
parts of 100,000 rows. Older dumps and single parts are plain zips of CSVs or bare CSV files.
:func:`map_parts` extracts each CSV part to a scratch folder and hands it to a function, two parts
at a time, each in its own thread (:func:`csv_parts`: one at a time, in the caller's), so a day is
never held in memory or on disk whole; both refuse members whose paths escape (zip slip), members
that would inflate beyond :data:`MAX_MEMBER_BYTES` or :data:`MAX_RATIO` times their compressed
size (zip bombs: refused from the declared sizes before extracting anything; a member inflating
past the size its header declares is refused there, and every member's CRC-32 is checked), members
declaring more compressed bytes than their zip holds (a false header),
members whose bytes overlap, and report truncated or corrupt archives clearly.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import threading
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from isal import isal_zlib

from analysis.errors import DataError

# Zip-bomb limits per member: a real CSV part (100,000 statements) inflates to a few hundred MB
# at a ratio near 10; an inner zip holds at most ten of them, already compressed.
MAX_MEMBER_BYTES = 8 << 30
MAX_RATIO = 100
# The same ratio holds for the whole nest: every member of every zip in a dump, declared sizes
# summed, at most MAX_RATIO × the dump's own size (a real dump inflates about tenfold in all);
# and zips nest at most this deep (the dumps: an outer zip of inner zips of CSV parts).
MAX_NESTING = 3
CHUNK = 1 << 20
# A zip member's local header: where its name's and extra field's lengths are (zipfile's own
# structFileHeader); general-purpose flags: encrypted, patched data (both left to zipfile, which
# refuses them), a UTF-8 name.
_NAME_LENGTH, _EXTRA_LENGTH = 10, 11
_ENCRYPTED, _PATCHED, _UTF8_NAME = 0x1, 0x20, 0x800
WORKERS = 2  # parts decompressed and read at once: the cores of the machines we run on
T = TypeVar("T")


def _safe_name(member: str, archive: Path) -> str:
    """The member's base name; refuse absolute paths and ``..`` (zip slip)."""
    pure = PurePosixPath(member.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", member):
        raise DataError(f"member {member!r} escapes the extraction folder (zip slip): refused", path=archive)
    return pure.name


@dataclass(frozen=True)
class Limits:
    """How far one zip member may inflate: ``max_bytes`` in all, ``max_ratio`` × compressed."""
    max_bytes: int = MAX_MEMBER_BYTES
    max_ratio: float = MAX_RATIO

    def allowed(self, info: zipfile.ZipInfo) -> int:
        return int(min(self.max_bytes, self.max_ratio * max(info.compress_size, 1)))

    def refuse(self, info: zipfile.ZipInfo, where: Path, size: int) -> DataError:
        return DataError(f"member {info.filename!r} declares {size:,} bytes from {info.compress_size:,} "
                         f"compressed: above the limit of {self.max_bytes:,} bytes or {self.max_ratio:g}× "
                         "its compressed size (zip bomb?): refused", path=where)


DEFAULT_LIMITS = Limits()


class Utf8Check:
    """Whether bytes fed in chunks are all UTF-8. DuckDB checks the encoding of the columns it
    reads only, so the ingest checks every byte: as a part is extracted, chunk by chunk (ASCII
    chunks, most of a part, at memory speed)."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.valid = True

    def feed(self, chunk: bytes) -> None:
        if not self.valid or (chunk.isascii() and not self._decoder.getstate()[0]):
            return
        try:
            self._decoder.decode(chunk)
        except UnicodeDecodeError:
            self.valid = False

    def finish(self) -> bool:
        """Whether all that was fed is UTF-8 (a sequence cut off at the end is not)."""
        if self.valid:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.valid = False
        return self.valid


class Tally:
    """What a part's bytes say as they pass, chunk by chunk: whether they are all UTF-8
    (:class:`Utf8Check`), how many physical lines they hold (a last line without its line feed
    counts), so that every line can be accounted for once the part is parsed, and how many NUL
    bytes (none in a text CSV)."""

    def __init__(self):
        self.utf8 = Utf8Check()
        self._feeds, self._ends_with_feed, self.nuls = 0, True, 0

    def feed(self, chunk: bytes) -> None:
        self.utf8.feed(chunk)
        if chunk:
            self._feeds += chunk.count(b"\n")
            self.nuls += chunk.count(b"\x00")
            self._ends_with_feed = chunk.endswith(b"\n")

    def lines(self) -> int:
        return self._feeds + (0 if self._ends_with_feed else 1)


def tally(path: Path) -> Tally:
    """A whole file's :class:`Tally`."""
    found = Tally()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(4 * CHUNK), b""):
            found.feed(chunk)
    return found


def is_utf8(path: Path) -> bool:
    """Whether a whole file is UTF-8 (:class:`Utf8Check`)."""
    return tally(path).utf8.finish()


def _encoded_name(info: zipfile.ZipInfo) -> bytes:
    """A member's name as its headers hold it (UTF-8 when flagged so, else code page 437)."""
    return info.orig_filename.encode("utf-8" if info.flag_bits & _UTF8_NAME else "cp437")


def _inflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A deflated member's content in chunks of at most :data:`CHUNK` bytes, inflated by ISA-L
    (``isal``: zlib's format at twice its speed; decompressing the parts was a fifth of the
    ingest's CPU time) from the member's own bytes in the archive, and checked as zipfile checks
    it: never more than the declared size (a header that understates it is refused there), then
    the CRC-32. Its local header must name it, as zipfile requires."""
    with open(archive.filename, "rb") as raw:
        raw.seek(info.header_offset)
        header = raw.read(zipfile.sizeFileHeader)
        if len(header) != zipfile.sizeFileHeader or header[:4] != zipfile.stringFileHeader:
            raise zipfile.BadZipFile(f"bad local header for {info.filename!r}")
        fields = struct.unpack(zipfile.structFileHeader, header)
        name = raw.read(fields[_NAME_LENGTH])
        if name != _encoded_name(info):
            raise zipfile.BadZipFile(f"the local header of {info.filename!r} names {name.decode(errors='replace')!r}")
        raw.seek(fields[_EXTRA_LENGTH], io.SEEK_CUR)
        inflater, left, size, crc, pending = isal_zlib.decompressobj(-zlib.MAX_WBITS), info.compress_size, 0, 0, b""
        while not inflater.eof and (left or pending or size < info.file_size):  # an empty member may hold no stream
            if not pending and left:
                pending = raw.read(min(CHUNK, left))
                if not pending:
                    raise EOFError(f"{info.filename!r} ends before its declared {info.compress_size:,} bytes")
                left -= len(pending)
            chunk = inflater.decompress(pending, min(CHUNK, info.file_size - size + 1))
            pending = inflater.unconsumed_tail
            size += len(chunk)
            if size > info.file_size:
                raise zipfile.BadZipFile(f"{info.filename!r} inflates past its declared {info.file_size:,} bytes")
            if not chunk and not pending and not left and not inflater.eof:
                raise EOFError(f"{info.filename!r}: compressed stream cut off")
            crc = isal_zlib.crc32(chunk, crc)
            yield chunk
    if size != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 or size for {info.filename!r}")


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's content in chunks: deflated members (every dump's) by :func:`_inflated`, any
    other (stored, bzip2, encrypted…) by zipfile itself."""
    if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & (_ENCRYPTED | _PATCHED):
        yield from _inflated(archive, info)
        return
    with archive.open(info) as source:
        yield from iter(lambda: source.read(CHUNK), b"")


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, where: Path,
             limits: Limits, check: Tally | None = None) -> Path:
    """Copy one member to ``target`` if its declared size is within ``limits`` (feeding ``check``
    each chunk). Nothing inflates past the declared size (:func:`_inflated`; zipfile likewise), so
    the declared size bounds the disk used."""
    if info.file_size > limits.allowed(info):
        raise limits.refuse(info, where, info.file_size)
    try:
        with open(target, "wb") as sink:
            for chunk in _chunks(archive, info):
                sink.write(chunk)
                if check is not None:
                    check.feed(chunk)
    except BaseException as error:  # nothing half-written is left, whatever stopped it
        target.unlink(missing_ok=True)
        if isinstance(error, (zipfile.BadZipFile, EOFError, OSError, ValueError, isal_zlib.error, zlib.error)):
            raise DataError(f"corrupt or truncated member {info.filename!r}: {error}", path=where) from None
        if isinstance(error, (RuntimeError, NotImplementedError)):  # zipfile: encrypted, or an unknown method
            raise DataError(f"member {info.filename!r} cannot be read: {error}", path=where) from None
        raise
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
    utf8: bool | None = None  # whether every byte is UTF-8, when checked as it was extracted
    lines: int | None = None  # its physical lines, when counted as it was extracted
    nuls: int | None = None  # its NUL bytes, likewise

    def is_utf8(self) -> bool:
        return self.utf8 if self.utf8 is not None else is_utf8(self.path)

    def line_count(self) -> int:
        """Its physical lines, header included."""
        return self.lines if self.lines is not None else tally(self.path).lines()

    def nul_count(self) -> int:
        return self.nuls if self.nuls is not None else tally(self.path).nuls

    def release(self) -> None:
        if self.extracted:
            self.path.unlink(missing_ok=True)


class _SharedZip:
    """An open zip whose members several threads extract at once (each deflated member from a
    handle of its own, :func:`_inflated`; ISA-L releases the GIL). Closed once its last
    member is out, and deleted then if it is an inner zip extracted to scratch."""

    def __init__(self, path: Path, where: Path, temporary: bool):
        self.path, self.temporary = path, temporary
        self._left = 0
        self._lock = threading.Lock()
        try:
            self.archive = _open_zip(path, where)
        except DataError:
            self.archive = None
            self.close()
            raise

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
        if self.archive is not None:
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

    def extract(self, scratch: Path, number: int, limits: Limits) -> Part:
        """The part as a file: extracted to ``scratch`` (under a name unique in the dump), or the
        bare CSV itself."""
        if self.source is None:  # a bare CSV part: read once for all it says
            found = tally(self.where)
            return Part(self.name, self.where, extracted=False, number=number, utf8=found.utf8.finish(),
                        lines=found.lines(), nuls=found.nuls)
        check = Tally()
        try:
            target = _extract(self.source.archive, self.info, scratch / f"{number:05d}-{self.name}", self.where,
                              limits, check)
            return Part(self.name, target, extracted=True, number=number, utf8=check.utf8.finish(),
                        lines=check.lines(), nuls=check.nuls)
        finally:
            self.source.member_done()

    def skip(self) -> None:
        if self.source is not None:
            self.source.member_done()


class _Nest:
    """What a whole dump may inflate to across its nest of zips (:data:`MAX_NESTING`, and
    ``max_ratio`` × the dump's size for every member's declared size summed): each member within
    its own limit, a zip of zips could otherwise multiply the ratios (8,192× from 0.14 MB)."""

    def __init__(self, dump: Path, limits: Limits):
        self.size, self.ratio, self.declared = dump.stat().st_size, limits.max_ratio, 0

    def enter(self, depth: int, where: Path) -> None:
        if depth > MAX_NESTING:
            raise DataError(f"zips nested more than {MAX_NESTING} deep (the dumps have 2 levels): refused", path=where)

    def charge(self, members: list[zipfile.ZipInfo], where: Path) -> None:
        self.declared += sum(info.file_size for info in members)
        if self.declared > self.ratio * max(self.size, 1):
            raise DataError(f"the dump's members, nested zips included, declare {self.declared:,} bytes so far: above "
                            f"{self.ratio:g}× the dump's {self.size:,} bytes (zip bomb?): refused", path=where)


def _members(path: Path, scratch: Path, limits: Limits, opened: list[_SharedZip],
             listed: Callable[[int], None] = lambda parts: None) -> Iterator[Member]:
    """The CSV parts of a dump in name order, not yet extracted; inner zips are extracted (to
    ``scratch``) as the iteration reaches them. Every zip opened is appended to ``opened``;
    ``listed(n)`` is told of the ``n`` CSV parts of each zip as it is opened (a zip of zips' total
    is known only once its last inner zip is opened)."""
    if not path.exists():
        raise DataError("file not found", path=path)
    if path.suffix.lower() == ".csv":
        listed(1)
        yield Member(path.name, path)
        return
    yield from _zip_members(path, path, scratch, limits, opened, temporary=False, nest=_Nest(path, limits),
                            listed=listed)


def _refuse_overlaps(infos: list[zipfile.ZipInfo], where: Path) -> None:
    """Refuse members whose bytes overlap: entries that all point at one compressed stream would
    each inflate it again (a zip bomb that every member's own limits let through). A member takes
    at least its local header, its name and its compressed data."""
    spans = sorted((info.header_offset, info.header_offset + zipfile.sizeFileHeader + len(_encoded_name(info))
                    + info.compress_size, info.filename) for info in infos)
    for (_, end, name), (start, _, following) in zip(spans, spans[1:]):
        if start < end:
            raise DataError(f"members {name!r} and {following!r} overlap in the archive (zip bomb?): refused",
                            path=where)


def _zip_members(archive_path: Path, where: Path, scratch: Path, limits: Limits, opened: list[_SharedZip],
                 temporary: bool, nest: _Nest, listed: Callable[[int], None], depth: int = 1) -> Iterator[Member]:
    nest.enter(depth, where)
    shared = _SharedZip(archive_path, where, temporary)
    opened.append(shared)
    _refuse_overlaps(shared.archive.infolist(), where)
    members = [info for info in shared.archive.infolist() if not info.is_dir()]
    names = [_safe_name(info.filename, where) for info in members]  # refuse before extracting
    held = archive_path.stat().st_size
    for info in members:  # a header that claims more than the zip holds (10¹² rows in a few kB) is false
        if info.compress_size > held:
            raise DataError(f"member {info.filename!r} declares {info.compress_size:,} compressed bytes (and "
                            f"{info.file_size:,} inflated), more than the {held:,} bytes of its zip: its header is "
                            "false; refused before extracting anything", path=where)
    for info in members:  # refuse a bomb before extracting anything
        if info.file_size > limits.allowed(info):
            raise limits.refuse(info, where, info.file_size)
    for name, info in zip(names, members):
        if not name.lower().endswith((".zip", ".csv")):
            raise DataError(f"member {info.filename!r} is neither a CSV part nor a zip (a part misnamed would be "
                            "skipped, uncounted): refused", path=where)
    nest.charge(members, where)
    wanted = sorted(zip(names, members), key=lambda pair: pair[0])
    shared.expect(len(wanted))
    listed(sum(not name.lower().endswith(".zip") for name, _ in wanted))
    for name, info in wanted:
        if name.lower().endswith(".zip"):
            try:
                inner = _extract(shared.archive, info, scratch / f"zip{len(opened):05d}-{name}", where, limits)
            finally:
                shared.member_done()
            yield from _zip_members(inner, where / name, scratch, limits, opened, temporary=True, nest=nest,
                                    listed=listed, depth=depth + 1)
        else:
            yield Member(name, where, shared, info)


def csv_parts(path: str | Path, scratch: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[Part]:
    """Yield each CSV part of a dump, extracted into ``scratch`` one at a time; the consumer
    calls :meth:`Part.release` when done with it (``scratch`` is a temporary folder anyway)."""
    opened: list[_SharedZip] = []
    try:
        for number, member in enumerate(_members(Path(path), scratch, limits, opened)):
            yield member.extract(scratch, number, limits)
    finally:
        for shared in opened:
            shared.close()


def map_parts(path: str | Path, scratch: Path, function: Callable[[Part], T], limits: Limits = DEFAULT_LIMITS,
              workers: int = WORKERS, only: set[int] | None = None,
              listed: Callable[[int], None] = lambda parts: None) -> Iterator[T]:
    """``function(part)`` for every CSV part of a dump (or only the parts numbered in ``only``), in
    ``workers`` threads; yields the results in the parts' order, and raises here any error of the
    extraction or of ``function``. ``listed(n)``, in the caller's thread, is told of the ``n`` parts
    of each zip as it is opened (for a progress bar's total).

    Each thread decompresses its part into ``scratch`` and then reads it, so both cores stay busy
    with one part's inflating overlapping another's scan (ISA-L and DuckDB release the GIL). At most
    ``workers`` parts are on disk at a time, each deleted once ``function`` returns."""

    def extract_and_call(member: Member, number: int) -> T:
        part = member.extract(scratch, number, limits)
        try:
            return function(part)
        finally:
            part.release()

    opened: list[_SharedZip] = []
    pending: deque[Future] = deque()
    with ThreadPoolExecutor(workers, thread_name_prefix="dsa-part") as pool:
        try:
            for number, member in enumerate(_members(Path(path), scratch, limits, opened, listed)):
                if only is not None and number not in only:
                    member.skip()
                    continue
                pending.append(pool.submit(extract_and_call, member, number))
                if len(pending) > workers:  # one queued ahead, so that no thread waits for the next
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
            wait(pending)
            for shared in opened:
                shared.close()


def zip_comment(path: str | Path) -> bytes:
    """The comment of a dump's outer zip (``b""`` for a bare CSV part), where marks such as the
    synthetic dumps' ``SYNTHETIC`` live."""
    path = Path(path)
    if path.suffix.lower() != ".zip":
        return b""
    with _open_zip(path, path) as archive:
        return archive.comment
