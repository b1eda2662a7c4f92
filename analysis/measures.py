"""The named computations that recompute published figures from the series (for the ledger).

Each function takes plain arguments (years, dates) and returns a :class:`Measure`: the value, its
unit (declared once per function, :func:`in_unit`) and what it rests on (:mod:`analysis.evidence`:
the weakest of its inputs). Which resources it read is not
declared here: the ledger records it while the measure runs (:mod:`analysis.tracking`). The ledger
names these functions; a figure is never typed where it can be computed.

>>> m = x_reports_to_ncmec(2024)
>>> m.value, m.unit, m.evidence
(686176.0, 'reports', 'transcription')
>>> print(m)
686,176 reports (third-party transcription of a primary document)
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import changes, datapackage, evidence
from analysis.errors import DataError
from analysis.quantity import (
    ACCOUNTS,
    EVENTS,
    PERCENT,
    PERCENT_CHANGE,
    REFERRALS,
    REPORTS,
    REPORTS_PER_100_SUSPENDED,
    STATEMENTS,
    STATEMENTS_PER_DAY,
    Measure,
    in_unit,
)
from analysis.series import dsa, france, ncmec_companies, ncmec_context, x_over_time, x_reports
from analysis.series import france_referrals as france_referrals_series
from analysis.sources import x

TWITTER_ACQUISITION = pd.Timestamp("2022-10-27")
X_TRANSPARENCY_REPORT = "x-transparency-report"  # the data-package ``kind`` of X's reports
XAI = "xAI"  # Grok's maker, in NCMEC's provider → company map


@in_unit(REPORTS)
def x_reports_to_ncmec(year: int) -> Measure:
    """X's (Twitter's) CyberTipline reports in ``year``, all of NCMEC's rows for X added up."""
    row = x_reports.x_year(year)
    return Measure(float(row["reports"]), row["evidence"])


def _company_year(company: str, year: int) -> pd.Series:
    """One company's row of NCMEC's provider table for ``year`` (unsourced years included: the
    measure's evidence says so)."""
    table = ncmec_companies.company_years(include_unverified=True)
    rows = table[(table["company"] == company) & (table["year"] == year)]
    if rows.empty:
        held = sorted(table.loc[table["company"] == company, "year"])
        raise DataError(f"no NCMEC provider rows for {company!r} in {year}; " + (
            f"years held: {held}" if held else f"companies: {sorted(table['company'].unique())}"))
    return rows.iloc[0]


@in_unit(REPORTS)
def company_reports_in_year(company: str, year: int) -> Measure:
    """A company's CyberTipline reports in ``year`` (the company map's name: ``X Corp.``, ``Meta``…),
    all of NCMEC's rows for it added up."""
    row = _company_year(company, year)
    return Measure(float(row["reports"]), row["evidence"])


@in_unit(PERCENT)
def company_share_of_provider_reports(company: str, year: int) -> Measure:
    """A company's share, in percent, of all reports NCMEC received from providers in ``year``."""
    row = _company_year(company, year)
    return Measure(float(row["share_pct"]), row["evidence"])


@in_unit(PERCENT_CHANGE)
def x_reports_to_ncmec_change(old_year: int, new_year: int) -> Measure:
    """Percent change of X's CyberTipline reports between two years."""
    old, new = x_reports_to_ncmec(old_year), x_reports_to_ncmec(new_year)
    return Measure(changes.percent_change(old.value, new.value), evidence.computed(old.evidence, new.evidence))


@in_unit(PERCENT)
def x_share_of_provider_reports(year: int) -> Measure:
    """X's share, in percent, of all reports NCMEC received from providers in ``year``."""
    row = x_reports.x_year(year)
    return Measure(float(row["share_pct"]), row["evidence"])


