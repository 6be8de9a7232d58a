"""Stored results: ``<dir>/<id>.npz`` (arrays) and ``<dir>/<id>.json`` (metadata).

numpy only, so that figures and scenes can read results without importing torch.
Writes go to a temporary name and are renamed when complete (the JSON last: it
is the commit marker).  Loading checks a checksum and never unpickles.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .files import atomic_path, atomic_write_bytes  # noqa: F401  (atomic_write_bytes: figures.fonts uses it from here)


class StoreError(Exception):
    """A stored result is missing or damaged; the message is one line."""


@dataclass
class Result:
    """Named arrays plus JSON metadata."""

    id: str
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self.arrays[name]
        except KeyError:
            raise KeyError(f"result '{self.id}' has no array '{name}' (it has: {', '.join(sorted(self.arrays))})") from None

    def __contains__(self, name: str) -> bool:
        return name in self.arrays

    def scalar(self, name: str) -> float:
        return float(np.asarray(self[name]).reshape(()))

    @property
    def settings(self) -> dict[str, Any]:
        return self.meta.get("settings", {})


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save(result: Result, directory: Path) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    npz_path = directory / f"{result.id}.npz"
    with atomic_path(npz_path, suffix=".npz.tmp") as tmp:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **result.arrays)
    meta = dict(result.meta)
    meta["npz_sha256"] = _sha256(npz_path)
    meta["arrays"] = {k: {"shape": list(v.shape), "dtype": str(v.dtype)} for k, v in result.arrays.items()}
    atomic_write_bytes(directory / f"{result.id}.json",
                       json.dumps(meta, indent=2, ensure_ascii=False, default=str).encode("utf-8"), fsync=True)


def check(result_id: str, directory: Path) -> dict[str, Any]:
    """The metadata of a stored result, checked as ``load`` checks it short of reading its arrays: both
    files present, the metadata readable, the arrays' file matching its checksum and holding the arrays
    the metadata lists; raise ``StoreError`` if not."""
    directory = Path(directory)
    json_path = directory / f"{result_id}.json"
    npz_path = directory / f"{result_id}.npz"
    if not json_path.exists() or not npz_path.exists():
        raise StoreError(f"no stored result '{result_id}' in {directory}: run `python render.py compute --only ...` first")
    try:
        meta = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"result metadata {json_path.name} is damaged ({exc})") from None
    if meta.get("npz_sha256") != _sha256(npz_path):
        raise StoreError(f"result arrays {npz_path.name} do not match their checksum")
    try:
        with zipfile.ZipFile(npz_path) as archive:  # the names np.load lists as its files
            names = {name[:-4] if name.endswith(".npy") else name for name in archive.namelist()}
    except (OSError, zipfile.BadZipFile) as exc:
        raise StoreError(f"result arrays {npz_path.name} are damaged ({exc})") from None
    if names != set(meta.get("arrays", {})):
        raise StoreError(f"result arrays {npz_path.name} do not match their metadata")
    return meta


def load(result_id: str, directory: Path) -> Result:
    """Load a stored result; raise ``StoreError`` if it is missing or damaged."""
    meta = check(result_id, directory)
    npz_path = Path(directory) / f"{result_id}.npz"
    try:
        with np.load(npz_path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise StoreError(f"result arrays {npz_path.name} are damaged ({exc})") from None
    return Result(id=result_id, arrays=arrays, meta=meta)  # its arrays are the ones check found listed


