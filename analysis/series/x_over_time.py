"""X over time: its share of provider reports, reports per account suspended, X's own two halves
of 2024 set against the year's counts, and how much of the first half was automated.

X published both halves of 2024: the first in its H1 2024 report (which we hold), the second in its
2025 report (which we hold only as a third party's transcription). Their sum is set beside the
year's counts someone else gives (NCMEC's for reports, X Safety's for suspensions), difference and
all; nothing here is a subtraction standing in for a published figure.

>>> halves = halves_2024().set_index("measure")
>>> int(halves.loc["reports_to_ncmec", "h2"]), halves.loc["reports_to_ncmec", "h2_evidence"]
(313917, 'transcription')
"""

from __future__ import annotations

import pandas as pd

from analysis import changes, evidence
from analysis.series import ncmec_context, x_own, x_reports
from analysis.sources import x

YEAR = 2024
MEASURES = ("reports_to_ncmec", "accounts_suspended")


def share_by_year() -> pd.DataFrame:
    """X's share of all provider reports and of every provider's but Meta's, per year.

    Columns: ``year, x, provider_total, others, x_share_pct, x_share_of_others_pct, evidence``.
    """
    return ncmec_context.meta_and_the_rest()[["year", "x", "provider_total", "others", "x_share_pct",
                                              "x_share_of_others_pct", "evidence"]]


def automated_shares() -> pd.DataFrame:
    """X's H1 2024 child-safety figures split by how they were actioned, as X printed them.

    Columns: ``measure, total, automated, human, automated_pct, page, evidence``.
    """
    report = x.transparency_report_2024_h1()
    report["automated_pct"] = [changes.share(float(a), float(t)) for a, t in zip(report["automated"], report["total"])]
    return report.assign(evidence=evidence.PRIMARY)[
        ["measure", "total", "automated", "human", "automated_pct", "page", "evidence"]]


def halves_2024() -> pd.DataFrame:
    """X's own figures for each half of 2024 and their sum.

    Columns: ``measure, h1, h1_source, h1_evidence, h2, h2_source, h2_evidence, both_halves,
    evidence`` (what the sum rests on: the weaker of the two halves).
    """
    h1 = x.transparency_report_2024_h1().set_index("measure")
    halves = x.transparency_halves_2024()
    h2 = halves[halves["period"] == x.HALVES_2024[1]].set_index("measure")
    rows = [(measure, int(h1.loc[measure, "total"]), f"X transparency report H1 {YEAR}, p. {int(h1.loc[measure, 'page'])}",
             evidence.PRIMARY, int(h2.loc[measure, "total"]), "X transparency report 2025, as transcribed by diaphanous",
             h2.loc[measure, "evidence"]) for measure in MEASURES]
    table = pd.DataFrame(rows, columns=["measure", "h1", "h1_source", "h1_evidence", "h2", "h2_source", "h2_evidence"])
    table["both_halves"] = table["h1"] + table["h2"]
    table["evidence"] = [evidence.computed(a, b) for a, b in zip(table["h1_evidence"], table["h2_evidence"])]
    return table


def halves_against_year_2024() -> pd.DataFrame:
    """X's two halves of 2024 added up, beside the year's count from someone else: NCMEC's for
    reports (a transcription of NCMEC's table), X Safety's for suspensions (reported only).

    Columns: ``measure, both_halves, year_count, year_source, difference`` (both halves minus the
    year's count), ``evidence``.
    """
    halves = halves_2024().set_index("measure")
    ncmec_year = x_reports.x_year(YEAR)
    statement = x.safety_statement_2025().set_index("measure")
    years = {"reports_to_ncmec": (int(ncmec_year["reports"]), "NCMEC", ncmec_year["evidence"]),
             "accounts_suspended": (int(statement.loc["accounts_suspended", "value"]), "X Safety", evidence.REPORTED)}
    rows = []
    for measure in MEASURES:
        count, source, year_evidence = years[measure]
        both = int(halves.loc[measure, "both_halves"])
        rows.append((measure, both, count, f"{source} ({year_evidence})", both - count,
                     evidence.computed(halves.loc[measure, "evidence"], year_evidence)))
    return pd.DataFrame(rows, columns=["measure", "both_halves", "year_count", "year_source", "difference", "evidence"])


def _period(label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    year, _, half = label.partition(" ")
    if not half:
        return pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year}-12-31")
    start = pd.Timestamp(f"{year}-01-01") if half.startswith("H1") else pd.Timestamp(f"{year}-07-01")
    return start, start + pd.DateOffset(months=6) - pd.Timedelta(days=1)


def reports_per_suspension() -> pd.DataFrame:
    """CyberTipline reports per account X suspended, wherever both counts cover one period
    (:func:`analysis.series.x_own.reports_per_suspension`), with each period's dates.

    Columns: ``period, definition, start, end, reports, accounts_suspended,
    reports_per_100_suspended, reports_source, suspensions_source, evidence``; by start date.
    """
    table = x_own.reports_per_suspension()
    spans = [_period(label) for label in table["period"]]
    table["start"] = [start for start, _ in spans]
    table["end"] = [end for _, end in spans]
    table[["reports", "accounts_suspended"]] = table[["reports", "accounts_suspended"]].astype(int)
    return table.sort_values(["start", "end"], ignore_index=True)[
        ["period", "definition", "start", "end", "reports", "accounts_suspended", "reports_per_100_suspended",
         "reports_source", "suspensions_source", "evidence"]]
