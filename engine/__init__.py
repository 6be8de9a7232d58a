"""The lecture's computation engine (torch and numpy only).

``engine.store`` (numpy only) reads and writes results; ``engine.cache``
computes them.  ``INFRASTRUCTURE`` names the modules several topics share (results,
files, data, networks, settings, the stacked MLPs, optimizer paths, the over-fitting
set-up); every other module of the package is a topic module whose ``@experiment``
functions register themselves in ``engine.core.REGISTRY`` when
:func:`load_experiments` imports it.  A topic module imports shared modules only,
never another topic's.
"""
from __future__ import annotations

import importlib
import pkgutil

INFRASTRUCTURE = {"core", "cache", "store", "files", "codegraph", "data", "facts", "nets", "settings", "activation_functions", "stacked_mlp",
                  "optim_paths", "overfit_setup", "claims"}


def topic_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__)
                  if not m.name.startswith("_") and m.name not in INFRASTRUCTURE)


def load_experiments():
    """Import every topic module and return the registry of experiments."""
    for name in topic_modules():
        importlib.import_module(f"engine.{name}")
    from .core import REGISTRY

    return REGISTRY
