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
- ``dsa categories`` — the statement categories and the short names ``--category`` takes.
- ``update [--check] [--accept REPORT]`` — look for new releases of the sources, stage them, report what
  they would change (:mod:`analysis.update`).
- ``--version`` — the project's version and git commit.

Each command returns an exit code; bad input ends with one line naming the file, row and column
(``--debug`` shows the traceback). ``--out`` always names a folder the command writes into.
Each command imports what it needs when it runs, so ``--help`` and light commands start fast.
Each command's options are defined beside its handler (``_NAME_arguments`` above ``_NAME``), and
options several commands share once (``_add_…``); the parser's help is plain text
(:data:`DESCRIPTION`), not this docstring.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from difflib import get_close_matches
from pathlib import Path

from analysis import paths, update
from analysis.dsa import schema
from analysis.errors import DataError, UsageError
from analysis.sources import apple
from analysis.version import project_version


def _data_check_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `data check`."""
    parser.add_argument("--package", type=Path, default=paths.DATAPACKAGE, help=argparse.SUPPRESS)


def _data_check(args: argparse.Namespace) -> int:
    from analysis import datapackage

    found = datapackage.problems(args.package)
    for line in found:
        print(f"FAIL {line}", file=sys.stderr)
    count = len(datapackage.resources(args.package))
    if found:
        print(f"{len(found)} problem{'' if len(found) == 1 else 's'} among the {count} resources and the files of "
              f"{_folders(datapackage.REGISTERED_FOLDERS)}", file=sys.stderr)
        return 1
    print(f"all {count} resources present with the recorded sha256, and no file of "
          f"{_folders(datapackage.REGISTERED_FOLDERS)} left unregistered")
    return 0


def _folders(names) -> str:
    return " and ".join(f"data/{name}/" for name in names)


def _verify_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `verify`."""
    parser.add_argument("claims", nargs="*", metavar="ID",
                        help="claims to show, with their evidence and check (default: every claim, as a table)")
    parser.add_argument("--format", choices=["table", "json"], default="table",
                        help="table (or, with IDs, one paragraph a claim) or JSON with evidence, verdict and "
                             "status (default: %(default)s)")
    parser.add_argument("--ledger", type=Path, default=paths.LEDGER, help=argparse.SUPPRESS)


def _verify(args: argparse.Namespace) -> int:
    from analysis import factcheck, verify  # the measures import every series: only for this command

    results = verify.check_all(args.ledger)
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
        print("\n\n".join(factcheck.explanation(r) for r in results))
    else:
        print(factcheck.table(results))
    changed = [r for r in results if not r.as_expected]
    for r in changed:
        print(f"CHANGED {r.expected_text()}", file=sys.stderr)
    return 1 if changed else 0


def _figures_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `figures`."""
    parser.add_argument("--lang", choices=["fr", "en", "all"], default="all",
                        help="the language(s) to build (default: %(default)s)")
    parser.add_argument("--out", type=Path, metavar="DIR", default=paths.FIGURES,
                        help="the folder to write (default: %(default)s)")
    parser.add_argument("--only", action="append", metavar="ID",
                        help="build only this chart (repeatable; default: every chart); the others' "
                             "files are kept as they are")
    parser.add_argument("--update-references", action="store_true",
                        help="also copy the PNGs over the regression tests' reference images")
    parser.add_argument("--notebooks", action="store_true",
                        help="first render the notebooks' pages that are not current (as `notebooks` does)")
    parser.add_argument("--verbose", action="store_true",
                        help="a line per chart, language and notebook (rendered or up to date), and the "
                             "notebook kernel's own log")


def _build_figures(langs: tuple[str, ...], out: Path, *, only: set[str] | None = None, notebooks: bool = False,
                   verbose: bool = False, ledger: Path = paths.LEDGER) -> list[dict]:
    """Build as `figures` does (:func:`analysis.charts.build.build`) and print its one summary line
    (a line per chart, language and notebook too with ``verbose``); returns the manifest."""
    from analysis.charts import build  # matplotlib is slow to import: only for the commands that build

    events = []  # the build's log, a line per chart, language and notebook: printed with --verbose

    def log(event: str) -> None:
        events.append(event)
        if verbose:
            print(event)

    manifest = build.build(langs, out, only=only, log=log, notebooks=notebooks, kernel_log=verbose, ledger=ledger)
    rebuilt = [event.split()[-1] for event in events if event.startswith("rendered")]
    missing = [event.split()[-1] for event in events if event.startswith("no data yet")]
    print(f"{len(manifest)} figures current in {out}, every claim as expected; rebuilt: "
          f"{', '.join(rebuilt) or 'nothing'}" + (f"; no data yet: {', '.join(missing)}" if missing else "")
          + f"; gallery: {out / 'index.html'}")
    return manifest


def _figures(args: argparse.Namespace) -> int:
    from analysis.charts import build

    manifest = _build_figures(build.LANGS if args.lang == "all" else (args.lang,), args.out,
                              only=set(args.only) if args.only else None, notebooks=args.notebooks,
                              verbose=args.verbose)
    if args.update_references:
        changed = build.update_references(manifest, args.out)
        print(f"{len(changed)} reference images changed in {paths.REFERENCE_IMAGES}"
              + ("" if changed else " (every built PNG is its reference)"))
        for name, difference in changed.items():
            print(f"  {name}: {difference}")
    return 0


def _notebooks_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `notebooks`."""
    parser.add_argument("--out", type=Path, metavar="DIR", default=paths.FIGURES,
                        help="the folder whose notebooks/ subfolder receives the pages (default: %(default)s)")
    parser.add_argument("--verbose", action="store_true",
                        help="a line per notebook, and the kernel's own log")


