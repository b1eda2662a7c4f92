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


def test_every_raw_file_says_where_a_newer_version_would_come_from():
    for entry in datapackage.resources():
        upstream = entry.get("upstream")
        assert upstream, f"{entry['name']} records no upstream"
        if upstream["watch"] == "none":
            assert upstream["why"]
        else:
            assert upstream["held"]["etag"] is None  # no ETag was received for what we hold: it stays missing
    watched = {e["name"]: e["upstream"] for e in datapackage.resources() if e["upstream"]["watch"] != "none"}
    assert set(watched) == {f"ncmec-by-{kind}-{year}" for kind in ("esp", "country") for year in range(2019, 2024)} \
        | {"x-transparency-report-2024-h1", "dsa-shantay-summary"}
    assert watched["dsa-shantay-summary"]["held"]["sha256"] == \
        datapackage.resource("dsa-shantay-summary")["producer"]["wheel_sha256"]  # the wheel, as served
    assert watched["ncmec-by-esp-2023"]["series"]["pattern"].endswith("cybertiplinedata{year}/{year}-reports-by-esp.pdf")


@pytest.mark.parametrize("change, message", [
    (lambda u: u.update(watch="rss"), "needs a watch"),
    (lambda u: u.update(watch="none", why=""), "must say why"),
    (lambda u: u.update(url="ftp://example.org/a.pdf"), "not an http"),
    (lambda u: u["held"].pop("etag"), "held must record exactly"),
    (lambda u: u["held"].update(sha256="0" * 64), "differs from the resource's hash"),
    (lambda u: u["held"].update(retrieved="27/11/2026"), "not a date"),
    (lambda u: u["series"].update(period="2023-h1"), "is not a year"),
    (lambda u: u["series"].update(pattern="https://example.org/2024.pdf"), "with {year}"),
])
def test_a_malformed_upstream_is_refused(data_copy, change, message):
    package = data_copy / "datapackage.json"
    descriptor = json.loads(package.read_text())
    entry = next(r for r in descriptor["resources"] if r["name"] == "ncmec-by-esp-2023")
    change(entry["upstream"])
    package.write_text(json.dumps(descriptor))
    with pytest.raises(DataError, match=f"resource ncmec-by-esp-2023: upstream .*{message}"):
        datapackage.load(package)
