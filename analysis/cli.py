"""The command line: ``python -m analysis <command>``.

- ``data check`` — verify every raw file against the checksum in the data package.
- ``verify [ID …] [--format table|json]`` — the fact-check: every claim of the ledger (or those named)
  against the data.
- ``figures [--lang fr|en|all] [--out DIR]`` — the charts, ``figures.json`` and the gallery.
- ``fetch apple-charts --country us [--country fr …]`` — App Store top-chart snapshots.
- ``grok-downloads PATH [--sheet NAME]`` — the article's Grok download change recomputed from a Sensor Tower export.
- ``synth sensortower`` — a synthetic example export (never published).
- ``dsa fetch|ingest|query|synth`` — the EU DSA Transparency Database at scale.
- ``dsa stats [--data DIR]`` — statements per period with their coverage (published summary or dumps).

Each command returns an exit code; bad input ends with one line naming the file, row and column
(``--debug`` shows the traceback). ``--out`` always names a folder the command writes into.
Each command imports what it needs when it runs, so ``--help`` and light commands start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from difflib import get_close_matches
from pathlib import Path

from analysis import paths
from analysis.dsa import layout
from analysis.errors import DataError, UsageError
from analysis.sources import apple


def _data_check(args: argparse.Namespace) -> int:
    from analysis import datapackage

    found = datapackage.problems(args.package)
    for line in found:
        print(f"FAIL {line}", file=sys.stderr)
    count = len(datapackage.resources(args.package))
    if found:
        print(f"{len(found)} of {count} resources fail the check", file=sys.stderr)
        return 1
    print(f"all {count} resources present with the recorded sha256")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from analysis import claims

    results = claims.check_all(args.ledger)
    if args.claims:
        known = {r.claim.id: r for r in results}
        for claim_id in args.claims:
            if claim_id not in known:
                close = get_close_matches(claim_id, known, n=1)
                raise UsageError(f"no claim {claim_id!r} in the ledger" + (f"; did you mean {close[0]!r}?" if close else ""))
        results = [known[claim_id] for claim_id in args.claims]
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    elif args.claims:  # one claim at a time: its sentence, what it rests on and its check, in words
        print("\n\n".join(claims.explanation(r) for r in results))
    else:
        print(claims.table(results))
    changed = [r for r in results if not r.as_expected]
    for r in changed:
        print(f"CHANGED {r.expected_text()}", file=sys.stderr)
    return 1 if changed else 0


def _figures(args: argparse.Namespace) -> int:
    from analysis.charts import build  # matplotlib is slow to import: only for this command

    langs = build.LANGS if args.lang == "all" else (args.lang,)
    manifest = build.build(langs, args.out, only=set(args.only) if args.only else None)
    print(f"{len(manifest)} figures current in {args.out}; gallery: {args.out / 'index.html'}")
    if args.update_references:
        count = build.update_references(manifest, args.out)
        print(f"{count} reference images updated in {paths.REFERENCE_IMAGES}")
    return 0


def _notebooks(args: argparse.Namespace) -> int:
    from analysis import methodology  # nbconvert is slow to import: only for this command

    pages = methodology.render(args.out)
    print(f"{len(pages)} notebooks rendered in {args.out / methodology.FOLDER}")
    return 0


def _fetch_apple_charts(args: argparse.Namespace) -> int:
    import pandas as pd
    from tqdm import tqdm

    from analysis.httpclient import make_session

    countries = [apple.storefront(country) for country in args.country]  # all checked before any request
    session = make_session(retries=args.retries, backoff=args.backoff)
    retrieved_at = pd.Timestamp.now(tz="UTC").floor("s")
    failed = 0
    # disable=None: a bar on a terminal, plain lines in logs and CI
    unregistered = []
    for country in tqdm(countries, desc="storefronts", unit="storefront", file=sys.stderr, disable=None):
        try:
            snapshot = apple.fetch_snapshot(
                session, country=country, chart=args.chart, limit=args.limit, base_url=args.base_url,
                out_dir=args.out, retrieved_at=retrieved_at, timeout=(args.connect_timeout, args.timeout),
                package=args.package)
        except apple.FeedError as error:
            failed += 1
            tqdm.write(f"error: storefront {country}: {error}", file=sys.stderr)
        else:
            tqdm.write(f"{country}: {snapshot.rows} apps → {snapshot.csv_path}")
            if not snapshot.registered:
                unregistered += [snapshot.json_path.name, snapshot.csv_path.name]
    if unregistered:
        print(f"not registered in {args.package} ({args.out} is outside {args.package.parent}): to use "
              f"them, move {', '.join(unregistered)} into {args.package.parent / 'raw' / 'apple_charts'} and "
              "register each with analysis.datapackage.register (README: How to add a source)", file=sys.stderr)
    return 1 if failed else 0


def _synth_sensortower(args: argparse.Namespace) -> int:
    from analysis import synthetic

    path = synthetic.sensortower_export(args.out / synthetic.SENSORTOWER_EXPORT.name)
    print(f"wrote {path} (synthetic: never publish)")
    return 0


def _grok_downloads(args: argparse.Namespace) -> int:
    from analysis import claims, evidence, synthetic
    from analysis.formatting import format_percent
    from analysis.series import grok
    from analysis.sources import sensortower

    windows = grok.download_windows(sensortower.read_downloads(args.path, args.sheet), args.app, countries=args.country)
    change = windows.attrs["change_pct"]
    claim = claims.claim("grok-downloads")
    within = evidence.within_published_precision(change, claim.published, claim.decimals)
    scope = ", ".join(args.country) if args.country else "worldwide"
    spans = {row.window: f"{row.start.day}–{row.end.day} {row.end:%b %Y}" for row in windows.itertuples()}
    print(f"{args.app}, {scope}: mean daily downloads {spans['window']} vs {spans['reference']}: "
          f"{format_percent(change, 'en')} "
          f"(published: {claim.published_text()}, {'matches' if within else 'differs'} at the published precision)")
    if synthetic.is_synthetic(args.path):
        print("warning: this file is SYNTHETIC: the number above is a demonstration, not a finding",
              file=sys.stderr)
    return 0


def _dsa_ingest(args: argparse.Namespace) -> int:
    from analysis.dsa import ingest

    platforms = None if args.platform == ["all"] else (args.platform or ["X"])
    failed = 0
    for path in args.paths:
        try:
            report = ingest.ingest_dump(path, args.out, platforms, args.max_malformed,
                                        log=lambda line: print(line, file=sys.stderr),
                                        allow_absent=args.allow_absent)
        except (DataError, UsageError) as error:
            failed += 1
            print(f"error: {error}", file=sys.stderr)
        else:
            print(f"{report.day}: {report.rows:,} rows read, {report.kept:,} kept, "
                  f"{report.malformed:,} malformed → {args.out / ('date=' + report.day)}")
    return 1 if failed else 0


def _dsa_query(args: argparse.Namespace) -> int:
    from analysis.dsa import query

    if args.csv and args.csv.is_dir():
        raise UsageError(f"--csv {args.csv} is a folder: give the CSV file to write")

    platforms = None if args.platform == ["all"] else (args.platform or ["X"])
    found = query.counts(args.data, engine=args.engine, by=args.by, platforms=platforms,
                         category=None if args.category == "all" else args.category,
                         territory=args.territory, master=args.master,
                         with_additional_categories=args.with_additional_categories)
    if args.category != "all":
        print(f"a statement counts under {args.category} when its {found.definition} says so", file=sys.stderr)
    if args.csv:
        from analysis import spreadsheet
        from analysis.files import atomic_write

        with atomic_write(args.csv, "w", encoding="utf-8", newline="") as handle:
            handle.write(spreadsheet.text([query.COLUMNS, *found.rows]))
        print(f"{len(found.rows)} row{'' if len(found.rows) == 1 else 's'} → {args.csv}")
    else:
        print(found.frame().to_string(index=False))
    return 0


def _dsa_stats(args: argparse.Namespace) -> int:
    from analysis.dsa import stats

    platform = None if args.platform == "all" else args.platform
    category = None if args.category == "all" else args.category
    if args.data is None:
        if args.territory:
            raise UsageError("the published summary does not cross territory with category: "
                             "use --data DIR with dumps ingested by `dsa ingest`")
        frame = stats.from_summary(platform, category, args.by)
    else:
        frame = stats.from_dumps(args.data, platform, category, args.by, args.territory)
    if args.format == "csv":
        from analysis import spreadsheet

        sys.stdout.write(spreadsheet.frame_text(frame))
    else:
        print(frame.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    return 0


def _dsa_synth(args: argparse.Namespace) -> int:
    from analysis.dsa import synth

    path = synth.synth_dump(args.date, args.rows, args.out, args.variant, args.x_tenths,
                            args.minors_tenths, args.fr_tenths, eea_tenths=args.eea_tenths,
                            columns=args.columns, duplicates=args.duplicates)
    print(f"wrote {path} (synthetic: never publish)")
    if args.rows % 10_000 == 0:
        print("expected counts: "
              f"{synth.expected(args.rows, args.x_tenths, args.minors_tenths, args.fr_tenths, eea_tenths=args.eea_tenths)}")
    return 0


def _dsa_fetch(args: argparse.Namespace) -> int:
    from analysis.dsa import fetch
    from analysis.httpclient import make_session

    platforms = None if args.platform == ["all"] else (args.platform or ["X"])
    results = fetch.fetch_days(
        make_session(retries=args.retries, backoff=args.backoff), fetch.days_between(args.first, args.last),
        args.out, args.variant, args.base_url or fetch.BASE_URL, ingest_to=args.ingest, discard=args.discard, platforms=platforms,
        deadline_seconds=args.deadline, timeout=(args.connect_timeout, args.timeout), attempts=args.retries + 1,
        backoff=args.backoff, log=lambda line: print(line, file=sys.stderr))
    done = [r for r in results if r.status in ("fetched", "present", "ingested")]
    missing = [r.day for r in results if r.status == "missing"]
    failed = [r.day for r in results if r.status == "failed"]
    print(f"{len(done)} of {len(results)} days done" + (f"; missing: {', '.join(missing)}" if missing else "")
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if missing or failed else 0


def _share(text: str) -> float:
    from analysis.dsa.ingest import check_share

    try:
        return check_share(float(text))
    except (ValueError, UsageError) as error:
        raise argparse.ArgumentTypeError(str(error) if isinstance(error, UsageError)
                                         else f"not a number: {text!r}") from None


def _limit(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError("Apple serves 1 to 100 results")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error in one line like every other error."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analysis", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="on an error, show the traceback")
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="the raw data and its provenance")
    data_commands = data.add_subparsers(dest="data_command", required=True)
    check = data_commands.add_parser("check", help="verify every raw file's sha256")
    check.add_argument("--package", type=Path, default=paths.DATAPACKAGE, help=argparse.SUPPRESS)
    check.set_defaults(run=_data_check)
    verify = commands.add_parser("verify", help="check every published figure against the data")
    verify.add_argument("claims", nargs="*", metavar="ID",
                        help="claims to show, with their evidence and check (default: every claim, as a table)")
    verify.add_argument("--format", choices=["table", "json"], default="table",
                        help="table (or, with IDs, one paragraph a claim) or JSON with evidence, verdict and "
                             "status (default: %(default)s)")
    verify.add_argument("--ledger", type=Path, default=paths.LEDGER, help=argparse.SUPPRESS)
    verify.set_defaults(run=_verify)
    figures = commands.add_parser("figures", help="build the publication charts and the gallery")
    figures.add_argument("--lang", choices=["fr", "en", "all"], default="all",
                         help="the language(s) to build (default: %(default)s)")
    figures.add_argument("--out", type=Path, metavar="DIR", default=paths.FIGURES,
                         help="the folder to write (default: figures/)")
    figures.add_argument("--only", action="append", metavar="ID",
                         help="build only this chart (repeatable; default: every chart); the others' "
                              "files are kept as they are")
    figures.add_argument("--update-references", action="store_true",
                         help="also copy the PNGs over the regression tests' reference images")
    figures.set_defaults(run=_figures)
    notebooks = commands.add_parser("notebooks", help="execute the notebooks and write them as HTML "
                                                      "pages for readers (OUT/notebooks/)")
    notebooks.add_argument("--out", type=Path, metavar="DIR", default=paths.FIGURES)
    notebooks.set_defaults(run=_notebooks)
    fetch = commands.add_parser("fetch", help="collect data from the web into data/raw/")
    sources = fetch.add_subparsers(dest="source", required=True)
    apple_charts = sources.add_parser("apple-charts", help="App Store top charts (Apple's RSS v2)")
    apple_charts.add_argument("--country", action="append", required=True,
                              help="storefront (ISO code); repeat for several")
    apple_charts.add_argument("--chart", choices=apple.CHARTS, default="top-free")
    apple_charts.add_argument("--limit", type=_limit, default=100)
    apple_charts.add_argument("--base-url", default=apple.BASE_URL,
                              help="another host serving the same paths (tests use 127.0.0.1)")
    apple_charts.add_argument("--out", type=Path, metavar="DIR", default=paths.RAW / "apple_charts")
    apple_charts.add_argument("--timeout", type=float, default=30.0, help="read timeout, seconds")
    apple_charts.add_argument("--connect-timeout", type=float, default=5.0)
    apple_charts.add_argument("--retries", type=int, default=3)
    apple_charts.add_argument("--backoff", type=float, default=0.5, help=argparse.SUPPRESS)
    apple_charts.add_argument("--package", type=Path, default=paths.DATAPACKAGE, help=argparse.SUPPRESS)
    apple_charts.set_defaults(run=_fetch_apple_charts)

    synth = commands.add_parser("synth", help="write clearly labelled synthetic example files")
    synth_kinds = synth.add_subparsers(dest="kind", required=True)
    synth_st = synth_kinds.add_parser("sensortower", help="a made-up Sensor Tower export")
    synth_st.add_argument("--out", type=Path, metavar="DIR", default=paths.SYNTHETIC, help="folder to write into")
    synth_st.set_defaults(run=_synth_sensortower)

    grok = commands.add_parser("grok-downloads", help="recompute the article's Grok download change from a Sensor Tower export")
    grok.add_argument("path", type=Path,
                      help=f"export (.csv, .xlsx) or API JSON, e.g. in {paths.PRIVATE / 'sensortower'}")
    grok.add_argument("--app", default="Grok", help="app name or id in the export")
    grok.add_argument("--country", action="append", help="limit to these countries (default: worldwide)")
    grok.add_argument("--sheet", metavar="NAME", help="the workbook's sheet to read (needed when it has several)")
    grok.set_defaults(run=_grok_downloads)

    dsa = commands.add_parser("dsa", help="EU DSA Transparency Database: ingest, query, synthesise")
    dsa_commands = dsa.add_subparsers(dest="dsa_command", required=True)
    ingest = dsa_commands.add_parser("ingest", help="daily dumps → Parquet by day and platform")
    ingest.add_argument("paths", nargs="+", type=Path, help="sor-global-YYYY-MM-DD-full.zip / -light.zip / CSV part")
    ingest.add_argument("--out", type=Path, metavar="DIR", required=True)
    ingest.add_argument("--platform", action="append", help="platform_name to keep (default X; 'all' keeps all)")
    ingest.add_argument("--max-malformed", type=_share, default=0.01,
                        help="share of malformed rows above which a day fails (default 0.01)")
    ingest.add_argument("--allow-absent", action="store_true",
                        help="record a platform with no statement in a dump as none (default: refuse)")
    ingest.set_defaults(run=_dsa_ingest)
    dsa_query = dsa_commands.add_parser("query", help="statements per period, platform and category")
    dsa_query.add_argument("--data", type=Path, required=True)
    dsa_query.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    dsa_query.add_argument("--master", default="local[2]", help="Spark master URL (spark engine)")
    dsa_query.add_argument("--platform", action="append", help="default X; 'all' for every platform")
    dsa_query.add_argument("--category", default=layout.MINORS, help="a STATEMENT_CATEGORY_…, or 'all'")
    dsa_query.add_argument("--by", choices=["day", "month"], default="month")
    dsa_query.add_argument("--territory", help="only statements whose territorial scope includes it "
                           f"({', '.join(layout.TERRITORIES)})")
    dsa_query.add_argument("--with-additional-categories", action="store_true",
                           help="also count statements listing the category in category_addition")
    dsa_query.add_argument("--csv", type=Path, help="write the table to this CSV file instead of printing it")
    dsa_query.set_defaults(run=_dsa_query)
    dsa_stats = dsa_commands.add_parser("stats", help="statements per period with coverage (days filed, "
                                        "days in the database), from the published summary or --data")
    dsa_stats.add_argument("--data", type=Path, help="dumps ingested by `dsa ingest` (default: the "
                           "published summary statistics in data/raw/dsa/)")
    dsa_stats.add_argument("--platform", default="X", help="platform name, or 'all'")
    dsa_stats.add_argument("--category", default=layout.MINORS, help="a STATEMENT_CATEGORY_…, or 'all'")
    dsa_stats.add_argument("--by", choices=["day", "month"], default="month")
    dsa_stats.add_argument("--territory", help="with --data: statements whose territorial scope includes it")
    dsa_stats.add_argument("--format", choices=["table", "csv"], default="table")
    dsa_stats.set_defaults(run=_dsa_stats)
    dsa_synth = dsa_commands.add_parser("synth", help="a synthetic dump in the official layout")
    dsa_synth.add_argument("--date", required=True)
    dsa_synth.add_argument("--rows", type=int, required=True)
    dsa_synth.add_argument("--out", type=Path, metavar="DIR", required=True)
    dsa_synth.add_argument("--variant", choices=["full", "light"], default="full")
    dsa_synth.add_argument("--x-tenths", type=int, default=3, help="X's share of rows, in tenths")
    dsa_synth.add_argument("--minors-tenths", type=int, default=2)
    dsa_synth.add_argument("--fr-tenths", type=int, default=5)
    dsa_synth.add_argument("--eea-tenths", type=int, default=0,
                           help="share with Iceland, Liechtenstein and Norway in scope, in tenths")
    dsa_synth.add_argument("--columns", type=int, choices=[37, 38], default=38,
                           help="38 (with content_id_ean) or the older 37-column layout")
    dsa_synth.add_argument("--duplicates", type=int, default=0,
                           help="repeat the first N statements exactly at the end of the day")
    dsa_synth.set_defaults(run=_dsa_synth)
    dsa_fetch = dsa_commands.add_parser("fetch", help="download, verify (and ingest) daily dumps")
    dsa_fetch.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
    dsa_fetch.add_argument("--to", dest="last", required=True, help="last day, YYYY-MM-DD")
    dsa_fetch.add_argument("--variant", choices=["full", "light"], default="full")
    dsa_fetch.add_argument("--out", type=Path, metavar="DIR", default=paths.PRIVATE / "dsa-dumps",
                           help="folder for the dumps and their .sha1")
    dsa_fetch.add_argument("--base-url", help="another host serving the same file names (default: the "
                           "Commission's bucket; tests use 127.0.0.1)")
    dsa_fetch.add_argument("--ingest", type=Path, metavar="DATA_DIR", help="ingest each day once verified")
    dsa_fetch.add_argument("--discard", action="store_true", help="delete each dump once its day is ingested")
    dsa_fetch.add_argument("--platform", action="append", help="with --ingest: default X; 'all' keeps all")
    dsa_fetch.add_argument("--deadline", type=float, default=4 * 3600.0, help="seconds allowed per day")
    dsa_fetch.add_argument("--timeout", type=float, default=60.0, help="read timeout, seconds")
    dsa_fetch.add_argument("--connect-timeout", type=float, default=5.0)
    dsa_fetch.add_argument("--retries", type=int, default=4)
    dsa_fetch.add_argument("--backoff", type=float, default=0.5, help=argparse.SUPPRESS)
    dsa_fetch.set_defaults(run=_dsa_fetch)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; every error ends in one line on stderr and a non-zero exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except Exception as error:
        if args.debug:
            raise
        print(f"error: {_one_line(error)}", file=sys.stderr)
        return 1 if isinstance(error, (DataError, UsageError, OSError)) else 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _one_line(error: Exception) -> str:
    """What went wrong, in one line: our errors name file, row and column; the system's name the
    file; anything else is unexpected and says how to see more."""
    if isinstance(error, (DataError, UsageError)):
        return " ".join(str(error).split())
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror or error}"
    return f"unexpected {type(error).__name__}: {' '.join(str(error).split())[:300]} (run with --debug " \
           "for the traceback, and please report it)"


def command_table(parser: argparse.ArgumentParser | None = None) -> str:
    """The README's table of commands, generated from the argument parser."""
    rows = ["| command | what it does |", "|---|---|"]

    def walk(node: argparse.ArgumentParser, words: list[str], help_text: str) -> None:
        choices = [action for action in node._actions if isinstance(action, argparse._SubParsersAction)]
        if not choices:
            usage = " ".join(node.format_usage().split()[1:]).replace("[-h] ", "").replace("|", "\\|")
            rows.append(f"| `{usage}` | {help_text.replace('%%', '%')} |")
            return
        helps = {choice.dest: choice.help for choice in choices[0]._choices_actions}
        for name, child in choices[0].choices.items():
            walk(child, [*words, name], helps.get(name) or "")

    walk(parser or build_parser(), [], "")
    return "\n".join(rows)


README_MARKERS = ("<!-- commands:start -->", "<!-- commands:end -->")


def readme_with_commands(text: str) -> str:
    """``text`` (the README) with the generated command table between its markers."""
    start, end = README_MARKERS
    before, rest = text.split(start, 1)
    return f"{before}{start}\n{command_table()}\n{end}{rest.split(end, 1)[1]}"
