"""Level sets of a stored loss surface drawn as Manim curves on a set of axes."""
from __future__ import annotations

import numpy as np
from manim import VGroup, VMobject

from scenes.base import axes_points


def contour_lines(axes, xs, ys, zs, levels, *, color: str, stroke_width: float = 1.5, opacity: float = 0.6) -> VGroup:
    """Level sets of a stored grid (``zs[i, j]`` at ``(xs[j], ys[i])``) as Manim curves."""
    import contourpy

    xs, ys, zs = np.asarray(xs), np.asarray(ys), np.asarray(zs)
    # only the part of the grid inside the axes, so that the curves end at the frame
    cols = (xs >= axes.x_range[0] - 1e-9) & (xs <= axes.x_range[1] + 1e-9)
    rows = (ys >= axes.y_range[0] - 1e-9) & (ys <= axes.y_range[1] + 1e-9)
    gen = contourpy.contour_generator(xs[cols], ys[rows], zs[np.ix_(rows, cols)])
    group = VGroup()
    for level in levels:
        for line in gen.lines(float(level)):
            if len(line) < 2:
                continue
            curve = VMobject(stroke_color=color, stroke_width=stroke_width, stroke_opacity=opacity)
            curve.set_points_as_corners(axes_points(axes, *np.asarray(line, dtype=float).T))
            group.add(curve)
    return group
