"""A table printed exactly as ``DataFrame.to_string(index=False)`` prints it, a batch at a time.

``to_string`` sizes each column to its widest cell, so it needs the whole table: for the widest
``dsa stats`` request (1.2 million rows) the frame, its cells as text and the joined string held
3.7 GB. Here the table comes as a function that yields it in batches, called twice: the first pass
measures each column's width (pandas formatting each column of each batch), the second prints
each batch by ``to_string`` with every column at its measured width. Memory is then that of a
batch, and the text is the same, byte for byte, as pandas prints the whole frame (tested).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import pandas as pd


def _widths(batches: Iterable[pd.DataFrame], options: dict) -> dict[str, int]:
    """Each column's width in ``to_string`` of all the batches together, its header included."""
    widths: dict[str, int] = {}
    for batch in batches:
        if len(batch) == 0:  # pandas prints "Empty DataFrame", not cells
            continue
        for column in batch.columns:
            # One column alone: every line of its text is as wide as the column.
            width = len(batch[[column]].to_string(index=False, **options).split("\n", 1)[0])
            widths[column] = max(widths.get(column, 0), width)
    return widths


def write(batches: Callable[[], Iterable[pd.DataFrame]], out: TextIO, **options) -> int:
    """Print the batches ``batches()`` yields (called twice: the same rows each time; the first
    batch carries the columns even when empty) as one table to ``out``, a newline at the end, as
    ``print(pd.concat(batches).to_string(index=False, **options))`` would; the rows printed. A
    float column needs a ``float_format``: without one pandas picks the digits from the values of
    each batch (``0.5`` in one, ``0.50`` where another value of the whole column has two)."""
    widths = _widths(batches(), options)
    rows, empty = 0, None
    for batch in batches():
        floats = [column for column, kind in batch.dtypes.items() if kind.kind == "f"]
        if floats and "float_format" not in options:
            raise ValueError(f"column {floats[0]!r} holds floats: give a float_format, or batches print "
                             "their own digits")
        if len(batch) == 0:
            empty = batch if empty is None else empty
            continue
        out.write(batch.to_string(index=False, header=rows == 0, col_space=widths, **options) + "\n")
        rows += len(batch)
    if rows == 0 and empty is not None:  # no row at all: pandas says the frame is empty
        out.write(empty.to_string(index=False, **options) + "\n")
    return rows
