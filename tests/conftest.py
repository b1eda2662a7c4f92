import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import session_build
import yaml

from analysis import claims, paths, verify
from analysis.sources.apple import synthetic_payload

# What a session makes once and many tests share: its build (the notebooks run, every chart drawn,
# most of a session's work; see session_build.py) and Spark's JVM. With pytest-xdist (`-n 2`,
# pyproject.toml) the build runs in its own process, in a folder the controller names: started with the
# session when the whole suite runs, else once a worker has collected a test that needs it. The tests
# using Spark run on one worker, so that Java starts once.
NEEDS_BUILD = {"notebook_runs", "executed_notebooks", "site"}
SESSION_BUILD = "ANALYSIS_TEST_SESSION_BUILD"  # the build's folder, from the controller to its workers
_BUILD_FOLDER = pytest.StashKey[Path]()


def pytest_configure(config):
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        folder = Path(tempfile.mkdtemp(prefix="session-build-"))
        (folder / session_build.OWNER).write_text(str(os.getpid()))
        os.environ[SESSION_BUILD] = str(folder)  # the workers, started after this hook, inherit it
        config.stash[_BUILD_FOLDER] = folder
        if _whole_suite(config):  # it will be needed: start it before the workers even collect
            session_build.start(folder)


def _whole_suite(config) -> bool:
    """Whether this run is every test: no path given, and nothing deselected by -k, -m, --deselect or --lf."""
    return config.args_source == pytest.Config.ArgsSource.TESTPATHS and not any(
        getattr(config.option, name, None) for name in ("keyword", "markexpr", "deselect", "lf"))


def pytest_unconfigure(config):
    folder = config.stash.get(_BUILD_FOLDER, None)
    if folder is None:
        return
    pid = folder / session_build.PID
    if pid.exists() and session_build.alive(int(pid.read_text())):  # a run stopped early: the build is not needed
        with contextlib.suppress(ProcessLookupError):
            os.killpg(int(pid.read_text()), signal.SIGTERM)  # the build and its kernels
        for _ in range(50):
            if not session_build.alive(int(pid.read_text())):
                break
            time.sleep(0.1)
    if (folder / session_build.FAILED).exists():
        print(f"\nthe session's build failed: its folder is kept, {folder}", file=sys.stderr)
    else:
        shutil.rmtree(folder, ignore_errors=True)


def _needs_build(item) -> bool:
    return bool(NEEDS_BUILD & set(getattr(item, "fixturenames", ())))


def _shares_a_module_fixture(item) -> bool:
    """Whether ``item`` uses a fixture made once per module (a synthetic dump, an ingest, a drawing)."""
    definitions = getattr(item, "_fixtureinfo", None)  # pytest's own record; doctests have none
    return definitions is not None and any(
        found[-1].scope == "module" for found in definitions.name2fixturedefs.values())


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups (its hook is registered after this file)
def pytest_collection_modifyitems(items):
    for item in items:
        if "spark" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("spark"))
        elif not item.get_closest_marker("xdist_group") and _shares_a_module_fixture(item):
            # A module's fixture is made once per worker running its tests: one worker, once. The
            # tests needing the build apart, so that theirs do not make a worker wait for it early.
            item.add_marker(pytest.mark.xdist_group(f"{item.module.__name__}{'-built' * _needs_build(item)}"))
    # The tests needing the build last (a stable sort: otherwise in their order), so that the workers
    # are busy with the others while it is made.
    items.sort(key=_needs_build)


