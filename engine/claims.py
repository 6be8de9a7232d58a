"""Claims: what the narration and the figures say about computed data, as predicates over results.

A topic's engine module defines one function per claim, ``claim_<name>(results) -> Measured``, where
``results`` maps the experiment ids the manifest lists for the claim to their stored
``engine.store.Result``.  The function reads arrays only (numpy), never trains, and returns whether the
statement holds together with the numbers it was judged on, so that the claims table (``render.py
check``), the lecture page and the tests show *why*.  A claim about a stochastic run is judged on every
seed the result stores (``per_seed``): it holds when it holds for each of them.

The manifest (``lecture.manifest``) names each claim: the text key stating it (ko and en, in
``lecture/strings/<topic>.toml``) and ``"engine.<module>:claim_<name>"``; ``lecture.claims`` evaluates
them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

import numpy as np


@dataclass(frozen=True)
class Measured:
    """The verdict of one claim on one set of results."""

    holds: bool
    values: dict[str, float] = field(default_factory=dict)   # the numbers it was judged on, by name
    seeds: int = 1                                          # how many seeds it was judged on (each must hold)
    failing: tuple[int, ...] = ()                           # the seeds (values of the result's seed axis) that fail

    def describe(self, digits: int = 3) -> str:
        """``restored 0.41 · last 0.52 · 5 seeds`` (``failing seeds 3, 4`` when some fail; no seed count for one)."""
        parts = [f"{name} {_fmt(value, digits)}" for name, value in self.values.items()]
        if self.seeds > 1:
            parts.append(f"{self.seeds} seeds")
        if self.failing:
            parts.append("failing seed" + ("s " if len(self.failing) > 1 else " ") + ", ".join(map(str, self.failing)))
        return " · ".join(parts)


def _fmt(value: float, digits: int) -> str:
    value = float(value)
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.{digits}g}"


def measured(holds: bool, seeds: int = 1, failing: Iterable[int] = (), **values: float) -> Measured:
    """``Measured`` with ``values`` given as keywords (floats; numpy scalars accepted)."""
    return Measured(bool(holds), {k: float(np.asarray(v).reshape(())) for k, v in values.items()}, int(seeds),
                    tuple(int(s) for s in failing))


def per_seed(seeds: Iterable[int], holds: Iterable[bool], **values: Iterable[float] | float) -> Measured:
    """A claim judged seed by seed: it holds when it holds on every seed.  ``values`` are reported as
    given (a per-seed sequence is summarised by its worst-to-best range: ``name_min`` and ``name_max``)."""
    seeds = [int(s) for s in seeds]
    holds = [bool(h) for h in holds]
    if len(seeds) != len(holds):
        raise ValueError(f"{len(seeds)} seeds but {len(holds)} verdicts")
    shown: dict[str, float] = {}
    for name, value in values.items():
        arr = np.asarray(value, dtype=float).reshape(-1)
        if arr.size == 1:
            shown[name] = float(arr[0])
        else:
            shown[f"{name}_min"], shown[f"{name}_max"] = float(arr.min()), float(arr.max())
    return Measured(all(holds) and bool(holds), shown, len(seeds),
                    tuple(s for s, h in zip(seeds, holds) if not h))


ClaimFunction = Callable[[Mapping[str, object]], Measured]