def _notebooks(args: argparse.Namespace) -> int:
    from analysis import methodology  # nbconvert is slow to import: only for this command

    pages = methodology.render(args.out, log=print if args.verbose else lambda _: None, verbose=args.verbose)
    rerun = ", ".join(page.stem for page in pages) if pages else "none, every page current"
    print(f"notebooks: {len(methodology.notebooks())} pages in {args.out / methodology.FOLDER}; re-run: {rerun}")
    return 0


def _fetch_apple_charts_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `fetch apple-charts`."""
    parser.add_argument("--country", action="append", required=True,
                        help="storefront (ISO code); repeat for several")
    parser.add_argument("--chart", choices=apple.CHARTS, default="top-free",
                        help="which chart (default: %(default)s)")
    parser.add_argument("--limit", type=_limit, default=100,
                        help="apps per chart, 1 to 100 (default: %(default)s)")
    parser.add_argument("--base-url", default=apple.BASE_URL,
                        help="another host serving the same paths (tests use 127.0.0.1; default: %(default)s)")
    parser.add_argument("--out", type=Path, metavar="DIR", default=paths.RAW / "apple_charts",
                        help="folder for the snapshots (default: %(default)s)")
    _add_http_options(parser, timeout=30.0, retries=3)
    parser.add_argument("--deadline", type=_seconds, default=120.0,
                        help="seconds allowed for each storefront's whole exchange: connection, headers "
                             "and body, retries included (default: %(default)s)")
    parser.add_argument("--max-bytes", type=_byte_count, default=2 * 2**20,
                        help="largest answer accepted, in bytes (default: %(default)s)")
    parser.add_argument("--package", type=Path, default=paths.DATAPACKAGE, help=argparse.SUPPRESS)


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
                package=args.package, deadline=args.deadline, max_bytes=args.max_bytes)
        except (apple.FeedError, DataError) as error:  # one storefront's failure does not stop the others
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


def _synth_sensortower_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `synth sensortower`."""
    parser.add_argument("--out", type=Path, metavar="DIR", default=paths.SYNTHETIC,
                        help="folder to write into (default: %(default)s)")


def _synth_sensortower(args: argparse.Namespace) -> int:
    from analysis import synthetic

    path = synthetic.sensortower_export(args.out / synthetic.SENSORTOWER_EXPORT.name)
    print(f"wrote {path} (synthetic: never publish)")
    return 0


