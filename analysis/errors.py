"""The one exception type for bad input.

A reader who hits bad data must learn at once *where* it is: the file, and the row and column when
there is one. Loaders raise :class:`DataError` and never return a frame with silent NaNs.

>>> str(DataError("count is not an integer", path="data/raw/a.csv", row=3, column="reports"))
'data/raw/a.csv, row 3, column reports: count is not an integer'
"""

from __future__ import annotations

from pathlib import Path


class DataError(ValueError):
    """Bad input, located as precisely as the format allows."""

    def __init__(self, message: str, *, path: str | Path | None = None, page: int | None = None,
                 row: int | None = None, column: str | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.page = page
        self.row = row
        self.column = column
        where = [part for part in (
            self.path,
            None if page is None else f"page {page}",
            None if row is None else f"row {row}",
            None if column is None else f"column {column}",
        ) if part]
        super().__init__(", ".join(where) + ": " + message if where else message)


class UsageError(ValueError):
    """A command-line value we cannot act on (unknown platform, impossible date…); the message
    lists the valid values or says what to type instead."""
