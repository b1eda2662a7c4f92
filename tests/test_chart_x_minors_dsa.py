"""The x-minors-dsa chart: its marks against the DSA series and the ledger, in both languages."""

import pandas as pd
import pytest

from analysis.charts.x_minors_dsa import ALL_CLAIM, CHANGE_CLAIM, CHART, LABELLED
from analysis.dsa import summary
from analysis.formatting import format_month, format_number
from analysis.series import dsa

LANGS = ("fr", "en")


@pytest.fixture(scope="module")
def data():
    return CHART.load()


@pytest.fixture(scope="module", params=LANGS)
def drawn(request, data):
    return request.param, CHART.marks(data, request.param)


def test_months_run_from_x_first_filing_to_the_last_complete_month(drawn):
    _, marks = drawn
    months = marks[marks["series"].isin(["daily mean", "incomplete month"])].sort_values("category")
    assert (months["category"].iloc[0], months["category"].iloc[-1]) == ("2023-10", "2025-12")
    assert len(months) == 27 and months["category"].is_unique


def test_complete_months_are_the_series_values(drawn):
    _, marks = drawn
    series = dsa.minors_by_month("X").set_index("period")
    for mark in marks[marks["series"] == "daily mean"].itertuples():
        assert series.loc[mark.category, "complete"]
        assert mark.value == pytest.approx(series.loc[mark.category, "daily_mean"])
        assert mark.evidence == series.loc[mark.category, "evidence"] == "third-party-statistics"


def test_incomplete_months_carry_coverage_not_a_value(drawn):
    _, marks = drawn
    series = dsa.minors_by_month("X").set_index("period")
    incomplete = marks[marks["series"] == "incomplete month"].set_index("category")
    assert incomplete.index.tolist() == ["2023-10", "2024-01", "2024-02", "2025-03", "2025-04", "2025-07", "2025-08"]
    assert incomplete["value"].isna().all()
    assert incomplete.loc["2025-07", "label"] == "2/31" and incomplete.loc["2024-02", "label"] == "16/29"
    for month, mark in incomplete.iterrows():
        row = series.loc[month]
        assert not row["complete"]
        assert mark["label"] == f"{row['days_with_statements']}/{row['days_in_database']}"


def test_labelled_months_are_the_ledger_s(drawn, results_by_id):
    lang, marks = drawn
    labelled = marks[(marks["series"] == "daily mean") & (marks["label"] != "")].set_index("category")
    assert labelled.index.tolist() == list(LABELLED)
    for month, claim_id in LABELLED.items():
        result = results_by_id[claim_id]
        assert (result.verdict, result.evidence) == ("matches", "third-party-statistics")
        assert result.status() == "matches third-party statistics"
        assert labelled.loc[month, "value"] == pytest.approx(result.computed.value)
        assert labelled.loc[month, "label"].splitlines()[-1] == result.claim.published_text(lang)
    assert labelled.loc["2025-06", "label"].splitlines()[-1] == {"fr": "520,4", "en": "520.4"}[lang]


def test_schema_change_and_filing_gap_are_marked(drawn):
    _, marks = drawn
    schema = marks[marks["series"] == "schema change"]
    assert schema["category"].tolist() == ["2025-07-01"] and schema["label"].item()
    gaps = marks[marks["series"] == "filing gap"].set_index("category")
    assert gaps.loc["2025-07-01/2025-08-27", "label"] and gaps.loc["2025-07-01/2025-08-27", "value"] == 58
    assert gaps.index.tolist() == ["2024-01-28/2024-02-13", "2025-03-25/2025-04-16", "2025-07-01/2025-08-27"]


