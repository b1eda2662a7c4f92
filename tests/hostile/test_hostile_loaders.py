"""The hostile corpus against every file loader, and each loader's own hostile cases."""

import json

import pandas as pd
import pytest

from analysis import datapackage
from analysis.errors import DataError
from analysis.series import ncmec_companies
from analysis.sources import ncmec
from analysis.sources import sensortower as st
from hostile.corpus import Hostile, assert_refusal, hostile_tables, listing

ST_HEADER = ["Date", "App ID", "Country", "iPhone Downloads"]
ST_ROWS = [["2026-01-13", "g", "US", "5"], ["2026-01-14", "g", "US", "6"]]
NCMEC_HEADER = ["year", "platform", "detail", "reports"]
NCMEC_TOTALS = [["2024", "ESP Total", "", "20348306"], ["2024", "Total", "", "20512803"]]
NCMEC_ROWS = [["2024", "X", "", "686176"], *NCMEC_TOTALS]
NCMEC_EVIDENCE = {2024: "transcription"}


def _read_ncmec(path):
    return ncmec.read_transcription(path, NCMEC_EVIDENCE)


LOADERS = {  # loader, header, rows, a text column, the file types it reads
    "sensortower": (st.read_downloads, ST_HEADER, ST_ROWS, "App ID", (".csv", ".xlsx")),
    "ncmec transcription": (_read_ncmec, NCMEC_HEADER, NCMEC_ROWS, "platform", (".csv",)),
}
CASES = [(loader, case) for loader, (_, header, rows, column, suffixes) in LOADERS.items()
         for case in hostile_tables(header, rows, column=column)
         if any(case.name.endswith(suffix) for suffix in suffixes)]


@pytest.mark.parametrize("loader, case", CASES, ids=[f"{loader}: {case.id}" for loader, case in CASES])
def test_corpus_is_refused_in_one_line(tmp_path, loader, case):
    path = case.write(tmp_path)
    before = listing(tmp_path)
    with pytest.raises(DataError) as raised:
        LOADERS[loader][0](path)
    assert_refusal(raised.value, path, case)
    assert listing(tmp_path) == before  # a loader writes nothing, not even a temporary file


def _st_csv(rows, header=ST_HEADER):
    return "".join(",".join(r) + "\n" for r in [header, *rows]).encode()


SENSORTOWER = [
    Hostile("US dates all with a day ≤ 12", "export.csv",
            _st_csv([["1/2/2026", "g", "US", "1"], ["1/3/2026", "g", "US", "1"]]),
            r"every m/d/YYYY date has a day of 12 or less, so '1/2/2026' could be day-first", 2, "Date"),
    Hostile("day-first date", "export.csv", _st_csv([["13/01/2026", "g", "US", "1"]]),
            r"ambiguous date '13/01/2026'", 2, "Date"),
    Hostile("impossible ISO date", "export.csv", _st_csv([["2026-02-30", "g", "US", "1"]]),
            r"impossible date '2026-02-30'", 2, "Date"),
    Hostile("20-digit count", "export.csv", _st_csv([["2026-01-13", "g", "US", "1" * 20]]),
            r"implausibly large", 2, "iPhone Downloads"),
    Hostile("unterminated quote", "export.csv", b'Date,App ID,Country,iPhone Downloads\n2026-01-13,"g,US,1\n',
            r"not a readable CSV|value is missing|no data rows"),
    Hostile("JSON record lacking a count", "api.json",
            json.dumps([{"aid": 1, "cc": "US", "d": "2026-01-13", "iu": 1}]).encode(),
            r"record lacks 'au'", 1, "au"),
    Hostile("JSON count as text", "api.json",
            json.dumps([{"aid": 1, "c": "US", "d": "2026-01-13", "u": "many"}]).encode(),
            r"downloads 'many' is not a number", 1, "u"),
]


@pytest.mark.parametrize("case", SENSORTOWER, ids=[c.id for c in SENSORTOWER])
def test_sensortower_cases(tmp_path, case):
    path = case.write(tmp_path)
    with pytest.raises(DataError) as raised:
        st.read_downloads(path)
    assert_refusal(raised.value, path, case)


