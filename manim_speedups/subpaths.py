"""``VMobject.get_subpaths_from_points`` with the anchors compared as Python lists.

Splitting a path into sub-paths (``become``, ``Transform``, smoothing) compared consecutive anchors
with one ``np.allclose`` call each; the anchors are now compared as Python lists, the tolerance test
run only where they differ (the camera's split in ``cairo_paths`` is the same function in 2-D).
"""
from __future__ import annotations

import numpy as np
from manim import VMobject

from manim_speedups._paths import _subpath_starts

from manim_speedups._patching import patch

def _subpaths_from_points(self, points):
    """``VMobject.get_subpaths_from_points`` with the anchors compared as Python lists (see
    ``_subpath_starts``) instead of one ``np.allclose`` call per curve: ``become``, ``Transform`` and
    smoothing call it for every curve of every mobject they touch."""
    points = np.asarray(points)
    n = len(points)
    if n < self.n_points_per_cubic_curve:
        return []
    bounds = _subpath_starts(self, points[:, :3].ravel().tolist(), n, 3)
    return [points[start:end] for start, end in zip(bounds, bounds[1:])
            if end - start >= self.n_points_per_cubic_curve]


def apply() -> None:
    patch(VMobject, "get_subpaths_from_points", _subpaths_from_points)
