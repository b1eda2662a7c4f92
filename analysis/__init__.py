"""The data desk's analysis package: X's and Grok's child-safety record, from raw documents to charts.

Each module holds one idea:

- :mod:`analysis.paths` — every path the project uses, in one place.
- :mod:`analysis.errors` — the one exception type for bad input, naming file, row and column.
- :mod:`analysis.files` — checksums and atomic writes.
- :mod:`analysis.datapackage` — the Frictionless Data Package that records provenance.
- :mod:`analysis.sources` — loaders, one module per publisher (NCMEC, X, …).
"""
