"""Sensor Tower loader: every input here is generated in the test (synthetic)."""

import json

import pandas as pd
import pytest

from analysis import synthetic
from analysis.errors import DataError
from analysis.series import grok
from analysis.sources import sensortower as st

HEADER = "Date,App ID,App Name,Country,iPhone Downloads,iPad Downloads,Android Downloads,iPhone Revenue\n"


def _csv(tmp_path, text, name="export.csv", bom=False):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_csv_export_with_us_dates_separators_and_bom(tmp_path):
    path = _csv(tmp_path, HEADER + '1/20/2026,123,Grok,us,"1,200",30,"2,000","$5,000"\n'
                                   '1/21/2026,123,Grok,US,1300,31,2100,$1\n', bom=True)
    frame = st.read_downloads(path)
    assert list(frame.columns) == st.TIDY
    assert len(frame) == 6 and set(frame["country"]) == {"US"}
    day = frame[frame["date"] == "2026-01-20"].set_index("platform")["downloads"]
    assert day.to_dict() == {"android": 2000, "ipad": 30, "iphone": 1200}


def test_subset_of_download_columns_and_iso_dates(tmp_path):
    path = _csv(tmp_path, "Date,App ID,Country,Android Downloads\n2026-01-02,a,FR,10\n2026-01-03,a,FR,11\n")
    frame = st.read_downloads(path)
    assert set(frame["platform"]) == {"android"} and frame["app_name"].isna().all()


def test_xlsx_export(tmp_path):
    path = tmp_path / "export.xlsx"
    pd.DataFrame({"Date": pd.to_datetime(["2026-01-02", "2026-01-03"]), "App ID": ["a", "a"],
                  "App Name": ["Grok", "Grok"], "Country": ["US", "US"],
                  "iPhone Downloads": [5, 6], "Revenue": [1.5, 2.5]}).to_excel(path, index=False)
    frame = st.read_downloads(path)
    assert frame["downloads"].tolist() == [5, 6]


def test_api_records_ios_and_android(tmp_path):
    ios = tmp_path / "ios.json"
    ios.write_text(json.dumps([{"aid": 1, "cc": "US", "d": "2026-01-02T00:00:00Z", "iu": 10, "au": 2, "ir": 5, "ar": 1}]))
    android = tmp_path / "android.json"
    android.write_text(json.dumps([{"aid": "com.x", "c": "FR", "d": "2026-01-02", "u": 7, "r": 0}]))
    assert st.read_downloads(ios).set_index("platform")["downloads"].to_dict() == {"ipad": 2, "iphone": 10}
    assert st.read_downloads(android)[["country", "platform", "downloads"]].values.tolist() == [["FR", "android", 7]]


@pytest.mark.parametrize("body, message", [
    ("Date,App ID,Country,Installs\n2026-01-02,a,US,1\n", r"column Installs: unknown column 'Installs'"),
    ("Date,App Name,iPhone Downloads\n2026-01-02,a,1\n", r"column app_id: missing column"),
    ("Date,App ID,Country,iPhone Downloads\n2026-01-02,a,US,1\n2026-01-02,a,US,2\n", r"row 3, column iPhone Downloads: duplicate row"),
    ("Date,App ID,Country,iPhone Downloads\n2026-01-02,a,US,-4\n", r"row 2, column iPhone Downloads: negative downloads"),
    ("Date,App ID,Country,iPhone Downloads\n2026-01-02,a,US,lots\n", r"row 2, column iPhone Downloads: downloads 'lots' is not a number"),
    ("Date,App ID,Country,iPhone Downloads\n13/01/2026,a,US,1\n", r"row 2, column Date: ambiguous date '13/01/2026'"),
    ("Date,App ID,Country,iPhone Downloads\n1/2/26,a,US,1\n", r"row 2, column Date: ambiguous or unknown date '1/2/26'"),
    ("Date,App ID,Country,iPhone Downloads\n2026-01-02,a,US,1\n1/13/2026,a,US,1\n", r"row 3, column Date: .* ambiguous"),
    ("# synthetic\nDate,App ID,Country,iPhone Downloads\n2026-01-02,a,US,1\n2026-01-03,,US,1\n", r"row 4, column App ID: value is missing"),
])
def test_bad_exports_are_named(tmp_path, body, message):
    path = _csv(tmp_path, body)
    with pytest.raises(DataError, match=message) as raised:
        st.read_downloads(path)
    assert str(path) in str(raised.value)


