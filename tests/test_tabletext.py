"""analysis/tabletext.py: a table printed a batch at a time is, byte for byte, the whole frame's
``to_string(index=False)``."""

import io

import numpy as np
import pandas as pd
import pytest

from analysis import tabletext


def _frame() -> pd.DataFrame:
    """Columns whose widest cell lies in one batch only, a header wider than its cells (numeric:
    pandas prefixes a space), missing values of each kind, and text pandas escapes."""
    return pd.DataFrame({
        "period": ["2025-06", "2025-07", "2025-08", "2025-09", "2025-10"],
        "platform": ["X", "a much longer name", "Živě.cz", "tab\there", "ΣΚΡΟΥΤΖ"],
        "n": pd.array([1, None, 12345678, 0, -5], dtype="Int64"),
        "mean": [0.5, np.nan, 1234.25, 0.0, -1.0],
        "complete": [True, False, True, True, False],
        "flags": ["", "schema change 2025-07-01", "", "missing days: 3 of 31 held", ""],
    })


def _batches(frame: pd.DataFrame, size: int):
    return lambda: (frame.iloc[start:start + size].reset_index(drop=True) for start in range(0, len(frame), size))


@pytest.mark.parametrize("size", [1, 2, 5])
def test_batches_print_as_the_whole_frame(size):
    frame, out = _frame(), io.StringIO()
    options = {"float_format": lambda v: f"{v:.1f}"}
    assert tabletext.write(_batches(frame, size), out, **options) == len(frame)
    assert out.getvalue() == frame.to_string(index=False, **options) + "\n"


def test_floats_without_a_format_are_refused():
    """Without a float_format pandas prints 0.5 in one batch and 0.50 in the whole column."""
    with pytest.raises(ValueError, match="column 'mean' holds floats: give a float_format"):
        tabletext.write(_batches(_frame(), 2), io.StringIO())


def test_no_row_prints_as_pandas_prints_an_empty_frame():
    empty, out = _frame().iloc[:0], io.StringIO()
    tabletext.write(lambda: iter([empty]), out, float_format=lambda v: f"{v:.1f}")
    assert out.getvalue() == empty.to_string(index=False) + "\n"
