"""How the notebook entry points (:mod:`analysis.series.ncmec`, :mod:`analysis.series.x`) reach
:mod:`analysis.measures`: when called, by name.

:mod:`analysis.measures` imports the series modules, so importing it here at the top would be
circular and would make ``from analysis import series`` load every source. By name: no chart or
cache computes through the entry points, so :mod:`analysis.codebase` (which follows import
statements) must not count every measure as code of every series module.
"""

from __future__ import annotations

import importlib


def measures():
    """The module :mod:`analysis.measures`."""
    return importlib.import_module("analysis.measures")
