"""Values for the ledger, from the real summary statistics (checked by hand against the file)."""

import pytest

from analysis.dsa import findings
from analysis.errors import DataError


def test_minors_daily_means_june_and_october_2025():
    june, october = findings.minors_daily_mean_measure("2025-06"), findings.minors_daily_mean_measure("2025-10")
    assert june.value == pytest.approx(15612 / 30) and october.value == pytest.approx(7431 / 31)
    assert june.status == "derived by a third party"
    change = findings.minors_daily_mean_change_measure("2025-06", "2025-10")
    assert change.value == pytest.approx(100 * (7431 / 31 - 15612 / 30) / (15612 / 30))


def test_incomplete_month_is_refused():
    with pytest.raises(DataError, match="2025-07 is incomplete \\(2 days with statements, 31 days in the database\\)"):
        findings.minors_daily_mean_change_measure("2025-06", "2025-07")


def test_x_declares_no_automated_detection():
    assert findings.automated_detection_share_measure().value == 0.0
    series = findings.automated_detection_series()
    assert series["automatically_detected"].sum() == 0 and series["statements"].sum() == 2_188_028


def test_csam_keyword_series_stops_before_the_schema_change():
    series = findings.csam_keyword_series()
    assert series["period"].iloc[-1] == "2025-06"
    assert series.set_index("period").loc["2025-06", "statements"] == 15588
    assert findings.csam_keyword_total_measure().value == 180_451
