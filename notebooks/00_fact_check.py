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
# # 00 — Fact-check of the article's figures
#
# **What.** Every figure in Next.ink's article of 5 February 2026, and the figures we derive
# from the data, with what it rests on (its *evidence*: a primary document, a third party's
# transcription, third-party statistics, a reported figure…), what our check found (its *verdict*:
# matches, contradicted, cannot be checked with public data, reported only) and the *status*
# readers see, derived from both: *verified* only where a figure matches a primary document.
#
# **Why.** Nothing we publish should rest on a number we have not checked or labelled. The
# ledger lives in `data/claims.yaml`; `python -m analysis verify` prints the same table and
# fails the build when a claim's verdict or evidence changes.

# %%
import pandas as pd
from IPython.display import Markdown, display

from analysis import factcheck, verify

results = verify.check_all()
pd.DataFrame([r.readers_row() for r in results])  # every value as we publish it

# %% [markdown]
# ## Each claim in plain words

# %%
for result in results:
    display(Markdown(factcheck.explanation(result)))
