"""NCMEC's CyberTipline tables: reports by provider and by country, parsed from NCMEC's own PDFs.

Years 2019–2023 come from the PDFs in ``data/raw/ncmec/`` (one data-package resource per PDF,
``ncmec-by-esp-YYYY`` and ``ncmec-by-country-YYYY``); 2024 comes from a third party's
transcription of NCMEC's 2024 PDF (every row it holds, the larger providers only), and 2025 from
the same transcription with no source (unverified). Every frame carries an ``evidence`` column
saying which (:mod:`analysis.evidence`).

Careful-reader notes, encoded here rather than remembered:

- the provider label is kept exactly as NCMEC prints it ("Twitter, Inc.", "Twitter", "X Corp",
  "Facebook*" — the asterisk marks combined related platforms in 2019–2020);
- in 2023 NCMEC lists X twice ("Twitter, Inc. / Vine.co" and "X Corp"): company totals add the
  rows up through ``data/reference/ncmec-provider-companies.csv``;
- the provider table's total counts reports from providers only; the country table's total counts
  all CyberTipline reports;
- the transcription keeps the printed "ESP Total" but only the larger providers' rows: shares are
  of that total, and its rows must not exceed it, not add up to it.

>>> frame = reports_by_provider()
>>> int(frame.query("year == 2023 and provider == 'X Corp'")["reports"].iloc[0])
273416
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import datapackage, evidence, tracking
from analysis.cache import cached_frame
from analysis.errors import DataError
from analysis.pdftables import TOTAL, read_count_table
from analysis.validate import check, once_per_content, read_csv

TRANSCRIPTION_RESOURCE = "ncmec-esp-2024-2025-transcription"
COMPANIES_RESOURCE = "ncmec-provider-companies"
# In the transcription, "ESP Total" is the provider table's total; "Total" is all CyberTipline reports.
TRANSCRIBED_PROVIDER_TOTAL = "ESP Total"
TRANSCRIBED_ALL_REPORTS_TOTAL = "Total"

_COUNT = pa.Column("Int64", pa.Check.ge(0), nullable=True)
_YEAR = pa.Column(int, pa.Check.in_range(1998, 2100))


def _table_schema(label: str) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {"year": _YEAR, label: pa.Column(str, pa.Check.str_length(min_value=1)), "reports": _COUNT,
         "is_total": pa.Column(bool), "page": pa.Column(int, pa.Check.ge(1))},
        unique=["year", label], strict=True, ordered=True)


@once_per_content
def read_pdf_table(path: str | Path, year: int, kind: str) -> pd.DataFrame:
    """One NCMEC PDF as a tidy frame; ``kind`` is ``"esp"`` (providers) or ``"country"``.

    Columns: ``year``, ``provider`` or ``country`` (as printed), ``reports`` (nullable integer: a
    dash in the PDF stays missing), ``is_total`` (the table's printed total row), ``page``.
    Checks that the PDF is the expected year's table and that its rows add up to its total.
    """
    label, header = {"esp": ("provider", r"\bESP\b"), "country": ("country", r"\bCountry\b")}[kind]
    text = _first_page_text(path)
    if not re.search(rf"\b{year}\b", text):
        raise DataError(f"the first page does not mention {year}: not that year's table", path=path,
                        page=1)
    rows = read_count_table(path, header=header)
    frame = pd.DataFrame({
        "year": year,
        label: [row.label for row in rows],
        "reports": pd.array([row.count for row in rows], dtype="Int64"),
        "is_total": [bool(TOTAL.fullmatch(row.label)) for row in rows],
        "page": [row.page for row in rows],
    })
    frame = check(frame, _table_schema(label), path=path, row_of=lambda i: int(i) + 1)  # row of the table, in reading order
    _check_total(frame, path)
    return frame


def _first_page_text(path) -> str:
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            return pdf.pages[0].extract_text() or ""
    except FileNotFoundError:
        raise DataError("file not found", path=path) from None
    except Exception as error:  # pdfminer raises several unrelated types for a damaged file
        raise DataError(f"not a readable PDF ({type(error).__name__})", path=path) from None


def _check_total(frame: pd.DataFrame, path) -> None:
    totals = frame[frame["is_total"]]
    if len(totals) != 1:
        raise DataError(f"expected one total row, found {len(totals)}: table layout is not the one "
                        "expected", path=path)
    parsed = int(frame.loc[~frame["is_total"], "reports"].sum())
    printed = int(totals["reports"].iloc[0])
    if parsed != printed:
        raise DataError(f"rows add up to {parsed:,} but the printed total is {printed:,}: "
                        "rows were misread", path=path, page=int(totals["page"].iloc[0]))


def _parse_pdfs(kind: str) -> pd.DataFrame:
    """Every NCMEC PDF of this kind in the data package (``ncmec-by-KIND-YYYY``), parsed."""
    tracking.record_library("pdfplumber")
    frames = [read_pdf_table(datapackage.read(name), int(name[-4:]), kind).assign(source=name)
              for name in datapackage.select(rf"ncmec-by-{kind}-\d{{4}}")]
    return pd.concat(frames, ignore_index=True).assign(evidence=evidence.PRIMARY)


@datapackage.memoized
def _pdf_tables(kind: str) -> pd.DataFrame:
    return cached_frame(f"ncmec-{kind}", lambda: _parse_pdfs(kind))


def reports_by_provider() -> pd.DataFrame:
    """Every provider row of every year's NCMEC PDF, with each table's total row (``is_total``).

    Columns: ``year, provider, reports, is_total, page, source, evidence``. Returns a copy.
    """
    return _pdf_tables("esp").copy()


def reports_by_country() -> pd.DataFrame:
    """Every country row of every year's NCMEC PDF, with each table's total (all reports).

    Columns: ``year, country, reports, is_total, page, source, evidence``. Returns a copy.
    """
    return _pdf_tables("country").copy()


_TRANSCRIPTION_SCHEMA = pa.DataFrameSchema(
    {"year": _YEAR, "platform": pa.Column(str, pa.Check.str_length(min_value=1)),
     "detail": pa.Column(str, nullable=True), "reports": _COUNT},
    unique=["year", "platform", "detail"], strict=True, ordered=True, coerce=True)


def read_transcription(path: str | Path, evidence_by_year: dict[int, str]) -> pd.DataFrame:
    """The third-party transcription of NCMEC's 2024–2025 provider rows, as a tidy frame.

    The file lists ``year, platform, detail, reports``: one company may have several rows, told
    apart by the transcriber's ``detail`` ("Amazon", "AI Services"), and an empty ``reports`` is no
    value given (it stays missing). Each row's ``provider`` is :func:`transcribed_label` of its
    platform and detail. ``evidence_by_year`` says what each year rests on (the data package
    records it with the resource): the transcriber cites NCMEC's 2024 PDF, no document for 2025.

    Columns: ``year, provider, reports, is_total, evidence, row`` (the CSV line). ``is_total``
    marks "ESP Total"; the "Total" row (all CyberTipline reports, not a provider) is left to
    :func:`all_reports_totals`.
    """
    frame = _validated_transcription(path, evidence_by_year)
    frame = frame[frame["provider"] != TRANSCRIBED_ALL_REPORTS_TOTAL]
    return frame.assign(is_total=frame["provider"] == TRANSCRIBED_PROVIDER_TOTAL)[
        ["year", "provider", "reports", "is_total", "evidence", "row"]].reset_index(drop=True)


def transcribed_label(platform: str, detail: str | None) -> str:
    """The provider label of a transcribed row: the platform, with the transcriber's detail in
    brackets where it has one (so that the company map can name each of a company's rows).

    >>> transcribed_label("Amazon", "AI Services"), transcribed_label("X", None)
    ('Amazon (AI Services)', 'X')
    """
    return platform if detail is None or pd.isna(detail) else f"{platform} ({detail})"


@once_per_content
def _validated_transcription(path, evidence_by_year: dict[int, str]) -> pd.DataFrame:
    """The transcription as printed, checked (schema, then each year's totals), with each row's
    ``provider`` label, ``evidence`` and CSV line (``row``)."""
    frame = read_csv(path)
    for column in ("platform", "detail"):
        if column in frame:  # a missing column is for the schema to name
            frame[column] = frame[column].map(normalise_label, na_action="ignore")
    frame = check(frame, _TRANSCRIPTION_SCHEMA, path=path, row_of=lambda i: int(i) + 2)
    frame = frame.assign(provider=[transcribed_label(p, d) for p, d in zip(frame["platform"], frame["detail"])],
                         row=frame.index + 2)
    unknown = frame[~frame["year"].isin(evidence_by_year)]
    if len(unknown):
        first = unknown.iloc[0]
        raise DataError(f"no evidence recorded for {first['year']} (the data package records it for "
                        f"{sorted(evidence_by_year)})", path=path, row=int(first["row"]), column="year")
    _check_transcribed_totals(frame, path)
    return frame.assign(evidence=frame["year"].map(
        {year: evidence.check_evidence(word, f"the evidence of {year}") for year, word in evidence_by_year.items()}))


def _check_transcribed_totals(frame: pd.DataFrame, path) -> None:
    """Each year has one "ESP Total" and one "Total", both with a value; the listed providers add
    up to no more than the ESP Total, and the ESP Total to no more than the Total.

    The listed rows are *not* required to add up to the ESP Total: the transcription keeps only
    the larger providers (19,780,734 of 2024's 20,348,306), so a total that the rows exceed is a
    misread row or total, one the rows fall short of is not.
    """
    for year, rows in frame.groupby("year"):
        totals = {}
        for label in (TRANSCRIBED_PROVIDER_TOTAL, TRANSCRIBED_ALL_REPORTS_TOTAL):
            found = rows[rows["provider"] == label]
            if found.empty:
                raise DataError(f"{year} has no {label!r} row: the year's total is needed for shares",
                                path=path, column="platform")
            if pd.isna(found["reports"].iloc[0]):
                raise DataError(f"the {year} {label!r} row has no value", path=path,
                                row=int(found["row"].iloc[0]), column="reports")
            totals[label] = (int(found["reports"].iloc[0]), int(found["row"].iloc[0]))
        listed = int(rows.loc[~rows["provider"].isin(totals), "reports"].sum())  # rows with no value add nothing
        (esp, esp_row), (everything, _) = totals[TRANSCRIBED_PROVIDER_TOTAL], totals[TRANSCRIBED_ALL_REPORTS_TOTAL]
        if listed > esp:
            raise DataError(f"the {year} providers listed add up to {listed:,}, more than the "
                            f"{TRANSCRIBED_PROVIDER_TOTAL} of {esp:,}: a row or the total was misread",
                            path=path, row=esp_row, column="reports")
        if esp > everything:
            raise DataError(f"the {year} {TRANSCRIBED_PROVIDER_TOTAL} ({esp:,}) exceeds the "
                            f"{TRANSCRIBED_ALL_REPORTS_TOTAL} of all CyberTipline reports ({everything:,})",
                            path=path, row=esp_row, column="reports")


def _normalised_labels(frame: pd.DataFrame) -> pd.DataFrame:
    if "provider_label" in frame:  # a missing column is for the schema to name
        frame["provider_label"] = frame["provider_label"].map(normalise_label, na_action="ignore")
    return frame


@functools.lru_cache(maxsize=8192)  # a few thousand labels, each normalised hundreds of times a ledger check
def normalise_label(label: str) -> str:
    """A provider label with invisible characters dropped and whitespace runs made one space:
    "X\u00a0Corp " and "X Corp" are the same label.

    >>> normalise_label(" X\u00a0 Corp\u200b ")
    'X Corp'
    """
    text = unicodedata.normalize("NFKC", label)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def transcription_evidence() -> dict[int, str]:
    """What each year of the transcription rests on, as the data package records it with the
    resource (``"evidence": {"2024": "transcription", "2025": "unsourced"}``)."""
    recorded = datapackage.resource(TRANSCRIPTION_RESOURCE).get("evidence")
    if not isinstance(recorded, dict) or not recorded:
        raise DataError(f"resource {TRANSCRIPTION_RESOURCE!r} records no evidence per year", path=datapackage.active(),
                        column="evidence")
    return {int(year): word for year, word in recorded.items()}


def transcribed_reports_by_provider() -> pd.DataFrame:
    """2024 (transcription) and 2025 (unverified) provider rows; see :func:`read_transcription`."""
    return read_transcription(datapackage.read(TRANSCRIPTION_RESOURCE), transcription_evidence())


def all_reports_totals() -> pd.DataFrame:
    """All CyberTipline reports per year: country-table totals (PDF), then the transcription's.

    Columns: ``year, reports, evidence``.
    """
    pdf = reports_by_country().query("is_total")[["year", "reports", "evidence"]]
    later = _validated_transcription(datapackage.read(TRANSCRIPTION_RESOURCE), transcription_evidence())
    later = later.loc[later["provider"] == TRANSCRIBED_ALL_REPORTS_TOTAL, ["year", "reports", "evidence"]]
    return pd.concat([pdf, later], ignore_index=True)


def provider_reports_all_years() -> pd.DataFrame:
    """Provider rows of every year with a value: PDFs first, then transcribed years the PDFs do
    not cover. A row with no value (the transcription lists some platforms without a count) is
    left out here: it adds nothing known to a company's total or to the large-provider check;
    :func:`read_transcription` keeps it, missing.

    Columns: ``year, provider, reports, is_total, evidence``.
    """
    pdf = reports_by_provider()
    later = transcribed_reports_by_provider()
    later = later[~later["year"].isin(pdf["year"])]
    columns = ["year", "provider", "reports", "is_total", "evidence"]
    rows = pd.concat([pdf[columns], later[columns]], ignore_index=True)
    rows = rows[rows["reports"].notna()].reset_index(drop=True)
    return rows.assign(provider=rows["provider"].map(normalise_label))


_COMPANIES_SCHEMA = pa.DataFrameSchema(
    {"provider_label": pa.Column(str, unique=True), "company": pa.Column(str),
     "note": pa.Column(str, nullable=True)}, strict=True, ordered=True, coerce=True)


def provider_companies() -> pd.DataFrame:
    """NCMEC provider label → company (``data/reference/ncmec-provider-companies.csv``); labels
    are compared after :func:`normalise_label`, so two spellings of one label are a duplicate."""
    return _read_companies(datapackage.read(COMPANIES_RESOURCE))


@once_per_content
def _read_companies(path) -> pd.DataFrame:
    frame = _normalised_labels(read_csv(path))
    return check(frame, _COMPANIES_SCHEMA, path=path, row_of=lambda i: int(i) + 2)
