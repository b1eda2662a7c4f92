"""DSA ingest + aggregate throughput and peak memory, against two references measured in the same run.

    .venv/bin/python benchmarks/dsa_ingest.py --rows 1000000      # measures N and 10·N rows

For each size, a synthetic full dump (zip of zips, realistic row sizes) is generated, then three
variants run, each in a fresh process so that its peak memory (ru_maxrss) is its own:

- ``duckdb``: our pipeline, ``ingest_dump`` (X only) then ``query_duckdb`` by month;
- ``pandas``: the straightforward baseline, each CSV part read whole by pandas, filtered, grouped;
- ``scan``: the floor, each part decompressed and counted by DuckDB (``count(*)``), nothing else.

The pandas baseline decompresses the parts one at a time (``archive.csv_parts``); the DuckDB ones
decompress and read two parts at a time (``archive.map_parts``). Secondary context since issue 14:
the goals are set against the peer tool, shantay, in ``benchmarks/dsa_peer.py``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_variant(variant: str, dump: str, work: str) -> dict:
    from analysis.dsa import archive, ingest, query, schema

    start = time.perf_counter()
    if variant == "duckdb":
        ingest.ingest_dump(dump, Path(work) / "parquet", progress=False, log=lambda _: None)
        result = int(query.query_duckdb(Path(work) / "parquet")["statements"].sum())
    elif variant == "pandas":
        import pandas as pd

        counts = []
        for part in archive.csv_parts(dump, Path(work)):
            frame = pd.read_csv(part.path)
            part.release()
            frame = frame[(frame["platform_name"] == "X") & (frame["category"] == schema.MINORS)]
            counts.append(frame.groupby(frame["created_at"].str[:7]).size())
        result = int(pd.concat(counts).sum())
    else:
        result = ingest.count_rows(dump, Path(work))
    seconds = time.perf_counter() - start
    return {"variant": variant, "seconds": seconds, "result": result,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child(*args: str) -> str:
    """Run this script in a fresh process. The parent stays small: Linux carries a parent's peak
    resident size into its children (ru_maxrss survives fork and exec), so a parent that had
    generated the dump itself would inflate every child's reading."""
    return subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          check=True).stdout.strip().splitlines()[-1]


def measure(variant: str, dump: Path) -> dict:
    with open(dump, "rb") as handle:  # the same warm page cache for every variant, whatever its turn
        while handle.read(1 << 24):
            pass
    with tempfile.TemporaryDirectory(dir=dump.parent) as work:
        return json.loads(child("--child", variant, str(dump), work))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="N; also measures 10·N")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--synth", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="1,10", help="multiples of N to measure (default 1,10)")
    parser.add_argument("--x-tenths", type=int, default=1,
                        help="X's share of the synthetic rows, in tenths (default 1: X files a small "
                             "share of all statements)")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_variant(*args.child)))
        return
    if args.synth:
        from analysis.dsa import synth

        rows, folder, x_tenths = args.synth
        print(synth.synth_dump("2025-07-01", int(rows), folder, x_tenths=int(x_tenths)))
        return

    root = Path(tempfile.mkdtemp(prefix="dsa-bench-"))
    try:
        print(f"{'rows':>12} {'variant':>8} {'seconds':>9} {'rows/s':>12} {'peak MB':>9}  result")
        summary = {}
        for multiple in (int(m) for m in args.sizes.split(",")):
            rows = args.rows * multiple
            dump = Path(child("--synth", str(rows), str(root / f"n{rows}"), str(args.x_tenths)))
            for variant in ("duckdb", "pandas", "scan"):
                m = measure(variant, dump)
                summary[(rows, variant)] = m
                print(f"{rows:>12,} {variant:>8} {m['seconds']:>9.2f} {rows / m['seconds']:>12,.0f} "
                      f"{m['peak_mb']:>9.0f}  {m['result']:,}")
            duck, pandas_, scan = (summary[(rows, v)]["seconds"] for v in ("duckdb", "pandas", "scan"))
            print(f"{rows:>12,} ratios: duckdb is {pandas_ / duck:.1f}× pandas; {duck / scan:.2f}× the bare scan")
            shutil.rmtree(dump.parent)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
