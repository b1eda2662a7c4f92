"""Notebooks: numbered, paired with a py:percent script (jupytext) whose cells match, thin, stored
without outputs, the tables they show printing numbers in the house formatting, and each run
headless top to bottom without an error (once per test session: the run the gallery's pages are
rendered from, see ``executed_notebooks`` in conftest.py)."""

import html
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


# A number as pandas prints it and we never do: more than three decimals, an exponent, a missing
# value spelt NaN, <NA>, NaT or None.
RAW = re.compile(r"\d\.\d{4,}|\d[eE][+-]\d|\b(?:NaN|nan|NaT|None)\b|<NA>")


def _table_cells(document) -> list[str]:
    """The cells of every table an executed notebook shows."""
    tables = [output["data"]["text/html"] for cell in document.cells if cell.cell_type == "code"
              for output in cell.get("outputs", []) if "<table" in output.get("data", {}).get("text/html", "")]
    return [html.unescape(cell) for table in tables for cell in re.findall(r"<td>(.*?)</td>", table, re.S)]


def test_tables_shown_print_numbers_as_we_publish_them(executed_notebooks):
    """Issue 21: notebook 00 printed X's 686,176 reports as 6.861760e+05; every table a notebook shows
    goes through analysis.formatting.format_table (or the ledger's own formatting)."""
    raw = {}
    for notebook, document in executed_notebooks.items():
        cells = _table_cells(document)
        assert cells or notebook.name.startswith("02"), f"{notebook.name} shows no table"
        raw[notebook.name] = [cell for cell in cells if RAW.search(cell)]
        if notebook.name.startswith("00"):
            assert "686,176" in cells and "matches a third-party transcription" in cells
    assert raw == {name: [] for name in raw}


def test_the_raw_number_check_catches_pandas_defaults():
    assert all(RAW.search(text) for text in ("6.861760e+05", "0.271585", "NaN", "<NA>", "NaT"))
    assert not any(RAW.search(text) for text in ("686,176", "+42.3%", "0.091", "—", "2024-06-30"))


def test_a_second_render_runs_no_notebook(site_copy):
    """Issue 23: `make figures` again, nothing changed: every page is current, no kernel starts."""
    from analysis import methodology

    out, _ = site_copy
    log = []
    assert methodology.render(out, log=log.append) == []
    assert log == [f"up to date  notebooks/{notebook.stem}.html" for notebook in NOTEBOOKS]


def test_a_page_is_stale_when_what_it_depends_on_changed(site_copy, tmp_path):
    """Only the notebooks that import a changed module (directly or not) run again; a damaged page
    or an edited notebook runs again too."""
    from analysis import codebase, fingerprints, methodology

    out, _ = site_copy
    now = fingerprints.State.now()
    assert all(methodology.current(notebook, out, now) for notebook in NOTEBOOKS)
    grok_only = "analysis.sources.sensortower"
    edited = fingerprints.State({**now.code, grok_only: "edited"}, now.ledger)
    stale = {notebook.stem for notebook in NOTEBOOKS if not methodology.current(notebook, out, edited)}
    assert "02_grok_downloads_and_rankings" in stale and "01_x_reports_to_ncmec" not in stale
    assert stale == {notebook.stem for notebook in NOTEBOOKS if any(
        grok_only in codebase.dependencies(module) for module in codebase.imported_by(
            "\n".join(cell.source for cell in jupytext.read(notebook).cells if cell.cell_type == "code")))}

    first, second = NOTEBOOKS[:2]
    (out / "notebooks" / f"{first.stem}.html").write_text("damaged")
    assert not methodology.current(first, out, now)
    changed = tmp_path / second.name
    changed.write_text(second.read_text().replace("# ", "# Edited: ", 1))
    assert not methodology.current(changed, out, now) and methodology.current(second, out, now)
