"""Warnings where the data changes meaning (issue 24): synthetic input, the schema change of
1 July 2025, a platform's filing gap and missing days, flagged in every row (``synthetic``,
``flags``) and in the footer of `dsa query` and `dsa stats`, tables and CSVs alike."""

import io
from datetime import date

import pytest
from test_dsa_stats import _cli  # `python -m analysis dsa ARGS` in this process

from analysis import synthetic
from analysis.dsa import caveats, ingest, query, schema, synth


@pytest.fixture(scope="module")
def around_the_change(tmp_path_factory):
    """Three synthetic days across the schema change; X files nothing on 1 July (a filing gap)."""
    dumps, out = tmp_path_factory.mktemp("dumps"), tmp_path_factory.mktemp("parquet")
    for day, x_tenths in (("2025-06-30", 3), ("2025-07-01", 0), ("2025-07-02", 3)):
        ingest.ingest_dump(synth.synth_dump(day, 10_000, dumps, x_tenths=x_tenths), out, platforms=None,
                           progress=False)
    return out


def _rows(text: str) -> list[list[str]]:
    import csv
    return list(csv.reader(io.StringIO(text)))


def test_query_by_day_flags_synthetic_rows_and_the_change_across_the_schema_change(around_the_change):
    result = _cli("query", "--data", str(around_the_change), "--by", "day")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[-2:] == ["synthetic", "flags"]
    june_30, july_2 = (next(line for line in lines if line.startswith(day)) for day in ("2025-06-30", "2025-07-02"))
    assert june_30.split()[-1] == "True"  # no flag: one day, held
    assert july_2.endswith("True schema change 2025-07-01")  # X filed nothing on 1 July: the previous row is June's
    footer = lines[lines.index("") + 1:]
    assert footer[0] == ("# SYNTHETIC: warning, made from synthetic input (3 synthetic day(s): 2025-06-30, "
                         "2025-07-01, 2025-07-02; rows marked in the synthetic column): not real statements, "
                         "never publish")
    assert footer[1].startswith("schema change: the Commission revised the statement categories and keywords on "
                                "2025-07-01") and footer[1].endswith("(flagged: 2025-07-02)")


def test_query_csv_by_month_starts_with_the_synthetic_mark_and_flags_each_row(around_the_change, tmp_path):
    out = tmp_path / "q.csv"
    result = _cli("query", "--data", str(around_the_change), "--csv", str(out))
    assert result.returncode == 0, result.stderr
    assert synthetic.is_synthetic(out)  # the project's own test for a synthetic file
    header, *rows = _rows(out.read_text().split("\n", 1)[1])
    assert header == query.COLUMNS + caveats.COLUMNS
    by_period = {row[0]: row for row in rows}
    assert by_period["2025-06"][-2:] == ["True", "missing days: 1 of 30 held"]
    assert by_period["2025-07"][-2:] == ["True", "schema change 2025-07-01; missing days: 2 of 31 held; "
                                                 "filing gap: filed on 1 of 2 days held"]
    assert "# SYNTHETIC: warning" in result.stderr and "filing gap: the platform filed nothing" in result.stderr


def test_stats_from_dumps_flags_alike_in_table_and_csv(around_the_change):
    table = _cli("stats", "--data", str(around_the_change))
    assert table.returncode == 0, table.stderr
    july = next(line for line in table.stdout.splitlines() if line.startswith("2025-07"))
    assert july.split()[3:10] == ["600", "1", "2", "600.0", "False", "True", "schema"]
    assert july.endswith("schema change 2025-07-01; missing days: 2 of 31 held; filing gap: filed on 1 of 2 days held")
    assert "\n# SYNTHETIC: warning" in table.stdout and "missing days: the data held lacks days of 2025-06, 2025-07" \
        in table.stdout
    as_csv = _cli("stats", "--data", str(around_the_change), "--format", "csv")
    first, rest = as_csv.stdout.split("\n", 1)
    assert first.startswith("# SYNTHETIC: warning") and "# SYNTHETIC" in as_csv.stderr
    header, *rows = _rows(rest)
    assert header[-2:] == caveats.COLUMNS and all(row[-2] == "True" for row in rows)


