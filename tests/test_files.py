"""engine.files: a file is replaced whole or not at all."""
from __future__ import annotations

import os
import stat

import pytest

from engine.files import atomic_path, atomic_write_bytes, atomic_write_text


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "a.txt"  # the folder is made
    atomic_write_text(target, "one\n")
    assert target.read_text(encoding="utf-8") == "one\n"
    atomic_write_bytes(target, b"two", fsync=True)
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt"]


def test_failing_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "result.json"
    target.write_text("old", encoding="utf-8")
    seen = []
    with pytest.raises(RuntimeError, match="half written"):
        with atomic_path(target) as tmp:
            seen.append(tmp)
            assert tmp.parent == target.parent and tmp != target
            tmp.write_text("new, but only half", encoding="utf-8")
            raise RuntimeError("half written")
    assert target.read_text(encoding="utf-8") == "old"
    assert not seen[0].exists()
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_interrupted_write_leaves_no_temporary(tmp_path):
    target = tmp_path / "page.html"
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(target, suffix=".html"):
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_suffix_and_umask_permissions(tmp_path):
    target = tmp_path / "figure.png"
    old = os.umask(0o027)
    try:
        with atomic_path(target, suffix=".png") as tmp:
            assert tmp.name.endswith(".png") and tmp.name.startswith(".figure.png.")
            tmp.write_bytes(b"png")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # as open() would make it, not mkstemp's 0o600
