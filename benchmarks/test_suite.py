"""The whole test suite against one full chart build, measured in the same run.

    .venv/bin/python benchmarks/test_suite.py [pytest arguments]

Runs, one after the other in new processes: `python -m analysis figures` into an empty folder
(the parsing cache cleared: a cold build, as on a fresh clone), then `python -m pytest` as
`make test` runs it (ruff is seconds and left out). Prints the wall time of each and their
ratio, and the same for the processor time they used (user + system, children included): on a
machine shared with other work the wall times stretch with the load, the processor times much less.
The goal: the suite takes at most 4× one full build.
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


def main(pytest_args: list[str]) -> None:
    out = Path(tempfile.mkdtemp(prefix="suite-bench-"))
    cache_backup = None
    if paths.CACHE.exists():  # a cold build, then the cache put back
        cache_backup = Path(tempfile.mkdtemp(prefix="cache-backup-")) / "cache"
        shutil.move(paths.CACHE, cache_backup)
    try:
        build = timed([sys.executable, "-m", "analysis", "figures", "--out", str(out)])
    finally:
        shutil.rmtree(out, ignore_errors=True)
        if cache_backup is not None:
            shutil.rmtree(paths.CACHE, ignore_errors=True)
            shutil.move(cache_backup, paths.CACHE)
    suite = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args])
    ratio = suite[0] / build[0]
    print(f"full build {build[0]:6.1f} s; test suite {suite[0]:6.1f} s: {ratio:4.1f}× the build "
          f"(goal ≤ {GOAL:g}×: {'met' if ratio <= GOAL else 'not met'}; cpu count {os.cpu_count()}; "
          f"load average {os.getloadavg()[0]:.1f})")
    print(f"processor time: full build {build[1]:6.1f} s; test suite {suite[1]:6.1f} s: "
          f"{suite[1] / build[1]:4.1f}× the build")


if __name__ == "__main__":
    main(sys.argv[1:])
