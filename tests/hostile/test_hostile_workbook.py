"""Hostile Sensor Tower inputs: workbooks that inflate hugely (a 2.7 MB XLSX inflating to 600 MB,
generated here), share their bytes or nest archives are refused from their zip's declared sizes
before openpyxl opens them; a pipe or a folder given as the export is refused, never read; API
JSON nested 100,000 deep or holding 1e999 is refused in one line. Every file is synthetic."""

import os
import struct
import zipfile
import zlib

import pandas as pd
import pytest

from analysis import cli, synthetic
from analysis.errors import DataError
from analysis.sources import sensortower as st


def _export() -> pd.DataFrame:
    export = pd.read_csv(synthetic.SENSORTOWER_EXPORT, skiprows=1, dtype=str)
    numbers = [c for c in export.columns if "Downloads" in c]
    export[numbers] = export[numbers].apply(lambda column: column.str.replace(",", "").astype(float))
    return export


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """A valid synthetic export as a workbook."""
    path = tmp_path_factory.mktemp("workbook") / "synthetic-export.xlsx"
    _export().to_excel(path, index=False)
    return path


def _rebuilt(source, target, extra=None, padding_mib=0):
    """``source``'s members copied into ``target``; the sheet padded with ``padding_mib`` MiB of
    spaces (valid XML: whitespace before its end tag), compressed at level 1, as a real bomb is;
    ``extra`` members added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new:
        for member in old.infolist():
            data = old.read(member)
            if member.filename == "xl/worksheets/sheet1.xml" and padding_mib:
                head, tail = data.rsplit(b"</worksheet>", 1)
                with new.open(member.filename, "w", force_zip64=True) as handle:
                    handle.write(head)
                    spaces = b" " * 2**20
                    for _ in range(padding_mib):
                        handle.write(spaces)
                    handle.write(b"</worksheet>" + tail)
            else:
                new.writestr(member.filename, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target


@pytest.fixture
def never_opened(monkeypatch):
    """Fails the test if pandas or openpyxl is asked to open the workbook."""
    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was opened")
    monkeypatch.setattr(pd, "ExcelFile", refuse)


def test_workbook_inflating_to_600_mb_is_refused_before_opening(workbook, tmp_path, never_opened, capsys):
    bomb = _rebuilt(workbook, tmp_path / "export.xlsx", padding_mib=600)
    size = bomb.stat().st_size
    assert 2_000_000 < size < 3_500_000  # the case: 2.3 MB inflating to 600 MB
    inflated = sum(m.file_size for m in zipfile.ZipFile(bomb).infolist())
    sheet = zipfile.ZipFile(bomb).getinfo("xl/worksheets/sheet1.xml").file_size
    assert cli.main(["grok-downloads", str(bomb)]) == 1
    assert capsys.readouterr().err == (
        f"error: {bomb}: workbook of {size:,} bytes would inflate to {inflated:,} ({inflated / size:,.0f}×; "
        f"xl/worksheets/sheet1.xml alone {sheet:,}): more than 536,870,912 bytes or 100× its size, a zip bomb or "
        "not an export: not opened\n")


def test_small_bomb_over_the_ratio_is_refused(workbook, tmp_path, never_opened):
    bomb = _rebuilt(workbook, tmp_path / "export.xlsx", padding_mib=20)  # 20 MiB from about 90 kB
    with pytest.raises(DataError, match=r"would inflate to [\d,]+ \([\d,]+×; xl/worksheets/sheet1.xml alone"):
        st.read_downloads(bomb)


def test_genuine_workbook_is_within_the_limits(workbook):
    members = zipfile.ZipFile(workbook).infolist()
    ratio = sum(m.file_size for m in members) / workbook.stat().st_size
    assert ratio < st.MAX_WORKBOOK_RATIO / 5  # a real export is far from the limit
    assert len(st.read_downloads(workbook)) == 3 * len(_export())


def test_nested_archive_is_refused(workbook, tmp_path, never_opened):
    nested = _rebuilt(workbook, tmp_path / "export.xlsx",
                      extra={"xl/embeddings/inner.zip": workbook.read_bytes()})
    with pytest.raises(DataError) as raised:
        st.read_downloads(nested)
    assert str(raised.value) == (f"{nested}: workbook part xl/embeddings/inner.zip is itself an archive: an export "
                                 "holds none, and its size would escape our limits: not opened")


def _overlapping_zip(path, copies=50):
    """A zip whose members all point at the same compressed bytes (D. Fifield's non-recursive bomb,
    small): each member's own ratio is modest, their sum is not."""
    data = b"<worksheet>" + b" " * 500_000 + b"</worksheet>"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    crc, name = zlib.crc32(data), b"xl/worksheets/sheet1.xml"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(packed), len(data), len(name), 0) + name
    central = b"".join(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(packed), len(data),
                                   len(member), 0, 0, 0, 0, 0, 0) + member
                       for member in [name] + [f"xl/worksheets/sheet{i}.xml".encode() for i in range(2, copies + 1)])
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, copies, copies, len(central), len(local) + len(packed), 0)
    path.write_bytes(local + packed + central + end)
    return path


