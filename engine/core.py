"""Engine core: devices, seeds and the experiment registry.

The engine imports torch and numpy only.  An experiment is a function that
takes its settings and a :class:`Context` and returns named numpy arrays (and
optionally extra metadata).  Experiments register themselves with
:func:`experiment`; the cache (``engine.cache``) decides whether to run them.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import random
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np
import torch

DEVICES = ("auto", "cpu", "cuda")


class EngineError(Exception):
    """An error the user can fix; its message is one line that says how."""


def resolve_device(name: str = "auto") -> torch.device:
    """``auto`` → CUDA when available, else CPU; ``cpu``; ``cuda``."""
    if name not in DEVICES:
        raise EngineError(f"unknown device '{name}': use one of {', '.join(DEVICES)}")
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise EngineError("--device cuda was asked for but torch sees no CUDA GPU: use --device cpu or auto")
    return torch.device(name)


def seed_everything(seed: int) -> torch.Generator:
    """Seed Python, numpy and torch (CPU and CUDA); return a fresh CPU generator."""
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    gen = torch.Generator()
    gen.manual_seed(seed)
    return gen


ProgressFn = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, message: str = "") -> None:  # pragma: no cover - trivial
    return None


@dataclass
class Context:
    """What an experiment receives besides its settings."""

    device: torch.device
    seed: int
    generator: torch.Generator
    progress: ProgressFn = _no_progress
    dtype: torch.dtype = torch.float64


@dataclass
class Experiment:
    id: str
    topic: str
    func: Callable[[dict[str, Any], Context], Any]
    defaults: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    description: str = ""
    # CPU threads torch may use while the experiment runs (``engine.cache`` sets them and restores the
    # previous number afterwards); None leaves torch's setting as it is.
    threads: int | None = None

    def source_fingerprint(self) -> str:
        """A hash of the code of the module that defines the experiment and of every engine module
        it uses (followed transitively), so that editing a shared helper marks results stale."""
        h = hashlib.sha256()
        for name in sorted(engine_dependencies(self.func.__module__)):
            module = sys.modules.get(name)
            try:
                source = inspect.getsource(module) if module is not None else ""
            except (OSError, TypeError):
                source = ""
            h.update(name.encode() + b"\0" + source.encode("utf-8") + b"\0")
        if not h.digest():  # pragma: no cover - sha256 always has a digest
            h.update(self.func.__code__.co_code)
        return h.hexdigest()[:16]

    def merged_settings(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        settings = dict(self.defaults)
        for key, value in (overrides or {}).items():
            if key not in settings:
                raise EngineError(
                    f"experiment '{self.id}' has no setting '{key}' (it has: {', '.join(sorted(settings)) or 'none'})"
                )
            default = settings[key]
            if isinstance(default, bool) and isinstance(value, str):
                value = value.lower() in ("1", "true", "yes", "on")
            elif isinstance(default, (int, float)) and not isinstance(default, bool) and isinstance(value, str):
                try:
                    value = type(default)(float(value)) if isinstance(default, int) else float(value)
                except ValueError:
                    raise EngineError(f"setting {self.id}.{key} needs a number, got '{value}'") from None
            settings[key] = value
        return settings


def engine_dependencies(module_name: str) -> set[str]:
    """``module_name`` and the ``engine.*`` modules it refers to, transitively (by its globals)."""
    import types

    seen: set[str] = set()
    todo = [module_name]
    while todo:
        name = todo.pop()
        if name in seen or name not in sys.modules:
            continue
        seen.add(name)
        for obj in vars(sys.modules[name]).values():
            ref = obj.__name__ if isinstance(obj, types.ModuleType) else getattr(obj, "__module__", None)
            if isinstance(ref, str) and ref.startswith("engine.") and ref not in seen:
                todo.append(ref)
    return seen


REGISTRY: dict[str, Experiment] = {}


def experiment(id: str, *, topic: str, seed: int = 0, threads: int | None = None, **defaults: Any):
    """Register ``func(settings, ctx)`` as the experiment ``id`` of ``topic``.

    ``threads=1``: the experiment runs with one CPU thread (small networks gain nothing from torch's
    intra-op threads, and on a shared CPU their spin-waiting made trainings several times slower).
    """
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise EngineError(f"experiment '{id}': threads must be a positive whole number or None, not {threads!r}")

    def decorator(func):
        REGISTRY[id] = Experiment(id=id, topic=topic, func=func, defaults=defaults, seed=seed,
                                  description=(func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else "",
                                  threads=threads)
        return func

    return decorator


def settings_key(settings: Mapping[str, Any], fingerprint: str, device: str, seed: int,
                 data: Mapping[str, str] | None = None) -> str:
    payload = json.dumps({"settings": settings, "code": fingerprint, "device": device, "seed": seed,
                          "data": data or {}}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def to_numpy(value: Any) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)
