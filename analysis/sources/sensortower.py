"""Sensor Tower download estimates: API JSON records and web exports (CSV, XLSX) → one tidy frame.

We hold no licensed Sensor Tower data. A reporter who has an export drops it in
``data/private/sensortower/`` (ignored by git: licensed data is not ours to publish) and runs
``python -m analysis grok-downloads PATH``, which recomputes the article's +72 % from it.

Formats:

- API ``/v1/ios/sales_report_estimates``: records with ``aid, cc, d, iu, au`` (iPhone and iPad
  downloads; ``ir``/``ar`` revenue ignored); ``/v1/android/…``: ``aid, c, d, u`` (``r`` ignored).
- Web exports: columns such as ``Date, App ID, App Name, Country, iPhone Downloads, iPad
  Downloads, Android Downloads`` (any subset of the download columns; revenue columns ignored),
  ISO or US ``m/d/Y`` dates, thousands separators, UTF-8 with or without BOM.

Output columns: ``date, app_id, app_name, country, platform`` (iphone, ipad, android),
``downloads`` (nullable integer: an empty cell stays missing).

>>> from analysis import paths
>>> frame = read_downloads(paths.SYNTHETIC / "synthetic-sensortower-grok-export.csv")
>>> sorted(frame["platform"].unique())
['android', 'ipad', 'iphone']
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.types import union_categoricals

from analysis import strictjson
from analysis.errors import DataError

TIDY = ["date", "app_id", "app_name", "country", "platform", "downloads"]
HEADERS = {  # lower-cased export header → our column
    "date": "date", "app id": "app_id", "app name": "app_name", "country": "country",
    "country code": "country", "iphone downloads": "iphone", "ipad downloads": "ipad",
    "android downloads": "android",
}
PLATFORMS = ("iphone", "ipad", "android")
REQUIRED = ("date", "app_id", "country")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
COUNT = re.compile(r"\d{1,3}(,\d{3})+|\d+")


CHUNK_ROWS = 100_000  # CSV rows parsed at a time: memory stays bounded however long the export
TEXT = "string[pyarrow]"  # cells as Arrow strings: the checks below run in Arrow, not in Python


def read_downloads(path: str | Path, sheet: str | None = None, chunk_rows: int = CHUNK_ROWS) -> pd.DataFrame:
    """Any supported Sensor Tower file as the tidy frame; :class:`DataError` names file, row, column.

    A workbook with several sheets needs ``sheet`` (other files refuse one). Text columns come back categorical (a long
    export repeats the same few apps and countries millions of times).
    """
    path = Path(path)
    if not path.exists():
        raise DataError("file not found", path=path)
    if not path.is_file():  # a pipe would block the read for ever
        raise DataError("not a regular file (a folder, a pipe or a device): give the export itself", path=path)
    suffix = path.suffix.lower()
    if sheet is not None and suffix not in (".xlsx", ".xlsm"):
        raise DataError(f"a sheet ({sheet!r}) is only for an Excel workbook, not a {suffix} file", path=path)
    if suffix == ".json":
        tidy = _from_api(path)
    elif suffix == ".csv":
        tidy = _from_csv(path, chunk_rows)
    elif suffix in (".xlsx", ".xlsm"):
        tidy = _from_table(path, _read_excel(path, sheet), 2)
    else:
        raise DataError(f"unsupported file type {suffix!r}: expected .json, .csv or .xlsx", path=path)
    duplicated = tidy.duplicated(["date", "app_id", "country", "platform"], keep="first")
    if duplicated.any():
        first = tidy[duplicated].iloc[0]
        raise DataError(f"duplicate row for {first['date'].date()}, app {first['app_id']}, "
                        f"{first['country']}, {first['platform']}", path=path,
                        row=int(first["_row"]), column=str(first["_column"]))
    tidy = tidy[TIDY].sort_values(["date", "app_id", "country", "platform"], ignore_index=True)
    tidy.attrs["path"] = str(path)  # so that later errors about these rows can name the file
    return tidy


class _Dates:
    """The file's date format, fixed by its first date: a file mixing formats is refused, and a
    file of m/d/YYYY dates must show a day above 12 somewhere, or it could as well be d/m/YYYY."""

    def __init__(self, path: Path):
        self.path = path
        self.style: str | None = None
        self.first: tuple[int, str, str] | None = None  # row, column, text of the first date
        self.day_above_12 = False

    def parse(self, values: pd.Series, rows: np.ndarray, column: str) -> pd.Series:
        stamp = np.zeros(len(values), bool) if _all_text(values) else \
            values.map(lambda v: isinstance(v, datetime)).to_numpy(bool)
        text = _text(values.where(~stamp, "") if stamp.any() else values)
        kinds = np.select([stamp, _mask(text.str.fullmatch(ISO_DATE.pattern)),
                           _mask(text.str.fullmatch(US_DATE.pattern))], ["excel", "iso", "us"], "")
        self._refuse(kinds == "", rows, column, text,
                     lambda t: f"ambiguous or unknown date {t!r}: expected YYYY-MM-DD or m/d/YYYY")
        if self.style is None and len(kinds):
            self.style, self.first = kinds[0], (int(rows[0]), column, str(values.iloc[0]))
        self._refuse(kinds != self.style, rows, column, values.astype(str),
                     lambda t: f"date {t} is written {_style_of(t)} while earlier rows are "
                               f"{self.style}: ambiguous")
        if self.style == "excel":
            return pd.to_datetime(values).dt.normalize()
        if self.style == "iso":
            dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        else:
            parts = text.str.extract(US_DATE.pattern).astype(int)
            month, day, year = parts[0], parts[1], parts[2]
            self._refuse((month > 12).to_numpy(), rows, column, text,
                         lambda t: f"ambiguous date {t!r}: not US month/day/year (day first?)")
            self.day_above_12 |= bool((day > 12).any())
            dates = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}),
                                   errors="coerce")
        self._refuse(dates.isna().to_numpy(), rows, column, text, lambda t: f"impossible date {t!r}")
        return dates

    def finish(self) -> None:
        """After the last row: refuse US dates that never prove they are not day-first."""
        if self.style == "us" and not self.day_above_12:
            row, column, text = self.first
            raise DataError(f"every m/d/YYYY date has a day of 12 or less, so {text!r} could be "
                            "day-first as well: re-export with ISO dates (YYYY-MM-DD)",
                            path=self.path, row=row, column=column)

    def _refuse(self, bad: np.ndarray, rows, column, text: pd.Series, message) -> None:
        if bad.any():
            i = int(np.argmax(bad))
            raise DataError(message(text.iloc[i]), path=self.path, row=int(rows[i]), column=column)


def _style_of(text: str) -> str:
    return "iso" if ISO_DATE.fullmatch(text) else "us" if US_DATE.fullmatch(text) else "excel"


def _all_text(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype) or bool(values.map(lambda v: isinstance(v, str)).all())


def _text(values: pd.Series) -> pd.Series:
    """Cells as stripped Arrow strings; a missing cell is an empty string."""
    if not isinstance(values.dtype, pd.StringDtype):
        values = values.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
    return values.astype(TEXT).fillna("").str.strip()


def _mask(flags: pd.Series) -> np.ndarray:
    return flags.to_numpy(bool, na_value=False)


def _from_csv(path: Path, chunk_rows: int) -> pd.DataFrame:
    """A web export read ``chunk_rows`` rows at a time, only its needed columns."""
    skipped = _comment_lines(path)
    options = dict(skiprows=skipped, dtype=TEXT, keep_default_na=False, encoding="utf-8-sig")
    try:
        header = pd.read_csv(path, nrows=0, **options).columns
        mapping = _columns(path, header)
        dates, pieces, first_row = _Dates(path), [], skipped + 2
        for chunk in pd.read_csv(path, usecols=list(mapping), chunksize=chunk_rows, **options):
            rows = first_row + np.arange(len(chunk))
            first_row += len(chunk)
            pieces.append(_tidy(chunk, mapping, rows, path, dates))
    except UnicodeDecodeError:
        line, byte = _first_undecodable_line(path)
        raise DataError(f"not UTF-8 (byte 0x{byte:02x}): re-save the export as UTF-8", path=path,
                        row=line) from None
    except pd.errors.EmptyDataError:
        raise DataError("empty file: expected a header row and data rows", path=path) from None
    except pd.errors.ParserError as error:
        raise DataError(f"not a readable CSV: {str(error).strip().splitlines()[0]}", path=path) from None
    return _finished(pieces, dates, path, skipped + 2)


def _comment_lines(path: Path) -> int:
    """How many ``#`` lines head the file (read line by line, never the whole file)."""
    count = 0
    with open(path, "rb") as handle:
        for line in handle:
            if not line.removeprefix(b"\xef\xbb\xbf" if count == 0 else b"").startswith(b"#"):
                break
            count += 1
    return count


