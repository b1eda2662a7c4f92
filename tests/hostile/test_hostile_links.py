"""Symbolic links planted where we write: never written through. A link at a file's place is
replaced by the file (what it pointed to is untouched); a link at the build's lock, or among the
folders `figures --out DIR` writes into, is refused before anything is written. Files readers get
are 0644, their new folders 0755, whatever the umask."""

import os
import stat

import pytest

from analysis import methodology
from analysis.charts import build, render
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.errors import DataError
from analysis.files import open_lock, write_text
from conftest import run_cli
from hostile.corpus import listing


@pytest.fixture
def outside(tmp_path):
    """A folder outside the one written to, holding a file that must stay as it is."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "precious.txt").write_text("precious")
    return folder


def test_link_at_the_target_is_replaced_not_written_through(tmp_path, outside):
    target = tmp_path / "out" / "index.html"
    target.parent.mkdir()
    target.symlink_to(outside / "precious.txt")
    write_text(target, "ours")
    assert not target.is_symlink() and target.read_text() == "ours"
    assert listing(outside) == {"precious.txt": 8} and (outside / "precious.txt").read_text() == "precious"


def test_link_to_a_folder_at_the_target_is_replaced(tmp_path, outside):
    target = tmp_path / "figures.json"
    target.symlink_to(outside, target_is_directory=True)
    write_text(target, "[]")
    assert not target.is_symlink() and target.read_text() == "[]" and listing(outside) == {"precious.txt": 8}


def test_link_at_the_build_lock_is_refused(tmp_path, outside):
    out = tmp_path / "figures"
    (out / ".cache").mkdir(parents=True)
    (out / ".cache" / "build.lock").symlink_to(outside / "precious.txt")
    with pytest.raises(DataError) as raised:
        build.build(("en",), out, log=lambda _: None)
    assert str(raised.value) == f"{out / '.cache' / 'build.lock'}: is a symbolic link: a lock file is never followed; remove it"
    assert (outside / "precious.txt").read_text() == "precious"  # not truncated
    assert [p.name for p in out.rglob("*")] == [".cache", "build.lock"] and (out / ".cache" / "build.lock").is_symlink()
    assert listing(outside) == {"precious.txt": 8}


@pytest.mark.parametrize("folder", ["en", "fr", ".cache", "notebooks"])
def test_figures_out_dir_with_a_folder_linked_outside_is_refused(tmp_path, outside, folder):
    out = tmp_path / "figures"
    out.mkdir()
    (out / folder).symlink_to(outside, target_is_directory=True)
    done = run_cli("figures", "--lang", "en", "--out", str(out))
    assert (done.returncode, done.stderr) == (1, f"error: {out / folder}: is a symbolic link (to {outside}): "
                                                 "we write nothing through one; remove it\n")
    assert listing(outside) == {"precious.txt": 8} and listing(out) == {}


def test_notebook_pages_refuse_a_linked_folder(tmp_path, outside):
    (tmp_path / "notebooks").symlink_to(outside, target_is_directory=True)
    notebook = methodology.notebooks()[0]
    with pytest.raises(DataError, match=r"notebooks: is a symbolic link .*: we write nothing through one"):
        methodology.write_page(notebook, None, tmp_path)
    assert listing(outside) == {"precious.txt": 8}


def test_chart_files_are_0644_whatever_the_umask(tmp_path):
    chart = Chart("modes", load=lambda: None,
                  marks=lambda data, lang: marks([{"series": "s", "category": "c", "value": 1, "label": "1",
                                                   "evidence": "primary", "source": "test"}]),
                  texts=lambda data, drawn, lang: Texts("A title", "A subtitle", "Source: test", "alt"),
                  draw=lambda ax, *_: ax.set_axis_off())
    previous = os.umask(0o077)
    try:
        render.render(chart, None, "en", tmp_path / "figures")
    finally:
        os.umask(previous)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "figures").rglob("*")}
    assert modes == {"en": 0o755, **{f"modes.{fmt}": 0o644 for fmt in ("svg", "png", "phone.svg", "phone.png", "pdf", "csv")}}



def test_lock_files_are_0644_whatever_the_umask(tmp_path):
    """`figures --out DIR` under a umask of 077 wrote every file 0644 but its lock, 0600."""
    previous = os.umask(0o077)
    try:
        os.close(open_lock(tmp_path / ".cache" / "build.lock"))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / ".cache" / "build.lock").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / ".cache").stat().st_mode) == 0o755

def test_link_at_a_download_s_partial_file_is_refused_before_any_request(tmp_path, outside):
    from analysis.dsa import fetch

    target = tmp_path / "sor-global-2025-06-03-full.zip"
    partial = tmp_path / f".{target.name}.part"
    partial.symlink_to(outside / "precious.txt")
    with pytest.raises(DataError) as raised:  # no session, no server: refused before either is used
        fetch.download(None, "http://127.0.0.1:9/none", target, "0" * 40, deadline=None, timeout=None)
    assert str(raised.value) == f"{partial}: is a symbolic link: we write nothing through one; remove it"
    assert listing(outside) == {"precious.txt": 8} and not target.exists()


@pytest.mark.parametrize("append", [False, True])
def test_open_no_follow_refuses_a_link(tmp_path, outside, append):
    from analysis.files import open_no_follow

    link = tmp_path / "partial"
    link.symlink_to(outside / "precious.txt")
    with pytest.raises(DataError, match=r"partial: is a symbolic link: we write nothing through one; remove it$"):
        open_no_follow(link, append=append)
    assert (outside / "precious.txt").read_text() == "precious"
