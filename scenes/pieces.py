"""Pieces several topics' scenes draw: a digit from its pixels, a line of numbers at the bottom edge."""
from __future__ import annotations

import numpy as np
from manim import DOWN, VGroup, VMobject, config

from scenes.base import fit_width


def pixel_digit(image: np.ndarray, size: float, color: str, levels: int = 4) -> VGroup:
    """One digit drawn from its pixels: for each grey level, one VMobject whose sub-paths are the runs of
    pixels of that level in each row (a 28 × 28 image becomes a handful of mobjects, not 784).

    Manim's ImageMobject would be the natural choice, but Manim 0.22's Cairo camera fails on it with
    Pillow ≥ 11 ("Invalid mode for data type"), so the picture is vector-drawn; ``levels`` grey levels
    (opacity k/levels) keep the anti-aliased edges.
    """
    x = np.clip(np.asarray(image, dtype=float), 0.0, 1.0)
    rows, cols = x.shape
    q = np.round(x * levels).astype(int)
    cell = size / rows
    group = VGroup()
    for level in range(1, levels + 1):
        shape = VMobject(stroke_width=0).set_fill(color, opacity=level / levels)
        any_run = False
        for r in range(rows):
            c = 0
            while c < cols:
                if q[r, c] != level:
                    c += 1
                    continue
                start = c
                while c < cols and q[r, c] == level:
                    c += 1
                x0, x1 = -size / 2 + start * cell, -size / 2 + c * cell
                y0, y1 = size / 2 - (r + 1) * cell, size / 2 - r * cell
                corners = [np.array(p + (0.0,)) for p in ((x0, y1), (x1, y1), (x1, y0), (x0, y0), (x0, y1))]
                shape.start_new_path(corners[0])
                shape.add_points_as_corners(corners[1:])
                any_run = True
        if any_run:
            group.add(shape)
    return group


def bottom_line(scene: "LectureScene", key: str, **values):
    """A line of numbers at the bottom edge, shrunk to the frame where a language makes it wider."""
    return fit_width(scene.text(key, **values), config.frame_width - 0.8).to_edge(DOWN, buff=0.25)
