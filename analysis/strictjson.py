"""JSON read strictly: one :class:`ValueError` with a one-line reason for what ``json.loads`` lets
through or fails on obscurely. Light to import (the command line's fast commands use it).

- ``NaN``, ``Infinity``: not JSON numbers;
- a number that overflows a float (``1e999`` would become ``inf``, a count of infinity);
- an integer of more than 4,300 digits (Python's own limit, said plainly);
- nesting deeper than ``max_depth`` (100,000 levels end in a RecursionError: the parser recurses
  once a level), measured in one pass before parsing.

>>> loads('{"count": 1e999}')
Traceback (most recent call last):
...
ValueError: number 1e999 overflows: not a finite number
>>> loads('{"a": ["[", {"b": []}]}')
{'a': ['[', {'b': []}]}
"""

from __future__ import annotations

import itertools
import json
import math
import re

MAX_DEPTH = 64  # no document we read nests deeper than a few levels
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]")


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> object:
    """``text`` as Python values, or :class:`ValueError` saying in one line why not."""
    depth = nesting(text)
    if depth > max_depth:
        raise ValueError(f"nested {depth:,} levels deep, more than the {max_depth} allowed")
    try:
        return json.loads(text, parse_float=_finite, parse_constant=_refuse)
    except json.JSONDecodeError as error:
        raise ValueError(f"{error.msg} (line {error.lineno}, column {error.colno})") from None
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 (byte 0x{error.object[error.start]:02x} at {error.start})") from None
    except RecursionError:  # cannot happen within max_depth; a clear message all the same
        raise ValueError("nested too deep to read") from None
    except ValueError as error:  # our refusals, and Python's limit on the digits of an integer
        if "integer string conversion" in str(error):
            raise ValueError("an integer of more than 4,300 digits: not a count") from None
        raise


def nesting(text: str | bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text, brackets inside strings aside."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", data))
    return max(itertools.accumulate(1 if byte in b"[{" else -1 for byte in brackets), default=0)


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError(f"number {literal} overflows: not a finite number")
    return value


def _refuse(constant: str):
    raise ValueError(f"{constant} is not a JSON number")
