"""Hostile servers for the download path (analysis.httpclient, through `fetch apple-charts`): a
server that trickles its status line or headers (slowloris) is cut at --deadline, which bounds the
whole exchange; --deadline and --max-bytes refuse values that would switch them off; a redirect
leaves the host asked only with a refusal. Every server is local (127.0.0.1), every feed synthetic."""

import contextlib
import socket
import threading
import time

import pandas as pd
import pytest

from analysis import datapackage, httpclient
from analysis.errors import UsageError
from analysis.sources.apple import FeedError, fetch_snapshot, synthetic_payload
from conftest import run_cli


class RawServer:
    """A TCP server on 127.0.0.1 that answers each connection with ``answer(connection, server)``."""

    def __init__(self, answer):
        self.answer, self.closing, self.connections = answer, threading.Event(), 0
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.closing.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection):
        with connection, contextlib.suppress(OSError):
            connection.recv(65536)  # the request
            self.answer(connection, self)

    def trickle(self, connection, data: bytes, every: float):
        for byte in data:
            if self.closing.wait(every):
                return
            connection.sendall(bytes([byte]))

    def close(self):
        self.closing.set()
        self.socket.close()


@pytest.fixture
def raw_server():
    servers = []

    def start(answer):
        servers.append(RawServer(answer))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


ENDLESS_HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: " + b"a" * 100_000


def _fetch(url, package, *extra, country="us"):
    args = ["fetch", "apple-charts", "--base-url", url, "--out", str(package.parent / "raw" / "apple_charts"),
            "--package", str(package), "--limit", "5", "--country", country, "--backoff", "0", *extra]
    return run_cli(*args)


def _written(package):
    folder = package.parent / "raw" / "apple_charts"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("answer", [
    pytest.param(lambda c, s: s.trickle(c, ENDLESS_HEADERS, 0.05), id="headers trickled (slowloris)"),
    pytest.param(lambda c, s: s.trickle(c, b"HTTP/1.1 200 OK" * 1000, 0.05), id="status line trickled"),
    pytest.param(lambda c, s: s.closing.wait(60), id="connection accepted, never answered"),
])
def test_slow_server_is_cut_at_the_deadline(raw_server, package, answer):
    server = raw_server(answer)
    start = time.monotonic()
    # the read timeout (5 s) never fires on a byte every 50 ms; retries must not restart the clock
    result = _fetch(server.url, package, "--deadline", "0.5", "--timeout", "5", "--retries", "10")
    assert time.monotonic() - start < 3  # cut at 0.5 s, not after 0.5 s for each of 11 tries
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("error: storefront us: download not finished after the 0.5 s deadline "
                             "(connection, headers and body)\n")
    assert _written(package) == [] and datapackage.resources(package) == []


def test_deadline_bounds_any_block_of_session_calls(raw_server):
    """What the DSA fetcher (or any other) can reuse: the deadline around its own session calls."""
    server = raw_server(lambda c, s: s.trickle(c, ENDLESS_HEADERS, 0.05))
    session = httpclient.make_session(retries=0)
    with pytest.raises(httpclient.DownloadLimitError, match="after the 0.5 s deadline"):
        with httpclient.within(0.5):
            session.get(server.url + "/file", timeout=(5, 5))


@pytest.mark.parametrize("value, message", [
    ("nan", "a deadline must be a number of seconds above 0, not nan"),
    ("inf", "a deadline must be a number of seconds above 0, not inf"),
    ("0", "a deadline must be a number of seconds above 0, not 0.0"),
    ("-5", "a deadline must be a number of seconds above 0, not -5.0"),
    ("soon", "not a number of seconds: 'soon'"),
])
def test_deadline_that_would_never_fire_is_refused(package, value, message):
    result = _fetch("http://127.0.0.1:9", package, "--deadline", value)
    assert result.returncode == 2
    assert result.stderr == (f"error: python -m analysis fetch apple-charts: argument --deadline: {message} "
                             "(see python -m analysis fetch apple-charts --help)\n")


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), 0, -1.0, True])
def test_deadline_checked_in_code_too(seconds):
    with pytest.raises(UsageError, match="a deadline must be a number of seconds above 0"):
        httpclient.get_bounded(httpclient.make_session(), "http://127.0.0.1:9/", deadline=seconds)


