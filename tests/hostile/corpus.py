"""Generators of hostile files for any table loader, and the assertions every refusal must meet.

A loader's test describes one valid table (header and rows) and gets back the classic ways a
careless or hostile user breaks it, each with where the refusal must point::

    for case in hostile_tables(["year", "label", "count"], [["2024", "X", "1"]], column="label"):
        path = case.write(tmp_path)
        with pytest.raises(DataError) as raised:
            load(path)
        assert_refusal(raised.value, path, case)

Every case is generated here (synthetic); none is real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LOOK_ALIKES = {  # how the same visible text can be different strings
    "zero-width space": "\u200b",
    "no-break space": "\u00a0",
    "soft hyphen": "\u00ad",
    "byte order mark": "\ufeff",
}


@dataclass(frozen=True)
class Hostile:
    id: str
    name: str  # the file name to write
    content: bytes
    reason: str  # a regular expression the refusal's message must match
    row: int | None = None  # where the refusal must point (1 is the header line)
    column: str | None = None

    def write(self, directory: Path) -> Path:
        path = Path(directory) / self.name
        path.write_bytes(self.content)
        return path


def _csv(header: list[str], rows: list[list[str]]) -> str:
    return "".join(",".join(cells) + "\n" for cells in [header, *rows])


def hostile_tables(header: list[str], rows: list[list[str]], *, column: str,
                   stem: str = "table") -> list[Hostile]:
    """Broken variants of a valid CSV table; ``column`` is a text column of the first data row
    that the loader reads."""
    index = header.index(column)
    latin1 = [list(r) for r in rows]
    latin1[0][index] += "\u00e9"
    return [
        Hostile("empty", f"{stem}.csv", b"", r"empty"),
        Hostile("header only", f"{stem}.csv", _csv(header, []).encode(), r"no data rows", row=2),
        Hostile("Latin-1 byte", f"{stem}.csv", _csv(header, latin1).encode("latin-1"),
                r"not UTF-8 \(byte 0xe9\)", row=2),
        Hostile("binary named .xlsx", f"{stem}.xlsx", bytes(range(256)) * 4,
                r"not a readable Excel workbook|unsupported file type"),
        Hostile("zip named .xlsx", f"{stem}.xlsx", b"PK\x05\x06" + b"\0" * 18,
                r"not a readable Excel workbook|unsupported file type"),
    ]


def assert_refusal(error: Exception, path: Path, case: Hostile) -> None:
    """One line, naming the file, the row and the column where the case says they are."""
    import re

    message = str(error)
    assert "\n" not in message, f"{case.id}: the refusal spans several lines: {message!r}"
    assert message.startswith(str(path)), f"{case.id}: the refusal does not name the file: {message!r}"
    assert re.search(case.reason, message), f"{case.id}: {message!r} does not match {case.reason!r}"
    if case.row is not None:
        assert f", row {case.row}" in message, f"{case.id}: {message!r} does not name row {case.row}"
    if case.column is not None:
        assert f", column {case.column}" in message, f"{case.id}: {message!r} lacks column {case.column}"


def listing(directory: Path) -> dict[str, int]:
    """Every file under ``directory`` with its size: compare before and after a refused run to
    prove nothing was left behind (temporary files included)."""
    return {str(p.relative_to(directory)): p.stat().st_size
            for p in Path(directory).rglob("*") if p.is_file()}