@in_unit(PERCENT)
def x_self_reported_share_of_ncmec_count(period_end: str, year: int) -> Measure:
    """X's self-reported NCMEC reports for the half-year ending ``period_end``, as a percent of
    NCMEC's count for X over the whole ``year``."""
    mine = x.self_reported()
    row = mine[(mine["measure"] == "reports_to_ncmec") & (mine["evidence"] == evidence.PRIMARY)
               & (mine["period_end"] == pd.Timestamp(period_end))]
    if len(row) != 1:
        raise ValueError(f"no X-published NCMEC report count for the period ending {period_end}")
    ncmec_count = x_reports_to_ncmec(year)
    return Measure(changes.share(float(row["value"].iloc[0]), ncmec_count.value),
                   evidence.computed(evidence.PRIMARY, ncmec_count.evidence))


@in_unit(PERCENT_CHANGE)
def x_and_xai_reports_change(old_year: int, new_year: int) -> Measure:
    """Percent change from X's reports in ``old_year`` to X's and xAI's together in ``new_year``:
    the reading that counts Grok's maker, which NCMEC lists as a separate provider from 2025."""
    xai = ncmec_companies.company_years(include_unverified=True)
    xai = xai[xai["company"] == XAI].set_index("year")
    if old_year in xai.index or new_year not in xai.index:
        raise ValueError(f"this reading needs an xAI row in {new_year} and none in {old_year}")
    old, new = x_reports_to_ncmec(old_year), x_reports_to_ncmec(new_year)
    return Measure(changes.percent_change(old.value, new.value + float(xai.loc[new_year, "reports"])),
                   evidence.computed(old.evidence, new.evidence, xai.loc[new_year, "evidence"]))


@in_unit(EVENTS)
def x_transparency_reports_since_acquisition() -> Measure:
    """The X transparency reports published after Musk's acquisition (27 Oct 2022) that we hold,
    each with its publication date (an event claim: the value counts them)."""
    events = []
    for name in datapackage.select(kind=X_TRANSPARENCY_REPORT):
        resource = datapackage.resource(name)
        if pd.Timestamp(resource["published"]) > TWITTER_ACQUISITION:
            events.append((re.sub(r"\s*\(published [^)]*\)$", "", resource["title"]), resource["published"]))
    return Measure(float(len(events)), evidence.PRIMARY, tuple(sorted(events, key=lambda e: e[1])))


def _daily_mean(table: pd.DataFrame, month: str) -> Measure:
    """The daily mean of a complete month of a monthly DSA table (:mod:`analysis.series.dsa`)."""
    row = dsa.complete_month(table, month)
    return Measure(float(row["daily_mean"]), row["evidence"])


def _change(old: Measure, new: Measure) -> Measure:
    """Percent change from ``old`` to ``new``, resting on the weaker of the two."""
    return Measure(changes.percent_change(old.value, new.value), evidence.computed(old.evidence, new.evidence))


@in_unit(STATEMENTS_PER_DAY)
def dsa_minors_daily_mean(month: str, platform: str = "X") -> Measure:
    """Daily mean of the platform's DSA statements of reasons on protection of minors in ``month``
    (``YYYY-MM``, a complete month), EU-wide, from the published summary statistics."""
    return _daily_mean(dsa.minors_by_month(platform), month)


@in_unit(PERCENT_CHANGE)
def dsa_minors_daily_mean_change(old_month: str, new_month: str, platform: str = "X") -> Measure:
    """Percent change of that daily mean between two complete months."""
    return _change(dsa_minors_daily_mean(old_month, platform), dsa_minors_daily_mean(new_month, platform))


@in_unit(PERCENT_CHANGE)
def dsa_statements_daily_mean_change(old_month: str, new_month: str, platform: str = "X") -> Measure:
    """Percent change of the daily mean of all the platform's DSA statements (every category)
    between two complete months: the context of a change in one category."""
    table = dsa.statements_by_month(platform)
    return _change(_daily_mean(table, old_month), _daily_mean(table, new_month))


@in_unit(PERCENT)
def dsa_automated_detection_share(platform: str = "X", first: str | None = None, last: str | None = None) -> Measure:
    """Percent of the platform's DSA statements flagged as detected by automated means, between
    release days ``first`` and ``last`` (``YYYY-MM-DD``; default: the whole file)."""
    statements, detected = dsa.automated_detection_between(platform, first, last)
    return Measure(changes.share(detected, statements), dsa.EVIDENCE)