@pytest.mark.parametrize("value, message", [
    ("0", "a size cap must be a whole number of bytes above 0, not 0"),
    ("-1", "a size cap must be a whole number of bytes above 0, not -1"),
    ("1e9", "not a whole number of bytes: '1e9'"),
])
def test_size_cap_that_would_refuse_everything_or_nothing_is_refused(package, value, message):
    result = _fetch("http://127.0.0.1:9", package, "--max-bytes", value)
    assert result.returncode == 2 and f"argument --max-bytes: {message} " in result.stderr


def test_size_cap_is_2_mib_by_default_and_settable(server, package):
    server.script["us"] = [(200, b" " * (2 * 2**20 + 1))]
    result = _fetch(server.url, package, "--retries", "0")
    assert result.stderr.splitlines()[-1] == ("error: storefront us: answer of 2,097,153 bytes, more than the "
                                              "2,097,152 allowed")  # the test server may complain before
    server.script["us"] = [(200, synthetic_payload("us", 3))]
    result = _fetch(server.url, package, "--retries", "0", "--max-bytes", "500")
    assert result.stderr.splitlines()[-1] == "error: storefront us: answer of 1,161 bytes, more than the 500 allowed"
    assert _written(package) == []


def test_endless_body_without_length_stops_at_the_size_cap(raw_server, package):
    def endless(connection, server):
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n")
        while not server.closing.is_set():
            connection.sendall(b" " * 65536)

    result = _fetch(raw_server(endless).url, package, "--retries", "0", "--max-bytes", "1000000")
    assert result.stderr == "error: storefront us: answer larger than the 1,000,000 bytes allowed\n"
    assert _written(package) == []


def _redirect_to(location):
    def answer(connection, server):
        connection.sendall(f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n"
                           "Connection: close\r\n\r\n".encode())
    return answer


@pytest.mark.parametrize("target", [
    "http://localhost:{port}/api/v2/us/apps/top-free/5/apps.json",  # same machine, another host name
    "https://127.0.0.1:{port}/api/v2/us/apps/top-free/5/apps.json",  # another scheme
    "http://127.0.0.1:1/api/v2/us/apps/top-free/5/apps.json",  # another port
    "//example.invalid/api/v2/us/apps/top-free/5/apps.json",  # scheme-relative: another host
])
def test_redirect_to_another_host_is_refused(raw_server, package, target):
    server = raw_server(lambda c, s: None)
    port = server.url.rsplit(":", 1)[1]
    server.answer = _redirect_to(target.format(port=port))
    result = _fetch(server.url, package, "--retries", "0")
    followed = target.format(port=port) if not target.startswith("//") else "http:" + target
    assert result.stderr == (f"error: storefront us: {server.url}/api/v2/us/apps/top-free/5/apps.json redirects "
                             f"to another host or scheme ({followed}): not followed; if that host is the "
                             "publisher's, ask it directly (--base-url)\n")
    assert server.connections == 1 and _written(package) == []


def test_redirect_loop_is_refused(raw_server, package):
    result = _fetch(raw_server(_redirect_to("/again")).url, package, "--retries", "0")
    assert result.stderr.startswith("error: storefront us: more than 5 redirects (last to http://127.0.0.1:")


def test_every_redirect_on_the_same_host_is_recorded(server, package):
    server.script["us"] = [("redirect", "us-1")]
    server.script["us-1"] = [("redirect", "us-2")]
    server.script["us-2"] = [(200, synthetic_payload("us", 3))]
    snapshot = fetch_snapshot(httpclient.make_session(retries=0), country="us", chart="top-free", limit=5,
                              base_url=server.url, out_dir=package.parent / "raw" / "apple_charts",
                              retrieved_at=pd.Timestamp("2026-11-27T20:00:00Z"), timeout=(1, 5), package=package)
    entry = next(r for r in datapackage.resources(package) if r["path"].endswith(snapshot.json_path.name))
    feed = server.url + "/api/v2/{}/apps/top-free/5/apps.json"
    assert entry["sources"][0]["path"] == feed.format("us-2")
    assert entry["obtained"] == (f"downloaded from {feed.format('us-2')} (redirected from {feed.format('us')} "
                                 f"then {feed.format('us-1')})")


