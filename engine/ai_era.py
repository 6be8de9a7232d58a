"""Chapter 1 — the age of AI: the lecture's milestones on a time line, then the same time line against
ImageNet classification error by year (the data of chapter 4), so that the chapter ends on data.

Nothing is trained: the years and errors are read from ``lecture/data/ai_milestones.csv`` and
``lecture/data/imagenet_error.csv`` (each row with its source); the engine computes what the video
says about them (how many times the error fell, the first year below the human reference, the gaps
between milestones).
"""
from __future__ import annotations

import numpy as np

from . import facts
from .claims import Measured, measured
from .core import Context, experiment

DATA_FILES = (facts.path("ai_milestones"), facts.path("imagenet_error"))


@experiment("ai-era", topic="ai-era", seed=0)
def ai_era(settings: dict, ctx: Context):
    """The milestones' years (in the lecture's order) and the ImageNet winners' top-5 error by year."""
    rows = facts.table("ai_milestones")
    years = facts.column(rows, "value")
    net = facts.imagenet()
    error, err_years, human = net["imagenet/error"], net["imagenet/year"], float(net["imagenet/human"])
    below = err_years[error < human]
    return {
        "milestones/key": facts.column(rows, "key", str), "milestones/year": years,
        "milestones/cite": facts.column(rows, "cite", str),
        "milestones/gap": np.diff(years),
        **net,
        "imagenet/fold": np.float64(error[0] / error[-1]),             # how many times lower, first to last
        "imagenet/first_below_human": np.float64(below.min() if len(below) else np.nan),
    }, {"data": "lecture/data/ai_milestones.csv, lecture/data/imagenet_error.csv"}


# --------------------------------------------------------------------------- claims
def claim_error_below_human(results) -> Measured:
    """ImageNet's winning top-5 error falls every year, and from its first year below the human reference
    (5.1 %) it stays below.  Historical data: one 'run'."""
    res = results["ai-era"]
    error, years, human = res["imagenet/error"], res["imagenet/year"], float(res["imagenet/human"])
    falls = bool(np.all(np.diff(error) < 0))
    first = float(res["imagenet/first_below_human"])
    stays = bool(np.isfinite(first) and np.all(error[years >= first] < human))
    return measured(falls and stays, first_error=error[0], last_error=error[-1], human=human, first_below=first,
                    fold=float(res["imagenet/fold"]))


def claim_gaps_shrink(results) -> Measured:
    """The gaps between the lecture's milestones: the last one is shorter than the first (41 → 6 years)."""
    gap = results["ai-era"]["milestones/gap"]
    return measured(bool(gap[-1] < gap[0]), first_gap=gap[0], last_gap=gap[-1])
