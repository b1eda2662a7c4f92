"""A disk cache for frames that are slow to compute (parsing PDFs), keyed by what they read.

Each entry keeps the frame (Parquet), its sha256, and the record of what computing it read
(:mod:`analysis.tracking`): resources and their hashes, listings of the data package, library
versions, and the digest of every module of the computing code (:mod:`analysis.codebase`). An
entry is used only while all of these are unchanged and the frame file is intact (an index or a
frame truncated or damaged, by a killed run or a hand, is recomputed, never an error); a hit still
checks the hash of every raw file it stands for and records the reads, so callers see the same
record either way. Entries are kept per data package, and a package may use another's (a copy
of ``data/``, another checkout's): a frame depends on the code and on the bytes it read, not on
their folder. The cache lives in ``.cache/`` (ignored by git) and can be deleted at any time.

>>> import pandas as pd
>>> calls = []
>>> def compute():
...     calls.append(1)
...     return pd.DataFrame({"a": [1]})
>>> _ = cached_frame("doctest-example", compute)
>>> _ = cached_frame("doctest-example", compute)
>>> len(calls) <= 1
True
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis import codebase, datapackage, paths, tracking
from analysis.files import atomic_write, sha256, write_text

_location: contextvars.ContextVar[Path] = contextvars.ContextVar("cache", default=paths.CACHE)


def location() -> Path:
    """The cache folder: ``.cache/`` unless inside :func:`located`."""
    return _location.get()


def located(folder: Path) -> contextlib.AbstractContextManager[Path]:
    """Keep the cache in another folder inside the block (tests use a temporary one)."""
    return tracking.overriding(_location, Path(folder))


def read_index(path: Path) -> dict:
    """A cache's JSON index, or ``{}`` (everything is recomputed) when it is missing, truncated,
    damaged or not an object: a cache is never trusted, and never a reason to stop."""
    try:
        index = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, unreadable, not UTF-8, not JSON (a run killed mid-write)
        return {}
    return index if isinstance(index, dict) else {}


def _valid(entry: object, code: dict[str, str]) -> bool:
    try:
        reads = tracking.Reads.from_dict(entry["reads"])
        name, digest = entry["frame"], entry["sha256"]
        if not (isinstance(name, str) and isinstance(digest, str)) or Path(name).name != name or not name:
            return False  # a frame is a file of the cache folder, named by us
        frame = location() / name
        return (entry["code"] == code and datapackage.still_current(reads)
                and all(tracking.library_version(library) == version
                        for library, version in reads.libraries.items())
                and frame.is_file() and sha256(frame) == digest)
    except (KeyError, TypeError, ValueError, AttributeError):  # a damaged entry: recompute
        return False


def _frame(entry: dict) -> pd.DataFrame | None:
    """The entry's frame, or None if it cannot be read (damaged, though its hash matches)."""
    try:
        return pd.read_parquet(location() / entry["frame"])
    except (OSError, ValueError):  # pyarrow's errors are ValueErrors
        return None


def cached_frame(name: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``compute()``'s frame, from ``.cache/`` when nothing it read or ran has changed.

    Set ``ANALYSIS_NO_CACHE=1`` to always recompute (tests of the parsers do).
    """
    if os.environ.get("ANALYSIS_NO_CACHE"):
        return compute()
    code = codebase.code_state(compute.__module__)
    index = location() / f"{name}.json"
    package = datapackage.active().resolve().as_posix()
    entries = read_index(index)
    # This package's entry first, then another package's (a copy of data/, another checkout): a
    # frame depends on the code and on the bytes of what it read, which _valid checks, not on where.
    ordered = [entries[package]] if package in entries else []
    entry = next((entry for entry in ordered + [e for key, e in entries.items() if key != package]
                  if _valid(entry, code)), None)
    cached = _frame(entry) if entry else None
    if cached is not None:
        reads = tracking.Reads.from_dict(entry["reads"])
        for resource in reads.resources:
            datapackage.read(resource)  # the raw files must still be the ones recorded
        tracking.replay(reads)
        return cached
    with tracking.recording() as reads:  # outer recordings receive these reads too
        frame = compute()
    frame_name = f"{name}-{hashlib.sha256(package.encode()).hexdigest()[:12]}.parquet"
    with atomic_write(location() / frame_name) as handle:
        frame.to_parquet(handle, index=False)
    entries[package] = {"reads": reads.as_dict(), "code": code, "frame": frame_name,
                        "sha256": sha256(location() / frame_name)}
    write_text(index, json.dumps(entries, indent=1, sort_keys=True))
    return frame
