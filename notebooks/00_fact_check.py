# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 00 — Fact-check of the article's figures
#
# **What.** Every figure in Next.ink's article of 5 February 2026, and the figures we derive
# from the data, with the status our data give it: *verified*, *contradicted*, *reported-only*
# (only the person who said it vouches for it) or *unverifiable*.
#
# **Why.** Nothing we publish should rest on a number we have not checked or labelled. The
# ledger lives in `data/claims.yaml`; `python -m analysis verify` prints the same table and
# fails the build when a claim's status changes.

# %%
import pandas as pd
from IPython.display import Markdown, display

from analysis import claims

results = claims.check_all()
pd.DataFrame([r.as_dict() for r in results])[
    ["id", "published", "computed", "status", "expected", "source", "period"]]

# %% [markdown]
# ## Each claim in plain words

# %%
for result in results:
    display(Markdown(claims.explanation(result)))
