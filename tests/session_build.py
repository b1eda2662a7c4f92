"""The build a test session shares: every notebook run once and rendered as `make figures` renders
it, then every chart in both languages and the gallery (most of a session's work).

Under pytest-xdist it runs in a process of its own (``tests/conftest.py``), started with the session
when the whole suite runs, else once a worker has collected (and kept) a test that needs it: the
workers go on with the other tests meanwhile (those needing the build come last), and whichever
needs it first waits. Its folder holds ``owner`` (the pid of the session's controller: the build
stops if it goes), ``site/`` (the build), one ``notebooks/<name>.ipynb`` per executed notebook,
``build.log``, and once all is written ``session.json`` (what each run read, the manifest, the
build's log), or ``failed.txt`` with the traceback.

    python tests/session_build.py FOLDER
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

STARTED, FAILED, DONE, OWNER, PID, LOG = "started", "failed.txt", "session.json", "owner", "pid", "build.log"
ROOT = Path(__file__).resolve().parents[1]


def build(site: Path) -> tuple[dict, list, list]:
    """Into ``site``: the notebooks' pages from one run each, then the charts and the gallery.
    Returns ``({notebook: (executed document, what its run read)}, manifest, log)``."""
    from analysis import fingerprints, methodology
    from analysis.charts import build as charts

    runs = {notebook: methodology.run(notebook) for notebook in methodology.notebooks()}
    state = fingerprints.State.now()
    for notebook, (document, reads) in runs.items():
        methodology.write_page(notebook, document, site)
        methodology.remember(notebook, reads, site, state)
    log = []
    manifest = charts.build(charts.LANGS, site, log=log.append)
    return runs, manifest, log


def _write_whole(path: Path, text: str) -> None:
    """``text`` at ``path``, or nothing there: a waiting worker never reads half of it."""
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(text)
    partial.rename(path)


def start(folder: Path) -> None:
    """Start the build in ``folder`` unless a process already has (of any worker: the first to
    create ``started`` does). It imports this checkout's ``analysis``, whatever the environment's
    editable install points to."""
    try:
        os.close(os.open(folder / STARTED, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    with open(folder / LOG, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, __file__, str(folder)], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,  # its kernels stop with it (os.killpg)
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))})
    _write_whole(folder / PID, str(process.pid))


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (one ended but not yet collected by its parent does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait(folder: Path, timeout: float = 1800.0) -> tuple[Path, dict, list, list]:
    """The finished build of ``folder``: ``(site, runs, manifest, log)``, as :func:`build` returns
    them. Raises at once, with the end of its log, when the build failed or its process ended."""
    import nbformat

    from analysis import tracking

    deadline = time.monotonic() + timeout
    while not (folder / DONE).exists():
        if (folder / FAILED).exists():
            raise RuntimeError(f"the session's build failed (its folder: {folder}):\n{(folder / FAILED).read_text()}")
        if (folder / PID).exists() and not alive(int((folder / PID).read_text())) and not (folder / DONE).exists():
            tail = "\n".join((folder / LOG).read_text(errors="replace").splitlines()[-20:])
            raise RuntimeError(f"the session's build (pid {(folder / PID).read_text()}) ended without finishing "
                               f"(killed?); the end of {folder / LOG}:\n{tail}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the session's build in {folder} did not finish within {timeout:g} s")
        time.sleep(0.2)
    record = json.loads((folder / DONE).read_text())
    runs = {Path(name): (nbformat.read(folder / "notebooks" / f"{Path(name).stem}.ipynb", as_version=4),
                         tracking.Reads.from_dict(reads)) for name, reads in record["reads"].items()}
    return folder / "site", runs, record["manifest"], record["log"]


def _stop_with_owner(folder: Path) -> None:
    """Stop the build (and its kernels) once the session's controller is gone: a run interrupted
    (a closed terminal, a cancelled CI job) leaves nothing running."""
    owner = int((folder / OWNER).read_text())
    while alive(owner):
        time.sleep(1)
    shutil.rmtree(folder, ignore_errors=True)  # nobody is left to remove it
    os.killpg(os.getpid(), signal.SIGTERM)


def main(folder: Path) -> None:
    import nbformat

    threading.Thread(target=_stop_with_owner, args=(folder,), daemon=True).start()
    try:
        (folder / "site").mkdir()
        runs, manifest, log = build(folder / "site")
        (folder / "notebooks").mkdir()
        for notebook, (document, _) in runs.items():
            nbformat.write(document, folder / "notebooks" / f"{notebook.stem}.ipynb")
        record = {"reads": {str(notebook): reads.as_dict() for notebook, (_, reads) in runs.items()},
                  "manifest": manifest, "log": log}
        _write_whole(folder / DONE, json.dumps(record))
    except BaseException:
        _write_whole(folder / FAILED, traceback.format_exc())
        raise


if __name__ == "__main__":
    main(Path(sys.argv[1]))
