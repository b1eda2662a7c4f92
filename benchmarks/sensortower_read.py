"""Sensor Tower CSV reading: peak memory and time of ``read_downloads`` against a plain reference,
both measured in this run, each in a fresh process so that its peak memory (ru_maxrss) is its own.

    .venv/bin/python benchmarks/sensortower_read.py --mb 50      # measures 50 MB and 2 × 50 MB

- ``loader``: ``sensortower.read_downloads`` (every check, the tidy frame);
- ``pandas``: the floor a careless reader pays, ``pd.read_csv`` of the whole file as text.

The file is a synthetic web export (ISO dates, 200 countries, thousands separators, a revenue
column). Goal: the loader's peak memory stays within 2× of the plain read and does not grow faster
than the file (memory per MB flat between the two sizes).

Measured here (2 shared cores): 50 MB → 2.4 M tidy rows in 6.3 s, peak 464 MB (plain read: 241 MB,
ratio 1.9); the loader before chunking took 28 s and 938 MB for 25 MB (5.4 s and 344 MB now).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = "Date,App ID,App Name,Country,iPhone Downloads,iPad Downloads,Android Downloads,Revenue (USD)\n"


def write_export(path: Path, megabytes: float) -> int:
    import pandas as pd

    countries = [f"{a}{b}" for a in "ABCDEFGHIJ" for b in "ABCDEFGHIJKLMNOPQRST"]
    rows = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for day in pd.date_range("2020-01-01", periods=60_000):
            block = "".join(f"{day.date()},synthetic-grok,Grok,{c},\"1,{i % 1000:03d}\",{i % 97},"
                            f"\"2,{i % 1000:03d}\",\"$1,000\"\n" for i, c in enumerate(countries))
            handle.write(block)
            rows += len(countries)
            if handle.tell() >= megabytes * 1e6:
                return rows
    return rows


def run_variant(variant: str, path: str) -> dict:
    start = time.perf_counter()
    if variant == "loader":
        from analysis.sources import sensortower

        rows = len(sensortower.read_downloads(path))
    else:
        import pandas as pd

        rows = len(pd.read_csv(path, dtype=str, keep_default_na=False))
    return {"seconds": time.perf_counter() - start, "rows": rows}


def measure(variant: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--variant", variant, "--path", str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--variant")
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.variant:
        result = run_variant(args.variant, args.path)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as work:
        for megabytes in (args.mb, 2 * args.mb):
            path = Path(work) / f"synthetic-export-{megabytes:g}mb.csv"
            write_export(path, megabytes)
            size = path.stat().st_size / 1e6
            loader, plain = measure("loader", path), measure("pandas", path)
            print(f"{size:.0f} MB, {loader['rows']:,} tidy rows: loader {loader['seconds']:.1f} s, "
                  f"peak {loader['peak_mb']:.0f} MB ({loader['peak_mb'] / size:.1f} MB per MB); "
                  f"plain read {plain['seconds']:.1f} s, peak {plain['peak_mb']:.0f} MB; "
                  f"memory ratio loader/plain {loader['peak_mb'] / plain['peak_mb']:.2f}")


if __name__ == "__main__":
    main()
