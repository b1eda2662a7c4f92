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

>>> frame = read_downloads(paths.SYNTHETIC / "synthetic-sensortower-grok-export.csv")
>>> sorted(frame["platform"].unique())
['android', 'ipad', 'iphone']
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from analysis import changes, paths  # noqa: F401  (paths: the doctests read the synthetic export)
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


def read_downloads(path: str | Path) -> pd.DataFrame:
    """Any supported Sensor Tower file as the tidy frame; :class:`DataError` names file, row, column."""
    path = Path(path)
    if not path.exists():
        raise DataError("file not found", path=path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        tidy = _from_api(path)
    elif suffix == ".csv":
        tidy = _from_table(path, *_read_csv(path))
    elif suffix in (".xlsx", ".xlsm"):
        tidy = _from_table(path, pd.read_excel(path, dtype=object, engine="openpyxl"), 2)
    else:
        raise DataError(f"unsupported file type {suffix!r}: expected .json, .csv or .xlsx", path=path)
    duplicated = tidy.duplicated(["date", "app_id", "country", "platform"], keep="first")
    if duplicated.any():
        first = tidy[duplicated].iloc[0]
        raise DataError(f"duplicate row for {first['date'].date()}, app {first['app_id']}, "
                        f"{first['country']}, {first['platform']}", path=path,
                        row=int(first["_row"]), column=str(first["_column"]))
    return tidy[TIDY].sort_values(["date", "app_id", "country", "platform"], ignore_index=True)


def _read_csv(path: Path) -> tuple[pd.DataFrame, int]:
    """The CSV's table and the file row of its first data line (after any ``#`` header lines)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise DataError(f"not UTF-8 (byte 0x{data[error.start]:02x}): re-save the export as UTF-8",
                        path=path, row=line) from None
    lines = text.splitlines()
    skipped = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    frame = pd.read_csv(io.StringIO("\n".join(lines[skipped:])), dtype=str, keep_default_na=False)
    return frame, skipped + 2


def _columns(path: Path, headers) -> dict[str, str]:
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


def _date(value, path: Path, row: int, column: str, style: list) -> pd.Timestamp:
    """One date cell. ``style`` remembers the file's first format: a file mixing formats is refused."""
    if isinstance(value, datetime):
        found, stamp = "excel", pd.Timestamp(value).normalize()
    else:
        text = str(value).strip()
        if ISO_DATE.fullmatch(text):
            found, stamp = "iso", pd.Timestamp(text)
        elif match := US_DATE.fullmatch(text):
            month, day, year = (int(part) for part in match.groups())
            if month > 12:
                raise DataError(f"ambiguous date {text!r}: not US month/day/year (day first?)",
                                path=path, row=row, column=column)
            found, stamp = "us", pd.Timestamp(year=year, month=month, day=day)
        else:
            raise DataError(f"ambiguous or unknown date {text!r}: expected YYYY-MM-DD or m/d/YYYY",
                            path=path, row=row, column=column)
    if not style:
        style.append(found)
    elif style[0] != found:
        raise DataError(f"date {value!s} is written {found} while earlier rows are {style[0]}: "
                        "ambiguous", path=path, row=row, column=column)
    return stamp


def _count(value, path: Path, row: int, column: str) -> int | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0:
            raise DataError(f"negative downloads {value}", path=path, row=row, column=column)
        if value != int(value):
            raise DataError(f"downloads {value} is not a whole number", path=path, row=row, column=column)
        return int(value)
    text = str(value).strip()
    if text == "":
        return None
    if text.startswith(("-", "\u2212")):
        raise DataError(f"negative downloads {text!r}", path=path, row=row, column=column)
    if not COUNT.fullmatch(text):
        raise DataError(f"downloads {text!r} is not a number", path=path, row=row, column=column)
    return int(text.replace(",", ""))


def _from_table(path: Path, table: pd.DataFrame, first_row: int) -> pd.DataFrame:
    mapping = _columns(path, table.columns)
    originals = {ours: theirs for theirs, ours in mapping.items()}
    style: list[str] = []
    records = []
    for offset, cells in enumerate(table.to_dict("records")):
        row = first_row + offset
        date = _date(cells[originals["date"]], path, row, str(originals["date"]), style)
        text = {c: ("" if pd.isna(cells[originals[c]]) else str(cells[originals[c]]).strip())
                for c in ("app_id", "app_name", "country") if c in originals}
        for column in ("app_id", "country"):
            if not text[column]:
                raise DataError("value is missing", path=path, row=row, column=str(originals[column]))
        for platform in PLATFORMS:
            if platform in originals:
                records.append({"date": date, "app_id": text["app_id"],
                                "app_name": text.get("app_name") or None,
                                "country": text["country"].upper(), "platform": platform,
                                "downloads": _count(cells[originals[platform]], path, row,
                                                    str(originals[platform])),
                                "_row": row, "_column": originals[platform]})
    return _frame(records)


def _frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=[*TIDY, "_row", "_column"])
    frame["downloads"] = frame["downloads"].astype("Int64")
    return frame


_API_PLATFORMS = {"iu": "iphone", "au": "ipad", "u": "android"}


def _from_api(path: Path) -> pd.DataFrame:
    try:
        records = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DataError(f"not a JSON document ({error})", path=path) from None
    if not isinstance(records, list):
        raise DataError("expected a JSON array of records", path=path)
    style: list[str] = []
    rows = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise DataError("record is not an object", path=path, row=number)
        ios = "cc" in record
        country_key = "cc" if ios else "c"
        needed = ["aid", country_key, "d"] + (["iu", "au"] if ios else ["u"])
        for key in needed:
            if key not in record:
                raise DataError(f"record lacks {key!r}", path=path, row=number, column=key)
        date = _date(str(record["d"])[:10], path, number, "d", style)
        for key in needed[3:]:
            rows.append({"date": date, "app_id": str(record["aid"]), "app_name": None,
                         "country": str(record[country_key]).upper(), "platform": _API_PLATFORMS[key],
                         "downloads": _count(record[key], path, number, key), "_row": number, "_column": key})
    return _frame(rows)


def daily_downloads(frame: pd.DataFrame, app: str, countries=None) -> pd.Series:
    """Downloads of ``app`` (its id or name) per day, all platforms added up, and all countries
    (worldwide) or only ``countries``. A missing count on any day raises rather than being
    added up as zero."""
    rows = frame[(frame["app_id"] == str(app)) | (frame["app_name"].str.lower() == str(app).lower())]
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
    series = rows.groupby("date")["downloads"].sum().astype(float)
    series.index = pd.DatetimeIndex(series.index, name="date")
    return series.rename(str(app))


WINDOW = ("2026-01-01", "2026-01-19")


def mean_daily_change(frame: pd.DataFrame, app: str = "Grok", window=WINDOW, countries=None) -> float:
    """The article's method: percent change of mean daily downloads over ``window`` against the
    same days of the previous month (1–19 Jan 2026 vs 1–19 Dec 2025), worldwide by default."""
    series = daily_downloads(frame, app, countries)
    return changes.window_mean_change(series, window, changes.same_days_previous_month(window))
