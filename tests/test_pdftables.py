"""The word-position table reader, on PDFs drawn in the test (synthetic, never published)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from analysis.errors import DataError
from analysis.pdftables import read_count_table


def _draw(path, lines, header=True):
    """A one-page PDF: a boxed header like NCMEC's, then label/count lines at 16 pt spacing."""
    figure = plt.figure(figsize=(8.5, 11))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 612)
    ax.set_ylim(792, 0)
    ax.axis("off")
    if header:
        for x0, width in ((109, 250), (359, 144)):  # two boxed header cells, as NCMEC draws them
            ax.add_patch(plt.Rectangle((x0, 72), width, 32, facecolor="#9fd8e0", edgecolor="black",
                                       linewidth=0.5))
        ax.text(122, 92, "ESP", fontsize=11)
        ax.text(490, 92, "Reports", fontsize=11, ha="right")
    for i, (label, count) in enumerate(lines):
        y = 118 + 16 * i
        ax.text(122, y, label, fontsize=10)
        if count is not None:
            ax.text(490, y, count, fontsize=10, ha="right")
    figure.savefig(path)
    plt.close(figure)


def test_rows_wraps_and_total(tmp_path):
    pdf = tmp_path / "synthetic-table.pdf"
    _draw(pdf, [("Alpha", "1,234"), ("Beta Long Name", "5"), ("continued", None), ("Gamma", "-"),
                ("Total", "1,239")])
    rows = read_count_table(pdf, header="ESP")
    assert [(r.label, r.count) for r in rows] == [
        ("Alpha", 1234), ("Beta Long Name continued", 5), ("Gamma", None), ("Total", 1239)]


def test_no_header_box_is_refused(tmp_path):
    pdf = tmp_path / "synthetic-no-header.pdf"
    _draw(pdf, [("Alpha", "1")], header=False)
    with pytest.raises(DataError, match="no count table found"):
        read_count_table(pdf)


def test_line_before_any_row_is_refused(tmp_path):
    pdf = tmp_path / "synthetic-orphan.pdf"
    _draw(pdf, [("orphan words", None), ("Alpha", "1")])
    with pytest.raises(DataError, match="page 1: line 'orphan words' has no count and follows no row"):
        read_count_table(pdf)


def test_unreadable_file(tmp_path):
    path = tmp_path / "synthetic.pdf"
    path.write_bytes(b"not a pdf")
    with pytest.raises(DataError, match="not a readable PDF"):
        read_count_table(path)
