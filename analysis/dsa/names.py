"""Which ``platform_name`` values are the same service, kept as data.

A platform may file under more than one name over time (a company name, a rebrand); counting one
of them would silently drop the others. ``data/reference/dsa-platform-names.csv`` maps every name
we know to its service (``platform_name,service,evidence``); a name not listed is its own
service. :func:`names_of` turns the services a reader asks for into every name to select;
:func:`service_of` is the reverse.

>>> names_of(["X"])
['X']
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from analysis import datapackage
from analysis.errors import DataError

RESOURCE = "dsa-platform-names"
COLUMNS = ["platform_name", "service", "evidence"]


@datapackage.memoized
def _table() -> tuple[tuple[str, str], ...]:
    path = datapackage.read(RESOURCE)
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        if next(reader, None) != COLUMNS:
            raise DataError(f"the header must be {','.join(COLUMNS)}", path=path, row=1)
        pairs = []
        for number, row in enumerate(reader, start=2):
            if len(row) != len(COLUMNS) or not row[0] or not row[1] or row[0] != row[0].strip():
                raise DataError("expected a platform_name, its service and the evidence, without "
                                "stray spaces", path=path, row=number)
            pairs.append((row[0], row[1]))
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        raise DataError("a platform_name is listed twice", path=path)
    return tuple(pairs)


def mapping() -> dict[str, str]:
    """``platform_name → service`` for every name listed."""
    return dict(_table())


def names_of(services: Iterable[str]) -> list[str]:
    """Every ``platform_name`` of the ``services`` (a value that is no listed service stands for
    itself), sorted."""
    table = _table()
    found = set()
    for service in services:
        listed = {name for name, owner in table if owner == service}
        found |= listed or {service}
    return sorted(found)


def service_of(name: str) -> str:
    return mapping().get(name, name)
