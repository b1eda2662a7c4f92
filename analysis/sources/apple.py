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
import functools
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
    """Validate one feed and return its tidy rows; :class:`FeedError` says what is wrong.

    The JSON is read strictly (:func:`analysis.strictjson.loads`: no ``NaN``, no number that
    overflows, no nesting past 64 levels), each result's fields must have the types Apple documents
    (``id`` a string of digits, ``name`` and ``artistName`` non-empty strings: a pandera schema, so
    ``{'x': 1}`` as a name or a list as an id is refused, not written as its text), and the tidy
    rows must pass the schema :func:`analysis.rankings.rank_history` reads snapshots with."""
    import pandas as pd  # the command line imports this module for its constants: keep it light

    from analysis import strictjson
    from analysis.errors import DataError
    from analysis.rankings import SNAPSHOT_SCHEMA
    from analysis.validate import check

    try:
        document = strictjson.loads(payload)
    except ValueError as error:
        raise FeedError(f"invalid JSON: {error}") from None
    feed = document.get("feed") if isinstance(document, dict) else None
    if feed is None:
        raise FeedError("no 'feed' object in the answer")
    if not isinstance(feed, dict):
        raise FeedError("'feed' is not an object")
    missing = [key for key in ("country", "updated", "results") if key not in feed]
    if missing:
        raise FeedError(f"feed lacks {', '.join(missing)}")
    for key in ("country", "updated"):
        if not isinstance(feed[key], str):
            raise FeedError(f"feed's {key} is {_json_type(feed[key])} ({_short(feed[key])}), not a string")
    if feed["country"].lower() != country.lower():
        raise FeedError(f"answered with storefront {feed['country']!r}, not {country!r} "
                        "(Apple serves the US chart for unknown storefronts)")
    results = feed["results"]
    if not isinstance(results, list):
        raise FeedError(f"feed's results is {_json_type(results)}, not an array")
    if not results:
        raise FeedError("empty results")
    if len(results) > limit:
        raise FeedError(f"{len(results)} results, more than the {limit} asked for")
    try:
        updated = pd.Timestamp(parsedate_to_datetime(feed["updated"])).tz_convert("UTC")
    except (TypeError, ValueError):
        raise FeedError(f"'updated' is not an RFC 1123 date: {feed['updated']!r}") from None
    for rank, result in enumerate(results, start=1):
        if not isinstance(result, dict):
            raise FeedError(f"result {rank} is {_json_type(result)}, not an object")
        absent = [field for field in RESULT_FIELDS if result.get(field) in (None, "", [], {})]
        if absent:
            raise FeedError(f"result {rank} lacks {', '.join(absent)}")
    fields = pd.DataFrame([{field: result[field] for field in RESULT_FIELDS} for result in results])
    try:
        check(fields, _result_schema(), path="feed", row_of=lambda i: int(i) + 1)
    except DataError as error:
        raise FeedError(f"result {error.row}, field {error.column}: {error.message}") from None
    stamp = updated.strftime("%Y-%m-%dT%H:%M:%SZ")
    frame = pd.DataFrame({"retrieved_at": retrieved_at, "feed_updated": stamp, "country": country.lower(),
                          "chart": chart, "rank": range(1, len(results) + 1), "app_id": fields["id"],
                          "name": fields["name"], "artist": fields["artistName"]}, columns=COLUMNS)
    try:
        check(frame.copy(), SNAPSHOT_SCHEMA, path="snapshot", row_of=lambda i: int(i) + 1)
    except DataError as error:
        raise FeedError(f"result {error.row}, column {error.column} of the snapshot: {error.message}") from None
    return frame


@functools.cache
def _result_schema():
    """What Apple documents for each result (pandera, imported only when a feed is parsed)."""
    import pandera.pandas as pa

    text = pa.Column(str, pa.Check.str_length(1, 1000))
    return pa.DataFrameSchema({"id": pa.Column(str, pa.Check.str_matches(r"^[0-9]{1,20}$")),
                               "name": text, "artistName": text}, strict=True, ordered=True)


def _json_type(value) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


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

    from analysis import httpclient
    from analysis.httpclient import DEFAULT_DEADLINE, DEFAULT_MAX_BYTES, DownloadLimitError, get_bounded

    country = storefront(country)
    requested = feed_url(base_url, country, chart, limit)
    try:
        response = get_bounded(session, requested, timeout=timeout,
                               deadline=DEFAULT_DEADLINE if deadline is None else deadline,
                               max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)
    except DownloadLimitError as error:
        raise FeedError(str(error)) from None
    except (requests.exceptions.RetryError, requests.exceptions.Timeout, requests.exceptions.ConnectionError) as error:
        how = httpclient.failure(error)
        detail = f"connect {timeout[0]} s, read {timeout[1]} s" if how == httpclient.TIMED_OUT else \
            error.__class__.__name__
        raise FeedError(f"{how} after retries ({detail})") from None
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