def _first_undecodable_line(path: Path) -> tuple[int, int]:
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                return number, line[error.start]
    return 0, 0  # pandas saw a byte we cannot find again: name no line rather than a wrong one


MAX_WORKBOOK_BYTES = 100 * 2**20  # a workbook larger than this on disk is refused unopened
MAX_WORKBOOK_INFLATED = 512 * 2**20  # what its members declare they inflate to, together
MAX_WORKBOOK_RATIO = 100  # inflated / on disk: spreadsheet XML deflates 5–20×, a zip bomb 1,000×
MAX_WORKBOOK_MEMBERS = 10_000


def check_workbook(path: Path) -> None:
    """Refuse, before anything is inflated, a workbook (a zip) that would inflate beyond
    :data:`MAX_WORKBOOK_INFLATED` or :data:`MAX_WORKBOOK_RATIO` times its size, from the sizes
    its members declare (Python's zip reader stops a member at its declared size and checks its
    CRC, so a member cannot inflate past what it declares); members that share their bytes (each
    would inflate them again) or hold another archive (an export embeds none, and its sizes
    would escape these limits); a file over :data:`MAX_WORKBOOK_BYTES` or with more than
    :data:`MAX_WORKBOOK_MEMBERS` members."""
    import zipfile

    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        raise DataError(f"workbook of {size:,} bytes, more than the {MAX_WORKBOOK_BYTES:,} we open: "
                        "export fewer rows, or as CSV", path=path)
    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
            if len(members) > MAX_WORKBOOK_MEMBERS:
                raise DataError(f"workbook of {len(members):,} parts, more than the {MAX_WORKBOOK_MEMBERS:,} "
                                "a spreadsheet has: not opened", path=path)
            inflated = sum(member.file_size for member in members)
            if inflated > MAX_WORKBOOK_INFLATED or inflated > MAX_WORKBOOK_RATIO * max(size, 1):
                largest = max(members, key=lambda member: member.file_size)
                raise DataError(f"workbook of {size:,} bytes would inflate to {inflated:,} "
                                f"({inflated / max(size, 1):,.0f}×; {largest.filename} alone {largest.file_size:,}): "
                                f"more than {MAX_WORKBOOK_INFLATED:,} bytes or {MAX_WORKBOOK_RATIO}× its size, a zip "
                                "bomb or not an export: not opened", path=path)
            if sum(member.compress_size for member in members) > size:
                raise DataError("workbook parts share their bytes (each would inflate them again): a zip "
                                "bomb, not opened", path=path)
            for member in members:
                with book.open(member) as handle:
                    if handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06"):
                        raise DataError(f"workbook part {member.filename} is itself an archive: an export "
                                        "holds none, and its size would escape our limits: not opened", path=path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, RuntimeError) as error:
        raise DataError(f"not a readable Excel workbook ({type(error).__name__}): is it really "
                        f"{path.suffix}?", path=path) from None


