"""Coordinate planes: axes drawn as a labelled frame, and an axes' coordinate map for whole arrays."""
from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, Axes, MathTex, VGroup, VMobject

from lecture.text import fmt

from manim_speedups import tex_batch


def framed_axes(x_range, y_range, x_length: float, y_length: float, xticks, yticks, *, color: str,
                font_size: float = 26):
    """Axes used only for coordinates, drawn as a box with tick labels on the left and bottom edges
    (so that no axis line crosses the paths when 0 lies inside the ranges).  Returns ``(axes, frame)``."""
    axes = Axes(x_range=x_range, y_range=y_range, x_length=x_length, y_length=y_length, tips=False,
                axis_config={"stroke_opacity": 0, "include_ticks": False})
    (x0, x1), (y0, y1) = x_range[:2], y_range[:2]
    corners = [axes.c2p(x0, y0), axes.c2p(x1, y0), axes.c2p(x1, y1), axes.c2p(x0, y1), axes.c2p(x0, y0)]
    box = VMobject(stroke_color=color, stroke_width=2)
    box.set_points_as_corners(corners)
    tex_batch.ahead([fmt(v) for v in (*xticks, *yticks)])  # the labels in one LaTeX run
    labels = VGroup()
    for x in xticks:
        labels.add(MathTex(fmt(x), font_size=font_size, color=color).next_to(axes.c2p(x, y0), DOWN, buff=0.1))
    for y in yticks:
        labels.add(MathTex(fmt(y), font_size=font_size, color=color).next_to(axes.c2p(x0, y), LEFT, buff=0.1))
    return axes, VGroup(box, labels)


def affine(axes):
    """The axes' (linear) coordinate map as a vectorized function: c2p for whole arrays at once."""
    x0, y0 = axes.x_range[0], axes.y_range[0]
    o = np.asarray(axes.c2p(x0, y0))
    ex, ey = np.asarray(axes.c2p(x0 + 1, y0)) - o, np.asarray(axes.c2p(x0, y0 + 1)) - o

    def to_points(xs, ys):
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        return o + (xs - x0)[..., None] * ex + (ys - y0)[..., None] * ey

    return to_points
