"""Synthetic DSA dumps in the exact official layout, at any size, with counts known in advance.

Nothing here is real: every file is named ``synthetic-…``, the outer zip's comment says so, and
every row carries marks (``platform_uid`` ``synthetic-…``, facts starting "Synthetic facts") that
ingest reads whatever the file is called. Rows are assigned by their index so that a test knows
the right answer exactly: with ``rows`` a multiple of 10,000,

- a row is X's when ``i % 10 < x_tenths`` (else one of five other platforms);
- its category is protection of minors when ``(i // 10) % 10 < minors_tenths``;
- its territorial scope includes France when ``(i // 100) % 10 < fr_tenths``, and Iceland,
  Liechtenstein and Norway (the EEA beyond the EU) when ``(i // 100) % 10 >= 10 - eea_tenths``;
- it was detected automatically when ``(i // 1000) % 10 < automated_tenths``;
- its decision was fully automated when ``(i // 1000) % 10 < fully_tenths``.

So X's statements on minors in France number ``rows × x/10 × minors/10 × fr/10``
(:func:`expected`). The published variations are there too: ``columns=37`` writes the older layout
without ``content_id_ean``, and ``duplicates=N`` repeats the day's first N statements, exactly, at
the end of its last part (ingest counts them once, so the expected counts do not change). Written
by DuckDB, part by part, then zipped like the real dumps: CSV parts of 100,000 rows, inner zips of
at most ten parts, one outer zip, and a ``.sha1`` beside it.

>>> expected(10_000, x_tenths=3, minors_tenths=2, fr_tenths=5)["x_minors_fr"]
300
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from datetime import date as Date
from pathlib import Path

import duckdb

from analysis.dsa import release, schema
from analysis.dsa.release import Release
from analysis.errors import UsageError
from analysis.files import atomic_write

PART_ROWS = 100_000
PARTS_PER_INNER_ZIP = 10
OTHER_PLATFORMS = ("Facebook", "TikTok", "Instagram", "Wallapop", "Hotel Hideaway")
# Real statements are long: most list all EU states and carry a paragraph of facts. Sizes like
# these keep the benchmarks honest.
FACTS = ("Synthetic facts, not a real statement: when reviewing content or accounts, we take various "
         "information into consideration, including reports of the content or users, past history "
         "of policy violations, human moderation efforts, detection tools and our own \"investigations\".")
OTHER_CATEGORIES = ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
                    "STATEMENT_CATEGORY_VIOLENCE", "STATEMENT_CATEGORY_OTHER_VIOLATION_TC")


TENTHS = ("x", "minors", "fr", "eea", "automated", "fully")


def expected(rows: int, x_tenths: int = 3, minors_tenths: int = 2, fr_tenths: int = 5,
             automated_tenths: int = 6, fully_tenths: int = 4, eea_tenths: int = 0) -> dict[str, int]:
    """Exact counts for a synthetic dump of ``rows`` rows (a multiple of 10,000), duplicates
    counted once."""
    if rows % 10_000:
        raise ValueError("rows must be a multiple of 10,000 for exact expected counts")
    x = rows * x_tenths // 10
    x_minors = x * minors_tenths // 10
    return {"x": x, "x_minors": x_minors, "x_minors_fr": x_minors * fr_tenths // 10,
            "x_minors_eea": x_minors * eea_tenths // 10,
            "x_minors_automated": x_minors * automated_tenths // 10,
            "x_minors_fully": x_minors * fully_tenths // 10}


def _scope(codes) -> str:
    return "[" + ",".join(f'"{c}"' for c in sorted(codes)) + "]"


def _select(variant: str, columns: int) -> str:
    """One part's rows, ``range($start, $stop)``; every value arrives as a parameter
    (:func:`_parameters`)."""
    others = "[" + ", ".join(f"'{p}'" for p in OTHER_PLATFORMS) + "]"
    categories = "[" + ", ".join(f"'{c}'" for c in OTHER_CATEGORIES) + "]"
    values = {
        # the same i gives the same uuid, so the repeated rows are exact duplicates
        "uuid": "regexp_replace(md5($day || '-' || i), '(.{8})(.{4})(.{4})(.{4})(.{12})', '\\1-\\2-\\3-\\4-\\5')",
        "decision_visibility": """'["DECISION_VISIBILITY_CONTENT_REMOVED"]'""",
        "decision_visibility_other": "NULL", "end_date_visibility_restriction": "NULL",
        "decision_monetary": "NULL", "decision_monetary_other": "NULL",
        "end_date_monetary_restriction": "NULL", "decision_provision": "NULL",
        "end_date_service_restriction": "NULL",
        "decision_account": "CASE WHEN i % 7 = 0 THEN 'DECISION_ACCOUNT_SUSPENDED' END",
        "end_date_account_restriction": "NULL", "account_type": "NULL",
        "decision_ground": "'DECISION_GROUND_INCOMPATIBLE_CONTENT'",
        "decision_ground_reference_url": "NULL", "illegal_content_legal_ground": "NULL",
        "illegal_content_explanation": "NULL",
        "incompatible_content_ground": "'Synthetic ground, section 3'",
        "incompatible_content_explanation": "'Synthetic explanation, not a real statement.'",
        "incompatible_content_illegal": "'No'",
        "category": f"CASE WHEN (i // 10) % 10 < $minors THEN '{schema.MINORS}' "
                    f"ELSE {categories}[1 + (i % {len(OTHER_CATEGORIES)})] END",
        "category_addition": "'[]'", "category_specification": "'[]'",
        "category_specification_other": "NULL",
        "content_type": """'["CONTENT_TYPE_TEXT"]'""", "content_type_other": "NULL",
        "content_language": "'EN'",
        "content_date": "$day || ' 00:00:00'", "content_id_ean": "NULL",
        "territorial_scope": "CASE WHEN (i // 100) % 10 < $fr THEN "
                             "(CASE WHEN (i // 100) % 10 >= 10 - $eea THEN $eea_with_fr ELSE $eu_with_fr END) "
                             "ELSE (CASE WHEN (i // 100) % 10 >= 10 - $eea THEN $eea_without_fr "
                             "ELSE $eu_without_fr END) END",
        "application_date": "$day || ' 00:00:00'",
        "decision_facts": "$facts",
        "source_type": "'SOURCE_VOLUNTARY'", "source_identity": "NULL",
        "automated_detection": "CASE WHEN (i // 1000) % 10 < $automated THEN 'Yes' ELSE 'No' END",
        "automated_decision": "CASE WHEN (i // 1000) % 10 < $fully THEN 'AUTOMATED_DECISION_FULLY' "
                              "ELSE 'AUTOMATED_DECISION_NOT_AUTOMATED' END",
        "platform_name": f"CASE WHEN i % 10 < $x THEN 'X' ELSE {others}[1 + ((i // 10) % {len(OTHER_PLATFORMS)})] END",
        "platform_uid": f"'{schema.SYNTHETIC_UID_PREFIX}' || i",
        "created_at": "strftime(CAST($day AS TIMESTAMP) + to_seconds(i * 86400 // $rows), '%Y-%m-%d %H:%M:%S')",
    }
    kept = [c for c in schema.COLUMNS if (variant == "full" or c not in schema.LIGHT_DROPPED)
            and (columns == 38 or c not in schema.ADDED_LATER)]
    return (f"SELECT {', '.join(f'{values[c]} AS {c}' for c in kept)} "
            "FROM (SELECT * FROM range($start, $stop) UNION ALL SELECT * FROM range($repeat_stop)) t(i)")


def _parameters(day: str, rows: int, tenths: dict[str, int]) -> dict:
    eu_without_fr = [c for c in schema.EU if c != "FR"]
    return {"day": day, "rows": rows, "facts": FACTS, **tenths,
            "eu_with_fr": _scope(schema.EU), "eu_without_fr": _scope(eu_without_fr),
            "eea_with_fr": _scope(schema.TERRITORIES),
            "eea_without_fr": _scope([*eu_without_fr, *schema.EEA_ONLY])}


def check_arguments(day: str, rows: int, variant: str, columns: int, duplicates: int,
                    tenths: dict[str, int]) -> None:
    """Refuse, before writing anything, what no dump could be: an impossible date, no rows, a
    share outside 0–10 tenths, an unknown layout, more duplicates than rows."""
    try:
        Date.fromisoformat(day)
    except (TypeError, ValueError):
        raise UsageError(f"--date {day!r} is not a calendar day (YYYY-MM-DD)") from None
    if not isinstance(rows, int) or rows < 1:
        raise UsageError(f"--rows must be a whole number ≥ 1, not {rows!r}")
    for name, value in tenths.items():
        if not isinstance(value, int) or not 0 <= value <= 10:
            raise UsageError(f"--{name}-tenths must be a whole number of tenths from 0 to 10, not {value!r}")
    if variant not in release.VARIANTS:
        raise UsageError(f"--variant must be full or light, not {variant!r}")
    if columns not in (37, 38):
        raise UsageError(f"--columns must be 38 (with content_id_ean) or 37 (the older layout), not {columns!r}")
    if not isinstance(duplicates, int) or not 0 <= duplicates <= rows:
        raise UsageError(f"--duplicates must be a whole number from 0 to --rows ({rows}), not {duplicates!r}")


def synth_dump(date: str, rows: int, out_dir: str | Path, variant: str = "full", x_tenths: int = 3,
               minors_tenths: int = 2, fr_tenths: int = 5, automated_tenths: int = 6,
               fully_tenths: int = 4, *, eea_tenths: int = 0, columns: int = 38,
               duplicates: int = 0) -> Path:
    """Write ``synthetic-sor-global-DATE-VARIANT.zip`` (and its ``.sha1``) into ``out_dir``; on any
    failure, nothing is left behind (:class:`UsageError` for impossible arguments)."""
    tenths = {"x": x_tenths, "minors": minors_tenths, "fr": fr_tenths, "eea": eea_tenths,
              "automated": automated_tenths, "fully": fully_tenths}
    check_arguments(date, rows, variant, columns, duplicates, tenths)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    dump = Release(date, variant, synthetic=True)
    stem = dump.name.removesuffix(".zip")
    select = _select(variant, columns)
    used = set(re.findall(r"\$(\w+)", select))  # DuckDB refuses parameters a query does not use
    parameters = {k: v for k, v in _parameters(date, rows, tenths).items() if k in used}
    outer_path = out_dir / f"{stem}.zip"
    parts = range(0, rows, PART_ROWS)
    con = duckdb.connect()
    try:
        con.execute("SET threads = 2; SET preserve_insertion_order = true")
        with (tempfile.TemporaryDirectory(dir=out_dir, prefix=".synth-") as scratch,
              atomic_write(outer_path) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as outer):
            outer.comment = schema.SYNTHETIC_COMMENT + b": generated by python -m analysis dsa synth; not real statements"
            for inner_number, first in enumerate(range(0, len(parts), PARTS_PER_INNER_ZIP)):
                inner_name = f"{stem}-{inner_number:05d}.csv.zip"
                inner_path = Path(scratch) / inner_name
                with zipfile.ZipFile(inner_path, "w", zipfile.ZIP_DEFLATED) as inner:
                    for part_number, start in enumerate(parts[first:first + PARTS_PER_INNER_ZIP]):
                        csv_name = f"{stem}-{inner_number:05d}-{part_number:05d}.csv"
                        csv_path = Path(scratch) / csv_name
                        stop = min(start + PART_ROWS, rows)
                        repeat = duplicates if stop == rows else 0  # the last part repeats the first rows
                        con.execute(f"COPY ({select}) TO $path (HEADER, DELIMITER ',', QUOTE '\"', ESCAPE '\"')",
                                    {**parameters, "start": start, "stop": stop, "repeat_stop": repeat,
                                     "path": str(csv_path)})
                        inner.write(csv_path, csv_name)
                        csv_path.unlink()
                outer.write(inner_path, inner_name)
                inner_path.unlink()
    finally:
        con.close()
    dump.sha1 = release.file_sha1(outer_path)
    with atomic_write(out_dir / dump.sidecar_name, "w", encoding="utf-8") as sidecar:
        sidecar.write(dump.sidecar_text())
    return outer_path
