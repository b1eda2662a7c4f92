"""The EU DSA Transparency Database: platforms' statements of reasons, at scale.

- :mod:`.layout` — the official dump format: columns, file names, zips of zips;
- :mod:`.ingest` — dumps → Parquet partitioned by day and platform, streaming and atomic;
- :mod:`.query` — statements per period, platform and category, with DuckDB (default) or Spark;
- :mod:`.synth` — synthetic dumps in the exact official layout, for tests and benchmarks.

Statements of reasons are not NCMEC reports: they are what a platform files in the EU when it
restricts content, and their scope is the EU (territorial_scope lists member states).
"""