@in_unit(STATEMENTS)
def dsa_csam_keyword_statements(platform: str = "X") -> Measure:
    """The platform's DSA statements with the keyword for child sexual abuse material, from the
    database's first release to the schema change (30 June 2025)."""
    series = dsa.csam_keyword_by_month(platform)
    return Measure(float(series["statements"].sum()), evidence.computed(*series["evidence"]))
# --- context: NCMEC's 2024, France's series, X over time (issue 12) ---------------------------

@in_unit(PERCENT_CHANGE)
def ncmec_all_reports_change(old_year: int, new_year: int) -> Measure:
    """Percent change of all CyberTipline reports (providers and public) between two years."""
    table = ncmec_context.all_reports().set_index("year")
    return Measure(changes.percent_change(float(table.loc[old_year, "reports"]), float(table.loc[new_year, "reports"])),
                   evidence.computed(table.loc[old_year, "evidence"], table.loc[new_year, "evidence"]))


@in_unit(PERCENT_CHANGE)
def company_reports_change(company: str, old_year: int, new_year: int) -> Measure:
    """Percent change of one company's reports (or of ``All providers`` / ``All providers but Meta``)."""
    table = ncmec_context.company_changes(old_year, new_year).set_index("company")
    return Measure(float(table.loc[company, "change_pct"]), table.loc[company, "evidence"])


@in_unit(PERCENT)
def meta_share_of_provider_decline(old_year: int, new_year: int) -> Measure:
    """Meta's fall in reports as a percent of the fall of all provider reports."""
    return Measure(*ncmec_context.meta_share_of_decline(old_year, new_year))


@in_unit(PERCENT)
def x_share_of_non_meta_reports(year: int) -> Measure:
    """X's share, in percent, of the reports of every provider but Meta in ``year``."""
    row = x_over_time.share_by_year().set_index("year").loc[year]
    return Measure(float(row["x_share_of_others_pct"]), row["evidence"])


@in_unit(REPORTS)
def country_reports(country: str, year: int) -> Measure:
    """CyberTipline reports NCMEC attributes to ``country`` (its row, exactly as printed) in ``year``."""
    row = france.reports_by_year(country).set_index("year").loc[year]
    return Measure(float(row["reports"]), row["evidence"])


@in_unit(PERCENT_CHANGE)
def country_reports_change(country: str, old_year: int, new_year: int) -> Measure:
    """Percent change of a country's CyberTipline reports between two years."""
    table = france.reports_by_year(country).set_index("year")
    return Measure(changes.percent_change(float(table.loc[old_year, "reports"]), float(table.loc[new_year, "reports"])),
                   evidence.computed(table.loc[old_year, "evidence"], table.loc[new_year, "evidence"]))


@in_unit(PERCENT)
def country_share_of_all_reports(country: str, year: int) -> Measure:
    """A country's share, in percent, of all CyberTipline reports in ``year``."""
    row = france.reports_by_year(country).set_index("year").loc[year]
    return Measure(float(row["share_pct"]), row["evidence"])


@in_unit(REPORTS)
def france_overseas_reports(year: int) -> Measure:
    """Reports of France's overseas departments and territories, rows NCMEC lists apart from France."""
    row = france.overseas_by_year().set_index("year").loc[year]
    return Measure(float(row["reports"]), row["evidence"])


@in_unit(REPORTS_PER_100_SUSPENDED)
def x_reports_per_100_suspended_accounts(period: str) -> Measure:
    """X's CyberTipline reports per 100 accounts it suspended over ``period`` ("2021", "2024 H1")."""
    row = x_over_time.reports_per_suspension().set_index("period").loc[period]
    return Measure(float(row["reports_per_100_suspended"]), row["evidence"])


_X_FIGURE_UNITS = {"reports_to_ncmec": REPORTS, "accounts_suspended": ACCOUNTS}  # X's figures, by measure


