import json

import pytest

from analysis import cli, datapackage, paths
from analysis.errors import DataError


def test_every_raw_file_has_a_resource_with_provenance():
    recorded = {r["path"] for r in datapackage.resources()}
    on_disk = {p.relative_to(paths.DATA).as_posix() for p in paths.RAW.rglob("*")
               if p.is_file() and not p.name.startswith((".", "README"))}
    assert on_disk <= recorded
    for entry in datapackage.resources():
        assert entry["hash"].startswith("sha256:") and len(entry["hash"]) == 71
        assert entry["sources"] and all(s.get("title") and s.get("path") for s in entry["sources"])
        assert entry["licenses"] and entry["obtained"] and entry["accessed"]


def test_shipped_data_passes_the_check():
    assert datapackage.problems() == []


def test_changed_byte_is_named(data_copy):
    pdf = data_copy / "raw" / "ncmec" / "ncmec-by-esp-2019.pdf"
    content = bytearray(pdf.read_bytes())
    content[1000] ^= 0xFF
    pdf.write_bytes(bytes(content))
    found = datapackage.problems(data_copy / "datapackage.json")
    assert found == ["raw/ncmec/ncmec-by-esp-2019.pdf: sha256 differs from the recorded "
                     + datapackage.resource("ncmec-by-esp-2019")["hash"]]
    with pytest.raises(DataError, match="ncmec-by-esp-2019.pdf: checksum mismatch"), \
            datapackage.using(data_copy / "datapackage.json"):
        datapackage.read("ncmec-by-esp-2019")


def test_missing_file_is_named(data_copy):
    (data_copy / "raw" / "x" / "x-global-transparency-report-2024-h1.pdf").unlink()
    assert datapackage.problems(data_copy / "datapackage.json") == [
        "raw/x/x-global-transparency-report-2024-h1.pdf: missing"]
    with pytest.raises(DataError, match="is missing"), datapackage.using(data_copy / "datapackage.json"):
        datapackage.read("x-transparency-report-2024-h1")


def test_cli_data_check_exit_codes(data_copy, capsys):
    assert cli.main(["data", "check"]) == 0
    (data_copy / "raw" / "ncmec" / "ncmec-by-country-2023.pdf").write_bytes(b"%PDF-1.4 changed")
    assert cli.main(["data", "check", "--package", str(data_copy / "datapackage.json")]) == 1
    assert "raw/ncmec/ncmec-by-country-2023.pdf: sha256 differs" in capsys.readouterr().err


def test_resource_without_provenance_is_refused(tmp_path):
    package = tmp_path / "datapackage.json"
    package.write_text(json.dumps({"resources": [{"name": "a", "path": "raw/a.csv", "hash": "sha256:0"}]}))
    with pytest.raises(DataError, match="resource a lacks sources, licenses, obtained, accessed"):
        datapackage.load(package)


def test_register_records_checksum_and_replaces(tmp_path):
    package = tmp_path / "datapackage.json"
    raw = tmp_path / "raw" / "a.csv"
    raw.parent.mkdir()
    raw.write_text("x\n1\n")
    meta = dict(title="A", sources=[{"title": "t", "path": "p"}], licenses=[{"name": "l"}],
                obtained="made in a test", accessed="2026-11-27", package=package)
    datapackage.register(raw, name="a", **meta)
    raw.write_text("x\n2\n")
    entry = datapackage.register(raw, name="a", **meta)
    assert [r["name"] for r in datapackage.resources(package)] == ["a"]
    assert entry["path"] == "raw/a.csv" and datapackage.problems(package) == []
