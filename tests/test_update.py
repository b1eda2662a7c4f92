"""``update`` against a mirror of the upstreams on 127.0.0.1: NCMEC's, X's and the Commission's paths
and a package index's ``/simple/`` page, serving the real files we hold (data/raw/) at their
upstream paths. A "changed" NCMEC table is NCMEC's real table of another year served where the
2023 one was; a "new year" is NCMEC's real 2023 table, served at the next year's expected address
to a copy of data/ that lacks it. Nothing here is synthetic except the index page's links and
shantay's releases, whose wheels and builtin.parquet are built in the tests."""

import io
import json
from urllib.parse import urlsplit

import pytest

from analysis import datapackage, paths, safeyaml, update
from analysis.charts import build as charts_build
from conftest import LoopbackServer, run_cli

ESP_2023_URL = "/content/dam/missingkids/pdfs/2023-reports-by-esp.pdf"


class Mirror(LoopbackServer):
    """Serves ``files`` (path → bytes), answering ``If-None-Match`` with 304 for ``etags``, and on
    request: ``slow[path]`` waits that many seconds first, ``redirect[path]`` sends the client to
    that URL. Anything else is a 404. ``asked`` lists the paths requested."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.etags: dict[str, str] = {}
        self.slow: dict[str, float] = {}
        self.redirect: dict[str, str] = {}
        self.asked: list[str] = []
        super().__init__()

    def answer(self, request):
        path = urlsplit(request.path).path
        self.asked.append(path)
        if path in self.slow:
            self.closing.wait(self.slow[path])
        if path in self.redirect:
            self.send(request, 302, headers={"Location": self.redirect[path]})
            return
        if path not in self.files:
            request.send_error(404)
            return
        etag = self.etags.get(path)
        if etag and request.headers.get("If-None-Match") == etag:
            self.send(request, 304)
            return
        self.send(request, 200, self.files[path],
                  {"Content-Type": "text/html" if path.startswith("/simple/") else "application/octet-stream",
                   **({"ETag": etag} if etag else {})})


def _index_page(*versions: str, hashes: dict[str, str] | None = None) -> bytes:
    """A package index's page for shantay (PEP 503), linking its wheels (``hashes``: the sha256
    the index publishes per version, in the link's fragment as PyPI does)."""
    hashes = hashes or {}
    links = "".join(f'<a href="../../packages/shantay-{v}-py3-none-any.whl'
                    + (f'#sha256={hashes[v]}' if v in hashes else "") + f'">shantay-{v}-py3-none-any.whl</a>\n'
                    for v in versions)
    return f"<!DOCTYPE html><html><body>\n{links}</body></html>\n".encode()


@pytest.fixture
def mirror(data_copy):
    """The upstreams of every watched file of the copy, each serving the file we hold."""
    served = Mirror()
    for entry in datapackage.resources(data_copy / "datapackage.json"):
        upstream = entry["upstream"]
        if upstream["watch"] == "conditional-get":
            served.files[urlsplit(upstream["url"]).path] = (data_copy / entry["path"]).read_bytes()
    served.files["/simple/shantay/"] = _index_page("0.5.0", "0.6.0")
    yield served
    served.close()


def _run(data_copy, tmp_path, mirror, *args):
    """``python -m analysis update …`` in this process, on the copy: (exit code, stdout, stderr)."""
    argv = ["update", *args, "--package", str(data_copy / "datapackage.json"), "--updates", str(tmp_path / "updates"),
            "--staging", str(tmp_path / "staging"), "--corrections", str(data_copy / "corrections.yaml"),
            "--timeout", "1", "--connect-timeout", "1", "--retries", "0", "--backoff", "0"]
    if "--accept" not in args:
        argv += ["--base-url", mirror.url]
    return run_cli(*argv)


def _report(tmp_path) -> tuple[dict, str]:
    (report,) = sorted((tmp_path / "updates").glob("*.json"))
    return json.loads(report.read_text()), report.with_suffix(".md").read_text()


def test_rebased_keeps_the_path_and_replaces_scheme_and_host():
    assert update.rebased("https://transparency.x.com/a/b.pdf", "http://127.0.0.1:9/mirror") == \
        "http://127.0.0.1:9/mirror/a/b.pdf"


