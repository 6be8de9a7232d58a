"""Paths recorded by the engine (optimizer steps, fits) played back over axes as a tracker advances.

* :func:`point_at` — the path at a fractional step;
* :func:`trace` — the polyline of the steps passed, one mobject updated every frame;
* :func:`runner` — the dot at the path's current point;
* :func:`swatch` — a short line in a path's colour, for legends.
"""
from __future__ import annotations

import numpy as np
from manim import LEFT, RIGHT, Dot, Line, ValueTracker, VMobject

from scenes.base import axes_points


def point_at(path: np.ndarray, k: float) -> np.ndarray:
    """The path at fractional step ``k`` (linear between recorded steps; the last finite point after a stop)."""
    finite = path[np.isfinite(path).all(axis=1)]
    k = float(np.clip(k, 0, len(finite) - 1))
    i = int(np.floor(k))
    j = min(i + 1, len(finite) - 1)
    return finite[i] + (k - i) * (finite[j] - finite[i])


def trace(axes, path: np.ndarray, tracker: ValueTracker, color: str, *, width: float = 4, clip=None) -> VMobject:
    """A polyline through the path up to the tracker's step: one mobject whose points an updater sets on
    every frame (the frames of ``always_redraw``, which built a new polyline each frame and copied it in)."""

    finite = path[np.isfinite(path).all(axis=1)]

    def shown(pts: np.ndarray) -> np.ndarray:
        pts = pts.astype(float)
        return np.clip(pts, clip[0], clip[1]) if clip is not None else pts

    steps = shown(finite)
    placed = {}  # the axes' lines (all axes_points depends on) -> every recorded step in scene points

    def corners() -> np.ndarray:
        k = tracker.get_value()
        n = int(np.clip(np.floor(k), 0, len(finite) - 1))
        # the steps passed, placed once while the axes stay put (a point's place does not depend on the
        # others'), and the point between steps, placed on every frame
        key = b"".join(axis.points.tobytes() for axis in axes.get_axes())
        if key not in placed:
            placed.clear()
            placed[key] = axes_points(axes, *steps.T)
        return np.vstack([placed[key][: n + 1], axes_points(axes, *shown(point_at(path, k)[None]).T)])

    line = VMobject(stroke_color=color, stroke_width=width)
    line.set_points_as_corners(corners())
    line.add_updater(lambda m: m.set_points_as_corners(corners()))
    return line


def runner(axes, path: np.ndarray, tracker: ValueTracker, color: str, radius: float = 0.09, clip=None) -> Dot:
    def where():
        p = point_at(path, tracker.get_value())
        return axes.c2p(*(np.clip(p, clip[0], clip[1]) if clip is not None else p))

    dot = Dot(where(), radius=radius, color=color)
    dot.add_updater(lambda d: d.move_to(where()))
    return dot


def swatch(color: str) -> Line:
    return Line(LEFT * 0.2, RIGHT * 0.2, color=color, stroke_width=6)
