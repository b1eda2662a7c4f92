"""The context series (NCMEC's 2024, France, X over time, the detection timeline), their bad
inputs, and the four context charts' marks against the series and the ledger."""

import csv
import json
from urllib.parse import urlparse

import pandas as pd
import pytest

from analysis import claims, datapackage, evidence
from analysis.charts import charts, render
from analysis.errors import DataError
from analysis.series import france, ncmec_context, timeline, x_over_time
from analysis.sources import ncmec
from analysis.sources import timeline as timeline_source

CONTEXT_CHARTS = ("ncmec-change-2024", "x-share-of-reports", "france-ncmec-reports", "x-reports-per-suspension")


# --- series: values read by hand off the sources ----------------------------------------------

def test_2024_change_by_company_and_group():
    table = ncmec_context.company_changes().set_index("company")
    assert (table.loc["Meta", "old"], table.loc["Meta", "new"]) == (17838422 + 11430007 + 1389618, 8590357 + 3320008 + 1851086)
    assert (table.loc[ncmec_context.ALL, "old"], table.loc[ncmec_context.ALL, "new"]) == (35944826, 20348306)
    others = table.loc[ncmec_context.OTHERS]
    assert (others["old"], others["new"]) == (35944826 - table.loc["Meta", "old"], 20348306 - table.loc["Meta", "new"])
    assert others["change_pct"] > 0 > table.loc["Meta", "change_pct"]
    assert set(table["evidence"]) == {"transcription"}
    # every row of each company, in both years: Microsoft's three products and LinkedIn (GitHub has
    # no 2024 value), not LinkedIn alone
    assert (table.loc["Microsoft", "old"], table.loc["Microsoft", "new"]) == (139265 + 1537 + 225 + 209 + 1,
                                                                            101009 + 1324 + 324 + 127)
    assert "Kik" not in table.index and "MediaLab/Kik" not in table.index  # in no company of the map


def test_x_share_of_all_rises_while_share_of_others_falls():
    split = x_over_time.share_by_year().set_index("year")
    assert split.loc[2024, "x_share_pct"] > split.loc[2023, "x_share_pct"]
    assert split.loc[2024, "x_share_of_others_pct"] < split.loc[2023, "x_share_of_others_pct"]
    assert split.loc[2024, "x_share_of_others_pct"] == pytest.approx(100 * 686176 / (20348306 - 13761451))
    assert list(split.index) == [2019, 2020, 2021, 2022, 2023, 2024]


def test_france_series_and_overseas_rows():
    table = france.reports_by_year().set_index("year")
    assert table["reports"].to_dict() == {2019: 71422, 2020: 89871, 2021: 98233, 2022: 227465, 2023: 310519}
    assert table.loc[2023, "all_reports"] == 36210368 and pd.isna(table.loc[2019, "change_pct"])
    overseas = france.overseas_by_year().set_index("year")
    # Read off the 2023 PDF: French Guiana … Wallis and Futuna (Réunion 10,121, Mayotte 1,963)
    assert overseas.loc[2023, "reports"] == 876 + 661 + 1 + 809 + 748 + 1963 + 966 + 10121 + 19 + 50 + 16 + 23
    assert overseas.loc[2020, "rows"] == 12 and overseas.loc[2020, "territories"] == 11  # "Guiana, French" twice


def test_x_s_own_halves_of_2024_against_the_year_s_counts():
    halves = x_over_time.halves_2024().set_index("measure")
    assert halves.loc["reports_to_ncmec", ["h1", "h2", "both_halves"]].tolist() == [370588, 313917, 684505]
    assert halves.loc["accounts_suspended", ["h1", "h2", "both_halves"]].tolist() == [2781634, 1790852, 4572486]
    assert set(halves["h1_evidence"]) == {"primary"} and set(halves["h2_evidence"]) == {"transcription"}
    year = x_over_time.halves_against_year_2024().set_index("measure")
    assert year.loc["reports_to_ncmec", ["year_count", "difference"]].tolist() == [686176, 684505 - 686176]
    assert year.loc["accounts_suspended", "difference"] == 0  # X Safety's yearly figure is X's two halves
    assert year.loc["accounts_suspended", "evidence"] == "arithmetic-on-reported"
    per = x_over_time.reports_per_suspension().set_index("period")
    assert per.loc["2024 H2", ["reports", "accounts_suspended"]].tolist() == [313917, 1790852]
    assert per.loc["2024 H2", "evidence"] == "transcription" and per.loc["2024", "evidence"] == "arithmetic-on-reported"
    shares = x_over_time.automated_shares().set_index("measure")
    assert shares.loc["accounts_suspended", "automated_pct"] == pytest.approx(100 * 2388683 / 2781634)


