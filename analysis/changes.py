"""The change arithmetic an editor trusts: percent, percentage points, shares, window means.

Each function refuses input that would give a number nobody should publish — a zero or negative
base, NaN, text, an empty or gappy window — with a ``ValueError`` that says why.

>>> round(percent_change(100, 18.6), 1)
-81.4
>>> percentage_point_change(2.4, 3.4)
1.0
>>> round(share(686_176, 20_348_306), 2)
3.37
"""

from __future__ import annotations

import math
import numbers
from datetime import date

import pandas as pd


def _number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def percent_change(old, new) -> float:
    """Percent change from ``old`` to ``new``: ``100 * (new - old) / old``.

    The base must be positive: a change from zero is undefined and a change from a negative
    base has no editorial meaning.

    >>> percent_change(50, 86)
    72.0
    """
    old, new = _number(old, "old"), _number(new, "new")
    if old <= 0:
        raise ValueError(f"the base (old) must be positive, got {old!r}")
    return _finite_result(100.0 * (new - old) / old, f"percent change from {old!r} to {new!r}")


def _finite_result(value: float, what: str) -> float:
    """``value``, unless the arithmetic overflowed: an infinite change is no number to publish."""
    if not math.isfinite(value):
        raise ValueError(f"{what} overflows ({value}): the inputs are out of any plausible range")
    return value


def percentage_point_change(old_pct, new_pct) -> float:
    """Difference between two percentages, in percentage points (not a percent change).

    >>> percentage_point_change(0.3, 2.4)
    2.1
    """
    old_pct, new_pct = _number(old_pct, "old_pct"), _number(new_pct, "new_pct")
    return round(_finite_result(new_pct - old_pct, f"change from {old_pct!r} to {new_pct!r} points"), 12)  # drop binary noise such as 2.0999999999999996


def share(part, whole) -> float:
    """``part`` as a percent of ``whole``; the whole must be positive, the part not negative.

    >>> share(1, 8)
    12.5
    """
    part, whole = _number(part, "part"), _number(whole, "whole")
    if whole <= 0:
        raise ValueError(f"the whole must be positive, got {whole!r}")
    if part < 0:
        raise ValueError(f"the part must not be negative, got {part!r}")
    return _finite_result(100.0 * part / whole, f"share of {part!r} in {whole!r}")


def apply_change(base, pct) -> float:
    """The value ``pct`` percent away from ``base``: the inverse of :func:`percent_change`.

    >>> round(apply_change(100, -81.4), 1)
    18.6
    """
    base, pct = _number(base, "base"), _number(pct, "pct")
    return _finite_result(base * (1 + pct / 100), f"{base!r} changed by {pct!r} %")


def rounding_interval(value: int) -> tuple[float, float]:
    """Where a published count rounded to its last non-zero digit can lie: half a unit of that
    digit either side (12,000: 11,500 to 12,500; 9,100: 9,050 to 9,150). A figure rounded more
    finely than it shows (12,000 that was 12,000 to the unit) lies inside; one rounded more
    coarsely cannot be written with that last digit.

    >>> rounding_interval(12_000), rounding_interval(9_100), rounding_interval(7)
    ((11500.0, 12500.0), (9050.0, 9150.0), (6.5, 7.5))
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"a rounded count must be a positive whole number, got {value!r}")
    unit = 1
    while value % (unit * 10) == 0:
        unit *= 10
    return value - unit / 2, value + unit / 2


def percent_change_bounds(old: int, new: int) -> tuple[float, float]:
    """The lowest and highest percent change between two rounded counts (:func:`rounding_interval`):
    what the change can be, given only the rounded figures.

    >>> [round(bound, 1) for bound in percent_change_bounds(12_000, 9_100)]
    [-27.6, -20.4]
    """
    (old_low, old_high), (new_low, new_high) = rounding_interval(old), rounding_interval(new)
    return percent_change(old_high, new_low), percent_change(old_low, new_high)


def _window_values(series: pd.Series, window, name: str) -> pd.Series:
    start, end = (pd.Timestamp(day) for day in window)
    if end < start:
        raise ValueError(f"the {name} ends ({end.date()}) before it starts ({start.date()})")
    days = pd.date_range(start, end, freq="D")
    values = series.reindex(days)
    missing = [day.date().isoformat() for day in days[values.isna().to_numpy()]]
    if missing:
        shown = ", ".join(missing[:10]) + (f" … ({len(missing)} days)" if len(missing) > 10 else "")
        raise ValueError(f"the {name} ({start.date()} to {end.date()}) lacks data for {shown}")
    return values


def window_mean_change(series: pd.Series, window: tuple, reference: tuple) -> float:
    """Percent change of the mean daily value over ``window`` against the mean over ``reference``
    (see :func:`window_means`).

    ``series`` is indexed by day; ``window`` and ``reference`` are inclusive ``(start, end)`` date
    pairs of the same length. Every day of both windows must have a value: averaging fewer days
    would quietly compare different things, so a gap raises, naming the days.

    >>> days = pd.date_range("2025-12-01", "2026-01-19")
    >>> downloads = pd.Series(100.0, index=days)
    >>> downloads[days >= "2026-01-01"] = 172.0
    >>> round(window_mean_change(downloads, ("2026-01-01", "2026-01-19"),
    ...                          ("2025-12-01", "2025-12-19")), 1)
    72.0
    """
    current, base = window_means(series, window, reference)
    return percent_change(base, current)


def window_means(series: pd.Series, window: tuple, reference: tuple) -> tuple[float, float]:
    """The mean daily value over ``window`` and over ``reference``, two inclusive ``(start, end)``
    date pairs of the same length; every day of both must have a value.

    >>> days = pd.date_range("2025-12-01", "2026-01-19")
    >>> window_means(pd.Series(1.0, index=days).drop(days[3]), ("2026-01-01", "2026-01-19"),
    ...              ("2025-12-01", "2025-12-19"))
    Traceback (most recent call last):
    ValueError: the reference window (2025-12-01 to 2025-12-19) lacks data for 2025-12-04
    """
    if not isinstance(series, pd.Series):
        raise ValueError("series must be a pandas Series indexed by day")
    if not pd.api.types.is_numeric_dtype(series):
        raise ValueError(f"series must be numeric, got dtype {series.dtype}")
    if series.index.has_duplicates:
        raise ValueError("series has duplicate days")
    series = series.set_axis(pd.DatetimeIndex(series.index).normalize())
    lengths = [(pd.Timestamp(end) - pd.Timestamp(start)).days + 1 for start, end in (window, reference)]
    if lengths[0] != lengths[1]:
        raise ValueError(f"windows differ in length: {lengths[0]} days against {lengths[1]}")
    current = _window_values(series, window, "window")
    base = _window_values(series, reference, "reference window")
    return float(current.mean()), float(base.mean())


def same_days_previous_month(window: tuple[date | str, date | str]) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The same days of the month before: (1–19 Jan 2026) → (1–19 Dec 2025).

    >>> [d.date().isoformat() for d in same_days_previous_month(("2026-01-01", "2026-01-19"))]
    ['2025-12-01', '2025-12-19']
    """
    start, end = (pd.Timestamp(day) for day in window)
    return start - pd.DateOffset(months=1), end - pd.DateOffset(months=1)