@pytest.mark.parametrize("step, period, following", [("year", "2023", "2024"), ("half", "2024-h1", "2024-h2"),
                                                     ("half", "2024-h2", "2025-h1"), ("day", "2024-02-28", "2024-02-29")])
def test_next_period(step, period, following):
    assert update.next_period(step, period) == following


def test_unchanged_upstreams_stage_nothing(data_copy, tmp_path, mirror):
    before = update.raw_fingerprint(data_copy / "datapackage.json")
    mirror.etags[ESP_2023_URL] = '"v1"'
    checked = _run(data_copy, tmp_path, mirror, "--check", "--format", "json")
    assert checked.returncode == 0, checked.stderr
    found = {entry["resource"]: entry for entry in json.loads(checked.stdout)}
    watched = [e["name"] for e in datapackage.resources(data_copy / "datapackage.json")
               if e["upstream"]["watch"] != "none"]
    assert set(watched) <= set(found)
    assert {found[name]["status"] for name in watched} == {"unchanged"}
    assert found["ncmec-by-esp-2023"] == {**found["ncmec-by-esp-2023"], "path": "data/raw/ncmec/ncmec-by-esp-2023.pdf",
                                          "url": mirror.url + ESP_2023_URL, "etag": '"v1"', "http": 200}
    assert found["dsa-shantay-summary"]["upstream"] == "0.6.0"
    for following in ("ncmec-by-esp-2024", "ncmec-by-country-2024", "x-transparency-report-2024-h2",
                      "dsa-shantay-summary (next day)"):
        assert found[following]["status"] == "not yet" and found[following]["http"] == 404
    assert found["ncmec-by-esp-2024"]["url"] == \
        f"{mirror.url}/content/dam/missingkids/pdfs/cybertiplinedata2024/2024-reports-by-esp.pdf"
    assert found["dsa-shantay-summary (next day)"]["url"].endswith("/sor-global-2026-01-11-full.zip")

    table = _run(data_copy, tmp_path, mirror, "--check").stdout.splitlines()
    assert table[0].split()[:4] == ["resource", "held", "upstream", "status"] and len(table) == len(found) + 1
    assert not (tmp_path / "updates").exists() and not (tmp_path / "staging").exists()  # --check writes nothing

    done = _run(data_copy, tmp_path, mirror)
    assert done.returncode == 0, done.stderr
    report, text = _report(tmp_path)
    assert report["sources"] == report["claims"] == report["charts"] == report["failures"] == []
    assert not list((tmp_path / "staging").rglob("*.pdf"))
    assert "## Sources added or changed\n\n- none" in text
    assert update.raw_fingerprint(data_copy / "datapackage.json") == before


def test_a_conditional_get_sends_what_we_hold(data_copy, tmp_path, mirror):
    package = data_copy / "datapackage.json"
    descriptor = json.loads(package.read_text())
    held = next(r for r in descriptor["resources"] if r["name"] == "ncmec-by-esp-2023")["upstream"]["held"]
    held["etag"] = '"v1"'
    package.write_text(json.dumps(descriptor))
    mirror.etags[ESP_2023_URL] = '"v1"'
    found = {e["resource"]: e for e in json.loads(_run(data_copy, tmp_path, mirror, "--check", "--format", "json").stdout)}
    assert found["ncmec-by-esp-2023"]["status"] == "unchanged" and found["ncmec-by-esp-2023"]["http"] == 304


def test_a_new_package_version_is_reported(data_copy, tmp_path, mirror):
    mirror.files["/simple/shantay/"] = _index_page("0.6.0", "0.7.0")
    found = {e["resource"]: e for e in json.loads(_run(data_copy, tmp_path, mirror, "--check", "--format", "json").stdout)}
    assert (found["dsa-shantay-summary"]["status"], found["dsa-shantay-summary"]["upstream"]) == ("new", "0.7.0")
    assert found["dsa-shantay-summary"]["url"] == f"{mirror.url}/simple/shantay/"
    # the index lists 0.7.0, whose wheel is not served: pip's failure is reported, nothing staged
    assert _run(data_copy, tmp_path, mirror).returncode == 1
    report, text = _report(tmp_path)
    assert [s["registers_as"] for s in report["sources"]] == [None] and report["not_staged"] == []
    (failure,) = report["failures"]
    assert failure["resource"] == "dsa-shantay-summary" and failure["why"].startswith("not downloaded: pip download: ")
    assert "- dsa-shantay-summary (" in text.split("## Failures")[1]


