"""NCMEC's provider rows as companies: the one place they are mapped, checked, added up and shared.

The loaders (:mod:`analysis.sources.ncmec`) return NCMEC's rows as printed; here they go through
the provider → company map (``data/reference/ncmec-provider-companies.csv``), which must name every
label that looks like X or xAI and every provider worth :data:`LARGE_PROVIDER_PCT` % or more of its
year, and become each company's reports per year with its share of the year's provider total.
Every other series of companies (X's years, the 2024 context) reads :func:`company_years`.

>>> x = company_reports("X Corp.").set_index("year")
>>> int(x.loc[2023, "reports"]), x.loc[2023, "providers"]
(870503, 'Twitter, Inc. / Vine.co + X Corp')
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import datapackage, evidence
from analysis.errors import DataError
from analysis.sources import ncmec

# Labels that look like the story's companies must be mapped: a new spelling ("X Corp.", "XCorp",
# "X.com") left out of the map would silently shrink X's total. Compared on the label's letters
# and digits only, lower-cased.
STORY_LABELS = re.compile(r"(?:twitter|grok|xai|xcorp|xholdings).*|x(?:com|inc)?")
# A provider with at least this share of a year's provider reports must be in the map: company
# totals and shares would otherwise leave out a large part of the table.
LARGE_PROVIDER_PCT = 1.0


def _skeleton(label: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ncmec.normalise_label(label).casefold())


def _where(row) -> tuple[object, dict]:
    """The file and the place (page and row of a PDF, line of the transcription) of a provider row."""
    if row.evidence == evidence.PRIMARY:
        table = ncmec.reports_by_provider()
        table = table[table["year"] == row.year].reset_index(drop=True)
        position = int(table.index[table["provider"] == row.provider][0])
        return datapackage.read(f"ncmec-by-esp-{row.year}"), {"page": int(table.loc[position, "page"]),
                                                             "row": position + 1}
    rows = ncmec.transcribed_reports_by_provider()
    line = rows.loc[(rows["year"] == row.year) & (rows["provider"] == row.provider), "row"].iloc[0]
    return datapackage.read(ncmec.TRANSCRIPTION_RESOURCE), {"row": int(line)}


def check_mapping(rows: pd.DataFrame, totals: pd.Series, companies: pd.DataFrame) -> None:
    """Refuse provider rows the company map leaves out when they look like X or xAI, or when they
    are worth :data:`LARGE_PROVIDER_PCT` % of their year or more (named where they are printed)."""
    unmapped = rows[~rows["provider"].isin(companies["provider_label"])]
    story = sorted({label for label in unmapped["provider"] if STORY_LABELS.fullmatch(_skeleton(label))})
    if story:
        raise DataError(f"provider label(s) {story} look like X or xAI but are not in "
                        "ncmec-provider-companies.csv: add them before computing company totals",
                        path=datapackage.read(ncmec.COMPANIES_RESOURCE))
    share = 100 * unmapped["reports"].astype(float) / unmapped["year"].map(totals).astype(float)
    large = unmapped.assign(share=share)[share >= LARGE_PROVIDER_PCT].sort_values("share", ascending=False)
    if len(large):
        first = large.iloc[0]
        path, where = _where(first)
        raise DataError(f"provider {first['provider']!r} ({first['year']}: {int(first['reports']):,} reports, "
                        f"{first['share']:.1f} % of the year's provider total, at least {LARGE_PROVIDER_PCT:g} %) "
                        "is not in ncmec-provider-companies.csv: map it before computing company totals",
                        path=path, **where)


def company_reports(company: str | None = None) -> pd.DataFrame:
    """Reports per company and year, summed over the company's provider rows, with each year's
    provider total and the company's share of it (unsourced years included).

    Columns: ``year, company, reports, providers`` (the labels added up, joined by " + "),
    ``provider_total, share_pct, evidence`` (what the rows used rest on).
    """
    rows = ncmec.provider_reports_all_years()
    totals = rows[rows["is_total"]].set_index("year")["reports"]
    companies = ncmec.provider_companies()
    check_mapping(rows[~rows["is_total"]], totals, companies)
    mapped = rows[~rows["is_total"]].merge(companies, left_on="provider", right_on="provider_label")
    if company is not None:
        mapped = mapped[mapped["company"] == company]
        if mapped.empty:
            raise DataError(f"no provider row belongs to company {company!r}")
    grouped = mapped.groupby(["year", "company"], as_index=False).agg(
        reports=("reports", "sum"),
        providers=("provider", " + ".join),
        evidence=("evidence", lambda grades: evidence.computed(*grades)),
    )
    grouped["reports"] = grouped["reports"].astype("Int64")
    grouped["provider_total"] = grouped["year"].map(totals).astype("Int64")
    grouped["share_pct"] = (100 * grouped["reports"] / grouped["provider_total"]).astype(float)
    return grouped[["year", "company", "reports", "providers", "provider_total", "share_pct", "evidence"]]


@datapackage.memoized
def _every_company() -> pd.DataFrame:
    return company_reports()


def company_years(include_unverified: bool = False) -> pd.DataFrame:
    """Reports per company and year with the provider total and the share of it, computed once per
    version of the data (:func:`company_reports`); unsourced years only when asked for.

    Columns: ``year, company, reports, providers, provider_total, share_pct, evidence``.
    """
    table = _every_company()
    return table.copy() if include_unverified else table[table["evidence"].map(evidence.publishable)].copy()
