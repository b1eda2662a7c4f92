"""The official dump layout, and streaming access to the CSV parts inside a dump.

A daily dump ``sor-global-YYYY-MM-DD-full.zip`` (or ``-light.zip``) is, since April 2024, a zip of
zips: each inner zip holds at most 1 M records as CSV parts of 100,000 rows. Older dumps and
single parts are plain zips of CSVs or bare CSV files. :func:`map_parts` extracts each CSV part to
a scratch folder and hands it to a function, two parts at a time, each in its own thread
(:func:`csv_parts`: one at a time, in the caller's), so a day is never held in memory or on disk
whole; both refuse members whose paths escape (zip slip), members that would inflate beyond
:data:`MAX_MEMBER_BYTES` or :data:`MAX_RATIO` times their compressed size (zip bombs: refused from
the declared sizes before extracting anything; a member inflating past the size its header
declares is refused there, and every member's CRC-32 is checked), members whose bytes overlap,
and report truncated or corrupt archives clearly. :func:`check_sha1`
checks a ``.sha1`` beside a dump.

The Commission has published several layouts (:data:`LAYOUTS`): every CSV part says which by its
header (:func:`detect_layout`); an unknown header is refused, naming the column.

>>> dump_date("synthetic-sor-global-2025-07-01-full.zip")
'2025-07-01'
"""

from __future__ import annotations

import codecs
import hashlib
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
from datetime import date
from difflib import get_close_matches
from pathlib import Path, PurePosixPath
from typing import TypeVar

from isal import isal_zlib

from analysis.errors import DataError, UsageError

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
# Columns absent from some published layouts: stored as null for the days that lack them.
ADDED_LATER = ("content_id_ean",)
# The light dumps drop the long free-text fields and territorial_scope.
LIGHT_DROPPED = ("decision_visibility_other", "decision_monetary_other", "illegal_content_legal_ground",
                 "illegal_content_explanation", "incompatible_content_ground",
                 "incompatible_content_explanation", "category_specification_other",
                 "content_type_other", "decision_facts", "territorial_scope")
# What the analysis keeps, the same for every layout (a column a layout lacks is null); the
# multi-valued ones are JSON arrays inside the CSV cell, stored as such and parsed by the readers'
# view (analysis.dsa.query.connect).
KEPT = ("uuid", "decision_visibility", "decision_account", "decision_ground", "category",
        "category_addition", "content_type", "content_id_ean", "territorial_scope",
        "application_date", "content_date", "source_type", "automated_detection",
        "automated_decision", "platform_name", "created_at")
LISTS = ("decision_visibility", "category_addition", "content_type", "territorial_scope")
MINORS = "STATEMENT_CATEGORY_PROTECTION_OF_MINORS"
# The statement categories and keywords were revised from this day on (issue 15); values are stored
# as published, so the layout is the same on both sides of it, but counts per category are not
# comparable across it without a mapping.
VOCABULARY_REVISED = "2025-07-01"
CATEGORY_PREFIX = "STATEMENT_CATEGORY_"
CATEGORY_PATTERN = re.compile(r"STATEMENT_CATEGORY_[A-Z_]+")
# The Commission's statement categories and when they are in use, as the published summary
# statistics (data/raw/dsa/, 2023-09-25 to 2026-01-10) hold them (a test checks the two agree):
# "both" on either side of VOCABULARY_REVISED, "before" or "from" it. The vocabulary we hold has
# names only, no definitions: `dsa categories` shows a name's own words, nothing more.
CATEGORIES = {
    "STATEMENT_CATEGORY_ANIMAL_WELFARE": "both",
    "STATEMENT_CATEGORY_CONSUMER_INFORMATION": "from",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE": "from",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN": "from",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS": "both",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH": "both",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS": "both",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS": "both",
    "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR": "before",
    "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE": "from",
    "STATEMENT_CATEGORY_OTHER_VIOLATION_TC": "from",
    "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT": "before",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS": "both",
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY": "both",
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD": "both",
    "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE": "before",
    "STATEMENT_CATEGORY_SELF_HARM": "both",
    "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS": "before",
    "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS": "from",
    "STATEMENT_CATEGORY_VIOLENCE": "both",
}
# Every code the Commission's vocabulary allows in territorial_scope: the EU member states and the
# three other EEA states (Iceland, Liechtenstein, Norway).
EU = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
      "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