def pytest_collection_finish(session):
    """Start the session's build once the tests kept (after -k, -m…) need it. A worker refuses to
    run when xdist could not group its tests: pytest 9.2 keeps node ids where pytest-xdist 3.8
    writes its group (pytest-xdist#1386), and every group would then be split silently, each worker
    making what the group was to share (hence pytest 9.1.1 in the pins)."""
    folder = os.environ.get(SESSION_BUILD)
    if folder and any(_needs_build(item) for item in session.items):
        session_build.start(Path(folder))
    if not getattr(session.config.option, "loadgroup", False):  # set in xdist's workers only
        return
    ungrouped = [item.nodeid for item in session.items
                 if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
    if ungrouped:
        raise pytest.UsageError(f"pytest-xdist did not group {ungrouped[0]} (and {len(ungrouped) - 1} more): "
                                "see pytest-xdist#1386; use the pinned pytest")


@pytest.fixture(scope="session")
def spark():
    """One local Spark session (Java starts once) for the tests comparing Spark with DuckDB. Their
    queries are small: Java's quick compiler alone and one partition cost a third less processor
    time than the defaults tuned for the Commission's full days, and give the same rows (the
    queries are sums and counts, whatever the split; `dsa query --engine spark` keeps 4 partitions)."""
    from analysis.dsa import query

    return query.spark_session(config={
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        "spark.sql.shuffle.partitions": "1", "spark.default.parallelism": "1"})


@pytest.fixture(scope="session")
def ledger_results() -> tuple:
    """Every claim of the ledger checked against the shipped data, once per test process, for the
    tests that only read the results (a check takes about 0.4 s; they asked for one 16 times)."""
    return tuple(verify.check_all())


@pytest.fixture(scope="session")
def results_by_id(ledger_results) -> dict:
    """:func:`ledger_results` by claim id."""
    return {result.claim.id: result for result in ledger_results}


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, started once per test process for every test opening pages in it (a
    start costs a second or two of the machine); the test skips, saying why, where none is installed."""
    if CHROMIUM is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def _session_build(tmp_path_factory):
    """``(site, {notebook: (executed document, what the run read)}, manifest, log)``: the process's
    share of the session's one build (session_build.py), made here when xdist is off."""
    folder = os.environ.get(SESSION_BUILD)
    if folder:
        session_build.start(Path(folder))  # already started, but for a test asking for it by name only
        return session_build.wait(Path(folder))
    site = tmp_path_factory.mktemp("site")
    runs, manifest, log = session_build.build(site)
    return site, runs, manifest, log


@pytest.fixture(scope="session")
def notebook_runs(_session_build):
    """Every notebook executed top to bottom, once per session, as `make figures` runs them:
    ``{path: (executed document, what the run read)}`` (a cell that raises fails the run here)."""
    return _session_build[1]


@pytest.fixture(scope="session")
def executed_notebooks(notebook_runs):
    """``{path: executed document}`` of the session's one run of the notebooks."""
    return {notebook: document for notebook, (document, _) in notebook_runs.items()}


@pytest.fixture(scope="session")
def site(_session_build):
    """One build as `make figures` does it, shared by the whole session: the notebooks rendered
    from their one run in the suite, then every chart in both languages and the gallery. Returns
    ``(out, manifest, log)``. Read it, never change it: a test that changes the output takes `site_copy`."""
    out, _, manifest, log = _session_build
    return out, manifest, log


@pytest.fixture
def site_copy(site, tmp_path):
    """A copy of the session's build (its cache included, so a build into it renders only what
    changed) that a test may change."""
    out, manifest, _ = site
    target = tmp_path / "site"
    shutil.copytree(out, target)
    return target, manifest


@pytest.fixture
def package(tmp_path):
    """An empty data package in its own ``data/`` folder, for commands that register what they fetch."""
    path = tmp_path / "data" / "datapackage.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"name": "test", "resources": []}))
    return path


def run_cli(*argv: str) -> subprocess.CompletedProcess:
    """``python -m analysis ARGV`` in this process, as ``__main__`` runs it: its exit code (argparse's
    refusals too) and what it printed, with no Python to start."""
    from analysis import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(argv))
        except SystemExit as refused:  # argparse's refusals
            code = refused.code
    return subprocess.CompletedProcess(list(argv), code, out.getvalue(), err.getvalue())


def ledger_copy(folder: Path, change) -> tuple[Path, list]:
    """``folder/claims.yaml``: the claims ledger, its list of entries changed by ``change(entries)``
    (read and written by libyaml: the ledger is 84 kB, PyYAML's Python parser took 0.2 s a copy);
    and the entries as written."""
    entries = yaml.load(claims.LEDGER.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    change(entries)
    path = folder / "claims.yaml"
    path.write_text(yaml.dump(entries, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, entries


@pytest.fixture
def data_copy(tmp_path):
    """A copy of data/ (package, raw and reference files) that a test may damage."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target


class LoopbackServer:
    """An HTTP server on 127.0.0.1 for the fetchers' tests, a thread per request: a subclass's
    ``answer(request)`` answers each GET. ``closing`` is set when the test ends, so that an answer
    made slow on purpose stops waiting."""

    protocol_version = "HTTP/1.0"

    def __init__(self):
        self.closing = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = server.protocol_version

            def do_GET(self):
                server.answer(self)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                if not isinstance(sys.exc_info()[1], ConnectionError):  # a client hanging up is a test's intent
                    super().handle_error(request, client_address)

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        # shutdown() waits for the loop's next look at its flag: every 0.5 s by default, per test
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    @staticmethod
    def send(request: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        """One whole answer; a client that hung up early is no failure of the server."""
        request.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            request.send_header(name, value)
        request.end_headers()
        with contextlib.suppress(ConnectionError):
            request.wfile.write(body)

    def close(self):
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class FeedServer(LoopbackServer):
    """Serves ``/api/v2/{cc}/apps/{chart}/{n}/apps.json`` from a script of answers per storefront."""

    def __init__(self):
        self.script: dict[str, list] = {}
        self.hits: dict[str, int] = {}
        super().__init__()

    def answer(self, request):
        country = request.path.split("/")[3]
        self.hits[country] = self.hits.get(country, 0) + 1
        answers = self.script.get(country, [(404, b"not found")])
        status, body = answers.pop(0) if len(answers) > 1 else answers[0]
        if status == "sleep":
            time.sleep(body)
            status, body = 200, synthetic_payload(country, 3)
        if status == "redirect":  # body: the storefront to send the client to
            self.send(request, 302, headers={"Location": request.path.replace(f"/{country}/", f"/{body}/")})
            return
        if status == "trickle":  # body: seconds between bytes, for ever
            request.send_response(200)
            request.send_header("Content-Type", "application/json")
            request.end_headers()
            while not self.closing.is_set():
                request.wfile.write(b" ")
                request.wfile.flush()
                self.closing.wait(body)
            return
        self.send(request, status, body, {"Content-Type": "application/json"})


@pytest.fixture
def server():
    feed_server = FeedServer()
    yield feed_server
    feed_server.close()
