"""Daily dumps from the Commission's bucket: download, verify, resume, and optionally ingest.

For each day, :func:`fetch_day` reads ``sor-global-YYYY-MM-DD-{full|light}.zip.sha1`` (a few bytes,
capped), then the zip into a hidden ``.NAME.part`` beside its final place, resuming with an HTTP
``Range`` request after a dropped connection (retried with exponential backoff; 5xx answers are
retried by the session itself, :mod:`analysis.httpclient`). The SHA-1 is checked before anything
else reads the file: a mismatch deletes it and the day fails; only a verified dump is renamed into
place (atomic), with its ``.sha1`` beside it. Every day has a deadline, checked between reads that
each return as soon as any bytes arrive, so a server that trickles cannot hold a day forever; a
response larger than ``max_bytes`` is cut off, and one that does not announce its length is refused
unless a ``max_bytes`` is given (the Commission's storage announces every dump's). A day that is not
published (404) is reported and the others go on. With ``ingest_to`` each verified day goes straight into
:func:`analysis.dsa.ingest.ingest_dump`, and ``discard`` deletes the zip once its day is ingested,
so a month of full dumps needs the disk of one day.
"""

from __future__ import annotations

import math
import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import requests
import urllib3
from tqdm import tqdm

from analysis import httpclient
from analysis.dsa import release
from analysis.dsa.release import VARIANTS, Release
from analysis.errors import DataError, UsageError
from analysis.files import open_no_follow, write_text

BASE_URL = "https://dsa-sor-data-dumps.s3.eu-central-1.amazonaws.com/"
CHUNK = 1 << 20
MAX_DUMP_BYTES = 64 << 30  # the largest full days are tens of GB; --max-bytes for more
# Without --max-bytes, an answer that does not say how long it is gets nothing: an endless one would
# otherwise run to MAX_DUMP_BYTES (issue 26: 924 MB in 6 s).
DAY_DEADLINE = 4 * 3600.0  # seconds for one day's download
MAX_DAYS = 3660


class FetchError(Exception):
    """A day that could not be fetched (network, HTTP status, deadline, size): the day fails,
    the others go on."""


class Missing(FetchError):
    """The bucket has no such file (HTTP 404): the day is not published (yet)."""


class Final(FetchError):
    """Trying again would not help: the deadline passed, or the file is above the size limit."""


@dataclass
class DayResult:
    day: str
    status: str  # fetched, present, ingested, missing, failed
    path: Path | None = None
    message: str = ""


def days_between(first: str, last: str) -> list[str]:
    """Every day from ``first`` to ``last`` inclusive, or a :class:`UsageError`."""
    try:
        start, stop = date.fromisoformat(first), date.fromisoformat(last)
    except (TypeError, ValueError):
        raise UsageError(f"--from {first!r} and --to {last!r} must be calendar days (YYYY-MM-DD)") from None
    if stop < start:
        raise UsageError(f"--to {last} is before --from {first}")
    if (stop - start).days >= MAX_DAYS:
        raise UsageError(f"at most {MAX_DAYS} days at once")
    return [(start + timedelta(days=n)).isoformat() for n in range((stop - start).days + 1)]


def yesterday(now: datetime | None = None) -> str:
    """Yesterday in UTC, YYYY-MM-DD: the latest day the Commission can have published a whole
    day's dump for (`dsa fetch` without dates)."""
    return ((now or datetime.now(UTC)).astimezone(UTC).date() - timedelta(days=1)).isoformat()


def check_base_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UsageError(f"--base-url must be an http(s) URL, not {url!r}")
    return url.rstrip("/") + "/"


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise Final(f"deadline of {self.seconds:g} s passed")
        return left


def _get(session: requests.Session, url: str, deadline: Deadline, timeout: tuple[float, float],
         headers: dict | None = None) -> requests.Response:
    connect, read = timeout
    left = deadline.remaining()
    try:
        # A read timeout never fires on a header trickled a byte a second (slowloris): the
        # deadline cuts the connection itself; the body's reads check it in _chunks.
        with httpclient.within(left):
            response = session.get(url, headers=headers or {}, stream=True,
                                   timeout=(min(connect, left), min(read, left)))
    except httpclient.DownloadLimitError:
        raise Final(f"{url}: deadline of {deadline.seconds:g} s passed before the server's headers "
                    "were all received") from None
    except requests.RequestException as error:
        raise FetchError(f"{url}: {error.__class__.__name__}: {error}") from None
    if response.history and urlparse(response.url).netloc != urlparse(url).netloc:
        response.close()
        raise Final(f"{url}: redirected to another host ({response.url}): refused, the bytes must come from "
                    "the host asked (pass that host as --base-url to fetch from it)")
    if response.status_code == 404:
        response.close()
        raise Missing(f"{url}: not found (404)")
    return response


CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


def _chunks(response: requests.Response, url: str, deadline: Deadline, limit: int, have: int = 0):
    """The body as it arrives (each read returns as soon as any bytes are there), checking the
    deadline between reads and refusing more than ``limit`` bytes in all."""
    try:
        while chunk := response.raw.read1(CHUNK, decode_content=True):
            have += len(chunk)
            if have > limit:
                raise Final(f"{url}: more than {limit:,} bytes, refused")
            yield chunk
            deadline.remaining()
    except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as error:
        raise FetchError(f"{url}: connection lost after {have:,} bytes ({error.__class__.__name__})") from None


def fetch_sha1(session, url: str, deadline: Deadline, timeout) -> str:
    """The 40-hex-digit SHA-1 of a ``.sha1`` file (``DIGEST  NAME``), reading at most 1 KB."""
    with _get(session, url, deadline, timeout) as response:
        if response.status_code != 200:
            raise FetchError(f"{url}: HTTP {response.status_code}")
        return release.read_sha1(b"".join(_chunks(response, url, deadline, release.MAX_SHA1_BYTES)), url)


def _receive(session, url: str, partial: Path, deadline: Deadline, timeout, max_bytes: int | None,
             progress: bool) -> bool:
    """One request for the rest of ``partial`` (HTTP Range when part of it is there); True once
    the whole file is there. A dropped connection raises :class:`FetchError` with what arrived
    kept for the next try. ``max_bytes`` None: an announced length up to :data:`MAX_DUMP_BYTES`,
    and no answer of unannounced length."""
    have = partial.stat().st_size if partial.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    with _get(session, url, deadline, timeout, headers) as response:
        if response.status_code == 416:  # the part on disk is not a prefix of this file
            partial.unlink()
            raise FetchError(f"{url}: the partial download does not fit the file (HTTP 416): restarting")
        if response.status_code == 200:
            have = 0  # the server sends the whole file
        elif response.status_code != 206 or not have:
            raise FetchError(f"{url}: HTTP {response.status_code}")
        else:
            answered = CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
            if not answered or int(answered.group(1)) != have:
                partial.unlink()  # appending bytes from elsewhere would corrupt it
                raise FetchError(f"{url}: asked for bytes {have:,} on, the answer's Content-Range is "
                                 f"{response.headers.get('Content-Range')!r}: restarting from the start")
        length = response.headers.get("Content-Length")
        total = have + int(length) if length and length.isdigit() else None
        if total is None and max_bytes is None:
            raise Final(f"{url}: the answer does not say how long it is (no Content-Length, which the "
                        "Commission's storage always sends): refused, as an endless one would run to "
                        f"{MAX_DUMP_BYTES:,} bytes; --max-bytes N accepts one up to N bytes")
        max_bytes = max_bytes or MAX_DUMP_BYTES
        if (total or 0) > max_bytes:
            raise Final(f"{url}: {total:,} bytes, above the limit of {max_bytes:,}")
        with open_no_follow(partial, append=bool(have)) as sink, \
                tqdm(total=total, initial=have, unit="B", unit_scale=True, desc=partial.name.strip("."),
                     leave=False, disable=None if progress else True) as bar:
            for chunk in _chunks(response, url, deadline, max_bytes, have):
                sink.write(chunk)
                have += len(chunk)
                bar.update(len(chunk))
    if total is not None and have < total:
        raise FetchError(f"{url}: connection closed after {have:,} of {total:,} bytes")
    return True


