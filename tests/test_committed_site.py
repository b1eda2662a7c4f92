"""The built site is committed (``figures/``: galleries, chart and embed pages, notebook pages,
images, PDFs, CSVs, ``figures.json``) so that readers can open it without installing anything, and
it must be exactly what a fresh build writes: a chart, a page or a notebook's output that changed
without the site being rebuilt and committed fails here. It is also the build's reproducibility test:
the committed bytes were written by another build, in another process, on another day."""

import re
from pathlib import Path

from analysis import paths

NOT_THE_SITE = {"README.md"}  # figures/README.md says what the folder is; .cache/ is the build's own


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and ".cache" not in path.relative_to(folder).parts
            and path.relative_to(folder).as_posix() not in NOT_THE_SITE}


def test_the_committed_site_is_what_a_fresh_build_writes(site):
    out, _, _ = site
    committed = _files(paths.FIGURES)
    assert committed, "no built site in figures/: `make figures`, then commit figures/ (see README)"
    fresh = _files(out)
    assert sorted(set(committed) ^ set(fresh)) == []  # a page or file missing from one of them
    assert [name for name in fresh if committed[name] != fresh[name]] == []


def test_no_page_holds_what_varies_between_runs(site):
    """Two runs of the notebooks differ in execution times, temporary paths and object addresses:
    none of these reaches a page (measured: two runs' pages are the same bytes)."""
    out, _, _ = site
    varying = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|/tmp/|0x[0-9a-f]{8,}|" + re.escape(str(paths.ROOT)))
    found = {path.name: varying.search(path.read_text()).group() for path in out.rglob("*.html")
             if varying.search(path.read_text())}
    assert found == {}
