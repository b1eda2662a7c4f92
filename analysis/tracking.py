"""Tracked reads: what a computation actually read, recorded as it reads it.

Modelled on owid/etl's ``PathFinder``: instead of each chart or cache declaring by hand which
inputs it depends on, every read goes through one function that records it, and whatever ran
inside :func:`recording` knows exactly what it used:

- ``resources``: data-package resources read (name → the sha256 recorded in the package);
- ``listings``: questions asked of the package ("every resource named like ``ncmec-by-esp-YYYY``"
  → the names it answered), so that registering a new matching file changes the answer;
- ``claims``: ledger entries quoted (id → digest of the entry);
- ``libraries``: libraries that parsed or drew (name → version).

A chart's fingerprint, its ``resources`` in ``figures.json``, a measure's resources and every
cache key are derived from these records (:mod:`analysis.charts.build`, :mod:`analysis.cache`).

>>> with recording() as reads:
...     record_library("pandas")
>>> sorted(reads.libraries)
['pandas']
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from typing import TypeVar

T = TypeVar("T")

KINDS = ("resources", "listings", "claims", "libraries")


@dataclass
class Reads:
    """Everything one computation read; see the module docstring for each kind."""

    resources: dict[str, str] = field(default_factory=dict)
    listings: dict[str, list[str]] = field(default_factory=dict)
    claims: dict[str, str] = field(default_factory=dict)
    libraries: dict[str, str] = field(default_factory=dict)

    def merge(self, other: Reads) -> None:
        for kind in KINDS:
            getattr(self, kind).update(getattr(other, kind))

    def as_dict(self) -> dict:
        return {kind: dict(sorted(getattr(self, kind).items())) for kind in KINDS}

    @classmethod
    def from_dict(cls, data: dict) -> Reads:
        return cls(**{kind: dict(data.get(kind, {})) for kind in KINDS})


_active: contextvars.ContextVar[tuple[Reads, ...]] = contextvars.ContextVar("reads", default=())


@contextlib.contextmanager
def overriding(variable: contextvars.ContextVar[T], value: T) -> Iterator[T]:
    """Give a context variable another value inside the block (the data package, the cache
    folder and the active recordings are set this way)."""
    token = variable.set(value)
    try:
        yield value
    finally:
        variable.reset(token)


@contextlib.contextmanager
def recording() -> Iterator[Reads]:
    """Record every tracked read made inside the block (nested blocks all receive them)."""
    reads = Reads()
    with overriding(_active, _active.get() + (reads,)):
        yield reads


def start_recording() -> Reads:
    """Record every tracked read from now on in this context, for code that cannot run inside a
    ``with`` block: a notebook's kernel, whose cells each run separately in one context."""
    reads = Reads()
    _active.set(_active.get() + (reads,))
    return reads


def record(kind: str, key: str, value) -> None:
    """Note one read in every active recording."""
    for reads in _active.get():
        getattr(reads, kind)[key] = value


def replay(reads: Reads) -> None:
    """Note again reads made earlier (by a computation whose result was cached)."""
    for active in _active.get():
        active.merge(reads)


def library_version(name: str) -> str:
    return metadata.version(name)


def record_library(name: str) -> None:
    """Note that a library's code produced the result (its version joins the fingerprints)."""
    record("libraries", name, library_version(name))
