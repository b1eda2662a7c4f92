"""Hostile text in what we write for readers: CSV cells a spreadsheet would run as formulas."""

import contextlib
import csv
import io

import pandas as pd
import pytest

from analysis import cli, spreadsheet
from analysis.charts import render
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.dsa import caveats, query, stats

# Each hostile cell and exactly what a readers' CSV must hold for it.
FORMULAS = {
    "=HYPERLINK(\"http://evil.invalid\",\"X\")": "'=HYPERLINK(\"http://evil.invalid\",\"X\")",
    "+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(A1:A2)": "'@SUM(A1:A2)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
    "X\r=1+1": "X\r=1+1",  # one cell: quoted, so no spreadsheet starts a row at the CR
    "X\n@SUM(A1)": "X\n@SUM(A1)",
}
HARMLESS = ["X", "\u221221.2%", "2025-06", "'=already quoted", " =1"]  # U+2212 is not "-"


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_cell_gets_a_quote(text):
    assert spreadsheet.cell(text) == FORMULAS[text]


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_unchanged(text):
    assert spreadsheet.cell(text) == text


@pytest.mark.parametrize("value", [-5, -21.2, 0, None, True])
def test_non_text_is_unchanged(value):
    assert spreadsheet.cell(value) == value


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _file(path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:  # a CR in a cell stays one
        return handle.read()


def test_dsa_query_csv(tmp_path, monkeypatch):
    rows = [("2025-06", name, "STATEMENT_CATEGORY_X", 3, -1.5, 0.0) for name in FORMULAS]
    monkeypatch.setattr(query, "counts", lambda *a, **k: query.Counts(rows, "category"))
    out = tmp_path / "q.csv"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(["dsa", "query", "--data", str(tmp_path), "--csv", str(out)]) == 0
    written = _read(_file(out))
    assert written[0] == query.COLUMNS + caveats.COLUMNS
    assert [row[1] for row in written[1:]] == list(FORMULAS.values())
    assert {(row[3], row[4]) for row in written[1:]} == {("3", "-1.5")}  # numbers stay numbers


def test_dsa_stats_csv(monkeypatch):
    frame = pd.DataFrame({"period": ["2025-06"] * len(FORMULAS), "platform": list(FORMULAS),
                          "category": "STATEMENT_CATEGORY_X", "statements": -4, "days_with_statements": 1,
                          "days_in_database": 1, "daily_mean": -4.0, "complete": False})[stats.COLUMNS]
    monkeypatch.setattr(stats, "summary_batches", lambda *a: iter([frame]))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["dsa", "stats", "--format", "csv"]) == 0
    written = _read(out.getvalue())
    assert written[0] == stats.COLUMNS + caveats.COLUMNS
    assert [row[1] for row in written[1:]] == list(FORMULAS.values())
    assert {tuple(row[3:8]) for row in written[1:]} == {("-4", "1", "1", "-4.0", "False")}


CHART_FORMULAS = {  # after the house typography: "-2" is set with a minus sign (U+2212), inert
    "=HYPERLINK(\"http://evil.invalid\",\"X\")": "'=HYPERLINK(\"http://evil.invalid\",\"X\")",
    "-2+3": "\u22122+3",
    "@SUM(A1:A2)": "'@SUM(A1:A2)",
    "\t=1+1": "'\t=1+1",
    "X\n@SUM(A1)": "X\n@SUM(A1)",
}


def test_chart_csv(tmp_path):
    """The chart's texts in the house typography (which would curl a ' and does not keep a CR), then
    neutralised."""
    rows = [{"series": "s", "category": text, "value": -21.2, "label": "\u221221.2%", "evidence": "primary",
             "source": text} for text in CHART_FORMULAS]
    chart = Chart("hostile", load=lambda: None, marks=lambda data, lang: marks(rows),
                  texts=lambda data, drawn, lang: Texts("A title", "A subtitle", "Source: test", "alt"),
                  draw=lambda ax, *_: ax.set_axis_off())
    render.render(chart, None, "en", tmp_path)
    written = _read(_file(tmp_path / "en" / "hostile.csv"))
    assert [row[1] for row in written[1:]] == list(CHART_FORMULAS.values())
    assert [row[6] for row in written[1:]] == list(CHART_FORMULAS.values())
    assert {(row[2], row[3]) for row in written[1:]} == {("-21.2", "\u221221.2%")}
