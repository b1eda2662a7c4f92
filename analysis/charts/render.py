"""Render one declared chart in one language to SVG, PNG (web size) and PDF (print size).

Files carry no date and no software version, and SVG ids come from a fixed salt, so the same
inputs give the same bytes. Each file is written atomically.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import matplotlib.pyplot as plt

from analysis.charts import style
from analysis.charts.catalog import Chart
from analysis.charts.style import Texts
from analysis.files import atomic_write, sha256

CREDIT = {"fr": "Cellule data", "en": "Data desk"}

# Metadata keys matplotlib would otherwise fill with dates and versions.
METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def _save(fig, path: Path, fmt: str, dpi: int) -> None:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=METADATA[fmt], facecolor="white")
    with atomic_write(path) as handle:
        handle.write(buffer.getvalue())


def render(chart: Chart, data: dict, lang: str, out_dir: Path) -> tuple[Texts, dict[str, str]]:
    """Write ``out_dir/<lang>/<id>.{svg,png,pdf}``; return the texts and ``{file: sha256}``."""
    texts = dataclasses.replace(chart.texts(data, lang), credit=CREDIT[lang])
    target = Path(out_dir) / lang
    files = {}
    for size, formats in ((style.WEB, ("svg", "png")), (style.PRINT, ("pdf",))):
        fig, ax = style.frame(texts, size)
        chart.draw(ax, data, lang)
        for fmt in formats:
            path = target / f"{chart.id}.{fmt}"
            _save(fig, path, fmt, size.dpi)
            files[path.relative_to(out_dir).as_posix()] = sha256(path)
        plt.close(fig)
    return texts, files
