"""The EU DSA Transparency Database: platforms' statements of reasons, at scale.

- :mod:`.schema` — the Commission's vocabulary: columns, layouts, categories, territories;
- :mod:`.archive` — streaming, hardened access to the CSV parts inside a dump (zips of zips);
- :mod:`.release` — one day's release: its dump's name, date, variant, SHA-1 and parts;
- :mod:`.ingest` — dumps → Parquet partitioned by day and platform, streaming and atomic;
- :mod:`.summary`, :mod:`.stats` — the published summary statistics, and the coverage table;
- :mod:`.caveats` — what changes a table's meaning (synthetic input, the schema change, filing
  gaps, missing days), flagged in its rows and footer;
- :mod:`.query` — statements per period, platform and category, with DuckDB (default) or Spark;
- :mod:`.synth` — synthetic dumps in the exact official layout, for tests and benchmarks.

Statements of reasons are not NCMEC reports: they are what a platform files in the EU when it
restricts content, and their scope is the EU (territorial_scope lists member states).
"""
