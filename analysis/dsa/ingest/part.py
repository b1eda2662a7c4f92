"""The scan of one CSV part, in a worker thread (parts are scanned two at a time): its header's
layout, DuckDB's strict read (read again with the rejects table when a line is broken), the row
checks, the repeats within the part, and its stored rows written as Parquet."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import duckdb

from analysis.dsa import archive, schema
from analysis.dsa.ingest.report import EXAMPLES, PartReport
from analysis.dsa.ingest.sql import (
    FOLDER,
    JSON_STRINGS,
    REPEATS,
    malformed_expression,
    quoted,
    reader_sql,
    select_valid,
    stored,
)
from analysis.errors import DataError


def head(path: Path) -> tuple[list[str], dict[str, str]]:
    """The header and the first record (as a dict; empty when there is none or it is unreadable:
    the scan locates what is wrong with it)."""
    with open(path, "rb") as handle:
        line = handle.readline()
        if not line:
            raise DataError("empty CSV part: no header", path=path)
        if line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise DataError("UTF-16 (it starts with a UTF-16 byte order mark): the dumps are UTF-8; refused",
                            path=path, row=1)
        try:
            header = next(csv.reader([line.decode("utf-8-sig")]))
        except (csv.Error, UnicodeDecodeError, StopIteration) as error:
            raise DataError(f"unreadable CSV header: {error}", path=path, row=1) from None
        try:
            first = next(csv.reader(io.TextIOWrapper(handle, encoding="utf-8", errors="replace", newline="")), [])
        except csv.Error:
            first = []
    return header, dict(zip(header, first))


def looks_synthetic(first: dict[str, str]) -> bool:
    return (first.get("platform_uid", "").startswith(schema.SYNTHETIC_UID_PREFIX)
            or first.get("decision_facts", "").startswith(schema.SYNTHETIC_FACTS_PREFIX))


def check_lists(con, table: str, found: schema.Layout) -> None:
    """Mark the kept rows whose multi-valued cells are not JSON arrays of strings, the last of the
    row checks, in :data:`schema.LISTS` order. Each distinct value is matched once: a part's rows
    share few of them (``territorial_scope`` lists the same 27 or 30 codes), and matching every
    row cost a tenth of the scan."""
    lists = [c for c in schema.LISTS if c in found.columns]
    distinct = " UNION ALL ".join(f"SELECT '{c}' AS name, value FROM (SELECT DISTINCT {c} AS value FROM {table} "
                                  f"WHERE keep AND why IS NULL AND {c} IS NOT NULL)" for c in lists)
    bad = dict(con.execute(f"SELECT name, list(value) FROM ({distinct}) WHERE NOT regexp_full_match(value, "
                           f"'{JSON_STRINGS}') GROUP BY name").fetchall())
    if bad:
        checks = [(c, f"list_contains(${c}, {c})") for c in lists if c in bad]
        con.execute(f"UPDATE {table} SET why = CASE "
                    + " ".join(f"WHEN {test} THEN '{c} is not a JSON array of strings'" for c, test in checks)
                    + f" END WHERE keep AND why IS NULL AND ({' OR '.join(test for _, test in checks)})", bad)



def part_columns(part: archive.Part, where: Path) -> tuple[str, ...]:
    """The columns of a part's published layout, from its header."""
    return schema.detect_layout(head(part.path)[0], part.name, where).columns


# --- the scan of one part, in a worker thread (parts are scanned two at a time) -------------------

def scan(con, table: str, part: archive.Part, found: schema.Layout, day: str, platforms: list[str] | None,
          where: str) -> list[tuple]:
    """One scan of a part into ``table``: a row for every row, whose kept columns (null where the
    layout lacks one) and what is wrong with it (``why``) are filled for the platforms kept only
    (the other rows are only counted: storing even their platform cost a sixth of the scan).
    Only the kept columns are read (every column if the part is not all UTF-8, which DuckDB checks
    only in the columns it reads: :class:`archive.Utf8Check`): the whole content of a row is read
    again only if its uuid repeats (:func:`read_again`). Returns DuckDB's rejected lines as
    ``(line, error)``: the fast path reads strictly and, only if a line is broken, the part is read
    again with DuckDB's rejects table to count and locate every broken line."""
    keep = "TRUE" if platforms is None else "list_contains($platforms, platform_name)"
    columns = ", ".join(f"CASE WHEN keep THEN {c} END AS {c}" if c in found.columns
                        else f"CAST(NULL AS VARCHAR) AS {c}" for c in schema.KEPT)
    why = f"CASE WHEN keep THEN {malformed_expression()} END AS why"
    every = "" if part.is_utf8() else f", hash({', '.join(quoted(c) for c in found.columns)}) AS every_column"
    def sql(reader: str) -> str:
        return (f"CREATE OR REPLACE TABLE {table} AS SELECT keep, {columns}, {why}{every} "
                f"FROM (SELECT *, {keep} AS keep FROM {reader})")

    parameters = {"path": str(part.path), "day": day}
    if platforms is not None:
        parameters["platforms"] = platforms
    try:
        con.execute(sql(reader_sql(found.columns)), parameters)
        return []
    except duckdb.Error:  # a broken line: read again, keeping the good lines and listing the bad
        con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
        try:
            con.execute(sql(reader_sql(found.columns, ", store_rejects = true")), parameters)
        except duckdb.Error as error:
            raise DataError(f"unreadable CSV part: {str(error).splitlines()[0]}", path=where) from None
        return con.execute("SELECT line, min(error_type) FROM reject_errors GROUP BY line ORDER BY line").fetchall()



