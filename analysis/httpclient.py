"""One HTTP session for every fetcher: timeouts on connect and read, bounded retries with
exponential backoff on 5xx answers and connection errors, no retry on 4xx; and
:func:`get_bounded`, which also bounds the whole exchange in time and size.

A read timeout alone never fires on a server that trickles one byte a second, in its headers
(slowloris) or its body: inside :func:`within`, every connection the session opens or reuses is
watched, and at the deadline its socket is shut down, whatever the exchange is doing (connecting,
sending, reading headers, reading the body, waiting to retry). Retries stop at the deadline too.

>>> session = make_session(retries=2)
>>> session.get_adapter("https://example.org").max_retries.status_forcelist
(500, 502, 503, 504)
>>> check_deadline(float("nan"))
Traceback (most recent call last):
...
analysis.errors.UsageError: a deadline must be a number of seconds above 0, not nan
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import socket
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError
from urllib3.util.retry import Retry

from analysis.errors import UsageError

DEFAULT_TIMEOUT = (5.0, 30.0)  # seconds: (connect, read)
DEFAULT_DEADLINE = 120.0  # seconds for one whole exchange: connect, headers, body, retries
DEFAULT_MAX_BYTES = 2 * 2**20  # an answer larger than this is refused (a 100-app feed is tens of kB)
MAX_REDIRECTS = 5
USER_AGENT = "x-grok-child-safety-data-desk/0.1"


class DownloadLimitError(Exception):
    """The answer broke the deadline, the size cap or the redirect rule; the message says which."""


def check_deadline(seconds: float) -> float:
    """``seconds`` if it is a usable deadline: a finite number above 0. ``nan`` compares false
    with everything, so a deadline of ``nan`` would silently never fire: refused, as is ``inf``."""
    if isinstance(seconds, bool) or not (isinstance(seconds, (int, float)) and math.isfinite(seconds) and seconds > 0):
        raise UsageError(f"a deadline must be a number of seconds above 0, not {seconds}")
    return float(seconds)


def check_max_bytes(count: int) -> int:
    """``count`` if it is a usable size cap: a whole number of bytes above 0."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise UsageError(f"a size cap must be a whole number of bytes above 0, not {count}")
    return count


class Exchange:
    """The sockets of one bounded exchange, shut down together when its deadline passes."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def watch(self, sock: socket.socket | None) -> None:
        """Cut ``sock`` at the deadline (at once if it has passed)."""
        if sock is None:
            return
        with self._lock:
            if self.expired:
                _cut(sock)
            else:
                self._sockets.add(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in list(self._sockets):
                _cut(sock)

    def close(self) -> None:
        self._timer.cancel()

    def error(self) -> DownloadLimitError:
        return DownloadLimitError(f"download not finished after the {self.seconds:g} s deadline "
                                  "(connection, headers and body)")


def _cut(sock: socket.socket) -> None:
    """A read blocked on ``sock`` in another thread returns at once (end of file)."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


_current: contextvars.ContextVar[Exchange | None] = contextvars.ContextVar("exchange", default=None)


@contextlib.contextmanager
def within(seconds: float) -> Iterator[Exchange]:
    """Everything the block does through a session of :func:`make_session` ends within ``seconds``:
    past it, the block's connections are cut and :class:`DownloadLimitError` is raised, whatever
    exception the cut caused."""
    exchange = Exchange(check_deadline(seconds))
    token = _current.set(exchange)
    try:
        yield exchange
    except Exception:
        if exchange.expired or exchange.remaining() <= 0:
            raise exchange.error() from None
        raise
    finally:
        _current.reset(token)
        exchange.close()
    if exchange.expired:  # a cut body can look complete (end of file, no Content-Length)
        raise exchange.error()


class _WatchedConnection(HTTPConnection):
    """A connection whose sockets the current :class:`Exchange` watches; it connects only within
    the time left."""

    def _new_conn(self) -> socket.socket:
        exchange = _current.get()
        if exchange is not None:
            left = exchange.remaining()
            if left <= 0:
                raise ConnectTimeoutError(self, "the exchange's deadline has passed")
            self.timeout = left if self.timeout is None else min(self.timeout, left)
        sock = super()._new_conn()
        if exchange is not None:
            exchange.watch(sock)
        return sock

    def getresponse(self):
        exchange = _current.get()
        if exchange is not None:
            exchange.watch(self.sock)  # a reused connection, or the TLS socket over the raw one
        return super().getresponse()


class _WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _WatchedPool(HTTPConnectionPool):
    ConnectionCls = _WatchedConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedPool, "https": _WatchedHTTPSPool}


class _Retry(Retry):
    """urllib3's retries, which give up at the current exchange's deadline and never sleep past it."""

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        exchange = _current.get()
        if exchange is not None and (exchange.expired or exchange.remaining() <= 0):
            raise MaxRetryError(_pool, url, error) from error
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def get_backoff_time(self) -> float:
        exchange = _current.get()
        wait = super().get_backoff_time()
        return wait if exchange is None else max(0.0, min(wait, exchange.remaining()))


