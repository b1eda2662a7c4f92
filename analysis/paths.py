"""Every path the project uses, in one place.

Code and notebooks import these names instead of writing ``../data`` literals, so the project runs
the same from the repository root, from ``notebooks/`` or from a test's temporary folder.

>>> from analysis import paths
>>> paths.RAW.relative_to(paths.ROOT).as_posix()
'data/raw'
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
DATAPACKAGE = DATA / "datapackage.json"
LEDGER = DATA / "claims.yaml"
CORRECTIONS = DATA / "corrections.yaml"  # the corrections log: date, what, why
UPDATES = ROOT / "updates"  # update reports (python -m analysis update)
FIGURES = ROOT / "figures"
CACHE = ROOT / ".cache"
DUCKDB_SPILL = CACHE / "duckdb"  # where DuckDB spills what exceeds its memory limit (sorts)
STAGING = CACHE / "staging"  # what `update` downloaded, never data/raw/ until accepted
REFERENCE_IMAGES = ROOT / "tests" / "reference"
SYNTHETIC = DATA / "synthetic"
PRIVATE = DATA / "private"
DSA = DATA / "dsa"  # ingested DSA Transparency Database (Parquet; large, not committed)
