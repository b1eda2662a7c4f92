"""X's figures in one call per question, for notebooks: ``series.x.<Tab>``.

Each function returns a :class:`~analysis.measures.Measure` (``value``, ``unit``, ``evidence``;
``print()`` says all three) computed by the measure of :mod:`analysis.measures` the claims ledger
uses: nothing is computed twice. NCMEC's counts for any company are in :mod:`analysis.series.ncmec`.

>>> from analysis import series
>>> print(series.x.reports_per_100_suspended("2024 H1"))
13.3 reports per 100 suspended accounts (primary document)
"""

from __future__ import annotations

from analysis.quantity import Measure
from analysis.series._measures import measures


def reports_to_ncmec(year: int) -> Measure:
    """X's CyberTipline reports in ``year`` by NCMEC's count (unit: reports)."""
    return measures().x_reports_to_ncmec(year)


def share_of_non_meta_reports(year: int) -> Measure:
    """X's share of the reports of every provider but Meta in ``year`` (unit: percent)."""
    return measures().x_share_of_non_meta_reports(year)


def reports_per_100_suspended(period: str) -> Measure:
    """X's reports per 100 accounts it suspended over ``period`` (``"2021"``, ``"2024 H1"``…)."""
    return measures().x_reports_per_100_suspended_accounts(period)


def own_figure(period: str, measure: str = "reports_to_ncmec") -> Measure:
    """X's own figure for ``"2024 H1"`` or ``"2024 H2"``: ``reports_to_ncmec`` (unit: reports) or
    ``accounts_suspended`` (unit: accounts)."""
    return measures().x_half_year_figure(period, measure)


def automated_share(measure: str = "reports_to_ncmec") -> Measure:
    """The share of X's H1 2024 figure X says was actioned automatically (unit: percent)."""
    return measures().x_h1_2024_automated_share(measure)


def dsa_minors_daily_mean(month: str) -> Measure:
    """X's DSA statements of reasons on protection of minors per day in a complete ``month``
    (``YYYY-MM``), EU-wide, from the published summary (unit: statements of reasons per day)."""
    return measures().dsa_minors_daily_mean(month)


def dsa_minors_change(old_month: str, new_month: str) -> Measure:
    """The change of that daily mean between two complete months (unit: percent change)."""
    return measures().dsa_minors_daily_mean_change(old_month, new_month)