def _workbook(path, sheets: dict[str, pd.DataFrame]):
    with pd.ExcelWriter(path) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return path


def test_workbook_with_several_sheets_needs_one_named(tmp_path):
    good = pd.DataFrame([r[:3] + [int(r[3])] for r in ST_ROWS], columns=ST_HEADER)
    path = _workbook(tmp_path / "export.xlsx", {"Grok": good, "Notes": pd.DataFrame({"a": [1]})})
    with pytest.raises(DataError) as raised:
        st.read_downloads(path)
    assert_refusal(raised.value, path, Hostile("sheets", "", b"", r"2 sheets \('Grok', 'Notes'\): say which"))
    assert st.read_downloads(path, sheet="Grok")["downloads"].tolist() == [5, 6]
    with pytest.raises(DataError, match=r"no sheet 'Data'; the workbook has 'Grok', 'Notes'"):
        st.read_downloads(path, sheet="Data")


def test_country_missing_one_day_is_refused_not_summed(tmp_path):
    rows = [[d, "g", c, "10"] for d in ("2026-01-13", "2026-01-14", "2026-01-15") for c in ("US", "FR")]
    rows.remove(["2026-01-14", "g", "FR", "10"])
    frame = st.read_downloads(Hostile("", "export.csv", _st_csv(rows), "").write(tmp_path))
    with pytest.raises(DataError, match=r"'g' has no iphone row for FR on 2026-01-14 \(present on other days\)"):
        st.daily_downloads(frame, "g")
    assert st.daily_downloads(frame, "g", countries=["US"]).tolist() == [10.0, 10.0, 10.0]


# --- NCMEC provider labels ---------------------------------------------------------------------

def _company_reports_with(data_copy, labels: dict[str, int]):
    """X's company totals with the transcribed 2024 provider rows replaced by ``labels``."""
    rows = [["2024", label, "", str(count)] for label, count in labels.items()] + NCMEC_TOTALS
    package = data_copy / "datapackage.json"
    entry = datapackage.resource(ncmec.TRANSCRIPTION_RESOURCE, package)
    path = data_copy / entry["path"]
    path.write_bytes(_st_csv(rows, NCMEC_HEADER))
    datapackage.register(path, package=package, **{k: v for k, v in entry.items() if k in
                                                   ("name", "title", "evidence", "sources", "licenses", "obtained", "accessed")})
    with datapackage.using(package):
        return ncmec_companies.company_reports("X Corp.").set_index("year")


@pytest.mark.parametrize("label", ["X ", " X", "X\u00a0", "X\u200b", "\ufeffX", "X  "])
def test_x_label_with_stray_whitespace_still_counts(data_copy, label):
    x = _company_reports_with(data_copy, {label: 686176, "Facebook": 8590357})
    assert int(x.loc[2024, "reports"]) == 686176 and x.loc[2024, "providers"] == "X"


@pytest.mark.parametrize("label", ["XCorp", "X.com", "X Corp.", "x corp", "X Inc.", "X.AI Corp", "Grok"])
def test_unmapped_x_look_alike_is_refused(data_copy, label):
    with pytest.raises(DataError, match=rf"ncmec-provider-companies.csv: provider label\(s\) \[{label!r}\] "
                                        "look like X or xAI but are not in"):
        _company_reports_with(data_copy, {"X": 686176, label: 1000})


def test_large_unmapped_provider_is_refused(data_copy):
    with pytest.raises(DataError, match=r"esp-2024-2025-diaphanous-all-rows\.csv, row \d+: provider 'Newco' "
                                        r"\(2024: 500,000 reports, [\d.]+ % of the year's provider total, at least "
                                        r"1 %\) is not in"):
        _company_reports_with(data_copy, {"X": 686176, "Newco": 500_000})


def test_two_spellings_of_one_label_are_a_duplicate(tmp_path):
    path = tmp_path / "transcription.csv"
    path.write_bytes(_st_csv([["2024", "X", "", "1"], ["2024", "X\u00a0", "", "2"], *NCMEC_TOTALS], NCMEC_HEADER))
    with pytest.raises(DataError) as raised:
        _read_ncmec(path)
    assert_refusal(raised.value, path, Hostile("", "", b"", "duplicate key", row=3))