def test_not_utf8_is_named(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("Date,App ID,App Name,Country,iPhone Downloads\n2026-01-02,a,Caf\xe9,FR,1\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"row 2: not UTF-8 \(byte 0xe9\)"):
        st.read_downloads(path)


def test_daily_downloads_sums_platforms_and_countries(tmp_path):
    path = _csv(tmp_path, HEADER + "2026-01-02,123,Grok,US,1,2,3,0\n2026-01-02,123,Grok,FR,10,20,30,0\n")
    frame = st.read_downloads(path)
    assert st.daily_downloads(frame, "Grok").tolist() == [66.0]
    assert st.daily_downloads(frame, "123", countries=["fr"]).tolist() == [60.0]
    with pytest.raises(DataError, match=r"no rows for app 'Grok' in \['JP'\]"):
        st.daily_downloads(frame, "Grok", countries=["JP"])


def test_missing_count_is_not_summed_as_zero(tmp_path):
    path = _csv(tmp_path, "Date,App ID,Country,iPhone Downloads,Android Downloads\n2026-01-02,a,US,1,\n")
    with pytest.raises(DataError, match="missing download counts for 'a' on 2026-01-02"):
        st.daily_downloads(st.read_downloads(path), "a")


def test_the_72_percent_method(tmp_path):
    days = pd.date_range("2025-12-01", "2026-01-19")
    rows = [f"{d.date()},g,Grok,US,{172 if d >= pd.Timestamp('2026-01-01') else 100},0,0,0" for d in days]
    frame = st.read_downloads(_csv(tmp_path, HEADER + "\n".join(rows) + "\n"))
    assert grok.download_windows(frame).attrs["change_pct"] == pytest.approx(72.0)


def test_a_day_missing_from_a_window_names_the_file_and_the_day(tmp_path):
    days = pd.date_range("2025-12-01", "2026-01-19").drop(pd.Timestamp("2026-01-05"))
    path = _csv(tmp_path, HEADER + "\n".join(f"{d.date()},g,Grok,US,100,0,0,0" for d in days) + "\n")
    with pytest.raises(DataError, match=r"\.csv: Grok: the window \(2026-01-01 to 2026-01-19\) lacks data for 2026-01-05"):
        grok.download_windows(st.read_downloads(path))


def test_shipped_synthetic_export_is_regenerated_identically(tmp_path):
    again = synthetic.sensortower_export(tmp_path / "synthetic-again.csv")
    assert again.read_bytes() == synthetic.SENSORTOWER_EXPORT.read_bytes()
    assert synthetic.is_synthetic(synthetic.SENSORTOWER_EXPORT)
    assert synthetic.SENSORTOWER_EXPORT.read_text().startswith("# SYNTHETIC")


def test_grok_downloads_command_warns_on_synthetic(capsys):
    from analysis import cli
    assert cli.main(["grok-downloads", str(synthetic.SENSORTOWER_EXPORT)]) == 0
    result = capsys.readouterr()
    assert "mean daily downloads 1–19 Jan 2026 vs 1–19 Dec 2025" in result.out
    assert "SYNTHETIC" in result.err


def test_grok_downloads_command_reads_the_named_sheet(tmp_path, capsys):
    from analysis import cli
    export = pd.read_csv(synthetic.SENSORTOWER_EXPORT, skiprows=1, dtype=str)
    numbers = [c for c in export.columns if "Downloads" in c]
    export[numbers] = export[numbers].apply(lambda column: column.str.replace(",", "").astype(float))
    path = tmp_path / "synthetic-sensortower-export.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"note": ["SYNTHETIC: made-up numbers"]}).to_excel(writer, sheet_name="Notes", index=False)
        export.to_excel(writer, sheet_name="Downloads", index=False)
    assert cli.main(["grok-downloads", str(path)]) == 1
    assert "2 sheets ('Notes', 'Downloads'): say which" in capsys.readouterr().err
    assert cli.main(["grok-downloads", str(path), "--sheet", "Downloads"]) == 0
    assert "mean daily downloads 1–19 Jan 2026 vs 1–19 Dec 2025" in capsys.readouterr().out


def test_sheet_of_a_csv_is_refused():
    with pytest.raises(DataError, match=r"a sheet \('Downloads'\) is only for an Excel workbook, not a .csv file"):
        st.read_downloads(synthetic.SENSORTOWER_EXPORT, sheet="Downloads")


def test_chunked_reading_gives_the_same_frame_and_true_row_numbers(tmp_path):
    days = pd.date_range("2026-01-10", "2026-01-16")
    body = HEADER + "".join(f"{d.month}/{d.day}/{d.year},g,Grok,{c},{i},1,2,$0\n"
                            for i, d in enumerate(days) for c in ("US", "FR"))
    whole = st.read_downloads(_csv(tmp_path, "# synthetic\n" + body))
    pd.testing.assert_frame_equal(st.read_downloads(_csv(tmp_path, "# synthetic\n" + body), chunk_rows=3), whole)
    bad = body.replace("1/15/2026,g,Grok,FR,5", "1/15/2026,g,Grok,FR,five")
    with pytest.raises(DataError, match=r"row 14, column iPhone Downloads: downloads 'five'"):
        st.read_downloads(_csv(tmp_path, "# synthetic\n" + bad), chunk_rows=3)
