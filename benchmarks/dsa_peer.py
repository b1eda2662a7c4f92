"""DSA ingest against the peer tool, shantay (Polars), on one synthetic dump, side by side.

    .venv/bin/python benchmarks/dsa_peer.py --rows 1000000 [--rounds 3] [--sizes 1,10]

One synthetic full dump (``dsa synth``'s generator, X = 3 tenths of the rows by default) is laid
out as shantay's archive expects, and every job below reads that same file, from the zip to the
per-day count of statements on the protection of minors:

- ``ours X``: ``python -m analysis dsa ingest DUMP`` (X only), then ``dsa query --by day``;
- ``ours all``: the same with ``--platform all`` for both commands;
- ``shantay``: shantay 0.6.0 ``distill --category protection_of_minors`` then ``summarize``;
- ``floor unzip``: every part decompressed by ``unzip -p`` into /dev/null (inner zips to disk);
- ``floor scan``: the project's own parallel decompression (``archive.map_parts``, two parts at a
  time) + DuckDB ``count(*)`` of every part (its reader set as our ingest sets it), nothing kept.

Before timing anything, one untimed round checks that both tools report the same counts (rows
read; statements on minors per platform, X's equal to what the generator put in). Then the jobs
run in alternating rounds (A B C … A B C …), each in a fresh process tree: wall time around the
whole job, CPU time (user + system) and peak resident memory from ``getrusage(RUSAGE_CHILDREN)``
(the largest process of the job; every job here is one process at a time, threads included).
Medians, peaks and ratios are printed. The machine is shared: the ratios within a round matter
more than the absolute times, and when other work keeps the cores busy, CPU time says more than
wall time.

Last, to say where ``ours X / floor scan`` goes, one process measures the CPU time of each step
up from the floor on the same dump (:func:`breakdown`): extraction alone; the floor scan; reading
the values of the kept columns; also writing X's rows as Parquet, unchecked (the least any ingest
of X's rows must do with DuckDB's reader); our whole X ingest.

How shantay was made to accept a synthetic dump, offline (read from its 0.6.0 source):
- its archive layout: ``ARCHIVE/YYYY/MM/sor-global-YYYY-MM-DD-full.zip`` with its ``.sha1``
  beside it (checked, like ours);
- it globs ``sor-global-DATE-full-NNNNN-*.csv`` inside each inner zip, so the parts are renamed
  without our ``synthetic-`` prefix (the outer zip's comment still says SYNTHETIC, and the whole
  dump lives under ``.cache/bench/synthetic-dsa-peer/``);
- it refreshes its platform list from the web when ``~/.shantay/platforms.json`` is over a week old:
  every run gets a private HOME holding a fresh copy of its built-in list;
- ``--offline`` with ``--first``/``--last`` set to the dump's day; ``CI=1`` (plain progress lines:
  0.6.0's ``summarize`` of an extract needs it); it runs in its own Python ≥ 3.12 virtual
  environment (``.cache/bench/shantay-venv``, created on first use with pip); without such an
  interpreter, the peer is skipped with a message and only our jobs and the floors run.

Counting: shantay's category filter also keeps statements that list minors in
``category_addition``; ours counts the main ``category``. The synthetic dump has no additional
categories, so both must agree here (checked).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "bench"
SHANTAY = "0.6.0"
SHANTAY_VENV = CACHE / "shantay-venv"
DAY = "2025-07-01"
MINORS = "STATEMENT_CATEGORY_PROTECTION_OF_MINORS"


# --- the peer's environment ----------------------------------------------------------------------

def _python_312(explicit: str | None) -> str | None:
    """A Python ≥ 3.12 interpreter (shantay 0.6.0 requires it), or None."""
    candidates = [explicit] if explicit else [
        shutil.which(name) for name in ("python3.13", "python3.12")] + sorted(
        str(p) for p in Path.home().glob(".pyenv/versions/3.1[2-9]*/bin/python3"))
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info >= (3, 12))"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == "True":
            return candidate
    return None


def shantay_python(explicit: str | None) -> str | None:
    """The shantay venv's interpreter, creating the venv on first use; None (with a message)
    when no Python ≥ 3.12 exists here."""
    python = SHANTAY_VENV / "bin" / "python"
    check = [str(python), "-c", f"import importlib.metadata as m; assert m.version('shantay') == '{SHANTAY}'"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return str(python)
    base = _python_312(explicit)
    if base is None:
        print("skipping shantay: it needs Python ≥ 3.12 and none was found (python3.12, python3.13, "
              "~/.pyenv/versions/3.12+; or pass --python PATH)")
        return None
    print(f"installing shantay {SHANTAY} into {SHANTAY_VENV} (with {base})", flush=True)
    subprocess.run([base, "-m", "venv", "--clear", str(SHANTAY_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"shantay=={SHANTAY}"], check=True)
    subprocess.run(check, check=True)
    return str(python)


def fresh_home(python: str, home: Path) -> None:
    """A private HOME whose ~/.shantay/platforms.json is shantay's built-in list, dated now (shantay
    writes it predated, to force a refresh from the web, when it does not exist)."""
    home.mkdir(parents=True, exist_ok=True)
    subprocess.run([python, "-c", "import os, shantay._platform as p; os.utime(p._PLATFORM_FILE)"],
                   env={**os.environ, "HOME": str(home)}, check=True, capture_output=True)


# --- the dump ------------------------------------------------------------------------------------

def dump_for(rows: int, x_tenths: int) -> tuple[Path, int]:
    """The synthetic dump in shantay's archive layout, generated once per size and generator
    version (cached under .cache/bench/synthetic-dsa-peer/), and how many statements of X on
    minors the generator put in."""
    generator = hashlib.sha256((ROOT / "analysis" / "dsa" / "synth.py").read_bytes()).hexdigest()[:12]
    archive = CACHE / "synthetic-dsa-peer" / f"rows{rows}-x{x_tenths}-{generator}" / "archive"
    year, month, _ = DAY.split("-")
    dump = archive / year / month / f"sor-global-{DAY}-full.zip"
    expected = archive.parent / "expected.json"
    if expected.exists():
        return dump, json.loads(expected.read_text())["x_minors"]
    shutil.rmtree(archive.parent, ignore_errors=True)
    print(f"generating a synthetic dump of {rows:,} rows in {archive.parent}", flush=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
        generated = json.loads(_self("--synth", str(rows), scratch, str(x_tenths)).splitlines()[-1])
        dump.parent.mkdir(parents=True)
        _rename_members(Path(generated["path"]), dump)
    digest = hashlib.sha1()
    with open(dump, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 24), b""):
            digest.update(chunk)
    dump.with_name(dump.name + ".sha1").write_text(f"{digest.hexdigest()}  {dump.name}\n")
    expected.write_text(json.dumps(generated))  # last: marks the dump complete
    return dump, generated["x_minors"]


def _rename_members(source: Path, target: Path) -> None:
    """Copy a zip of zips, dropping the ``synthetic-`` prefix from member names. Recompressed at
    the generator's level (zlib's default), so the compressed streams are the same bytes."""
    with zipfile.ZipFile(source) as outer_in, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as outer_out:
        outer_out.comment = outer_in.comment
        for name in sorted(outer_in.namelist()):
            inner_path = target.parent / f".{name}.tmp"
            with outer_in.open(name) as raw, zipfile.ZipFile(raw) as inner_in, \
                    zipfile.ZipFile(inner_path, "w", zipfile.ZIP_DEFLATED) as inner_out:
                for member in sorted(inner_in.namelist()):
                    with inner_in.open(member) as part, \
                            inner_out.open(member.removeprefix("synthetic-"), "w", force_zip64=True) as copy:
                        shutil.copyfileobj(part, copy, 1 << 20)
            outer_out.write(inner_path, name.removeprefix("synthetic-"))
            inner_path.unlink()


# --- the jobs ------------------------------------------------------------------------------------

def jobs(dump: Path, work: Path, shantay: str | None) -> dict[str, list[list[str]]]:
    """Each job: the commands run one after the other, in ``work``."""
    ours = [sys.executable, "-m", "analysis", "dsa"]
    peer = [shantay, "-m", "shantay", "--archive", str(dump.parents[2]), "--extract", str(work / "extract"),
            "--staging", str(work / "staging"), "--offline", "--first", DAY, "--last", DAY]
    found = {
        "ours X": [[*ours, "ingest", str(dump), "--out", str(work / "x")],
                   [*ours, "query", "--data", str(work / "x"), "--by", "day", "--csv", str(work / "x.csv")]],
        "ours all": [[*ours, "ingest", str(dump), "--out", str(work / "all"), "--platform", "all"],
                     [*ours, "query", "--data", str(work / "all"), "--by", "day", "--platform", "all",
                      "--csv", str(work / "all.csv")]],
        "shantay": [[*peer, "--category", "protection_of_minors", "distill"], [*peer, "summarize"]],
        "floor unzip": [[sys.executable, __file__, "--floor", "unzip", str(dump), str(work)]],
        "floor scan": [[sys.executable, __file__, "--floor", "scan", str(dump), str(work)]],
    }
    return {name: commands for name, commands in found.items() if shantay or name != "shantay"}


def _clear(work: Path) -> None:
    """Remove the last job's outputs: each job starts from an empty folder."""
    for leftover in work.iterdir():
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()