def _read_excel(path: Path, sheet: str | None) -> pd.DataFrame:
    check_workbook(path)
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as error:  # openpyxl and zipfile raise several unrelated types for a non-workbook
        raise DataError(f"not a readable Excel workbook ({type(error).__name__}): is it really "
                        f"{path.suffix}?", path=path) from None
    with book:
        names = book.sheet_names
        if sheet is None and len(names) > 1:
            raise DataError(f"the workbook has {len(names)} sheets ({', '.join(map(repr, names))}): "
                            "say which one to read", path=path)
        if sheet is not None and sheet not in names:
            raise DataError(f"no sheet {sheet!r}; the workbook has {', '.join(map(repr, names))}",
                            path=path)
        return book.parse(names[0] if sheet is None else sheet, dtype=object)


def _columns(path: Path, headers) -> dict[str, str]:
    """The file's header → our column, for every column we read (revenue is not read)."""
    mapping = {}
    for header in headers:
        name = str(header).strip()
        key = name.lower()
        if "revenue" in key:
            continue
        if key not in HEADERS:
            raise DataError(f"unknown column {name!r}; expected {sorted(set(HEADERS))} and revenue "
                            "columns", path=path, column=name)
        mapping[header] = HEADERS[key]
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if missing:
        raise DataError(f"missing column(s) {missing}", path=path, column=missing[0])
    if not set(PLATFORMS) & set(mapping.values()):
        raise DataError("no download column (iPhone, iPad or Android Downloads)", path=path)
    return mapping


