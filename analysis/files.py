"""Checksums and atomic writes.

Nothing the project writes is ever half-written: :func:`atomic_write` writes to a temporary file
beside the target and renames it into place, which is atomic on POSIX file systems.

Nothing is written through a symbolic link: the temporary file is created exclusively (never
through a link), and the rename replaces a link planted at the target with the file, leaving what
it pointed to untouched; :func:`open_lock` and :func:`open_no_follow` refuse a link where they
open a file, and :func:`refuse_links` a link among the folders a command writes into (a folder of
``figures --out DIR`` linked elsewhere would have us write outside ``DIR``). Files are ``0644``
and the folders made for them ``0755`` whatever the umask: readers and web servers read them.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "hello.txt"
>>> with atomic_write(target) as handle:
...     _ = handle.write(b"hello")
>>> sha256(target)[:12]
'2cf24dba5fb0'
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def sha256(path: str | Path) -> str:
    """The hex SHA-256 digest of a file, read in chunks. Anything but a regular file (a pipe
    planted where a file was: reading it would wait for ever) is refused."""
    from analysis.errors import DataError

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # opening a pipe does not wait
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DataError("not a regular file (a pipe, a device or a socket): remove it", path=path)
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "wb", **open_kwargs) -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it onto ``path`` only if the block succeeds."""
    path = Path(path)
    make_folders(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)  # mkstemp makes 0600; readers expect a file they can read
        with os.fdopen(fd, mode, **open_kwargs) as handle:
            yield handle
        os.replace(tmp, path)  # a symbolic link at ``path`` is replaced, not written through
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


FILE_MODE = 0o644
FOLDER_MODE = 0o755


def make_folders(folder: str | Path) -> None:
    """``mkdir -p`` with each folder made ``0755`` whatever the umask (existing ones are left as
    they are)."""
    folder = Path(folder)
    missing = []
    while not folder.exists() and not folder.is_symlink():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            made.mkdir()
            os.chmod(made, FOLDER_MODE)


def refuse_links(root: str | Path, *folders: str) -> None:
    """Refuse (:class:`~analysis.errors.DataError`) if any of ``folders`` (paths under ``root``),
    or a folder on the way to one, is a symbolic link: what we write there would land outside
    ``root``."""
    from analysis.errors import DataError

    root = Path(root)
    for folder in folders:
        current = root
        for part in Path(folder).parts:
            current = current / part
            if current.is_symlink():
                raise DataError(f"is a symbolic link (to {os.readlink(current)}): we write nothing through one; "
                                "remove it", path=current)


def open_no_follow(path: str | Path, append: bool = False) -> IO[bytes]:
    """``path`` opened to write bytes (to append, with ``append``), created ``0644``; a symbolic
    link there is refused, not followed (a download's partial file, resumed across runs)."""
    from analysis.errors import DataError

    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | (os.O_APPEND if append else os.O_TRUNC)
    try:
        fd = os.open(path, flags, FILE_MODE)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DataError("is a symbolic link: we write nothing through one; remove it", path=path) from None
        raise
    os.fchmod(fd, FILE_MODE)
    return os.fdopen(fd, "ab" if append else "wb")


def open_lock(path: str | Path) -> int:
    """A file descriptor on the lock file ``path`` (created ``0644`` if absent, never truncated),
    for ``fcntl.flock``; a symbolic link there is refused, not followed."""
    from analysis.errors import DataError

    path = Path(path)
    make_folders(path.parent)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise DataError("is a symbolic link: a lock file is never followed; remove it", path=path) from None
        raise
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise DataError("is not a regular file: remove it", path=path)
    if stat.S_IMODE(mode) != FILE_MODE:
        with contextlib.suppress(PermissionError):  # the umask narrowed it (another's lock: left as it is)
            os.fchmod(fd, FILE_MODE)
    return fd


def write_text(path: str | Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
