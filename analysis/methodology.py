"""The notebooks as static HTML pages for readers: executed top to bottom, then exported, so that a
reader can follow each number's derivation without installing anything.

Pages use nbconvert's ``basic`` template inside our own page: no script and nothing fetched from
the web (the full templates load MathJax and require.js from CDNs). Each page is written
atomically; :func:`pages` lists the pages present for the gallery.

A notebook is run again only when its page would change, as a chart is drawn again
(:mod:`analysis.charts.build`): its page is current while the notebook's source, the package's
modules it imports (directly or not), what its run read (:mod:`analysis.tracking`, recorded inside
the kernel), the data files the package does not record (the synthetic examples, ingested DSA
days) and the installed environment are all as they were. The record is
``<out>/.cache/notebooks.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from contextlib import contextmanager
from functools import cache
from html import escape
from importlib import metadata
from pathlib import Path

from analysis import codebase, datapackage, fingerprints, paths, tracking
from analysis.files import refuse_links, sha256, write_text

NOTEBOOKS = paths.ROOT / "notebooks"
FOLDER = "notebooks"  # inside the figures folder
TIMEOUT = 600  # seconds a cell may take

# The pages' colours, defined once: every text and ground pair the pages use is held to WCAG AA
# (4.5:1) by a test (tests/test_gallery.py) that computes each pair as the style sheets use it.
PALETTE = {"text": "#222222", "muted": "#4A4A4A", "ground": "#FFFFFF", "link": "#0B4F8A", "rule": "#D0D0D0",
           "focus": "#B34700", "code": "#F3F3F3", "pill_text": "#FFFFFF"}
STYLE = """\
body {{ font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem;
       color: {text}; background: {ground}; line-height: 1.45; }}
a {{ color: {link}; }} a:focus-visible, summary:focus-visible {{ outline: 3px solid {focus}; outline-offset: 2px; }}
h1, h2, h3 {{ break-after: avoid; page-break-after: avoid; }}
@media print {{ .nav {{ display: none; }} a {{ color: {text}; }} }}
""".format(**PALETTE)
NOTEBOOK_STYLE = """\
pre, code {{ font-family: "DejaVu Sans Mono", monospace; font-size: .85rem; }}
.jp-InputArea, .input_area, .jp-CodeCell .jp-InputArea {{ background: {code}; padding: .3rem .6rem; overflow-x: auto; }}
.jp-InputPrompt, .jp-OutputPrompt {{ display: none; }}
table {{ border-collapse: collapse; font-size: .85rem; }} th, td {{ padding: .2rem .5rem; border-bottom: 1px solid {rule}; }}
img {{ max-width: 100%; height: auto; }}
.jp-OutputArea-output {{ overflow-x: auto; }}
""".format(**PALETTE)
# Our pages run no script and load nothing but their own images (the gallery's PNGs beside it, a
# notebook's figures inline as data: URLs) and inline style: a browser is told so, and would refuse
# a script or handler that reached a page through data despite the escaping.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
BACK = ('<nav class="nav"><a href="../index.html">← Charts and fact-check</a> · '
        '<a href="../index.fr.html" hreflang="fr" lang="fr">← Graphiques et vérification</a> · '
        '<a href="../corrections.html">Corrections</a></nav>')


def html_page(title: str, body: str, lang: str = "en", style: str = "") -> str:
    """One published HTML page (the gallery's and each notebook's): the house head and font, the
    page's own ``style`` rules after it. ``title`` and ``body`` are HTML already escaped."""
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f"<style>\n{STYLE}{style}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def notebooks() -> list[Path]:
    """The numbered notebooks, in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def title(notebook: Path) -> str:
    """A notebook's first heading (its first cell starts with "# "), read from the JSON itself:
    the gallery asks for it on every build, and nbformat's validation takes seconds to import."""
    source = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"][0]["source"]
    first = "".join(source) if isinstance(source, list) else source
    return first.splitlines()[0].lstrip("# ").strip()


