"""The command line keeps its promise: one line per error, a non-zero exit, the README current."""

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
    import shutil
    damaged = tmp_path / "pq"
    shutil.copytree(ingested, damaged)
    part = next(damaged.glob("date=*/platform=*/*.parquet"))
    part.write_bytes(part.read_bytes()[:200])
    for command in (["dsa", "query", "--data", str(damaged)], ["dsa", "stats", "--data", str(damaged)]):
        assert cli.main(command) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "DuckDB cannot read the ingested Parquet" in err and str(damaged) in err


def test_a_bad_spark_master_is_refused_before_java_starts(ingested, capsys):
    assert cli.main(["dsa", "query", "--data", str(ingested), "--engine", "spark", "--master", "bogus://x"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a Spark master URL" in err
