"""The x-france-referrals-2024 chart: its marks against the series and the ledger, each value's grade
drawn on it, and its caveats (rounded, referrals only, 2024 not 2025) in both languages."""

import pytest
from matplotlib.text import Text

from analysis import evidence
from analysis.charts import render
from analysis.charts.x_france_referrals_2024 import CHART, HALVES
from analysis.formatting import format_percent
from analysis.series import france_referrals

LANGS = ("fr", "en")


@pytest.fixture(scope="module")
def data():
    return CHART.load()


@pytest.mark.parametrize("lang", LANGS)
def test_bars_are_the_ledger_s_half_years(data, results_by_id, lang):
    marks, _ = render.words(CHART, data, lang)
    bars = marks[marks["series"] == "referrals"]
    assert bars["value"].tolist() == [results_by_id[i].computed.value for i in HALVES.values()] == [12000, 9100]
    assert bars["label"].tolist() == [results_by_id[i].claim.published_text(lang) for i in HALVES.values()]
    assert set(bars["evidence"]) == {"transcription"} and set(bars["verdict"]) == {"matches"}
    whiskers = marks[marks["series"].str.startswith("rounding")]
    assert sorted(whiskers["value"]) == [9050, 9150, 11500, 12500]
    change = marks[marks["series"] == "change"].iloc[0]
    assert change["label"] == results_by_id["x-france-referrals-2024-h1-vs-h2"].claim.published_text(lang)
    assert change["value"] == pytest.approx(results_by_id["x-france-referrals-2024-h1-vs-h2"].computed.value)


@pytest.mark.parametrize("lang", LANGS)
def test_each_value_s_grade_is_drawn_on_it(data, lang):
    marks, texts = render.words(CHART, data, lang)
    grade = evidence.status("matches", "transcription", lang)
    for _, _, fig in render.figures(CHART, data, marks, texts, lang):
        drawn = [" ".join(text.get_text().split()) for text in fig.findobj(Text)]
        assert drawn.count(grade) == 2  # one on each bar


@pytest.mark.parametrize("lang, words", [
    ("fr", ("arrondis", "«\u00a0Referrals\u00a0» seulement", "2024, pas 2025", "−81,4\u202f%", "310\u202f519")),
    ("en", ("rounded", "Referrals only", "2024, not 2025", "−81.4%", "310,519")),
])
def test_the_caveats_are_in_the_notes_and_the_bounds_are_computed(data, lang, words):
    _, texts = render.words(CHART, data, lang)
    for word in words:
        assert word in texts.notes, word
    change = france_referrals.company_referrals_change()
    low, high = (format_percent(change[k], lang, decimals=0) for k in ("low_pct", "high_pct"))
    assert (low, high) == (format_percent(-28, lang, 0), format_percent(-20, lang, 0))
    assert low in texts.notes and high in texts.notes and low in texts.alt and high in texts.alt


def test_the_ledger_sentence_gives_the_bounds_the_rounding_allows(results_by_id):
    claim = results_by_id["x-france-referrals-2024-h1-vs-h2"].claim
    change = france_referrals.company_referrals_change()
    for lang, sentence in (("fr", claim.sentence_fr), ("en", claim.sentence_en)):
        low, high = (format_percent(change[k], lang, decimals=0) for k in ("low_pct", "high_pct"))
        assert f"{low} et {high}" in sentence if lang == "fr" else f"{low} and {high}" in sentence
    assert "−27.6%" in claim.note and "−20.4%" in claim.note  # the bounds to one decimal
    assert f"{change['low_pct']:.1f}" == "-27.6" and f"{change['high_pct']:.1f}" == "-20.4"
