"""NCMEC tables parsed from the PDFs, against values read by hand off each PDF."""

import json

import pandas as pd
import pytest

from analysis import datapackage, paths
from analysis.errors import DataError
from analysis.series import ncmec_companies
from analysis.sources import ncmec

# Read by eye from each year's "Reports by ESP" PDF.
PROVIDERS = {
    2019: {"Twitter, Inc.": 45726, "Facebook*": 15884511, "Google*": 449283, "Snapchat": 82030,
           "Deluxe Corporation/ColoCrossing / HudsonValleyHost": 22, "Totals:": 16836694},
    2020: {"Twitter": 65062, "Facebook*": 20307216, "Google": 546704, "Snapchat": 144095,
           "Totals:": 21447786},
    2021: {"Twitter": 86666, "Facebook": 22118952, "Instagram": 3393654, "Google": 875783,
           "EasyOnlineSolutions/MojoHost/ North Tone/Hosthead": 41, "Total:": 29157083},
    2022: {"Twitter, Inc.": 98050, "Facebook": 21165208, "Instagram, Inc.": 5007902,
           "Snapchat": 551086, "Total": 31802525},
    2023: {"Twitter, Inc. / Vine.co": 597087, "X Corp": 273416, "Facebook": 17838422,
           "Instagram, Inc.": 11430007, "Discord Inc.": 339412, "Total": 35944826},
}
# Read by eye from each year's "Reports by Country" PDF.
COUNTRIES = {
    2019: {"France": 71422, "India": 1987430, "United States": 521658, "No Country Listed*": 1668157,
           "Saint Helena, Ascension and Tristan da Cunha": 2, "TOTAL": 16987361},
    2020: {"France": 89871, "India": 2725518, "United States": 494388, "Total:": 21751085},
    2021: {"France": 98233, "Bangladesh": 1743240, "United States": 716474, "Total:": 29397681},
    2022: {"France": 227465, "Germany": 138193, "United States": 1562616, "Total": 32059029},
    2023: {"France": 310519, "India": 8923738, "United States": 1132270, "null*": 1851762,
           "Total": 36210368},
}


@pytest.fixture(scope="module")
def providers():
    return ncmec.reports_by_provider()


@pytest.fixture(scope="module")
def countries():
    return ncmec.reports_by_country()


@pytest.mark.parametrize("year", sorted(PROVIDERS))
def test_provider_rows_match_the_pdf(providers, year):
    table = providers[providers["year"] == year].set_index("provider")["reports"]
    assert {label: int(table[label]) for label in PROVIDERS[year]} == PROVIDERS[year]


@pytest.mark.parametrize("year", sorted(COUNTRIES))
def test_country_rows_match_the_pdf(countries, year):
    table = countries[countries["year"] == year].set_index("country")["reports"]
    assert {label: int(table[label]) for label in COUNTRIES[year]} == COUNTRIES[year]


@pytest.mark.parametrize("kind", ["providers", "countries"])
def test_every_year_sums_to_its_printed_total(request, kind):
    frame = request.getfixturevalue(kind)
    for year, table in frame.groupby("year"):
        (total,) = table.loc[table["is_total"], "reports"]
        assert table.loc[~table["is_total"], "reports"].sum() == total, year


def test_a_dash_stays_missing(countries):
    dashes = countries[countries["reports"].isna()]
    assert set(dashes["country"]) == {"Norfolk Island", "Svalbard",
                                      "Saint Helena, Ascension and Tristan da Cunha"}
    assert set(dashes["year"]) == {2020}


def test_row_counts_per_year(providers, countries):
    assert providers.groupby("year").size().to_dict() == {2019: 149, 2020: 169, 2021: 231,
                                                          2022: 237, 2023: 248}
    assert countries.groupby("year").size().to_dict() == {2019: 243, 2020: 246, 2021: 246,
                                                          2022: 248, 2023: 245}


def test_pdf_rows_agree_with_the_independent_transcription(providers):
    # diaphanous transcribed NCMEC's per-provider rows by hand; ours are parsed by code.
    transcription = json.loads((paths.RAW / "x" / "diaphanous-ocse-reports-per-platform.json").read_text())
    theirs = {(int(year), values[0]): values[1] for row in transcription["NCMEC"]["rows"]
              for year, values in row.items() if values[1] is not None}
    label_of = {"Twitter": r"^Twitter", "X": r"^X Corp$", "Alphabet": r"^Google\*?$",
                "Snap": r"^Snapchat$", "Discord": r"^Discord"}
    checked = 0
    for (year, platform), value in theirs.items():
        if platform in label_of:
            table = providers[(providers["year"] == year)
                              & providers["provider"].str.contains(label_of[platform])]
            assert table["reports"].tolist() == [value], (year, platform)
            checked += 1
    assert checked >= 15


def test_x_company_total_adds_both_2023_rows():
    x = ncmec_companies.company_reports("X Corp.").set_index("year")
    assert int(x.loc[2023, "reports"]) == 597087 + 273416
    assert x.loc[2023, "providers"] == "Twitter, Inc. / Vine.co + X Corp"
    assert x["evidence"].to_dict() == {2019: "primary", 2020: "primary", 2021: "primary",
                                       2022: "primary", 2023: "primary",
                                       2024: "transcription", 2025: "unsourced"}
    assert int(x.loc[2024, "reports"]) == 686176
    assert x.loc[2024, "share_pct"] == pytest.approx(100 * 686176 / 20348306)