def test_timeline_events_cite_their_ledger_claims():
    events = timeline.events()
    assert {"thorn-contract-ended", "x-safety-statement", "x-hash-matching", "prosecutor-window",
            "dsa-schema-change", "xai-row-2025"} <= set(events["event"])
    by_id = {c.id: c for c in claims.load()}
    for event in events.dropna(subset=["ledger_claim"]).itertuples():
        assert by_id[event.ledger_claim].source_url == (event.source_url if isinstance(event.source_url, str) else None)
    cited = events["source_url"].dropna()
    assert not cited.map(lambda url: urlparse(url).path in ("", "/")).any()  # no home page for a source
    window = events.set_index("event").loc["prosecutor-window"]
    assert (window["start"], window["end"]) == (pd.Timestamp("2025-06-01"), pd.Timestamp("2025-10-31"))


def test_every_overseas_label_is_printed_and_france_is_not_among_them():
    labels = france.overseas_labels()
    assert "France" not in set(labels["country_label"])
    assert set(labels["country_label"]) <= set(ncmec.reports_by_country()["country"])


# --- bad input: a clear error naming file and row ---------------------------------------------

def _reregister(package, name, path):
    entry = datapackage.resource(name, package)
    datapackage.register(path, package=package, **{k: v for k, v in entry.items() if k in
                                                   ("name", "title", "sources", "licenses", "obtained", "accessed")})


def _drop_company_label(data_copy, label):
    companies = data_copy / "reference" / "ncmec-provider-companies.csv"
    lines = companies.read_text().splitlines(keepends=True)
    kept = [line for line in lines if next(csv.reader([line]))[0] != label]
    assert len(kept) == len(lines) - 1
    companies.write_text("".join(kept))
    package = data_copy / "datapackage.json"
    _reregister(package, ncmec.COMPANIES_RESOURCE, companies)
    return package


@pytest.mark.parametrize("label, where", [
    ("Instagram, Inc.", r"ncmec-by-esp-2023\.pdf, page \d+, row \d+: provider 'Instagram, Inc\.' \(2023: [\d,]+ reports, 31\.8 %"),
    ("Instagram", r"esp-2024-2025-diaphanous-all-rows\.csv, row 68: provider 'Instagram' \(2025: [\d,]+ reports, 17\.3 %"),  # the largest row first
    # a provider the 10-row extract did not hold: the transcriber's "Amazon" row with detail "AI Services"
    ("Amazon (AI Services)", r"esp-2024-2025-diaphanous-all-rows\.csv, row 52: provider 'Amazon \(AI Services\)' \(2025: [\d,]+ reports, 5\.2 %"),
])
def test_company_map_leaving_a_large_provider_out_is_refused(data_copy, label, where):
    package = _drop_company_label(data_copy, label)
    with datapackage.using(package), pytest.raises(DataError, match=where + ".*map it before computing"):
        ncmec_context.company_changes()


def _drop_resource(data_copy, name):
    package = data_copy / "datapackage.json"
    descriptor = json.loads(package.read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != name]
    package.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False))
    return package


def test_a_year_missing_from_france_s_series_is_refused(data_copy):
    package = _drop_resource(data_copy, "ncmec-by-country-2021")
    with datapackage.using(package), pytest.raises(
            DataError, match=r"datapackage\.json: France's CyberTipline reports: no value for 2021 "
                             r"\(years held: \[2019, 2020, 2022, 2023\]\)"):
        france.reports_by_year()


def test_a_year_missing_from_the_provider_series_is_refused(data_copy):
    package = _drop_resource(data_copy, "ncmec-by-esp-2021")
    with datapackage.using(package), pytest.raises(DataError, match=r"NCMEC's provider total: no value for 2021"):
        ncmec_context.meta_and_the_rest()


