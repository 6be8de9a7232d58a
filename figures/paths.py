"""Paths over a loss surface, shared by the figures of gradient descent, the optimizers and learning-rate
decay: a path as markers joined by lines, and the minimum's cross."""
from __future__ import annotations

import numpy as np


def draw_path(ax, xy: np.ndarray, color: str, label: str | None = None, markersize: float = 4.5, **kwargs):
    """A path as markers joined by lines (its finite part); the start as a square.  ``kwargs`` go to the
    path's line (``gid``: the result array it draws, see figures/base.py)."""
    xy = xy[np.isfinite(xy).all(axis=1)]
    ax.plot(xy[:, 0], xy[:, 1], "-o", color=color, markersize=markersize, linewidth=1.8, label=label, **kwargs)
    ax.plot(xy[0, 0], xy[0, 1], "s", color=color, markersize=7, markeredgecolor="black", markeredgewidth=0.6)


def mark_minimum(ax, at, label: str | None = None) -> None:
    ax.plot(at[0], at[1], "+", color="black", markersize=16, markeredgewidth=2.2, zorder=5)
    if label:
        ax.annotate(label, (at[0], at[1]), xytext=(8, -18), textcoords="offset points", fontsize=14)
