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
# # 02 — Grok's downloads and App Store rank
#
# **What.** The method behind the article's "+72 %" (Sensor Tower, via The Washington Post): the
# mean daily downloads of Grok worldwide from 1 to 19 January 2026 against the same days of
# December 2025. Then Grok's place in the App Store's free-apps chart.
#
# **Why.** We hold no Sensor Tower data (it is licensed), so the figure stays *reported-only* in
# the ledger. What we can do is make the method exact and ready: a reporter with an export drops
# it in `data/private/sensortower/` and runs
# `python -m analysis grok-downloads data/private/sensortower/FILE.csv`.
#
# **Everything computed below from downloads uses a SYNTHETIC export with made-up numbers.** It
# demonstrates the method only; it is not a finding and never feeds a published figure.

# %%
from IPython.display import Markdown, display

from analysis import claims, synthetic
from analysis.formatting import format_percent, format_table, house_typography
from analysis.series import grok
from analysis.sources import sensortower


def prose(text: str) -> str:
    """What this notebook writes, in the house typography."""
    return house_typography(text, "en")


# %% [markdown]
# ## The method, on the synthetic export

# %%
export = synthetic.SENSORTOWER_EXPORT
assert synthetic.is_synthetic(export)
downloads = sensortower.read_downloads(export)
windows = grok.download_windows(downloads, "Grok")  # all platforms and countries: worldwide
format_table(windows)

# %%
change = windows.attrs["change_pct"]
published = claims.claim("grok-downloads")
display(Markdown(
    prose(f"On the **synthetic** export the method gives {format_percent(change, 'en')}; the article "
    f"reports {published.published_text()} from Sensor Tower's real estimates. The two are "
    f"unrelated: the synthetic file was made up to exercise the code.")))

# %% [markdown]
# The window means are over every day of both windows: a missing day raises an error naming it
# rather than averaging fewer days, and a missing count is never added up as zero.

# %% [markdown]
# ## App Store rank
# The article shows Grok 4th among free apps in January 2026 (a screenshot published by The
# Washington Post; day and storefront not stated). Apple publishes no chart history, so this
# stays *reported only*.

# %%
format_table(grok.reported_top_chart()[["rank", "name", "shown_by", "evidence"]])

# %% [markdown]
# Our own snapshots start when someone runs
# `python -m analysis fetch apple-charts --country us --country fr`. With none collected yet,
# the comparison below is empty and the rank-history chart is not drawn.

# %%
history = grok.rank_comparison()
display(Markdown(prose("No snapshot collected yet." if history.empty else
                 f"{len(history)} days of snapshots collected.")))
format_table(history)