def _grok_downloads_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `grok-downloads`."""
    parser.add_argument("path", type=Path,
                        help=f"export (.csv, .xlsx) or API JSON, e.g. in {paths.PRIVATE / 'sensortower'}")
    parser.add_argument("--app", default="Grok", help="app name or id in the export (default: %(default)s)")
    parser.add_argument("--country", action="append", help="limit to these countries (default: worldwide)")
    parser.add_argument("--sheet", metavar="NAME", help="the workbook's sheet to read (needed when it has several)")


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


def _platforms(given: list[str] | None) -> list[str] | None:
    """A repeatable ``--platform``: X when absent, None (every platform) for 'all'."""
    return None if given == ["all"] else (given or ["X"])


def _dsa_ingest_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `dsa ingest`."""
    parser.add_argument("paths", nargs="+", type=Path, help="sor-global-YYYY-MM-DD-full.zip / -light.zip / CSV part")
    parser.add_argument("--out", type=Path, metavar="DIR", required=True,
                        help="folder of the Parquet, one date=…/platform=… subfolder each")
    parser.add_argument("--platform", action="append",
                        help="platform_name to keep, repeatable (default: X; 'all' keeps all)")
    parser.add_argument("--max-malformed", type=_share, default=0.01,
                        help="share of malformed rows above which a day fails (default: %(default)s)")
    parser.add_argument("--allow-absent", action="store_true",
                        help="record a platform with no statement in a dump as none (default: refuse)")
    parser.add_argument("--log-file", type=Path, metavar="FILE",
                        help="a line per part and per day (counts, or why refused) appended to FILE "
                             "(default: DIR/_ingest.log, beside the days)")


def _dsa_ingest(args: argparse.Namespace) -> int:
    from analysis.dsa import ingest

    platforms = _platforms(args.platform)
    ingest.one_dump_a_day(args.paths)
    failed = 0
    for path in args.paths:
        try:
            report = ingest.ingest_dump(path, args.out, platforms, args.max_malformed,
                                        log=lambda line: print(line, file=sys.stderr),
                                        allow_absent=args.allow_absent,
                                        log_file=args.log_file or args.out / ingest.LOG)
        except (DataError, UsageError) as error:
            failed += 1
            print(f"error: {error}", file=sys.stderr)
        else:
            print(f"{report.day}: {report.rows:,} rows read, {report.kept:,} kept, "
                  f"{report.malformed:,} malformed → {args.out / ('date=' + report.day)}")
    return 1 if failed else 0


def _dsa_query_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `dsa query`."""
    parser.add_argument("--data", type=Path, required=True, help="folder of dumps ingested by `dsa ingest`")
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                        help="the SQL engine; both give the same table (default: %(default)s)")
    parser.add_argument("--master", default="local[2]",
                        help="Spark master URL, with --engine spark (default: %(default)s)")
    parser.add_argument("--platform", action="append",
                        help="platform, repeatable (default: X; 'all' for every platform)")
    _add_category_option(parser)
    parser.add_argument("--by", choices=["day", "month"], default="month",
                        help="the period of a row, by created_at (default: %(default)s)")
    parser.add_argument("--territory", help="only statements whose territorial scope includes it "
                        f"({', '.join(schema.TERRITORIES)}; default: any)")
    parser.add_argument("--with-additional-categories", action="store_true",
                        help="also count statements listing the category in category_addition")
    parser.add_argument("--csv", type=Path, help="write the table to this CSV file instead of printing it")


def _dsa_query(args: argparse.Namespace) -> int:
    from analysis.dsa import caveats, query

    if args.csv and args.csv.is_dir():
        raise UsageError(f"--csv {args.csv} is a folder: give the CSV file to write")

    platforms = _platforms(args.platform)
    category = _category(args.category)
    found = query.counts(args.data, engine=args.engine, by=args.by, platforms=platforms, category=category,
                         territory=args.territory, master=args.master,
                         with_additional_categories=args.with_additional_categories)
    if category:
        print(f"a statement counts under {category} when its {found.definition} says so", file=sys.stderr)
    flagged = caveats.flag(query.COLUMNS, found.rows, caveats.of_dumps(args.data, filed_by_platform=True))
    if args.csv:
        from analysis import spreadsheet
        from analysis.files import atomic_write

        with atomic_write(args.csv, "w", encoding="utf-8", newline="") as handle:
            handle.write(flagged.csv_head)
            handle.write(spreadsheet.text([flagged.columns, *flagged.rows]))
        print(f"{len(found.rows)} row{'' if len(found.rows) == 1 else 's'} → {args.csv}")
        _print_lines(flagged.footer, sys.stderr)
    else:
        import pandas as pd

        print(pd.DataFrame(flagged.rows, columns=flagged.columns).to_string(index=False))
        _print_lines(flagged.footer, sys.stdout)
    return 0


def _print_lines(lines: list[str], stream) -> None:
    """A table's footer (:mod:`analysis.dsa.caveats`), after a blank line."""
    if lines:
        print("\n" + "\n".join(lines), file=stream)


