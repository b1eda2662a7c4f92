"""The command line keeps its promise: one line per error, a non-zero exit, the README current."""

import argparse
import re

import pytest

from analysis import cli, paths


def test_readme_command_table_is_current():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert cli.readme_with_commands(readme) == readme, "run `make readme`"


@pytest.mark.parametrize("argv, message", [
    (["grok-downloads", "/nonexistent/it's here.csv"], "it's here.csv"),
    (["verify", "--ledger", "/nonexistent/claims.yaml"], "claims.yaml"),
    (["dsa", "stats", "--platform", "Twiter"], "Twiter"),
])
def test_user_errors_end_in_one_line_and_exit_1(argv, message, capsys):
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err


def test_debug_shows_the_traceback():
    with pytest.raises(Exception):
        cli.main(["--debug", "grok-downloads", "/nonexistent.csv"])


def test_out_is_a_folder_everywhere():
    parser = cli.build_parser()
    outs = []

    def walk(node):
        for action in node._actions:
            if action.dest == "out":
                outs.append(action.metavar)
            for child in getattr(action, "choices", None) or {}:
                if isinstance(action.choices, dict):
                    walk(action.choices[child])
    walk(parser)
    assert outs and set(outs) == {"DIR"}


def test_argument_errors_are_one_line_too(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["figures", "--lang", "de"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.count("\n") == 1 and "invalid choice: 'de'" in err


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    from analysis.dsa import ingest, synth
    folder = tmp_path_factory.mktemp("dsa")
    ingest.ingest_dump(synth.synth_dump("2025-06-03", 10_000, folder / "dumps"), folder / "pq", progress=False)
    return folder / "pq"


def test_a_csv_path_that_is_a_folder_is_refused_before_querying(ingested, tmp_path, capsys):
    assert cli.main(["dsa", "query", "--data", str(ingested), "--csv", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_a_damaged_parquet_file_is_named_not_a_duckdb_traceback(ingested, tmp_path, capsys):
    """Truncated after its ingest: refused against the day's records, naming the file."""
    import shutil
    damaged = tmp_path / "pq"
    shutil.copytree(ingested, damaged)
    part = next(damaged.glob("date=*/platform=*/*.parquet"))
    part.write_bytes(part.read_bytes()[:200])
    for command in (["dsa", "query", "--data", str(damaged)], ["dsa", "stats", "--data", str(damaged)]):
        assert cli.main(command) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "changed since `dsa ingest` wrote it" in err and str(part) in err


def test_a_bad_spark_master_is_refused_before_java_starts(ingested, capsys):
    assert cli.main(["dsa", "query", "--data", str(ingested), "--engine", "spark", "--master", "bogus://x"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a Spark master URL" in err


def _parsers(node=None, words=("python -m analysis",)):
    """Every parser of the command line, subcommands included, with the words that reach it."""
    node = node or cli.build_parser()
    yield " ".join(words), node
    for action in node._actions:
        if isinstance(action.choices, dict):
            for name, child in action.choices.items():
                yield from _parsers(child, (*words, name))


def _options(parser):
    return [a for a in parser._actions if a.help != argparse.SUPPRESS
            and not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))]


def test_every_option_says_what_it_does_and_its_default():
    undocumented, no_default = [], []
    for words, parser in _parsers():
        parser.format_help()  # a stray % in a help text fails here
        for action in _options(parser):
            name = f"{words} {'/'.join(action.option_strings) or action.dest}"
            if not (action.help or "").strip():
                undocumented.append(name)
            elif action.default not in (None, False, argparse.SUPPRESS) and "%(default)s" not in action.help:
                no_default.append(name)
    assert not undocumented, f"options without help: {undocumented}"
    assert not no_default, f"options whose help does not state their default: {no_default}"


def test_help_is_plain_text():
    for words, parser in _parsers():
        text = parser.format_help()
        assert "``" not in text and not re.search(r":(func|mod|class|data|meth):", text), words


def test_version_names_the_project_version_and_the_commit(capsys):
    import subprocess
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    out = capsys.readouterr().out
    commit = subprocess.run(["git", "-C", str(paths.ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    assert exit_.value.code == 0 and out == f"analysis {cli.project_version()} (git commit {commit or 'unknown'})\n"
    assert cli.project_version() not in ("", "unknown")


def test_version_never_fails_outside_a_checkout_or_without_git(tmp_path, monkeypatch):
    assert cli.git_commit(tmp_path) == "unknown"
    (tmp_path / ".git").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on the path
    assert cli.git_commit(tmp_path) == "unknown"
    assert cli.version_line(tmp_path).endswith("(git commit unknown)")


def test_dsa_synth_writes_one_dump_a_day_of_a_range(tmp_path, capsys):
    assert cli.main(["dsa", "synth", "--from", "2025-06-30", "--to", "2025-07-02", "--rows", "10",
                     "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.zip")) == [
        f"synthetic-sor-global-{day}-full.zip" for day in ("2025-06-30", "2025-07-01", "2025-07-02")]
    assert capsys.readouterr().out.count("wrote ") == 3


@pytest.mark.parametrize("dates, message", [
    ([], "give --date YYYY-MM-DD, or --from"),
    (["--date", "2025-06-03", "--from", "2025-06-03"], "give one or the other"),
    (["--from", "2025-06-04", "--to", "2025-06-03"], "--to 2025-06-03 is before --from 2025-06-04"),
])
def test_dsa_synth_needs_a_day_or_a_range(dates, message, tmp_path, capsys):
    assert cli.main(["dsa", "synth", "--rows", "10", "--out", str(tmp_path), *dates]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and not list(tmp_path.iterdir())


def test_readme_documents_the_columns_of_dsa_query_and_dsa_stats():
    """One vocabulary: the README's column table is exactly what each command writes, in order."""
    from analysis.dsa import caveats, query, stats
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:4] for line in readme.split("**Columns of `dsa query` and `dsa stats`**")[1]
            .split("\n\n")[1].splitlines()[2:]]
    documented = {command: [name.strip(" `") for name, *marks in rows if marks[i].strip() == "✓"]
                  for i, command in enumerate(["query", "stats"])}
    assert documented["query"] == query.COLUMNS + caveats.COLUMNS
    assert documented["stats"] == stats.COLUMNS + caveats.COLUMNS
    shared = set(query.COLUMNS) & set(stats.COLUMNS)  # and the caveats' columns
    assert shared == {"period", "platform", "category", "statements"} and "platform_name" not in query.COLUMNS


def test_query_and_stats_csvs_name_the_platform_alike(ingested, tmp_path, capsys):
    assert cli.main(["dsa", "query", "--data", str(ingested), "--csv", str(tmp_path / "q.csv")]) == 0
    capsys.readouterr()
    assert cli.main(["dsa", "stats", "--data", str(ingested), "--format", "csv"]) == 0
    query_header = (tmp_path / "q.csv").read_text().splitlines()[1].split(",")  # after the synthetic warning
    stats_header = capsys.readouterr().out.splitlines()[1].split(",")
    assert query_header[:4] == stats_header[:4] == ["period", "platform", "category", "statements"]
