"""Full chart build against a no-op rebuild, measured in the same run.

    .venv/bin/python benchmarks/figures.py

Prints the seconds of a full build into an empty folder (PDF-parsing cache cleared too), of a
no-op rebuild into the same folder, and their ratio. The goal: a no-op rebuild is near-instant.
"""

import os
import shutil
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
    try:
        full = timed(lambda: build.build(build.LANGS, out, log=lambda _: None))
        noop = timed(lambda: build.build(build.LANGS, out, log=lambda _: None))
    finally:
        shutil.rmtree(out, ignore_errors=True)
        if cache_backup is not None:
            shutil.rmtree(paths.CACHE, ignore_errors=True)
            shutil.move(cache_backup, paths.CACHE)
    print(f"full build:      {full:6.2f} s")
    print(f"no-op rebuild:   {noop:6.2f} s")
    print(f"ratio:           {full / noop:6.1f}× faster (cpu count {os.cpu_count()})")


if __name__ == "__main__":
    main()