def _dsa_stats_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `dsa stats`."""
    parser.add_argument("--data", type=Path, help="dumps ingested by `dsa ingest` (default: the "
                        "published summary statistics in data/raw/dsa/)")
    parser.add_argument("--platform", default="X", help="platform name, or 'all' (default: %(default)s)")
    _add_category_option(parser)
    parser.add_argument("--by", choices=["day", "month"], default="month",
                        help="the period of a row, by release day (default: %(default)s)")
    parser.add_argument("--territory",
                        help="with --data: statements whose territorial scope includes it (default: any)")
    _add_table_format_option(parser)


def _dsa_stats(args: argparse.Namespace) -> int:
    """The table a batch at a time (the widest request is 1.2 million rows): memory stays that of
    a batch whatever the request; the output is what one DataFrame of it would print."""
    import itertools

    from analysis import tabletext
    from analysis.dsa import caveats, stats

    platform = None if args.platform == "all" else args.platform
    category = _category(args.category)
    if args.data is None and args.territory:
        raise UsageError("the published summary does not cross territory with category: "
                         "use --data DIR with dumps ingested by `dsa ingest`")

    def batches():
        if args.data is None:
            return stats.summary_batches(platform, category, args.by)
        return stats.dumps_batches(args.data, platform, category, args.by, args.territory)

    source = batches()
    first = next(source)  # the arguments checked, and the query run, before anything is written
    coverage = (caveats.of_summary(platform) if args.data is None
                else caveats.of_dumps(args.data, filed_by_platform=False))
    flagging = caveats.Flagging(stats.COLUMNS, coverage)
    passes = iter([itertools.chain([first], source)])  # then the query again for a second pass

    def flagged():
        nonlocal flagging
        flagging = caveats.Flagging(stats.COLUMNS, coverage)  # each pass flags the table anew
        return (caveats.frame(batch, coverage, flagging) for batch in next(passes, None) or batches())

    if args.format == "csv":
        from analysis import spreadsheet

        sys.stdout.write(caveats.csv_head(flagging.footer()))
        for number, batch in enumerate(flagged()):
            if number == 0 or len(batch):
                sys.stdout.write(spreadsheet.frame_text(batch, header=number == 0))
        _print_lines(flagging.footer(), sys.stderr)
    else:
        tabletext.write(flagged, sys.stdout, float_format=lambda v: f"{v:.1f}")
        _print_lines(flagging.footer(), sys.stdout)
    return 0


def _category(name: str) -> str | None:
    """``--category``: the Commission's full name of a category given short or in full, or None
    for 'all' (any case)."""
    return None if name.strip().lower() == "all" else schema.category_name(name)


def _add_category_option(parser: argparse.ArgumentParser) -> None:
    """``--category``, the same for every command that counts by category."""
    parser.add_argument("--category", default=schema.short_category(schema.MINORS),
                        help="a statement category, short (protection_of_minors) or in full "
                             "(STATEMENT_CATEGORY_…), any case; 'all' for every one; `dsa categories` "
                             "lists them (default: %(default)s)")


def _add_table_format_option(parser: argparse.ArgumentParser) -> None:
    """``--format table|csv``, the same for every command that prints a table."""
    parser.add_argument("--format", choices=["table", "csv"], default="table",
                        help="a table to read, or CSV on standard output (default: %(default)s)")


def _dsa_categories_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `dsa categories`."""
    _add_table_format_option(parser)


