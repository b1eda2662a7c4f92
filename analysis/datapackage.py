"""Provenance as data: the project's Frictionless Data Package, ``data/datapackage.json``.

Every raw file has one resource recording what it is, where it came from and its checksum:
``path`` (relative to ``data/``), ``hash`` (``sha256:<hex>``), ``sources`` (title, path or URL,
publisher), ``licenses``, and two fields of ours, ``obtained`` (how we got it: downloaded, copied
from a named third party, transcribed from a document page N, quoted by a newspaper) and
``accessed`` (the date). A resource may say where a newer version would come from, ``upstream``
(checked by :func:`check_upstream`; read by :mod:`analysis.update`). Loaders open files only through :func:`read`, which checks the bytes
against the recorded hash and records the read (:mod:`analysis.tracking`); loaders that pick up
every resource of a kind ask :func:`select`, which records the question and its answer.

The package read is ``data/datapackage.json`` unless a block runs under :func:`using` (tests use
a copy of ``data/``).

>>> from analysis import datapackage
>>> datapackage.resource("ncmec-by-esp-2023")["path"]
'raw/ncmec/ncmec-by-esp-2023.pdf'
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import fcntl
import functools
import hashlib
import json
import os
import posixpath
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from analysis import paths, strictjson, tracking
from analysis.errors import DataError
from analysis.files import open_lock, sha256, write_text

REQUIRED_FIELDS = ("name", "path", "hash", "sources", "licenses", "obtained", "accessed")
HASH = re.compile(r"sha256:[0-9a-f]{64}")
T = TypeVar("T")


_package: contextvars.ContextVar[Path] = contextvars.ContextVar("package", default=paths.DATAPACKAGE)


def using(package: Path) -> contextlib.AbstractContextManager[Path]:
    """Read resources from another data package (a copy of ``data/``) inside the block."""
    return tracking.overriding(_package, Path(package))


def active() -> Path:
    """The data package reads go to: ``data/datapackage.json`` unless inside :func:`using`."""
    return _package.get()


def load(package: Path | None = None) -> dict:
    """The data package as a dict, validated: the descriptor by ``frictionless`` (types, unique
    resource names, no path leaving the package's folder), then our own rules (every field of
    ``REQUIRED_FIELDS``, a ``sha256:`` hash, each file listed once, no path escaping by symlink)."""
    package = package or active()
    try:
        text = Path(package).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError("data package not found", path=package) from None
    except UnicodeDecodeError as error:
        raise DataError(f"not UTF-8 (byte 0x{error.object[error.start]:02x})", path=package) from None
    return _validated(text, Path(package))  # shared by every caller: read it, never edit it


@functools.lru_cache(maxsize=8)
def _validated(text: str, package: Path) -> dict:
    """One version of a package's text, parsed and validated once per process: loaders ask for the
    package hundreds of times in one check of the ledger, and its text rarely changes meanwhile."""
    try:
        descriptor = strictjson.loads(text)
    except ValueError as error:  # not JSON, NaN, 1e999, nested 100,000 deep…
        raise DataError(f"invalid JSON: {error}", path=package) from None
    problem = _frictionless_problem(text)
    if problem:
        raise DataError(f"not a valid data package: {problem}", path=package)
    _check_resources(descriptor.get("resources", []), package)
    return descriptor


@functools.lru_cache(maxsize=8)
def _frictionless_problem(text: str) -> str | None:
    """The first problem frictionless finds in the descriptor, naming the resource; ``None`` if
    valid. Cached by content: loaders read the package many times, and a valid descriptor is
    remembered in ``.cache/`` too (validating takes about 2 s, which every command that reads one
    resource, such as ``dsa ingest`` its platform names, would otherwise pay)."""
    from importlib.metadata import version

    key = hashlib.sha256(f"frictionless {version('frictionless')}\n{text}".encode()).hexdigest()
    valid_mark = paths.CACHE / "valid-datapackages" / key
    if valid_mark.exists():
        return None
    import frictionless  # slow to import: only when a package is read

    descriptor = json.loads(text)
    report = frictionless.Package.validate_descriptor(descriptor)
    if report.valid:
        with contextlib.suppress(OSError):  # a read-only checkout validates every time
            valid_mark.parent.mkdir(parents=True, exist_ok=True)
            valid_mark.touch()
        return None
    entries = descriptor.get("resources", []) if isinstance(descriptor, dict) else []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):  # which one is at fault
        if isinstance(entry, dict):
            errors = frictionless.Resource.validate_descriptor(entry).errors
            if errors:
                return f"resource {entry.get('name', f'#{index + 1}')!r}: {errors[0].note}"
    return report.errors[0].note


def _check_resources(entries: list[dict], package: Path) -> None:
    base = package.parent.resolve()
    seen: dict[str, str] = {}
    for index, entry in enumerate(entries):
        name = entry.get("name", f"#{index + 1}")
        missing = [field for field in REQUIRED_FIELDS if not entry.get(field)]
        if missing:
            raise DataError(f"resource {name} lacks {', '.join(missing)}", path=package)
        if not HASH.fullmatch(str(entry["hash"])):
            raise DataError(f"resource {name}: hash {entry['hash']!r} is not sha256:<64 hex digits>",
                            path=package, column="hash")
        relative = str(entry["path"])
        if "\\" in relative or not (base / relative).resolve().is_relative_to(base):
            raise DataError(f"resource {name}: path {relative!r} leaves {base.name}/ (backslash or "
                            "symbolic link): paths are relative to the package, with /", path=package,
                            column="path")
        key = posixpath.normpath(relative)
        if key in seen:
            raise DataError(f"resource {name}: path {relative!r} is already listed by resource "
                            f"{seen[key]}: one resource per file", path=package, column="path")
        seen[key] = name
        if "upstream" in entry:
            check_upstream(entry, package)


# How a resource's upstream is watched (``upstream.watch``): a conditional GET of its URL (ETag,
# Last-Modified), the package index through pip, or nothing (``why`` says why not).
WATCHES = ("conditional-get", "package-index", "none")
# A series' next period: its format, and the placeholders its URL pattern must hold.
STEPS = {"year": (re.compile(r"\d{4}"), ("{year}",)), "half": (re.compile(r"\d{4}-h[12]"), ("{year}", "{half}")),
         "day": (re.compile(r"\d{4}-\d{2}-\d{2}"), ("{day}",))}
_HELD_FIELDS = {"sha256", "retrieved", "etag", "last_modified"}


def check_upstream(entry: dict, package: Path) -> None:
    """``entry["upstream"]`` is well formed, or one :class:`DataError` naming the resource and field:
    ``watch`` one of :data:`WATCHES`; ``none`` with its ``why``; otherwise an http(s) ``url`` and
    ``held`` (the ``sha256`` of what the upstream served, the ``retrieved`` date, its ``etag`` and
    ``last_modified``, null when not known), each ``series`` (``series``, ``days``) with a ``step``,
    its current ``period`` and a URL ``pattern`` holding that step's placeholders."""
    name, upstream = entry["name"], entry["upstream"]

    def fail(message: str):
        raise DataError(f"resource {name}: upstream {message}", path=package, column="upstream")

    if not isinstance(upstream, dict) or upstream.get("watch") not in WATCHES:
        fail(f"needs a watch, one of {', '.join(WATCHES)}")
    if upstream["watch"] == "none":
        if not isinstance(upstream.get("why"), str) or not upstream["why"].strip():
            fail("watched by none must say why")
        return
    if not re.fullmatch(r"https?://[^/\s]+/\S*", str(upstream.get("url", ""))):
        fail(f"url {upstream.get('url')!r} is not an http(s) URL")
    held = upstream.get("held")
    if not isinstance(held, dict) or set(held) != _HELD_FIELDS:
        fail(f"held must record exactly {', '.join(sorted(_HELD_FIELDS))} (null when not known)")
    if not re.fullmatch(r"[0-9a-f]{64}", str(held["sha256"])):
        fail(f"held sha256 {held['sha256']!r} is not 64 hex digits")
    if "member" not in upstream and f"sha256:{held['sha256']}" != entry["hash"]:
        fail("held sha256 differs from the resource's hash (only a file extracted from a download, "
             "with its member named, may differ)")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(held["retrieved"])):
        fail(f"held retrieved {held['retrieved']!r} is not a date YYYY-MM-DD")
    for field in ("etag", "last_modified"):
        if held[field] is not None and not isinstance(held[field], str):
            fail(f"held {field} must be text or null")
    if upstream["watch"] == "package-index" and not (upstream.get("package") and upstream.get("version")):
        fail("on the package index needs its package and version")
    for key in ("series", "days"):
        series = upstream.get(key)
        if series is None:
            continue
        step = STEPS.get(series.get("step")) if isinstance(series, dict) else None
        if step is None:
            fail(f"{key} needs a step, one of {', '.join(STEPS)}")
        if not step[0].fullmatch(str(series.get("period", ""))):
            fail(f"{key} period {series.get('period')!r} is not a {series['step']}")
        pattern = str(series.get("pattern", ""))
        if not pattern.startswith(("http://", "https://")) or not all(p in pattern for p in step[1]):
            fail(f"{key} pattern {pattern!r} is not an http(s) URL with {' and '.join(step[1])}")


