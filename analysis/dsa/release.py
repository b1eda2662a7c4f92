"""One daily release of the database: its dump's name, day, variant and SHA-1, in one place.

The Commission publishes each day as ``sor-global-YYYY-MM-DD-{full|light}.zip`` with a
``NAME.sha1`` beside it (``DIGEST  NAME``); our synthetic dumps are named ``synthetic-…`` alike.
:class:`Release` builds those names (the fetcher, the synthetic writer) and reads them back (the
ingest: :meth:`Release.of_file`); :func:`file_sha1`, :func:`read_sha1` and :func:`check_sha1` are
the only code that hashes a dump or reads a ``.sha1``.

>>> Release("2025-07-01", "light").name
'sor-global-2025-07-01-light.zip'
>>> Release.of_file("synthetic-sor-global-2025-07-01-full.zip")
Release(date='2025-07-01', variant='full', synthetic=True, sha1=None, parts=[])
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from analysis.errors import DataError
from analysis.synthetic import named_synthetic

VARIANTS = ("full", "light")
PREFIX = "sor-global-"
SYNTHETIC_PREFIX = "synthetic-"
DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
VARIANT_IN_NAME = re.compile(r"\d{4}-\d{2}-\d{2}-(full|light)\b")
SHA1 = re.compile(r"[0-9a-f]{40}")
CHUNK = 1 << 20
MAX_SHA1_BYTES = 1024  # a .sha1 holds a digest and a name


@dataclass
class Release:
    """A day's release: ``date`` (``YYYY-MM-DD``), ``variant`` (full, light; None when a file's
    name does not say), ``synthetic`` (named so), its ``sha1`` once known, and the CSV ``parts``
    read from it, in order."""
    date: str
    variant: str | None = "full"
    synthetic: bool = False
    sha1: str | None = None
    parts: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{SYNTHETIC_PREFIX if self.synthetic else ''}{PREFIX}{self.date}-{self.variant}.zip"

    @property
    def sidecar_name(self) -> str:
        return f"{self.name}.sha1"

    def sidecar_text(self) -> str:
        """The ``.sha1`` file's content, as the Commission writes it."""
        return f"{self.sha1}  {self.name}\n"

    @classmethod
    def of_file(cls, path: str | Path) -> Release:
        """The release a dump (or a single CSV part) holds, from its file name alone."""
        name = Path(path).name
        variant = VARIANT_IN_NAME.search(name)
        return cls(dump_date(path), variant.group(1) if variant else None, named_synthetic(name))


def dump_date(path: str | Path) -> str:
    """The day a dump covers, from its file name (a real calendar day).

    >>> dump_date("synthetic-sor-global-2025-07-01-full.zip")
    '2025-07-01'
    """
    match = DATE_IN_NAME.search(Path(path).name)
    if not match:
        raise DataError("no YYYY-MM-DD date in the file name: cannot tell which day it covers", path=path)
    try:
        Date.fromisoformat(match.group(1))
    except ValueError:
        raise DataError(f"{match.group(1)} in the file name is not a calendar day", path=path) from None
    return match.group(1)


def read_sha1(content: bytes, where: str | Path) -> str:
    """The 40-hex-digit SHA-1 at the start of a ``.sha1`` file's ``content`` (``DIGEST  NAME``)."""
    words = content[:MAX_SHA1_BYTES].decode("ascii", errors="replace").split()
    if len(content) > MAX_SHA1_BYTES or not words or not SHA1.fullmatch(words[0].lower()):
        raise DataError("no SHA-1 digest at the start of the file", path=where)
    return words[0].lower()


def file_sha1(path: Path, interrupted: Callable[[], bool] = lambda: False) -> str | None:
    """The SHA-1 of a file, read in chunks; ``None`` if ``interrupted()`` turns true first."""
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            if interrupted():
                return None
            digest.update(chunk)
    return digest.hexdigest()


def published_sha1(path: Path) -> str | None:
    """The SHA-1 the ``.sha1`` beside a dump gives for it, or None when there is none."""
    sidecar = Path(path).with_name(Path(path).name + ".sha1")
    if not sidecar.exists():
        return None
    with open(sidecar, "rb") as handle:
        return read_sha1(handle.read(MAX_SHA1_BYTES + 1), sidecar)


def check_sha1(path: Path, interrupted: Callable[[], bool] = lambda: False) -> bool:
    """Check ``path`` against ``path.sha1`` when that file exists; ``True`` if it was checked
    (``False`` too when ``interrupted()`` turns true before the end)."""
    sidecar = path.with_name(path.name + ".sha1")
    expected = published_sha1(path)
    if expected is None:
        return False
    actual = file_sha1(path, interrupted)
    if actual is None:
        return False
    if actual != expected:
        raise DataError(f"sha1 {actual} differs from {sidecar.name} ({expected})", path=path)
    return True
