"""Engine core: devices, seeds and the experiment registry.

The engine imports torch and numpy only.  An experiment is a function that
takes its settings and a :class:`Context` and returns named numpy arrays (and
optionally extra metadata).  Experiments register themselves with
:func:`experiment`; the cache (``engine.cache``) decides whether to run them.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
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
        it can reach through its imports (``engine.codegraph``, followed transitively), so that editing
        a shared helper marks results stale; and of the data tables the module names in ``DATA_FILES``."""
        h = hashlib.sha256()
        for name, path in engine_dependencies(self.func.__module__).items():
            h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        import sys  # the data tables the module reads (engine/facts.py: its DATA_FILES)
        for path in getattr(sys.modules.get(self.func.__module__), "DATA_FILES", ()):
            h.update(str(Path(path).name).encode() + b"\0" + Path(path).read_bytes() + b"\0")
        return h.hexdigest()[:16]

    def merged_settings(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The defaults with ``overrides`` (from ``--set``: strings, or values) in place, each checked where
        the setting is declared: its type is its default's (whole number, number, true/false, text, a
        list of numbers), and a number must lie in the range ``SETTING_RULES`` gives for its name.  A
        bad one raises ``EngineError`` with one line naming the setting, its value and what it accepts."""
        settings = dict(self.defaults)
        for key, value in (overrides or {}).items():
            if key not in settings:
                raise EngineError(
                    f"experiment '{self.id}' has no setting '{key}' (it has: {', '.join(sorted(settings)) or 'none'})"
                )
            settings[key] = _setting_value(f"{self.id}.{key}", key, settings[key], value)
        return settings


# The range of every numeric setting, by its name (the first rule that matches; a list's elements are
# checked one by one).  Counts, sizes, epochs, steps and points: a whole number ≥ 1 unless named here.
_AT_LEAST_1 = (1, None, False, False)
_AT_LEAST_0 = (0, None, False, False)
_ABOVE_0 = (0, None, True, False)
_PROBABILITY = (0, 1, False, False)
_BELOW_1 = (0, 1, False, True)       # momentum and moment decays: 1 would never forget
_SHARE = (0, 1, True, True)          # a part of a data set: neither none nor all of it
_ANY = (None, None, False, False)
SETTING_RULES: tuple[tuple[str, tuple], ...] = (
    (r"(^|_)seed$", _AT_LEAST_0),
    (r"^(lr|wd)_range$|log10$", _ANY),                                # exponents: lr_range=[-6, -2]
    (r"^neuron$", (-1, None, False, False)),                           # an index; −1 = the strongest
    (r"^(sample|train_limit|decimals|snapshots|.*_classes)$", _AT_LEAST_0),  # an index; 0 = no limit
    (r"^(momentum|beta1|beta2|rmsprop_alpha)$", _BELOW_1),
    (r"(split|share|fraction|holdout|refine_top|^parts)$", _SHARE),
    (r"(^|_)(rates?|p|dropout|keep)$", _PROBABILITY),
    (r"(^|_)lrs?0?($|_)", _ABOVE_0),                                   # learning rates
    (r"(factor|(^|_)eps|fd_step|decay_n|zoom|scale|_std|limit|box|domain|loss|curvatures)$", _ABOVE_0),
    (r"(sigma|noise|lambda_.*|margin|min_delta|near_zero|shift|angle)$", _AT_LEAST_0),
    (r"((^|_)(x|y|w|b|w0|w1|low|high|min|max|start|bias|weight|deg|star)|interval)$", _ANY),  # places
)
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def setting_rule(key: str, default: Any) -> tuple:
    """``(low, high, low_open, high_open)`` for the numeric setting ``key`` (None: unbounded)."""
    import re

    for pattern, rule in SETTING_RULES:
        if re.search(pattern, key):
            return rule
    return _AT_LEAST_1 if isinstance(default, int) else _ANY


def _describe(kind: str, rule: tuple, plural: bool = False) -> str:
    """``a whole number ≥ 1``, ``numbers in [0, 1]`` …"""
    low, high, low_open, high_open = rule
    what = ("whole numbers" if plural else "a whole number") if kind == "int" else ("numbers" if plural else "a number")
    if low is not None and high is not None:
        return f"{what} in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{what} {'>' if low_open else '≥'} {low:g}"
    return what


def _setting_value(name: str, key: str, default: Any, value: Any) -> Any:
    """``value`` for the setting ``name`` whose default is ``default``, converted and checked."""
    def bad(accepts: str):
        return EngineError(f"setting {name}={value} is not accepted: "
                           f"it takes {accepts}")

    if isinstance(default, bool):
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        if isinstance(value, bool):
            return value
        raise bad("true or false (also 1/0, yes/no, on/off)")
    if isinstance(default, (int, float)):
        kind = "int" if isinstance(default, int) else "float"
        rule = setting_rule(key, default)
        accepts = _describe(kind, rule)
        number = _number(value, kind)
        if number is None or not _within(number, rule):
            raise bad(accepts)
        return number
    if isinstance(default, (list, tuple)):
        items = _parse_list(value) if isinstance(value, str) else value
        flat = _flatten(default)
        kind = "int" if flat and all(isinstance(v, int) and not isinstance(v, bool) for v in flat) else "float"
        if not flat or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in flat):
            if isinstance(items, (list, tuple)) and all(isinstance(v, type(flat[0]) if flat else str) for v in items):
                return list(items)
            raise bad(f"a list like {default!r}")
        rule = setting_rule(key, flat[0])
        accepts = f"a list like {default!r} (or comma-separated) of {_describe(kind, rule, plural=True)}"
        if not isinstance(items, (list, tuple)) or _depth(items) != _depth(default):
            raise bad(accepts)
        numbers = [_number(v, kind) for v in _flatten(items)]
        if not numbers or any(n is None or not _within(n, rule) for n in numbers):
            raise bad(accepts)
        return _typed(items, kind)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise bad("text")
        return value
    return value


def _number(value: Any, kind: str) -> int | float | None:
    import math

    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    if kind == "int":
        return int(value) if float(value).is_integer() else None
    return float(value)


def _within(number: float, rule: tuple) -> bool:
    low, high, low_open, high_open = rule
    if low is not None and (number < low or (low_open and number == low)):
        return False
    return high is None or not (number > high or (high_open and number == high))


def _parse_list(text: str):
    text = text.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except ValueError:
            return None
    return [part.strip() for part in text.split(",") if part.strip()]


def _flatten(items) -> list:
    out = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, (list, tuple)) else [item])
    return out


def _depth(items) -> int:
    return 1 + max((_depth(i) for i in items if isinstance(i, (list, tuple))), default=0) \
        if isinstance(items, (list, tuple)) else 0


def _typed(items, kind: str):
    if isinstance(items, (list, tuple)):
        return [_typed(i, kind) for i in items]
    return _number(items, kind)


def engine_dependencies(module_name: str) -> dict[str, Path]:
    """``module_name`` and the ``engine`` modules it can reach through its imports, transitively, with
    their files (the build's stamps use the same ``engine.codegraph.reach`` over the whole project)."""
    import sys

    from . import codegraph

    root = Path(__file__).resolve().parents[1]

    def locate(name: str) -> Path | None:  # a module already loaded is where it was loaded from
        file = getattr(sys.modules.get(name), "__file__", None)
        return Path(file) if file else codegraph.module_file(root, name)

    return codegraph.reach(root, [module_name], packages=("engine",), locate=locate)


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
