"""Synthetic DSA dumps in the exact official layout, at any size, with counts known in advance.

Nothing here is real: every file is named ``synthetic-…`` and the outer zip's comment says so.
Rows are assigned by their index so that a test knows the right answer exactly: with ``rows`` a
multiple of 10,000,

- a row is X's when ``i % 10 < x_tenths`` (else one of five other platforms);
- its category is protection of minors when ``(i // 10) % 10 < minors_tenths``;
- its territorial scope includes France when ``(i // 100) % 10 < fr_tenths``;
- it was detected automatically when ``(i // 1000) % 10 < automated_tenths``;
- its decision was fully automated when ``(i // 1000) % 10 < fully_tenths``.

So X's statements on minors in France number ``rows × x/10 × minors/10 × fr/10``
(:func:`expected`). Written by DuckDB, part by part, then zipped like the real dumps: CSV parts of
100,000 rows, inner zips of at most ten parts, one outer zip, and a ``.sha1`` beside it.

>>> expected(10_000, x_tenths=3, minors_tenths=2, fr_tenths=5)["x_minors_fr"]
300
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import duckdb

from analysis.dsa import layout
from analysis.files import atomic_write

PART_ROWS = 100_000
PARTS_PER_INNER_ZIP = 10
OTHER_PLATFORMS = ("Facebook", "TikTok", "Instagram", "Wallapop", "Hotel Hideaway")
# Real statements are long: most list all EU states and carry a paragraph of facts. Sizes like
# these keep the benchmarks honest.
EU = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
      "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
EU_WITH_FR = "[" + ",".join(f'"{c}"' for c in EU) + "]"
EU_WITHOUT_FR = "[" + ",".join(f'"{c}"' for c in EU if c != "FR") + "]"
FACTS = ("Synthetic facts, not a real statement: when reviewing content or accounts, we take various "
         "information into consideration, including reports of the content or users, past history "
         "of policy violations, human moderation efforts, detection tools and our own \"investigations\".")
OTHER_CATEGORIES = ("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
                    "STATEMENT_CATEGORY_VIOLENCE", "STATEMENT_CATEGORY_OTHER_VIOLATION_TC")


def expected(rows: int, x_tenths: int = 3, minors_tenths: int = 2, fr_tenths: int = 5,
             automated_tenths: int = 6, fully_tenths: int = 4) -> dict[str, int]:
    """Exact counts for a synthetic dump of ``rows`` rows (a multiple of 10,000)."""
    if rows % 10_000:
        raise ValueError("rows must be a multiple of 10,000 for exact expected counts")
    x = rows * x_tenths // 10
    x_minors = x * minors_tenths // 10
    return {"x": x, "x_minors": x_minors, "x_minors_fr": x_minors * fr_tenths // 10,
            "x_minors_automated": x_minors * automated_tenths // 10,
            "x_minors_fully": x_minors * fully_tenths // 10}


def _select(date: str, start: int, stop: int, variant: str, rows: int, t: dict[str, int]) -> str:
    others = "[" + ", ".join(f"'{p}'" for p in OTHER_PLATFORMS) + "]"
    categories = "[" + ", ".join(f"'{c}'" for c in OTHER_CATEGORIES) + "]"
    values = {
        "uuid": "uuid()",
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
        "category": f"CASE WHEN (i // 10) % 10 < {t['minors']} THEN '{layout.MINORS}' "
                    f"ELSE {categories}[1 + (i % {len(OTHER_CATEGORIES)})] END",
        "category_addition": "'[]'", "category_specification": "'[]'",
        "category_specification_other": "NULL",
        "content_type": """'["CONTENT_TYPE_TEXT"]'""", "content_type_other": "NULL",
        "content_language": "'EN'",
        "content_date": f"'{date} 00:00:00'", "content_id_ean": "NULL",
        "territorial_scope": f"CASE WHEN (i // 100) % 10 < {t['fr']} THEN '{EU_WITH_FR}' ELSE '{EU_WITHOUT_FR}' END",
        "application_date": f"'{date} 00:00:00'",
        "decision_facts": f"'{FACTS}'",
        "source_type": "'SOURCE_VOLUNTARY'", "source_identity": "NULL",
        "automated_detection": f"CASE WHEN (i // 1000) % 10 < {t['automated']} THEN 'Yes' ELSE 'No' END",
        "automated_decision": f"CASE WHEN (i // 1000) % 10 < {t['fully']} THEN 'AUTOMATED_DECISION_FULLY' "
                              "ELSE 'AUTOMATED_DECISION_NOT_AUTOMATED' END",
        "platform_name": f"CASE WHEN i % 10 < {t['x']} THEN 'X' ELSE {others}[1 + ((i // 10) % {len(OTHER_PLATFORMS)})] END",
        "platform_uid": "'synthetic-' || i",
        "created_at": f"strftime(TIMESTAMP '{date}' + to_seconds(i * 86400 // {rows}), '%Y-%m-%d %H:%M:%S')",
    }
    columns = [c for c in layout.COLUMNS if variant == "full" or c not in layout.LIGHT_DROPPED]
    return f"SELECT {', '.join(f'{values[c]} AS {c}' for c in columns)} FROM range({start}, {stop}) t(i)"


def synth_dump(date: str, rows: int, out_dir: str | Path, variant: str = "full", x_tenths: int = 3,
               minors_tenths: int = 2, fr_tenths: int = 5, automated_tenths: int = 6,
               fully_tenths: int = 4) -> Path:
    """Write ``synthetic-sor-global-DATE-VARIANT.zip`` (and its ``.sha1``) into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tenths = {"x": x_tenths, "minors": minors_tenths, "fr": fr_tenths, "automated": automated_tenths,
              "fully": fully_tenths}
    stem = f"synthetic-sor-global-{date}-{variant}"
    con = duckdb.connect()
    con.execute("SET threads = 2; SET preserve_insertion_order = true")
    outer_path = out_dir / f"{stem}.zip"
    parts = range(0, rows, PART_ROWS)
    with atomic_write(outer_path) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as outer:
        outer.comment = b"SYNTHETIC: generated by python -m analysis dsa synth; not real statements"
        for inner_number, first in enumerate(range(0, len(parts), PARTS_PER_INNER_ZIP)):
            inner_name = f"{stem}-{inner_number:05d}.csv.zip"
            inner_path = out_dir / f".{inner_name}.tmp"
            with zipfile.ZipFile(inner_path, "w", zipfile.ZIP_DEFLATED) as inner:
                for part_number, start in enumerate(parts[first:first + PARTS_PER_INNER_ZIP]):
                    csv_name = f"{stem}-{inner_number:05d}-{part_number:05d}.csv"
                    csv_path = out_dir / f".{csv_name}.tmp"
                    stop = min(start + PART_ROWS, rows)
                    con.execute(f"COPY ({_select(date, start, stop, variant, rows, tenths)}) TO "
                                f"'{csv_path}' (HEADER, DELIMITER ',', QUOTE '\"', ESCAPE '\"')")
                    inner.write(csv_path, csv_name)
                    csv_path.unlink()
            outer.write(inner_path, inner_name)
            inner_path.unlink()
    con.close()
    digest = hashlib.sha1(outer_path.read_bytes()).hexdigest()
    (out_dir / f"{stem}.zip.sha1").write_text(f"{digest}  {outer_path.name}\n")
    return outer_path
