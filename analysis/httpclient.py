"""One HTTP session for every fetcher: timeouts on connect and read, bounded retries with
exponential backoff on 5xx answers and connection errors, no retry on 4xx.

>>> session = make_session(retries=2)
>>> session.get_adapter("https://example.org").max_retries.status_forcelist
(500, 502, 503, 504)
"""

from __future__ import annotations

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DEFAULT_TIMEOUT = (5.0, 30.0)  # seconds: (connect, read)
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
