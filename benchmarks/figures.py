"""`make figures` as an editor runs it: a full build against a no-op rebuild, in the same run.

    .venv/bin/python benchmarks/figures.py

Runs the Makefile's `figures` recipe (`make -s figures`, this Python, into an empty folder, the
PDF-parsing cache cleared: a build on a fresh clone), then the same command again three times with
nothing changed (the editor's everyday rebuild: every claim checked, notebooks and charts found
current). Prints each time, what the no-op printed and the no-op's share of the full build (the
median of the three). The goal: at most 5 %.
"""

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths

GOAL = 0.05


def make_figures_command(out: Path) -> list[str]:
    """The Makefile's `figures` recipe into ``out``, run by this Python (no set-up step)."""
    return ["make", "-s", "--no-print-directory", "figures", f"PY={sys.executable}", "FIGURES_STAMP=",
            f"FIGURES_OUT={out}"]


def make_figures(out: Path) -> tuple[float, str]:
    """Seconds `make figures` took into ``out``, and what it printed."""
    start = time.perf_counter()
    finished = subprocess.run(make_figures_command(out), cwd=paths.ROOT, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, finished.stdout + finished.stderr


@contextlib.contextmanager
def cache_set_aside():
    """The parsing cache moved away meanwhile (a cold build, as on a fresh clone), then put back as it was."""
    backup = None
    if paths.CACHE.exists():
        backup = Path(tempfile.mkdtemp(prefix="cache-backup-")) / "cache"
        shutil.move(paths.CACHE, backup)
    try:
        yield
    finally:
        shutil.rmtree(paths.CACHE, ignore_errors=True)
        if backup is not None:
            shutil.move(backup, paths.CACHE)


def main() -> None:
    out = Path(tempfile.mkdtemp(prefix="figures-bench-"))
    try:
        with cache_set_aside():
            full, _ = make_figures(out)
            noops = [make_figures(out) for _ in range(3)]
    finally:
        shutil.rmtree(out, ignore_errors=True)
    noop = statistics.median(seconds for seconds, _ in noops)
    printed = noops[-1][1].strip().splitlines()
    print(f"no-op printed {len(printed)} line(s): {printed[0] if printed else ''}")
    print(f"make figures: full build {full:6.1f} s, no-op rebuild {noop:5.2f} s (median of "
          f"{', '.join(f'{seconds:.2f}' for seconds, _ in noops)}): no-op / full = {noop / full:.1%} "
          f"(goal ≤ {GOAL:.0%}: {'met' if noop / full <= GOAL else 'not met'}; cpu count {os.cpu_count()})")


if __name__ == "__main__":
    main()
