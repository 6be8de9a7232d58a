"""The result cache: ``<dir>/<id>.npz`` (arrays) and ``<dir>/<id>.json`` (metadata).

A stored result is reused when its id, settings, seed, device and code
fingerprint match.  Writes go to a temporary name and are renamed when
complete (the JSON last: it is the commit marker).  A corrupt or stale entry
is recomputed with a warning.  Loading never unpickles.
"""
from __future__ import annotations

import contextlib
import platform
import time
import warnings
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np
import torch

from .core import REGISTRY, Context, EngineError, resolve_device, seed_everything, settings_key, to_numpy
from .data import data_sources
from .store import Result, StoreError, load, save

SCHEMA = 1


class CacheWarning(UserWarning):
    pass


@contextlib.contextmanager
def cpu_threads(n: int | None):
    """torch's intra-op CPU threads set to ``n`` inside the block (unchanged for None), the previous
    number restored afterwards, also when the block raises."""
    if n is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def expected_key(result_id: str, device: str = "auto", overrides: Mapping[str, Any] | None = None) -> str:
    exp = REGISTRY[result_id]
    dev = resolve_device(device)
    return settings_key(exp.merged_settings(overrides), exp.source_fingerprint(), dev.type, exp.seed, data_sources())


def status(result_id: str, directory: Path, device: str = "auto",
           overrides: Mapping[str, Any] | None = None) -> str:
    """``fresh``, ``stale``, ``corrupt`` or ``missing``."""
    directory = Path(directory)
    if not (directory / f"{result_id}.json").exists():
        return "missing"
    try:
        stored = load(result_id, directory)
    except StoreError:
        return "corrupt"
    return "fresh" if stored.meta.get("key") == expected_key(result_id, device, overrides) else "stale"


def compute(result_id: str, directory: Path, *, device: str = "auto", force: bool = False,
            overrides: Mapping[str, Any] | None = None,
            progress: Callable[[int, int, str], None] | None = None) -> tuple[Result, bool]:
    """Return ``(result, computed)``: the stored result when it is fresh, else a new one."""
    if result_id not in REGISTRY:
        raise EngineError(f"unknown experiment '{result_id}'")
    exp = REGISTRY[result_id]
    dev = resolve_device(device)
    settings = exp.merged_settings(overrides)
    fingerprint = exp.source_fingerprint()
    sources = data_sources()
    key = settings_key(settings, fingerprint, dev.type, exp.seed, sources)
    directory = Path(directory)

    if not force and (directory / f"{result_id}.json").exists():
        try:
            stored = load(result_id, directory)
        except StoreError as exc:
            warnings.warn(f"cached result '{result_id}' is corrupt ({exc}); recomputing", CacheWarning, stacklevel=2)
        else:
            if stored.meta.get("key") == key:
                return stored, False
            warnings.warn(f"cached result '{result_id}' is stale (settings or code changed); recomputing",
                          CacheWarning, stacklevel=2)

    generator = seed_everything(exp.seed)
    ctx = Context(device=dev, seed=exp.seed, generator=generator,
                  progress=progress or (lambda *_: None))
    start = time.perf_counter()
    with cpu_threads(exp.threads):  # the experiment's declared threads (``@experiment(..., threads=1)``)
        output = exp.func(dict(settings), ctx)
    wall = time.perf_counter() - start
    extra: dict[str, Any] = {}
    if isinstance(output, tuple):
        output, extra = output
    arrays = {name: to_numpy(value) for name, value in output.items()}
    for name, value in arrays.items():
        if value.dtype == object:
            raise EngineError(f"experiment '{result_id}' returned an object array '{name}'; use numbers or strings")
    meta = {
        "schema": SCHEMA,
        "id": result_id,
        "topic": exp.topic,
        "experiment": result_id,
        "description": exp.description,
        "settings": settings,
        "seed": exp.seed,
        "device": dev.type,
        "device_name": torch.cuda.get_device_name(dev) if dev.type == "cuda" else platform.processor() or platform.machine(),
        "versions": {"torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version()},
        "code_fingerprint": fingerprint,
        "data_sources": sources,
        "key": key,
        "wall_time_s": round(wall, 4),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **({"info": extra} if extra else {}),
    }
    result = Result(id=result_id, arrays=arrays, meta=meta)
    save(result, directory)
    return load(result_id, directory), True
