"""One private folder per run, and cleaning up after killed runs: a run works in its own
``DIR/.ingest-*`` folder, held by a lock; a run that was killed leaves that folder behind, and the
next run removes it (putting back a day it had moved aside)."""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid as uuidlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RUN_PREFIX = ".ingest-"


@contextmanager
def run_folder(out_dir: Path) -> Iterator[Path]:
    """A private ``out_dir/.ingest-TOKEN`` folder, held by an exclusive lock on
    ``.ingest-TOKEN.lock`` for as long as this run lives; the folders of dead runs are cleaned
    first (:func:`recover`). The folder is removed when the run ends, whatever the outcome."""
    recover(out_dir)
    while True:
        token = uuidlib.uuid4().hex[:12]
        lock_path = out_dir / f"{RUN_PREFIX}{token}.lock"
        handle = open(lock_path, "w")
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:  # a concurrent recover() may have removed the file before we locked it
            if os.fstat(handle.fileno()).st_ino == os.stat(lock_path).st_ino:
                break
        except FileNotFoundError:
            pass
        handle.close()
    run = out_dir / f"{RUN_PREFIX}{token}"
    try:
        run.mkdir()
        yield run
    finally:
        shutil.rmtree(run, ignore_errors=True)
        lock_path.unlink(missing_ok=True)
        handle.close()


def recover(out_dir: Path) -> list[str]:
    """Remove what killed runs left in ``out_dir`` (their lock is free): staging, scratch, and a
    day moved aside but not yet replaced goes back into place. Returns what was done."""
    done = []
    for lock_path in sorted(Path(out_dir).glob(f"{RUN_PREFIX}*.lock")):
        with open(lock_path, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live run
            run = lock_path.with_suffix("")
            for moved in sorted((run / "trash").glob("date=*")):
                target = Path(out_dir) / moved.name
                if not target.exists():
                    moved.rename(target)
                    done.append(f"restored {target.name} from a killed run")
            shutil.rmtree(run, ignore_errors=True)
            lock_path.unlink(missing_ok=True)
            done.append(f"removed {run.name}")
    return done


def replace_day(staging: Path, target: Path, run: Path) -> None:
    """Swap a finished day into place by renames: readers see the old day or the new, never half;
    if the run dies between the two renames, :func:`recover` puts the old day back."""
    trash = run / "trash"
    trash.mkdir()
    if target.exists():
        target.rename(trash / target.name)
    staging.rename(target)
    shutil.rmtree(trash, ignore_errors=True)
