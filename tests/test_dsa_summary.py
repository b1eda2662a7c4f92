"""The published DSA summary statistics: values read off the real file, and every bad input (on
small files built here, in shantay's layout)."""

import datetime as dt

import duckdb
import pytest

from analysis import datapackage, tracking
from analysis.dsa import schema, summary
from analysis.errors import DataError, UsageError

GOOD_ROWS = [  # (day, platform, column, variant, count)
    ("2025-06-10", None, "batch_count", None, 3),
    ("2025-06-10", "X", "rows", None, 2220),
    ("2025-06-10", "X", "category", schema.MINORS, 323),
    ("2025-06-10", "X", "category", "STATEMENT_CATEGORY_VIOLENCE", 1897),
    ("2025-06-11", None, "batch_count", None, 3),
]


def _write(path, rows, *, columns=None, count_type="BIGINT", end_date="start_date"):
    """A Parquet file in shantay's layout; ``columns`` renames columns, ``count_type`` retypes one."""
    names = {name: name for name in summary.SCHEMA} | (columns or {})
    values = ", ".join(f"(DATE '{d}', {repr(p) if p else 'NULL'}, '{c}', {repr(v) if v else 'NULL'}, {n})"
                       for d, p, c, v, n in rows)
    con = duckdb.connect()
    con.sql(f"""SELECT start_date AS "{names['start_date']}", {end_date} AS "{names['end_date']}",
        NULL::VARCHAR AS "{names['tag']}", platform AS "{names['platform']}", NULL::VARCHAR AS "{names['category']}",
        col AS "{names['column']}", NULL::VARCHAR AS "{names['entity']}", variant AS "{names['variant']}",
        NULL::VARCHAR AS "{names['text']}", CAST(n AS {count_type}) AS "{names['count']}",
        NULL::BIGINT AS "{names['min']}", 0::BIGINT AS "{names['mean']}", NULL::BIGINT AS "{names['max']}"
        FROM (VALUES {values}) t(start_date, platform, col, variant, n)""").write_parquet(str(path))
    con.close()


def _small_package(tmp_path, rows=GOOD_ROWS, **layout_changes):
    """A data package holding only a small file in shantay's layout; use it as a ``with`` block."""
    raw = tmp_path / "raw" / "dsa" / "summary.parquet"
    raw.parent.mkdir(parents=True)
    _write(raw, rows, **layout_changes)
    package = tmp_path / "datapackage.json"
    datapackage.register(raw, name=summary.RESOURCE, title="test file", sources=[{"title": "t", "path": "p"}],
                         licenses=[{"name": "l"}], obtained="built in a test", accessed="2026-11-29",
                         package=package)
    return datapackage.using(package)


def test_real_file_values_read_by_hand():
    june_10 = summary.daily("X", "category", schema.MINORS).set_index("day").loc["2025-06-10"]
    assert june_10["statements"] == 323
    rows = summary.daily("X", "rows")
    assert len(rows) == 740 and rows["day"].min() == dt.datetime(2023, 10, 3)
    assert len(summary.platforms()) == 191
    assert len(summary.values("category")) == 20
    assert summary.connect().execute("SELECT count(*) FROM database_days").fetchone()[0] == 839


def test_small_valid_file(tmp_path):
    with _small_package(tmp_path):
        assert summary.platforms() == ["X"]
        assert summary.daily("X", "category")["statements"].tolist() == [323, 1897]
        assert summary.connect().execute("SELECT count(*) FROM database_days").fetchone()[0] == 2


def test_reads_are_recorded():
    with tracking.recording() as reads:
        summary.daily("X")
    assert list(reads.resources) == [summary.RESOURCE]


def test_a_quote_in_the_path_is_no_sql(tmp_path):
    """Paths reach DuckDB as parameters, never as SQL text."""
    with _small_package(tmp_path / "it's here"):
        assert summary.platforms() == ["X"]


def test_changed_byte(data_copy):
    raw = data_copy / "raw" / "dsa" / "shantay-0.6.0-builtin.parquet"
    content = bytearray(raw.read_bytes())
    content[len(content) // 2] ^= 0xFF
    raw.write_bytes(bytes(content))
    with datapackage.using(data_copy / "datapackage.json"), \
            pytest.raises(DataError, match="shantay-0.6.0-builtin.parquet: checksum mismatch"):
        summary.daily("X")


def test_missing_file(data_copy):
    (data_copy / "raw" / "dsa" / "shantay-0.6.0-builtin.parquet").unlink()
    with datapackage.using(data_copy / "datapackage.json"), pytest.raises(
            DataError, match="shantay-0.6.0-builtin.parquet: file of resource 'dsa-shantay-summary' is missing"):
        summary.daily("X")


def test_renamed_column(tmp_path):
    with _small_package(tmp_path, columns={"count": "n"}), \
            pytest.raises(DataError, match=r"summary.parquet, column count: columns differ.*missing count; unexpected n"):
        summary.daily("X")


def test_retyped_column(tmp_path):
    with _small_package(tmp_path, count_type="DOUBLE"), \
            pytest.raises(DataError, match="summary.parquet, column count: type DOUBLE, expected BIGINT"):
        summary.daily("X")


@pytest.mark.parametrize("day", ["2023-09-24", "2026-01-11"])
def test_date_out_of_range(tmp_path, day):
    with _small_package(tmp_path, rows=[*GOOD_ROWS, (day, "X", "rows", None, 1)]), \
            pytest.raises(DataError, match="summary.parquet, column start_date: dates .* outside 2023-09-25..2026-01-10"):
        summary.daily("X")


def test_row_spanning_days(tmp_path):
    with _small_package(tmp_path, end_date="start_date + 1"), \
            pytest.raises(DataError, match="column end_date"):
        summary.daily("X")


def test_negative_count(tmp_path):
    with _small_package(tmp_path, rows=[*GOOD_ROWS, ("2025-06-11", "X", "rows", None, -5)]), \
            pytest.raises(DataError, match=r"summary.parquet, column count: negative count \(-5\)"):
        summary.daily("X")


def test_duplicate_key(tmp_path):
    with _small_package(tmp_path, rows=[*GOOD_ROWS, ("2025-06-10", "X", "category", schema.MINORS, 1)]), \
            pytest.raises(DataError, match="summary.parquet, column variant: duplicate key"):
        summary.daily("X")


def test_unknown_platform_and_category_list_close_matches():
    with pytest.raises(UsageError, match="unknown platform 'Twiter'; did you mean .*'Twitch'"):
        summary.daily("Twiter")
    with pytest.raises(UsageError, match="'STATEMENT_CATEGORY_PROTECTION_OF_MINORS'"):
        schema.category_name("MINOR")
    assert schema.category_name("protection_of_minors") == schema.MINORS
