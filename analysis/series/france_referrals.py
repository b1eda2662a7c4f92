"""X's reports concerning France, per half-year of 2024, from NCMEC's Global Platform for Child
Exploitation Policy: the only public figures that cross a provider with a country.

Three caveats travel with every number here (:mod:`analysis.sources.gpcep`): they are
**referrals** only (NCMEC's informational reports are not counted), they are **rounded** by NCMEC
(each value is given with where it can lie, :func:`analysis.changes.rounding_interval`), and they
are **2024**: the Paris prosecutor's −81.4 % is about June → October 2025, which no public figure
covers. A change between two rounded figures is given with its bounds.

>>> halves = company_referrals().set_index("period")
>>> int(halves.loc["2024 H1", "referrals"]), [float(v) for v in halves.loc["2024 H1", ["low", "high"]]]
(12000, [11500.0, 12500.0])
"""

from __future__ import annotations

import pandas as pd

from analysis import changes, evidence
from analysis.errors import DataError
from analysis.sources import gpcep, ncmec

COMPANY = "X Corp."  # in NCMEC's provider → company map ("X Corp" on the platform)
HALVES = ("2024 H1", "2024 H2")


def company_referrals(company: str = COMPANY) -> pd.DataFrame:
    """One company's referrals concerning France in each half of 2024, as the platform rounds
    them, with the interval each can lie in. The platform's provider names go through the same
    provider → company map as NCMEC's tables.

    Columns: ``period, period_start, period_end, esp, referrals, low, high, evidence``.
    """
    esps = gpcep.france_esps()
    esps = esps[esps["period"].isin(HALVES)]
    names = ncmec.provider_companies().set_index("provider_label")["company"]
    rows = esps[esps["esp"].map(ncmec.normalise_label).map(names) == company]
    missing = sorted(set(HALVES) - set(rows["period"]))
    if missing:
        raise DataError(f"no provider of {company!r} among France's largest in {missing} (providers: "
                        f"{sorted(set(esps['esp']))})", path=gpcep.RESOURCE)
    if rows["referrals"].isna().any():
        raise DataError(f"{company!r}'s referrals are hidden in {sorted(rows.loc[rows['referrals'].isna(), 'period'])}",
                        path=gpcep.RESOURCE)
    rows = rows.assign(referrals=rows["referrals"].astype(int)).sort_values("period_start", ignore_index=True)
    bounds = [changes.rounding_interval(int(value)) for value in rows["referrals"]]
    return rows.assign(low=[low for low, _ in bounds], high=[high for _, high in bounds])[
        ["period", "period_start", "period_end", "esp", "referrals", "low", "high", "evidence"]]


def company_referrals_change(company: str = COMPANY) -> pd.Series:
    """The change of a company's referrals concerning France from the first half of 2024 to the
    second: the change between the rounded figures and the lowest and highest it can be.

    Fields: ``old, new, change_pct, low_pct, high_pct, evidence``.
    """
    halves = company_referrals(company).set_index("period")
    old, new = (int(halves.loc[period, "referrals"]) for period in HALVES)
    low, high = changes.percent_change_bounds(old, new)
    return pd.Series({"old": old, "new": new, "change_pct": changes.percent_change(old, new), "low_pct": low,
                      "high_pct": high, "evidence": evidence.computed(*halves["evidence"])})


def france_reports_total(period: str = "2024") -> pd.Series:
    """The platform's ``cybertipline_reports_total`` for France (only the full year gives one).
    Beware: for 2024 it is NCMEC's 2023 figure for France to the unit (see the ledger).

    Fields: ``reports_total, reports_referred, evidence``.
    """
    record = gpcep.france_country().set_index("period")
    if period not in record.index or pd.isna(record.loc[period, "reports_total"]):
        raise DataError(f"the platform gives no reports total for France in {period!r}", path=gpcep.RESOURCE)
    row = record.loc[period]
    return pd.Series({"reports_total": int(row["reports_total"]), "reports_referred": int(row["reports_referred"]),
                      "evidence": row["evidence"]})
