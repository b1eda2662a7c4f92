import json

import pytest

from analysis import paths
from analysis.errors import DataError
from analysis.sources import x


def test_transparency_report_matches_page_7():
    report = x.transparency_report_2024_h1().set_index("measure")
    assert report.loc["reports_to_ncmec", ["total", "automated", "human"]].tolist() == [370588, 35176, 335412]
    assert report.loc["accounts_suspended", ["total", "automated", "human"]].tolist() == [2781634, 2388683, 392951]
    assert report.loc["content_removed", ["total", "automated", "human"]].tolist() == [14571, 1645, 12926]
    assert set(report["page"]) == {7}


def test_twitter_enforcement_half_years():
    frame = x.twitter_enforcement()
    assert frame["period"].tolist() == ["2018 H2", "2019 H1", "2019 H2", "2020 H1", "2020 H2",
                                        "2021 H1", "2021 H2", "2022 H1"]
    last = frame.iloc[-1]
    assert (last["accounts_actioned"], last["accounts_suspended"], last["content_removed"]) == (696015, 691704, 11927)
    assert str(frame.iloc[0]["period_end"].date()) == "2018-12-31"


def test_statement_is_reported_only():
    statement = x.safety_statement_2025().set_index("measure")
    assert statement["value"].to_dict() == {"reports_to_ncmec": 686176, "accounts_suspended": 4572486,
                                            "arrests": 94, "convictions": 1}
    assert set(statement["evidence"]) == {"reported"}


def test_self_reported_keeps_each_evidence():
    frame = x.self_reported()
    assert set(frame["evidence"]) == {"transcription", "primary", "reported"}
    assert frame["value"].notna().all()


def test_enforcement_with_missing_column_is_named(tmp_path):
    data = json.loads((paths.RAW / "x" / "diaphanous-ocse-reports-per-platform.json").read_text())
    data["Twitter"]["columns"][0] = "renamed"
    path = tmp_path / "synthetic.json"
    path.write_text(json.dumps(data))
    with pytest.raises(DataError, match=r"column accounts actioned: missing column"):
        x.read_twitter_enforcement(path)


def test_enforcement_with_negative_count_is_named(tmp_path):
    data = json.loads((paths.RAW / "x" / "diaphanous-ocse-reports-per-platform.json").read_text())
    data["Twitter"]["rows"][1]["2021 H2"][0] = -5
    path = tmp_path / "synthetic.json"
    path.write_text(json.dumps(data))
    with pytest.raises(DataError, match=r"row 2, column accounts_actioned: value -5 fails"):
        x.read_twitter_enforcement(path)


def test_statement_with_text_count_is_named(tmp_path):
    source = (paths.RAW / "x" / "x-safety-statement-2025-06-18-as-reported.csv").read_text()
    path = tmp_path / "synthetic.csv"
    path.write_text(source.replace(",94,", ",ninety-four,"))
    with pytest.raises(DataError, match=r"row 4, column value: value 'ninety-four' is not of type int64"):
        x.read_statement(path)


def test_report_without_child_safety_table_is_refused():
    with pytest.raises(DataError, match="child-safety table not found"):
        x.read_transparency_report(paths.RAW / "ncmec" / "ncmec-by-esp-2019.pdf")
