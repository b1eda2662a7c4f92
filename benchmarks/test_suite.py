"""The whole test suite against one full chart build, measured in the same run.

    .venv/bin/python benchmarks/test_suite.py [pytest arguments]

Runs, one after the other in new processes: `python -m analysis figures` (every chart in both
languages and the gallery, but not the notebooks, which `make figures` has always run: the
baseline this script used until 2026-12-04) into an empty folder, the parsing cache cleared (a
cold build, as on a fresh clone); then `make figures` (the Makefile's recipe: the claims checked,
every notebook run and rendered, every chart in both languages, the gallery: the full build
`benchmarks/figures.py` times too), also cold; then `python -m pytest` as `make test` runs it
(ruff is seconds and left out). Prints the wall time of each, the suite's ratio to each build,
and the same for the processor time they used (user + system, children included): on a machine
shared with other work the wall times stretch with the load, the processor times much less. The
goal: the suite takes at most 4× one full build.
"""

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths
from figures import cache_set_aside, make_figures_command  # benchmarks/figures.py, beside this script

GOAL = 4.0


def _processor_seconds() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and processor seconds of ``command`` (and every process it started)."""
    start, processor = time.perf_counter(), _processor_seconds()
    finished = subprocess.run(command, cwd=paths.ROOT, stdout=subprocess.DEVNULL)
    if finished.returncode:  # a time of a run that failed measures nothing worth a ratio
        sys.exit(f"{' '.join(command[1:])} failed (exit {finished.returncode}) after "
                 f"{time.perf_counter() - start:.0f} s")
    return time.perf_counter() - start, _processor_seconds() - processor


def cold_build(command_into) -> tuple[float, float]:
    """Wall and processor seconds of ``command_into(folder)``: a build into an empty folder, cold."""
    out = Path(tempfile.mkdtemp(prefix="suite-bench-"))
    try:
        with cache_set_aside():
            return timed(command_into(out))
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main(pytest_args: list[str]) -> None:
    charts_only = cold_build(lambda out: [sys.executable, "-m", "analysis", "figures", "--out", str(out)])
    full = cold_build(make_figures_command)  # second: what the first warmed (the disk's cache) helps the goal's baseline
    suite = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args])
    ratio = suite[0] / full[0]
    print(f"make figures {full[0]:6.1f} s; test suite {suite[0]:6.1f} s: {ratio:4.1f}× the full build "
          f"(goal ≤ {GOAL:g}×: {'met' if ratio <= GOAL else 'not met'}; cpu count {os.cpu_count()}; "
          f"load average {os.getloadavg()[0]:.1f})")
    print(f"without the notebooks (analysis figures, the baseline until 2026-12-04) {charts_only[0]:6.1f} s: "
          f"{suite[0] / charts_only[0]:4.1f}×")
    print(f"processor time: make figures {full[1]:6.1f} s, without the notebooks {charts_only[1]:6.1f} s; "
          f"test suite {suite[1]:6.1f} s: {suite[1] / full[1]:4.1f}× and {suite[1] / charts_only[1]:4.1f}×")


if __name__ == "__main__":
    main(sys.argv[1:])
