"""Render one chart in one language: SVG and PNG (web size, and phone size as ``<id>.phone.svg``
and ``.png``), PDF (print size), and the CSV of the marks it draws (the readers' download).

Each size is drawn on its own, with its own type scale (:func:`analysis.charts.style.sized`), and
its layout is checked before anything is written (:mod:`.layout`): a chart whose texts collide,
run off the page or are set smaller than the size allows is refused. SVG texts are ``<text>``
in the house font, under a ``<title>`` and ``<desc>`` (the chart's title and alt text). Files carry no date and no software version, and SVG ids come from
a fixed salt, so the same inputs give the same bytes. Each file is written atomically.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis import spreadsheet, tracking
from analysis.charts import layout, style
from analysis.charts.chart import Chart, readers_table
from analysis.charts.style import Texts
from analysis.files import atomic_write, sha256
from analysis.formatting import house_typography

CREDIT = {"fr": "Cellule data", "en": "Data desk"}
FORMATS = ((style.WEB, ("svg", "png")), (style.PHONE, ("svg", "png")), (style.PRINT, ("pdf",)))

# Metadata keys matplotlib would otherwise fill with dates and versions.
METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def titled_svg(svg: bytes, texts: Texts) -> bytes:
    """The SVG with the chart's title as its ``<title>`` and its alt text as its ``<desc>``, the
    root's first children (what screen readers and search read), XML-escaped. The same bytes in,
    the same bytes out.

    >>> titled_svg(b'<?xml?>\\n<svg width="1">\\n <g/></svg>', Texts("A & B", "", "", "<alt>"))
    b'<?xml?>\\n<svg width="1">\\n <title>A &amp; B</title>\\n <desc>&lt;alt&gt;</desc>\\n <g/></svg>'
    """
    root = re.search(rb"<svg\b[^>]*>", svg)
    if root is None:
        raise ValueError("no <svg> element in the file matplotlib wrote")
    head = f"\n <title>{escape(texts.title)}</title>\n <desc>{escape(texts.alt)}</desc>".encode()
    return svg[:root.end()] + head + svg[root.end():]


def _write(path: Path, content: bytes) -> None:
    with atomic_write(path) as handle:
        handle.write(content)


def figures(chart: Chart, data, marks: pd.DataFrame, texts: Texts,
            lang: str) -> Iterator[tuple[style.Size, tuple[str, ...], Figure]]:
    """Draw the chart once per size; yields ``(size, formats, figure)`` with the size's style
    active, so the caller can measure and save the figure."""
    with style.house_style():
        for size, formats in FORMATS:
            with style.sized(size):
                fig, ax = style.frame(texts, size, chart.phone_chart_pt)
                chart.draw(ax, marks, data, lang)
                for text in fig.findobj(Text):  # whatever a chart wrote in its drawing, too
                    text.set_text(house_typography(text.get_text(), lang))
                yield size, formats, fig


def words(chart: Chart, data, lang: str) -> tuple[pd.DataFrame, Texts]:
    """The chart's marks and its texts with the credit line, set in the house typography (the
    marks' categories and labels too: they are drawn from the marks)."""
    marks = chart.marks(data, lang)
    for column in ("category", "label"):
        marks[column] = [house_typography(text, lang) for text in marks[column]]
    texts = dataclasses.replace(chart.texts(data, marks, lang), credit=CREDIT[lang])
    return marks, Texts(**{name: house_typography(text, lang) for name, text in dataclasses.asdict(texts).items()})


def render(chart: Chart, data, lang: str, out_dir: Path) -> tuple[Texts, dict[str, str]]:
    """Write ``out_dir/<lang>/<id>.{svg,png,pdf,csv}`` and ``<id>.phone.{svg,png}``; return the texts and ``{file: sha256}``.
    Raises :class:`~analysis.charts.layout.LayoutError` (and writes nothing) if a size's layout
    is broken."""
    tracking.record_library("matplotlib")
    marks, texts = words(chart, data, lang)
    target = Path(out_dir) / lang
    drawn = {}
    for size, formats, fig in figures(chart, data, marks, texts, lang):
        layout.check(fig, f"{chart.id} ({lang}, {size.name})", size.smallest_pt)
        for fmt in formats:
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=size.dpi, metadata=METADATA[fmt], facecolor="white")
            drawn[f"{size.suffix}.{fmt}"] = titled_svg(buffer.getvalue(), texts) if fmt == "svg" else buffer.getvalue()
    drawn[".csv"] = spreadsheet.frame_text(readers_table(marks, lang)).encode("utf-8")
    files = {}
    for ending, content in drawn.items():
        path = target / f"{chart.id}{ending}"
        _write(path, content)
        files[path.relative_to(out_dir).as_posix()] = sha256(path)
    return texts, files