def account_for_lines(con, part: archive.Part, found: schema.Layout, read: int, rejects: list[tuple],
                      where: str) -> None:
    """Refuse the part unless every physical line after its header is in a record read, a line
    DuckDB rejected, or a field that holds line feeds (a record may span lines). An unclosed quote
    makes the parser swallow the lines after it into one field or one rejected line: counted on
    what the parser returned, those records would vanish without a word. The fields' line feeds
    are counted (reading every column again) only when the lines and the records differ."""
    held = part.line_count() - 1
    accounted = read + len(rejects)
    if held == accounted:
        return
    feeds = " + ".join(f"coalesce(length({quoted(c)}) - length(replace({quoted(c)}, chr(10), '')), 0)"
                       for c in found.columns)
    inside = con.execute(f"SELECT coalesce(sum({feeds}), 0) FROM {reader_sql(found.columns, ', store_rejects = true')}",
                         {"path": str(part.path)}).fetchone()[0]
    if held != accounted + inside:
        first = rejects[0][0] if rejects else None
        raise DataError(f"{held:,} lines after the header, but the records read ({read:,}), the lines rejected "
                        f"({len(rejects):,}) and the line feeds inside fields ({inside:,}) account for "
                        f"{accounted + inside:,}: an unclosed quote swallows the records after it"
                        + (f" (first broken line: {first})" if first else "") + "; part refused", path=where,
                        row=first)


def ingest_part(database: duckdb.DuckDBPyConnection, part: archive.Part, where: Path, day: str,
                 platforms: list[str] | None, staging: Path) -> PartReport:
    """One CSV part, in a worker thread and a cursor of its own: scan it (:func:`scan`), check
    its kept rows, find the statements whose uuid came earlier in the part (not stored), note the
    hashes of the uuids stored (``stored``: those that came in an earlier part are found once the
    day is read, :func:`repeats_across_parts`; comparing each part with every statement before
    it made a day quadratic in its parts), and write the stored rows as Parquet under
    ``staging``. Row checks apply to the platforms kept; broken lines count whatever their
    platform."""
    header, first = head(part.path)
    found = schema.detect_layout(header, part.name, where)
    if part.nul_count():
        raise DataError(f"holds {part.nul_count():,} NUL bytes (a binary or damaged file: no CSV cell holds one); "
                        "part refused", path=f"{where}/{part.name}")
    table, number = f"part_{part.number:05d}", {"part": part.number}
    with database.cursor() as con:
        rejects = scan(con, table, part, found, day, platforms, f"{where}/{part.name}")
        check_lists(con, table, found)
        read, bad, seen = con.execute(f"SELECT count(*), count(why), list(DISTINCT platform_name) FILTER (keep) "
                                      f"FROM {table}").fetchone()
        account_for_lines(con, part, found, read, rejects, f"{where}/{part.name}")
        examples = [f"{part.name}, line {line}: {kind.lower()}" for line, kind in rejects[:EXAMPLES]]
        if bad and len(examples) < EXAMPLES:  # only now pay for record numbers
            examples += [f"{part.name}, record {record}: {why}" for record, why in con.execute(
                f"SELECT rowid + 1, why FROM {table} WHERE why IS NOT NULL ORDER BY rowid LIMIT ?",
                [EXAMPLES - len(examples)]).fetchall()]
        con.execute(REPEATS.format(table=table), number)
        con.execute(f"INSERT INTO repeated SELECT $part, record, uuid, first_part, first_record FROM {table}_repeats",
                    number)
        con.execute(f"INSERT INTO stored SELECT hash(uuid), $part, rowid + 1 FROM {table} "
                    f"WHERE {stored(table)}", number)
        kept, names = con.execute(f"SELECT count(*), list(DISTINCT platform_name) FROM {table} "
                                  f"WHERE {stored(table)}").fetchone()
        if kept and len(names) == 1:  # one platform (the usual X only): no partitioning to pay for
            folder, = con.execute(f"SELECT {FOLDER} FROM (SELECT ? AS platform_name)", names).fetchone()
            (staging / f"platform={folder}").mkdir(exist_ok=True)
            con.execute(f"COPY ({select_valid(table, partitioned=False)}) TO $target (FORMAT parquet)",
                        {"target": str(staging / f"platform={folder}" / f"part-{part.number:05d}-0.parquet")})
        elif kept:
            con.execute(f"COPY ({select_valid(table, partitioned=True)}) TO $staging (FORMAT parquet, "
                        f"PARTITION_BY (platform), FILENAME_PATTERN 'part-{part.number:05d}-{{i}}', "
                        "OVERWRITE_OR_IGNORE true)", {"staging": str(staging)})
        con.execute(f"DROP TABLE {table}; DROP TABLE {table}_repeats")
    return PartReport(name=part.name, layout=found.name, synthetic=looks_synthetic(first),
                       rows=read + len(rejects), kept=kept, malformed=len(rejects) + bad, examples=examples,
                       platforms={p for p in seen or [] if p is not None})