def download(session, url: str, target: Path, expected_sha1: str, deadline: Deadline, timeout,
             max_bytes: int | None = None, attempts: int = 5, backoff: float = 0.5,
             progress: bool = True, log=print) -> Path:
    """Download ``url`` to ``target`` via ``.target.part`` (resumed across tries and runs),
    check its SHA-1 and rename it into place. A wrong SHA-1 leaves nothing behind."""
    partial = target.with_name(f".{target.name}.part")
    if partial.is_symlink():  # resuming would append to whatever it points to
        raise DataError("is a symbolic link: we write nothing through one; remove it", path=partial)
    for attempt in range(1, attempts + 1):
        try:
            _receive(session, url, partial, deadline, timeout, max_bytes, progress)
            break
        except (Missing, Final):
            raise
        except OSError as error:  # writing failed (disk full…): nothing half-written kept, the next day tried
            partial.unlink(missing_ok=True)
            raise Final(f"{partial}: cannot write ({error.strerror or error}): the partial download is "
                        "removed") from None
        except FetchError as error:
            if attempt == attempts:
                raise
            wait = min(backoff * 2 ** (attempt - 1), deadline.remaining())
            log(f"{error}; retrying in {wait:.1f} s (attempt {attempt + 1} of {attempts}, resuming)")
            time.sleep(wait)
    actual = release.file_sha1(partial)
    if actual != expected_sha1:
        partial.unlink()
        raise DataError(f"SHA-1 {actual} differs from the published {expected_sha1}: refused, "
                        "nothing kept", path=url)
    os.replace(partial, target)
    return target


def fetch_day(session, day: str, out_dir: Path, variant: str = "full", base_url: str = BASE_URL,
              deadline_seconds: float = DAY_DEADLINE, timeout=(5.0, 60.0), max_bytes: int | None = None,
              attempts: int = 5, backoff: float = 0.5, progress: bool = True, log=print) -> DayResult:
    """One day's dump into ``out_dir`` (with its ``.sha1``); a verified copy already there is kept."""
    dump = Release(day, variant)
    target, sidecar = out_dir / dump.name, out_dir / dump.sidecar_name
    deadline = Deadline(deadline_seconds)
    dump.sha1 = fetch_sha1(session, base_url + dump.sidecar_name, deadline, timeout)
    if target.exists() and release.file_sha1(target) == dump.sha1:
        write_text(sidecar, dump.sidecar_text())
        return DayResult(day, "present", target)
    download(session, base_url + dump.name, target, dump.sha1, deadline, timeout, max_bytes, attempts, backoff,
             progress, log)
    write_text(sidecar, dump.sidecar_text())
    return DayResult(day, "fetched", target)


def fetch_days(session, days: list[str], out_dir: str | Path, variant: str = "full", base_url: str = BASE_URL,
               ingest_to: str | Path | None = None, discard: bool = False, platforms=("X",),
               deadline_seconds: float = DAY_DEADLINE, log=print, progress: bool = True, **options) -> list[DayResult]:
    """Fetch (and ingest) each day in turn; a day that fails or is missing never stops the others."""
    from analysis.dsa import ingest

    if variant not in VARIANTS:
        raise UsageError(f"--variant must be one of {', '.join(VARIANTS)}")
    if not isinstance(deadline_seconds, (int, float)) or not math.isfinite(deadline_seconds) or deadline_seconds <= 0:
        raise UsageError(f"--deadline must be a positive number of seconds, not {deadline_seconds!r}")
    max_bytes = options.get("max_bytes")
    if max_bytes is not None and (not isinstance(max_bytes, int) or max_bytes <= 0):
        raise UsageError(f"--max-bytes must be a positive whole number, not {max_bytes!r}")
    if discard and ingest_to is None:
        raise UsageError("--discard deletes each dump once ingested: it needs --ingest DATA_DIR")
    base_url = check_base_url(base_url)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for day in tqdm(days, desc="days", unit=" day", disable=None if progress else True):
        try:
            result = fetch_day(session, day, out_dir, variant, base_url, deadline_seconds, progress=progress,
                               log=log, **options)
        except Missing as error:
            results.append(DayResult(day, "missing", message=str(error)))
            log(f"{day}: missing: {error}")
            continue
        except (FetchError, DataError) as error:
            results.append(DayResult(day, "failed", message=str(error)))
            log(f"{day}: failed: {error}")
            continue
        if ingest_to is not None:
            try:
                report = ingest.ingest_dump(result.path, ingest_to, platforms, log=log, progress=progress,
                                             log_file=Path(ingest_to) / ingest.LOG)
            except (DataError, UsageError) as error:
                results.append(DayResult(day, "failed", result.path, f"ingest: {error}"))
                log(f"{day}: fetched, but not ingested (the dump is kept): {error}")
                continue
            result = DayResult(day, "ingested", result.path,
                               f"{report.rows:,} rows read, {report.kept:,} kept")
            if discard:
                for path in (result.path, result.path.with_name(result.path.name + ".sha1")):
                    path.unlink(missing_ok=True)
                result.path = None
        results.append(result)
        log(f"{day}: {result.status}" + (f" ({result.message})" if result.message else ""))
    return results

