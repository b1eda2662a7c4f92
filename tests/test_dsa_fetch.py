"""``dsa fetch`` against a copy of the Commission's bucket on 127.0.0.1: resume after a dropped
connection (HTTP Range), a wrong SHA-1 (refused, nothing left), a day that is not published (404),
a server that trickles (deadline), and fetch → ingest → discard end to end. The dumps served are
synthetic (generated here) and a real slice (data/raw/dsa/) packed as its day."""

import hashlib
import subprocess
import sys
import time

import pytest
from test_dsa_dumps import REAL_2025, real_dump

from analysis import cli
from analysis.dsa import fetch, query, synth
from analysis.errors import UsageError
from analysis.httpclient import make_session
from conftest import LoopbackServer

DAY, NEXT, MISSING = "2025-06-03", "2025-06-04", "2025-06-05"


class Bucket(LoopbackServer):
    """Serves ``/NAME`` from ``files`` with HTTP Range support, and misbehaves on request:
    ``drop[NAME] = n`` closes the connection after n bytes (once), ``trickle[NAME] = s`` sends one
    byte every s seconds, ``publish(..., sha1=...)`` serves a wrong digest."""

    protocol_version = "HTTP/1.1"

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.drop: dict[str, int] = {}
        self.trickle: dict[str, float] = {}
        self.redirect: dict[str, str] = {}  # NAME → the URL it redirects to
        self.content_range: dict[str, str] = {}  # NAME → the Content-Range a 206 answers with
        self.ranges: list[tuple[str, str | None]] = []  # (name, Range header) of each GET
        super().__init__()
        self.url += "/"

    def answer(self, request):
        name = request.path.lstrip("/")
        if name in self.redirect:
            request.send_response(302)
            request.send_header("Location", self.redirect[name])
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        data = self.files.get(name)
        if data is None:
            request.send_error(404)
            return
        start = 0
        requested = request.headers.get("Range")
        self.ranges.append((name, requested))
        if requested:
            start = int(requested.removeprefix("bytes=").split("-")[0])
            request.send_response(206)
            request.send_header("Content-Range", self.content_range.pop(
                name, f"bytes {start}-{len(data) - 1}/{len(data)}"))
        else:
            request.send_response(200)
        request.send_header("Content-Length", str(len(data) - start))
        request.end_headers()
        body = data[start:]
        if name in self.drop:
            request.wfile.write(body[:self.drop.pop(name)])
            request.wfile.flush()
            request.close_connection = True
            request.connection.shutdown(2)
            return
        if name in self.trickle:
            for byte in body:
                request.wfile.write(bytes([byte]))
                request.wfile.flush()
                time.sleep(self.trickle[name])
            return
        request.wfile.write(body)

    def publish(self, path, name=None, sha1=None):
        data = path.read_bytes()
        name = name or path.name
        self.files[name] = data
        self.files[name + ".sha1"] = f"{sha1 or hashlib.sha1(data).hexdigest()}  {name}\n".encode()
        return data


@pytest.fixture
def bucket():
    server = Bucket()
    yield server
    server.close()


@pytest.fixture(scope="module")
def dumps(tmp_path_factory):
    root = tmp_path_factory.mktemp("bucket")
    return {day: synth.synth_dump(day, 10_000, root / day) for day in (DAY, NEXT)}


def _fetch(bucket, out, days, **options):
    options.setdefault("log", lambda _: None)
    return fetch.fetch_days(make_session(retries=1, backoff=0.01), days, out, base_url=bucket.url,
                            progress=False, backoff=0.01, **options)


def test_resumes_after_a_dropped_connection(bucket, dumps, tmp_path):
    name = f"sor-global-{DAY}-full.zip"
    data = bucket.publish(dumps[DAY], name)
    bucket.drop[name] = len(data) // 3
    lines = []
    [result] = _fetch(bucket, tmp_path, [DAY], log=lines.append)
    assert result.status == "fetched"
    assert (tmp_path / name).read_bytes() == data
    assert bucket.ranges[-1] == (name, f"bytes={len(data) // 3}-")  # the second request asked for the rest
    assert any("connection" in line and "resuming" in line for line in lines), lines
    assert sorted(p.name for p in tmp_path.iterdir()) == [name, name + ".sha1"]


def test_wrong_sha1_is_refused_and_nothing_is_left(bucket, dumps, tmp_path):
    name = f"sor-global-{DAY}-full.zip"
    bucket.publish(dumps[DAY], name, sha1="0" * 40)
    [result] = _fetch(bucket, tmp_path, [DAY])
    assert result.status == "failed" and "differs from the published 0000" in result.message
    assert list(tmp_path.iterdir()) == []


def test_missing_day_is_reported_and_the_others_go_on(bucket, dumps, tmp_path):
    for day in (DAY, NEXT):
        bucket.publish(dumps[day], f"sor-global-{day}-full.zip")
    results = _fetch(bucket, tmp_path, fetch.days_between(DAY, MISSING))
    assert [(r.day, r.status) for r in results] == [(DAY, "fetched"), (NEXT, "fetched"), (MISSING, "missing")]
    assert "404" in results[2].message


