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
