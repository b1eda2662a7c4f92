"""The widest `dsa stats` request (issue 26: it peaked at 2.9 GB): memory bounded by construction.

Every platform, every category, by day, from the shipped summary: 1,200,609 rows. The command
streams them in batches from DuckDB (its memory limited) to the output; peak resident memory is
measured on the command's own process (``os.wait4``), not its wall-clock time.
"""

import os
import subprocess
import sys

import pytest

from analysis import cli, paths, spreadsheet
from analysis.dsa import caveats, stats

WIDEST = ["dsa", "stats", "--platform", "all", "--category", "all", "--by", "day"]
ROWS = 1_200_609  # 838 release days × the platform-category pairs the summary holds
BOUND_MB = 1_000  # measured 468 MB (a whole DataFrame of the same request: 1,617 MB)


def test_the_widest_request_stays_under_its_memory_bound(tmp_path):
    out = tmp_path / "widest.csv"
    with out.open("wb") as handle:
        process = subprocess.Popen([sys.executable, "-m", "analysis", *WIDEST, "--format", "csv"], cwd=paths.ROOT,
                                   env={**os.environ, "PYTHONPATH": str(paths.ROOT)}, stdout=handle,
                                   stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    peak_mb = usage.ru_maxrss / 1024
    assert peak_mb < BOUND_MB, f"peak {peak_mb:.0f} MB"
    with out.open(encoding="utf-8") as written:
        assert next(written) == ",".join(stats.COLUMNS + caveats.COLUMNS) + "\n"
        assert sum(1 for _ in written) == ROWS


def _whole_frame(by: str, platform: str | None, category: str | None):
    table = stats.from_summary(platform, category, by)
    return caveats.frame(table, caveats.of_summary(platform))


@pytest.mark.parametrize("output", ["table", "csv"])
def test_batches_print_what_one_frame_of_the_table_prints(capsys, monkeypatch, output):
    """X, every category, by day, in batches of DuckDB's 2,048-row vectors (the smallest): the
    widths of the table's columns, and the flags and footer of each period, are those of the whole
    table printed at once."""
    monkeypatch.setattr(stats, "BATCH_ROWS", 2048)
    assert len(list(stats.summary_batches("X", None, "day"))) > 4
    assert cli.main(["dsa", "stats", "--platform", "X", "--category", "all", "--by", "day", "--format", output]) == 0
    printed = capsys.readouterr()
    whole = _whole_frame("day", "X", None)
    footer = "\n" + "\n".join(whole.attrs["footer"]) + "\n"
    assert len(whole) > 4 * 2048
    if output == "csv":
        assert printed.out == spreadsheet.frame_text(whole) and printed.err == footer
    else:
        assert printed.out == whole.to_string(index=False, float_format=lambda v: f"{v:.1f}") + "\n" + footer


def test_the_spill_folder_is_the_projects_cache():
    """Past its memory limit DuckDB spills to .cache/duckdb/, never to a .tmp folder wherever the
    command was run."""
    from analysis.dsa import summary

    con = summary.connect()
    assert con.execute("SELECT current_setting('temp_directory'), current_setting('memory_limit')").fetchone() == (
        str(paths.DUCKDB_SPILL), "244.1 MiB")
