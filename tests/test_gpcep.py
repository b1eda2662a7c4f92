"""NCMEC's Global Platform (France, 2024): the loader against values read by hand off the file, its
bad inputs, and the series of X's referrals concerning France with the rounding bounds."""

import json

import pandas as pd
import pytest

from analysis import datapackage, paths
from analysis.errors import DataError
from analysis.series import france, france_referrals
from analysis.sources import gpcep

SOURCE = paths.RAW / "ncmec" / "gpcep-2024-france.json"


def test_france_s_providers_as_stored():
    esps = gpcep.france_esps()
    assert esps.groupby("period").size().to_dict() == {"2024": 10, "2024 H1": 10, "2024 H2": 10}
    by = esps.set_index(["period", "esp"])["referrals"]
    # read by hand off the file
    assert (by[("2024 H1", "X Corp")], by[("2024 H2", "X Corp")], by[("2024", "X Corp")]) == (12000, 9100, 21000)
    assert (by[("2024 H1", "Snapchat")], by[("2024 H2", "Reddit, Inc.")], by[("2024", "Instagram Inc")]) == (33000, 3700,
                                                                                                             16000)
    assert esps.set_index(["period", "rank"]).loc[("2024 H2", 2), "esp"] == "X Corp"
    assert set(esps["evidence"]) == {"transcription"}


def test_france_s_record_keeps_a_missing_total_missing():
    record = gpcep.france_country().set_index("period")
    assert record["reports_referred"].tolist() == [74000, 65000, 140000]
    assert record.loc["2024 H1", "reports_total"] is pd.NA and record.loc["2024 H2", "reports_total"] is pd.NA
    assert record.loc["2024", "reports_total"] == 310519


def test_the_2024_total_is_ncmec_s_2023_figure_for_france():
    """The discrepancy the ledger flags (gpcep-france-reports-total-2024): not a 2024 total."""
    total = france_referrals.france_reports_total("2024")["reports_total"]
    assert total == int(france.reports_by_year().set_index("year").loc[2023, "reports"]) == 310519


def test_x_s_referrals_per_half_with_where_the_rounded_figures_can_lie():
    halves = france_referrals.company_referrals().set_index("period")
    assert halves["esp"].tolist() == ["X Corp", "X Corp"]  # through NCMEC's provider → company map
    assert halves[["referrals", "low", "high"]].values.tolist() == [[12000, 11500, 12500], [9100, 9050, 9150]]
    change = france_referrals.company_referrals_change()
    assert change["change_pct"] == pytest.approx(100 * (9100 - 12000) / 12000)
    assert (change["low_pct"], change["high_pct"]) == (pytest.approx(100 * (9050 - 12500) / 12500),
                                                       pytest.approx(100 * (9150 - 11500) / 11500))
    assert change["evidence"] == "transcription"


# --- bad input: one DataError naming the file and where in it -----------------------------------

def _write(tmp_path, edit):
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "gpcep.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit, reader, message", [
    (lambda d: d["esp_isp"].pop("2024H2"), gpcep.read_esps,  # a missing period
     r"column esp_isp: no 2024H2 entry \(entries: \['2024', '2024H1'\]\)"),
    (lambda d: d["reports"].pop("2024"), gpcep.read_country, r"column reports: no 2024 entry"),
    (lambda d: d["esp_isp"]["2024H1"]["france_esps"].update({"X Corp": "12k"}), gpcep.read_esps,
     r"column esp_isp\.2024H1\.france_esps\.X Corp: '12k' is not a count"),
    (lambda d: d["esp_isp"]["2024H2"]["header"].update(period="2024H1"), gpcep.read_esps,
     r"column esp_isp\.2024H2\.header: the 2024H2 entry's header says period '2024H1'"),
    # a year that no longer matches its halves: X Corp's 21,000 made 25,000 (12,000 + 9,100 ± rounding)
    (lambda d: d["esp_isp"]["2024"]["france_esps"].update({"X Corp": 25000}), gpcep.read_esps,
     r"column esp_isp\.2024: X Corp: H1 12,000 \+ H2 9,100 = 21,100, but the year gives 25,000: further apart "
     r"than rounding allows \(±1,050\)"),
    (lambda d: d["reports"]["2024H1"]["france"].update(cybertipline_reports_referred=94000), gpcep.read_country,
     r"column reports\.2024: France: H1 94,000 \+ H2 65,000 = 159,000, but the year gives 140,000"),
    (lambda d: d["reports"]["2024"]["france"].update(id="BE"), gpcep.read_country,
     r"column reports\.2024\.france: the 2024 entry has no record for France"),
])
def test_bad_platform_data_is_named(tmp_path, edit, reader, message):
    path = _write(tmp_path, edit)
    with pytest.raises(DataError, match=message) as raised:
        reader(path)
    assert str(raised.value).startswith(str(path)) and "\n" not in str(raised.value)


def test_a_hidden_small_count_stays_missing(tmp_path):
    path = _write(tmp_path, lambda d: d["esp_isp"]["2024H1"]["france_esps"].update({"Reddit, Inc.": "&#60;10"}))
    esps = gpcep.read_esps(path).set_index(["period", "esp"])
    assert esps.loc[("2024 H1", "Reddit, Inc."), "referrals"] is pd.NA


def test_not_json_is_named(tmp_path):
    path = tmp_path / "gpcep.json"
    path.write_text('{"esp_isp": {', encoding="utf-8")
    with pytest.raises(DataError, match=r"gpcep\.json, row 1: invalid JSON"):
        gpcep.read_esps(path)


def test_a_changed_byte_is_refused(data_copy):
    path = data_copy / "raw" / "ncmec" / "gpcep-2024-france.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"X Corp": 9100', '"X Corp": 9200'), encoding="utf-8")
    with datapackage.using(data_copy / "datapackage.json"), pytest.raises(
            DataError, match=r"gpcep-2024-france\.json: checksum mismatch: recorded sha256:"):
        gpcep.france_esps()


def test_the_resource_says_rounded_and_referrals_only():
    resource = datapackage.resource(gpcep.RESOURCE)
    assert resource["evidence"] == "transcription" and resource["accessed"] == "2026-12-03"
    assert "ROUNDED" in resource["description"] and "REFERRALS ONLY" in resource["description"]
