"""The build a test session shares: every notebook run once and rendered as `make figures` renders
it, then every chart in both languages and the gallery (most of a session's work).

Under pytest-xdist it runs in a process of its own (``tests/conftest.py``), started with the session
when the whole suite runs, else once a worker has collected a test that needs it: the workers go on
with the other tests meanwhile (those needing the build come last), and whichever needs it first waits. Its folder holds ``site/`` (the build), one
``notebooks/<name>.ipynb`` per executed notebook, ``session.json`` (what each run read, the
manifest, the build's log) once all is written, or ``failed.txt`` with the traceback.

    python tests/session_build.py FOLDER
"""

import json
import os
import sys
import time
import traceback
from pathlib import Path

STARTED, FAILED, DONE = "started", "failed.txt", "session.json"


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


def claim(folder: Path) -> bool:
    """True for the one caller (of any process) that should start the build in ``folder``."""
    try:
        os.close(os.open(folder / STARTED, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def wait(folder: Path, timeout: float = 1800.0) -> tuple[Path, dict, list, list]:
    """The finished build of ``folder``: ``(site, runs, manifest, log)``, as :func:`build` returns them."""
    import nbformat

    from analysis import tracking

    deadline = time.monotonic() + timeout
    while not (folder / DONE).exists():
        if (folder / FAILED).exists():
            raise RuntimeError(f"the session's build failed:\n{(folder / FAILED).read_text()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the session's build in {folder} did not finish within {timeout:g} s")
        time.sleep(0.2)
    record = json.loads((folder / DONE).read_text())
    runs = {Path(name): (nbformat.read(folder / "notebooks" / f"{Path(name).stem}.ipynb", as_version=4),
                         tracking.Reads.from_dict(reads)) for name, reads in record["reads"].items()}
    return folder / "site", runs, record["manifest"], record["log"]


def main(folder: Path) -> None:
    import nbformat

    try:
        (folder / "site").mkdir()
        runs, manifest, log = build(folder / "site")
        (folder / "notebooks").mkdir()
        for notebook, (document, _) in runs.items():
            nbformat.write(document, folder / "notebooks" / f"{notebook.stem}.ipynb")
        record = {"reads": {str(notebook): reads.as_dict() for notebook, (_, reads) in runs.items()},
                  "manifest": manifest, "log": log}
        (folder / "session.tmp").write_text(json.dumps(record))
        (folder / "session.tmp").rename(folder / DONE)  # whole, or not there
    except BaseException:
        (folder / FAILED).write_text(traceback.format_exc())
        raise


if __name__ == "__main__":
    main(Path(sys.argv[1]))
