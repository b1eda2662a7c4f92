"""Numbers as a French or English newsroom prints them, built on babel (CLDR).

Babel gives the digits, the decimal mark and the grouping; we then apply house rules where they
differ from CLDR's defaults: a typographic minus (U+2212) instead of a hyphen, a sign on changes,
in French a narrow no-break space (U+202F) before "%", as before the other high punctuation
(; : ! ?), and between thousands; in English "%" directly after the number.

>>> format_percent(-81.4, "fr")
'−81,4\\u202f%'
>>> format_percent(72, "en", decimals=0)
'+72%'
>>> format_number(686176, "fr")
'686\\u202f176'
>>> format_number(686176, "en")
'686,176'
"""

from __future__ import annotations

import datetime
import decimal
import math
import numbers
import re

from babel.dates import format_date
from babel.numbers import format_decimal

MINUS = "\u2212"
NBSP = "\u00a0"
NNBSP = "\u202f"
FIRST = "\u1d49\u02b3"  # "ᵉʳ": French ordinals in superscript letters, "1ᵉʳ" as "4ᵉ"
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
    '0,0\\u202f%'
    >>> format_percent(3.372, "en", signed=False)
    '3.4%'
    """
    text = _signed(_finite(value), lang, decimals, signed)
    return text + (NNBSP + "%" if lang == "fr" else "%")


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


def _date(value) -> datetime.date:
    """A date from "YYYY-MM" (its first day), "YYYY-MM-DD", a date or a timestamp."""
    if isinstance(value, str):
        parts = [int(part) for part in value.split("-")]
        return datetime.date(*parts, *([1] * (3 - len(parts))))
    return value.date() if isinstance(value, datetime.datetime) else value


def format_month(value, lang: str) -> str:
    """A month and its year, the words from CLDR, never split across lines.

    >>> format_month("2025-06", "fr"), format_month("2025-10", "en")
    ('juin\\xa02025', 'October\\xa02025')
    """
    return format_date(_date(value), "MMMM y", locale=_locale(lang)).replace(" ", NBSP)


def format_day(value, lang: str) -> str:
    """A day as each language writes it in running text.

    >>> format_day("2025-06-18", "fr"), format_day("2025-06-18", "en")
    ('18\\xa0juin\\xa02025', '18\\xa0June\\xa02025')
    >>> format_day("2025-07-01", "fr")  # French writes the first of the month as an ordinal, "1ᵉʳ"
    '1ᵉʳ\\xa0juillet\\xa02025'
    """
    day = _date(value)
    pattern = f"d'{FIRST}' MMMM y" if lang == "fr" and day.day == 1 else "d MMMM y"
    return format_date(day, pattern, locale=_locale(lang)).replace(" ", NBSP)


def format_period(start, end, lang: str) -> str:
    """A span of whole months: a calendar year as "2024", otherwise "juil.–oct. 2024".

    >>> format_period("2024-07-01", "2024-10-31", "fr"), format_period("2024-01-01", "2024-12-31", "en")
    ('juil.–oct.\\xa02024', '2024')
    """
    start, end = _date(start), _date(end)
    if (start.month, end.month) == (1, 12) and start.year == end.year:
        return str(start.year)
    first = format_date(start, "MMM" if start.year == end.year else "MMM y", locale=_locale(lang))
    return f"{first}–{format_date(end, 'MMM', locale=_locale(lang))}{NBSP}{end.year}".replace(" ", NBSP)


def french_de(following: str, capital: bool = False) -> str:
    """French "de" before ``following`` (a month, a year), elided before a vowel.

    >>> french_de("juin 2025"), french_de("octobre 2023"), french_de("août 2025", capital=True)
    ('de juin 2025', 'd’octobre 2023', 'D’août 2025')
    """
    de = "d’" if following and following[0].lower() in "aàâeéèêiîoôuû" else "de "
    return (de.capitalize() if capital else de) + following


_SPACE = "[ \u00a0\u202f]"  # a plain, no-break or narrow no-break space
_FRENCH = (  # (pattern, replacement), in order
    # the house rule: a narrow no-break space before the high punctuation, % included
    (re.compile(f"{_SPACE}*([;:!?])(?=\\s|$)"), NNBSP + r"\1"),  # "Source : " → "Source\u202f: "
    (re.compile(f"(?<=\\d){_SPACE}*%"), NNBSP + "%"),  # "21,2 %" → "21,2\u202f%"
    (re.compile(f"«{_SPACE}*"), "«" + NBSP),
    (re.compile(f"{_SPACE}*»"), NBSP + "»"),
    (re.compile(f"\\b\\d{{1,3}}(?:{_SPACE}\\d{{3}})+\\b"),  # "870 503" → "870\u202f503"
     lambda number: re.sub(_SPACE, NNBSP, number.group())),
)
# French ordinals written on the line ("1er", "1re") take superscript letters, like "4ᵉ"; never inside a
# quotation, which keeps its spelling.
_ORDINALS = ((re.compile(r"(?<!\w)1er(?!\w)"), "1" + FIRST), (re.compile(r"(?<!\w)1re(?!\w)"), "1\u02b3\u1d49"))
_OPENING, _CLOSING = "«“", "»”"
_ENGLISH = (  # no French spacing: "−81.4 %" → "−81.4%", "Source : " → "Source: "
    (re.compile(f"(?<=\\d){_SPACE}+%"), "%"),
    (re.compile(f"{_SPACE}+([;:!?])(?=\\s|$)"), r"\1"),
)
_BOTH = (
    (re.compile(r"(?<=\w)'"), "\u2019"),  # "l'année" → "l’année", "platforms'" → "platforms’"
    (re.compile(r"(?<![\w.\-/])-(?=\d)"), MINUS),  # "-81" → "−81", leaving "2019-2023" and ids alone
)


def house_typography(text: str, lang: str) -> str:
    """Our own prose with the house rules applied (never an article's verbatim quote).

    Both languages: typographic apostrophe (’) and minus (U+2212). French: a narrow no-break
    space (U+202F) before ; : ! ? and %, and between thousands; a no-break space (U+00A0) inside
    « »; ordinals in superscript ("1ᵉʳ"), except inside a quotation, which keeps its spelling.
    English: none of these spaces. Applying it twice changes nothing.

    >>> house_typography("Source : 870 503 signalements, -21,2 % l'année", "fr")
    'Source\u202f: 870\u202f503 signalements, −21,2\u202f% l’année'
    >>> house_typography("X's reports: -81.4 %", "en")
    'X’s reports: −81.4%'
    """
    rules = {"fr": _FRENCH, "en": _ENGLISH}
    _locale(lang)
    for pattern, replacement in (*_BOTH, *rules[lang]):
        text = pattern.sub(replacement, text)
    if lang == "fr":
        text = "".join(part if quoted else _unquoted(part, _ORDINALS) for part, quoted in quotations(text))
    return text


def quotations(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into ``(part, quoted)``: a quotation in « » or “ ” (nested ones included) is one
    part; an opening mark never closed quotes the rest, so nothing after it is respelt.

    >>> quotations("X « a dit « maison » hier » ici")
    [('X ', False), ('« a dit « maison » hier »', True), (' ici', False)]
    """
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in _OPENING:
            if depth == 0:
                parts.append((text[start:index], False))
                start = index
            depth += 1
        elif char in _CLOSING and depth:
            depth -= 1
            if depth == 0:
                parts.append((text[start:index + 1], True))
                start = index + 1
    parts.append((text[start:], depth > 0))
    return [(part, quoted) for part, quoted in parts if part]


def _unquoted(text: str, rules) -> str:
    """``text`` (outside any quotation) with the spelling ``rules`` applied."""
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text



MISSING = "—"  # a missing value in a table we show


def format_table(frame, lang: str = "en", decimals: dict | None = None, keep=("year", "page")):
    """A copy of a table with every number as we print it, for a notebook to show (never a raw
    float such as 6.861760e+05 or 0.271585): a column named ``*_pct`` as a percentage (signed if
    its name says ``change``), whole numbers grouped, other numbers to ``decimals[column]`` places
    (1 by default), a missing value as "—" in any column. Columns in ``keep`` (years, page
    numbers), text, dates and booleans are otherwise left as they are.

    >>> import pandas as pd
    >>> format_table(pd.DataFrame({"year": [2024, 2025], "reports": [686176.0, None], "change_pct": [-21.17, 19.0],
    ...                            "claim": ["x-ncmec-reports-2024", None]}))
       year  reports change_pct                 claim
    0  2024  686,176     −21.2%  x-ncmec-reports-2024
    1  2025        —     +19.0%                     —
    """
    from pandas.api import types  # here, not at the top: the command line imports this module, and no pandas

    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        if column in keep or types.is_bool_dtype(values) or not types.is_numeric_dtype(values):
            if values.isna().any():  # pandas would show NaN, <NA> or NaT
                shown[column] = values.astype(object).where(values.notna(), MISSING)
            continue
        places = (decimals or {}).get(column)
        whole = places is None and all(float(v).is_integer() for v in values.dropna())
        shown[column] = [MISSING if _missing(v) else _number(v, str(column), lang, places, whole) for v in values]
    return shown


def _number(value, column: str, lang: str, places: int | None, whole: bool) -> str:
    """One cell of :func:`format_table`."""
    if column.endswith("_pct"):
        return format_percent(value, lang, decimals=1 if places is None else places, signed="change" in column)
    if whole:
        return format_number(int(value), lang)
    return format_number(float(value), lang, decimals=1 if places is None else places)


def _missing(value) -> bool:
    """Whether a cell holds no value: None, NaN or pandas' NA."""
    import pandas as pd

    return bool(pd.isna(value))