def test_a_trickling_server_meets_the_deadline(bucket, dumps, tmp_path):
    name = f"sor-global-{DAY}-full.zip"
    bucket.publish(dumps[DAY], name)
    bucket.publish(dumps[NEXT], f"sor-global-{NEXT}-full.zip")
    bucket.trickle[name] = 0.05  # a byte every 50 ms: hours for the whole dump
    started = time.monotonic()
    results = _fetch(bucket, tmp_path, [DAY, NEXT], deadline_seconds=1.5)
    assert time.monotonic() - started < 10
    assert [(r.status, "deadline of 1.5 s passed" in r.message) for r in results] == [("failed", True),
                                                                                      ("fetched", False)]
    assert not (tmp_path / name).exists()


def test_a_response_above_the_size_cap_is_cut_off(bucket, dumps, tmp_path):
    bucket.publish(dumps[DAY], f"sor-global-{DAY}-full.zip")
    [result] = _fetch(bucket, tmp_path, [DAY], max_bytes=1000)
    assert result.status == "failed" and "above the limit of 1,000" in result.message


def test_a_verified_dump_already_there_is_kept(bucket, dumps, tmp_path):
    name = f"sor-global-{DAY}-full.zip"
    bucket.publish(dumps[DAY], name)
    assert _fetch(bucket, tmp_path, [DAY])[0].status == "fetched"
    assert _fetch(bucket, tmp_path, [DAY])[0].status == "present"
    assert [n for n, _ in bucket.ranges] == [name + ".sha1", name, name + ".sha1"]  # no second download


@pytest.mark.parametrize("first, last, message", [("2025-06-05", "2025-06-03", "before"),
                                                  ("2025-13-01", "2025-06-03", "calendar days"),
                                                  ("2000-01-01", "2025-01-01", "at most")])
def test_impossible_ranges_are_refused(first, last, message):
    with pytest.raises(UsageError, match=message):
        fetch.days_between(first, last)


def test_discard_needs_ingest(bucket, tmp_path):
    with pytest.raises(UsageError, match="needs --ingest"):
        _fetch(bucket, tmp_path, [DAY], discard=True)


def test_cli_fetch_ingest_discard_end_to_end(bucket, dumps, tmp_path):
    """A loopback copy of the bucket: two synthetic days, a real day, and a day not published."""
    for day in (DAY, NEXT):
        bucket.publish(dumps[day], f"sor-global-{day}-full.zip")
    bucket.publish(real_dump(tmp_path, REAL_2025, "2025-07-01"))
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "analysis", "dsa", "fetch", "--base-url", bucket.url, "--out", str(tmp_path / "dl"),
         "--ingest", str(tmp_path / "pq"), "--discard", "--backoff", "0.01", *args],
        capture_output=True, text=True)
    result = run("--from", DAY, "--to", "2025-06-05")
    assert result.returncode == 1, result.stderr  # one day missing
    assert "2 of 3 days done; missing: 2025-06-05" in result.stdout
    assert list((tmp_path / "dl").iterdir()) == []  # discarded once ingested
    table = query.query_duckdb(tmp_path / "pq", by="day")
    assert table["statements"].tolist() == [synth.expected(10_000)["x_minors"]] * 2
    result = run("--from", "2025-07-01", "--to", "2025-07-01", "--platform", "all")
    assert result.returncode == 0, result.stderr
    assert query.ingested_days(tmp_path / "pq")["synthetic"].tolist() == [True, True, False]


def test_yesterday_is_the_utc_day_before():
    from datetime import UTC, datetime, timedelta, timezone
    late_in_paris = datetime(2025, 6, 4, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # 22:30 UTC on the 3rd
    assert fetch.yesterday(late_in_paris) == "2025-06-02"
    assert fetch.yesterday(datetime(2025, 1, 1, 12, tzinfo=UTC)) == "2024-12-31"


def test_cli_fetch_without_dates_fetches_yesterday_and_says_so(bucket, dumps, tmp_path, monkeypatch, capsys):
    bucket.publish(dumps[DAY], f"sor-global-{DAY}-full.zip")
    monkeypatch.setattr(fetch, "yesterday", lambda: DAY)
    assert cli.main(["dsa", "fetch", "--base-url", bucket.url, "--out", str(tmp_path), "--backoff", "0.01"]) == 0
    captured = capsys.readouterr()
    assert f"no --from/--to: fetching yesterday's dump (UTC), {DAY}, full, into {tmp_path}" in captured.err
    assert "1 of 1 days done" in captured.out and (tmp_path / f"sor-global-{DAY}-full.zip").exists()


@pytest.mark.parametrize("dates, days", [(["--from", DAY, "--to", NEXT], [DAY, NEXT]), (["--from", DAY], [DAY]),
                                         (["--to", NEXT], [NEXT])])
def test_either_end_of_the_range_alone_is_one_day(dates, days):
    assert cli._days(cli.build_parser().parse_args(["dsa", "fetch", *dates])) == days
