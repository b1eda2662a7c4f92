"""The project's version, as the command line's ``--version`` and the readers' pages name it."""

from __future__ import annotations

import tomllib

from analysis import paths


def project_version() -> str:
    """The version in the checkout's pyproject.toml (the code being run), else the installed
    package's metadata (an editable install may point at another checkout), else "unknown"."""
    from importlib import metadata

    try:
        return tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    try:
        return metadata.version("analysis")
    except metadata.PackageNotFoundError:
        return "unknown"
