"""The one vocabulary of what a number rests on, what its check found and what readers are told."""

import pytest

from analysis import evidence, factcheck
from analysis.charts.chart import marks


def test_verified_only_for_a_match_with_a_primary_document():
    for grade in evidence.EVIDENCE:
        for verdict in evidence.VERDICTS:
            try:
                words = {lang: evidence.status(verdict, grade, lang) for lang in ("en", "fr")}
            except ValueError:
                continue  # a grade that cannot reach this verdict (synthetic, unsourced)
            is_primary_match = (verdict, grade) == (evidence.MATCHES, evidence.PRIMARY)
            assert (words["en"] == "verified") == is_primary_match == (words["fr"] == "vérifié")
            assert evidence.verified(verdict, grade) == is_primary_match


@pytest.mark.parametrize("verdict, grade", [(evidence.MATCHES, evidence.SYNTHETIC),
                                            (evidence.MATCHES, evidence.UNSOURCED),
                                            (evidence.CONTRADICTED, evidence.UNSOURCED)])
def test_synthetic_and_unsourced_figures_check_nothing(verdict, grade):
    assert not evidence.publishable(grade)
    with pytest.raises(ValueError, match="can neither verify nor contradict"):
        evidence.status(verdict, grade)


def test_a_computation_rests_on_its_weakest_input_and_arithmetic_on_a_reported_one():
    assert evidence.computed(evidence.PRIMARY, evidence.TRANSCRIPTION) == evidence.TRANSCRIPTION
    assert evidence.computed(evidence.PRIMARY, evidence.REPORTED) == evidence.ARITHMETIC_ON_REPORTED
    assert evidence.computed(evidence.TRANSCRIPTION, evidence.UNSOURCED) == evidence.UNSOURCED
    with pytest.raises(ValueError, match="unknown evidence 'ncmec-pdf'"):
        evidence.weakest("ncmec-pdf")


def test_every_word_is_said_in_both_languages(ledger_results):
    for grade in evidence.EVIDENCE:
        assert set(evidence.DESCRIPTION[grade]) == {"en", "fr"}
    for result in ledger_results:
        assert result.status("en") and result.status("fr")
        assert result.evidence in factcheck.RESTS_ON


@pytest.mark.parametrize("row, message", [
    ({"evidence": "verified"}, r"unknown evidence 'verified' in mark 1 \(X, 2024\)"),
    ({"evidence": "primary", "verdict": "confirmed"}, r"unknown verdict 'confirmed'"),
    ({"evidence": "unsourced", "verdict": "matches"}, r"no status for the verdict 'matches' on 'unsourced' evidence"),
])
def test_a_chart_mark_refuses_an_unknown_word(row, message):
    with pytest.raises(ValueError, match=message):
        marks([{"series": "X", "category": "2024", "value": 1, "label": "1", "source": "test", **row}])