def test_a_changed_pdf_lists_the_claims_it_feeds_and_waits_for_accept(data_copy, tmp_path, mirror):
    package = data_copy / "datapackage.json"
    old_hash = datapackage.resource("ncmec-by-esp-2023", package)["hash"]
    # NCMEC's real 2022 table served where the 2023 one was: its first page names 2023 (the year it
    # was published), so it parses as a 2023 table with other counts
    mirror.files[ESP_2023_URL] = (paths.RAW / "ncmec" / "ncmec-by-esp-2022.pdf").read_bytes()
    raw_before = update.raw_fingerprint(package)
    done = _run(data_copy, tmp_path, mirror)
    assert done.returncode == 0, done.stderr
    report, text = _report(tmp_path)
    (source,) = report["sources"]
    new_hash = datapackage.resource("ncmec-by-esp-2022", package)["hash"]
    assert (source["resource"], source["status"], f"sha256:{source['old_sha256']}", f"sha256:{source['new_sha256']}") \
        == ("ncmec-by-esp-2023", "changed", old_hash, new_hash)
    assert source["registers_as"]["path"] == f"raw/ncmec/ncmec-by-esp-2023-{report['date']}.pdf"
    claims = {c["id"]: c for c in report["claims"]}
    assert {"x-ncmec-reports-2023", "x-ncmec-reports-2024-vs-2023"} <= set(claims)
    x_2023 = claims["x-ncmec-reports-2023"]
    assert x_2023["before"]["value"] == "870,503" and x_2023["after"]["value"] != x_2023["before"]["value"]
    assert x_2023["before"]["status"] != x_2023["after"]["status"]
    assert report["charts"] and all(c["chart"].endswith(("/fr", "/en")) for c in report["charts"])
    assert f"- x-ncmec-reports-2023: 870,503, matches, verified → {x_2023['after']['value']}, contradicted, " in text
    assert update.raw_fingerprint(package) == raw_before  # data/raw untouched until --accept
    assert datapackage.resource("ncmec-by-esp-2023", package)["hash"] == old_hash

    report_path = next((tmp_path / "updates").glob("*.json"))
    stray = data_copy / "raw" / "ncmec" / "note.txt"
    stray.write_text("added after the report")
    refused = _run(data_copy, tmp_path, mirror, "--accept", str(report_path))
    assert refused.returncode == 1 and "changed since the report was made" in refused.stderr
    stray.unlink()

    # registered, then the rebuild refuses before drawing anything: the claims the new table changes
    accepted = _run(data_copy, tmp_path, mirror, "--accept", str(report_path))
    assert accepted.returncode == 1 and "registered ncmec-by-esp-2023 → data/raw/ncmec/" in accepted.stdout
    refusal = accepted.stderr
    assert refusal.startswith("error: registered, but not rebuilt: ") and refusal.count("\n") == 1
    assert "x-ncmec-reports-2023 (expected matches on primary evidence, found contradicted on primary evidence)" \
        in refusal and f"in {paths.LEDGER}, then run `make figures`" in refusal
    assert not (tmp_path / "figures" / "figures.json").exists()
    entry = datapackage.resource("ncmec-by-esp-2023", package)
    assert entry["hash"] == new_hash and entry["path"] == source["registers_as"]["path"]
    assert entry["upstream"]["held"] == {"sha256": new_hash[7:], "retrieved": report["date"], "etag": None,
                                         "last_modified": None}
    assert entry["upstream"]["url"] == "https://www.missingkids.org" + ESP_2023_URL  # the upstream's, not the mirror's
    superseded = datapackage.resource(f"ncmec-by-esp-2023-superseded-{report['date']}", package)
    assert superseded["hash"] == old_hash and superseded["path"] == "raw/ncmec/ncmec-by-esp-2023.pdf"
    assert datapackage.problems(package) == []
    (logged,) = safeyaml.load((data_copy / "corrections.yaml").read_text())
    assert set(logged) == {"date", "what_en", "what_fr", "why_en", "why_fr"} and logged["date"] == report["date"]
    assert "ncmec-by-esp-2023" in logged["what_en"] and "x-ncmec-reports-2023: 870,503, matches, verified →" in logged["what_en"]
    assert logged["what_fr"].startswith("Enregistré ncmec-by-esp-2023 (modifié :") and "x-ncmec-reports-2023" in logged["what_fr"]
    assert "https://www.missingkids.org" + ESP_2023_URL in logged["why_en"]
    assert "https://www.missingkids.org" + ESP_2023_URL in logged["why_fr"]  # the upstream's address, not the mirror's

    again = _run(data_copy, tmp_path, mirror, "--accept", str(report_path))
    assert again.returncode == 1 and "already accepted" in again.stderr


