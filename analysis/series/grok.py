"""Grok's downloads and App Store rank: the windows the article compares, and the charts.

>>> reported_top_chart()["name"].tolist()[:2]
['ChatGPT', 'Freecash']
"""

from __future__ import annotations

import pandas as pd

from analysis import changes, rankings
from analysis.sources import sensortower

WINDOW = sensortower.WINDOW  # 1–19 January 2026, the article's window
HISTORY_COUNTRY = "us"


def reported_top_chart() -> pd.DataFrame:
    """The top-5 as The Washington Post showed it (reported-only), by rank."""
    return rankings.reported_top_chart().sort_values("rank", ignore_index=True)


def rank_comparison(country: str = HISTORY_COUNTRY) -> pd.DataFrame:
    """Daily rank of Grok, ChatGPT and Gemini in our own snapshots; missing when not charted."""
    return rankings.compare(country=country)


def download_windows(frame: pd.DataFrame, app: str = "Grok", countries=None) -> pd.DataFrame:
    """The article's comparison: mean daily downloads over :data:`WINDOW` and over the same days
    of the previous month, each with its days, and the change between them.

    Columns: ``window, start, end, days, mean_daily_downloads``; ``attrs["change_pct"]``.
    """
    series = sensortower.daily_downloads(frame, app, countries)
    reference = changes.same_days_previous_month(WINDOW)
    rows = []
    for name, (start, end) in (("reference", reference), ("window", WINDOW)):
        days = series[pd.Timestamp(start):pd.Timestamp(end)]
        rows.append((name, pd.Timestamp(start), pd.Timestamp(end), len(days), float(days.mean())))
    table = pd.DataFrame(rows, columns=["window", "start", "end", "days", "mean_daily_downloads"])
    table.attrs["change_pct"] = sensortower.mean_daily_change(frame, app, WINDOW, countries)
    return table
