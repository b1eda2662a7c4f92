"""CSV cells a spreadsheet will not run: every CSV we write for people goes through :func:`cell`.

A reader opens our CSVs in Excel or LibreOffice, which take a cell starting with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return before one) for a formula; text from data we did not
write (a platform's name in a DSA dump, a source's wording) could then compute, link or call out.
As OWASP recommends, such a *text* cell gets a leading single quote, which the spreadsheet shows
as text. Numbers stay numbers: a negative count or percentage in a numeric column is written as
``-5``, unquoted, and ``−21.2 %`` (U+2212, the minus we print) is text that no spreadsheet reads as
a formula, so it is left alone. A text holding a carriage return or line feed is quoted (the
``csv`` module leaves a lone CR bare when records end in ``\\n``, and a spreadsheet would start a
row there, with a cell nothing neutralised). Every readers' CSV is written by :func:`text` (rows of
plain values) or :func:`frame_text` (a table).

>>> [cell(v) for v in ("=1+1", "@SUM(A1)", "-5", "\\t=1", "−21.2%", "X", -5, 3.5, None)]
["'=1+1", "'@SUM(A1)", "'-5", "'\\t=1", '−21.2%', 'X', -5, 3.5, None]
>>> print(text([["name", "n"], ["=1+1", -5], ["a\\rb", 2]]).replace("\\r", "<CR>"), end="")
name,n
'=1+1,-5
"a<CR>b",2
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """``value`` as written to a readers' CSV: text a spreadsheet would take for a formula prefixed
    with ``'``; anything else (numbers, missing values, other text) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text(rows: Iterable[Iterable[Any]]) -> str:
    """CSV text of rows of plain values (the header first), each cell through :func:`cell`."""
    return _records([[cell(value) for value in row] for row in rows])


def frame_text(table: pd.DataFrame, header: bool = True) -> str:
    """CSV text of a table as pandas writes it (no index), each text cell through :func:`cell` (the
    header too; ``header=False``: none, for the batches after a table's first); numeric, boolean
    and date columns are not touched."""
    import pandas as pd

    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            # each distinct value once: a column of a million rows holds a few thousand names
            changed = {value: quoted for value in out[column].dropna().unique() if (quoted := cell(value)) is not value}
            if changed:
                hits = out[column].isin(changed.keys())
                out.loc[hits, column] = out.loc[hits, column].map(changed)
    written = out.rename(columns=cell).to_csv(index=False, header=header, lineterminator="\r\n")
    records = len(out) + bool(header)
    if written.count("\r\n") == written.count("\r") == written.count("\n") == records:
        return written.replace("\r\n", "\n")  # no field holds a CR or LF: every CRLF ends a record
    return _records(csv.reader(io.StringIO(written, newline="")))


def _records(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV records ending in ``\\n``, a field quoted if it holds a carriage return or a
    line feed: ``csv.writer`` with ``lineterminator="\\n"`` leaves a lone CR unquoted, and a
    spreadsheet starts a new row there, with a cell nothing has neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # quotes any field holding CR or LF
    records = []
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        records.append(buffer.getvalue()[:-2] + "\n")
    return "".join(records)