def test_a_new_year_that_parses_is_registered_on_accept(data_copy, tmp_path, mirror, monkeypatch):
    package = data_copy / "datapackage.json"
    descriptor = json.loads(package.read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "ncmec-by-esp-2023"]
    package.write_text(json.dumps(descriptor, indent=2))
    (data_copy / "raw" / "ncmec" / "ncmec-by-esp-2023.pdf").unlink()
    del mirror.files[ESP_2023_URL]
    real = paths.RAW / "ncmec" / "ncmec-by-esp-2023.pdf"
    mirror.files["/content/dam/missingkids/pdfs/cybertiplinedata2023/2023-reports-by-esp.pdf"] = real.read_bytes()

    done = _run(data_copy, tmp_path, mirror)
    assert done.returncode == 0, done.stderr
    report, _ = _report(tmp_path)
    (source,) = report["sources"]
    assert (source["resource"], source["status"], source["old_sha256"]) == ("ncmec-by-esp-2023", "new", None)
    assert source["registers_as"] == {"name": "ncmec-by-esp-2023", "path": "raw/ncmec/ncmec-by-esp-2023.pdf"}
    x_2023 = next(c for c in report["claims"] if c["id"] == "x-ncmec-reports-2023")
    assert x_2023["before"]["error"] and x_2023["after"]["value"] == "870,503"
    assert not (data_copy / "raw" / "ncmec" / "ncmec-by-esp-2023.pdf").exists()

    earlier = ("- date: '2026-11-30'\n  what_en: an earlier correction\n  what_fr: une correction antérieure\n"
               "  why_en: kept as written\n  why_fr: gardée telle quelle\n")
    (data_copy / "corrections.yaml").write_text(earlier)
    builds = []  # the rebuild, as `make figures` calls it, with the package registered to active

    def build(langs, out, **options):
        builds.append((langs, out, options, datapackage.active()))
        return []

    monkeypatch.setattr(charts_build, "build", build)
    accepted = _run(data_copy, tmp_path, mirror, "--accept", str(next((tmp_path / "updates").glob("*.json"))))
    assert accepted.returncode == 0, accepted.stderr
    ((langs, out, options, active),) = builds
    assert (langs, out, options["notebooks"], options["ledger"], active) == \
        (("fr", "en"), tmp_path / "figures", True, paths.LEDGER, package)
    assert f"0 figures current in {tmp_path / 'figures'}" in accepted.stdout
    log = (data_copy / "corrections.yaml").read_text()
    assert log.startswith(earlier) and [e["date"] for e in safeyaml.load(log)] == ["2026-11-30", report["date"]]
    entry = datapackage.resource("ncmec-by-esp-2023", package)
    assert entry["hash"] == datapackage.resource("ncmec-by-esp-2023")["hash"]  # the very file we ship
    assert entry["upstream"]["series"]["period"] == "2023" and entry["upstream"]["held"]["retrieved"] == report["date"]
    assert entry["sources"][0]["path"] == \
        "https://www.missingkids.org/content/dam/missingkids/pdfs/cybertiplinedata2023/2023-reports-by-esp.pdf"
    assert datapackage.problems(package) == []


