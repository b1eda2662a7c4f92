"""Hostile DSA input (issue 26): nothing may be lost or counted twice without saying so.

Every file here is generated in the test from a synthetic dump (:mod:`analysis.dsa.synth`); none is
real data.
"""

import io
import zipfile

import pytest

from analysis.dsa import ingest, synth
from analysis.errors import DataError

DAY = "2025-06-03"
BROKEN = 101  # the physical line (1 is the header) where a quote opens and never closes


@pytest.fixture(scope="module")
def part_lines(tmp_path_factory) -> list[str]:
    """The lines of one synthetic CSV part of 10,000 statements (header first)."""
    dump = synth.synth_dump(DAY, 10_000, tmp_path_factory.mktemp("dump"))
    with zipfile.ZipFile(dump) as outer, zipfile.ZipFile(io.BytesIO(outer.read(outer.namelist()[0]))) as inner:
        return inner.read(inner.namelist()[0]).decode("utf-8").split("\n")


def _part(tmp_path, lines: list[str]):
    path = tmp_path / f"sor-global-{DAY}-full-00000-00000.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _opening_quote(line: str, column_start: str) -> str:
    return line.replace(column_start, column_start[0] + '"' + column_start[1:], 1)


@pytest.mark.parametrize("closes_after", [None, 2000], ids=["never closes", "closes 2,000 lines later"])
def test_an_unclosed_quote_that_swallows_records_refuses_the_part(tmp_path, part_lines, closes_after):
    """`…,"synthetic-…` whose quote never closes (or closes 2,000 lines on): the parser returns one
    record fewer than the file holds, which was counted as 9,999 rows read, 9,998 kept and 1
    malformed. Every physical line must be accounted for: here the part is refused, naming the line."""
    lines = list(part_lines)
    lines[BROKEN - 1] = _opening_quote(lines[BROKEN - 1], ",synthetic-")
    if closes_after:
        lines[BROKEN - 1 + closes_after] = lines[BROKEN - 1 + closes_after].replace(",synthetic-", ',synthetic"-', 1)
    out = tmp_path / "pq"
    with pytest.raises(DataError, match=r"10,000 lines after the header, but the records read \(9,998\), the lines "
                       r"rejected \(1\) and the line feeds inside fields \(0\) account for 9,999: an unclosed "
                       r"quote swallows the records after it \(first broken line: 101\); part refused") as raised:
        ingest.ingest_dump(_part(tmp_path, lines), out, platforms=None, progress=False, max_malformed=0.5)
    assert raised.value.row == BROKEN and not list(out.glob("date=*"))


def test_an_unclosed_quote_the_parser_recovers_from_counts_one_malformed_line(tmp_path, part_lines):
    """A quote opened before a field, its line rejected alone: 10,000 rows held, 1 malformed with its
    line number, 9,999 kept — the share is on what the file held."""
    lines = list(part_lines)
    lines[BROKEN - 1] = '"' + lines[BROKEN - 1]
    report = ingest.ingest_dump(_part(tmp_path, lines), tmp_path / "pq", platforms=None, progress=False,
                                max_malformed=0.5, log=lambda _: None)
    assert (report.rows, report.kept, report.malformed) == (10_000, 9_999, 1)
    assert report.examples == [f"sor-global-{DAY}-full-00000-00000.csv, line {BROKEN}: missing columns"]


def test_line_feeds_inside_a_quoted_field_are_lines_accounted_for(tmp_path, part_lines):
    """A record may span lines (a free-text field holding line feeds): that is no lost line."""
    lines = list(part_lines)
    lines[BROKEN - 1] = lines[BROKEN - 1].replace("Synthetic facts, not", "Synthetic facts,\nnot\n", 1)
    report = ingest.ingest_dump(_part(tmp_path, lines), tmp_path / "pq", platforms=None, progress=False)
    assert (report.rows, report.kept, report.malformed) == (10_000, 10_000, 0)