def run_job(name: str, commands: list[list[str]], work: Path, home: Path) -> dict:
    """Run a job in a fresh process (this script, small) that times it and reads its children's
    peak memory, after clearing the job's outputs and warming the page cache with the dump."""
    _clear(work)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(home), "CI": "1"}
    result = json.loads(_self("--time", json.dumps(commands), str(work), env=env).splitlines()[-1])
    result["job"] = name
    return result


def time_commands(commands: list[list[str]], work: Path) -> dict:
    start = time.perf_counter()
    outputs = []
    for command in commands:
        done = subprocess.run(command, cwd=work, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stdout[-2000:]}\n"
                             f"{done.stderr[-2000:]}")
        outputs.append(done.stdout)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
            "stdout": outputs}


def counts(name: str, result: dict, work: Path) -> dict[str, int]:
    """What a job reports: rows read, and statements on minors per platform."""
    if name.startswith("ours"):
        report = json.loads(next(work.glob("*/date=*/_ingest.json")).read_text())
        with open(next(work.glob("*.csv")), newline="") as handle:
            table = list(csv.DictReader(handle))
        assert all(row["period"] == DAY and row["category"] == MINORS for row in table), table
        return {"rows": report["rows"], **{row["platform"]: int(row["statements"]) for row in table}}
    if name == "shantay":
        text = result["stdout"][-1]
        found = {"rows": int(re.search(r"│ total_rows\s+│\s+([\d,]+) │", text).group(1).replace(",", ""))}
        for platform, value in re.findall(r"│ platform\.(.+?)\.rows\s+│\s+([\d,]+) │", text):
            found[platform] = int(value.replace(",", ""))
        return found
    return {"rows": int(result["stdout"][-1].split()[-1])}


