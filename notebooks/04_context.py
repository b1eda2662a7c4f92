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
# # 04 — The context a reporter needs: NCMEC's 2024, France, X over time
#
# **What.** Every platform's reports to NCMEC from 2019 to 2024 (small multiples, log scale);
# 2024's fall company by company, Meta against everyone else, and what X's share means once Meta
# is set aside; France's CyberTipline reports by year with its overseas departments and territories listed apart;
# X's reports per account suspended, the second half of 2024 implied by the year minus the first
# half, and how much of X's first half was automated; the dated timeline around X's detection.
#
# **Why.** The article's numbers (−81%, 686,176) mean little without the series they sit on.
# NCMEC's totals fell in 2024 because Meta's did; X's share rose because Meta's fell. The only
# official France series stops in 2023 and counts every platform together.
#
# Every number comes from `analysis.series` (with its `evidence`); this notebook explores with
# seaborn, themed to the house style. The publication charts are drawn by `make figures`.

# %%
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import Markdown, display

from analysis import claims, evidence
from analysis.charts import style
from analysis.formatting import format_percent, format_table, house_typography
from analysis.series import france, ncmec_context, timeline, x_over_time

style.seaborn_theme()
pd.set_option("display.width", 160)

# %% [markdown]
# ## Every large platform, 2019–2024
# Up to twelve companies with the most reports in the latest year (the 2024 transcription lists
# only the largest platforms), each in its own panel, on a log scale (Meta's millions and
# Discord's hundred thousands share one axis). 2019–2023 are parsed from NCMEC's PDFs, 2024 is a
# third party's transcription (`evidence` column).

# %%
largest = ncmec_context.largest_companies(12)
grid = sns.relplot(data=largest, x="year", y="reports", col="company", col_wrap=4, kind="line",
                   marker="o", height=2.2, aspect=1.4, color=style.OTHER, facet_kws={"sharey": True})
grid.set(yscale="log")
grid.set_titles("{col_name}")
grid.figure.suptitle("Reports to NCMEC per company (log scale)", y=1.02)
plt.show()

# %% [markdown]
# ## 2024 in context
# Each company's change from 2023 to 2024 (companies listed in both years), then all providers but
# Meta, then all providers. A large provider missing from the company map stops this table.

# %%
format_table(ncmec_context.company_changes())

# %%
split = ncmec_context.meta_and_the_rest()
format_table(split, decimals={"x_share_pct": 2})  # under 1% until 2022: two decimals tell the years apart

# %%
meta_part, meta_evidence = ncmec_context.meta_share_of_decline()
display(Markdown(house_typography(
    f"Meta's fall is **{format_percent(meta_part, 'en', 0, signed=False)}** of the fall in all provider reports "
    f"({evidence.DESCRIPTION[meta_evidence]['en']}): the other platforms' reports rose. NCMEC's own account of 2024 (bundling, incidents) is "
    "in the ledger as reported only: " + ", ".join(f"`{i}`" for i in ("ncmec-incidents-2024",
                                                                       "meta-fewer-incidents-2024",
                                                                       "report-act-2024")) + ".", "en")))

# %%
fig, ax = plt.subplots(figsize=(8, 3.2))
sns.lineplot(data=split, x="year", y="x_share_pct", marker="o", label="of all provider reports", ax=ax)
sns.lineplot(data=split, x="year", y="x_share_of_others_pct", marker="o", label="of all but Meta's", ax=ax)
ax.set(ylabel="X's share (%)", xlabel="")
plt.show()

# %% [markdown]
# ## France in NCMEC's table by country
# All platforms and the public together (NCMEC never crosses country with platform), per year.
# France's overseas departments and territories are rows of their own, added up below; a country
# name that is not NCMEC's exact label is refused (`france.reports_by_year("Réunion")` fails and
# names the file and the nearest row, "Reunion").

# %%
france_years = france.reports_by_year()
format_table(france_years, decimals={"share_pct": 2})  # under 1% of all reports every year

# %%
format_table(france.overseas_by_year())

# %%
fig, ax = plt.subplots(figsize=(7, 3))
sns.barplot(data=france_years, x="year", y="reports", color=style.OTHER, ax=ax)
ax.set(xlabel="", ylabel="reports concerning France")
plt.show()

# %% [markdown]
# ## X over time
# Reports per account suspended wherever both counts cover one period (`method` says which row is
# our subtraction), the second half of 2024 implied by the year minus the first half, and the
# automated share of X's first half as X printed it.

# %%
format_table(x_over_time.reports_per_suspension(), decimals={"reports_per_suspended_account": 3})

# %%
format_table(x_over_time.second_half_2024())

# %%
format_table(x_over_time.automated_shares())

# %% [markdown]
# ## The detection timeline
# Each event with its date at the precision known, who said it, the source and the evidence it
# rests on (primary, reported, unsourced). An event that names a ledger claim cites the claim's source.

# %%
events = timeline.events()[["start", "end", "label_en", "said_by", "evidence", "source_url", "ledger_claim"]]
format_table(events.assign(source_url=events["source_url"].map(claims.source_text)))  # an address not recorded says so

# %% [markdown]
# ## The ledger's context claims
# What `python -m analysis verify` checks for this notebook's figures.

# %%
context_ids = [c.id for c in claims.load() if c.kind == "context"] + [
    "ncmec-all-reports-2024-vs-2023", "meta-reports-2024-vs-2023", "non-meta-reports-2024-vs-2023",
    "x-share-of-non-meta-reports-2024", "france-ncmec-reports-2023", "france-overseas-reports-2023",
    "x-h2-2024-reports-implied", "x-h1-2024-suspensions-automated"]
print(claims.table([claims.evaluate(claims.claim(i)) for i in context_ids]))
