"""Peak memory of the widest ``dsa stats`` request: a whole DataFrame against ours, side by side.

    .venv/bin/python benchmarks/dsa_stats_memory.py [--format csv|table] [--data DIR] [--rounds 1]

The widest request is every platform, every category, by day: 1.2 million rows from the shipped
summary (``--data DIR``: from dumps ingested there instead). Two jobs, each in a fresh process,
each writing its output to a file under ``.cache/bench/`` (compared, byte for byte):

- ``whole frame``: what a user would write, and what ``dsa stats`` did before: the table by one
  ``fetchdf()`` (:func:`analysis.dsa.stats.from_summary` / ``from_dumps``), its caveat columns
  added to the whole frame, then ``to_csv`` / ``to_string`` of it;
- ``ours``: ``python -m analysis dsa stats --platform all --category all --by day`` (batches of
  50,000 rows from DuckDB, its memory limited to 256 MB, spilling to ``.cache/duckdb/``).

Peak resident memory of each job from ``os.wait4`` (that process alone, its threads included) and
wall time; the ratio whole frame / ours. The outputs must be identical, or the script fails.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench" / "dsa-stats-memory"

WHOLE_FRAME = """
import sys
from analysis import spreadsheet
from analysis.dsa import caveats, stats
fmt, data = sys.argv[1], sys.argv[2] or None
if data is None:
    table = stats.from_summary(None, None, "day")
    coverage = caveats.of_summary(None)
else:
    table = stats.from_dumps(data, None, None, "day")
    coverage = caveats.of_dumps(data, filed_by_platform=False)
table = caveats.frame(table, coverage)
footer = table.attrs["footer"]
if fmt == "csv":
    sys.stdout.write(caveats.csv_head(footer) + spreadsheet.frame_text(table))
else:
    print(table.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    print("\\n" + "\\n".join(footer))
"""


def _run(command: list[str], out: Path) -> tuple[float, float]:
    """Peak resident MB and wall seconds of ``command``, its standard output into ``out``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    with out.open("wb") as handle:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"{' '.join(command[:4])}…: exit code {process.returncode}")
    return usage.ru_maxrss / 1024, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=["csv", "table"], default="csv")
    parser.add_argument("--data", type=Path, help="dumps ingested by `dsa ingest` (default: the summary)")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    data = str(args.data.resolve()) if args.data else ""
    ours = [sys.executable, "-m", "analysis", "dsa", "stats", "--platform", "all", "--category", "all",
            "--by", "day", "--format", args.format] + (["--data", data] if data else [])
    jobs = {"whole frame": [sys.executable, "-c", WHOLE_FRAME, args.format, data], "ours": ours}
    print(f"widest `dsa stats` request, --format {args.format}, from {data or 'the shipped summary'}")
    peaks: dict[str, list[float]] = {name: [] for name in jobs}
    for round_number in range(args.rounds):
        outputs = {}
        for name, command in jobs.items():
            outputs[name] = CACHE / f"{name.replace(' ', '-')}.{args.format}"
            peak, seconds = _run(command, outputs[name])
            peaks[name].append(peak)
            print(f"round {round_number + 1}  {name:<12} peak {peak:8.0f} MB  {seconds:7.1f} s  "
                  f"{outputs[name].stat().st_size / 1e6:.0f} MB written")
        if not filecmp.cmp(outputs["whole frame"], outputs["ours"], shallow=False):
            sys.exit("the two outputs differ")
    whole, our = max(peaks["whole frame"]), max(peaks["ours"])
    print(f"peak: whole frame {whole:.0f} MB, ours {our:.0f} MB; ratio whole frame / ours {whole / our:.1f}×"
          " (outputs identical)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
