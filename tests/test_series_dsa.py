"""The DSA series and the ledger's measures on them, from the real summary statistics (values
checked by hand against the file)."""

import pandas as pd
import pytest

from analysis import evidence, measures, tracking
from analysis.dsa import summary
from analysis.errors import DataError
from analysis.series import dsa


def test_minors_daily_means_june_and_october_2025():
    june, october = measures.dsa_minors_daily_mean("2025-06"), measures.dsa_minors_daily_mean("2025-10")
    assert june.value == pytest.approx(15612 / 30) and october.value == pytest.approx(7431 / 31)
    assert june.evidence == evidence.THIRD_PARTY_STATISTICS
    change = measures.dsa_minors_daily_mean_change("2025-06", "2025-10")
    assert change.value == pytest.approx(100 * (7431 / 31 - 15612 / 30) / (15612 / 30))
    assert round(change.value, 1) == -53.9


def test_incomplete_month_is_refused():
    with pytest.raises(DataError, match="2025-07 is incomplete \\(2 days with statements, 31 days in the database\\)"):
        measures.dsa_minors_daily_mean_change("2025-06", "2025-07")


def test_memoized_series_still_record_their_read():
    dsa.minors_by_month("X")
    with tracking.recording() as reads:
        dsa.minors_by_month("X")
    assert list(reads.resources) == [summary.RESOURCE]


def test_chart_window_runs_from_first_filing_to_last_complete_month():
    window = dsa.chart_window(dsa.minors_by_month("X"))
    assert (window["period"].iloc[0], window["period"].iloc[-1]) == ("2023-10", "2025-12")
    assert window.loc[~window["complete"], "period"].tolist() == [
        "2023-10", "2024-01", "2024-02", "2025-03", "2025-04", "2025-07", "2025-08"]


def test_filing_gaps_include_the_summer_after_the_schema_change():
    gaps = dsa.filing_gaps("X")
    summer = gaps[gaps["start"] == pd.Timestamp(dsa.SCHEMA_CHANGE)].iloc[0]
    assert summer["end"] == pd.Timestamp("2025-08-27") and summer["release_days"] == 58
    assert (summer["days_with_statements"], summer["statements"]) == (6, 228)  # 38 + 1 + 1 + 2 + 25 + 161
    assert gaps["start"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-28", "2025-03-25", "2025-07-01"]
    silent = gaps["release_days"] - gaps["days_with_statements"]  # as the CSAM claim's note says
    assert silent.tolist()[:2] == [17, 22]


def test_x_declares_no_automated_detection():
    assert measures.dsa_automated_detection_share().value == 0.0
    series = dsa.automated_detection_by_month("X")
    assert series["automatically_detected"].sum() == 0 and series["statements"].sum() == 2_188_028
    with pytest.raises(DataError, match="X filed no statements between 2025-07-16 and 2025-07-20"):
        measures.dsa_automated_detection_share(first="2025-07-16", last="2025-07-20")


def test_csam_keyword_series_stops_before_the_schema_change():
    series = dsa.csam_keyword_by_month("X")
    assert series["period"].iloc[-1] == "2025-06"
    assert series.set_index("period").loc["2025-06", "statements"] == 15588
    assert measures.dsa_csam_keyword_statements().value == 180_451
    assert dsa.csam_keyword_after_schema_change("X") == 15
