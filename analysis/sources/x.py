"""X's (formerly Twitter's) own child-safety figures, each with where it was printed.

Four sources, three degrees of directness:

- X Global Transparency Report H1 2024 — parsed from X's PDF (page 7, "Child Safety");
- X's 2024 half-years as a third party (diaphanous) transcribed them: H1 from the report above
  (checked against our parse), H2 from X's 2025 Global Transparency Report, which we do not hold;
- Twitter's child-sexual-exploitation enforcement per half-year, 2018 H2 – 2022 H1 — a third
  party's transcription (diaphanous) of transparency.twitter.com, which no longer serves it;
- X Safety's statement of 18 June 2025 — reported only, as quoted by the press (Next.ink).

:func:`self_reported` stacks them into one tidy frame with a ``evidence`` per row.

>>> report = transparency_report_2024_h1().set_index("measure")
>>> int(report.loc["reports_to_ncmec", "total"]), int(report.loc["reports_to_ncmec", "page"])
(370588, 7)
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pandera.pandas as pa

from analysis import datapackage, evidence, tracking
from analysis.cache import cached_frame
from analysis.errors import DataError
from analysis.validate import check, once_per_content, read_csv

REPORT_RESOURCE = "x-transparency-report-2024-h1"
HALVES_RESOURCE = "x-transparency-2024-halves"
ENFORCEMENT_RESOURCE = "diaphanous-ocse-disclosures"
STATEMENT_RESOURCE = "x-safety-statement-2025-06-18"

CHILD_SAFETY_ROWS = {  # label printed in X's table → our measure name
    "NCMEC Reports": "reports_to_ncmec",
    "Accounts Suspended": "accounts_suspended",
    "Content Removed": "content_removed",
}
_ROW = re.compile(r"^(?P<label>NCMEC Reports|Accounts Suspended|Content Removed)(?: \d)? "
                  r"(?P<total>[\d,]+) (?P<automated>[\d,]+) (?P<human>[\d,]+)$")


def read_transparency_report(path) -> pd.DataFrame:
    """The child-safety table of X's Global Transparency Report, read from the PDF's text.

    Columns: ``measure, total, automated, human, page``. Checks that the section is there, that
    each of the three rows is found once, and that automated + human = total as printed.
    """
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except FileNotFoundError:
        raise DataError("file not found", path=path) from None
    except Exception as error:  # pdfminer raises several unrelated types for a damaged file
        raise DataError(f"not a readable PDF ({type(error).__name__})", path=path) from None
    rows = []
    with pdf:
        for number, page in enumerate(pdf.pages, start=1):
            text = page.extract_text() or ""
            if "CHILD SAFETY" not in text:
                continue
            section = text.split("CHILD SAFETY", 1)[1]
            for line in section.splitlines():
                if len(rows) == len(CHILD_SAFETY_ROWS):
                    break  # the next section repeats the same row labels
                if match := _ROW.match(line.strip()):
                    counts = {k: int(match[k].replace(",", "")) for k in ("total", "automated", "human")}
                    rows.append({"measure": CHILD_SAFETY_ROWS[match["label"]], **counts, "page": number})
                    if counts["automated"] + counts["human"] != counts["total"]:
                        raise DataError(f"{match['label']}: automated + human ≠ total as printed",
                                        path=path, page=number)
            break
    found = {row["measure"] for row in rows}
    if found != set(CHILD_SAFETY_ROWS.values()) or len(rows) != len(found):
        raise DataError(f"child-safety table not found as expected (rows read: {sorted(found)})",
                        path=path)
    return pd.DataFrame(rows)


def transparency_report_2024_h1() -> pd.DataFrame:
    """X's H1 2024 child-safety figures; see :func:`read_transparency_report`."""
    return _transparency_report().copy()


@datapackage.memoized
def _transparency_report() -> pd.DataFrame:
    def parse() -> pd.DataFrame:
        tracking.record_library("pdfplumber")
        return read_transparency_report(datapackage.read(REPORT_RESOURCE))

    return cached_frame(REPORT_RESOURCE, parse)