def test_a_country_name_not_in_ncmec_s_table_is_refused_with_the_nearest_row():
    with pytest.raises(DataError, match=r"ncmec-by-country-2019\.pdf: no row 'Réunion' in NCMEC's 2019 table by "
                                        r"country; nearest rows: 'Reunion' \(page 4, row 176\)"):
        france.reports_by_year("Réunion")
    with pytest.raises(DataError, match=r"no row 'France \(overseas included\)'"):
        france.reports_by_year("France (overseas included)")


def test_an_overseas_label_not_in_ncmec_s_tables_is_refused(data_copy):
    path = data_copy / "reference" / "ncmec-france-overseas.csv"
    path.write_text(path.read_text().replace("Reunion,Réunion,", "Réunion,Réunion,"))
    package = data_copy / "datapackage.json"
    _reregister(package, france.OVERSEAS_RESOURCE, path)
    with datapackage.using(package), pytest.raises(
            DataError, match=r"ncmec-france-overseas\.csv, row 10, column country_label: 'Réunion' is printed in "
                             r"no NCMEC table by country \(nearest: \['Reunion'\]\)"):
        france.overseas_by_year()


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("prosecutor-window,2025-06,2025-10,month", "prosecutor-window,2025-06,2025-10-31,month"),
     r"row 7, column date_end: '2025-10-31' is not a date at month precision"),
    (lambda t: t.replace("prosecutor-window,2025-06,2025-10,", "prosecutor-window,2025-06,2025-01,"),
     r"row 7, column date_end: ends \(2025-01\) before it starts \(2025-06\)"),
    (lambda t: t.replace(",reported,x-accounts-suspended-2024,", ",rumoured,x-accounts-suspended-2024,"),
     r"row 4, column evidence"),
])
def test_bad_timeline_rows_are_named(tmp_path, edit, message):
    path = tmp_path / "timeline.csv"
    source = datapackage.read(timeline_source.RESOURCE)
    path.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        timeline_source.read_timeline(path)


def test_a_timeline_source_that_differs_from_the_ledger_is_refused(data_copy):
    path = data_copy / "reference" / "detection-timeline.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("https://www.govinfo.gov/", "https://example.org/"),
                    encoding="utf-8")
    package = data_copy / "datapackage.json"
    _reregister(package, timeline_source.RESOURCE, path)
    with datapackage.using(package), pytest.raises(
            DataError, match=r"detection-timeline\.csv, row 2, column source_url: event 'report-act' cites "
                             r"https://example\.org/\S+ but its ledger claim 'report-act-2024' cites https://www\.govinfo"):
        timeline.events()


def test_an_event_cannot_cite_an_address_its_claim_did_not_record(data_copy):
    """The ledger records no URL for X Safety's post: an event may not put a home page in its place."""
    path = data_copy / "reference" / "detection-timeline.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("X Safety (@Safety),,reported", "X Safety (@Safety),https://x.com/Safety,reported"),
                    encoding="utf-8")
    package = data_copy / "datapackage.json"
    _reregister(package, timeline_source.RESOURCE, path)
    with datapackage.using(package), pytest.raises(
            DataError, match=r"row 4, column source_url: event 'x-safety-statement' cites https://x\.com/Safety but "
                             r"its ledger claim 'x-accounts-suspended-2024' cites URL not recorded"):
        timeline.events()


# --- charts: the drawn marks are the series' and the ledger's ------------------------------------

