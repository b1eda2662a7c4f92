"""Grok's downloads and App Store rank: the windows the article compares, and the charts.

>>> reported_top_chart()["name"].tolist()[:2]
['ChatGPT', 'Freecash']
"""

from __future__ import annotations

import pandas as pd

from analysis import changes, rankings
from analysis.errors import DataError
from analysis.sources import sensortower

WINDOW = ("2026-01-01", "2026-01-19")  # the article's window (Sensor Tower, as quoted by Next.ink)
HISTORY_COUNTRY = "us"


def reported_top_chart() -> pd.DataFrame:
    """The top-5 as The Washington Post showed it (reported-only), by rank."""
    return rankings.reported_top_chart().sort_values("rank", ignore_index=True)


def rank_comparison(country: str = HISTORY_COUNTRY) -> pd.DataFrame:
    """Daily rank of Grok, ChatGPT and Gemini in our own snapshots; missing when not charted."""
    return rankings.compare(country=country)


def download_windows(frame: pd.DataFrame, app: str = "Grok", countries=None) -> pd.DataFrame:
    """The article's comparison: mean daily downloads over :data:`WINDOW` and over the same days
    of the previous month, and the change between them. A day missing from either window is an
    error naming it (never a mean of fewer days); ``frame.attrs["path"]``, where the loader set it,
    names the file.

    Columns: ``window, start, end, days, mean_daily_downloads``; ``attrs["change_pct"]``.
    """
    series = sensortower.daily_downloads(frame, app, countries)
    reference = changes.same_days_previous_month(WINDOW)
    try:
        current, base = changes.window_means(series, WINDOW, reference)
    except ValueError as error:
        raise DataError(f"{app}: {error}", path=frame.attrs.get("path")) from None
    rows = [(name, pd.Timestamp(start), pd.Timestamp(end), (pd.Timestamp(end) - pd.Timestamp(start)).days + 1, mean)
            for name, (start, end), mean in (("reference", reference, base), ("window", WINDOW, current))]
    table = pd.DataFrame(rows, columns=["window", "start", "end", "days", "mean_daily_downloads"])
    table.attrs["change_pct"] = changes.percent_change(base, current)
    return table