def make_session(retries: int = 3, backoff: float = 0.5) -> requests.Session:
    """A session that retries GETs ``retries`` times on 500/502/503/504 and connection errors,
    waiting ``backoff`` × 2ⁿ seconds between tries; 4xx answers come back at once. Inside
    :func:`within`, its connections are cut at the deadline."""
    retry = _Retry(total=retries, connect=retries, read=retries, status=retries,
                   backoff_factor=backoff, status_forcelist=(500, 502, 503, 504),
                   allowed_methods=frozenset({"GET"}), raise_on_status=False,
                   respect_retry_after_header=False)
    session = requests.Session()
    adapter = _WatchedAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


@dataclass(frozen=True)
class Download:
    status: int
    content: bytes
    url: str  # the final URL, after any redirect
    redirected_from: tuple[str, ...] = ()  # every URL asked before it, in order
    headers: Mapping[str, str] = field(default_factory=dict)  # the answer's, any case (ETag, Last-Modified…)


def get_bounded(session: requests.Session, url: str, *, timeout=DEFAULT_TIMEOUT,
                deadline: float = DEFAULT_DEADLINE, max_bytes: int = DEFAULT_MAX_BYTES,
                headers: dict[str, str] | None = None) -> Download:
    """GET ``url`` through ``session`` (from :func:`make_session`; with ``headers``, e.g. a
    conditional GET's) and read the whole answer within
    ``deadline`` seconds (connection, headers, body, retries and redirects included) and
    ``max_bytes`` bytes, or raise :class:`DownloadLimitError`. Redirects are followed on the same
    host only (scheme and port included), at most :data:`MAX_REDIRECTS`, and recorded in
    ``redirected_from``: bytes from another host than the one asked would be published under the
    wrong provenance. The session's own exceptions (timeouts, retries spent) pass through
    (:func:`failure` says which in words)."""
    max_bytes = check_max_bytes(max_bytes)
    return _exchange(session, url, timeout, deadline, headers, lambda response: _read_body(response, max_bytes))


def status_bounded(session: requests.Session, url: str, *, timeout=DEFAULT_TIMEOUT,
                   deadline: float = DEFAULT_DEADLINE) -> Download:
    """The answer to a GET of ``url`` as :func:`get_bounded` gets it (deadline, redirects on the same
    host only), without reading its body (``content`` empty): whether a large file is out."""
    return _exchange(session, url, timeout, deadline, None, lambda response: b"")


def _exchange(session, url, timeout, deadline, headers, read) -> Download:
    visited: list[str] = []
    with within(deadline):
        while True:
            with session.get(url, timeout=timeout, stream=True, allow_redirects=False,
                             headers=headers) as response:
                location = response.headers.get("Location")
                if response.is_redirect and location:
                    visited.append(url)
                    url = _redirect_target(url, location, len(visited))
                    continue
                return Download(response.status_code, read(response), url, tuple(visited), response.headers)


TIMED_OUT, SERVER_ERRORS, CONNECTION_FAILED = "timed out", "server errors", "connection failed"


def failure(error: requests.RequestException) -> str:
    """How a request of a :func:`make_session` session failed, once its retries were spent:
    :data:`TIMED_OUT`, :data:`SERVER_ERRORS` (5xx answers) or :data:`CONNECTION_FAILED`."""
    if isinstance(error, requests.exceptions.RetryError):
        return SERVER_ERRORS
    # once retries are spent, urllib3 wraps a read timeout in a ConnectionError
    reason = getattr(error.args[0], "reason", None) if error.args else None
    if isinstance(error, requests.Timeout) or isinstance(reason, urllib3.exceptions.TimeoutError):
        return TIMED_OUT
    return CONNECTION_FAILED


def _redirect_target(asked: str, location: str, count: int) -> str:
    """Where a redirect from ``asked`` leads, if we follow it."""
    target = urljoin(asked, location)
    before, after = urlsplit(asked), urlsplit(target)
    if (after.scheme, after.netloc.lower()) != (before.scheme, before.netloc.lower()):
        raise DownloadLimitError(f"{asked} redirects to another host or scheme ({target}): not followed; "
                                 "if that host is the publisher's, ask it directly (--base-url)")
    if count > MAX_REDIRECTS:
        raise DownloadLimitError(f"more than {MAX_REDIRECTS} redirects (last to {target})")
    return target


def _read_body(response: requests.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise DownloadLimitError(f"answer of {int(declared):,} bytes, more than the {max_bytes:,} allowed")
    body = bytearray()
    while chunk := _read_some(response):
        body += chunk
        if len(body) > max_bytes:
            raise DownloadLimitError(f"answer larger than the {max_bytes:,} bytes allowed")
    return bytes(body)


def _read_some(response: requests.Response) -> bytes:
    """What has arrived of the body (not a full buffer), with urllib3's errors turned into the
    ones ``requests`` raises elsewhere."""
    try:
        return response.raw.read1(65536, decode_content=True)
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.exceptions.ReadTimeout(error) from None
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as error:
        raise requests.exceptions.ConnectionError(error) from None
