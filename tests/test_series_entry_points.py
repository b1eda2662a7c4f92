"""The notebooks' entry points (analysis.series.ncmec, analysis.series.x) and the value type they
return (analysis.quantity.Measure): one call per question, a unit and an evidence grade on every
value, and the very measure the claims ledger uses (nothing computed twice)."""

import subprocess
import sys

import pytest

from analysis import codebase, evidence, measures, paths, series
from analysis.errors import DataError, UsageError
from analysis.quantity import PERCENT, PERCENT_CHANGE, REPORTS, UNITS, Measure, in_unit


def test_the_issue_s_question_in_one_call():
    share = series.ncmec.share("X", 2022)
    assert (round(share.value, 4), share.unit, share.evidence) == (0.3083, "percent", "primary")
    assert str(share) == "0.31% (primary document)"
    assert share._repr_markdown_() == "**0.31%** — rests on: primary document"


@pytest.mark.parametrize("entry, measure", [
    (lambda: series.ncmec.reports("X", 2023), lambda: measures.x_reports_to_ncmec(2023)),
    (lambda: series.ncmec.reports("twitter", 2024), lambda: measures.x_reports_to_ncmec(2024)),
    (lambda: series.ncmec.share("X Corp.", 2024), lambda: measures.x_share_of_provider_reports(2024)),
    (lambda: series.ncmec.change("All providers but Meta", 2023, 2024),
     lambda: measures.company_reports_change("All providers but Meta", 2023, 2024)),
    (lambda: series.ncmec.all_reports_change(2023, 2024), lambda: measures.ncmec_all_reports_change(2023, 2024)),
    (lambda: series.ncmec.country_reports("France", 2023), lambda: measures.country_reports("France", 2023)),
    (lambda: series.ncmec.france_referrals("2024 H2"), lambda: measures.france_referrals("2024 H2", "X Corp.")),
    (lambda: series.x.reports_per_100_suspended("2024 H1"),
     lambda: measures.x_reports_per_100_suspended_accounts("2024 H1")),
    (lambda: series.x.own_figure("2024 H1", "accounts_suspended"),
     lambda: measures.x_half_year_figure("2024 H1", "accounts_suspended")),
    (lambda: series.x.dsa_minors_daily_mean("2025-01"), lambda: measures.dsa_minors_daily_mean("2025-01")),
])
def test_entry_points_give_the_ledger_s_measure(entry, measure):
    assert entry() == measure()


@pytest.mark.parametrize("call, text", [
    (lambda: series.ncmec.reports("X", 2024), "686,176 reports (third-party transcription of a primary document)"),
    (lambda: series.ncmec.change("X", 2023, 2024),
     "−21.2% (third-party transcription of a primary document)"),
    (lambda: series.x.reports_per_100_suspended("2024 H1"),
     "13.3 reports per 100 suspended accounts (primary document)"),
    (lambda: series.x.own_figure("2024 H1", "accounts_suspended"), "2,781,634 accounts (primary document)"),
    (lambda: series.ncmec.reports("X", 2025), "816,611 reports (unsourced transcription (unverified))"),
])
def test_every_value_says_its_unit_and_what_it_rests_on(call, text):
    assert str(call()) == text


def test_unverified_year_is_said_unusable():
    assert not series.ncmec.reports("X", 2025).usable and series.ncmec.reports("X", 2024).usable


def test_every_measure_declares_a_unit():
    dynamic = {"x_half_year_figure", "x_halves_total", "x_halves_minus_year_count"}  # reports or accounts
    assert {name for name, function in measures.MEASURES.items() if getattr(function, "unit", None) not in UNITS} \
        == dynamic
    assert {measures.x_halves_total(m).unit for m in ("reports_to_ncmec", "accounts_suspended")} == {
        "reports", "accounts"}


def test_unit_is_declared_from_the_known_ones():
    with pytest.raises(ValueError, match="unknown unit 'parsecs'"):
        in_unit("parsecs")
    assert Measure(-81.43, evidence.REPORTED, unit=PERCENT_CHANGE).text("fr") == "−81,4\u202f%"
    assert Measure(0.27, evidence.PRIMARY, unit=PERCENT).text("en") == "0.27%"
    assert Measure(686176.0, evidence.PRIMARY, unit=REPORTS).text("fr") == "686\u202f176 reports"


@pytest.mark.parametrize("call, message", [
    (lambda: series.ncmec.share("Twiter", 2022),
     r"no company 'Twiter' in NCMEC's provider map \(did you mean 'twitter'\?\); companies: Alphabet, .*; "
     r"short names: x, twitter, x corp, tiktok$"),
    (lambda: series.ncmec.share("Instagram", 2022), r"no company 'Instagram'"),  # not Meta's total
    (lambda: series.ncmec.reports("X", 2030), r"no NCMEC provider rows for 'X Corp.' in 2030; years held: \[2019"),
])
def test_wrong_question_is_a_clear_error(call, message):
    with pytest.raises((UsageError, DataError), match=message):
        call()


def test_tab_completion_lists_the_questions():
    assert {"ncmec", "x"} <= set(dir(series))
    assert {"reports", "share", "change", "country_reports", "france_referrals"} <= set(dir(series.ncmec))
    assert {"reports_per_100_suspended", "own_figure", "dsa_minors_daily_mean"} <= set(dir(series.x))


def test_importing_series_stays_light_and_outside_the_fingerprints():
    loaded = subprocess.run([sys.executable, "-c", "import sys; from analysis import series; "
                             "print('analysis.measures' in sys.modules, 'pandas' in sys.modules)"],
                            cwd=paths.ROOT, capture_output=True, text=True, check=True).stdout
    assert loaded == "False False\n"
    assert "analysis.measures" not in codebase.dependencies("analysis.series.x_reports")


def test_ipython_completes_the_entry_points():
    script = """
from IPython.core.completer import provisionalcompleter
from IPython.testing.globalipapp import start_ipython
shell = start_ipython()
shell.run_cell("from analysis import series")
for text in ["series.nc", "series.ncmec.sh", "series.x.reports_p"]:
    with provisionalcompleter():
        print(sorted({c.text for c in shell.Completer.completions(text, len(text))}))
"""
    shown = subprocess.run([sys.executable, "-c", script], cwd=paths.ROOT, capture_output=True, text=True,
                           check=True, timeout=120).stdout
    assert shown == "['ncmec']\n['share']\n['reports_per_100_suspended']\n"