def check_agreement(found: dict[str, dict[str, int]], rows: int, x_minors: int) -> None:
    """Refuse to time tools that do not count the same thing."""
    problems = [f"{job} read {c['rows']:,} rows, not {rows:,}" for job, c in found.items() if c["rows"] != rows]
    problems += [f"{job} counts {c.get('X')} statements of X on minors, the generator put in {x_minors:,}"
                 for job, c in found.items() if job in ("ours X", "ours all", "shantay") and c.get("X") != x_minors]
    if {"shantay", "ours all"} <= set(found) and found["shantay"] != found["ours all"]:
        problems.append(f"per platform, shantay {found['shantay']} ≠ ours {found['ours all']}")
    if problems:
        raise SystemExit("the tools disagree, nothing timed:\n  " + "\n  ".join(problems))


# --- floors --------------------------------------------------------------------------------------

def floor(kind: str, dump: str, work: str) -> int:
    """Decompress (and, for ``scan``, count) every part; return the number of data rows."""
    scratch = Path(work) / "floor"
    scratch.mkdir()
    if kind == "unzip":
        lines = 0
        with zipfile.ZipFile(dump) as outer:
            inner_names = sorted(outer.namelist())
        for name in inner_names:
            inner = scratch / name
            with open(inner, "wb") as handle:
                subprocess.run(["unzip", "-p", dump, name], stdout=handle, check=True)
            with zipfile.ZipFile(inner) as archive:
                lines -= len(archive.namelist())  # headers
            unzip = subprocess.Popen(["unzip", "-p", str(inner)], stdout=subprocess.PIPE)
            lines += sum(chunk.count(b"\n") for chunk in iter(lambda: unzip.stdout.read(1 << 20), b""))
            unzip.wait()
            inner.unlink()
        return lines
    from analysis.dsa import ingest

    return ingest.count_rows(dump, scratch)