def _dsa_categories(args: argparse.Namespace) -> int:
    """Every statement category: its short name (what --category takes), its full name, its
    meaning in its own words, and when it is in use."""
    rows = [("short name", "category", "meaning", "in use")]
    rows += [(schema.short_category(c), c, schema.category_words(c), schema.category_in_use(c))
             for c in schema.CATEGORIES]
    if args.format == "csv":
        import csv

        csv.writer(sys.stdout, lineterminator="\n").writerows(rows)
        return 0
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    print(f"\nThe Commission revised the categories on {schema.SCHEMA_CHANGE}: counts per category "
          "are not comparable across that day.", file=sys.stderr)
    return 0


def _add_day_range(parser: argparse.ArgumentParser, without_either: str) -> None:
    """``--from DAY --to DAY``, the same for every command that covers days: each defaults to the
    other (one day), and ``without_either`` says what the command does when both are absent."""
    parser.add_argument("--from", dest="first", metavar="DAY",
                        help=f"first day, YYYY-MM-DD (default: --to's day; without either: {without_either})")
    parser.add_argument("--to", dest="last", metavar="DAY",
                        help=f"last day, YYYY-MM-DD, included (default: --from's day; without either: "
                             f"{without_either})")


def _days(args: argparse.Namespace) -> list[str] | None:
    """The days of ``--from``/``--to`` (either alone is one day), or None when neither is given."""
    from analysis.dsa.fetch import days_between

    if args.first is None and args.last is None:
        return None
    return days_between(args.first or args.last, args.last or args.first)


def _dsa_synth_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `dsa synth`."""
    parser.add_argument("--date", help="the day the dump covers, YYYY-MM-DD (or --from/--to)")
    _add_day_range(parser, "--date is needed")
    parser.add_argument("--rows", type=int, required=True,
                        help="statements in the dump (a multiple of 10,000 gives exact expected counts)")
    parser.add_argument("--out", type=Path, metavar="DIR", required=True, help="folder to write into")
    parser.add_argument("--variant", choices=["full", "light"], default="full",
                        help="full dump, or light (no free text, no territorial scope) (default: %(default)s)")
    parser.add_argument("--x-tenths", type=int, default=3,
                        help="X's share of rows, in tenths (default: %(default)s)")
    parser.add_argument("--minors-tenths", type=int, default=2,
                        help="share in the protection-of-minors category, in tenths (default: %(default)s)")
    parser.add_argument("--fr-tenths", type=int, default=5,
                        help="share with France in the territorial scope, in tenths (default: %(default)s)")
    parser.add_argument("--eea-tenths", type=int, default=0,
                        help="share with Iceland, Liechtenstein and Norway in scope, in tenths "
                             "(default: %(default)s)")
    parser.add_argument("--columns", type=int, choices=[37, 38], default=38,
                        help="38 (with content_id_ean) or the older 37-column layout (default: %(default)s)")
    parser.add_argument("--duplicates", type=int, default=0,
                        help="repeat the first N statements exactly at the end of the day (default: %(default)s)")


def _dsa_synth(args: argparse.Namespace) -> int:
    from analysis.dsa import synth

    days = _days(args)
    if args.date and days:
        raise UsageError("--date is one day and --from/--to a range: give one or the other")
    if not args.date and not days:
        raise UsageError("which day? give --date YYYY-MM-DD, or --from YYYY-MM-DD --to YYYY-MM-DD")
    for day in days or [args.date]:
        path = synth.synth_dump(day, args.rows, args.out, args.variant, args.x_tenths,
                                args.minors_tenths, args.fr_tenths, eea_tenths=args.eea_tenths,
                                columns=args.columns, duplicates=args.duplicates)
        print(f"wrote {path} (synthetic: never publish)")
    if args.rows % 10_000 == 0:
        print(f"expected counts{' per day' if days and len(days) > 1 else ''}: "
              f"{synth.expected(args.rows, args.x_tenths, args.minors_tenths, args.fr_tenths, eea_tenths=args.eea_tenths)}")
    return 0


def _dsa_fetch_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `dsa fetch`."""
    _add_day_range(parser, "yesterday (UTC) only, the latest day the Commission may have published")
    parser.add_argument("--variant", choices=["full", "light"], default="full",
                        help="full dumps, or light ones (no free text, no territorial scope) "
                             "(default: %(default)s)")
    parser.add_argument("--out", type=Path, metavar="DIR", default=paths.PRIVATE / "dsa-dumps",
                        help="folder for the dumps and their .sha1 (default: %(default)s)")
    parser.add_argument("--base-url", help="another host serving the same file names (default: the "
                        "Commission's bucket; tests use 127.0.0.1)")
    parser.add_argument("--ingest", type=Path, metavar="DATA_DIR",
                        help="ingest each day once verified; into data/dsa, the days after the summary's last "
                             "carry X's monthly series on minors on (its chart marks those months)")
    parser.add_argument("--discard", action="store_true", help="delete each dump once its day is ingested")
    parser.add_argument("--platform", action="append",
                        help="with --ingest: platform to keep, repeatable (default: X, all the series "
                             "needs; 'all' keeps all)")
    parser.add_argument("--deadline", type=_seconds, default=4 * 3600.0,
                        help="seconds allowed per day, a positive number (default: %(default)s)")
    parser.add_argument("--max-bytes", type=_byte_count, default=None,
                        help="largest dump accepted, in bytes; a longer answer is cut off (default: a length "
                             "the answer announces, up to 64 GiB; an answer that announces none is refused)")
    _add_http_options(parser, timeout=60.0, retries=4)