# Cells run before and after the notebook's own, then removed: the kernel records what the run
# reads, and prints it as JSON at the end.
_START_RECORDING = "__analysis_reads = __import__('analysis.tracking').tracking.start_recording()"
_PRINT_READS = "print(__import__('json').dumps(__analysis_reads.as_dict()))"


def execute(notebook: Path, verbose: bool = True):
    """The notebook run top to bottom in ``notebooks/``, as a reader would, with its outputs."""
    return run(notebook, verbose)[0]


def run(notebook: Path, verbose: bool = True) -> tuple:
    """:func:`execute`'s document, and what the run read. Unless ``verbose``, the kernel logs only
    its errors (it warns on every start that it listens on loopback TCP)."""
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor

    document = nbformat.read(notebook, as_version=4)
    document.cells = [nbformat.v4.new_code_cell(_START_RECORDING), *document.cells,
                      nbformat.v4.new_code_cell(_PRINT_READS)]
    quiet = [] if verbose else ["--IPKernelApp.log_level=ERROR"]
    with _kernel_imports_this_checkout():
        ExecutePreprocessor(timeout=TIMEOUT, kernel_name="python3", extra_arguments=quiet).preprocess(
            document, {"metadata": {"path": str(NOTEBOOKS)}})
    last = document.cells.pop()
    document.cells.pop(0)
    reads = tracking.Reads.from_dict(json.loads("".join(
        output["text"] for output in last.outputs if output.get("name") == "stdout")))
    return document, reads


@contextmanager
def _kernel_imports_this_checkout():
    """The kernel runs in ``notebooks/``, where ``import analysis`` would find whichever checkout
    the environment was installed from (an editable install in another worktree): put this one first."""
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, (str(paths.ROOT), before)))
    try:
        yield
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before


def prose(document) -> list[str]:
    """The Markdown an executed notebook's code wrote (``display(Markdown(...))``)."""
    return [output["data"]["text/markdown"] for cell in document.cells if cell.cell_type == "code"
            for output in cell.get("outputs", []) if "text/markdown" in output.get("data", {})]


def render(out_dir: Path = paths.FIGURES, log=print, verbose: bool = False,
           state: fingerprints.State | None = None) -> list[Path]:
    """Execute every notebook whose page is not current (in ``notebooks/``, as a reader would) and
    write ``out_dir/notebooks/<name>.html``; return the pages written."""
    out_dir = Path(out_dir)
    state = state or fingerprints.State.now()
    written = []
    for notebook in notebooks():
        page = out_dir / FOLDER / f"{notebook.stem}.html"
        if current(notebook, out_dir, state):
            log(f"up to date  {page.relative_to(out_dir).as_posix()}")
            continue
        document, reads = run(notebook, verbose)
        write_page(notebook, document, out_dir)
        remember(notebook, reads, out_dir, state)
        log(f"rendered    {page.relative_to(out_dir).as_posix()}")
        written.append(page)
    return written


def _record(out_dir: Path) -> Path:
    return Path(out_dir) / ".cache" / "notebooks.json"


def _saved(out_dir: Path) -> dict:
    return json.loads(_record(out_dir).read_text()) if _record(out_dir).exists() else {}


def remember(notebook: Path, reads: tracking.Reads, out_dir: Path, state: fingerprints.State) -> None:
    """Record the page just written for ``notebook`` in ``out_dir`` (:func:`write_page`), from a
    run that read ``reads`` with the code and ledger of ``state``."""
    saved = _saved(out_dir)
    page = Path(out_dir) / FOLDER / f"{Path(notebook).stem}.html"
    saved[Path(notebook).stem] = {"fingerprint": fingerprint(notebook, reads, state), "page": sha256(page),
                                  "reads": reads.as_dict()}
    write_text(_record(out_dir), json.dumps(saved, indent=1, ensure_ascii=False, sort_keys=True))


