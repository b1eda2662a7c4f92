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
# European Commission's DSA Transparency Database, with a category (here: protection of minors),
# keywords, and whether detection was automated. We read the database's **published summary
# statistics** (real data: every platform, every daily release from 25 September 2023 to
# 10 January 2026, computed by a third party, shantay by R. Grimm), count X's statements on minors
# per month with their coverage, and compare June with October 2025. Then we show how a reporter
# with the daily dumps goes further (France in scope).
#
# **Why.** The −81.4% (X's reports concerning France, June → October 2025) comes from the Paris
# prosecutor and no public table can check it. The DSA database is the nearest public record of
# X's moderation in the same months, with caveats that travel with every number from it:
# **statements of reasons are not NCMEC reports** (they record decisions to restrict content, not
# reports to US authorities), **the scope is the EU**, not France, and **a day missing is not a
# zero**.
#
# Every number below is computed by the `analysis` package; this notebook only calls and shows.

# %%
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from analysis import claims, datapackage, factcheck, paths, verify
from analysis.dsa import ingest, query, stats, summary, synth
from analysis.formatting import format_number, format_table, house_typography
from analysis.series import dsa

pd.set_option("display.width", 160)


def prose(text: str) -> str:
    """What this notebook writes, in the house typography."""
    return house_typography(text, "en")


# %% [markdown]
# ## Where the numbers come from
# One file, shipped unchanged in `data/raw/dsa/` and checked against its sha256 on every read:
# shantay 0.6.0's `builtin.parquet`, pre-computed counts of the whole database per release day,
# platform, database column and value. Its producer and the original publisher are recorded in the
# data package.

# %%
resource = datapackage.resource(summary.RESOURCE)
{key: resource[key] for key in ("path", "evidence", "obtained", "accessed")} | {
    "producer": f"{resource['producer']['name']} {resource['producer']['version']} ({resource['producer']['author']})",
    "publisher": resource["sources"][1]["publisher"]}

# %% [markdown]
# ## Coverage first: X's statements on minors per month
# `days_in_database`: the database's release days in the month; `days_with_statements`: those on
# which X filed any statement at all. A month is `complete` only if the database has a release
# every day and X filed on each of them; only complete months are compared, and always as
# **daily means**. The same table comes out of `python -m analysis dsa stats --platform X --by month`.

# %%
months = dsa.minors_by_month("X")
format_table(months)

# %%
incomplete = months[~months["complete"]]
display(Markdown(prose(
    "Incomplete months (X filed on fewer days than the database has releases, or the database "
    "does not cover the whole month): "
    + ", ".join(f"{row.period} ({row.days_with_statements}/{row.days_in_database})"
                for row in incomplete.itertuples()) + ".")))

# %% [markdown]
# Stretches of a week or more in which X filed almost nothing (under a tenth of its median day).
# The last one starts on the day the database changed its submission schema, 1 July 2025
# (categories and keywords redefined): X is nearly silent until 27 August.

# %%
format_table(dsa.filing_gaps("X"))

# %% [markdown]
# ## June against October 2025
# Both months are complete. The ledger recomputes each figure and says whether it is verified.

# %%
ledger = [verify.evaluate(claims.claim(claim_id)) for claim_id in (
    "x-dsa-minors-daily-mean-2025-06", "x-dsa-minors-daily-mean-2025-10", "x-dsa-minors-daily-mean-2025-06-vs-10")]
for result in ledger:
    display(Markdown(factcheck.explanation(result)))

# %% [markdown]
# What this does and does not say:
#
# - it is the same months as the prosecutor's −81.4%, but **another measure**: EU-wide statements
#   of reasons, not X's reports to NCMEC concerning France. It neither confirms nor refutes it;
# - the two months sit **on either side of the schema change**: part of the change may be how
#   statements are categorised rather than how many decisions X takes;
# - the summary does not cross category with territory, so France is out of reach here (see the
#   last section).

