"""The project's own code as an input: which modules a module depends on, and their digest.

Caches and chart fingerprints include the source of every module of the ``analysis`` package
that the computing module imports, directly or not (imports inside functions included), read
from the import statements themselves: nothing is listed by hand, and a change to a constant in
any module a chart uses rebuilds that chart, and only the charts that use it.

>>> "analysis.formatting" in dependencies("analysis.claims")
True
>>> "analysis.charts.build" in dependencies("analysis.claims")
False
"""

from __future__ import annotations

import ast
import functools
import hashlib
from pathlib import Path

from analysis import paths

PACKAGE = "analysis"


@functools.cache
def sources() -> dict[str, Path]:
    """Every module of the package: dotted name → file."""
    found = {}
    for path in sorted((paths.ROOT / PACKAGE).rglob("*.py")):
        parts = path.relative_to(paths.ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


@functools.cache
def digests() -> dict[str, str]:
    """Dotted module name → sha256 of its source, as the files are now."""
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in sources().items()}


@functools.cache
def _direct_imports(module: str) -> frozenset[str]:
    path = sources()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return _imports(path.read_text(encoding="utf-8"), package)


def imported_by(source: str) -> frozenset[str]:
    """The package's modules that code outside it imports (a notebook's cells), directly.

    >>> sorted(imported_by("from analysis.series import grok\\nimport pandas"))
    ['analysis.series', 'analysis.series.grok']
    """
    return _imports(source, "")


def _imports(source: str, package: str) -> frozenset[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # "from pkg import module"
    return frozenset(name for name in found if name in sources())


@functools.cache
def dependencies(module: str) -> frozenset[str]:
    """``module`` and every package module it imports, transitively (parents packages included,
    since importing ``a.b`` runs ``a/__init__.py``)."""
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current in seen or current not in sources():
            continue
        seen.add(current)
        todo.extend(_direct_imports(current))
        todo.extend(parent for parent in _parents(current) if parent in sources())
    return frozenset(seen)


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def code_state(*modules: str, code: dict[str, str] | None = None) -> dict[str, str]:
    """Digest of each module the ``modules`` depend on (``code`` overrides :func:`digests`, for
    questions like "what if this module changed")."""
    code = digests() if code is None else code
    return {name: code.get(name, "missing") for module in modules for name in sorted(dependencies(module))}
