"""Schema checks with pandera, reported as one clear :class:`~analysis.errors.DataError`.

Loaders describe each table once as a pandera ``DataFrameSchema`` (columns, types, ranges, unique
keys) and call :func:`check`. The first failure becomes an error naming the file, the row (as the
loader numbers it: a CSV's line number, a PDF's page) and the column.

>>> import pandas as pd, pandera.pandas as pa
>>> schema = pa.DataFrameSchema({"reports": pa.Column(int, pa.Check.ge(0))})
>>> check(pd.DataFrame({"reports": [3, -1]}), schema, path="a.csv", row_of=lambda i: i + 2)
Traceback (most recent call last):
...
analysis.errors.DataError: a.csv, row 3, column reports: value -1 fails greater_than_or_equal_to(0)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from analysis.errors import DataError
from analysis.files import sha256


def check(frame: pd.DataFrame, schema: pa.DataFrameSchema, *, path: str | Path,
          row_of: Callable[[object], int | None] = lambda index: None) -> pd.DataFrame:
    """Validate ``frame``; return it (coerced by the schema) or raise :class:`DataError`."""
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        raise _first_error(errors.failure_cases, path, row_of) from None
    except SchemaError as error:  # raised for wrong dtypes that cannot be coerced, among others
        raise DataError(str(error).splitlines()[0], path=path) from None


def _first_error(cases: pd.DataFrame, path, row_of) -> DataError:
    # Rows that fail several checks repeat; the schema-level checks come without an index.
    header = cases[cases["check"].isin(["column_in_dataframe", "column_in_schema"])]
    if len(header):  # a wrong header: say everything that is wrong with it at once
        missing = header.loc[header["check"] == "column_in_dataframe", "failure_case"].tolist()
        unexpected = header.loc[header["check"] == "column_in_schema", "failure_case"].tolist()
        parts = ([f"missing column(s) {missing}"] if missing else []) + (
            [f"unexpected column(s) {unexpected}"] if unexpected else [])
        return DataError("wrong header: " + "; ".join(parts), path=path,
                         column=str((missing or unexpected)[0]))
    case = cases.iloc[0]
    column = case["column"] if isinstance(case["column"], str) else None
    check_name = str(case["check"])
    value = case["failure_case"]
    value = value.item() if hasattr(value, "item") else value
    if check_name == "multiple_fields_uniqueness" or check_name.startswith("field_uniqueness"):
        # report the second occurrence: the first one is legitimate
        same = cases[(cases["check"] == case["check"]) & (cases["column"] == case["column"])]
        index = same["index"].iloc[1] if len(same) > 1 else case["index"]
        return DataError(f"duplicate key {value!r}", path=path, row=_row(index, row_of),
                         column=column)
    row = _row(case["index"], row_of)
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return DataError("value is missing", path=path, row=row, column=column)
    if check_name.startswith(("dtype(", "coerce_dtype(")):
        return DataError(f"value {value!r} is not of type {check_name.split('(', 1)[1][1:-2]}",
                         path=path, row=row, column=column)
    return DataError(f"value {value!r} fails {check_name}", path=path, row=row, column=column)


def _row(index, row_of) -> int | None:
    return None if index is None or pd.isna(index) else row_of(index)


def once_per_content(reader: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """``reader(path, *args)`` run once per process for each content of the file and ``args``:
    a ledger check or a build calls the same loaders hundreds of times, and parsing and checking a
    table each time was most of their work. The frame depends on the file's bytes, not on its
    folder (a copy of ``data/`` shares it); a file changed, even in place, is read again; an error
    is raised every time, never remembered; each caller gets its own copy to change."""
    frames: dict[tuple, pd.DataFrame] = {}

    @functools.wraps(reader)
    def wrapper(path, *args, **kwargs):
        try:
            digest = sha256(path)
        except OSError:  # missing, unreadable: the reader says so in its words (a pipe is refused by sha256)
            return reader(path, *args, **kwargs)
        key = (digest, *(tuple(sorted(arg.items())) if isinstance(arg, dict) else arg for arg in args),
               *sorted(kwargs.items()))  # arguments must be hashable (a dict's items are)
        if key not in frames:
            frames[key] = reader(path, *args, **kwargs)
        return frames[key].copy()

    return wrapper


def read_csv(path: str | Path) -> pd.DataFrame:
    """A CSV we ship, read as text (an empty cell is missing: never "" nor a number pandas guessed),
    for a schema to check; a file missing, empty, without data rows, unreadable or not UTF-8 is one
    :class:`DataError` naming it (and the line, where one is to blame)."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise DataError("file not found", path=path) from None
    except pd.errors.EmptyDataError:
        raise DataError("empty file: expected a header and rows", path=path) from None
    except UnicodeDecodeError as error:
        raise DataError(f"not UTF-8 (byte 0x{error.object[error.start]:02x}): re-save it as UTF-8",
                        path=path, row=_line_of_byte(path, error.start)) from None
    except pd.errors.ParserError as error:
        raise DataError(f"not a readable CSV: {error}", path=path) from None
    if frame.empty:
        raise DataError("no data rows below the header", path=path, row=2)
    return frame


def _line_of_byte(path, offset: int) -> int | None:
    """The line holding byte ``offset``, when the whole file was decoded at once."""
    with open(path, "rb") as handle:
        return handle.read(offset).count(b"\n") + 1
