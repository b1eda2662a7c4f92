"""NCMEC's Global Platform for Child Exploitation Policy: France's 2024 figures by half-year.

The platform (globalchildexploitationpolicy.org) publishes, per country and half-year, the
CyberTipline reports it *referred* and the ten providers that sent the most: the only public
figures crossing a platform with a country. We hold France's 2024 entries as a third party
captured them from the platform's JSON (resource ``ncmec-gpcep-2024-france``, evidence
``transcription``). Careful-reader notes, encoded here rather than remembered:

- **referrals only**: NCMEC's informational reports are not in these counts;
- **rounded**: counts are stored as NCMEC rounds them (12000, 9100), so a half-year pair does not
  add up to the year exactly (:func:`check_halves_against_year` allows the rounding, no more);
- the full year's ``cybertipline_reports_total`` for France (310,519) is NCMEC's 2023 figure for
  France to the unit; the halves give "--", which stays missing;
- small values may be stored as "<10" or "&#60;10" (HTML for "<"): a hidden count, kept missing.

>>> esps = france_esps().set_index(["period", "esp"])
>>> int(esps.loc[("2024 H1", "X Corp"), "referrals"]), int(esps.loc[("2024 H2", "X Corp"), "referrals"])
(12000, 9100)
"""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pandera.pandas as pa

from analysis import changes, datapackage, evidence
from analysis.errors import DataError
from analysis.validate import check, once_per_content

RESOURCE = "ncmec-gpcep-2024-france"
# The file's key of each period → (our label, the header's "period", first day, last day).
PERIODS = {
    "2024H1": ("2024 H1", "2024H1", "2024-01-01", "2024-06-30"),
    "2024H2": ("2024 H2", "2024H2", "2024-07-01", "2024-12-31"),
    "2024": ("2024", "2024Y", "2024-01-01", "2024-12-31"),
}
HALVES, YEAR = ("2024H1", "2024H2"), "2024"
MISSING = "--"  # the platform's "no figure"
HIDDEN = re.compile(r"<\s*\d+")  # "<10": a count the platform does not show

_ESPS_SCHEMA = pa.DataFrameSchema(
    {"period": pa.Column(str), "rank": pa.Column(int, pa.Check.in_range(1, 10)),
     "esp": pa.Column(str, pa.Check.str_length(min_value=1)), "referrals": pa.Column("Int64", pa.Check.ge(0), nullable=True)},
    unique=["period", "esp"], strict=True, ordered=True)


def _load(path) -> dict:
    try:
        data = json.loads(open(path, encoding="utf-8").read())
    except FileNotFoundError:
        raise DataError("file not found", path=path) from None
    except UnicodeDecodeError as error:
        raise DataError(f"not UTF-8 (byte 0x{error.object[error.start]:02x})", path=path) from None
    except json.JSONDecodeError as error:
        raise DataError(f"invalid JSON: {error.msg}", path=path, row=error.lineno) from None
    if not isinstance(data, dict):
        raise DataError("expected a JSON object with 'esp_isp' and 'reports'", path=path)
    return data


def _entry(data: dict, section: str, key: str, path) -> dict:
    """One period's entry of a section, its header checked against the period it is filed under."""
    entries = data.get(section)
    if not isinstance(entries, dict):
        raise DataError(f"no section {section!r}", path=path, column=section)
    if key not in entries:  # a missing period: the halves and the year are all needed
        raise DataError(f"no {key} entry (entries: {sorted(entries)})", path=path, column=section)
    entry = entries[key]
    header = entry.get("header", {}) if isinstance(entry, dict) else {}
    expected = PERIODS[key][1]
    if header.get("period") != expected or header.get("year") != int(key[:4]):
        raise DataError(f"the {key} entry's header says period {header.get('period')!r}, year {header.get('year')!r}; "
                        f"expected {expected!r}, {int(key[:4])}", path=path, column=f"{section}.{key}.header")
    return entry


