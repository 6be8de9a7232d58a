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
camera uses it), and the split is now computed with that.  tests/test_render_speed.py checks each
replacement against the original.
"""
from __future__ import annotations

import numpy as np
from manim import Mobject, VMobject
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


def apply() -> None:
    VMobjectFromSVGPath.__deepcopy__ = _deepcopy_sharing_parsed_path
    ManimColor.__deepcopy__ = _identity
    ManimColor.__copy__ = lambda self: self
    hashing.KEYS_TO_FILTER_OUT.add("path_obj")
    VMobject.get_subpaths_from_points = _subpaths_from_points


apply()