def _counts(values: pd.Series, rows: np.ndarray, path: Path, column: str) -> pd.Series:
    """Download counts (nullable integers: an empty cell stays missing), vectorised."""
    if not _all_text(values):  # workbook and JSON cells: numbers, None, NaN
        values = pd.Series([_cell_text(v, path, int(r), column) for v, r in zip(values, rows)],
                           index=values.index, dtype=object)
    text = _text(values)
    empty = _mask(text == "")
    negative = _mask(text.str.startswith(("-", "\u2212")))
    bad = ~empty & ~negative & ~_mask(text.str.fullmatch(COUNT.pattern))
    digits = text.str.replace(",", "", regex=False)
    huge = ~empty & ~negative & ~bad & _mask(digits.str.len() > MAX_COUNT_DIGITS)
    for mask, message in ((negative, "negative downloads {!r}"), (bad, "downloads {!r} is not a number"),
                          (huge, "downloads {!r} is implausibly large")):
        if mask.any():
            i = int(np.argmax(mask))
            raise DataError(message.format(text.iloc[i]), path=path, row=int(rows[i]), column=column)
    numbers = pc.cast(pa.array(digits.mask(empty, "0").array), pa.int64()).to_numpy()
    return pd.Series(pd.arrays.IntegerArray(numbers, empty), index=values.index)


MAX_COUNT_DIGITS = 15  # a day's downloads of one app in one country: far beyond any real count


