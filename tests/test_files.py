import os
import stat

import pytest

from analysis.files import atomic_write, sha256, write_text


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "out.txt"
    write_text(target, "first")
    write_text(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_failed_write_leaves_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    write_text(target, "kept")
    with pytest.raises(RuntimeError):
        with atomic_write(target, "w") as handle:
            handle.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_sha256_of_known_bytes(tmp_path):
    target = tmp_path / "abc"
    target.write_bytes(b"abc")
    assert sha256(target) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002, 0o777])
def test_written_files_are_0644_and_new_folders_0755_whatever_the_umask(tmp_path, umask):
    previous = os.umask(umask)
    try:
        write_text(tmp_path / "new" / "deeper" / "out.txt", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new" / "deeper" / "out.txt").stat().st_mode) == 0o644
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "new", tmp_path / "new" / "deeper")} == {0o755}
