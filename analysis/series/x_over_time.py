"""X over time: its share of provider reports, reports per account suspended, the second half of
2024 implied by the year minus the first half, and how much of the first half was automated.

The implied second half is our subtraction (the year's count minus X's own first-half count), not
a published figure: its rows say so in ``method``, and its status is the weakest of its inputs.

>>> halves = second_half_2024().set_index("measure")
>>> int(halves.loc["reports_to_ncmec", "h2_implied"]), halves.loc["reports_to_ncmec", "evidence"]
(315588, 'transcription')
"""

from __future__ import annotations

import pandas as pd

from analysis import changes, evidence
from analysis.series import ncmec_context, x_own, x_reports
from analysis.sources import x

YEAR = 2024
PUBLISHED = "as published"
IMPLIED = "year minus first half"
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


def second_half_2024() -> pd.DataFrame:
    """The year's count, X's first-half count and what they imply for the second half.

    Reports: NCMEC's 2024 count for X (transcription) minus X's H1 report. Suspensions: X Safety's
    2024 figure (reported-only) minus X's H1 report. Columns: ``measure, year_total, year_source,
    h1, h1_source, h2_implied, method, evidence``.
    """
    h1 = x.transparency_report_2024_h1().set_index("measure")
    ncmec_year = x_reports.x_year(YEAR)
    statement = x.safety_statement_2025().set_index("measure")
    years = {"reports_to_ncmec": (int(ncmec_year["reports"]), "NCMEC", ncmec_year["evidence"]),
             "accounts_suspended": (int(statement.loc["accounts_suspended", "value"]), "X Safety",
                                    evidence.REPORTED)}
    rows = []
    for measure in MEASURES:
        total, source, year_evidence = years[measure]
        first = int(h1.loc[measure, "total"])
        rows.append((measure, total, f"{source} ({year_evidence})", first,
                     f"X transparency report H1 {YEAR}, p. {int(h1.loc[measure, 'page'])}", total - first,
                     IMPLIED, evidence.computed(year_evidence, evidence.PRIMARY)))
    return pd.DataFrame(rows, columns=["measure", "year_total", "year_source", "h1", "h1_source",
                                       "h2_implied", "method", "evidence"])


def _period(label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    year, _, half = label.partition(" ")
    if not half:
        return pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year}-12-31")
    start = pd.Timestamp(f"{year}-01-01") if half.startswith("H1") else pd.Timestamp(f"{year}-07-01")
    return start, start + pd.DateOffset(months=6) - pd.Timedelta(days=1)


def reports_per_suspension() -> pd.DataFrame:
    """CyberTipline reports per account X suspended, wherever both counts cover one period
    (:func:`analysis.series.x_own.reports_per_suspension`), plus the implied second half of 2024.

    Columns: ``period, start, end, reports, accounts_suspended, reports_per_suspended_account,
    reports_source, suspensions_source, method, evidence``; by start date.
    """
    table = x_own.reports_per_suspension()
    ncmec_evidence = x_reports.x_by_year().set_index("year")["evidence"]
    statuses = []
    for row in table.itertuples():
        if row.period.endswith("H1"):
            statuses.append(evidence.PRIMARY)
        elif "reported-only" in row.reports_source or "reported-only" in row.suspensions_source:
            statuses.append(evidence.REPORTED)
        else:  # NCMEC's yearly count and Twitter's transcribed half-years
            statuses.append(evidence.computed(ncmec_evidence[int(row.period)], evidence.TRANSCRIPTION))
    table = table.assign(method=PUBLISHED, evidence=statuses)
    halves = second_half_2024().set_index("measure")
    reports, suspended = halves.loc["reports_to_ncmec"], halves.loc["accounts_suspended"]
    implied = pd.DataFrame([{
        "period": f"{YEAR} H2", "reports": reports["h2_implied"], "reports_source": reports["year_source"],
        "accounts_suspended": suspended["h2_implied"], "suspensions_source": suspended["year_source"],
        "reports_per_suspended_account": reports["h2_implied"] / suspended["h2_implied"],
        "method": IMPLIED, "evidence": evidence.computed(reports["evidence"], suspended["evidence"])}])
    table = pd.concat([table, implied], ignore_index=True)
    spans = [_period(label) for label in table["period"]]
    table["start"] = [start for start, _ in spans]
    table["end"] = [end for _, end in spans]
    table[["reports", "accounts_suspended"]] = table[["reports", "accounts_suspended"]].astype(int)
    return table.sort_values(["start", "end"], ignore_index=True)[
        ["period", "start", "end", "reports", "accounts_suspended", "reports_per_suspended_account",
         "reports_source", "suspensions_source", "method", "evidence"]]
