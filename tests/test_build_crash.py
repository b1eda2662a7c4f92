"""The chart build under concurrency and crashes: two builds at once, a build killed midway.
Never a gallery that lies (every file figures.json lists exists with its recorded hash), never
a scratch file left after the next run."""

import json
import os
import signal
import subprocess
import sys
import time

from analysis.files import sha256

# Two charts are enough to race and to be killed between: a full build would only take longer.
ONLY = ("--only", "x-reports-to-ncmec", "--only", "x-safety-2024")


def _figures(out, *args):
    return subprocess.Popen([sys.executable, "-m", "analysis", "figures", "--out", str(out), *ONLY, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _manifest_tells_the_truth(out):
    manifest = json.loads((out / "figures.json").read_text())
    for entry in manifest:
        for name, digest in entry["files"].items():
            assert sha256(out / name) == digest, name
    return manifest


def test_two_builds_at_once_both_languages_listed(tmp_path):
    out = tmp_path / "figures"
    french, english = _figures(out, "--lang", "fr"), _figures(out, "--lang", "en")
    for process in (french, english):
        _, err = process.communicate(timeout=900)
        assert process.returncode == 0, err
    manifest = _manifest_tells_the_truth(out)
    assert {entry["lang"] for entry in manifest} == {"fr", "en"}


def test_a_killed_build_leaves_nothing_that_lies(tmp_path):
    out = tmp_path / "figures"
    process = _figures(out)
    deadline = time.monotonic() + 600
    while not list(out.glob("*/*.png")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)  # kill it once it has started writing charts
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    (out / "fr").mkdir(parents=True, exist_ok=True)
    (out / "fr" / ".x-reports-to-ncmec.png.abandoned.tmp").write_bytes(b"half a file")  # as a kill leaves
    again = _figures(out)
    _, err = again.communicate(timeout=900)
    assert again.returncode == 0, err
    _manifest_tells_the_truth(out)
    assert not list(out.rglob(".*.tmp"))
