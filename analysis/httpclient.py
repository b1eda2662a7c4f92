"""One HTTP session for every fetcher: timeouts on connect and read, bounded retries with
exponential backoff on 5xx answers and connection errors, no retry on 4xx; and
:func:`get_bounded`, which also bounds the whole download in time and size (a read timeout alone
never fires on a server that trickles one byte a second).

>>> session = make_session(retries=2)
>>> session.get_adapter("https://example.org").max_retries.status_forcelist
(500, 502, 503, 504)
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DEFAULT_TIMEOUT = (5.0, 30.0)  # seconds: (connect, read)
DEFAULT_DEADLINE = 120.0  # seconds for one whole download, body included
DEFAULT_MAX_BYTES = 20 * 2**20  # an answer larger than this is refused unread
USER_AGENT = "x-grok-child-safety-data-desk/0.1"


def make_session(retries: int = 3, backoff: float = 0.5) -> requests.Session:
    """A session that retries GETs ``retries`` times on 500/502/503/504 and connection errors,
    waiting ``backoff`` × 2ⁿ seconds between tries; 4xx answers come back at once."""
    retry = Retry(total=retries, connect=retries, read=retries, status=retries,
                  backoff_factor=backoff, status_forcelist=(500, 502, 503, 504),
                  allowed_methods=frozenset({"GET"}), raise_on_status=False,
                  respect_retry_after_header=False)
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


class DownloadLimitError(Exception):
    """The answer broke the deadline or the size cap; the message says which."""


@dataclass(frozen=True)
class Download:
    status: int
    content: bytes
    url: str  # the final URL, after any redirect
    headers: Mapping[str, str] = field(default_factory=dict)  # the answer's, any case (ETag, Last-Modified…)


def get_bounded(session: requests.Session, url: str, *, timeout=DEFAULT_TIMEOUT,
                deadline: float = DEFAULT_DEADLINE, max_bytes: int = DEFAULT_MAX_BYTES,
                headers: dict[str, str] | None = None) -> Download:
    """GET ``url`` through ``session`` (with ``headers``, e.g. a conditional GET's) and read the
    whole body within ``deadline`` seconds and ``max_bytes`` bytes, or raise
    :class:`DownloadLimitError`. The session's own exceptions (timeouts, retries spent) pass through."""
    end = time.monotonic() + deadline
    with session.get(url, timeout=timeout, stream=True, headers=headers) as response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise DownloadLimitError(f"answer of {int(declared):,} bytes, more than the "
                                     f"{max_bytes:,} allowed")
        body = bytearray()
        while chunk := _read_some(response):
            body += chunk
            if len(body) > max_bytes:
                raise DownloadLimitError(f"answer larger than the {max_bytes:,} bytes allowed")
            if time.monotonic() > end:
                raise DownloadLimitError(f"download not finished after the {deadline:g} s deadline")
        if time.monotonic() > end:
            raise DownloadLimitError(f"download not finished after the {deadline:g} s deadline")
        return Download(response.status_code, bytes(body), response.url, response.headers)


def _read_some(response: requests.Response) -> bytes:
    """What has arrived of the body (not a full buffer: the deadline is checked between reads),
    with urllib3's errors turned into the ones ``requests`` raises elsewhere."""
    try:
        return response.raw.read1(65536, decode_content=True)
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.exceptions.ReadTimeout(error) from None
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as error:
        raise requests.exceptions.ConnectionError(error) from None
