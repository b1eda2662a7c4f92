"""X's reports to NCMEC's CyberTipline, year by year, and every company's share of them.

NCMEC's provider rows become company totals in one place (:mod:`analysis.series.ncmec_companies`,
through the provider → company map); this module adds what readers are shown: the change on the
year before, and shares. Years whose only source is unverified are left out unless asked for.

>>> table = x_by_year().set_index("year")
>>> int(table.loc[2023, "reports"]), table.loc[2023, "providers"]
(870503, 'Twitter, Inc. / Vine.co + X Corp')
>>> 2025 in table.index
False
"""

from __future__ import annotations

import pandas as pd

from analysis import changes, evidence
from analysis.errors import DataError
from analysis.series import ncmec_companies
from analysis.sources import ncmec

COMPANY = "X Corp."


def x_by_year(include_unverified: bool = False) -> pd.DataFrame:
    """X's (Twitter's) reports per year, all of NCMEC's rows for it added up.

    Columns: ``year, reports, providers, provider_total, share_pct, change_pct`` (on the year
    before, missing for the first year), ``evidence``.
    """
    table = ncmec_companies.company_years(include_unverified)
    table = table[table["company"] == COMPANY].sort_values("year", ignore_index=True)
    previous = table["reports"].shift(1)
    table["change_pct"] = [float("nan") if pd.isna(old) else changes.percent_change(old, new)
                           for old, new in zip(previous, table["reports"])]
    return table[["year", "reports", "providers", "provider_total", "share_pct", "change_pct", "evidence"]]


def x_year(year: int, include_unverified: bool = True) -> pd.Series:
    """One year of :func:`x_by_year`; a clear error when NCMEC has no row for X that year."""
    table = x_by_year(include_unverified).set_index("year")
    if year not in table.index:
        raise DataError(f"no NCMEC provider rows for {COMPANY} in {year}; years held: "
                        f"{sorted(table.index)}", path=ncmec.COMPANIES_RESOURCE)
    return table.loc[year]


def x_provider_rows(include_unverified: bool = False) -> pd.DataFrame:
    """NCMEC's own rows behind X's yearly totals (two in 2023), as printed.

    Columns: ``year, provider, reports, evidence``; largest row first within a year.
    """
    rows = ncmec.provider_reports_all_years()
    rows = rows[~rows["is_total"]].merge(ncmec.provider_companies(), left_on="provider",
                                         right_on="provider_label")
    rows = rows[rows["company"] == COMPANY]
    if not include_unverified:
        rows = rows[rows["evidence"].map(evidence.publishable)]
    return rows.sort_values(["year", "reports"], ascending=[True, False], ignore_index=True)[
        ["year", "provider", "reports", "evidence"]]


def company_shares(year: int) -> pd.DataFrame:
    """Each company's share of ``year``'s provider reports, and its share of the year before's
    (each year's share of that year's own total).

    Columns: ``company, reports, share_pct, provider_total, status, previous_share_pct,
    previous_provider_total, previous_evidence``; largest share first.
    """
    table = ncmec_companies.company_years()
    now, before = table[table["year"] == year], table[table["year"] == year - 1]
    if now.empty:
        raise DataError(f"no publishable provider rows for {year}", path=ncmec.COMPANIES_RESOURCE)
    before = before.set_index("company")
    return now.assign(
        previous_share_pct=now["company"].map(before["share_pct"]),
        previous_provider_total=now["company"].map(before["provider_total"]).astype("Int64"),
        previous_evidence=now["company"].map(before["evidence"]),
    ).sort_values("share_pct", ascending=False, ignore_index=True)[
        ["company", "reports", "share_pct", "provider_total", "evidence", "previous_share_pct",
         "previous_provider_total", "previous_evidence"]]