def _cell_text(value, path: Path, row: int, column: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise DataError(f"downloads {value!r} is not a number", path=path, row=row, column=column)
    if isinstance(value, float) and value != int(value):
        raise DataError(f"downloads {value} is not a whole number", path=path, row=row, column=column)
    return str(int(value)) if isinstance(value, (int, float)) else value


def _tidy(table: pd.DataFrame, mapping: dict[str, str], rows: np.ndarray, path: Path,
          dates: _Dates) -> pd.DataFrame:
    """One block of rows (file headers → ``mapping``) as tidy rows, one per platform."""
    names = {ours: str(theirs) for theirs, ours in mapping.items()}
    table = table.rename(columns=mapping).reset_index(drop=True)
    day = dates.parse(table["date"], rows, names["date"])
    text = {c: _text(table[c]) for c in ("app_id", "app_name", "country") if c in table}
    for column in ("app_id", "country"):
        empty = _mask(text[column] == "")
        if empty.any():
            raise DataError("value is missing", path=path, row=int(rows[int(np.argmax(empty))]),
                            column=names[column])
    app_name = text["app_name"].mask(text["app_name"] == "") if "app_name" in text else None
    pieces = [pd.DataFrame({
        "date": day, "app_id": text["app_id"], "app_name": app_name,
        "country": text["country"].str.upper(), "platform": platform,
        "downloads": _counts(table[platform], rows, path, names[platform]),
        "_row": rows, "_column": names[platform]}) for platform in PLATFORMS if platform in table]
    return _compact(pd.concat(pieces, ignore_index=True))


_CATEGORIES = ("app_id", "app_name", "country", "platform", "_column")


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as categories of plain ``str`` (factorised in Arrow, few Python objects)."""
    for column in _CATEGORIES:
        values = frame[column].astype("category")
        frame[column] = values.cat.rename_categories(values.cat.categories.astype(object))
    return frame


def _finished(pieces: list[pd.DataFrame], dates: _Dates, path: Path, first_row: int) -> pd.DataFrame:
    """The blocks as one frame, categories merged; refused if there is no row at all."""
    if not pieces or not sum(len(piece) for piece in pieces):
        raise DataError("no data rows below the header", path=path, row=first_row)
    dates.finish()
    columns = {}
    for column in pieces[0].columns:
        if column in _CATEGORIES:
            columns[column] = union_categoricals([piece[column] for piece in pieces],
                                                 sort_categories=True)
        else:
            columns[column] = pd.concat([piece[column] for piece in pieces], ignore_index=True)
    return pd.DataFrame(columns)


def _from_table(path: Path, table: pd.DataFrame, first_row: int) -> pd.DataFrame:
    """A whole table already in memory (a workbook sheet)."""
    dates = _Dates(path)
    pieces = [_tidy(table, _columns(path, table.columns), first_row + np.arange(len(table)), path,
                    dates)] if len(table) else []
    return _finished(pieces, dates, path, first_row)


_API_PLATFORMS = {"iu": "iphone", "au": "ipad", "u": "android"}


def _from_api(path: Path) -> pd.DataFrame:
    try:
        records = strictjson.loads(path.read_text(encoding="utf-8-sig"))
    except ValueError as error:  # not UTF-8, not JSON, NaN, 1e999, nested too deep
        raise DataError(f"not a JSON document we can read ({error})", path=path) from None
    if not isinstance(records, list):
        raise DataError("expected a JSON array of records", path=path)
    tables: dict[bool, list] = {True: [], False: []}  # iOS records, Android records
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise DataError("record is not an object", path=path, row=number)
        ios = "cc" in record
        needed = ["aid", "cc" if ios else "c", "d"] + (["iu", "au"] if ios else ["u"])
        for key in needed:
            if key not in record:
                raise DataError(f"record lacks {key!r}", path=path, row=number, column=key)
        tables[ios].append({key: record[key] for key in needed} | {"d": str(record["d"])[:10],
                                                                    "_number": number})
    dates, pieces = _Dates(path), []
    for ios, rows in tables.items():
        if rows:
            table = pd.DataFrame(rows)
            mapping = {"aid": "app_id", "cc" if ios else "c": "country", "d": "date",
                       **{key: _API_PLATFORMS[key] for key in (("iu", "au") if ios else ("u",))}}
            pieces.append(_tidy(table.drop(columns="_number").astype({"aid": str}), mapping,
                                table["_number"].to_numpy(), path, dates))
    return _finished(pieces, dates, path, 1)


def daily_downloads(frame: pd.DataFrame, app: str, countries=None) -> pd.Series:
    """Downloads of ``app`` (its id or name) per day, all platforms added up, and all countries
    (worldwide) or only ``countries``. A missing count on any day raises rather than being
    added up as zero, and so does a country or platform absent on some days: the total would
    change scope from one day to the next."""
    names = frame["app_name"].astype(object).str.lower()
    rows = frame[(frame["app_id"].astype(object) == str(app)) | (names == str(app).lower())]
    if rows.empty:
        raise DataError(f"no rows for app {app!r}")
    if countries is not None:
        wanted = {c.upper() for c in countries}
        absent = wanted - set(rows["country"])
        if absent:
            raise DataError(f"no rows for app {app!r} in {sorted(absent)}")
        rows = rows[rows["country"].isin(wanted)]
    if rows["downloads"].isna().any():
        days = sorted({d.date().isoformat() for d in rows.loc[rows["downloads"].isna(), "date"]})
        raise DataError(f"missing download counts for {app!r} on {', '.join(days[:10])}")
    _check_coverage(rows, app)
    series = rows.groupby("date")["downloads"].sum().astype(float)
    series.index = pd.DatetimeIndex(series.index, name="date")
    return series.rename(str(app))


def _check_coverage(rows: pd.DataFrame, app: str) -> None:
    """Every country and platform of ``rows`` must have a row on every day of ``rows``."""
    days = pd.DatetimeIndex(rows["date"].unique()).sort_values()
    pairs = rows.groupby(["country", "platform"], observed=True)["date"].nunique()
    lacking = pairs[pairs < len(days)]
    if len(lacking):
        country, platform = lacking.index[0]
        present = rows.loc[(rows["country"] == country) & (rows["platform"] == platform), "date"]
        missing = [d.date().isoformat() for d in days.difference(pd.DatetimeIndex(present))]
        raise DataError(f"{app!r} has no {platform} row for {country} on {', '.join(missing[:10])}"
                        f"{' …' if len(missing) > 10 else ''} (present on other days): a total over "
                        "countries would change scope; restrict to complete countries or re-export")

