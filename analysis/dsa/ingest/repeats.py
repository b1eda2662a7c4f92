"""Once a day's parts are read: the statements whose uuid repeats across parts or within one,
read again in full, and judged exact repeats (counted once) or conflicts (malformed)."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from analysis.dsa import archive
from analysis.dsa.ingest.part import part_columns
from analysis.dsa.ingest.report import DUPLICATES_LISTED, EXAMPLES, DayReport
from analysis.dsa.ingest.sql import ACROSS_PARTS, CANDIDATES, quoted, reader_sql
from analysis.errors import DataError


def read_again(con, path: Path, scratch: Path, limits: archive.Limits) -> None:
    """Read again the parts that hold a repeat within the part (``repeated``), its first
    occurrence, or a candidate repeat across parts (``candidates``: a uuid hash stored from two
    parts), all columns, and keep the uuid and a digest of every column of those records
    (``again``): DuckDB's 64-bit hash, for which another content hashing alike has odds of 2^-64.
    That is rare, and the scan thus reads only the kept columns (hashing every column of every
    kept row cost a fifth of the scan) and stores only the uuids' hashes."""
    con.execute(f"SET threads = {archive.WORKERS}")  # the parts' threads are done: every core
    con.execute(CANDIDATES)
    con.execute("SET threads = 1")
    con.execute("""CREATE OR REPLACE TABLE wanted AS
        SELECT part, record FROM repeated UNION SELECT first_part, first_record FROM repeated
        UNION SELECT part, record FROM candidates""")
    con.execute("CREATE OR REPLACE TABLE again (part INTEGER, record BIGINT, uuid VARCHAR, digest UBIGINT)")
    involved = {part for (part,) in con.execute("SELECT DISTINCT part FROM wanted").fetchall()}
    if not involved:
        return

    def read(part: archive.Part) -> None:
        columns = part_columns(part, path)
        with con.cursor() as cursor:  # as the scan reads a part with broken lines: the same record numbers
            cursor.execute(f"CREATE TEMP TABLE whole AS SELECT uuid, hash({', '.join(quoted(c) for c in columns)}) "
                           f"AS digest FROM {reader_sql(columns, ', store_rejects = true')}", {"path": str(part.path)})
            cursor.execute("INSERT INTO again SELECT $part, rowid + 1, uuid, digest FROM whole WHERE rowid + 1 IN "
                           "(SELECT record FROM wanted WHERE part = $part)", {"part": part.number})

    with closing(archive.map_parts(path, scratch, read, limits, only=involved)) as done:
        for _ in done:
            pass
    missing = con.execute("SELECT count(*) FROM wanted ANTI JOIN again USING (part, record)").fetchone()[0]
    if missing:  # a repeat left uncounted would be stored twice
        raise DataError(f"{missing} repeated records could not be read again", path=path)


def repeats_across_parts(con, staging: Path, report: DayReport) -> None:
    """Find the statements whose uuid was stored from an earlier part (among the candidates read
    again, :func:`read_again`), take them out of their part's Parquet files again (rare: the
    files are rewritten without them) and out of ``kept``; :func:`judge_repeats` then counts
    them."""
    con.execute(ACROSS_PARTS)
    con.execute("INSERT INTO repeated SELECT * FROM across")
    for (part,) in con.execute("SELECT DISTINCT part FROM across ORDER BY part").fetchall():
        for file in sorted(staging.glob(f"platform=*/part-{part:05d}-*.parquet")):
            rewritten = file.with_name(f".{file.name}")
            left = con.execute("SELECT count(*) FROM read_parquet($file) WHERE uuid NOT IN "
                               "(SELECT uuid FROM across WHERE part = $part)", {"file": str(file), "part": part})
            if left.fetchone()[0]:
                con.execute("COPY (SELECT * FROM read_parquet($file) WHERE uuid NOT IN (SELECT uuid FROM across "
                            "WHERE part = $part)) TO $rewritten (FORMAT parquet)",
                            {"file": str(file), "part": part, "rewritten": str(rewritten)})
                rewritten.replace(file)
            else:
                file.unlink()
                if not any(file.parent.iterdir()):
                    file.parent.rmdir()
    report.kept -= con.execute("SELECT count(*) FROM across").fetchone()[0]


def judge_repeats(con, part_names: list[str], report: DayReport) -> None:
    """Count the day's repeated uuids as exact repeats (the same digest of every column in both
    rows, :func:`read_again`: counted once) or conflicting ones (malformed rows)."""
    judged = con.execute("""
        SELECT r.part, r.record, r.uuid, r.first_part, r.first_record, a.digest = b.digest AS same
        FROM repeated r JOIN again a ON a.part = r.part AND a.record = r.record
        JOIN again b ON b.part = r.first_part AND b.record = r.first_record
        ORDER BY r.part, r.record""").fetchall()
    for part, record, uuid, first_part, first_record, same in judged:
        if same:
            report.duplicates += 1
            if len(report.duplicate_examples) < DUPLICATES_LISTED:
                report.duplicate_examples.append({"uuid": uuid, "file": part_names[part], "record": record,
                                                  "first_file": part_names[first_part], "first_record": first_record})
        else:
            report.malformed += 1
            if len(report.examples) < EXAMPLES:
                report.examples.append(f"{part_names[part]}, record {record}: uuid {uuid} already seen with "
                                       f"other content ({part_names[first_part]}, record {first_record})")