def resources(package: Path | None = None) -> list[dict]:
    return load(package)["resources"]


def resource(name: str, package: Path | None = None) -> dict:
    """The resource called ``name``; a clear error if there is none."""
    for candidate in resources(package):
        if candidate["name"] == name:
            return candidate
    raise DataError(f"no resource named {name!r}", path=package)


REGISTERED_FOLDERS = ("raw", "reference")  # every file in them must be a resource


def problems(package: Path | None = None) -> list[str]:
    """One line per resource whose file is missing or whose bytes differ from the recorded hash,
    and per file of :data:`REGISTERED_FOLDERS` that no resource lists (a snapshot written but not
    registered is invisible to every loader; names starting with a dot are not data)."""
    package = package or active()
    base = Path(package).parent
    found = []
    for entry in resources(package):
        path = base / entry["path"]
        if not path.exists():
            found.append(f"{entry['path']}: missing")
        elif not path.is_file():
            found.append(f"{entry['path']}: {NOT_REGULAR}")
        elif f"sha256:{sha256(path)}" != entry["hash"]:
            found.append(f"{entry['path']}: sha256 differs from the recorded {entry['hash']}")
    listed = {posixpath.normpath(entry["path"]) for entry in resources(package)}
    found += [f"{relative}: " + ("present but not registered (README: How to add a source)"
                                 if (base / relative).is_file() else NOT_REGULAR)
              for relative in _data_files(base) if relative not in listed]
    return found


