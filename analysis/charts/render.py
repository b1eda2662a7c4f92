"""Render one chart in one language: SVG and PNG (web size), PDF (print size), and the CSV of
the marks it draws (the readers' download).

Files carry no date and no software version, and SVG ids come from a fixed salt, so the same
inputs give the same bytes. Each file is written atomically.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from analysis import tracking
from analysis.charts import style
from analysis.charts.chart import Chart
from analysis.charts.style import Texts
from analysis.files import atomic_write, sha256

CREDIT = {"fr": "Cellule data", "en": "Data desk"}
FORMATS = ((style.WEB, ("svg", "png")), (style.PRINT, ("pdf",)))

# Metadata keys matplotlib would otherwise fill with dates and versions.
METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def _write(path: Path, content: bytes) -> None:
    with atomic_write(path) as handle:
        handle.write(content)


def render(chart: Chart, data, lang: str, out_dir: Path) -> tuple[Texts, dict[str, str]]:
    """Write ``out_dir/<lang>/<id>.{svg,png,pdf,csv}``; return the texts and ``{file: sha256}``."""
    tracking.record_library("matplotlib")
    marks = chart.marks(data, lang)
    texts = dataclasses.replace(chart.texts(data, marks, lang), credit=CREDIT[lang])
    target = Path(out_dir) / lang
    files = {}
    with style.house_style():
        for size, formats in FORMATS:
            fig, ax = style.frame(texts, size)
            chart.draw(ax, marks, data, lang)
            for fmt in formats:
                buffer = io.BytesIO()
                fig.savefig(buffer, format=fmt, dpi=size.dpi, metadata=METADATA[fmt], facecolor="white")
                _write(target / f"{chart.id}.{fmt}", buffer.getvalue())
    _write(target / f"{chart.id}.csv", marks.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    for fmt in ("svg", "png", "pdf", "csv"):
        path = target / f"{chart.id}.{fmt}"
        files[path.relative_to(out_dir).as_posix()] = sha256(path)
    return texts, files