@pytest.fixture(scope="module")
def drawn():
    """Each context chart's marks as drawn (series and evidence as the code names them; the readers'
    CSV says them in the reader's language, tested with the gallery)."""
    available = charts()
    marks = {}
    for chart_id in CONTEXT_CHARTS:
        data = available[chart_id].load()
        for lang in ("fr", "en"):
            marks[(chart_id, lang)], _ = render.words(available[chart_id], data, lang)
    return marks


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_change_chart_marks_are_the_ledger_s(drawn, results_by_id, lang):
    marks = drawn[("ncmec-change-2024", lang)].set_index("series")
    for series, claim_id in (("meta", "meta-reports-2024-vs-2023"), ("others", "non-meta-reports-2024-vs-2023"),
                             ("total", None)):
        row = marks.loc[series]
        if claim_id:
            assert row["value"] == pytest.approx(results_by_id[claim_id].computed.value)
            assert row["label"] == results_by_id[claim_id].claim.published_text(lang)
    companies = drawn[("ncmec-change-2024", lang)]
    x = companies[companies["category"] == "X"].iloc[0]
    assert x["label"] == results_by_id["x-ncmec-reports-2024-vs-2023"].claim.published_text(lang)
    assert len(companies) == len(ncmec_context.company_changes(min_share_pct=1.0))  # one bar a row, groups too
    assert set(companies["category"]) >= {"X", "Imgur", "Discord"} and "OpenAI" not in set(companies["category"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_share_chart_marks_are_the_ledger_s(drawn, results_by_id, lang):
    marks = drawn[("x-share-of-reports", lang)].set_index(["series", "category"])
    for (series, year), claim_id in ((("x_share_pct", "2024"), "x-share-of-provider-reports-2024"),
                                     (("x_share_pct", "2023"), "x-share-of-provider-reports-2023"),
                                     (("x_share_of_others_pct", "2024"), "x-share-of-non-meta-reports-2024"),
                                     (("x_share_of_others_pct", "2023"), "x-share-of-non-meta-reports-2023")):
        assert marks.loc[(series, year), "value"] == pytest.approx(results_by_id[claim_id].computed.value)
        assert marks.loc[(series, year), "label"] == results_by_id[claim_id].claim.published_text(lang).lstrip("+")
    assert marks.loc[("x_share_pct", "2024"), "evidence"] == evidence.TRANSCRIPTION


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_france_chart_marks_are_the_series_and_the_prosecutor_s(drawn, results_by_id, lang):
    marks = drawn[("france-ncmec-reports", lang)]
    bars = marks[marks["series"] == "France"].set_index("category")
    series = france.reports_by_year().set_index("year")
    assert bars["value"].to_dict() == {str(y): float(v) for y, v in series["reports"].items()}
    assert bars.loc["2023", "label"] == results_by_id["france-ncmec-reports-2023"].claim.published_text(lang)
    reported = marks[marks["series"] == "reported"].iloc[0]
    assert (reported["evidence"], reported["verdict"]) == (evidence.REPORTED, evidence.REPORTED_ONLY)
    assert results_by_id["x-france-reports-drop"].claim.published_text(lang) in reported["label"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_suspension_chart_marks_and_timeline(drawn, results_by_id, lang):
    marks = drawn[("x-reports-per-suspension", lang)]
    values = marks[marks["series"] != "event"]
    assert values["value"].astype(float).tolist() == pytest.approx(
        x_over_time.reports_per_suspension()["reports_per_100_suspended"].tolist())
    h1 = values[values["category"].str.endswith(("H1", "S1"))].iloc[0]
    assert h1["label"] == results_by_id["x-reports-per-100-suspensions-2024-h1"].claim.published_text(lang)
    h2 = values[values["category"].str.endswith(("H2", "S2"))].iloc[0]
    assert h2["label"] == results_by_id["x-reports-per-100-suspensions-2024-h2"].claim.published_text(lang)
    assert h2["evidence"] == evidence.TRANSCRIPTION  # X's own second half, no longer a subtraction
    # two definitions, two series: Twitter's CSE years, then X's own child-safety figures
    by_series = values.groupby("series")["category"].apply(list).to_dict()
    assert by_series["Twitter: CSE suspensions"] == ["2019", "2020", "2021"]
    assert set(by_series["X: child-safety figures"]) == {"2024", h1["category"], h2["category"]}
    events = marks[marks["series"] == "event"]
    assert events["category"].tolist() == timeline.events(since="2024-01-01")["event"].tolist()
    reported_word = {"fr": "rapporté", "en": "reported"}[lang]
    for event in events.itertuples():
        assert (reported_word in event.label) == (event.evidence == evidence.REPORTED)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_suspension_chart_says_its_two_definitions_are_not_one_trend(results_by_id, lang):
    from analysis.charts import x_reports_per_suspension as chart
    marks, texts = render.words(chart.CHART, chart.load(), lang)
    assert {"fr": "deux définitions, pas une tendance", "en": "two definitions, not one trend"}[lang] in texts.title
    assert {"fr": "maltraitance physique comprise", "en": "physical child abuse included"}[lang] in texts.subtitle
    h1 = results_by_id["x-reports-per-100-suspensions-2024-h1"].claim.published_text(lang)
    assert h1 in texts.alt  # the one value X published for a period it reported whole
    for label in marks.loc[marks["series"] != "event", "label"]:
        assert label in texts.alt
