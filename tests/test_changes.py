import math

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from analysis import changes
from analysis.changes import (
    percent_change,
    percentage_point_change,
    same_days_previous_month,
    share,
    window_mean_change,
)

positive = st.floats(min_value=1e-3, max_value=1e12, allow_nan=False, allow_infinity=False)
any_value = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


def test_article_figures():
    assert percent_change(100, 18.6) == pytest.approx(-81.4)
    assert percent_change(50, 86) == pytest.approx(72.0)


@given(positive, any_value)
def test_sign_follows_direction(old, new):
    change = percent_change(old, new)
    assert (change > 0) == (new > old) and (change < 0) == (new < old)


@given(positive, any_value)
def test_round_trip(old, new):
    pct = percent_change(old, new)
    assert old * (1 + pct / 100) == pytest.approx(new, rel=1e-9, abs=1e-12 * old)


@given(st.floats(1, 1e9), st.floats(1, 1e9))
def test_order_of_arguments_matters(a, b):
    forward, backward = percent_change(a, b), percent_change(b, a)
    # (1 + f)(1 + b) = 1: a rise and the fall back are not the same number
    assert (1 + forward / 100) * (1 + backward / 100) == pytest.approx(1.0)


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=0, max_value=10**9))
@example(old=16, new=21474853)  # +134,217,731.25 %: half a unit of the last digit, plus the float's own error
def test_rounding_to_published_precision_is_stable(old, new):
    pct = percent_change(old, new)
    published = round(pct, 1)
    assert abs(published - pct) <= 0.05 + 1e-12 * max(1.0, abs(pct))  # floats carry ~16 digits, not more


@pytest.mark.parametrize("old, new, message", [
    (0, 5, "base .* must be positive"), (-3, 5, "base .* must be positive"),
    (float("nan"), 5, "finite"), (5, float("nan"), "finite"), ("100", 5, "must be a number"),
    (None, 5, "must be a number"), (True, 5, "must be a number"),
])
def test_percent_change_refuses(old, new, message):
    with pytest.raises(ValueError, match=message):
        percent_change(old, new)


def test_percentage_points_and_share():
    assert percentage_point_change(0.3, 2.4) == 2.1
    assert share(686176, 20348306) == pytest.approx(3.3721, abs=1e-4)
    with pytest.raises(ValueError, match="whole must be positive"):
        share(1, 0)
    with pytest.raises(ValueError, match="part must not be negative"):
        share(-1, 10)


@given(st.floats(0, 100), st.floats(0, 100))
def test_points_are_differences_not_ratios(a, b):
    assert percentage_point_change(a, b) == pytest.approx(b - a, abs=1e-9)


def _daily(start="2025-12-01", end="2026-01-19", value=100.0):
    return pd.Series(value, index=pd.date_range(start, end))


def test_window_mean_change_is_mean_over_every_day():
    series = _daily()
    series[series.index >= "2026-01-01"] = 172.0
    assert window_mean_change(series, ("2026-01-01", "2026-01-19"), ("2025-12-01", "2025-12-19")) == pytest.approx(72)


def test_window_refuses_missing_days_and_names_them():
    series = _daily().drop(pd.Timestamp("2025-12-07"))
    with pytest.raises(ValueError, match="reference window .* lacks data for 2025-12-07"):
        window_mean_change(series, ("2026-01-01", "2026-01-19"), ("2025-12-01", "2025-12-19"))


def test_window_refuses_nan_day():
    series = _daily()
    series[pd.Timestamp("2026-01-03")] = math.nan
    with pytest.raises(ValueError, match="window .* lacks data for 2026-01-03"):
        window_mean_change(series, ("2026-01-01", "2026-01-19"), ("2025-12-01", "2025-12-19"))


def test_window_refuses_different_lengths_empty_and_text():
    series = _daily()
    with pytest.raises(ValueError, match="differ in length: 19 days against 18"):
        window_mean_change(series, ("2026-01-01", "2026-01-19"), ("2025-12-01", "2025-12-18"))
    with pytest.raises(ValueError, match="ends .* before it starts"):
        window_mean_change(series, ("2026-01-19", "2026-01-01"), ("2025-12-19", "2025-12-01"))
    with pytest.raises(ValueError, match="must be numeric"):
        window_mean_change(series.astype(str), ("2026-01-01", "2026-01-19"), ("2025-12-01", "2025-12-19"))
    with pytest.raises(ValueError, match="base .* must be positive"):
        window_mean_change(_daily(value=0.0), ("2026-01-01", "2026-01-19"), ("2025-12-01", "2025-12-19"))


def test_same_days_previous_month():
    assert same_days_previous_month(("2026-01-01", "2026-01-19")) == (
        pd.Timestamp("2025-12-01"), pd.Timestamp("2025-12-19"))


finite = st.floats(allow_nan=False, allow_infinity=False)


@given(finite.filter(lambda x: x > 0), finite)
def test_percent_change_is_finite_or_refused(old, new):
    """Never ±inf: an overflow is refused with a message, whatever the inputs."""
    try:
        change = percent_change(old, new)
    except ValueError as error:
        assert "overflows" in str(error)
    else:
        assert math.isfinite(change)


@pytest.mark.parametrize("call", [
    lambda: percent_change(1e-308, 1e308), lambda: percent_change(5e-324, -1e308),
    lambda: share(1e308, 1e-308), lambda: percentage_point_change(-1e308, 1e308),
])
def test_overflow_is_refused_clearly(call):
    with pytest.raises(ValueError, match="overflows .*out of any plausible range"):
        call()


@pytest.mark.parametrize("value, interval", [(12000, (11500, 12500)), (9100, (9050, 9150)), (140000, (135000, 145000)),
                                             (21, (20.5, 21.5))])
def test_a_rounded_count_lies_within_half_a_unit_of_its_last_non_zero_digit(value, interval):
    assert changes.rounding_interval(value) == interval


@pytest.mark.parametrize("value", [0, -100, 1.5, True, "12000"])
def test_only_a_positive_whole_count_has_a_rounding_interval(value):
    with pytest.raises(ValueError, match="a rounded count must be a positive whole number"):
        changes.rounding_interval(value)


def test_the_change_between_rounded_counts_has_bounds_around_it():
    low, high = changes.percent_change_bounds(12000, 9100)
    assert low < changes.percent_change(12000, 9100) < high
    assert (low, high) == (pytest.approx(-27.6), pytest.approx(100 * 9150 / 11500 - 100))