def test_members_sharing_their_bytes_are_refused(tmp_path, never_opened, monkeypatch):
    bomb = _overlapping_zip(tmp_path / "export.xlsx")
    with pytest.raises(DataError, match="would inflate to 25,001,150 .* a zip bomb or not an export: not opened"):
        st.read_downloads(bomb)
    # under the ratio, the overlap alone is still found
    few = _overlapping_zip(tmp_path / "few.xlsx", copies=2)
    monkeypatch.setattr(st, "MAX_WORKBOOK_RATIO", 10**6)
    with pytest.raises(DataError, match="workbook parts share their bytes .* a zip bomb, not opened"):
        st.read_downloads(few)


def test_workbook_too_large_on_disk_is_refused_unread(tmp_path, never_opened):
    huge = tmp_path / "export.xlsx"
    with open(huge, "wb") as handle:  # sparse: no disk used
        handle.truncate(st.MAX_WORKBOOK_BYTES + 1)
    with pytest.raises(DataError) as raised:
        st.read_downloads(huge)
    assert str(raised.value) == (f"{huge}: workbook of 104,857,601 bytes, more than the 104,857,600 we open: "
                                 "export fewer rows, or as CSV")


@pytest.mark.parametrize("make", [
    pytest.param(lambda path: os.mkfifo(path), id="pipe"),
    pytest.param(lambda path: path.mkdir(), id="folder"),
])
@pytest.mark.parametrize("name", ["export.csv", "export.xlsx", "export.json"])
def test_pipe_or_folder_as_the_export_is_refused_unread(tmp_path, make, name):
    path = tmp_path / name
    make(path)
    with pytest.raises(DataError) as raised:
        st.read_downloads(path)  # a pipe would block here for ever
    assert str(raised.value) == f"{path}: not a regular file (a folder, a pipe or a device): give the export itself"


@pytest.mark.parametrize("text, reason", [
    ("[" * 100_000 + "]" * 100_000, "nested 100,000 levels deep, more than the 64 allowed"),
    ('[{"aid": "1", "cc": "US", "d": "2026-01-01", "iu": 1e999, "au": 1}]',
     "number 1e999 overflows: not a finite number"),
    ('[{"aid": "1", "cc": "US", "d": "2026-01-01", "iu": NaN, "au": 1}]', "NaN is not a JSON number"),
    ('[{"aid": "1", "cc": "US", "d": "2026-01-01", "iu": 1, "au": 1}', "Expecting ',' delimiter (line 1, column 63)"),
])
def test_hostile_api_json_is_refused_in_one_line(tmp_path, text, reason):
    path = tmp_path / "synthetic-api.json"
    path.write_text(text)
    with pytest.raises(DataError) as raised:
        st.read_downloads(path)
    assert str(raised.value) == f"{path}: not a JSON document we can read ({reason})"
