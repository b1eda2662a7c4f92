"""Notebooks: numbered, paired with a py:percent script (jupytext) whose cells match, thin, stored
without outputs, and each run headless top to bottom without an error (once per test session: the
run the gallery's pages are rendered from, see ``executed_notebooks`` in conftest.py)."""

import re

import jupytext
import pytest

from analysis import paths

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_runs_top_to_bottom_without_an_error(executed_notebooks, notebook):
    document = executed_notebooks[notebook]
    errors = [output for cell in document.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert not errors, errors
    assert all(cell.get("execution_count") for cell in document.cells if cell.cell_type == "code" and cell.source)


def test_notebooks_are_numbered():
    assert NOTEBOOKS and all(re.match(r"\d\d_[a-z0-9_]+\.ipynb$", n.name) for n in NOTEBOOKS)


def _cells(notebook) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_paired_script_matches_and_no_outputs(notebook):
    script = notebook.with_suffix(".py")
    assert script.exists(), f"{notebook.name} has no paired script: jupytext --set-formats ipynb,py:percent"
    assert _cells(jupytext.read(notebook)) == _cells(jupytext.read(script))
    assert all(not c.get("outputs") for c in jupytext.read(notebook).cells if c.cell_type == "code")
    first = jupytext.read(notebook).cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ") and "**What.**" in first.source
    assert "../data" not in script.read_text()