def test_transcription_marks_2025_unverified():
    frame = ncmec.transcribed_reports_by_provider()
    assert set(frame.loc[frame["year"] == 2024, "evidence"]) == {"transcription"}
    assert set(frame.loc[frame["year"] == 2025, "evidence"]) == {"unsourced"}
    assert "Total" not in set(frame["provider"])  # all-reports total lives in all_reports_totals()
    totals = ncmec.all_reports_totals().set_index("year")
    assert int(totals.loc[2024, "reports"]) == 20512803
    assert totals.loc[2025, "evidence"] == "unsourced"


# Every value of the 10-row extract (esp-2024-2025-third-party-transcription.csv) that the full
# transcription replaced, read by hand off that file: the same transcriber, so the same values.
EXTRACT = {
    2024: {"X": 686176, "Facebook": 8590357, "Instagram": 3320008, "WhatsApp": 1851086, "Google": 1175084,
           "TikTok": 1359806, "Snap": 1174698, "Discord": 241354, "Reddit": 334597, "OpenAI": 32079,
           "ESP Total": 20348306, "Total": 20512803},
    2025: {"X": 816611, "X.AI": 135373, "Facebook": 4907710, "Instagram": 3673045, "WhatsApp": 2355302,
           "Google": 1461378, "TikTok": 3623177, "OpenAI": 182844, "ESP Total": 21181300, "Total": 21351493},
}


def test_the_full_transcription_holds_every_value_of_the_extract_it_replaced():
    rows = ncmec.transcribed_reports_by_provider().set_index(["year", "provider"])["reports"]
    totals = ncmec.all_reports_totals().set_index("year")["reports"]
    for year, values in EXTRACT.items():
        found = {label: int(totals[year]) if label == "Total" else int(rows[(year, label)]) for label in values}
        assert found == values, year


def test_every_row_of_the_transcription_is_read_and_an_empty_count_stays_missing():
    frame = ncmec.transcribed_reports_by_provider()
    assert len(frame) + 2 == 97  # the two "Total" rows are all reports, not providers
    assert frame.groupby("year").size().to_dict() == {2024: 48 - 1, 2025: 49 - 1}  # lines of each year, less "Total"
    amazon = frame[(frame["year"] == 2025) & frame["provider"].str.startswith("Amazon")]
    assert dict(zip(amazon["provider"], amazon["reports"])) == {"Amazon": 435, "Amazon (AI Services)": 1105405,
                                                                "Amazon (Photos)": 21360}
    twitter = frame[(frame["year"] == 2024) & (frame["provider"] == "Twitter")]
    assert twitter["reports"].isna().all() and int(twitter["row"].iloc[0]) == 42  # the CSV's line 42
    assert "Twitter" not in set(ncmec.provider_reports_all_years().query("year == 2024")["provider"])


def test_shares_are_of_the_esp_total_which_the_listed_rows_do_not_reach():
    frame = ncmec.transcribed_reports_by_provider()
    for year, total, listed in ((2024, 20348306, 19780734), (2025, 21181300, 20451867)):  # as the README says
        rows = frame[frame["year"] == year]
        assert int(rows.loc[rows["is_total"], "reports"].iloc[0]) == total
        assert int(rows.loc[~rows["is_total"], "reports"].sum()) == listed < total  # the larger providers only
    x = ncmec_companies.company_reports("X Corp.").set_index("year")
    assert x.loc[2025, "share_pct"] == pytest.approx(100 * 816611 / 21181300)


def test_a_new_provider_of_one_percent_is_in_the_company_map():
    amazon = ncmec_companies.company_reports("Amazon").set_index("year")
    assert int(amazon.loc[2025, "reports"]) == 435 + 1105405 + 21360 + 2390  # with Twitch
    assert amazon.loc[2025, "providers"] == "Amazon + Amazon (AI Services) + Amazon (Photos) + Twitch"


def test_every_company_label_is_printed_somewhere():
    labels = set(ncmec.provider_reports_all_years()["provider"])
    assert set(ncmec.provider_companies()["provider_label"]) <= labels


# --- bad input -------------------------------------------------------------------------------

HEADER = "year,platform,detail,reports\n"
TOTALS = "2024,ESP Total,,1000\n2024,Total,,2000\n"
EVIDENCE = {2024: "transcription"}