def breakdown(dump: str, work: str) -> dict[str, float]:
    """Where ``ours X / floor scan`` goes: the CPU time (every thread) of each step up from the
    floor, in this one process, on the whole dump: extracting every part; the floor scan; reading
    the values of the kept columns as well (DuckDB's ``count(*)`` reads none), then also writing
    X's rows as Parquet, unchecked: the least any ingest of X's rows must do with this reader;
    our whole X ingest. The steps between the floor and ours read as the ingest reads: two parts
    at a time, one DuckDB thread each."""
    import duckdb

    from analysis.dsa import archive, ingest, schema

    scratch = Path(work) / "breakdown"
    scratch.mkdir()
    database = duckdb.connect()
    database.execute("SET threads = 1")
    reader = ingest.reader_sql(schema.COLUMNS)

    def each_part(sql: str):
        def run(part: archive.Part) -> int:
            target = {"target": str(scratch / f"{part.number}.parquet")} if "$target" in sql else {}
            with database.cursor() as con:
                con.execute(sql, {"path": str(part.path), **target})
            return 1
        return lambda: sum(archive.map_parts(dump, scratch, run))

    def cpu(step) -> float:
        start = time.process_time()
        step()
        return time.process_time() - start

    kept = ", ".join(schema.KEPT)
    return {
        "extraction": cpu(lambda: sum(archive.map_parts(dump, scratch, lambda part: 1))),
        "floor scan": cpu(lambda: ingest.count_rows(dump, scratch)),
        "reading the kept columns": cpu(each_part(
            f"SELECT count(*), {', '.join(f'count({column})' for column in schema.KEPT)} FROM {reader}")),
        "+ writing X's rows": cpu(each_part(
            f"COPY (SELECT {kept} FROM {reader} WHERE platform_name = 'X') TO $target (FORMAT parquet)")),
        "ours X (ingest)": cpu(lambda: ingest.ingest_dump(dump, scratch / "x", log=lambda *_: None,
                                                          progress=False)),
    }


# --- driver --------------------------------------------------------------------------------------

