"""Measured speed-ups for Manim 0.22, applied when a scene module is imported.

Every glyph of a ``Text``/``MathTex`` (a ``VMobjectFromSVGPath``) keeps the parsed SVG path it
was built from (``path_obj``, an svgelements object of a few hundred small Python objects).
Manim never changes that path after it has turned it into points, yet

* ``Mobject.copy`` (every ``Transform``, ``FadeIn``/``FadeOut``, ``.animate``) deep-copies it, and
* the partial-movie cache serializes it into the hash of every ``play`` call.

Sharing the parsed path between copies and leaving it out of the hash (its points, which are
hashed, carry the same geometry) makes copies of text-heavy groups about 2.7× and hashing
about 1.8× faster (bench/render.py measures the whole lecture).  ``ManimColor`` is immutable
(Manim itself shares its internal array between colours), so copies share it as well.

Splitting a path into sub-paths (``become``, ``Transform``, smoothing) compared consecutive
anchors with one ``np.allclose`` call each; Manim already has the vectorized comparison (its
camera uses it), and the split is now computed with that.

``Mobject.become`` (``always_redraw`` and every updater that rebuilds a mobject) asks
``align_data`` to skip the point alignment -- the points are overwritten with the target's right
after (Manim PR #2508) -- but ``align_data`` drops the flag when it recurses into the submobjects,
so every glyph, bar and curve below the top level is still subdivided to match its target before
its points are replaced (and keeps the extra curves: issue #1959).  The flag is now passed down; the
colour arrays are still matched in length, as ``become`` interpolates them.

A mobject that is redrawn but has not moved (Manim redraws everything above the first moving
mobject on every frame) is turned into the same Cairo path again and again: its sub-paths are split
and every curve is handed to Cairo by a Python call.  The camera now keeps the Cairo path it built
for each mobject with the points it was built from, and hands it back in one call while the
(displayed) points and the camera's matrix are unchanged; the drawing itself is Cairo's, as before.

tests/test_render_speed.py checks each replacement against the original.
"""
from __future__ import annotations

import weakref

import numpy as np
from manim import Mobject, VMobject
from manim.camera.camera import Camera
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.utils import hashing
from manim.utils.color import ManimColor

_mobject_deepcopy = Mobject.__deepcopy__


def _deepcopy_sharing_parsed_path(self, memo):
    path = self.__dict__.get("path_obj")
    if path is not None:
        memo[id(path)] = path  # deepcopy treats it as already copied: the copy shares it
    return _mobject_deepcopy(self, memo)


def _identity(self, memo):
    return self


def _subpaths_from_points(self, points):
    """``VMobject.get_subpaths_from_points`` with one vectorized comparison of all anchors
    (Manim's own ``get_subpath_split_indices_from_points``, which its camera uses) instead of
    one ``np.allclose`` call per curve: ``become``, ``Transform`` and smoothing call it for
    every curve of every mobject they touch."""
    points = np.asarray(points)
    nppcc = self.n_points_per_cubic_curve
    return [points[start:end] for start, end in self.get_subpath_split_indices_from_points(points)
            if end - start >= nppcc]


_align_data = Mobject.align_data


def _align_data_passing_skip(self, mobject, skip_point_alignment: bool = False):
    """``Mobject.align_data`` that keeps ``skip_point_alignment`` for the whole family."""
    if not skip_point_alignment:
        return _align_data(self, mobject)  # Transform & co.: Manim's own, unchanged
    self.null_point_align(mobject)
    self.align_submobjects(mobject)
    if isinstance(self, VMobject) and isinstance(mobject, VMobject):
        self.align_rgbas(mobject)  # become() interpolates the colour arrays at alpha 1
    else:
        self.align_points(mobject)  # other kinds keep colours per point: Manim's alignment
    for m1, m2 in zip(self.submobjects, mobject.submobjects, strict=True):
        m1.align_data(m2, skip_point_alignment=True)
    return self


_camera_set_path = Camera.set_cairo_context_path
_PATHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _emit_path(ctx, vmobject, points) -> None:
    """Hand ``points`` (already as the camera displays them) to Cairo as Manim's camera does:
    one sub-path per run of joined cubic curves, closed where it ends on its start."""
    nppcc = vmobject.n_points_per_cubic_curve
    xy = points[:, :2].ravel().tolist()
    curve_to = ctx.curve_to
    for start, end in vmobject.get_subpath_split_indices_from_points(points, n_dims=2):
        start, end = int(start), int(end)
        if end - start < nppcc:
            continue
        ctx.new_sub_path()
        ctx.move_to(xy[2 * start], xy[2 * start + 1])
        for i in range(start, end - nppcc + 1, nppcc):
            b = 2 * i + 2
            curve_to(*xy[b:b + 6])
        if vmobject.consider_points_equals_2d(points[start], points[end - 1]):
            ctx.close_path()


def _set_cairo_context_path_cached(self, ctx, vmobject):
    """``Camera.set_cairo_context_path`` that reuses the path last built for ``vmobject`` while
    its displayed points and the context's matrix are the same."""
    points = self.transform_points_pre_display(vmobject, vmobject.points)
    if len(points) == 0:
        return self
    ctx.new_path()
    matrix = tuple(ctx.get_matrix())
    cached = _PATHS.get(vmobject)
    if (cached is not None and cached[0] == matrix and cached[1].shape == points.shape
            and np.array_equal(cached[1], points)):
        ctx.append_path(cached[2])
        return self
    _emit_path(ctx, vmobject, points)
    _PATHS[vmobject] = (matrix, np.array(points, copy=True), ctx.copy_path())
    return self


def apply() -> None:
    VMobjectFromSVGPath.__deepcopy__ = _deepcopy_sharing_parsed_path
    ManimColor.__deepcopy__ = _identity
    ManimColor.__copy__ = lambda self: self
    hashing.KEYS_TO_FILTER_OUT.add("path_obj")
    VMobject.get_subpaths_from_points = _subpaths_from_points
    Mobject.align_data = _align_data_passing_skip
    Camera.set_cairo_context_path = _set_cairo_context_path_cached


apply()