def test_failures_are_reported_and_nothing_registered(data_copy, tmp_path, mirror):
    package = data_copy / "datapackage.json"
    # NCMEC's real 2019 table where the 2024 one is expected: its first page does not name 2024
    mirror.files["/content/dam/missingkids/pdfs/cybertiplinedata2024/2024-reports-by-esp.pdf"] = \
        (paths.RAW / "ncmec" / "ncmec-by-esp-2019.pdf").read_bytes()
    del mirror.files["/content/dam/missingkids/pdfs/2023-reports-by-country.pdf"]  # 404
    mirror.slow["/content/dam/transparency-twitter/2024/x-global-transparency-report-h1.pdf"] = 3
    esp_2021 = "/content/dam/missingkids/pdfs/2021-reports-by-esp.pdf"
    mirror.redirect[esp_2021] = mirror.url.replace("127.0.0.1", "localhost") + esp_2021
    raw_before = update.raw_fingerprint(package)
    log_before = (data_copy / "corrections.yaml").read_bytes()

    done = _run(data_copy, tmp_path, mirror, "--max-bytes", "300000")  # the 2023 ESP table is 391,790 bytes
    assert done.returncode == 1
    report, text = _report(tmp_path)
    why = {failure["resource"]: failure["why"] for failure in report["failures"]}
    assert why["ncmec-by-country-2023"] == "HTTP 404"
    assert why["x-transparency-report-2024-h1"] == "timed out"
    assert why["ncmec-by-esp-2021"].startswith(f"{mirror.url}{esp_2021} redirects to another host or scheme "
                                               "(http://localhost:")
    assert why["ncmec-by-esp-2023"] == "answer of 391,790 bytes, more than the 300,000 allowed"
    assert why["ncmec-by-esp-2024"].startswith("does not parse:") and "does not mention 2024" in why["ncmec-by-esp-2024"]
    assert [s["registers_as"] for s in report["sources"]] == [None]
    assert report["claims"] == report["charts"] == []
    assert "- ncmec-by-country-2023 (" in text and "HTTP 404" in text
    assert mirror.asked.count(esp_2021) == 1 and update.raw_fingerprint(package) == raw_before

    refused = _run(data_copy, tmp_path, mirror, "--accept", str(next((tmp_path / "updates").glob("*.json"))))
    assert refused.returncode == 1 and "nothing to register" in refused.stderr
    assert update.raw_fingerprint(package) == raw_before and (data_copy / "corrections.yaml").read_bytes() == log_before


def test_accept_with_no_build_registers_only(data_copy, tmp_path, mirror, monkeypatch):
    mirror.files[ESP_2023_URL] = (paths.RAW / "ncmec" / "ncmec-by-esp-2022.pdf").read_bytes()
    assert _run(data_copy, tmp_path, mirror).returncode == 0
    monkeypatch.setattr(charts_build, "build", lambda *args, **kwargs: pytest.fail("built despite --no-build"))
    accepted = _run(data_copy, tmp_path, mirror, "--accept", str(next((tmp_path / "updates").glob("*.json"))),
                    "--no-build")
    assert accepted.returncode == 0, accepted.stderr
    assert "not rebuilt (--no-build)" in accepted.stdout
    assert datapackage.resource("ncmec-by-esp-2023", data_copy / "datapackage.json")["path"].endswith(".pdf")
    assert datapackage.resource("ncmec-by-esp-2023", data_copy / "datapackage.json")["path"] != \
        "raw/ncmec/ncmec-by-esp-2023.pdf"


# shantay's next release, staged through pip from a loopback index. Its wheel is built here; its
# builtin.parquet is synthetic (made in the test, never under the repository's data/raw/).
SHIPPED_SUMMARY = paths.RAW / "dsa" / "shantay-0.6.0-builtin.parquet"
SYNTHETIC_LAST_DAY = "2026-01-31"