def _dsa_fetch(args: argparse.Namespace) -> int:
    from analysis.dsa import fetch
    from analysis.httpclient import make_session

    platforms = _platforms(args.platform)
    days = _days(args)
    if days is None:  # said before a download that may take hours
        days = [fetch.yesterday()]
        print(f"no --from/--to: fetching yesterday's dump (UTC), {days[0]}, {args.variant}, into {args.out} "
              "(the Commission publishes one a day; a day not yet out is reported missing)", file=sys.stderr)
    results = fetch.fetch_days(
        make_session(retries=args.retries, backoff=args.backoff), days,
        args.out, args.variant, args.base_url or fetch.BASE_URL, ingest_to=args.ingest, discard=args.discard, platforms=platforms,
        deadline_seconds=args.deadline, timeout=(args.connect_timeout, args.timeout), attempts=args.retries + 1,
        backoff=args.backoff, max_bytes=args.max_bytes, log=lambda line: print(line, file=sys.stderr))
    done = [r for r in results if r.status in ("fetched", "present", "ingested")]
    missing = [r.day for r in results if r.status == "missing"]
    failed = [r.day for r in results if r.status == "failed"]
    print(f"{len(done)} of {len(results)} days done" + (f"; missing: {', '.join(missing)}" if missing else "")
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if missing or failed else 0


def _update_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `update`."""
    parser.add_argument("--check", action="store_true",
                        help="only ask every upstream what it has now, one line each; write nothing")
    parser.add_argument("--accept", type=Path, metavar="REPORT",
                        help="register the staged files of this report (updates/DATE.json), log the correction "
                             "and rebuild as `make figures` does")
    parser.add_argument("--no-build", action="store_true",
                        help="with --accept: register only (to edit the ledger first), then run `make figures`")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="with --accept: the folder the rebuild writes (default: figures/ beside the data)")
    parser.add_argument("--format", choices=["table", "json"], default="table",
                        help="with --check: a table or JSON (default: %(default)s)")
    parser.add_argument("--base-url", metavar="URL",
                        help="replaces the scheme and host of every upstream (a mirror; tests use 127.0.0.1); "
                             "pip then asks URL/simple/")
    parser.add_argument("--deadline", type=_seconds, default=update.DEFAULT_DEADLINE,
                        help="seconds for asking every upstream (default: %(default)s)")
    parser.add_argument("--max-bytes", type=_byte_count, default=update.DEFAULT_MAX_BYTES,
                        help="largest answer read (default: %(default)s)")
    _add_http_options(parser, timeout=30.0, retries=2)
    parser.add_argument("--package", type=Path, default=paths.DATAPACKAGE, help=argparse.SUPPRESS)
    parser.add_argument("--ledger", type=Path, default=paths.LEDGER, help=argparse.SUPPRESS)
    parser.add_argument("--updates", type=Path, default=paths.UPDATES, help=argparse.SUPPRESS)
    parser.add_argument("--staging", type=Path, default=paths.STAGING, help=argparse.SUPPRESS)
    parser.add_argument("--corrections", type=Path, default=paths.CORRECTIONS, help=argparse.SUPPRESS)


def _update(args: argparse.Namespace) -> int:
    import datetime as dt

    from analysis.httpclient import make_session

    today = dt.datetime.now(dt.UTC).date().isoformat()
    if args.accept:
        if args.check:
            raise UsageError("--check asks, --accept registers: give one")
        registered = update.accept(args.accept, args.package, args.corrections, today)
        for entry in registered:
            print(f"registered {entry['name']} → data/{entry['path']} (sha256 {entry['hash'][7:19]}…)")
        print(f"correction logged in {args.corrections}")
        if args.no_build:
            print(f"not rebuilt (--no-build): update the ledger ({args.ledger}) for the claims the report lists, "
                  "then make figures")
            return 0
        return _rebuild_after_accept(args)
    session = make_session(retries=args.retries, backoff=args.backoff)
    findings = update.check(update.upstreams(args.package, args.base_url), session,
                            timeout=(args.connect_timeout, args.timeout), deadline=args.deadline,
                            max_bytes=args.max_bytes)
    failed = any(f.status == update.UNREACHABLE for f in findings)
    if args.check:
        print(json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False) if args.format == "json"
              else update.table(findings))
        return 1 if failed else 0
    report = update.run(args.package, args.ledger, findings, args.staging, args.updates, today, args.base_url,
                        log=lambda line: print(line, file=sys.stderr))
    written = json.loads(report.read_text(encoding="utf-8"))
    registrable = [s for s in written["sources"] if s["registers_as"]]
    print(f"{len(registrable)} staged file(s) to register, {len(written['claims'])} claim(s) and "
          f"{len(written['charts'])} chart(s) would change, {len(written['failures'])} failure(s): "
          f"{report.with_suffix('.md')}")
    return 1 if written["failures"] else 0


def _rebuild_after_accept(args: argparse.Namespace) -> int:
    """Rebuild as `make figures` does, with the package just registered to. A claim whose status
    the new data changed stops the build: the editor is told which entries of the ledger to update."""
    from analysis import datapackage
    from analysis.charts import build

    out = args.out or Path(args.package).resolve().parent.parent / "figures"
    try:
        with datapackage.using(args.package):
            _build_figures(build.LANGS, out, notebooks=True, ledger=args.ledger)
    except build.ClaimsChanged as refused:
        print(f"error: registered, but not rebuilt: {len(refused.changed)} claim(s) changed status with the new "
              f"data: {'; '.join(r.expected_text() for r in refused.changed)}. Update their expected verdict and "
              f"evidence (and what they publish) in {args.ledger}, then run `make figures`", file=sys.stderr)
        return 1
    return 0


def _share(text: str) -> float:
    from analysis.dsa.ingest import check_share

    try:
        return check_share(float(text))
    except (ValueError, UsageError) as error:
        raise argparse.ArgumentTypeError(str(error) if isinstance(error, UsageError)
                                         else f"not a number: {text!r}") from None


def _seconds(text: str) -> float:
    """A deadline in seconds: a finite number above 0 (``nan`` would silently never fire)."""
    from analysis.httpclient import check_deadline

    try:
        return check_deadline(float(text))
    except (ValueError, UsageError) as error:
        raise argparse.ArgumentTypeError(str(error) if isinstance(error, UsageError)
                                         else f"not a number of seconds: {text!r}") from None


def _byte_count(text: str) -> int:
    """A size cap: a whole number of bytes above 0."""
    from analysis.httpclient import check_max_bytes

    try:
        return check_max_bytes(int(text))
    except (ValueError, UsageError) as error:
        raise argparse.ArgumentTypeError(str(error) if isinstance(error, UsageError)
                                         else f"not a whole number of bytes: {text!r}") from None


def _limit(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError("Apple serves 1 to 100 results")
    return value


def git_commit(root: Path = paths.ROOT) -> str:
    """The short commit of the checkout at ``root``, or "unknown" when it is not one or git is
    absent: a version line must never fail."""
    if not (root / ".git").exists():  # a folder in a clone, a file in a worktree
        return "unknown"
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


def version_line(root: Path = paths.ROOT) -> str:
    """What ``--version`` prints: which code produced a figure, for a reader to rerun it."""
    return f"analysis {project_version()} (git commit {git_commit(root)})"


class _Version(argparse.Action):
    """``--version``, computed only when asked (git is not run on every command)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_line())  # on standard output, as argparse's own version action does
        parser.exit(0)


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error in one line like every other error."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