NOT_REGULAR = "not a regular file (a pipe, a device or a socket would block or mislead the read): remove it"


def _data_files(base: Path) -> list[str]:
    """The files under ``base``'s :data:`REGISTERED_FOLDERS`, relative to ``base``, sorted; links
    to folders are not followed."""
    found = []
    for folder in REGISTERED_FOLDERS:
        for root, folders, files in os.walk(base / folder):
            folders[:] = [name for name in folders if not name.startswith(".")]
            found += [(Path(root) / name).relative_to(base).as_posix() for name in files if not name.startswith(".")]
    return sorted(found)


def read(name: str) -> Path:
    """The path of resource ``name`` after checking that it exists and its hash matches; the read
    is recorded (:mod:`analysis.tracking`). Every loader opens raw files through this function."""
    entry = resource(name)
    path = active().parent / entry["path"]
    if not path.exists():
        raise DataError(f"file of resource {name!r} is missing", path=path)
    if not path.is_file():
        raise DataError(f"file of resource {name!r} is {NOT_REGULAR}", path=path)
    actual = f"sha256:{sha256(path)}"
    if actual != entry["hash"]:
        raise DataError(f"checksum mismatch: recorded {entry['hash']}, file has {actual}; "
                        "raw files are never edited in place", path=path)
    tracking.record("resources", name, entry["hash"])
    return path


def select(pattern: str = ".*", kind: str | None = None) -> list[str]:
    """Names of the resources whose name matches ``pattern`` (whole name) and, if given, whose
    ``kind`` is ``kind``, sorted. The question and its answer are recorded, so that registering a
    new matching resource changes what depends on it."""
    names = _select(pattern, kind)
    tracking.record("listings", json.dumps({"pattern": pattern, "kind": kind}), names)
    return names


def _select(pattern: str, kind: str | None) -> list[str]:
    return sorted(entry["name"] for entry in resources()
                  if re.fullmatch(pattern, entry["name"]) and (kind is None or entry.get("kind") == kind))


def current(reads: tracking.Reads) -> tracking.Reads:
    """What the same reads of resources and listings would record now (for fingerprints)."""
    hashes = {entry["name"]: entry["hash"] for entry in resources()}
    return tracking.Reads(
        resources={name: hashes.get(name, "missing") for name in reads.resources},
        listings={key: _listing_now(key) for key in reads.listings})


# Questions asked outside the package whose answers a fingerprint also depends on (the DSA days
# ingested into a folder: :mod:`analysis.series.dsa_extension`), by the key's one field; the
# module that records such a listing registers how to answer it (:func:`answer_listings`).
_OTHER_LISTINGS: dict[str, Callable[[str], list[str]]] = {}