# The transcription's columns: the first four are the transcriber's layout for Twitter's older
# reports (empty for 2024); then each of X's three child-safety rows, automated and human.
_HALVES_UNUSED = ("accounts actioned", "accounts", "distinct pieces")
_HALVES_COLUMNS = {  # transcriber's column → (our measure, how it was actioned)
    "pieces (automated)": ("content_removed", "automated"), "pieces (human)": ("content_removed", "human"),
    "reports (automated)": ("reports_to_ncmec", "automated"), "reports (human)": ("reports_to_ncmec", "human"),
    "accounts (automated)": ("accounts_suspended", "automated"), "accounts (human)": ("accounts_suspended", "human"),
}
_HALVES_SCHEMA = pa.DataFrameSchema(
    {"period": pa.Column(str, pa.Check.str_matches(r"^\d{4} H[12]$"), unique=True),
     **{column: pa.Column("Int64", pa.Check.ge(0), nullable=True) for column in _HALVES_UNUSED},
     **{column: pa.Column("Int64", pa.Check.ge(0)) for column in _HALVES_COLUMNS}},
    strict=True, ordered=True, coerce=True)
HALVES_2024 = ("2024 H1", "2024 H2")


@once_per_content
def read_transparency_halves(path) -> pd.DataFrame:
    """X's child-safety figures per half-year as the third party transcribed them, one row per
    half-year and measure (``reports_to_ncmec``, ``accounts_suspended``, ``content_removed``).

    Columns: ``period`` ("2024 H2"), ``period_start, period_end, measure, automated, human, total``
    (automated + human: the transcription gives the two parts, X's PDF prints their sum), ``row``
    (the CSV line), ``evidence`` (``transcription``). Both halves of 2024 must be there.
    """
    frame = check(read_csv(path), _HALVES_SCHEMA, path=path, row_of=lambda i: int(i) + 2)
    for period in HALVES_2024:
        if period not in set(frame["period"]):
            raise DataError(f"no row for {period} (rows: {sorted(frame['period'])})", path=path, column="period")
    rows = []
    for index, row in frame.iterrows():
        start = pd.Timestamp(f"{row['period'][:4]}-{'01' if row['period'].endswith('H1') else '07'}-01")
        for measure in dict.fromkeys(measure for measure, _ in _HALVES_COLUMNS.values()):
            parts = {how: int(row[column]) for column, (name, how) in _HALVES_COLUMNS.items() if name == measure}
            rows.append({"period": row["period"], "period_start": start,
                         "period_end": start + pd.DateOffset(months=6) - pd.Timedelta(days=1), "measure": measure,
                         **parts, "total": parts["automated"] + parts["human"], "row": int(index) + 2})
    return pd.DataFrame(rows).assign(evidence=evidence.TRANSCRIPTION)


def check_halves_against_report(halves: pd.DataFrame, report: pd.DataFrame, path) -> None:
    """Refuse a transcription whose 2024 H1 differs from what our parser reads in X's H1 2024
    PDF, naming the transcription's row and column: the PDF is the primary document."""
    h1 = halves[halves["period"] == HALVES_2024[0]].set_index("measure")
    printed = report.set_index("measure")
    for (measure, how), column in {value: key for key, value in _HALVES_COLUMNS.items()}.items():
        theirs, ours = int(h1.loc[measure, how]), int(printed.loc[measure, how])
        if theirs != ours:
            raise DataError(f"{theirs:,} for {HALVES_2024[0]}, but X's H1 2024 report prints {ours:,} "
                            f"(p. {int(printed.loc[measure, 'page'])}): the transcription does not match its source",
                            path=path, row=int(h1.loc[measure, "row"]), column=column)


def transparency_halves_2024() -> pd.DataFrame:
    """X's 2024 half-years (see :func:`read_transparency_halves`), the first checked against X's H1
    2024 report as we parse it."""
    path = datapackage.read(HALVES_RESOURCE)
    halves = read_transparency_halves(path)
    check_halves_against_report(halves, transparency_report_2024_h1(), path)
    return halves


_ENFORCEMENT_COLUMNS = {  # diaphanous column → ours
    "accounts actioned": "accounts_actioned",
    "accounts": "accounts_suspended",
    "distinct pieces": "content_removed",
}
_ENFORCEMENT_SCHEMA = pa.DataFrameSchema(
    {"period": pa.Column(str, pa.Check.str_matches(r"^\d{4} H[12]$"), unique=True),
     **{column: pa.Column("Int64", pa.Check.ge(0), nullable=True)
        for column in _ENFORCEMENT_COLUMNS.values()}},
    strict=True, coerce=True)


