"""Read two-column "label → count" tables out of PDF reports, by word positions.

NCMEC prints its CyberTipline tables as text, not as ruled tables: only the header row has a box.
So we find the header boxes with pdfplumber, treat each box's horizontal span as one table column
(a page may hold two side by side), and read the words below it line by line:

- a line ending in a count (set well apart from its label) is a row;
- a long label wraps: the extra line follows the row, or, when NCMEC centres the count between
  two label lines, the count stands alone between them;
- a dash in the count column is a missing count (``None``), never a zero;
- a total row (``Total``, ``Totals:``…), a footnote (``*…``), a line not aligned with the labels
  (a footer), a large vertical gap or the next header box ends the table.

>>> from analysis import paths
>>> rows = read_count_table(paths.RAW / "ncmec" / "ncmec-by-esp-2019.pdf", header="ESP")
>>> rows[0]
CountRow(label='4chan', count=1380, page=1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from analysis.errors import DataError

COUNT = re.compile(r"\d{1,3}(,\d{3})*|\d+|[-–—]")
TOTAL = re.compile(r"totals?:?", re.IGNORECASE)
LINE_TOLERANCE = 3  # points: words whose tops differ by less share a line
MAX_ROW_GAP = 40  # points: a larger vertical gap ends a table (rows ~16 pt, a total row ~32 pt)
MIN_VALUE_GAP = 12  # points between a label's last word and the count
CENTRED_WRAP = 10  # points: a label line this close above a lone count belongs to it


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int | None
    page: int


@dataclass
class _Line:
    top: float
    x0: float
    label: str
    count: int | None
    has_count: bool


def _parse_count(text: str) -> int | None:
    return None if text in "-–—" else int(text.replace(",", ""))


def _lines(words: list[dict]) -> list[_Line]:
    """Group words into lines by their top coordinate and split off a trailing count."""
    grouped: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if grouped and abs(grouped[-1][0]["top"] - word["top"]) < LINE_TOLERANCE:
            grouped[-1].append(word)
        else:
            grouped.append([word])
    lines = []
    for line in grouped:
        *label_words, last = sorted(line, key=lambda w: w["x0"])
        separated = not label_words or last["x0"] - label_words[-1]["x1"] > MIN_VALUE_GAP
        if COUNT.fullmatch(last["text"]) and separated:
            label, count, has_count = " ".join(w["text"] for w in label_words), _parse_count(last["text"]), True
        else:
            label, count, has_count = " ".join(w["text"] for w in line), None, False
        lines.append(_Line(line[0]["top"], min(w["x0"] for w in line), label, count, has_count))
    return lines


def _column_rows(page, header_bbox, bottom: float, page_number: int, path: Path) -> list[CountRow]:
    x0, _, x1, header_bottom = header_bbox
    words = [w for w in page.extract_words()
             if w["x0"] >= x0 - 2 and w["x1"] <= x1 + 2 and header_bottom <= w["top"] < bottom]
    rows: list[list] = []  # [label, count], mutable while continuation lines arrive
    pending: list[_Line] = []  # label lines not yet attached to a row
    lines = _lines(words)
    label_indent = next((line.x0 for line in lines if line.label), None)
    previous_top = None

    def attach_pending_to_previous_row():
        if pending and not rows:
            raise DataError(f"line {pending[0].label!r} has no count and follows no row: "
                            "table layout is not the one expected", path=path, page=page_number)
        for line in pending:
            rows[-1][0] = f"{rows[-1][0]} {line.label}".strip()
        pending.clear()

    for line in lines:
        starts_left_or_right = line.label and abs(line.x0 - label_indent) > 5
        if (line.label.startswith("*") or starts_left_or_right
                or (rows and TOTAL.fullmatch(rows[-1][0]) and not pending)
                or (previous_top is not None and line.top - previous_top > MAX_ROW_GAP)):
            break
        previous_top = line.top
        if not line.has_count:
            pending.append(line)
        elif line.label:
            attach_pending_to_previous_row()
            rows.append([line.label, line.count])
        else:  # a lone count, centred beside a label that wraps over two lines
            above = [p for p in pending if line.top - p.top <= CENTRED_WRAP]
            pending[:] = [p for p in pending if p not in above]
            attach_pending_to_previous_row()
            rows.append([" ".join(p.label for p in above), line.count])
    attach_pending_to_previous_row()
    for label, _ in rows:
        if not label:
            raise DataError("a count has no label: table layout is not the one expected",
                            path=path, page=page_number)
    return [CountRow(label, count, page_number) for label, count in rows]


def read_count_table(path: str | Path, header: str = r".+") -> list[CountRow]:
    """Every (label, count) row of every table in the PDF, in reading order (column by column).

    ``header`` is a regular expression every header box's text must match (e.g. ``"ESP"``), so a
    PDF of another kind is refused rather than misread. Raises if the PDF cannot be read, has no table header at all, has an
    unexpected header, or holds a line that is neither a row nor part of one.
    """
    path = Path(path)
    rows: list[CountRow] = []
    try:
        pdf = pdfplumber.open(path)
    except Exception as error:  # pdfminer raises several unrelated types for a damaged file
        raise DataError(f"not a readable PDF ({type(error).__name__})", path=path) from None
    with pdf:
        for number, page in enumerate(pdf.pages, start=1):
            headers = sorted((table.bbox for table in page.find_tables()), key=lambda b: (b[1], b[0]))
            for bbox in headers:
                text = " ".join((page.crop(bbox).extract_text() or "").split())
                if not re.search(header, text):
                    raise DataError(f"table header {text!r} does not match {header!r}: table "
                                    "layout is not the one expected", path=path, page=number)
                below = [other[1] for other in headers
                         if other[1] > bbox[1] and other[0] < bbox[2] and other[2] > bbox[0]]
                rows += _column_rows(page, bbox, min(below, default=page.height), number, path)
    if not rows:
        raise DataError("no count table found: table layout is not the one expected", path=path)
    return rows