def _summary_release(target, *, last_day=SYNTHETIC_LAST_DAY, shipped_rows=None) -> bytes:
    """A synthetic release's builtin.parquet: the shipped file's rows (``shipped_rows``: only that
    many), plus X's statements on each later release day to ``last_day``: 100 a day, 7 of them on
    protection of minors (January 2026 becomes a complete month)."""
    import duckdb

    limit = "" if shipped_rows is None else f" LIMIT {shipped_rows}"
    later = ("SELECT day::DATE, day::DATE, NULL, 'X', NULL, '{column}', NULL, {variant}, NULL, {count}::BIGINT, "
             "NULL::BIGINT, 0::BIGINT, NULL::BIGINT "
             f"FROM generate_series(DATE '2026-01-11', DATE '{last_day}', INTERVAL 1 DAY) AS days(day)")
    duckdb.connect().execute(
        f"COPY (SELECT * FROM (SELECT * FROM read_parquet('{SHIPPED_SUMMARY}'){limit}) UNION ALL "
        + later.format(column="rows", variant="NULL", count=100) + " UNION ALL "
        + later.format(column="category", variant="'STATEMENT_CATEGORY_PROTECTION_OF_MINORS'", count=7)
        + f") TO '{target}' (FORMAT parquet)")
    return target.read_bytes()


