"""NCMEC's CyberTipline in one call per question, for notebooks: ``series.ncmec.<Tab>``.

Each function returns a :class:`~analysis.measures.Measure` (its ``value``, its ``unit`` and its
``evidence``: what it rests on; ``print()`` says all three) computed by the measure of
:mod:`analysis.measures` the claims ledger uses: nothing is computed twice. Companies are named
as in the provider → company map (``X Corp.``, ``Meta``, ``Alphabet``…), any case, or by the
short names of :data:`COMPANY_ALIASES` (``X``, ``Twitter``, ``TikTok``).

>>> from analysis import series
>>> print(series.ncmec.share("X", 2022))
0.31% (primary document)
>>> series.ncmec.reports("Twitter", 2023).value
870503.0
"""

from __future__ import annotations

from difflib import get_close_matches

from analysis.errors import UsageError
from analysis.quantity import Measure
from analysis.series._measures import measures

# Short names that mean the same company, only: "Instagram" is not Meta's total, "Grok" not xAI's.
COMPANY_ALIASES = {"x": "X Corp.", "twitter": "X Corp.", "x corp": "X Corp.", "tiktok": "TikTok (ByteDance)"}
GROUPS = ("All providers", "All providers but Meta")  # what change() also accepts


def companies() -> list[str]:
    """The companies NCMEC's provider rows are mapped to, as the functions here accept them."""
    table = measures().ncmec_companies.company_years(include_unverified=True)
    return sorted(table["company"].unique())


def company(name: str, groups: bool = False) -> str:
    """The map's name for ``name`` (``"x"`` → ``"X Corp."``); a clear error with the closest
    names otherwise."""
    known = [*companies(), *(GROUPS if groups else ())]
    by_key = {entry.casefold(): entry for entry in known}
    key = " ".join(str(name).split()).casefold()
    found = by_key.get(key) or COMPANY_ALIASES.get(key)
    if found is None:
        names = {**{alias: alias for alias in COMPANY_ALIASES}, **by_key}  # casefolded → as written
        close = [names[match] for match in get_close_matches(key, names, n=3, cutoff=0.6)]
        raise UsageError(f"no company {name!r} in NCMEC's provider map" +
                         (f" (did you mean {' or '.join(map(repr, close))}?)" if close else "") +
                         f"; companies: {', '.join(known)}; short names: {', '.join(COMPANY_ALIASES)}")
    return found


def reports(company_name: str, year: int) -> Measure:
    """A company's CyberTipline reports in ``year`` (unit: reports)."""
    return measures().company_reports_in_year(company(company_name), year)


def share(company_name: str, year: int) -> Measure:
    """A company's share of all providers' reports in ``year`` (unit: percent)."""
    return measures().company_share_of_provider_reports(company(company_name), year)


def change(company_name: str, old_year: int, new_year: int) -> Measure:
    """The change of a company's reports from ``old_year`` to ``new_year`` (unit: percent change);
    ``"All providers"`` and ``"All providers but Meta"`` are accepted too."""
    return measures().company_reports_change(company(company_name, groups=True), old_year, new_year)


def all_reports_change(old_year: int, new_year: int) -> Measure:
    """The change of all CyberTipline reports, providers and public (unit: percent change)."""
    return measures().ncmec_all_reports_change(old_year, new_year)


def country_reports(country: str, year: int) -> Measure:
    """Reports NCMEC attributes to ``country`` (its label exactly as NCMEC prints it) in ``year``
    (unit: reports)."""
    return measures().country_reports(country, year)


def country_share(country: str, year: int) -> Measure:
    """A country's share of all CyberTipline reports in ``year`` (unit: percent)."""
    return measures().country_share_of_all_reports(country, year)


def country_change(country: str, old_year: int, new_year: int) -> Measure:
    """The change of a country's reports between two years (unit: percent change)."""
    return measures().country_reports_change(country, old_year, new_year)


def france_overseas_reports(year: int) -> Measure:
    """Reports of France's overseas departments and territories, listed apart from France (unit: reports)."""
    return measures().france_overseas_reports(year)


def france_referrals(period: str, company_name: str = "X") -> Measure:
    """A company's referrals concerning France in ``"2024 H1"`` or ``"2024 H2"``, as NCMEC's Global
    Platform rounds them (unit: referrals)."""
    return measures().france_referrals(period, company(company_name))


def france_referrals_change(company_name: str = "X") -> Measure:
    """The change of those referrals from the first half of 2024 to the second (unit: percent change)."""
    return measures().france_referrals_change(company(company_name))
