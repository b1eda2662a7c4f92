# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 — X's reports to NCMEC, 2019–2024
#
# **What.** How many reports X (Twitter until 2023) sent to NCMEC's CyberTipline each year,
# its share of all platforms' reports, the change year on year, how many reports it sent per
# account it suspended, and how NCMEC's count compares with the figures X publishes itself.
#
# **Why.** The article relays X's claim of 686,176 reports in 2024. NCMEC's own tables are
# the independent record: we parse them from NCMEC's PDFs (2019–2023) and use a third party's
# transcription for 2024, marked as such; 2025 is unverified and shown only with that label.
#
# Every number below is computed by the `analysis` package; this notebook only calls and shows.

# %%
import pandas as pd
from IPython.display import Markdown, display

from analysis import series
from analysis.formatting import format_number, format_percent, format_table, house_typography
from analysis.series import x_own, x_reports

pd.set_option("display.width", 160)


def prose(text: str) -> str:
    """What this notebook writes, in the house typography."""
    return house_typography(text, "en")


# %% [markdown]
# ## X's reports per year, NCMEC's count
# In 2023 NCMEC lists X twice ("Twitter, Inc. / Vine.co" and "X Corp"); `providers` shows the
# rows added up. `evidence` says what each year rests on; years we hold only from an unsourced
# transcription are left out (`x_reports.x_by_year(include_unverified=True)` shows them).

# %%
years = x_reports.x_by_year()
format_table(years, decimals={"share_pct": 2})  # X's share was under 1% until 2022: two decimals tell the years apart

# %%
by_year = years.set_index("year")
latest, peak = int(by_year.index.max()), int(by_year["reports"].idxmax())
display(Markdown(
    prose(f"X's count peaked in **{peak}** at **{format_number(int(by_year.loc[peak, 'reports']), 'en')}** "
    f"reports ({format_percent(by_year.loc[peak, 'change_pct'], 'en')} on the year before), then "
    f"reached {format_number(int(by_year.loc[latest, 'reports']), 'en')} in {latest} "
    f"({format_percent(by_year.loc[latest, 'change_pct'], 'en')}). Its share of all provider "
    f"reports went from {format_percent(by_year['share_pct'].iloc[0], 'en', signed=False)} in "
    f"{int(by_year.index[0])} to {format_percent(by_year.loc[latest, 'share_pct'], 'en', signed=False)} "
    f"in {latest}.")))

# %% [markdown]
# ## One question, one call
# `series.ncmec` and `series.x` answer a question in one call (type `series.ncmec.` then Tab to
# list them). Each value comes with its unit and what it rests on, and is computed by the same
# measure the fact-check uses: X's share of all providers' reports in 2022, the change of its
# reports in 2024, and that year's count.

# %%
print(series.ncmec.share("X", 2022))
print(series.ncmec.change("X", 2023, 2024))
series.ncmec.reports("X", 2024)

# %% [markdown]
# ## Reports per suspended account
# Where both a report count and a suspension count cover the same period. X suspends far more
# accounts than it reports: its own H1 2024 report notes that accounts suspended for *engaging*
# with such material (liking, replying) are not reportable to NCMEC.

# %%
format_table(x_own.reports_per_suspension(), decimals={"reports_per_100_suspended": 1})

# %% [markdown]
# ## X's own counts against NCMEC's
# X's H1 2024 transparency report, its H2 2024 figures (its 2025 report, as transcribed by a third
# party) and X Safety's statement about 2024, beside NCMEC's count.

# %%
format_table(x_own.self_reported_vs_ncmec())

# %% [markdown]
# X's first half is a little over half of NCMEC's yearly count, its two halves together a little
# less than that count (`x-halves-2024-reports-minus-ncmec` in the ledger), and X Safety's yearly
# figure equals NCMEC's: on reports to NCMEC, X's statements and NCMEC's records nearly agree. The
# suspension counts (X's two halves make X Safety's yearly figure) have no independent check. The published chart of this series is
# `figures/<lang>/x-reports-to-ncmec.*`, built by `make figures`.
