"""The App Store collector against a local HTTP server on 127.0.0.1 (no test touches the internet)."""

import json

import pandas as pd
import pytest

from analysis import datapackage
from analysis.sources.apple import FeedError, parse_feed, synthetic_payload
from conftest import run_cli


def _fetch(server, package, *countries, extra=()):
    """The command, run in this process: its exit code and what it printed."""
    args = ["fetch", "apple-charts", "--base-url", server.url, "--out", str(package.parent / "raw" / "apple_charts"),
            "--package", str(package), "--limit", "5", "--timeout", "1", "--backoff", "0", *extra]
    for country in countries:
        args += ["--country", country]
    return run_cli(*args)


def _written(package):
    return sorted(p.name for p in (package.parent / "raw" / "apple_charts").glob("*")
                  if not p.name.startswith(".")) if (package.parent / "raw" / "apple_charts").exists() else []


def test_snapshot_written_and_registered(server, package):
    server.script["us"] = [(200, synthetic_payload("us", 3))]
    result = _fetch(server, package, "us")
    assert result.returncode == 0, result.stderr
    files = _written(package)
    assert len(files) == 2 and files[0].endswith("-us-top-free.csv") and files[1].endswith(".json")
    csv = pd.read_csv(package.parent / "raw" / "apple_charts" / files[0], dtype={"app_id": str})
    assert list(csv.columns) == ["retrieved_at", "feed_updated", "country", "chart", "rank", "app_id", "name", "artist"]
    assert csv["rank"].tolist() == [1, 2, 3] and csv["app_id"].tolist() == ["1001", "1002", "1003"]
    assert csv["feed_updated"].iloc[0] == "2026-11-27T20:00:00Z"
    raw = (package.parent / "raw" / "apple_charts" / files[1]).read_bytes()
    assert raw == synthetic_payload("us", 3)  # exactly as received
    assert datapackage.problems(package) == []
    assert {r["path"] for r in datapackage.resources(package)} == {f"raw/apple_charts/{f}" for f in files}


def test_500_then_200_is_retried(server, package):
    server.script["fr"] = [(500, b"oops"), (503, b"busy"), (200, synthetic_payload("fr", 2))]
    result = _fetch(server, package, "fr")
    assert result.returncode == 0, result.stderr
    assert server.hits["fr"] == 3


def test_404_is_not_retried(server, package):
    result = _fetch(server, package, "zz")
    assert result.returncode == 1
    assert "storefront zz: HTTP 404" in result.stderr
    assert server.hits["zz"] == 1 and _written(package) == []


def test_persistent_500_fails_after_bounded_retries(server, package):
    server.script["de"] = [(500, b"down")]
    result = _fetch(server, package, "de", extra=("--retries", "2"))
    assert result.returncode == 1 and "storefront de: server errors after retries" in result.stderr
    assert server.hits["de"] == 3 and _written(package) == []


def test_timeout(server, package):
    server.script["jp"] = [("sleep", 3)]
    result = _fetch(server, package, "jp", extra=("--retries", "0", "--timeout", "0.3"))
    assert result.returncode == 1 and "storefront jp: timed out" in result.stderr
    assert _written(package) == []


@pytest.mark.parametrize("body, reason", [
    (b"{not json", "invalid JSON"),
    (synthetic_payload("us", 3), "answered with storefront 'us', not 'gb'"),
    (json.dumps({"feed": {"country": "gb", "updated": "Fri, 27 Nov 2026 20:00:00 +0000", "results": []}}).encode(), "empty results"),
    (synthetic_payload("gb", 9), "9 results, more than the 5 asked for"),
    (b'{"something": 1}', "no 'feed' object"),
])
def test_bad_answers_write_nothing_for_that_storefront_only(server, package, body, reason):
    server.script["gb"] = [(200, body)]
    server.script["us"] = [(200, synthetic_payload("us", 2))]
    result = _fetch(server, package, "gb", "us")
    assert result.returncode == 1
    assert f"storefront gb: {reason}" in result.stderr
    files = _written(package)
    assert len(files) == 2 and all("-us-" in f for f in files)  # the other storefront still succeeds


def test_result_without_name_is_refused():
    payload = json.loads(synthetic_payload("us", 2))
    del payload["feed"]["results"][1]["name"]
    with pytest.raises(FeedError, match="result 2 lacks name"):
        parse_feed(json.dumps(payload), country="us", chart="top-free", limit=5, retrieved_at="x")


def test_bad_updated_date_is_refused():
    payload = json.loads(synthetic_payload("us", 2, updated="yesterday"))
    with pytest.raises(FeedError, match="not an RFC 1123 date"):
        parse_feed(json.dumps(payload), country="us", chart="top-free", limit=5, retrieved_at="x")


def _fetch_in_process(server, package, country, **limits):
    from analysis.httpclient import make_session
    from analysis.sources.apple import fetch_snapshot

    return fetch_snapshot(make_session(retries=0, backoff=0), country=country, chart="top-free",
                          limit=5, base_url=server.url, out_dir=package.parent / "raw" / "apple_charts",
                          retrieved_at=pd.Timestamp("2026-11-27T20:00:00Z"), timeout=(1, 5),
                          package=package, **limits)


def test_trickling_server_is_cut_off_at_the_deadline(server, package):
    import time

    server.script["us"] = [("trickle", 0.1)]  # a byte every 100 ms: the read timeout never fires
    start = time.monotonic()
    with pytest.raises(FeedError, match="not finished after the 0.5 s deadline"):
        _fetch_in_process(server, package, "us", deadline=0.5)
    assert time.monotonic() - start < 3 and _written(package) == []


def test_answer_over_the_size_cap_is_refused(server, package):
    server.script["us"] = [(200, synthetic_payload("us", 3))]
    with pytest.raises(FeedError, match="answer of .* bytes, more than the 100 allowed"):
        _fetch_in_process(server, package, "us", max_bytes=100)
    assert _written(package) == []


def test_provenance_records_the_url_after_redirects(server, package):
    server.script["us"] = [("redirect", "us-mirror")]
    server.script["us-mirror"] = [(200, synthetic_payload("us", 3))]
    snapshot = _fetch_in_process(server, package, "us")
    entry = next(r for r in datapackage.resources(package) if r["path"].endswith(snapshot.json_path.name))
    assert entry["sources"][0]["path"] == f"{server.url}/api/v2/us-mirror/apps/top-free/5/apps.json"
    assert entry["obtained"].endswith(f"(redirected from {server.url}/api/v2/us/apps/top-free/5/apps.json)")
