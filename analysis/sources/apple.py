"""Apple App Store top charts (Marketing Tools RSS v2): fetch, validate, snapshot.

Apple serves only the current chart, so we keep snapshots: for each storefront, the JSON exactly
as received and a tidy CSV (``retrieved_at, feed_updated, country, chart, rank, app_id, name,
artist``; rank is the position in ``results``, from 1), both registered in the data package
with their sha256. A storefront whose answer is wrong in any way gets nothing written.

>>> parse_feed(synthetic_payload("fr", 2), country="fr", chart="top-free", limit=2,
...            retrieved_at="2026-11-27T20:00:00Z")[["rank", "name", "country"]].values.tolist()
[[1, 'Example app 1', 'fr'], [2, 'Example app 2', 'fr']]
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import datapackage
from analysis.errors import UsageError
from analysis.files import atomic_write

if TYPE_CHECKING:
    import pandas as pd
    import requests

BASE_URL = "https://rss.applemarketingtools.com"
CHARTS = ("top-free", "top-paid")
COLUMNS = ["retrieved_at", "feed_updated", "country", "chart", "rank", "app_id", "name", "artist"]
RESULT_FIELDS = ("id", "name", "artistName")


class FeedError(Exception):
    """A storefront's answer cannot be used; the message says why."""


def storefront(country: str) -> str:
    """A storefront as Apple's paths name it: an ISO 3166 alpha-2 code, two ASCII letters, in lower
    case. Anything else (``usa``, ``../x``, ``u%73``, a non-ASCII letter) is refused before any request:
    it would become part of the URL's path.

    >>> storefront("FR")
    'fr'
    """
    if not (isinstance(country, str) and re.fullmatch(r"[A-Za-z]{2}", country)):
        raise UsageError(f"--country {country!r} is not a storefront: give its ISO 3166 alpha-2 code, "
                         "two letters such as us or fr")
    return country.lower()


def feed_url(base_url: str, country: str, chart: str, limit: int) -> str:
    return f"{base_url.rstrip('/')}/api/v2/{country}/apps/{chart}/{limit}/apps.json"


def parse_feed(payload: bytes | str, *, country: str, chart: str, limit: int,
               retrieved_at: str) -> pd.DataFrame:
    """Validate one feed and return its tidy rows; :class:`FeedError` says what is wrong."""
    import pandas as pd  # the command line imports this module for its constants: keep it light

    try:
        feed = json.loads(payload)["feed"]
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FeedError(f"invalid JSON ({error})") from None
    except (KeyError, TypeError):
        raise FeedError("no 'feed' object in the answer") from None
    if not isinstance(feed, dict):
        raise FeedError("'feed' is not an object")
    missing = [key for key in ("country", "updated", "results") if key not in feed]
    if missing:
        raise FeedError(f"feed lacks {', '.join(missing)}")
    if str(feed["country"]).lower() != country.lower():
        raise FeedError(f"answered with storefront {feed['country']!r}, not {country!r} "
                        "(Apple serves the US chart for unknown storefronts)")
    results = feed["results"]
    if not isinstance(results, list) or not results:
        raise FeedError("empty results")
    if len(results) > limit:
        raise FeedError(f"{len(results)} results, more than the {limit} asked for")
    try:
        updated = pd.Timestamp(parsedate_to_datetime(feed["updated"])).tz_convert("UTC")
    except (TypeError, ValueError):
        raise FeedError(f"'updated' is not an RFC 1123 date: {feed['updated']!r}") from None
    rows = []
    for rank, result in enumerate(results, start=1):
        absent = [field for field in RESULT_FIELDS if not isinstance(result, dict) or not result.get(field)]
        if absent:
            raise FeedError(f"result {rank} lacks {', '.join(absent)}")
        rows.append((retrieved_at, updated.strftime("%Y-%m-%dT%H:%M:%SZ"), country.lower(), chart, rank, str(result["id"]),
                     result["name"], result["artistName"]))
    return pd.DataFrame(rows, columns=COLUMNS)


@dataclass(frozen=True)
class Snapshot:
    country: str
    json_path: Path
    csv_path: Path
    rows: int
    registered: bool = True  # False: written outside the data package's folder, not registered