EEA_ONLY = ("IS", "LI", "NO")
TERRITORIES = tuple(sorted(EU + EEA_ONLY))
# Zip-bomb limits per member: a real CSV part (100,000 statements) inflates to a few hundred MB
# at a ratio near 10; an inner zip holds at most ten of them, already compressed.
MAX_MEMBER_BYTES = 8 << 30
MAX_RATIO = 100


def short_category(full: str) -> str:
    """A category's short name: its full name without the prefix, in lower case.

    >>> short_category("STATEMENT_CATEGORY_PROTECTION_OF_MINORS")
    'protection_of_minors'
    """
    return full.removeprefix(CATEGORY_PREFIX).lower()


def category_words(full: str) -> str:
    """A category in the plain words of its own name (the only meaning the vocabulary gives).

    >>> category_words("STATEMENT_CATEGORY_SCAMS_AND_FRAUD")
    'scams and fraud'
    """
    return short_category(full).replace("_", " ")


def category_in_use(full: str) -> str:
    """When a category of :data:`CATEGORIES` is in use, in words."""
    return {"both": "throughout", "before": f"before {VOCABULARY_REVISED}",
            "from": f"from {VOCABULARY_REVISED}"}[CATEGORIES[full]]


def category_name(name: str) -> str:
    """The Commission's full name of a statement category given in full or short, in any case
    (``protection_of_minors``, ``STATEMENT_CATEGORY_PROTECTION_OF_MINORS``). A full name in the
    Commission's form that :data:`CATEGORIES` lacks is returned as typed, for the data to answer
    (dumps newer than our list may carry a new category); anything else unknown is a
    :class:`UsageError` naming the closest real categories.

    >>> category_name("Protection_Of_Minors")
    'STATEMENT_CATEGORY_PROTECTION_OF_MINORS'
    """
    short = short_category(name.strip().upper())
    full = CATEGORY_PREFIX + short.upper()
    if full in CATEGORIES:
        return full
    if CATEGORY_PATTERN.fullmatch(name):
        return name
    shorts = {short_category(c): c for c in CATEGORIES}
    # close in spelling, or containing what was typed ("minors")
    near = get_close_matches(short, list(shorts), n=3, cutoff=0.6) + [s for s in shorts if short and short in s]
    hint = ", ".join(f"{shorts[s]!r} ({s})" for s in dict.fromkeys(near))
    raise UsageError(f"unknown category {name!r}; " + (f"did you mean {hint}?" if hint else
                     "`python -m analysis dsa categories` lists them"))


@dataclass(frozen=True)
class Layout:
    """One published CSV layout: ``name`` (``full-38``…), ``variant`` (full or light), columns."""
    name: str
    variant: str
    columns: tuple[str, ...]


def _layouts() -> dict[tuple[str, ...], Layout]:
    light = tuple(c for c in COLUMNS if c not in LIGHT_DROPPED)
    found = {}
    for variant, columns in (("full", COLUMNS), ("light", light)):
        for kept in (columns, tuple(c for c in columns if c not in ADDED_LATER)):
            found[kept] = Layout(f"{variant}-{len(kept)}", variant, kept)
    return found


# Every layout published so far: full dumps with 38 columns (with content_id_ean) or 37 (the
# older files, e.g. 2024-03-14), and light dumps without the free-text fields, with or without it.
LAYOUTS = _layouts()


def detect_layout(header: list[str], name: str, where: str | Path) -> Layout:
    """The published layout whose columns are exactly ``header``; otherwise a :class:`DataError`
    naming the first missing or unexpected column against the nearest layout."""
    found = LAYOUTS.get(tuple(header))
    if found:
        return found
    nearest = min(LAYOUTS.values(), key=lambda candidate: len(set(candidate.columns) ^ set(header)))
    missing = [c for c in nearest.columns if c not in header]
    unexpected = [c for c in header if c not in nearest.columns]
    column = (missing or unexpected or [next((h for h, c in zip(header, nearest.columns) if h != c), "order")])[0]
    def listed(columns: list[str]) -> str:
        return str(columns[:8])[:-1] + (f", … {len(columns) - 8} more]" if len(columns) > 8 else "]")

    raise DataError(f"{name}: columns differ from every published layout (nearest: {nearest.name}): "
                    f"missing {listed(missing)}, unexpected {listed(unexpected)}"
                    + ("" if missing or unexpected else ", same columns in another order"),
                    path=where, column=column)
