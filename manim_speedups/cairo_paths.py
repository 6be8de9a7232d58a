"""The camera keeps the Cairo path it built for each mobject while its points are unchanged.

A mobject that is redrawn but has not moved (Manim redraws everything above the first moving mobject on
every frame) was turned into the same Cairo path again and again: its sub-paths split and every curve
handed to Cairo by a Python call.  The camera now keeps the Cairo path it built for each mobject with
the points it was built from, and hands it back in one call while the (displayed) points and the
camera's matrix are unchanged; the drawing itself is Cairo's.  A path it does build (a mobject that
moved) is split into sub-paths by a list comparison (``_paths``).
"""
from __future__ import annotations

import weakref

import numpy as np
from manim.camera.camera import Camera

from manim_speedups._paths import _emit_path

from manim_speedups._patching import patch

_camera_set_path = Camera.set_cairo_context_path
_plain_transform = Camera.transform_points_pre_display
_PATHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _set_cairo_context_path_cached(self, ctx, vmobject):
    """``Camera.set_cairo_context_path`` that reuses the path last built for ``vmobject`` while
    its displayed points and the context's matrix are the same."""
    plain = type(self).transform_points_pre_display is _plain_transform
    # Manim's own camera displays the points as they are (all finite) or one point at the origin: the
    # points themselves are the key (the same bytes display the same path)
    points = vmobject.points if plain else self.transform_points_pre_display(vmobject, vmobject.points)
    if len(points) == 0:
        return self
    ctx.new_path()
    key = (plain, ctx.get_matrix(), points.shape, points.tobytes())  # (plain: the same bytes, shown alike)
    cached = _PATHS.get(vmobject)
    if cached is not None and cached[0] == key:
        ctx.append_path(cached[1])
        return self
    if plain and not np.isfinite(points).all():
        points = np.zeros((1, 3))  # as Manim's camera displays a mobject with a point not finite
    _emit_path(ctx, vmobject, points)
    _PATHS[vmobject] = (key, ctx.copy_path())
    return self


def apply() -> None:
    patch(Camera, "set_cairo_context_path", _set_cairo_context_path_cached)