# The top-level help, in plain text (the module docstring above is for developers and in RST).
DESCRIPTION = ("Reproducible analysis of X's and Grok's child-safety record: the fact-check, the charts, "
               "and the EU DSA Transparency Database. Bad input ends in one line naming the file, row "
               "and column (--debug shows the traceback).")


def _add_http_options(parser: argparse.ArgumentParser, timeout: float, retries: int) -> None:
    """The options of every command that downloads, defined once; only the defaults differ (a
    dump is larger and slower than a chart)."""
    parser.add_argument("--timeout", type=float, default=timeout,
                        help="read timeout: seconds to wait for the server's next bytes (default: %(default)s)")
    parser.add_argument("--connect-timeout", type=float, default=5.0,
                        help="seconds to wait for a connection to the server (default: %(default)s)")
    parser.add_argument("--retries", type=int, default=retries,
                        help="times a failed request is tried again (default: %(default)s)")
    parser.add_argument("--backoff", type=float, default=0.5, help=argparse.SUPPRESS)


def _command(subparsers, name: str, help_text: str, arguments, run) -> argparse.ArgumentParser:
    """The command ``name``: its options come from ``arguments``, defined beside ``run``, its
    handler, so a command reads in one place."""
    parser = subparsers.add_parser(name, help=help_text)
    arguments(parser)
    parser.set_defaults(run=run)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: groups of commands here, each command's options beside its handler."""
    parser = _Parser(prog="python -m analysis", description=DESCRIPTION)
    parser.add_argument("--debug", action="store_true", help="on an error, show the traceback")
    parser.add_argument("--version", action=_Version,
                        help="print the project's version and git commit, then exit")
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="the raw data and its provenance").add_subparsers(
        dest="data_command", required=True)
    _command(data, "check", "verify every raw file's sha256, and that every file of data/raw is registered",
             _data_check_arguments, _data_check)
    _command(commands, "verify", "check every published figure against the data", _verify_arguments, _verify)
    _command(commands, "figures", "build the publication charts and the gallery", _figures_arguments, _figures)
    _command(commands, "notebooks", "execute the notebooks and write them as HTML pages for readers (OUT/notebooks/)",
             _notebooks_arguments, _notebooks)
    sources = commands.add_parser("fetch", help="collect data from the web into data/raw/").add_subparsers(
        dest="source", required=True)
    _command(sources, "apple-charts", "App Store top charts (Apple's RSS v2)", _fetch_apple_charts_arguments,
             _fetch_apple_charts)
    synth = commands.add_parser("synth", help="write clearly labelled synthetic example files").add_subparsers(
        dest="kind", required=True)
    _command(synth, "sensortower", "a made-up Sensor Tower export", _synth_sensortower_arguments, _synth_sensortower)
    _command(commands, "grok-downloads", "recompute the article's Grok download change from a Sensor Tower export",
             _grok_downloads_arguments, _grok_downloads)
    dsa = commands.add_parser("dsa", help="EU DSA Transparency Database: ingest, query, synthesise").add_subparsers(
        dest="dsa_command", required=True)
    _command(dsa, "ingest", "daily dumps → Parquet by day and platform", _dsa_ingest_arguments, _dsa_ingest)
    _command(dsa, "query", "statements per period, platform and category", _dsa_query_arguments, _dsa_query)
    _command(dsa, "stats", "statements per period with coverage (days filed, days in the database), from the "
             "published summary or --data", _dsa_stats_arguments, _dsa_stats)
    _command(dsa, "categories", "the statement categories: short name, full name, meaning in its own words, "
             "when in use", _dsa_categories_arguments, _dsa_categories)
    _command(dsa, "synth", "synthetic dumps in the official layout, one a day", _dsa_synth_arguments, _dsa_synth)
    _command(dsa, "fetch", "download, verify (and ingest) daily dumps", _dsa_fetch_arguments, _dsa_fetch)
    _command(commands, "update", "look for new releases of the sources, stage them and report which claims and "
             "charts they would change (--check: only ask; --accept REPORT: register and rebuild)", _update_arguments, _update)
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
