"""The notebooks as static HTML pages for readers: executed top to bottom, then exported, so that a
reader can follow each number's derivation without installing anything.

Pages use nbconvert's ``basic`` template inside our own page: no script and nothing fetched from
the web (the full templates load MathJax and require.js from CDNs). Each page is written
atomically; :func:`pages` lists the pages present for the gallery.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from html import escape
from pathlib import Path

from analysis import paths
from analysis.files import refuse_links, write_text

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


def execute(notebook: Path):
    """The notebook run top to bottom in ``notebooks/``, as a reader would, with its outputs."""
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor

    document = nbformat.read(notebook, as_version=4)
    with _kernel_imports_this_checkout():
        ExecutePreprocessor(timeout=TIMEOUT, kernel_name="python3").preprocess(
            document, {"metadata": {"path": str(NOTEBOOKS)}})
    return document


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


def render(out_dir: Path = paths.FIGURES, log=print) -> list[Path]:
    """Execute every notebook (in ``notebooks/``, as a reader would) and write
    ``out_dir/notebooks/<name>.html``; return the pages written."""
    written = []
    for notebook in notebooks():
        page = write_page(notebook, execute(notebook), out_dir)
        log(f"rendered    {page.relative_to(out_dir).as_posix()}")
        written.append(page)
    return written


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
