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
# is set aside; France's CyberTipline reports by year with its overseas departments and territories listed apart,
# and X's referrals concerning France per half-year of 2024 (NCMEC's Global Platform, rounded);
# X's reports per account suspended, X's own two halves of 2024 set against the year's counts,
# and how much of X's first half was automated; the dated timeline around X's detection.
#
# **Why.** The article's numbers (−81%, 686,176) mean little without the series they sit on.
# NCMEC's totals fell in 2024 because Meta's did; X's share rose because Meta's fell. The only
# official yearly France series stops in 2023 and counts every platform together; X and France
# meet only in NCMEC's Global Platform, rounded, for the half-years of 2024.
#
# Every number comes from `analysis.series` (with its `evidence`); this notebook explores with
# seaborn, themed to the house style. The publication charts are drawn by `make figures`.

# %%
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import Markdown, display

from analysis import claims, evidence, factcheck, verify
from analysis.charts import style
from analysis.formatting import format_percent, format_table, house_typography
from analysis.series import france, france_referrals, ncmec_context, timeline, x_over_time

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
                   marker="o", height=2.2, aspect=1.4, color=style.COLOURS["others"], facet_kws={"sharey": True})
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
# All platforms and the public together (the table never crosses country with platform), per year.
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
sns.barplot(data=france_years, x="year", y="reports", color=style.COLOURS["France"], ax=ax)
ax.set(xlabel="", ylabel="reports concerning France")
plt.show()

# %% [markdown]
# ## X and France together: NCMEC's Global Platform, 2024
# The only public figures crossing X with France: X's reports concerning France that NCMEC classed
# as referrals, per half-year of 2024, rounded by NCMEC (`low` and `high`: where each can lie), and
# the change between the halves with the bounds the rounding allows. Referrals only, and 2024: the
# nearest public measure to the Paris prosecutor's June → October 2025 figure, not a check of it.

# %%
format_table(france_referrals.company_referrals())

# %%
format_table(pd.DataFrame([france_referrals.company_referrals_change().to_dict()]))

# %% [markdown]
# ## X over time
# Reports per account suspended wherever both counts cover one period (`evidence` says what each
# rests on); X's own two halves of 2024 (the second as transcribed from its 2025 report) and their
# sum against the year's counts: NCMEC's for reports (a little more than X's halves), X Safety's for
# suspensions (exactly X's halves); and the automated share of X's first half as X printed it.

# %%
format_table(x_over_time.reports_per_suspension(), decimals={"reports_per_100_suspended": 1})

# %%
format_table(x_over_time.halves_2024())

# %%
format_table(x_over_time.halves_against_year_2024())

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
    "x-h2-2024-reports", "x-halves-2024-reports-minus-ncmec", "x-halves-2024-suspensions",
    "x-h1-2024-suspensions-automated", "x-france-referrals-2024-h1-vs-h2", "gpcep-france-reports-total-2024"]
print(factcheck.table([verify.evaluate(claims.claim(i)) for i in context_ids]))
