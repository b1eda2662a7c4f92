"""Numbers as a French or English newsroom prints them, built on babel (CLDR).

Babel gives the digits, the decimal mark and the grouping; we then apply house rules where they
differ from CLDR's defaults: a typographic minus (U+2212) instead of a hyphen, a sign on changes,
in French a no-break space (U+00A0) before "%" and a narrow no-break space (U+202F) between
thousands; in English "%" directly after the number.

>>> format_percent(-81.4, "fr")
'−81,4\\xa0%'
>>> format_percent(72, "en", decimals=0)
'+72%'
>>> format_number(686176, "fr")
'686\\u202f176'
>>> format_number(686176, "en")
'686,176'
"""

from __future__ import annotations

import decimal
import math
import numbers

from babel.numbers import format_decimal

MINUS = "\u2212"
NBSP = "\u00a0"
NNBSP = "\u202f"
LOCALES = {"fr": "fr_FR", "en": "en_US"}
# Beyond 2**53 a float no longer holds every whole number: its last digits would be invented.
LARGEST_FLOAT = 2.0 ** 53
MAX_DIGITS = 60  # integers print exactly up to this many digits


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(LOCALES)}") from None


def _finite(value) -> int | float:
    """``value`` as an int (kept exact, never through a float) or a float small enough that all
    its digits mean something; anything else is refused with a message saying why."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"cannot format {value!r} as a number")
    if isinstance(value, numbers.Integral):
        if abs(int(value)) >= 10 ** MAX_DIGITS:
            raise ValueError(f"cannot format an integer of more than {MAX_DIGITS} digits")
        return int(value)
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"cannot format {value!r} as a number")
    if abs(value) >= LARGEST_FLOAT:
        raise ValueError(f"cannot format {value!r} exactly: a float this large has lost its last "
                         "digits; pass the count as an int")
    return value


def _digits(magnitude: int | float, lang: str, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    # babel computes in the current decimal context: give it room for every digit, so a large
    # integer is neither rounded nor refused with a raw decimal error
    with decimal.localcontext() as context:
        context.prec = MAX_DIGITS + decimals + 20
        number = decimal.Decimal(magnitude) if isinstance(magnitude, int) else magnitude
        text = format_decimal(number, format=pattern, locale=_locale(lang))
    return text.replace(NBSP, NNBSP) if lang == "fr" else text


def _signed(value: int | float, lang: str, decimals: int, signed: bool) -> str:
    rounded = round(value, decimals)
    digits = _digits(abs(rounded), lang, decimals)
    if rounded < 0:  # a value that rounds to zero gets no sign: "−0,0" would mislead
        return MINUS + digits
    return ("+" if signed and rounded > 0 else "") + digits


def format_percent(value, lang: str, decimals: int = 1, signed: bool = True) -> str:
    """``value`` in percent units (``-81.4`` means −81.4 %), rounded to ``decimals``.

    >>> format_percent(0.04, "fr")
    '0,0\\xa0%'
    >>> format_percent(3.372, "en", signed=False)
    '3.4%'
    """
    text = _signed(_finite(value), lang, decimals, signed)
    return text + (NBSP + "%" if lang == "fr" else "%")


def format_number(value, lang: str, decimals: int = 0, signed: bool = False) -> str:
    """A count or amount with the language's grouping; negatives get a typographic minus.

    >>> format_number(-1234.5, "fr", decimals=1)
    '−1\\u202f234,5'
    """
    return _signed(_finite(value), lang, decimals, signed)


def format_points(value, lang: str, decimals: int = 1) -> str:
    """A percentage-point change: "+2,1 points" / "+2.1 points" (pts in charts' tight spots).

    >>> format_points(2.1, "fr")
    '+2,1\\xa0points'
    """
    return _signed(_finite(value), lang, decimals, True) + (NBSP if lang == "fr" else " ") + "points"
