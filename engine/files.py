"""Writing a file whole or not at all (the standard library only, so that every layer can use it).

A file is written under a temporary name in its own folder and renamed over the target when it
is complete: a reader sees the old file or the new one, never half of one, and a write that fails
leaves the old file as it was and no temporary file behind.  The new file gets the permissions a
plain ``open(path, "w")`` would give it (``0o666`` less the umask), not ``mkstemp``'s ``0o600``.

* :func:`atomic_path` — a context manager for writers that want a path (``savefig``, ``np.savez``,
  a subprocess): ``with atomic_path(target) as tmp: write(tmp)``;
* :func:`atomic_write_bytes`, :func:`atomic_write_text` — the same for content already in memory.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator


def umask_mode() -> int:
    """The mode a new file gets from ``open``: ``0o666`` less the process's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, suffix: str = ".tmp", fsync: bool = False) -> Iterator[Path]:
    """Yield a temporary path in ``path``'s folder (created if missing) to write the new file to; when
    the block ends normally, give it the umask's permissions and rename it to ``path``; when it
    raises, remove the temporary file and leave ``path`` untouched.

    ``suffix`` ends the temporary name (a writer that picks its format by the extension wants the
    target's, e.g. ``".png"``); ``fsync`` flushes the file to disk before the rename.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if fsync:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.chmod(tmp, umask_mode())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, fsync: bool = False) -> None:
    """Replace ``path`` with ``data`` whole (:func:`atomic_path`)."""
    with atomic_path(path, fsync=fsync) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(path: str | os.PathLike, text: str, *, encoding: str = "utf-8", fsync: bool = False) -> None:
    """Replace ``path`` with ``text`` whole (:func:`atomic_path`), newlines written as given."""
    with atomic_path(path, fsync=fsync) as tmp:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
