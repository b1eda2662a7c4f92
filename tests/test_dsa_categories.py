"""Categories by short name everywhere a category is taken, one resolver (schema.category_name),
and `dsa categories` listing what it accepts."""

import re

import pytest

from analysis import cli
from analysis.dsa import schema, summary
from analysis.errors import UsageError


@pytest.mark.parametrize("typed", ["protection_of_minors", "PROTECTION_OF_MINORS", "Protection_Of_Minors",
                                   "statement_category_protection_of_minors", schema.MINORS, " protection_of_minors "])
def test_short_or_full_in_any_case_is_the_full_name(typed):
    assert schema.category_name(typed) == schema.MINORS


@pytest.mark.parametrize("typed, closest", [
    ("minors", "'STATEMENT_CATEGORY_PROTECTION_OF_MINORS' (protection_of_minors)"),
    ("protection_of_minor", "'STATEMENT_CATEGORY_PROTECTION_OF_MINORS'"),
    ("violense", "'STATEMENT_CATEGORY_VIOLENCE' (violence)"),
])
def test_an_unknown_name_is_refused_with_the_closest_real_one(typed, closest):
    with pytest.raises(UsageError, match=f"unknown category {re.escape(repr(typed))}; did you mean .*{re.escape(closest)}"):
        schema.category_name(typed)


def test_nothing_close_points_at_the_list():
    with pytest.raises(UsageError, match="dsa categories"):
        schema.category_name("zzz")


def test_the_list_is_the_published_vocabulary_with_its_periods():
    """CATEGORIES holds what the summary statistics hold, and each is in use when it says."""
    con = summary.connect()
    seen = dict((value, (first, last)) for value, first, last in con.execute(
        "SELECT value, min(day), max(day) FROM daily WHERE field = 'category' GROUP BY 1").fetchall())
    assert set(seen) == set(schema.CATEGORIES)
    revised = schema.SCHEMA_CHANGE
    for name, (first, last) in seen.items():
        used = ("both" if first < revised <= last else "before" if last < revised else "from")
        assert schema.CATEGORIES[name] == used, name


def test_categories_command_lists_short_names_and_their_own_words(capsys):
    assert cli.main(["dsa", "categories", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "short name,category,meaning,in use" and len(lines) == 1 + len(schema.CATEGORIES)
    assert "protection_of_minors,STATEMENT_CATEGORY_PROTECTION_OF_MINORS,protection of minors,throughout" in lines
    for line in lines[1:]:  # every short name is accepted back
        short, full, *_ = line.split(",")
        assert schema.category_name(short) == full


def test_stats_takes_a_short_name_and_refuses_a_wrong_one_in_one_line(capsys):
    assert cli.main(["dsa", "stats", "--category", "protection_of_minors", "--format", "csv"]) == 0
    assert f",X,{schema.MINORS}," in capsys.readouterr().out
    assert cli.main(["dsa", "stats", "--category", "minors"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS'" in err


def test_query_takes_a_short_name(tmp_path, capsys):
    from analysis.dsa import ingest, synth
    ingest.ingest_dump(synth.synth_dump("2025-06-03", 10_000, tmp_path / "dumps"), tmp_path / "pq", progress=False)
    for typed in ("PROTECTION_OF_MINORS", schema.MINORS):
        assert cli.main(["dsa", "query", "--data", str(tmp_path / "pq"), "--csv", str(tmp_path / "q.csv")]
                        + ["--category", typed]) == 0
        assert f"counts under {schema.MINORS}" in capsys.readouterr().err
        assert (tmp_path / "q.csv").read_text().splitlines()[2].split(",")[2:4] == [schema.MINORS, "600"]