def answer_listings(field: str, answer: Callable[[str], list[str]]) -> None:
    """Answer the listings recorded under ``{field: value}`` keys by ``answer(value)``."""
    _OTHER_LISTINGS[field] = answer


def _listing_now(key: str) -> list[str]:
    """A listing's answer now: resources named like a pattern, or another registered question's."""
    question = json.loads(key)
    for field_name, answer in _OTHER_LISTINGS.items():
        if field_name in question:
            return answer(question[field_name])
    return _select(**question)


def still_current(reads: tracking.Reads) -> bool:
    """Whether the resources and listings in ``reads`` are unchanged in the active package."""
    now = current(reads)
    return now.resources == reads.resources and now.listings == reads.listings


_held = threading.local()  # the packages this thread holds the lock of, with how many times


@contextlib.contextmanager
def locked(package: Path | None = None) -> Iterator[Path]:
    """Hold the package's lock (``.<name>.lock`` beside it) inside the block: no other process or
    thread registers meanwhile. Two runs that each read the package, add their resource and write
    it back would otherwise keep only the last one's. Held again by the same thread, it does not
    wait for itself."""
    package = Path(package or active())
    key = package.resolve()
    counts = _held.__dict__.setdefault("counts", {})
    if counts.get(key):
        counts[key] += 1
        try:
            yield package
        finally:
            counts[key] -= 1
        return
    handle = open_lock(package.parent / f".{package.name}.lock")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        counts[key] = 1
        try:
            yield package
        finally:
            counts[key] = 0
    finally:
        os.close(handle)  # releases the lock


def register(path: Path, *, name: str, title: str, sources: list[dict], licenses: list[dict],
             obtained: str, accessed: str, package: Path | None = None, **extra) -> dict:
    """Add or replace the resource for ``path`` with its current checksum and size; returns it.

    ``extra`` holds optional fields (``description``, ``evidence``, ``schema``…). The package is
    read, changed and rewritten (atomically) under its lock (:func:`locked`), so concurrent
    registrations all land.
    """
    return register_all([dict(path=path, name=name, title=title, sources=sources, licenses=licenses,
                              obtained=obtained, accessed=accessed, **extra)], package)[0]


def register_all(registrations: list[dict], package: Path | None = None) -> list[dict]:
    """Several :func:`register` calls (their keyword arguments, ``path`` included) in one rewrite
    of the package: all are registered, or none."""
    package = Path(package or active())
    with locked(package):
        base = package.parent
        entries = [_entry(base, **registration) for registration in registrations]
        descriptor = copy.deepcopy(load(package)) if package.exists() else {"name": "x-grok-child-safety",
                                                                            "resources": []}
        replaced = {e["name"] for e in entries} | {e["path"] for e in entries}
        others = [r for r in descriptor["resources"] if r["name"] not in replaced and r["path"] not in replaced]
        descriptor["resources"] = sorted([*others, *entries], key=lambda r: r["path"])
        write_text(package, json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    return entries


def _entry(base: Path, *, path: Path, name: str, title: str, sources: list[dict], licenses: list[dict],
           obtained: str, accessed: str, **extra) -> dict:
    """The resource describing ``path`` (under ``base``, the package's folder) as it is now."""
    return {
        "name": name,
        "path": Path(path).resolve().relative_to(base.resolve()).as_posix(),
        "title": title,
        **extra,
        "format": Path(path).suffix.lstrip(".").lower(),
        "bytes": Path(path).stat().st_size,
        "hash": f"sha256:{sha256(path)}",
        "sources": sources,
        "licenses": licenses,
        "obtained": obtained,
        "accessed": accessed,
    }


def memoized(function: Callable[..., T]) -> Callable[..., T]:
    """Like :func:`functools.cache`, but a cached answer replays the reads that computed it, so a
    caller's record is the same whether or not the answer was cached, and an answer whose inputs
    changed since (another data package, a new matching resource) is computed again."""
    answers: dict[tuple, tuple[T, tracking.Reads]] = {}

    @functools.wraps(function)
    def wrapper(*args):
        answer = answers.get(args)
        if answer is None or not still_current(answer[1]):
            with tracking.recording() as reads:
                answer = answers[args] = function(*args), reads
        tracking.replay(answer[1])
        return answer[0]

    wrapper.cache_clear = answers.clear
    return wrapper
