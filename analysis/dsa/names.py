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
import unicodedata
from collections.abc import Iterable

from analysis import datapackage
from analysis.errors import DataError, UsageError

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


MAX_TYPED = 200  # characters in a name a reader types (the longest real platform name is far shorter)


def check_typed(option: str, value: str) -> str:
    """A name typed for ``option`` (``--platform``, ``--category``), refused when longer than
    :data:`MAX_TYPED` characters (matching it against every name would be slow, and no name is
    that long)."""
    if len(value) > MAX_TYPED:
        raise UsageError(f"{option} is {len(value):,} characters long: no name is longer than {MAX_TYPED}")
    return value


def look_alikes(value: str) -> str:
    """What makes a typed name differ from what it looks like: its characters outside ASCII, by
    Unicode name ("" when it has none).

    >>> look_alikes("Х")
    ' (it holds U+0425 CYRILLIC CAPITAL LETTER HA, not an ASCII letter: a look-alike?)'
    """
    odd = [f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in dict.fromkeys(value) if not c.isascii()]
    return f" (it holds {', '.join(odd[:3])}, not an ASCII letter: a look-alike?)" if odd else ""


# Cyrillic and Greek capitals and small letters drawn like Latin ones, whose Unicode names do not
# say so (Р is CYRILLIC CAPITAL LETTER ER).
LOOK_ALIKE = str.maketrans("АВЕКМНОРСТУХаеорсухіјѕΑΒΕΖΗΙΚΜΝΟΡΤΥΧοντ", "ABEKMHOPCTYXaeopcyxijsABEZHIKMNOPTYXovt")


def ascii_folded(value: str) -> str:
    """``value`` with each non-ASCII letter drawn like a Latin one replaced by it (:data:`LOOK_ALIKE`,
    or the letter its Unicode name ends with: Cyrillic о is CYRILLIC SMALL LETTER O): to name the
    real value a look-alike imitates.

    >>> ascii_folded("Рrotection")
    'Protection'
    """
    def folded(character: str) -> str:
        words = unicodedata.name(character, "").split()
        if character.isascii() or len(words) < 2 or words[-2] != "LETTER" or len(words[-1]) != 1:
            return character
        return words[-1] if character.isupper() else words[-1].lower()
    return "".join(map(folded, value.translate(LOOK_ALIKE)))