@pytest.mark.parametrize("body, message", [
    ("year,provider,detail,reports\n2024,X,,1\n", r"column platform: wrong header: missing column\(s\) \['platform'\]; unexpected column\(s\) \['provider'\]"),
    (HEADER + "2024,X,,12.5\n" + TOTALS, r"row 2, column reports: value '12.5' is not of type Int64"),
    (HEADER + "2024,X,,1\n2024,X,,2\n" + TOTALS, r"row 3, column year: duplicate key"),
    (HEADER + "2024,X,,-4\n" + TOTALS, r"row 2, column reports: value -4 fails greater_than_or_equal_to\(0\)"),
    (HEADER + "2024,X,,1\n2024,Total,,2000\n", r"column platform: 2024 has no 'ESP Total' row"),  # a missing row
    (HEADER + "2024,X,,1\n2024,ESP Total,,1000\n", r"column platform: 2024 has no 'Total' row"),
    (HEADER + "2024,X,,1\n2024,ESP Total,,\n2024,Total,,2000\n", r"row 3, column reports: the 2024 'ESP Total' row has no value"),
    (HEADER + "2024,X,,900\n2024,Amazon,Photos,101\n" + TOTALS,  # a total that no longer holds its rows
     r"row 4, column reports: the 2024 providers listed add up to 1,001, more than the ESP Total of 1,000"),
    (HEADER + "2024,X,,1\n2024,ESP Total,,3000\n2024,Total,,2000\n",
     r"row 3, column reports: the 2024 ESP Total \(3,000\) exceeds the Total"),
    (HEADER + "2023,X,,1\n" + TOTALS, r"row 2, column year: no evidence recorded for 2023"),
])
def test_bad_transcription_is_named(tmp_path, body, message):
    path = tmp_path / "transcription.csv"
    path.write_text(body)
    with pytest.raises(DataError, match=message) as raised:
        ncmec.read_transcription(path, EVIDENCE)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)


def test_a_row_with_no_count_is_read_as_missing(tmp_path):
    path = tmp_path / "transcription.csv"
    path.write_text(HEADER + "2024,X,,1\n2024,Amazon,AI Services,\n" + TOTALS)
    frame = ncmec.read_transcription(path, EVIDENCE).set_index("provider")
    assert pd.isna(frame.loc["Amazon (AI Services)", "reports"]) and int(frame.loc["X", "reports"]) == 1


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataError, match="nothing.csv: file not found"):
        ncmec.read_transcription(tmp_path / "nothing.csv", EVIDENCE)


def test_pdf_of_another_kind_is_refused():
    with pytest.raises(DataError, match=r"page 1: table header .* does not match"):
        ncmec.read_pdf_table(paths.RAW / "ncmec" / "ncmec-by-esp-2019.pdf", 2019, "country")


def test_pdf_of_another_year_is_refused():
    with pytest.raises(DataError, match=r"page 1: the first page does not mention 2021"):
        ncmec.read_pdf_table(paths.RAW / "ncmec" / "ncmec-by-esp-2019.pdf", 2021, "esp")


def test_damaged_pdf_is_refused(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes((paths.RAW / "ncmec" / "ncmec-by-esp-2019.pdf").read_bytes()[:5000])
    with pytest.raises(DataError, match="broken.pdf: not a readable PDF"):
        ncmec.read_pdf_table(path, 2019, "esp")


def test_loader_refuses_a_changed_byte(data_copy):
    path = data_copy / "raw" / "ncmec" / "esp-2024-2025-diaphanous-all-rows.csv"
    path.write_text(path.read_text().replace("686176", "686177"))
    with pytest.raises(DataError, match=r"esp-2024-2025-diaphanous-all-rows\.csv: checksum mismatch: recorded "
                                        r"sha256:[0-9a-f]{64}, file has sha256:[0-9a-f]{64}; raw files are never edited"), \
            datapackage.using(data_copy / "datapackage.json"):
        ncmec.transcribed_reports_by_provider()


def test_the_evidence_of_each_year_is_the_data_package_s(data_copy):
    package = data_copy / "datapackage.json"
    descriptor = json.loads(package.read_text())
    entry = next(r for r in descriptor["resources"] if r["name"] == ncmec.TRANSCRIPTION_RESOURCE)
    entry["evidence"] = {"2024": "transcription", "2025": "rumoured"}
    package.write_text(json.dumps(descriptor))
    with datapackage.using(package), pytest.raises(ValueError, match="unknown evidence 'rumoured' in the evidence of 2025"):
        ncmec.transcribed_reports_by_provider()
    del entry["evidence"]
    package.write_text(json.dumps(descriptor))
    with datapackage.using(package), pytest.raises(
            DataError, match="column evidence: resource 'ncmec-esp-2024-2025-transcription' records no evidence per year"):
        ncmec.transcribed_reports_by_provider()


def test_unmapped_x_label_stops_company_totals(data_copy):
    companies = data_copy / "reference" / "ncmec-provider-companies.csv"
    kept = [line for line in companies.read_text().splitlines(keepends=True) if not line.startswith("X Corp,")]
    companies.write_text("".join(kept))
    package = data_copy / "datapackage.json"
    entry = next(r for r in datapackage.resources(package) if r["name"] == ncmec.COMPANIES_RESOURCE)
    datapackage.register(companies, package=package, **{k: v for k, v in entry.items()
                                                         if k in ("name", "title", "sources", "licenses", "obtained", "accessed")})
    with pytest.raises(DataError, match=r"\['X Corp'\] look like X or xAI but are not in"), \
            datapackage.using(package):
        ncmec_companies.company_reports("X Corp.")
