"""Full chart build against a no-op rebuild, measured in the same run.

    .venv/bin/python benchmarks/figures.py

Prints the seconds of a full build into an empty folder (PDF-parsing cache cleared too), of a
no-op rebuild into the same folder, and their ratio, twice: inside one Python process, and as an
editor runs it, `python -m analysis figures` in a new process each time (imports included). The
goal: a no-op rebuild is near-instant (≥ 10× faster than a full build).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths
from analysis.charts import build


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    out = Path(tempfile.mkdtemp(prefix="figures-bench-"))
    cache_backup = None
    if paths.CACHE.exists():  # measure a cold build, then put the cache back
        cache_backup = Path(tempfile.mkdtemp(prefix="cache-backup-")) / "cache"
        shutil.move(paths.CACHE, cache_backup)
    command = [sys.executable, "-m", "analysis", "figures", "--out", str(out / "cli")]

    def cli() -> None:
        subprocess.run(command, check=True, capture_output=True)

    try:
        full = timed(lambda: build.build(build.LANGS, out / "in-process", log=lambda _: None))
        noop = timed(lambda: build.build(build.LANGS, out / "in-process", log=lambda _: None))
        shutil.rmtree(paths.CACHE, ignore_errors=True)
        cli_full, cli_noop = timed(cli), timed(cli)
    finally:
        shutil.rmtree(out, ignore_errors=True)
        if cache_backup is not None:
            shutil.rmtree(paths.CACHE, ignore_errors=True)
            shutil.move(cache_backup, paths.CACHE)
    print(f"in one process:  full build {full:6.2f} s, no-op rebuild {noop:5.2f} s: {full / noop:5.1f}× faster")
    print(f"command line:    full build {cli_full:6.2f} s, no-op rebuild {cli_noop:5.2f} s: "
          f"{cli_full / cli_noop:5.1f}× faster (cpu count {os.cpu_count()})")


if __name__ == "__main__":
    main()