def _self(*args: str, env: dict | None = None) -> str:
    """This script in a fresh process; its stdout."""
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(f"{' '.join(args[:1])} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def measure(rows: int, args: argparse.Namespace, shantay: str | None) -> None:
    dump, x_minors = dump_for(rows, args.x_tenths)
    with tempfile.TemporaryDirectory(dir=CACHE, prefix="peer-run-") as tmp:
        work, home = Path(tmp) / "work", Path(tmp) / "home"
        work.mkdir()
        if shantay:
            fresh_home(shantay, home)
        todo = {name: commands for name, commands in jobs(dump, work, shantay).items()
                if not args.jobs or name in args.jobs.split(",")}
        found = {}
        for name, commands in todo.items():  # untimed: checks, and warms caches (.pyc, page cache)
            found[name] = counts(name, run_job(name, commands, work, home), work)
        check_agreement(found, rows, x_minors)
        print(f"\n{rows:,} rows: counts agree ({', '.join(f'{k} {v:,}' for k, v in (found.get('shantay') or found.get('ours all') or next(iter(found.values()))).items())})")
        results = {name: [] for name in todo}
        for round_number in range(args.rounds):
            for name, commands in todo.items():
                results[name].append(run_job(name, commands, work, home))
            print(f"  round {round_number + 1}: " + ", ".join(
                f"{name} {results[name][-1]['seconds']:.2f} s" for name in todo), flush=True)
        steps = None
        if {"ours X", "floor scan"} <= set(todo):
            _clear(work)
            steps = json.loads(_self("--breakdown", str(dump), str(work)).splitlines()[-1])
    report(rows, results, steps)


def report(rows: int, results: dict[str, list[dict]], steps: dict[str, float] | None) -> None:
    median = {name: statistics.median(r["seconds"] for r in runs) for name, runs in results.items()}
    peak = {name: max(r["peak_mb"] for r in runs) for name, runs in results.items()}
    cpu = {name: statistics.median(r["cpu"] for r in runs) for name, runs in results.items()}
    print(f"\n{'rows':>12}  {'job':<12} {'median s':>9} {'min s':>7} {'max s':>7} {'CPU s':>7} {'peak MB':>8}")
    for name, runs in results.items():
        seconds = [r["seconds"] for r in runs]
        print(f"{rows:>12,}  {name:<12} {median[name]:>9.2f} {min(seconds):>7.2f} {max(seconds):>7.2f} "
              f"{cpu[name]:>7.2f} {peak[name]:>8.0f}")
    def against(goal: float, ratio: float, what: str) -> str:
        return f"{ratio:.2f}× {what} (goal ≤ {goal:.1f}: {'met' if ratio <= goal else 'not met'})"

    lines = []
    if {"shantay", "ours X", "ours all"} <= set(median):
        lines += [f"ours X / shantay         {against(0.5, median['ours X'] / median['shantay'], 'time')}, "
                  f"{cpu['ours X'] / cpu['shantay']:.2f}× CPU",
                  f"ours all / shantay       {against(1.0, median['ours all'] / median['shantay'], 'time')}, "
                  f"{cpu['ours all'] / cpu['shantay']:.2f}× CPU",
                  f"ours peak / shantay's    "
                  f"{against(0.5, max(peak['ours X'], peak['ours all']) / peak['shantay'], 'memory')}"]
    if {"ours X", "floor scan"} <= set(median):
        lines.append(f"ours X / floor scan      {against(1.5, median['ours X'] / median['floor scan'], 'time')}")
    if {"ours X", "floor unzip"} <= set(median):
        lines.append(f"ours X / floor unzip     {median['ours X'] / median['floor unzip']:.2f}× time")
    if steps:
        floor_cpu = steps["floor scan"]
        lines.append("where ours X / floor scan goes (CPU s of every thread, one process, the whole dump):")
        lines += [f"  {step:<26} {seconds:>6.2f}" + (f"  {seconds / floor_cpu:.2f}× the floor scan"
                                                     if step != "extraction" else "")
                  for step, seconds in steps.items()]
        least = steps["+ writing X's rows"] / floor_cpu
        lines.append(f"  reading the kept columns and writing X's rows, before any check, is {least:.2f}× the floor "
                     "scan: the least an ingest of X's rows does with DuckDB's reader")
    print("\n".join(f"{rows:>12,}  {line}" for line in lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="N (a multiple of 10,000)")
    parser.add_argument("--sizes", default="1", help="multiples of N to measure, e.g. 1,10 (default 1)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per job (default 3)")
    parser.add_argument("--x-tenths", type=int, default=3, help="X's share of rows, in tenths (default 3)")
    parser.add_argument("--python", help="a Python ≥ 3.12 for shantay's venv (default: found on PATH/pyenv)")
    parser.add_argument("--jobs", help="only these jobs, comma-separated (e.g. 'ours X,shantay')")
    parser.add_argument("--synth", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--time", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--floor", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--breakdown", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.synth:
        sys.path.insert(0, str(ROOT))
        from analysis.dsa import synth

        rows, folder, x_tenths = args.synth
        path = synth.synth_dump(DAY, int(rows), folder, x_tenths=int(x_tenths))
        print(json.dumps({"path": str(path), "x_minors": synth.expected(int(rows), x_tenths=int(x_tenths))["x_minors"]}))
    elif args.time:
        print(json.dumps(time_commands(json.loads(args.time[0]), Path(args.time[1]))))
    elif args.floor:
        print(floor(*args.floor))
    elif args.breakdown:
        print(json.dumps(breakdown(*args.breakdown)))
    else:
        if args.rounds < 3:
            parser.error("alternating rounds need at least 3 of each job")
        CACHE.mkdir(parents=True, exist_ok=True)
        shantay = shantay_python(args.python)
        for multiple in (int(m) for m in args.sizes.split(",")):
            measure(args.rows * multiple, args, shantay)


if __name__ == "__main__":
    main()