# Marks every synthetic dump carries (analysis.dsa.synth), checked at ingest whatever the file's
# name: the outer zip's comment, and the first record of each part.
SYNTHETIC_COMMENT = b"SYNTHETIC"
SYNTHETIC_UID_PREFIX = "synthetic-"
SYNTHETIC_FACTS_PREFIX = "Synthetic facts"
DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
CHUNK = 1 << 20
# A zip member's local header: where its name's and extra field's lengths are (zipfile's own
# structFileHeader); general-purpose flags: encrypted, patched data (both left to zipfile, which
# refuses them), a UTF-8 name.
_NAME_LENGTH, _EXTRA_LENGTH = 10, 11
_ENCRYPTED, _PATCHED, _UTF8_NAME = 0x1, 0x20, 0x800
WORKERS = 2  # parts decompressed and read at once: the cores of the machines we run on
T = TypeVar("T")


def dump_date(path: str | Path) -> str:
    """The day a dump covers, from its file name (a real calendar day)."""
    match = DATE_IN_NAME.search(Path(path).name)
    if not match:
        raise DataError("no YYYY-MM-DD date in the file name: cannot tell which day it covers", path=path)
    try:
        date.fromisoformat(match.group(1))
    except ValueError:
        raise DataError(f"{match.group(1)} in the file name is not a calendar day", path=path) from None
    return match.group(1)


def check_sha1(path: Path, interrupted: Callable[[], bool] = lambda: False) -> bool:
    """Check ``path`` against ``path.sha1`` when that file exists; ``True`` if it was checked
    (``False`` too when ``interrupted()`` turns true before the end)."""
    sidecar = path.with_name(path.name + ".sha1")
    if not sidecar.exists():
        return False
    expected = sidecar.read_text().split()[0].strip().lower() if sidecar.read_text().strip() else ""
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            if interrupted():
                return False
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


def is_utf8(path: Path) -> bool:
    """Whether a whole file is UTF-8 (:class:`Utf8Check`)."""
    check = Utf8Check()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(4 * CHUNK), b""):
            check.feed(chunk)
    return check.finish()


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
             limits: Limits, check: Utf8Check | None = None) -> Path:
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

    def is_utf8(self) -> bool:
        return self.utf8 if self.utf8 is not None else is_utf8(self.path)

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
        if self.source is None:
            return Part(self.name, self.where, extracted=False, number=number)
        check = Utf8Check()
        try:
            target = _extract(self.source.archive, self.info, scratch / f"{number:05d}-{self.name}", self.where,
                              limits, check)
            return Part(self.name, target, extracted=True, number=number, utf8=check.finish())
        finally:
            self.source.member_done()

    def skip(self) -> None:
        if self.source is not None:
            self.source.member_done()


def _members(path: Path, scratch: Path, limits: Limits, opened: list[_SharedZip]) -> Iterator[Member]:
    """The CSV parts of a dump in name order, not yet extracted; inner zips are extracted (to
    ``scratch``) as the iteration reaches them. Every zip opened is appended to ``opened``."""
    if not path.exists():
        raise DataError("file not found", path=path)
    if path.suffix.lower() == ".csv":
        yield Member(path.name, path)
        return
    yield from _zip_members(path, path, scratch, limits, opened, temporary=False)


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
                 temporary: bool) -> Iterator[Member]:
    shared = _SharedZip(archive_path, where, temporary)
    opened.append(shared)
    _refuse_overlaps(shared.archive.infolist(), where)
    members = [info for info in shared.archive.infolist() if not info.is_dir()]
    names = [_safe_name(info.filename, where) for info in members]  # refuse before extracting
    for info in members:  # refuse a bomb before extracting anything
        if info.file_size > limits.allowed(info):
            raise limits.refuse(info, where, info.file_size)
    wanted = sorted(((name, info) for name, info in zip(names, members) if name.lower().endswith((".zip", ".csv"))),
                    key=lambda pair: pair[0])
    shared.expect(len(wanted))
    for name, info in wanted:
        if name.lower().endswith(".zip"):
            try:
                inner = _extract(shared.archive, info, scratch / f"zip{len(opened):05d}-{name}", where, limits)
            finally:
                shared.member_done()
            yield from _zip_members(inner, where / name, scratch, limits, opened, temporary=True)
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
              workers: int = WORKERS, only: set[int] | None = None) -> Iterator[T]:
    """``function(part)`` for every CSV part of a dump (or only the parts numbered in ``only``), in
    ``workers`` threads; yields the results in the parts' order, and raises here any error of the
    extraction or of ``function``.

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
            for number, member in enumerate(_members(Path(path), scratch, limits, opened)):
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