@once_per_content
def read_twitter_enforcement(path) -> pd.DataFrame:
    """Twitter's CSE enforcement per half-year from the diaphanous transcription.

    Columns: ``period`` ("2021 H2"), ``period_start``, ``period_end``, ``accounts_actioned``,
    ``accounts_suspended``, ``content_removed``; oldest first.
    """
    try:
        platform = json.loads(open(path, encoding="utf-8").read())["Twitter"]
        columns = platform["columns"]
        rows = [(period, values) for row in platform["rows"] for period, values in row.items()]
    except FileNotFoundError:
        raise DataError("file not found", path=path) from None
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
        raise DataError(f"not the expected diaphanous layout ({type(error).__name__}: {error})",
                        path=path) from None
    missing = set(_ENFORCEMENT_COLUMNS) - set(columns)
    if missing:
        raise DataError(f"missing column(s) {sorted(missing)}", path=path, column=sorted(missing)[0])
    frame = pd.DataFrame([{"period": period, **{ours: values[columns.index(theirs)]
                                                for theirs, ours in _ENFORCEMENT_COLUMNS.items()}}
                          for period, values in rows])
    frame = check(frame, _ENFORCEMENT_SCHEMA, path=path, row_of=lambda i: int(i) + 1)
    halves = frame["period"].str.extract(r"(?P<y>\d{4}) H(?P<h>[12])").astype(int)
    frame.insert(1, "period_start", pd.to_datetime(dict(year=halves["y"], month=6 * halves["h"] - 5, day=1)))
    frame.insert(2, "period_end", frame["period_start"] + pd.DateOffset(months=6) - pd.Timedelta(days=1))
    return frame.sort_values("period_start", ignore_index=True)


def twitter_enforcement() -> pd.DataFrame:
    """See :func:`read_twitter_enforcement`."""
    return read_twitter_enforcement(datapackage.read(ENFORCEMENT_RESOURCE))


_STATEMENT_SCHEMA = pa.DataFrameSchema(
    {"measure": pa.Column(str, unique=True), "value": pa.Column(int, pa.Check.ge(0)),
     "unit": pa.Column(str), "period_start": pa.Column("datetime64[ns]"),
     "period_end": pa.Column("datetime64[ns]"), "said_by": pa.Column(str),
     "said_on": pa.Column("datetime64[ns]"), "reported_by": pa.Column(str),
     "reported_on": pa.Column("datetime64[ns]"), "quote_fr": pa.Column(str)},
    strict=True, ordered=True, coerce=True)


@once_per_content
def read_statement(path) -> pd.DataFrame:
    """X Safety's figures as quoted by the press; every row is ``reported-only``."""
    frame = check(read_csv(path), _STATEMENT_SCHEMA, path=path, row_of=lambda i: int(i) + 2)
    return frame.assign(evidence=evidence.REPORTED)


def safety_statement_2025() -> pd.DataFrame:
    """See :func:`read_statement`."""
    return read_statement(datapackage.read(STATEMENT_RESOURCE))


def self_reported() -> pd.DataFrame:
    """All of X's self-reported figures in one frame, each with its source and status.

    Columns: ``period_start, period_end, measure, value, source, evidence``.
    """
    report = transparency_report_2024_h1()
    h1_2024 = pd.DataFrame({
        "period_start": pd.Timestamp("2024-01-01"), "period_end": pd.Timestamp("2024-06-30"),
        "measure": report["measure"], "value": report["total"].astype("Int64"),
        "source": "X Global Transparency Report H1 2024, p. " + report["page"].astype(str),
        "evidence": evidence.PRIMARY,
    })
    enforcement = twitter_enforcement().melt(
        id_vars=["period_start", "period_end"], value_vars=list(_ENFORCEMENT_COLUMNS.values()),
        var_name="measure", value_name="value").assign(
        source="Twitter Transparency Center, as transcribed by diaphanous",
        evidence=evidence.TRANSCRIPTION)
    halves = transparency_halves_2024()
    h2_2024 = halves[halves["period"] == HALVES_2024[1]].assign(
        value=lambda h: h["total"], source="X Global Transparency Report 2025, as transcribed by diaphanous")[
        ["period_start", "period_end", "measure", "value", "source", "evidence"]]
    statement = safety_statement_2025()
    statement = statement.assign(
        source="X Safety, 18 June 2025, as quoted by " + statement["reported_by"])[
        ["period_start", "period_end", "measure", "value", "source", "evidence"]]
    frame = pd.concat([enforcement, h1_2024, h2_2024, statement], ignore_index=True)
    frame["value"] = frame["value"].astype("Int64")
    return frame.sort_values(["period_start", "measure"], ignore_index=True)
