"""The statements-with-coverage table: from the real summary statistics, and from synthetic dumps
ingested here (checked against ``dsa query`` and against the generator's known counts)."""

import io

import pandas as pd
import pytest

from analysis.dsa import caveats, ingest, query, schema, stats, synth
from analysis.errors import UsageError
from conftest import run_cli


def _cli(*args):
    """``python -m analysis dsa ARGS``, run in this process."""
    return run_cli("dsa", *args)


@pytest.fixture(scope="module")
def x_monthly():
    return stats.from_summary("X", schema.MINORS, "month").set_index("period")


def test_complete_months_and_x_filing_gap(x_monthly):
    june, july, october = (x_monthly.loc[m] for m in ("2025-06", "2025-07", "2025-10"))
    assert (june["statements"], june["days_with_statements"], june["days_in_database"]) == (15612, 30, 30)
    assert june["daily_mean"] == pytest.approx(520.4) and june["complete"]
    assert (july["statements"], july["days_with_statements"], july["days_in_database"]) == (13, 2, 31)
    assert not july["complete"]
    assert october["statements"] == 7431 and october["complete"]
    assert list(x_monthly.columns) == stats.COLUMNS[1:]


def test_silence_is_missing_not_zero(x_monthly):
    september_2023 = x_monthly.loc["2023-09"]  # the database opened on the 25th; X filed from 3 October
    assert pd.isna(september_2023["statements"]) and pd.isna(september_2023["daily_mean"])
    assert september_2023["days_in_database"] == 6 and not september_2023["complete"]
    day = stats.from_summary("X", schema.MINORS, "day").set_index("period").loc["2025-07-02"]
    assert pd.isna(day["statements"]) and day["days_with_statements"] == 0 and day["days_in_database"] == 1


def test_categories_add_up_to_all_statements():
    june = stats.from_summary("X", None, "month").query("period == '2025-06'")
    assert june["statements"].sum() == 77_330 and june["category"].nunique() == len(june)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    dumps, out = tmp_path_factory.mktemp("dumps"), tmp_path_factory.mktemp("parquet")
    for day, fr_tenths in (("2025-06-03", 5), ("2025-06-04", 5), ("2025-10-07", 3)):
        ingest.ingest_dump(synth.synth_dump(day, 10_000, dumps, fr_tenths=fr_tenths), out, progress=False)
    return out


def test_dumps_route_agrees_with_query_and_counts_synthetic_days(ingested):
    table = stats.from_dumps(ingested, territory="FR").set_index("period")
    queried = query.query_duckdb(ingested, territory="FR").set_index("period")
    assert table["statements"].tolist() == queried["statements"].tolist()
    assert table.loc["2025-06", "statements"] == 2 * synth.expected(10_000, fr_tenths=5)["x_minors_fr"]
    assert table.loc["2025-10", "statements"] == synth.expected(10_000, fr_tenths=3)["x_minors_fr"]
    assert table["days_in_database"].tolist() == [2, 1]
    assert table["days_with_statements"].tolist() == [2, 1]
    assert not table["complete"].any()  # 2 of 30 days, 1 of 31
    by_day = stats.from_dumps(ingested, by="day")
    assert by_day["complete"].all() and by_day["days_in_database"].tolist() == [1, 1, 1]


def test_cli_two_routes_agree(ingested):
    result = _cli("stats", "--data", str(ingested), "--territory", "FR", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# SYNTHETIC: warning, made from synthetic input (3 synthetic day(s)")
    table = pd.read_csv(io.StringIO(result.stdout), skiprows=1)
    assert list(table.columns) == stats.COLUMNS + caveats.COLUMNS and table["synthetic"].all()
    queried = _cli("query", "--data", str(ingested), "--territory", "FR", "--csv", str(ingested / "q.csv"))
    assert queried.returncode == 0, queried.stderr
    assert table["statements"].tolist() == pd.read_csv(ingested / "q.csv", skiprows=1)["statements"].tolist()


def test_cli_summary_shows_coverage():
    result = _cli("stats", "--platform", "X", "--by", "month")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("2025-07"))
    assert line.split()[3:9] == ["13", "2", "31", "6.5", "False", "False"]
    assert line.endswith("schema change 2025-07-01; filing gap: filed on 2 of 31 days held; "
                         "filing gap 2025-07-01 to 2025-08-27")


@pytest.mark.parametrize("args, message", [
    (["--platform", "Twiter"], "unknown platform 'Twiter'; did you mean"),
    (["--category", "MINORS"], "did you mean 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS'"),
    (["--territory", "FR"], "does not cross territory with category"),
])
def test_cli_bad_values(args, message):
    result = _cli("stats", *args)
    assert result.returncode == 1 and message in result.stderr and not result.stdout


def test_dumps_route_unknown_platform(ingested):
    with pytest.raises(UsageError, match="no ingested statement of platform 'Y'; platforms in .*: X"):
        stats.from_dumps(ingested, platform="Y")
