"""Provenance as data: the project's Frictionless Data Package, ``data/datapackage.json``.

Every raw file has one resource recording what it is, where it came from and its checksum:
``path`` (relative to ``data/``), ``hash`` (``sha256:<hex>``), ``sources`` (title, path or URL,
publisher), ``licenses``, and two fields of ours, ``obtained`` (how we got it: downloaded, copied
from a named third party, transcribed from a document page N, quoted by a newspaper) and
``accessed`` (the date). Loaders call :func:`verified_path`, so nothing is parsed from a file whose
bytes differ from the ones recorded.

>>> from analysis import datapackage
>>> datapackage.resource("ncmec-by-esp-2023")["path"]
'raw/ncmec/ncmec-by-esp-2023.pdf'
"""

from __future__ import annotations

import json
from pathlib import Path

from analysis import paths
from analysis.errors import DataError
from analysis.files import sha256, write_text

REQUIRED_FIELDS = ("name", "path", "hash", "sources", "licenses", "obtained", "accessed")


def load(package: Path = paths.DATAPACKAGE) -> dict:
    """The data package as a dict; each resource must carry every field of ``REQUIRED_FIELDS``."""
    try:
        descriptor = json.loads(Path(package).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("data package not found", path=package) from None
    except json.JSONDecodeError as error:
        raise DataError(f"invalid JSON: {error.msg}", path=package, row=error.lineno) from None
    for index, resource in enumerate(descriptor.get("resources", [])):
        missing = [field for field in REQUIRED_FIELDS if not resource.get(field)]
        if missing:
            name = resource.get("name", f"#{index}")
            raise DataError(f"resource {name} lacks {', '.join(missing)}", path=package)
    return descriptor


def resources(package: Path = paths.DATAPACKAGE) -> list[dict]:
    return load(package)["resources"]


def resource(name: str, package: Path = paths.DATAPACKAGE) -> dict:
    """The resource called ``name``; a clear error if there is none."""
    for candidate in resources(package):
        if candidate["name"] == name:
            return candidate
    raise DataError(f"no resource named {name!r}", path=package)


def problems(package: Path = paths.DATAPACKAGE) -> list[str]:
    """One line per resource whose file is missing or whose bytes differ from the recorded hash."""
    base = Path(package).parent
    found = []
    for entry in resources(package):
        path = base / entry["path"]
        if not path.exists():
            found.append(f"{entry['path']}: missing")
        elif f"sha256:{sha256(path)}" != entry["hash"]:
            found.append(f"{entry['path']}: sha256 differs from the recorded {entry['hash']}")
    return found


def verified_path(name: str, package: Path = paths.DATAPACKAGE) -> Path:
    """The path of resource ``name`` after checking that it exists and its hash matches."""
    entry = resource(name, package)
    path = Path(package).parent / entry["path"]
    if not path.exists():
        raise DataError(f"file of resource {name!r} is missing", path=path)
    actual = f"sha256:{sha256(path)}"
    if actual != entry["hash"]:
        raise DataError(f"checksum mismatch: recorded {entry['hash']}, file has {actual}; "
                        "raw files are never edited in place", path=path)
    return path


def register(path: Path, *, name: str, title: str, sources: list[dict], licenses: list[dict],
             obtained: str, accessed: str, package: Path = paths.DATAPACKAGE, **extra) -> dict:
    """Add or replace the resource for ``path`` with its current checksum and size; returns it.

    ``extra`` holds optional fields (``description``, ``status``, ``schema``…). The package file is
    rewritten atomically.
    """
    base = Path(package).parent
    relative = Path(path).resolve().relative_to(base.resolve()).as_posix()
    entry = {
        "name": name,
        "path": relative,
        "title": title,
        **extra,
        "format": Path(path).suffix.lstrip(".").lower(),
        "bytes": Path(path).stat().st_size,
        "hash": f"sha256:{sha256(path)}",
        "sources": sources,
        "licenses": licenses,
        "obtained": obtained,
        "accessed": accessed,
    }
    descriptor = load(package) if Path(package).exists() else {"name": "x-grok-child-safety",
                                                                "resources": []}
    others = [r for r in descriptor["resources"] if r["name"] != name and r["path"] != relative]
    descriptor["resources"] = sorted([*others, entry], key=lambda r: r["path"])
    write_text(package, json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    return entry
