"""X's own figures (transparency reports, X Safety's statement) set beside NCMEC's counts.

>>> table = reports_per_suspension().set_index("period")
>>> float(round(table.loc["2024", "reports_per_100_suspended"], 1))
15.0
"""

from __future__ import annotations

import pandas as pd

from analysis import changes, evidence
from analysis.series import x_reports
from analysis.sources import x

# What a reports-per-suspension ratio divides, which changed between Twitter's years and X's:
# NCMEC's count for Twitter over the accounts Twitter suspended for child sexual exploitation, then
# X's own "child safety" figures (reports and suspensions alike), which also cover physical child abuse.
TWITTER_CSE = "NCMEC's count ÷ Twitter's suspensions for child sexual exploitation"
X_CHILD_SAFETY = "X's own child-safety figures (also physical child abuse)"


def reports_per_suspension() -> pd.DataFrame:
    """CyberTipline reports per suspended account, wherever a report count and a suspension count
    cover the same period, each row with its ``definition`` (:data:`TWITTER_CSE` or
    :data:`X_CHILD_SAFETY`): the two are not one series.

    Twitter's half-years are added up only when both halves of a year exist; X's own halves of
    2024 (the first from its H1 report, the second as transcribed from its 2025 report) and X
    Safety's year each stand on their own. Columns: ``period, definition, reports, reports_source,
    accounts_suspended, suspensions_source, reports_per_100_suspended, evidence`` (the one place the
    ratio is scaled to 100 accounts, as it is published).
    """
    reports = x_reports.x_by_year().set_index("year")
    rows = []
    enforcement = x.twitter_enforcement()
    enforcement["year"] = enforcement["period_start"].dt.year
    for year, halves in enforcement.groupby("year"):
        if len(halves) == 2 and year in reports.index:
            rows.append((str(year), TWITTER_CSE, reports.loc[year, "reports"], f"NCMEC ({reports.loc[year, 'evidence']})",
                         halves["accounts_suspended"].sum(), "Twitter Transparency Center (transcription)",
                         evidence.computed(reports.loc[year, "evidence"], evidence.TRANSCRIPTION)))
    report = x.transparency_report_2024_h1().set_index("measure")
    rows.append(("2024 H1", X_CHILD_SAFETY, report.loc["reports_to_ncmec", "total"], "X transparency report",
                 report.loc["accounts_suspended", "total"], "X transparency report", evidence.PRIMARY))
    halves_2024 = x.transparency_halves_2024()
    second = halves_2024[halves_2024["period"] == x.HALVES_2024[1]].set_index("measure")
    rows.append((x.HALVES_2024[1], X_CHILD_SAFETY, second.loc["reports_to_ncmec", "total"], "X transparency report 2025 (transcription)",
                 second.loc["accounts_suspended", "total"], "X transparency report 2025 (transcription)",
                 evidence.TRANSCRIPTION))
    statement = x.safety_statement_2025().set_index("measure")
    rows.append(("2024", X_CHILD_SAFETY, statement.loc["reports_to_ncmec", "value"], "X Safety (reported-only)",
                 statement.loc["accounts_suspended", "value"], "X Safety (reported-only)",
                 evidence.computed(evidence.REPORTED)))  # our division of two figures X Safety reported
    table = pd.DataFrame(rows, columns=["period", "definition", "reports", "reports_source", "accounts_suspended",
                                        "suspensions_source", "evidence"])
    table["reports_per_100_suspended"] = 100 * (table["reports"].astype(float)
                                              / table["accounts_suspended"].astype(float))
    return table[["period", "definition", "reports", "reports_source", "accounts_suspended", "suspensions_source",
                  "reports_per_100_suspended", "evidence"]]


def self_reported_vs_ncmec() -> pd.DataFrame:
    """X's own report counts beside NCMEC's count for X in the same year.

    Columns: ``period, x_says, x_source, ncmec_year_count, ncmec_evidence, x_as_pct_of_ncmec``.
    """
    ncmec_x = x_reports.x_by_year(include_unverified=True).set_index("year")
    own = x.self_reported()
    own = own[own["measure"] == "reports_to_ncmec"]
    rows = []
    for _, row in own.iterrows():
        year = row["period_start"].year
        whole_year = row["period_start"].month == 1 and row["period_end"].month == 12
        label = str(year) if whole_year else f"{year} H{1 if row['period_end'].month <= 6 else 2}"
        count = ncmec_x.loc[year, "reports"]
        rows.append((label, row["value"], f"{row['source']} ({row['evidence']})", count,
                     ncmec_x.loc[year, "evidence"], changes.share(float(row["value"]), float(count))))
    return pd.DataFrame(rows, columns=["period", "x_says", "x_source", "ncmec_year_count",
                                       "ncmec_evidence", "x_as_pct_of_ncmec"])