def test_texts_french_typography_and_source(data):
    fr = CHART.texts(data, CHART.marks(data, "fr"), "fr")
    assert "\u221253,9\u202f%" in fr.subtitle and "juin\u00a02025" in fr.subtitle
    assert fr.source.startswith("Source\u00a0: Commission européenne") and "shantay (R.\u00a0Grimm)" not in fr.source
    assert "shantay (R. Grimm)" in fr.source and "1\u1d49\u02b3\u00a0juillet\u00a02025" in fr.notes
    assert "520,4" in fr.alt and "239,7" in fr.alt and "27\u00a0août\u00a02025" in fr.alt
    assert "d’octobre\u00a02023 à" in fr.alt and " de octobre" not in fr.alt  # elided before a vowel
    en = CHART.texts(data, CHART.marks(data, "en"), "en")
    assert "\u221253.9%" in en.subtitle and en.source.startswith("Source: European Commission")
    assert "not reports to NCMEC" in en.notes and "1\u00a0July\u00a02025" in en.alt


def test_built_csv_is_the_marks(tmp_path, data):
    from analysis.charts import render

    render.render(CHART, data, "en", tmp_path)
    written = pd.read_csv(tmp_path / "en" / "x-minors-dsa.csv", dtype={"category": str}, keep_default_na=False)
    assert written["label"].tolist() == CHART.marks(data, "en")["label"].tolist()


@pytest.mark.parametrize("lang", LANGS)
def test_the_change_is_given_with_its_context(data, results_by_id, lang):
    """The −53.9 % comes with the same month a year before, the range of the complete months drawn
    (its first month the highest), and the change of all X's statements over the same months: each
    number the ledger's or the series'."""
    texts = CHART.texts(data, CHART.marks(data, lang), lang)
    for claim_id in (CHANGE_CLAIM, ALL_CLAIM, LABELLED["2024-10"], LABELLED["2025-10"]):
        assert results_by_id[claim_id].claim.published_text(lang) in texts.subtitle, claim_id
        assert results_by_id[claim_id].claim.published_text(lang) in texts.alt, claim_id
    window = dsa.chart_window(dsa.minors_by_month("X"))
    complete = window[window["complete"]].set_index("period")["daily_mean"]
    assert complete.idxmax() == "2025-06" == results_by_id[CHANGE_CLAIM].claim.compute["args"]["old_month"]
    highest = {"en": ", the highest complete month,", "fr": ", mois complet le plus haut,"}[lang]
    assert f"{format_month('2025-06', lang)}{highest}" in texts.subtitle
    for month in (complete.idxmin(), complete.idxmax()):
        assert f"{format_number(complete[month], lang, 1)} ({format_month(month, lang)})" in texts.notes
    assert texts.subtitle.index(results_by_id[CHANGE_CLAIM].claim.published_text(lang)) < texts.subtitle.index(
        results_by_id[ALL_CLAIM].claim.published_text(lang))  # the change first, then what it sits among


@pytest.mark.parametrize("claim_id, table, months", [
    (LABELLED["2024-10"], dsa.minors_by_month, ("2024-10",)),
    (ALL_CLAIM, dsa.statements_by_month, ("2025-06", "2025-10")),
])
def test_context_claims_are_the_series(results_by_id, claim_id, table, months):
    result = results_by_id[claim_id]
    assert (result.verdict, result.evidence) == ("matches", "third-party-statistics")
    means = table("X").set_index("period")["daily_mean"]
    expected = means[months[0]] if len(months) == 1 else 100 * (means[months[1]] / means[months[0]] - 1)
    assert result.computed.value == pytest.approx(expected)


def test_all_statements_are_the_rows_x_filed_and_fell_32_percent():
    """Read another way: the summary's count of rows X filed each day (not the categories added
    up), month by month, over the days X filed."""
    rows = summary.daily("X", "rows")
    per_month = rows.groupby(rows["day"].dt.strftime("%Y-%m"))["statements"].agg(["sum", "count"])
    table = dsa.statements_by_month("X").set_index("period")
    filed = table[table["days_with_statements"] > 0]
    assert filed["statements"].astype(int).to_dict() == per_month["sum"].to_dict()
    mean = per_month["sum"] / per_month["count"]
    assert round(100 * (mean["2025-10"] / mean["2025-06"] - 1), 1) == -32.4
    assert table.loc["2025-06", "complete"] and table.loc["2025-10", "complete"]
