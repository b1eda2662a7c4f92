"""The command line: ``python -m analysis <command>``.

- ``data check`` — verify every raw file against the checksum in the data package.
- ``verify [--format table|json]`` — the fact-check: every claim of the ledger against the data.
- ``figures [--lang fr|en|all] [--out DIR]`` — the charts, ``figures.json`` and the gallery.
- ``fetch apple-charts --country us [--country fr …]`` — App Store top-chart snapshots.
- ``grok-downloads PATH`` — the article's +72 % recomputed from a Sensor Tower export.
- ``synth sensortower`` — a synthetic example export (never published).
- ``dsa ingest|query|synth`` — the EU DSA Transparency Database at scale.
- ``dsa stats [--data DIR]`` — statements per period with their coverage (published summary or dumps).

Each command returns an exit code; bad input ends with one line naming the file, row and column.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis import claims, datapackage, paths
from analysis.dsa import layout
from analysis.errors import DataError, UsageError
from analysis.files import atomic_write
from analysis.sources import apple


def _data_check(args: argparse.Namespace) -> int:
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
    results = claims.check_all(args.ledger)
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        print(claims.table(results))
    changed = [r for r in results if not r.as_expected]
    for r in changed:
        print(f"CHANGED {r.claim.id}: expected {r.claim.expected}, found {r.status}", file=sys.stderr)
    return 1 if changed else 0


def _figures(args: argparse.Namespace) -> int:
    from analysis.charts import build  # matplotlib is slow to import: only for this command

    langs = build.LANGS if args.lang == "all" else (args.lang,)
    manifest = build.build(langs, args.out)
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

    session = make_session(retries=args.retries, backoff=args.backoff)
    retrieved_at = pd.Timestamp.now(tz="UTC").floor("s")
    failed = 0
    # disable=None: a bar on a terminal, plain lines in logs and CI
    for country in tqdm(args.country, desc="storefronts", unit="storefront", file=sys.stderr, disable=None):
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
    return 1 if failed else 0


def _synth_sensortower(args: argparse.Namespace) -> int:
    from analysis import synthetic

    print(f"wrote {synthetic.sensortower_export(args.out)} (synthetic: never publish)")
    return 0


def _grok_downloads(args: argparse.Namespace) -> int:
    from analysis import synthetic
    from analysis.formatting import format_percent
    from analysis.sources import sensortower

    change = sensortower.mean_daily_change(sensortower.read_downloads(args.path), args.app,
                                           countries=args.country)
    claim = claims.claim("grok-downloads")
    within = abs(change - claim.published) <= 0.5 * 10 ** -claim.decimals
    scope = ", ".join(args.country) if args.country else "worldwide"
    print(f"{args.app}, {scope}: mean daily downloads 1–19 Jan 2026 vs 1–19 Dec 2025: "
          f"{format_percent(change, 'en')} (published: {claim.published_text()}, "
          f"{'matches' if within else 'differs'} at the published precision)")
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
                                        log=lambda line: print(line, file=sys.stderr))
        except DataError as error:
            failed += 1
            print(f"error: {error}", file=sys.stderr)
        else:
            print(f"{report.day}: {report.rows:,} rows read, {report.kept:,} kept, "
                  f"{report.malformed:,} malformed → {args.out / ('date=' + report.day)}")
    return 1 if failed else 0


def _dsa_query(args: argparse.Namespace) -> int:
    from analysis.dsa import query

    platforms = None if args.platform == ["all"] else (args.platform or ["X"])
    frame = query.query(args.data, engine=args.engine, by=args.by, platforms=platforms,
                        category=None if args.category == "all" else args.category,
                        territory=args.territory, master=args.master)
    if args.out:
        with atomic_write(args.out, "w", encoding="utf-8", newline="") as handle:
            frame.to_csv(handle, index=False, lineterminator="\n")
        print(f"{len(frame)} rows → {args.out}")
    else:
        print(frame.to_string(index=False))
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
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(frame.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    return 0


def _dsa_synth(args: argparse.Namespace) -> int:
    from analysis.dsa import synth

    path = synth.synth_dump(args.date, args.rows, args.out, args.variant, args.x_tenths,
                            args.minors_tenths, args.fr_tenths)
    print(f"wrote {path} (synthetic: never publish)")
    if args.rows % 10_000 == 0:
        print(f"expected counts: {synth.expected(args.rows, args.x_tenths, args.minors_tenths, args.fr_tenths)}")
    return 0


def _limit(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError("Apple serves 1 to 100 results")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="the raw data and its provenance")
    data_commands = data.add_subparsers(dest="data_command", required=True)
    check = data_commands.add_parser("check", help="verify every raw file's sha256")
    check.add_argument("--package", type=Path, default=paths.DATAPACKAGE, help=argparse.SUPPRESS)
    check.set_defaults(run=_data_check)
    verify = commands.add_parser("verify", help="check every published figure against the data")
    verify.add_argument("--format", choices=["table", "json"], default="table")
    verify.add_argument("--ledger", type=Path, default=claims.LEDGER, help=argparse.SUPPRESS)
    verify.set_defaults(run=_verify)
    figures = commands.add_parser("figures", help="build the publication charts and the gallery")
    figures.add_argument("--lang", choices=["fr", "en", "all"], default="all")
    figures.add_argument("--out", type=Path, default=paths.FIGURES)
    figures.add_argument("--update-references", action="store_true",
                         help="also copy the PNGs over the regression tests' reference images")
    figures.set_defaults(run=_figures)
    notebooks = commands.add_parser("notebooks", help="execute the notebooks and write them as HTML "
                                                      "pages for readers (OUT/notebooks/)")
    notebooks.add_argument("--out", type=Path, default=paths.FIGURES)
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
    apple_charts.add_argument("--out", type=Path, default=paths.RAW / "apple_charts")
    apple_charts.add_argument("--timeout", type=float, default=30.0, help="read timeout, seconds")
    apple_charts.add_argument("--connect-timeout", type=float, default=5.0)
    apple_charts.add_argument("--retries", type=int, default=3)
    apple_charts.add_argument("--backoff", type=float, default=0.5, help=argparse.SUPPRESS)
    apple_charts.add_argument("--package", type=Path, default=paths.DATAPACKAGE, help=argparse.SUPPRESS)
    apple_charts.set_defaults(run=_fetch_apple_charts)

    synth = commands.add_parser("synth", help="write clearly labelled synthetic example files")
    synth_kinds = synth.add_subparsers(dest="kind", required=True)
    synth_st = synth_kinds.add_parser("sensortower", help="a made-up Sensor Tower export")
    synth_st.add_argument("--out", type=Path, default=paths.SYNTHETIC / "synthetic-sensortower-grok-export.csv")
    synth_st.set_defaults(run=_synth_sensortower)

    grok = commands.add_parser("grok-downloads", help="recompute the +72 %% from a Sensor Tower export")
    grok.add_argument("path", type=Path,
                      help=f"export (.csv, .xlsx) or API JSON, e.g. in {paths.PRIVATE / 'sensortower'}")
    grok.add_argument("--app", default="Grok", help="app name or id in the export")
    grok.add_argument("--country", action="append", help="limit to these countries (default: worldwide)")
    grok.set_defaults(run=_grok_downloads)

    dsa = commands.add_parser("dsa", help="EU DSA Transparency Database: ingest, query, synthesise")
    dsa_commands = dsa.add_subparsers(dest="dsa_command", required=True)
    ingest = dsa_commands.add_parser("ingest", help="daily dumps → Parquet by day and platform")
    ingest.add_argument("paths", nargs="+", type=Path, help="sor-global-YYYY-MM-DD-full.zip / -light.zip / CSV part")
    ingest.add_argument("--out", type=Path, required=True)
    ingest.add_argument("--platform", action="append", help="platform_name to keep (default X; 'all' keeps all)")
    ingest.add_argument("--max-malformed", type=float, default=0.01,
                        help="share of malformed rows above which a day fails (default 0.01)")
    ingest.set_defaults(run=_dsa_ingest)
    dsa_query = dsa_commands.add_parser("query", help="statements per period, platform and category")
    dsa_query.add_argument("--data", type=Path, required=True)
    dsa_query.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    dsa_query.add_argument("--master", default="local[2]", help="Spark master URL (spark engine)")
    dsa_query.add_argument("--platform", action="append", help="default X; 'all' for every platform")
    dsa_query.add_argument("--category", default=layout.MINORS, help="a STATEMENT_CATEGORY_…, or 'all'")
    dsa_query.add_argument("--by", choices=["day", "month"], default="month")
    dsa_query.add_argument("--territory", help="only statements whose territorial scope includes it (e.g. FR)")
    dsa_query.add_argument("--out", type=Path, help="write CSV here instead of printing")
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
    dsa_synth.add_argument("--out", type=Path, required=True)
    dsa_synth.add_argument("--variant", choices=["full", "light"], default="full")
    dsa_synth.add_argument("--x-tenths", type=int, default=3, help="X's share of rows, in tenths")
    dsa_synth.add_argument("--minors-tenths", type=int, default=2)
    dsa_synth.add_argument("--fr-tenths", type=int, default=5)
    dsa_synth.set_defaults(run=_dsa_synth)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (DataError, UsageError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