def x_half_year_figure(period: str, measure: str) -> Measure:
    """X's own figure for one half of 2024 (``"2024 H1"``: its H1 report, which we hold; ``"2024
    H2"``: its 2025 report, as transcribed), for ``reports_to_ncmec`` or ``accounts_suspended``."""
    half = {f"{x_over_time.YEAR} H1": "h1", f"{x_over_time.YEAR} H2": "h2"}.get(period)
    if half is None:
        raise ValueError(f"no half-year {period!r}; X's halves held: {x_over_time.YEAR} H1, {x_over_time.YEAR} H2")
    row = x_over_time.halves_2024().set_index("measure").loc[measure]
    return Measure(float(row[half]), row[f"{half}_evidence"], unit=_X_FIGURE_UNITS[measure])


def x_halves_total(measure: str) -> Measure:
    """X's two halves of 2024 added up."""
    row = x_over_time.halves_2024().set_index("measure").loc[measure]
    return Measure(float(row["both_halves"]), row["evidence"], unit=_X_FIGURE_UNITS[measure])


def x_halves_minus_year_count(measure: str) -> Measure:
    """X's two halves of 2024 added up, minus the year's count from someone else (NCMEC's for
    reports, X Safety's for suspensions)."""
    row = x_over_time.halves_against_year_2024().set_index("measure").loc[measure]
    return Measure(float(row["difference"]), row["evidence"], unit=_X_FIGURE_UNITS[measure])


@in_unit(PERCENT)
def x_h1_2024_automated_share(measure: str) -> Measure:
    """The share, in percent, of X's H1 2024 figure (``reports_to_ncmec``, ``accounts_suspended``) that
    X says was actioned automatically."""
    row = x_over_time.automated_shares().set_index("measure").loc[measure]
    return Measure(float(row["automated_pct"]), row["evidence"])



# --- NCMEC's Global Platform: France by half-year, 2024 (rounded, referrals only) -----------------

@in_unit(REFERRALS)
def france_referrals(period: str, company: str = "X Corp.") -> Measure:
    """A company's CyberTipline referrals concerning France in one half of 2024, as NCMEC's Global
    Platform rounds them."""
    row = france_referrals_series.company_referrals(company).set_index("period").loc[period]
    return Measure(float(row["referrals"]), row["evidence"])


@in_unit(PERCENT_CHANGE)
def france_referrals_change(company: str = "X Corp.") -> Measure:
    """Percent change of a company's referrals concerning France from the first half of 2024 to the
    second, between the platform's rounded figures (their bounds are in the series)."""
    change = france_referrals_series.company_referrals_change(company)
    return Measure(float(change["change_pct"]), change["evidence"])


@in_unit(REPORTS)
def gpcep_france_reports_total(period: str) -> Measure:
    """The reports total NCMEC's Global Platform gives for France (``cybertipline_reports_total``)."""
    row = france_referrals_series.france_reports_total(period)
    return Measure(float(row["reports_total"]), row["evidence"])

MEASURES = {function.__name__: function for function in (
    company_reports_in_year, company_share_of_provider_reports, x_reports_to_ncmec, x_reports_to_ncmec_change, x_share_of_provider_reports,
    x_self_reported_share_of_ncmec_count, x_transparency_reports_since_acquisition,
    x_and_xai_reports_change, dsa_minors_daily_mean, dsa_minors_daily_mean_change, dsa_statements_daily_mean_change,
    dsa_automated_detection_share,
    dsa_csam_keyword_statements,
    ncmec_all_reports_change, company_reports_change, meta_share_of_provider_decline,
    x_share_of_non_meta_reports, country_reports, country_reports_change, country_share_of_all_reports,
    france_overseas_reports, x_reports_per_100_suspended_accounts, x_half_year_figure, x_halves_total,
    x_halves_minus_year_count,
    x_h1_2024_automated_share, france_referrals, france_referrals_change, gpcep_france_reports_total)}