def _wheel(version: str, member: bytes, *, record: bytes | None = None) -> bytes:
    """A wheel of shantay ``version`` holding ``member`` as shantay/builtin.parquet, its RECORD
    listing ``record``'s sha256 for it (default: the member's own)."""
    import base64
    import hashlib
    import zipfile

    info = f"shantay-{version}.dist-info"
    files = {"shantay/__init__.py": b"", "shantay/builtin.parquet": member,
             f"{info}/METADATA": f"Metadata-Version: 2.1\nName: shantay\nVersion: {version}\n".encode(),
             f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}

    def digest(data: bytes) -> str:
        return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")

    lines = [f"{path},sha256={digest(record if record is not None and path.endswith('.parquet') else data)},{len(data)}"
             for path, data in files.items()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
        archive.writestr(f"{info}/RECORD", "\n".join([*lines, f"{info}/RECORD,,"]) + "\n")
    return buffer.getvalue()


def _publish(mirror, version: str, wheel: bytes, published_sha256: str | None = None) -> None:
    """Serve the wheel on the mirror's index beside 0.6.0, the index giving ``published_sha256``
    (default: the wheel's own)."""
    import hashlib

    mirror.files[f"/packages/shantay-{version}-py3-none-any.whl"] = wheel
    mirror.files["/simple/shantay/"] = _index_page("0.6.0", version, hashes={
        version: published_sha256 or hashlib.sha256(wheel).hexdigest()})


def test_a_new_shantay_release_is_staged_through_pip_and_registered_on_accept(data_copy, tmp_path, mirror):
    import hashlib

    from analysis.dsa import summary

    package = data_copy / "datapackage.json"
    wheel = _wheel("0.7.0", _summary_release(tmp_path / "builtin.parquet"))
    _publish(mirror, "0.7.0", wheel)
    raw_before = update.raw_fingerprint(package)
    done = _run(data_copy, tmp_path, mirror)
    assert done.returncode == 0, done.stderr
    report, text = _report(tmp_path)
    (source,) = report["sources"]
    assert (source["resource"], source["status"], source["parse_problem"]) == ("dsa-shantay-summary", "new", None)
    assert f"sha256:{source['old_sha256']}" == datapackage.resource("dsa-shantay-summary", package)["hash"]
    assert source["registers_as"] == {"name": "dsa-shantay-summary", "path": "raw/dsa/shantay-0.7.0-builtin.parquet"}
    assert source["release"] == {"package": "shantay", "version": "0.7.0", "wheel": "shantay-0.7.0-py3-none-any.whl",
                                 "wheel_sha256": hashlib.sha256(wheel).hexdigest(), "member": "shantay/builtin.parquet",
                                 "index": f"{mirror.url}/simple/", "first_day": "2023-09-25", "last_day": SYNTHETIC_LAST_DAY}
    assert report["not_staged"] == [] and report["failures"] == []
    assert {"x-minors-dsa/fr", "x-minors-dsa/en"} <= {chart["chart"] for chart in report["charts"]}
    assert "- dsa-shantay-summary (new): sha256:" in text and "raw/dsa/shantay-0.7.0-builtin.parquet" in text
    assert update.raw_fingerprint(package) == raw_before

    accepted = _run(data_copy, tmp_path, mirror, "--accept", str(next((tmp_path / "updates").glob("*.json"))),
                    "--no-build")
    assert accepted.returncode == 0, accepted.stderr
    entry = datapackage.resource("dsa-shantay-summary", package)
    assert entry["path"] == "raw/dsa/shantay-0.7.0-builtin.parquet" and entry["hash"] == f"sha256:{source['new_sha256']}"
    assert entry["producer"] | {"version": "0.7.0"} == entry["producer"] and \
        (entry["producer"]["wheel"], entry["producer"]["wheel_sha256"], entry["producer"]["member"],
         entry["producer"]["index"]) == ("shantay-0.7.0-py3-none-any.whl", hashlib.sha256(wheel).hexdigest(),
                                         "shantay/builtin.parquet", f"{mirror.url}/simple/")
    assert entry["upstream"]["version"] == "0.7.0" and entry["upstream"]["url"] == "https://pypi.org/project/shantay/0.7.0/"
    assert entry["upstream"]["held"] == {"sha256": hashlib.sha256(wheel).hexdigest(), "retrieved": report["date"],
                                         "etag": None, "last_modified": None}
    assert entry["upstream"]["days"]["period"] == SYNTHETIC_LAST_DAY and entry["accessed"] == report["date"]
    superseded = datapackage.resource(f"dsa-shantay-summary-superseded-{report['date']}", package)
    assert superseded["path"] == "raw/dsa/shantay-0.6.0-builtin.parquet"
    assert datapackage.problems(package) == []
    with datapackage.using(package):  # read as every computation reads it: its dates bounded by its provenance
        assert summary.last_day().isoformat() == SYNTHETIC_LAST_DAY
        minors = summary.daily("X", "category", "STATEMENT_CATEGORY_PROTECTION_OF_MINORS").set_index("day")
        assert int(minors.loc[SYNTHETIC_LAST_DAY, "statements"]) == 7


@pytest.mark.parametrize("problem", ["hash on the index", "RECORD", "a day after it was retrieved"])
def test_a_release_that_fails_a_check_is_reported_and_not_staged(data_copy, tmp_path, mirror, problem):
    member = _summary_release(tmp_path / "builtin.parquet", shipped_rows=10,
                              last_day="2099-01-01" if problem.startswith("a day") else SYNTHETIC_LAST_DAY)
    wheel = _wheel("0.7.0", member, record=b"other bytes" if problem == "RECORD" else None)
    _publish(mirror, "0.7.0", wheel, published_sha256="0" * 64 if problem.startswith("hash") else None)
    done = _run(data_copy, tmp_path, mirror)
    assert done.returncode == 1
    report, _ = _report(tmp_path)
    ((source,), (failure,)) = report["sources"], report["failures"]
    assert source["registers_as"] is None and failure["resource"] == "dsa-shantay-summary"
    expected = {"hash on the index": "not downloaded: pip download: ERROR: THESE PACKAGES DO NOT MATCH THE HASHES",
                "RECORD": "does not parse: ",
                "a day after it was retrieved": "does not parse: "}[problem]
    assert failure["why"].startswith(expected), failure["why"]
    if problem.startswith("hash"):
        assert f"Expected sha256 {'0' * 64}" in failure["why"]
    if problem == "RECORD":
        assert "member shantay/builtin.parquet: sha256 " in failure["why"] and ", the wheel's RECORD lists " in failure["why"]
    if problem.startswith("a day"):
        assert f"dates 2023-09-25..2099-01-01 outside 2023-09-25..{report['date']}" in failure["why"]
    assert report["claims"] == report["charts"] == []


def test_the_summary_is_bounded_by_the_last_day_its_provenance_records(data_copy):
    from analysis.dsa import summary
    from analysis.errors import DataError

    package = data_copy / "datapackage.json"
    assert summary.last_day() == summary.LAST_DAY  # the shipped file's bound is not loosened
    descriptor = json.loads(package.read_text())
    entry = next(r for r in descriptor["resources"] if r["name"] == "dsa-shantay-summary")
    entry["upstream"]["days"]["period"] = "2026-01-09"
    package.write_text(json.dumps(descriptor))
    with datapackage.using(package), pytest.raises(DataError, match=r"dates 2023-09-25\.\.2026-01-10 outside "
                                                                     r"2023-09-25\.\.2026-01-09"):
        summary.connect()