def count(value, path, where: str):
    """A stored count: a whole number as is; "--" and hidden small counts ("<10", "&#60;10") as
    missing (pd.NA); anything else is refused, naming where it is.

    >>> count(9100, "f.json", "x"), count("--", "f.json", "x"), count("&#60;10", "f.json", "x")
    (9100, <NA>, <NA>)
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and (value == MISSING or HIDDEN.fullmatch(html.unescape(value).strip())):
        return pd.NA
    raise DataError(f"{value!r} is not a count", path=path, column=where)


@once_per_content
def read_esps(path) -> pd.DataFrame:
    """France's ten largest reporting providers per period, as stored (names differ between the
    half-year and full-year files: "Instagram, Inc." and "Instagram Inc").

    Columns: ``period`` ("2024 H1", "2024 H2", "2024"), ``period_start, period_end, rank, esp,
    referrals`` (nullable), ``evidence``.
    """
    data = _load(path)
    rows = []
    for key in PERIODS:
        esps = _entry(data, "esp_isp", key, path).get("france_esps")
        if not isinstance(esps, dict) or not esps:
            raise DataError(f"the {key} entry lists no providers for France", path=path,
                            column=f"esp_isp.{key}.france_esps")
        for rank, (esp, value) in enumerate(esps.items(), start=1):
            rows.append({"period": PERIODS[key][0], "rank": rank, "esp": esp,
                         "referrals": count(value, path, f"esp_isp.{key}.france_esps.{esp}")})
    frame = pd.DataFrame(rows).astype({"referrals": "Int64"})
    frame = check(frame, _ESPS_SCHEMA, path=path, row_of=lambda i: None)
    check_halves_against_year(frame, "esp", "referrals", path, "esp_isp")
    return _dated(frame).assign(evidence=evidence.TRANSCRIPTION)


@once_per_content
def read_country(path) -> pd.DataFrame:
    """France's country record per period: reports referred, and the reports total the platform
    gives (the halves give none).

    Columns: ``period, period_start, period_end, country, reports_referred, reports_total`` (nullable),
    ``evidence``.
    """
    data = _load(path)
    rows = []
    for key in PERIODS:
        france = _entry(data, "reports", key, path).get("france")
        if not isinstance(france, dict) or france.get("id") != "FR":
            raise DataError(f"the {key} entry has no record for France (id 'FR')", path=path, column=f"reports.{key}.france")
        rows.append({"period": PERIODS[key][0], "country": "France", **{
            ours: count(france.get(theirs), path, f"reports.{key}.france.{theirs}")
            for ours, theirs in (("reports_referred", "cybertipline_reports_referred"),
                                 ("reports_total", "cybertipline_reports_total"))}})
    frame = pd.DataFrame(rows).astype({"reports_referred": "Int64", "reports_total": "Int64"})
    check_halves_against_year(frame, "country", "reports_referred", path, "reports")
    return _dated(frame).assign(evidence=evidence.TRANSCRIPTION)


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    spans = {label: (pd.Timestamp(start), pd.Timestamp(end)) for label, _, start, end in PERIODS.values()}
    frame.insert(1, "period_start", frame["period"].map(lambda p: spans[p][0]))
    frame.insert(2, "period_end", frame["period"].map(lambda p: spans[p][1]))
    return frame


def _skeleton(name: str) -> str:
    """A provider's name as letters and digits only: "Instagram, Inc." and "Instagram Inc" agree."""
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def check_halves_against_year(frame: pd.DataFrame, key: str, column: str, path, section: str) -> None:
    """Refuse a year whose figure is further from its two halves' sum than the three roundings
    allow (:func:`analysis.changes.rounding_interval`): one of them was misread or changed. Only
    names present with a figure in all three periods are compared."""
    labels = {PERIODS[k][0]: k for k in PERIODS}
    values = {}
    for row in frame.itertuples():
        if not pd.isna(getattr(row, column)):
            values.setdefault(_skeleton(getattr(row, key)), {})[labels[row.period]] = (getattr(row, key), int(getattr(row, column)))
    for periods in values.values():
        if set(periods) != set(PERIODS):
            continue
        (_, h1), (_, h2), (name, year) = (periods[k] for k in (*HALVES, YEAR))
        slack = sum(high - low for low, high in map(changes.rounding_interval, (h1, h2, year))) / 2
        if abs(h1 + h2 - year) > slack:
            raise DataError(f"{name}: H1 {h1:,} + H2 {h2:,} = {h1 + h2:,}, but the year gives {year:,}: further apart "
                            f"than rounding allows (±{slack:,.0f})", path=path, column=f"{section}.{YEAR}")


def france_esps() -> pd.DataFrame:
    """See :func:`read_esps`."""
    return read_esps(datapackage.read(RESOURCE))


def france_country() -> pd.DataFrame:
    """See :func:`read_country`."""
    return read_country(datapackage.read(RESOURCE))