def test_real_input_has_no_synthetic_warning_and_flags_the_schema_change():
    """`dsa stats --platform TikTok` from January to November 2025 drops from about 50,000 to 10,000
    statements a day on minors: the table says the categories changed in between, and where TikTok's
    filing has gaps."""
    result = _cli("stats", "--platform", "TikTok")
    assert result.returncode == 0, result.stderr
    assert "SYNTHETIC" not in result.stdout + result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line[:4].isdigit()}
    assert rows["2025-07"].split()[-4:] == ["False", "schema", "change", "2025-07-01"]
    assert rows["2025-06"].split()[-1] == "False" and rows["2025-08"].split()[-1] == "False"  # no flag
    assert "filing gap 2025-09-05 to 2025-10-10" in rows["2025-09"]
    assert rows["2026-01"].endswith("missing days: 10 of 31 held")
    assert "schema change: the Commission revised" in result.stdout


def test_flag_names_every_kind_and_a_series_starting_on_the_change_crosses_nothing():
    held = frozenset(caveats.days("2025-06-01", "2025-06-30") + caveats.days("2025-07-01", "2025-07-20"))
    coverage = caveats.Coverage(held, frozenset({date(2025, 6, 2)}), {"X": frozenset({date(2025, 7, 3)})},
                                {"X": ((date(2025, 7, 10), date(2025, 7, 25)),)})
    columns = ["period", "platform", "category", "statements"]
    flagged = caveats.flag(columns, [("2025-07", "X", schema.MINORS, 5)], coverage)
    assert flagged.rows == [("2025-07", "X", schema.MINORS, 5, False,
                             "missing days: 20 of 31 held; filing gap: filed on 1 of 20 days held; "
                             "filing gap 2025-07-10 to 2025-07-25")]
    assert flagged.csv_head.startswith("# SYNTHETIC")  # the input holds a synthetic day, in June
    june_then_july = caveats.flag(columns, [("2025-06", "X", schema.MINORS, 4), ("2025-07", "X", schema.MINORS, 5)],
                                  caveats.Coverage(held))
    assert [row[-1] for row in june_then_july.rows] == ["", "schema change 2025-07-01; missing days: 20 of 31 held"]
    assert june_then_july.csv_head == "" and not june_then_july.rows[0][-2]


def test_statements_without_a_category_are_a_series_of_their_own():
    """Ingest keeps a statement with no category (it refuses one with no platform): its rows, by
    day, still cross the change, in the batch after the day before it as in the same one."""
    columns = ["period", "platform", "category", "statements"]
    coverage = caveats.Coverage(frozenset(caveats.days("2025-06-01", "2025-07-31")))
    rows = [("2025-06-30", "X", None, 1), ("2025-06-30", "X", schema.MINORS, 1),
            ("2025-07-01", "X", None, 2), ("2025-07-01", "X", schema.MINORS, 2)]
    assert [row[-1] for row in caveats.flag(columns, rows, coverage).rows] == [
        "", "", "schema change 2025-07-01", "schema change 2025-07-01"]
    flagging = caveats.Flagging(columns, coverage)
    assert [row[-1] for batch in (rows[:2], rows[2:]) for row in flagging.rows(batch)] == [
        "", "", "schema change 2025-07-01", "schema change 2025-07-01"]
    gap = caveats.Coverage(coverage.held, filed={None: frozenset()})  # a platform with no name, filing nothing
    assert caveats.flag(columns, [("2025-06-30", None, schema.MINORS, 1)], gap).footer[-1].startswith(
        "filing gap: the platform filed nothing, or next to nothing, on some days held (None 2025-06-30)")
