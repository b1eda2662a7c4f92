"""The published DSA summary statistics: values read off the real file, and every bad input (on
small files built here, in shantay's layout)."""

import datetime as dt

import duckdb
import pytest

from analysis import datapackage
from analysis.dsa import layout, summary
from analysis.errors import DataError, UsageError

GOOD_ROWS = [  # (day, platform, column, variant, count)
    ("2025-06-10", None, "batch_count", None, 3),
    ("2025-06-10", "X", "rows", None, 2220),
    ("2025-06-10", "X", "category", layout.MINORS, 323),
    ("2025-06-10", "X", "category", "STATEMENT_CATEGORY_VIOLENCE", 1897),
    ("2025-06-11", None, "batch_count", None, 3),
]


def _write(path, rows, *, columns=None, count_type="BIGINT", end_date="start_date"):
    """A Parquet file in shantay's layout; ``columns`` renames columns, ``count_type`` retypes one."""
    names = {name: name for name in summary.SCHEMA} | (columns or {})
    values = ", ".join(f"(DATE '{d}', {repr(p) if p else 'NULL'}, '{c}', {repr(v) if v else 'NULL'}, {n})"
                       for d, p, c, v, n in rows)
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT start_date AS "{names['start_date']}", {end_date} AS "{names['end_date']}",
        NULL::VARCHAR AS "{names['tag']}", platform AS "{names['platform']}", NULL::VARCHAR AS "{names['category']}",
        col AS "{names['column']}", NULL::VARCHAR AS "{names['entity']}", variant AS "{names['variant']}",
        NULL::VARCHAR AS "{names['text']}", CAST(n AS {count_type}) AS "{names['count']}",
        NULL::BIGINT AS "{names['min']}", 0::BIGINT AS "{names['mean']}", NULL::BIGINT AS "{names['max']}"
        FROM (VALUES {values}) t(start_date, platform, col, variant, n)) TO '{path}' (FORMAT parquet)""")
    con.close()


def _package(tmp_path, rows=GOOD_ROWS, **layout_changes):
    raw = tmp_path / "raw" / "dsa" / "summary.parquet"
    raw.parent.mkdir(parents=True)
    _write(raw, rows, **layout_changes)
    package = tmp_path / "datapackage.json"
    datapackage.register(raw, name=summary.RESOURCE, title="test file", sources=[{"title": "t", "path": "p"}],
                         licenses=[{"name": "l"}], obtained="built in a test", accessed="2026-11-29",
                         package=package)
    return package


def test_real_file_values_read_by_hand():
    june_10 = summary.daily("X", "category", layout.MINORS).set_index("day").loc["2025-06-10"]
    assert june_10["statements"] == 323
    rows = summary.daily("X", "rows")
    assert len(rows) == 740 and rows["day"].min() == dt.datetime(2023, 10, 3)
    assert len(summary.platforms()) == 191
    assert len(summary.values("category")) == 20
    assert summary.connect().execute("SELECT count(*) FROM database_days").fetchone()[0] == 839


def test_small_valid_file(tmp_path):
    package = _package(tmp_path)
    assert summary.platforms(package) == ["X"]
    assert summary.daily("X", "category", package=package)["statements"].tolist() == [323, 1897]
    assert summary.connect(package).execute("SELECT count(*) FROM database_days").fetchone()[0] == 2


def test_changed_byte(tmp_path):
    package = _package(tmp_path)
    raw = tmp_path / "raw" / "dsa" / "summary.parquet"
    content = bytearray(raw.read_bytes())
    content[len(content) // 2] ^= 0xFF
    raw.write_bytes(bytes(content))
    with pytest.raises(DataError, match="summary.parquet: checksum mismatch"):
        summary.daily("X", package=package)


def test_missing_file(tmp_path):
    package = _package(tmp_path)
    (tmp_path / "raw" / "dsa" / "summary.parquet").unlink()
    with pytest.raises(DataError, match="summary.parquet: file of resource 'dsa-shantay-summary' is missing"):
        summary.daily("X", package=package)


def test_renamed_column(tmp_path):
    package = _package(tmp_path, columns={"count": "n"})
    with pytest.raises(DataError, match=r"summary.parquet, column count: columns differ.*missing count; unexpected n"):
        summary.daily("X", package=package)


def test_retyped_column(tmp_path):
    package = _package(tmp_path, count_type="DOUBLE")
    with pytest.raises(DataError, match="summary.parquet, column count: type DOUBLE, expected BIGINT"):
        summary.daily("X", package=package)


@pytest.mark.parametrize("day", ["2023-09-24", "2026-01-11"])
def test_date_out_of_range(tmp_path, day):
    package = _package(tmp_path, rows=[*GOOD_ROWS, (day, "X", "rows", None, 1)])
    with pytest.raises(DataError, match="summary.parquet, column start_date: dates .* outside 2023-09-25..2026-01-10"):
        summary.daily("X", package=package)


def test_row_spanning_days(tmp_path):
    package = _package(tmp_path, end_date="start_date + 1")
    with pytest.raises(DataError, match="column end_date"):
        summary.daily("X", package=package)


def test_negative_count(tmp_path):
    package = _package(tmp_path, rows=[*GOOD_ROWS, ("2025-06-11", "X", "rows", None, -5)])
    with pytest.raises(DataError, match=r"summary.parquet, column count: negative count \(-5\)"):
        summary.daily("X", package=package)


def test_duplicate_key(tmp_path):
    package = _package(tmp_path, rows=[*GOOD_ROWS, ("2025-06-10", "X", "category", layout.MINORS, 1)])
    with pytest.raises(DataError, match="summary.parquet, column variant: duplicate key"):
        summary.daily("X", package=package)


def test_unknown_platform_and_category_list_close_matches():
    with pytest.raises(UsageError, match="unknown platform 'Twiter'; did you mean .*'Twitch'"):
        summary.daily("Twiter")
    with pytest.raises(UsageError, match="'STATEMENT_CATEGORY_PROTECTION_OF_MINORS'"):
        summary.category_name("MINOR", summary.values("category"))
    assert summary.category_name("protection_of_minors", summary.values("category")) == layout.MINORS
