"""France in NCMEC's CyberTipline reports by country, 2019–2023: the only official France series.

What NCMEC's country table counts: all CyberTipline reports (from providers and the public)
that NCMEC attributes to a country, one row per country or territory, per year. What it does not:
which provider sent them (the table never crosses country with provider; NCMEC's Global Platform
does, rounded, referrals only, for 2024: :mod:`analysis.series.france_referrals`), the month, or France's
overseas departments and territories, which are rows of their own (Réunion, Mayotte,
Guadeloupe…; the labels are listed in ``data/reference/ncmec-france-overseas.csv``). The Paris
prosecutor's −81.4 % (X only, June → October 2025) cannot be set on this series: it is about
one provider, and NCMEC publishes no table for 2025 by country.

A country is named exactly as NCMEC prints it; a name with no row ("Réunion" where NCMEC prints
"Reunion") is refused with the file and the nearest rows.

>>> table = reports_by_year().set_index("year")
>>> int(table.loc[2023, "reports"]), round(float(table.loc[2023, "change_pct"]), 1)
(310519, 36.5)
"""

from __future__ import annotations

import difflib

import pandas as pd
import pandera.pandas as pa

from analysis import changes, datapackage, evidence
from analysis.errors import DataError
from analysis.series.coverage import require_years
from analysis.sources import ncmec
from analysis.validate import check, read_csv

COUNTRY = "France"
OVERSEAS_RESOURCE = "ncmec-france-overseas"


def _tables() -> pd.DataFrame:
    """Every country row with its row number in its year's table (reading order, as the parser)."""
    table = ncmec.reports_by_country()
    return table.assign(row=table.groupby("year").cumcount() + 1)


def _refuse(label: str, year: int, rows: pd.DataFrame, source: str) -> DataError:
    near = difflib.get_close_matches(label, rows["country"].tolist(), n=3, cutoff=0.6)
    hints = rows.set_index("country").loc[near]
    listed = "; ".join(f"{name!r} (page {int(h.page)}, row {int(h.row)})" for name, h in hints.iterrows())
    return DataError(f"no row {label!r} in NCMEC's {year} table by country"
                     + (f"; nearest rows: {listed}" if listed else "")
                     + ". Name the country exactly as NCMEC prints it; overseas territories are rows of their own",
                     path=datapackage.read(source))


def country_rows(label: str) -> pd.DataFrame:
    """The row ``label`` of every year's table, exactly as printed; refused where a year has none.

    Columns: ``year, country, reports, page, row, source, evidence``.
    """
    table = _tables()
    table = table[~table["is_total"]]
    found = table[table["country"] == label]
    for year, rows in table.groupby("year"):
        if year not in set(found["year"]):
            raise _refuse(label, int(year), rows, rows["source"].iloc[0])
    return found[["year", "country", "reports", "page", "row", "source", "evidence"]].reset_index(drop=True)


def reports_by_year(country: str = COUNTRY) -> pd.DataFrame:
    """One country's CyberTipline reports per year, with all reports that year and the change.

    Columns: ``year, reports, all_reports`` (the country table's total: every CyberTipline
    report), ``share_pct, change_pct`` (on the year before; missing for the first), ``source, evidence``.
    A year missing (a by-country table not in the data package) is refused.
    """
    rows = country_rows(country)
    require_years(rows["year"], f"{country}'s CyberTipline reports", datapackage.active())
    totals = ncmec.reports_by_country().query("is_total").set_index("year")["reports"]
    table = rows.assign(all_reports=rows["year"].map(totals).astype(int))
    table["reports"] = table["reports"].astype(int)
    table["share_pct"] = 100 * table["reports"] / table["all_reports"]
    previous = table["reports"].shift(1)
    table["change_pct"] = [float("nan") if pd.isna(old) else changes.percent_change(old, new)
                           for old, new in zip(previous, table["reports"])]
    return table[["year", "reports", "all_reports", "share_pct", "change_pct", "source", "evidence"]]


_OVERSEAS_SCHEMA = pa.DataFrameSchema(
    {"country_label": pa.Column(str, unique=True), "territory": pa.Column(str),
     "note": pa.Column(str, nullable=True)}, strict=True, ordered=True, coerce=True)


def overseas_labels() -> pd.DataFrame:
    """NCMEC's labels for France's overseas departments and territories (one territory may have
    several spellings); a label printed in no year's table is refused with its line."""
    path = datapackage.read(OVERSEAS_RESOURCE)
    labels = check(read_csv(path), _OVERSEAS_SCHEMA, path=path, row_of=lambda i: int(i) + 2)
    printed = set(_tables()["country"])
    for index, label in labels["country_label"].items():
        if label not in printed:
            near = difflib.get_close_matches(label, sorted(printed), n=2, cutoff=0.6)
            raise DataError(f"{label!r} is printed in no NCMEC table by country"
                            + (f" (nearest: {near})" if near else ""), path=path, row=int(index) + 2,
                            column="country_label")
    return labels


def overseas_by_year() -> pd.DataFrame:
    """The overseas rows NCMEC lists apart from France, added up per year.

    Columns: ``year, reports, rows`` (how many rows were added), ``territories``, ``evidence``.
    """
    labels = overseas_labels().set_index("country_label")["territory"]
    table = _tables()
    rows = table[table["country"].isin(labels.index)].assign(territory=lambda t: t["country"].map(labels))
    require_years(rows["year"], "France's overseas rows", datapackage.active())
    grouped = rows.groupby("year").agg(reports=("reports", "sum"), rows=("country", "size"),
                                       territories=("territory", "nunique"),
                                       evidence=("evidence", lambda s: evidence.computed(*s)))
    grouped["reports"] = grouped["reports"].astype(int)
    return grouped.reset_index()
