"""A disk cache for frames that are slow to compute (parsing PDFs), keyed by their inputs.

The key is a hash of the input files' recorded checksums and of the source code that computes the
frame, so editing either recomputes it. Beside each cached file, ``<file>.sha256`` records the
checksum it was written with: a cached file edited, damaged or left without its checksum is not
trusted, but recomputed and rewritten. The cache lives in ``.cache/`` (ignored by git) and can be
deleted at any time.

>>> import pandas as pd
>>> calls = []
>>> def compute():
...     calls.append(1)
...     return pd.DataFrame({"a": [1]})
>>> _ = cached_frame("doctest-example", ["some-input-hash"], [compute], compute)
>>> _ = cached_frame("doctest-example", ["some-input-hash"], [compute], compute)
>>> len(calls) <= 1
True
"""

from __future__ import annotations

import hashlib
import inspect
import os
from collections.abc import Callable, Iterable

import pandas as pd

from analysis import paths
from analysis.files import atomic_write, sha256, write_text


def _key(input_hashes: Iterable[str], code: Iterable) -> str:
    digest = hashlib.sha256()
    for part in input_hashes:
        digest.update(part.encode())
    for obj in code:
        digest.update(inspect.getsource(obj).encode())
    return digest.hexdigest()[:20]


def cached_frame(name: str, input_hashes: Iterable[str], code: Iterable,
                 compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``compute()``'s frame, from ``.cache/`` when inputs and code are unchanged.

    Set ``ANALYSIS_NO_CACHE=1`` to always recompute (tests of the parsers do).
    """
    if os.environ.get("ANALYSIS_NO_CACHE"):
        return compute()
    path = paths.CACHE / f"{name}-{_key(input_hashes, code)}.parquet"
    if _intact(path):
        return pd.read_parquet(path)
    frame = compute()
    with atomic_write(path) as handle:
        frame.to_parquet(handle, index=False)
    write_text(_checksum_path(path), sha256(path) + "\n")  # written last: a crash leaves none
    return frame


def _checksum_path(path):
    return path.with_name(path.name + ".sha256")


def _intact(path) -> bool:
    """Whether the cached file exists with the checksum recorded when it was written."""
    try:
        recorded = _checksum_path(path).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return False
    return path.exists() and sha256(path) == recorded
