"""The command line: ``python -m analysis <command>``.

- ``data check`` — verify every raw file against the checksum in the data package.

Each command returns an exit code; bad input ends with one line naming the file, row and column.
"""

from __future__ import annotations

import argparse
import sys

from pathlib import Path

from analysis import datapackage, paths
from analysis.errors import DataError


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="the raw data and its provenance")
    data_commands = data.add_subparsers(dest="data_command", required=True)
    check = data_commands.add_parser("check", help="verify every raw file's sha256")
    check.add_argument("--package", type=Path, default=paths.DATAPACKAGE, help=argparse.SUPPRESS)
    check.set_defaults(run=_data_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
