import contextlib
import json
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from analysis import paths
from analysis.sources.apple import synthetic_payload

# What a session makes once and many tests share: its build (the notebooks run, every chart
# drawn: most of a session's time) and Spark's JVM. With pytest-xdist (`-n 2 --dist loadgroup`,
# pyproject.toml) each worker would make its own: the tests sharing one run on one worker.
SHARED = {"notebook_runs": "shared-build", "executed_notebooks": "shared-build", "site": "shared-build",
          "spark": "spark"}


def pytest_collection_modifyitems(items):
    for item in items:
        groups = {SHARED[name] for name in getattr(item, "fixturenames", ()) if name in SHARED}
        if groups:
            item.add_marker(pytest.mark.xdist_group(min(groups)))


@pytest.fixture(scope="session")
def spark():
    """One local Spark session (Java starts once) for the tests comparing Spark with DuckDB."""
    from analysis.dsa import query

    return query.spark_session()


@pytest.fixture(scope="session")
def notebook_runs():
    """Every notebook executed top to bottom, once per session, as `make figures` runs them:
    ``{path: (executed document, what the run read)}`` (a cell that raises fails the run here)."""
    from analysis import methodology

    return {notebook: methodology.run(notebook) for notebook in methodology.notebooks()}


@pytest.fixture(scope="session")
def executed_notebooks(notebook_runs):
    """``{path: executed document}`` of the session's one run of the notebooks."""
    return {notebook: document for notebook, (document, _) in notebook_runs.items()}


@pytest.fixture(scope="session")
def site(tmp_path_factory, notebook_runs):
    """One build as `make figures` does it, shared by the whole session (rendering is most of a
    build's time): the notebooks rendered from their one run in the suite, then every chart in both languages and the gallery. Returns ``(out,
    manifest, log)``. Read it, never change it: a test that changes the output takes `site_copy`."""
    from analysis import fingerprints, methodology
    from analysis.charts import build

    out = tmp_path_factory.mktemp("site")
    state = fingerprints.State.now()
    for notebook, (document, reads) in notebook_runs.items():
        methodology.write_page(notebook, document, out)
        methodology.remember(notebook, reads, out, state)
    log = []
    manifest = build.build(build.LANGS, out, log=log.append)
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

    def __init__(self):
        self.closing = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.answer(self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

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
