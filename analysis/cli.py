"""The command line: ``python -m analysis <command>``.

- ``data check`` — verify every raw file against the checksum in the data package.
- ``verify [--format table|json]`` — the fact-check: every claim of the ledger against the data.
- ``figures [--lang fr|en|all] [--out DIR]`` — the charts, ``figures.json`` and the gallery.
- ``fetch apple-charts --country us [--country fr …]`` — App Store top-chart snapshots.
- ``grok-downloads PATH`` — the article's +72 % recomputed from a Sensor Tower export.
- ``synth sensortower`` — a synthetic example export (never published).

Each command returns an exit code; bad input ends with one line naming the file, row and column.
"""

from __future__ import annotations

import argparse
import json
import sys

from pathlib import Path

from analysis import claims, datapackage, paths
from analysis.errors import DataError
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
    grok.add_argument("path", type=Path, help="export (.csv, .xlsx) or API JSON, e.g. in data/private/sensortower/")
    grok.add_argument("--app", default="Grok", help="app name or id in the export")
    grok.add_argument("--country", action="append", help="limit to these countries (default: worldwide)")
    grok.set_defaults(run=_grok_downloads)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
