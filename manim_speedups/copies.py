"""Copies that share what never changes: a glyph's parsed SVG path, colours, plain values.

Every glyph of a ``Text``/``MathTex`` (a ``VMobjectFromSVGPath``) keeps the parsed SVG path it was built
from (``path_obj``, an svgelements object of a few hundred small Python objects).  Manim never changes
that path after it has turned it into points, yet ``Mobject.copy`` (every ``Transform``,
``FadeIn``/``FadeOut``, ``.animate``) deep-copies it, and the partial-movie cache serializes it into the
hash of every ``play`` call.  Copies now share it and the hash leaves it out (its points, which are
hashed, carry the same geometry).  ``ManimColor`` is immutable (Manim itself shares its internal array
between colours), so copies share it as well.  ``Mobject.__deepcopy__`` takes the values
``copy.deepcopy`` returns as they are (numbers, strings, colours) without the call and copies numeric
arrays directly, through the same memo.
"""
from __future__ import annotations

import copy

import numpy as np
from manim import Mobject
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.utils import hashing
from manim.utils.color import ManimColor

from manim_speedups._patching import patch

_mobject_deepcopy = Mobject.__deepcopy__


_SHARED_AS_IS = frozenset({int, float, bool, str, bytes, complex, type(None), ManimColor})


def _deepcopy_mobject(self, memo):
    """``Mobject.__deepcopy__`` with the values ``copy.deepcopy`` returns as they are (numbers,
    strings, None, colours: immutable) taken without the call, and NumPy arrays of numbers copied
    directly, through the same memo (an array two attributes share stays shared in the copy); every
    other value goes through ``copy.deepcopy`` as in Manim.  A mobject has a few dozen attributes,
    most of them such values, and every ``Transform``, ``FadeIn`` and ``.animate`` copies families of
    them."""
    cls = self.__class__
    result = cls.__new__(cls)
    memo[id(self)] = result
    target = result.__dict__
    for key, value in self.__dict__.items():
        kind = type(value)
        if kind in _SHARED_AS_IS:
            target[key] = value
        elif kind is np.ndarray and not value.dtype.hasobject:
            copied = memo.get(id(value))
            if copied is None:
                copied = memo[id(value)] = value.copy(order="K")
                copy._keep_alive(value, memo)
            target[key] = copied
        else:
            target[key] = copy.deepcopy(value, memo)
    result.original_id = str(id(self))
    return result


def _deepcopy_sharing_parsed_path(self, memo):
    path = self.__dict__.get("path_obj")
    if path is not None:
        memo[id(path)] = path  # deepcopy treats it as already copied: the copy shares it
    return _deepcopy_mobject(self, memo)


def _identity(self, memo):
    return self


def _identity_copy(self):
    return self


def apply() -> None:
    patch(Mobject, "__deepcopy__", _deepcopy_mobject)
    patch(VMobjectFromSVGPath, "__deepcopy__", _deepcopy_sharing_parsed_path)
    patch(ManimColor, "__deepcopy__", _identity)
    patch(ManimColor, "__copy__", _identity_copy)
    patch(hashing, "KEYS_TO_FILTER_OUT", hashing.KEYS_TO_FILTER_OUT | {"path_obj"})
