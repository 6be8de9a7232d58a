"""The lecture's computation engine (torch and numpy only).

``engine.store`` (numpy only) reads and writes results; ``engine.cache``
computes them.  :func:`load_experiments` imports every topic module, which
registers its experiments in ``engine.core.REGISTRY``.
"""
from __future__ import annotations

import importlib

TOPIC_MODULES = ("activations",)


def load_experiments():
    """Import every experiment module and return the registry."""
    for name in TOPIC_MODULES:
        importlib.import_module(f"engine.{name}")
    from .core import REGISTRY

    return REGISTRY