def fetch_snapshot(session: requests.Session, *, country: str, chart: str, limit: int,
                   base_url: str, out_dir: Path, retrieved_at: pd.Timestamp,
                   timeout: tuple[float, float], package: Path | None = None,
                   deadline: float | None = None, max_bytes: int | None = None) -> Snapshot:
    """Fetch, validate and write one storefront's snapshot; raise :class:`FeedError` on failure
    (having written nothing for it). The whole exchange (connection, headers, body) must end
    within ``deadline`` seconds and ``max_bytes`` (``None``: :mod:`analysis.httpclient`'s
    defaults); a redirect is followed on the same host only, and provenance records the URL that
    answered and every URL before it. Files written outside the folder of the data package are
    not registered in it (``registered`` is then False); ``country`` must be a storefront
    (:func:`storefront`)."""
    import requests  # imported here: the command line reads this module's constants at start
    import urllib3

    from analysis.httpclient import DEFAULT_DEADLINE, DEFAULT_MAX_BYTES, DownloadLimitError, get_bounded

    country = storefront(country)
    requested = feed_url(base_url, country, chart, limit)
    try:
        response = get_bounded(session, requested, timeout=timeout,
                               deadline=DEFAULT_DEADLINE if deadline is None else deadline,
                               max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)
    except DownloadLimitError as error:
        raise FeedError(str(error)) from None
    except requests.exceptions.RetryError as error:
        raise FeedError(f"server errors after retries ({error.__class__.__name__})") from None
    except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as error:
        # once retries are spent, urllib3 wraps a read timeout in a ConnectionError
        reason = getattr(error.args[0], "reason", None) if error.args else None
        if isinstance(error, requests.exceptions.Timeout) or isinstance(reason, urllib3.exceptions.TimeoutError):
            raise FeedError(f"timed out after retries (connect {timeout[0]} s, read {timeout[1]} s)") from None
        raise FeedError(f"connection failed after retries ({error.__class__.__name__})") from None
    url, hops = response.url, response.redirected_from
    if response.status >= 500:  # the session already retried these
        raise FeedError(f"server errors after retries (HTTP {response.status} from {url})")
    if response.status != 200:
        raise FeedError(f"HTTP {response.status} from {url}")
    stamp = retrieved_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    frame = parse_feed(response.content, country=country, chart=chart, limit=limit, retrieved_at=stamp)
    stem = f"{retrieved_at.strftime('%Y-%m-%dT%H%M%SZ')}-{country.lower()}-{chart}"
    json_path, csv_path = Path(out_dir) / f"{stem}.json", Path(out_dir) / f"{stem}.csv"
    package = Path(package or datapackage.active())
    registered = Path(out_dir).resolve().is_relative_to(package.parent.resolve())
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    # under the package's lock: a concurrent run (a cron job and a reporter) neither loses its
    # registration nor overwrites a snapshot of the same second
    with datapackage.locked(package) if registered else contextlib.nullcontext():
        existing = [path.name for path in (json_path, csv_path) if path.exists() or path.is_symlink()]
        if existing:
            raise FeedError(f"{', '.join(existing)} exists already in {out_dir} (another run in the same "
                            "second?): nothing written; run again")
        try:
            with atomic_write(json_path) as handle:
                handle.write(response.content)  # exactly as received
            with atomic_write(csv_path, "w", encoding="utf-8", newline="") as handle:
                handle.write(buffer.getvalue())
            if registered:
                _register(json_path, csv_path, stem=stem, url=url, hops=hops, country=country, chart=chart,
                          retrieved_at=retrieved_at, package=package)
        except BaseException:  # both files and both resources, or nothing
            for path in (json_path, csv_path):
                path.unlink(missing_ok=True)
            raise
    return Snapshot(country, json_path, csv_path, len(frame), registered=registered)


def _register(json_path: Path, csv_path: Path, *, stem: str, url: str, hops: tuple[str, ...], country: str,
              chart: str, retrieved_at: pd.Timestamp, package: Path) -> None:
    """Both files of a snapshot in the data package, in one rewrite of it."""
    stamp = retrieved_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    common = dict(sources=[{"title": f"Apple Marketing Tools RSS, {chart}, storefront {country}",
                            "path": url, "publisher": "Apple"}],
                  licenses=[{"name": "Apple-Marketing-Tools", "title": "Apple Marketing Tools terms"}],
                  accessed=retrieved_at.strftime("%Y-%m-%d"))
    datapackage.register_all([
        dict(path=json_path, name=f"apple-chart-{stem.lower()}-json",
             title=f"App Store {chart}, {country}, as received {stamp}", mediatype="application/json",
             obtained=f"downloaded from {url}" + (f" (redirected from {' then '.join(hops)})" if hops else ""),
             **common),
        dict(path=csv_path, name=f"apple-chart-{stem.lower()}",
             title=f"App Store {chart}, {country}, {stamp}: one row per rank", mediatype="text/csv",
             kind="apple-chart-snapshot", obtained=f"parsed by analysis.sources.apple from {json_path.name}",
             **common),
    ], package)


def synthetic_payload(country: str, count: int, updated: str = "Fri, 27 Nov 2026 20:00:00 +0000") -> bytes:
    """A synthetic feed in Apple's documented layout, for doctests and test servers."""
    results = [{"artistName": f"Example developer {i}", "id": str(1000 + i), "name": f"Example app {i}",
                "releaseDate": "2024-01-01", "kind": "apps", "artworkUrl100": "https://example.invalid/a.png",
                "genres": [{"genreId": "6000", "name": "Business", "url": "https://example.invalid/g"}],
                "url": f"https://example.invalid/app/{i}"} for i in range(1, count + 1)]
    feed = {"title": "Top Free Apps (synthetic)", "id": "synthetic", "author": {"name": "Apple", "url": ""},
            "links": [{"self": "synthetic"}], "copyright": "synthetic", "country": country,
            "icon": "", "updated": updated, "results": results}
    return json.dumps({"feed": feed}).encode()
