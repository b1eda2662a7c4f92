import json

import pytest

from analysis import datapackage, paths
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


# --- X's 2024 half-years, as transcribed (resource x-transparency-2024-halves) -----------------

def test_halves_of_2024_as_transcribed():
    halves = x.transparency_halves_2024().set_index(["period", "measure"])
    # H2 read by hand off the transcription (X's 2025 report, not held); H1 equals page 7 of X's PDF
    assert halves.loc[("2024 H2", "reports_to_ncmec"), ["automated", "human", "total"]].tolist() == [45616, 268301, 313917]
    assert halves.loc[("2024 H2", "accounts_suspended"), ["automated", "human", "total"]].tolist() == [1732324, 58528,
                                                                                                      1790852]
    assert halves.loc[("2024 H2", "content_removed"), ["automated", "human"]].tolist() == [1398, 1383]
    assert halves.loc[("2024 H1", "reports_to_ncmec"), "total"] == 370588
    assert set(halves["evidence"]) == {"transcription"}
    own = x.self_reported()
    second = own[(own["period_start"] == "2024-07-01") & (own["period_end"] == "2024-12-31")]
    assert dict(zip(second["measure"], second["value"])) == {"accounts_suspended": 1790852, "content_removed": 2781,
                                                             "reports_to_ncmec": 313917}
    assert set(second["evidence"]) == {"transcription"}


HALVES = (paths.RAW / "x" / "x-transparency-2024-halves-diaphanous.csv")


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("2024 H2,,,,1398,1383,45616,268301,1732324,58528\n", ""),  # a missing row
     r"column period: no row for 2024 H2 \(rows: \['2024 H1'\]\)"),
    (lambda t: t.replace(",45616,", ",,"), r"row 2, column reports \(automated\): value is missing"),
    (lambda t: t.replace(",45616,", ",45 616,"), r"row 2, column reports \(automated\): value '45 616' is not of type Int64"),
    (lambda t: t.replace("2024 H2,", "2024 S2,"), r"row 2, column period: value '2024 S2' fails str_matches"),
    (lambda t: t.replace("reports (human)", "reports (manual)"), r"wrong header: missing column\(s\) \['reports \(human\)'\]"),
])
def test_bad_halves_are_named(tmp_path, edit, message):
    path = tmp_path / "halves.csv"
    path.write_text(edit(HALVES.read_text()))
    with pytest.raises(DataError, match=message) as raised:
        x.read_transparency_halves(path)
    assert str(raised.value).startswith(str(path)) and "\n" not in str(raised.value)


def test_a_first_half_that_is_not_x_s_pdf_is_refused(tmp_path):
    path = tmp_path / "halves.csv"
    path.write_text(HALVES.read_text().replace(",35176,335412,", ",35176,335413,"))  # one report more than page 7
    halves = x.read_transparency_halves(path)
    with pytest.raises(DataError, match=r"halves\.csv, row 3, column reports \(human\): 335,413 for 2024 H1, but X's H1 "
                                        r"2024 report prints 335,412 \(p\. 7\): the transcription does not match its source"):
        x.check_halves_against_report(halves, x.transparency_report_2024_h1(), path)


def test_the_halves_file_with_a_changed_byte_is_refused(data_copy):
    path = data_copy / "raw" / "x" / "x-transparency-2024-halves-diaphanous.csv"
    path.write_text(path.read_text().replace("313917", "313918").replace("268301", "268302"))
    with datapackage.using(data_copy / "datapackage.json"), pytest.raises(
            DataError, match=r"x-transparency-2024-halves-diaphanous\.csv: checksum mismatch"):
        x.transparency_halves_2024()