def current(notebook: Path, out_dir: Path, state: fingerprints.State) -> bool:
    """Whether the page in ``out_dir`` is still what running ``notebook`` would write (it is
    intact, and nothing its run depended on changed)."""
    entry = _saved(out_dir).get(Path(notebook).stem)
    page = Path(out_dir) / FOLDER / f"{Path(notebook).stem}.html"
    return bool(entry) and page.exists() and sha256(page) == entry["page"] and entry["fingerprint"] == fingerprint(
        notebook, tracking.Reads.from_dict(entry["reads"]), state)


def fingerprint(notebook: Path, reads: tracking.Reads, state: fingerprints.State) -> str:
    """A hash of everything a notebook's page depends on, given what its run read: besides the
    reads, the modules its cells import (and this module, which writes the page), its source,
    the data files the package does not record and the environment."""
    source = Path(notebook).read_bytes()
    cells = "\n".join(cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                      for cell in json.loads(source)["cells"] if cell["cell_type"] == "code")
    modules = (*sorted(codebase.imported_by(cells)), __name__)
    parts = {"reads": fingerprints.fingerprint(f"notebook/{Path(notebook).stem}", modules, reads, state),
             "source": hashlib.sha256(source).hexdigest(), "unrecorded data": _unrecorded_data(),
             "environment": _environment()}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _unrecorded_data() -> dict[str, list[int]]:
    """Size and modification time of each file under ``data/`` that no tracked read covers: not
    the package, the ledger or a file the package records (a notebook reads the synthetic
    examples and any DSA days ingested in ``data/dsa/`` directly)."""
    recorded = {paths.DATAPACKAGE.resolve(), paths.LEDGER.resolve()} | {
        (paths.DATAPACKAGE.parent / entry["path"]).resolve() for entry in datapackage.resources()}
    found = {}
    for path in sorted(paths.DATA.rglob("*")):
        if path.is_file() and path.resolve() not in recorded:
            stat = path.stat()
            found[path.relative_to(paths.DATA).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return found


@cache
def _environment() -> dict:
    """The Python and every installed distribution's version: a kernel may import any of them.
    A set: run from the project's folder, the editable install's metadata is found twice (its
    ``.egg-info`` there too), and the pages must not go stale with the folder a build starts from."""
    return {"python": sys.version, "distributions": sorted(
        {f"{dist.metadata['Name']}=={dist.version}" for dist in metadata.distributions()})}


def write_page(notebook: Path, document, out_dir: Path) -> Path:
    """Write one executed notebook (:func:`execute`) as ``out_dir/notebooks/<name>.html``."""
    refuse_links(out_dir, FOLDER)  # a linked folder would take the page outside out_dir
    body, _ = _exporter().from_notebook_node(document)
    page = Path(out_dir) / FOLDER / f"{notebook.stem}.html"
    write_text(page, html_page(escape(title(notebook)), f"{BACK}\n{body}", style=NOTEBOOK_STYLE))
    return page


def _exporter():
    """nbconvert's HTML exporter, its Markdown made inert: the prose a notebook's code writes
    (:func:`prose`, a claim's explanation) quotes the ledger's sentences and notes, so raw HTML in
    any Markdown is shown as text and a link to anything but a web address (``javascript:``…) goes
    nowhere. nbconvert renders Markdown with ``escape=False`` and harmful protocols allowed."""
    from jinja2 import pass_context
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class InertMarkdown(HTMLExporter):
        @pass_context
        def markdown2html(self, context, source):  # HTMLExporter's, with escape and safe links
            renderer = IPythonRenderer(
                escape=True, allow_harmful_protocols=False,
                attachments=context.get("cell", {}).get("attachments", {}), embed_images=self.embed_images,
                path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                anchor_link_text=self.anchor_link_text, exclude_anchor_links=self.exclude_anchor_links,
                **self.lexer_options)
            return MarkdownWithMath(renderer=renderer).render(source)

    return InertMarkdown(template_name="basic")


def pages(out_dir: Path) -> list[tuple[str, str]]:
    """``(link, title)`` of each rendered notebook page in ``out_dir``, in notebook order."""
    return [(f"{FOLDER}/{notebook.stem}.html", title(notebook)) for notebook in notebooks()
            if (Path(out_dir) / FOLDER / f"{notebook.stem}.html").exists()]