# %% [markdown]
# ## Automated detection: what X declares
# Each statement says whether the content was detected by automated means. X answers "No" on every
# one of its statements, including after X Safety announced in-house hash matching (June 2025).
# The data say what X declared, not how X detects content.

# %%
detection = dsa.automated_detection_by_month("X")
display(Markdown(factcheck.explanation(verify.evaluate(claims.claim("x-dsa-automated-detection-share")))))
format_table(detection)

# %% [markdown]
# ## The keyword "child sexual abuse material", until the schema change
# Before 1 July 2025 nearly all of X's statements on minors carry the keyword
# `KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL`; after it the keywords were redefined and X stops giving it,
# so the series ends on 30 June 2025.

# %%
csam = dsa.csam_keyword_by_month("X")
display(Markdown(factcheck.explanation(verify.evaluate(claims.claim("x-dsa-csam-keyword-statements")))))
display(Markdown(prose(f"After the schema change: {format_number(dsa.csam_keyword_after_schema_change('X'), 'en')} "
                       "statements with the keyword, to 10 January 2026.")))
format_table(csam)

# %% [markdown]
# ## Going further with the daily dumps (France in scope)
# The Commission publishes every day's statements as a dump (`sor-global-YYYY-MM-DD-full.zip`,
# several GB zipped; the `full` files keep `territorial_scope`). With them, the same table can be
# restricted to statements whose territorial scope includes France:
#
# ```sh
# python -m analysis dsa ingest PATH/sor-global-2025-06-*-full.zip PATH/sor-global-2025-10-*-full.zip --out data/dsa
# python -m analysis dsa stats --data data/dsa --platform X --by month --territory FR
# ```
#
# `dsa stats --data` gives **the same columns with the same meaning** as the summary route above:
# `days_in_database` are the days ingested, so a month with one dump missing is incomplete and not
# compared. Both routes date a statement by the database's **release day** (the summary's
# `start_date`, the dumps' `date=` partition). `python -m analysis dsa query` dates by the
# statement's own **`created_at`**: a statement created on 30 June and released on 1 July counts in
# June there and in July here, so month totals from the two commands can differ at month edges, and
# a month's `created_at` count is only complete once the following days' dumps are ingested too.
#
# Below, the route on two **synthetic** dumps (made up, in the official layout, in a temporary
# folder: a demonstration of the commands, never a finding).

# %%
with tempfile.TemporaryDirectory() as folder:
    dumps, ingested = Path(folder) / "dumps", Path(folder) / "dsa"
    for day in ("2025-06-03", "2025-10-07"):
        ingest.ingest_dump(synth.synth_dump(day, 10_000, dumps), ingested, progress=False)
    synthetic_by_release_day = stats.from_dumps(ingested, platform="X", territory="FR")
    synthetic_by_created_at = query.query_duckdb(ingested, by="month", territory="FR")
    synthetic_with_additions = query.query_duckdb(ingested, by="month", territory="FR",
                                                  with_additional_categories=True)
display(Markdown(prose("**Synthetic data** — `dsa stats --data DIR --territory FR` (release day):")))
display(format_table(synthetic_by_release_day))
display(Markdown(prose("**Synthetic data** — `dsa query --data DIR --territory FR` (`created_at`), with the two "
                       "definitions of a statement on minors: its `category` is protection of minors (what our "
                       "figures count), or also those listing it among their `category_addition` "
                       "(`--with-additional-categories`):")))
for table in (synthetic_by_created_at, synthetic_with_additions):
    display(Markdown(prose(f"Counted by: **{table.attrs['definition']}**")))
    display(format_table(table))

# %% [markdown]
# Real dumps ingested into `data/dsa/`, if any (synthetic days are never shown as findings):

# %%
days = query.ingested_days(paths.DSA)
real_days = days[~days["synthetic"]]
if real_days.empty or days["synthetic"].any():
    display(Markdown(prose("No real dump ingested in `data/dsa/` (or synthetic days mixed in): nothing to show.")))
else:
    display(format_table(stats.from_dumps(paths.DSA, platform="X", territory="FR")))
