"""Checks every series makes before it is used: no year silently missing.

A series with a hole (2019, 2020, 2022) drawn as a line or used for a change would join two
points that are not neighbours. :func:`require_years` refuses it with the file that should have
held the year.

>>> require_years([2019, 2020, 2021], "France's reports", "data/datapackage.json")
>>> require_years([2019, 2021], "France's reports", "data/datapackage.json")
Traceback (most recent call last):
...
analysis.errors.DataError: data/datapackage.json: France's reports: no value for 2020 (years held: [2019, 2021])
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from analysis.errors import DataError


def require_years(held: Iterable[int], what: str, path: str | Path, expected: Iterable[int] | None = None) -> None:
    """Raise :class:`DataError` if a year of ``expected`` (default: every year from the first
    held to the last) is not in ``held``; ``path`` is the file that should hold it."""
    held = sorted({int(year) for year in held})
    expected = range(held[0], held[-1] + 1) if expected is None and held else (expected or [])
    missing = [year for year in expected if year not in held]
    if missing:
        years = ", ".join(str(year) for year in missing)
        raise DataError(f"{what}: no value for {years} (years held: {held})", path=path)
