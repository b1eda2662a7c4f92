"""Publication charts, one module per chart.

Each chart module (``analysis/charts/<id with underscores>.py``) defines ``CHART``, a
:class:`~analysis.charts.chart.Chart`: its data (from :mod:`analysis.series`), the marks it draws,
its texts in French and English, its drawing. The house style (:mod:`.style`), the renderer
(:mod:`.render`), the incremental builder (:mod:`.build`) and the readers' gallery
(:mod:`.gallery`) are shared. Adding a chart is adding one module: :func:`charts` finds it.
"""

from __future__ import annotations

import importlib
import pkgutil


def charts() -> dict:
    """Every chart of the package, by id, in the order of their module names."""
    found = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        chart = getattr(importlib.import_module(f"{__name__}.{module.name}"), "CHART", None)
        if chart is not None:
            found[chart.id] = chart
    return found