def test_slow_server_in_code_raises_feed_error(raw_server, package):
    server = raw_server(lambda c, s: s.trickle(c, ENDLESS_HEADERS, 0.05))
    with pytest.raises(FeedError, match="^download not finished after the 0.5 s deadline"):
        fetch_snapshot(httpclient.make_session(retries=2, backoff=0), country="us", chart="top-free", limit=5,
                       base_url=server.url, out_dir=package.parent / "raw" / "apple_charts",
                       retrieved_at=pd.Timestamp("2026-11-27T20:00:00Z"), timeout=(5, 5), package=package,
                       deadline=0.5)


@pytest.mark.parametrize("answer", [
    pytest.param(lambda c, s: s.trickle(c, ENDLESS_HEADERS, 0.05), id="headers trickled (slowloris)"),
    pytest.param(lambda c, s: s.closing.wait(60), id="connection accepted, never answered"),
])
def test_dsa_fetch_is_cut_at_the_day_deadline_before_the_headers_come(raw_server, tmp_path, answer):
    """`dsa fetch`'s deadline was checked between reads of the body only: a server trickling its
    headers held a day for ever (the 5 s read timeout never fires on a byte every 50 ms). The day
    fails at its deadline, nothing written, and the next day is tried."""
    from analysis.dsa import fetch

    server = raw_server(answer)
    start = time.monotonic()
    results = fetch.fetch_days(httpclient.make_session(retries=0), ["2025-06-03", "2025-06-04"], tmp_path,
                               base_url=server.url + "/", deadline_seconds=0.5, timeout=(5, 5), attempts=1,
                               progress=False, log=lambda _: None)
    assert time.monotonic() - start < 4  # two days cut at 0.5 s each
    assert [(r.status, r.message) for r in results] == [
        ("failed", f"{server.url}/sor-global-{day}-full.zip.sha1: deadline of 0.5 s passed before the server's "
                   "headers were all received") for day in ("2025-06-03", "2025-06-04")]
    assert list(tmp_path.iterdir()) == []


def _endless(connection, server):
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nConnection: close\r\n\r\n")
    while not server.closing.is_set():
        connection.sendall(b"\0" * 65536)


def test_dsa_fetch_refuses_an_answer_of_unannounced_length_by_default(raw_server, tmp_path):
    """Issue 26: the default cap is lower than 64 GiB for what could be endless: an answer that does
    not say how long it is (the Commission's storage always does) gets nothing written at all."""
    from analysis.dsa import fetch

    server = raw_server(_endless)
    with pytest.raises(fetch.Final, match=r"/dump\.zip: the answer does not say how long it is \(no Content-Length, "
                       r"which the Commission's storage always sends\): refused, as an endless one would run to "
                       r"68,719,476,736 bytes; --max-bytes N accepts one up to N bytes"):
        fetch.download(httpclient.make_session(retries=0), server.url + "/dump.zip", tmp_path / "dump.zip",
                       "0" * 40, fetch.Deadline(60), (5, 5), attempts=1, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_dsa_fetch_cuts_an_endless_body_without_length_at_its_size_cap(raw_server, tmp_path):
    """No Content-Length to refuse up front (issue 26: 924 MB in 6 s, stopped only by the
    deadline): the body is cut once it passes the cap, long before the deadline, and no dump is
    renamed into place (the hidden partial file is what a resume would start from)."""
    from analysis.dsa import fetch

    server = raw_server(_endless)
    start = time.monotonic()
    with pytest.raises(fetch.Final, match=r"/dump\.zip: more than 1,000,000 bytes, refused"):
        fetch.download(httpclient.make_session(retries=0), server.url + "/dump.zip", tmp_path / "dump.zip",
                       "0" * 40, fetch.Deadline(60), (5, 5), max_bytes=1_000_000, attempts=1, progress=False)
    assert time.monotonic() - start < 30
    assert [p.name for p in tmp_path.iterdir()] == [".dump.zip.part"]
    assert (tmp_path / ".dump.zip.part").stat().st_size <= 1_000_000
