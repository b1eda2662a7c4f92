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
# # 03 — X's statements of reasons on minors (EU DSA Transparency Database)
#
# **What.** Every time X restricts content in the EU it files a "statement of reasons" in the
# Commission's DSA Transparency Database, with a category (here: protection of minors), dates,
# whether detection and decision were automated, and the territorial scope (France included or
# not). We count X's statements on minors per month, and compare June with October 2025.
#
# **Why.** The −81.4 % comes from a prosecutor's statement nobody can check. The DSA database is
# public and is the nearest public record, with two caveats that must travel with any number
# from it: **statements of reasons are not NCMEC reports** (they record restrictions, not reports
# to US authorities), and **the scope is the EU**, not the world.
#
# The dumps are large (several GB a day, zipped), so they are not shipped. Ingest them with
# `python -m analysis dsa ingest sor-global-2025-06-*-full.zip --out data/dsa` (X only, by default).

# %%
from IPython.display import Markdown, display

from analysis import paths
from analysis.dsa import query
from analysis.formatting import house_typography


def prose(text: str) -> str:
    """What this notebook writes, in the house typography."""
    return house_typography(text, "en")


days = query.ingested_days(paths.DSA)  # empty when nothing is ingested
real_days = days[~days["synthetic"]]
if real_days.empty:
    display(Markdown(
        prose("**No real DSA dump has been ingested here**, so there is nothing to show yet"
        + (" (only synthetic days, which are never plotted)" if len(days) else "") + ". "
        "Download daily dumps from the Commission's DSA Transparency Database (the `full` files "
        "keep the territorial scope), then run:\n\n"
        "`python -m analysis dsa ingest PATH/sor-global-YYYY-MM-DD-full.zip … --out data/dsa`\n\n"
        "and run this notebook again. `make figures` then draws the monthly chart.")))
days

# %% [markdown]
# ## Per month, whole EU and scope including France

# %%
if not real_days.empty and not days["synthetic"].any():
    months = query.query_duckdb(paths.DSA, by="month")
    france = query.query_duckdb(paths.DSA, by="month", territory="FR")
    display(months)
    display(france)

# %% [markdown]
# ## June against October 2025
# Only meaningful when every day of both months has been ingested: the table above says how
# many days each month holds.

# %%
if not real_days.empty and not days["synthetic"].any():
    from analysis.changes import percent_change
    from analysis.formatting import format_percent

    per_month = france.groupby("period")["statements"].sum()
    if {"2025-06", "2025-10"} <= set(per_month.index):
        change = percent_change(per_month["2025-06"], per_month["2025-10"])
        display(Markdown(prose(f"Statements with France in scope, June → October 2025: "
                         f"{format_percent(change, 'en')} (statements of reasons, not NCMEC reports).")))
