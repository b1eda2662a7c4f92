"""NCMEC's 2024 in context: who fell, who did not, and what X's share means once Meta is set aside.

NCMEC's provider total fell from 2023 to 2024 because Meta's reports fell (NCMEC's "bundling" of
duplicate reports began in 2024; see the ledger's reported figures). Every provider's share of
the total then rises mechanically: X's share of *all* provider reports went up while its share
of the reports of *every provider other than Meta* went down. This module computes both from
NCMEC's rows (PDFs 2019–2023, a third party's transcription for 2024), through the provider →
company map, and refuses a map that leaves a large provider out.

>>> table = company_changes().set_index("company")
>>> round(float(table.loc["Meta", "change_pct"]), 1), round(float(table.loc[OTHERS, "change_pct"]), 1)
(-55.1, 24.6)
"""

from __future__ import annotations

import pandas as pd

from analysis import changes, datapackage, evidence
from analysis.series import ncmec_companies, x_reports
from analysis.series.coverage import require_years
from analysis.sources import ncmec

META = "Meta"
ALL = "All providers"
OTHERS = "All providers but Meta"
OLD_YEAR, NEW_YEAR = 2023, 2024


def _year_totals() -> pd.Series:
    rows = ncmec.provider_reports_all_years()
    rows = rows[rows["is_total"] & rows["evidence"].map(evidence.publishable)]
    return rows.set_index("year")


def meta_and_the_rest() -> pd.DataFrame:
    """Per year: the provider total, Meta's reports, everyone else's, and X's share of each.

    Columns: ``year, provider_total, meta, others, x, meta_share_pct, x_share_pct,
    x_share_of_others_pct, evidence``. Every year from the first to the last must be there.
    """
    companies = ncmec_companies.company_years()
    totals = _year_totals()
    meta = companies[companies["company"] == META].set_index("year")
    x = companies[companies["company"] == x_reports.COMPANY].set_index("year")
    require_years(totals.index, "NCMEC's provider total", datapackage.active())
    years = range(totals.index.min(), totals.index.max() + 1)
    for what, held in ((f"{META}'s reports", meta.index), ("X's reports", x.index)):
        require_years(held, what, datapackage.read(ncmec.COMPANIES_RESOURCE), expected=years)
    table = pd.DataFrame({"provider_total": totals["reports"].astype(int), "meta": meta["reports"].astype(int),
                          "x": x["reports"].astype(int)})
    table["others"] = table["provider_total"] - table["meta"]
    table["meta_share_pct"] = 100 * table["meta"] / table["provider_total"]
    table["x_share_pct"] = 100 * table["x"] / table["provider_total"]
    table["x_share_of_others_pct"] = 100 * table["x"] / table["others"]
    table["evidence"] = [evidence.computed(a, b, c) for a, b, c in zip(totals["evidence"], meta["evidence"], x["evidence"])]
    table = table.rename_axis("year").reset_index()
    return table[["year", "provider_total", "meta", "others", "x", "meta_share_pct", "x_share_pct",
                  "x_share_of_others_pct", "evidence"]]


def company_changes(old_year: int = OLD_YEAR, new_year: int = NEW_YEAR, min_share_pct: float = 0.0) -> pd.DataFrame:
    """Each company's reports in two years and the change, for every company NCMEC (or its
    transcription) lists in both with at least ``min_share_pct`` % of the provider reports in
    either year; then all providers, Meta, and all providers but Meta (always).

    Columns: ``company, group`` (``company``, ``total``, ``meta`` or ``others``), ``old, new,
    change_pct, evidence``; companies by change, most negative first, groups last.
    """
    companies = ncmec_companies.company_years()
    require_years(companies["year"], "NCMEC's provider rows", datapackage.active(),
                  expected=[old_year, new_year])
    old = companies[companies["year"] == old_year].set_index("company")
    new = companies[companies["year"] == new_year].set_index("company")
    both = old.index.intersection(new.index)
    both = both[(old.loc[both, "share_pct"] >= min_share_pct) | (new.loc[both, "share_pct"] >= min_share_pct)]
    rows = [(company, "meta" if company == META else "company", old.loc[company, "reports"],
             new.loc[company, "reports"], evidence.computed(old.loc[company, "evidence"], new.loc[company, "evidence"]))
            for company in both]
    split = meta_and_the_rest().set_index("year")
    for name, group, column in ((ALL, "total", "provider_total"), (OTHERS, "others", "others")):
        rows.append((name, group, split.loc[old_year, column], split.loc[new_year, column],
                     evidence.computed(split.loc[old_year, "evidence"], split.loc[new_year, "evidence"])))
    table = pd.DataFrame(rows, columns=["company", "group", "old", "new", "evidence"])
    table[["old", "new"]] = table[["old", "new"]].astype(int)
    table["change_pct"] = [changes.percent_change(float(a), float(b)) for a, b in zip(table["old"], table["new"])]
    table["order"] = table["group"].map({"company": 0, "meta": 0, "others": 1, "total": 2})
    table = table.sort_values(["order", "change_pct"], ignore_index=True).drop(columns="order")
    return table[["company", "group", "old", "new", "change_pct", "evidence"]]


def meta_share_of_decline(old_year: int = OLD_YEAR, new_year: int = NEW_YEAR) -> tuple[float, str]:
    """Meta's fall as a percent of the fall of all provider reports (over 100: the others rose)."""
    split = meta_and_the_rest().set_index("year")
    drop = split.loc[old_year, "provider_total"] - split.loc[new_year, "provider_total"]
    meta_drop = split.loc[old_year, "meta"] - split.loc[new_year, "meta"]
    return 100 * float(meta_drop) / float(drop), evidence.computed(split.loc[old_year, "evidence"],
                                                               split.loc[new_year, "evidence"])


def all_reports() -> pd.DataFrame:
    """All CyberTipline reports per year (providers and public), publishable years only, no year missing.

    Columns: ``year, reports, evidence``.
    """
    table = ncmec.all_reports_totals()
    table = table[table["evidence"].map(evidence.publishable)].reset_index(drop=True)
    require_years(table["year"], "NCMEC's yearly total of CyberTipline reports", datapackage.active())
    return table


def largest_companies(count: int = 12) -> pd.DataFrame:
    """:func:`~analysis.series.ncmec_companies.company_years` for the ``count`` companies with the most reports in the latest
    publishable year, every year they appear (for small multiples), largest first.

    Columns: as :func:`~analysis.series.ncmec_companies.company_years`.
    """
    table = ncmec_companies.company_years()
    latest = table[table["year"] == table["year"].max()].nlargest(count, "reports")["company"].tolist()
    table = table[table["company"].isin(latest)]
    return table.assign(order=table["company"].map(latest.index)).sort_values(["order", "year"]).drop(
        columns="order").reset_index(drop=True)
