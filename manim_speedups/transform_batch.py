"""A ``Transform`` interpolates the members of its family that move on a straight path together.

Their start and end arrays are joined once and the results handed back as slices, with the arithmetic
of Manim's ``interpolate`` element by element: the same numbers, instead of eight small NumPy calls
per member and frame.
"""
from __future__ import annotations

import itertools as it
import operator

import numpy as np
from manim import Mobject, VMobject
from manim.animation.transform import Transform
from manim.utils.bezier import interpolate as _straight

_mobject_interpolate = Mobject.interpolate
_vmobject_interpolate_color = VMobject.interpolate_color
_transform_interpolate_submobject = Transform.interpolate_submobject

from manim_speedups._patching import patch

_transform_interpolate_mobject = Transform.interpolate_mobject
_COLOR_ARRAYS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "sheen_direction")
_COLOR_NUMBERS = ("stroke_width", "background_stroke_width", "sheen_factor")
_ENDS_OF = operator.attrgetter("points", *_COLOR_ARRAYS, *_COLOR_NUMBERS)
# what follows the rows in each array (sheen_direction is one vector per member, no rows)
_WIDTHS = {"points": (3,), "fill_rgbas": (4,), "stroke_rgbas": (4,), "background_stroke_rgbas": (4,),
           "sheen_direction": ()}


def _batched_member(sub, start, target) -> bool:
    """Whether Manim would interpolate this member of a ``Transform`` with ``Mobject.interpolate`` and
    ``VMobject.interpolate_color`` between arrays of equal shapes (what the batch computes)."""
    cls = type(sub)
    if (cls.interpolate is not _mobject_interpolate or cls.interpolate_color is not _vmobject_interpolate_color
            or not isinstance(start, VMobject) or not isinstance(target, VMobject)):
        return False
    for name, width in _WIDTHS.items():  # rows of a member's own length, of the usual width
        a, b = getattr(start, name), getattr(target, name)
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.shape[1:] == width):
            return False
    return all(isinstance(getattr(m, name), (float, int)) for m in (start, target) for name in _COLOR_NUMBERS)


class _TransformBatch:
    """The members of a ``Transform``'s family that ``_interpolate_transform`` interpolates together:
    their start and end arrays joined once (the animation's own copies, which nothing changes while it
    runs: their arrays and numbers are checked by identity on every frame) and the slices that give each
    member its rows back."""

    def __init__(self, families: list):
        self.members = [mobs[0] for mobs in families]
        self.indices = [i for i, mobs in enumerate(families) if _batched_member(*mobs)]
        chosen = set(self.indices)
        self.others = [i for i in range(len(families)) if i not in chosen]
        batch = [families[i] for i in self.indices]
        self.usable = len(batch) >= 2  # else left to Manim
        self.sources = [(mobs[1], mobs[2]) for mobs in batch]
        self.identity = self._identity()
        if not self.usable:
            return
        self.batched = [mobs[0] for mobs in batch]
        self.arrays, self.slices = {}, {}
        for name in ("points", *_COLOR_ARRAYS):
            first = [getattr(mobs[1], name) for mobs in batch]
            second = [getattr(mobs[2], name) for mobs in batch]
            if name == "sheen_direction":  # one vector per member: a row each
                self.arrays[name] = (np.stack(first), np.stack(second))
                continue
            self.arrays[name] = (np.concatenate(first), np.concatenate(second))
            sizes = [len(a) for a in first]
            bounds = np.cumsum(sizes).tolist()
            self.slices[name] = (sizes, [slice(begin, end) for begin, end in zip([0, *bounds[:-1]], bounds)])
        self.numbers = (np.array([[getattr(mobs[1], n) for n in _COLOR_NUMBERS] for mobs in batch], float),
                        np.array([[getattr(mobs[2], n) for n in _COLOR_NUMBERS] for mobs in batch], float))

    def _identity(self) -> list:
        ends = _ENDS_OF
        return [ends(m) for pair in self.sources for m in pair]

    def fits(self, members: list) -> bool:
        return (len(members) == len(self.members) and all(map(operator.is_, members, self.members))
                and all(map(operator.is_, it.chain.from_iterable(self._identity()),
                            it.chain.from_iterable(self.identity))))

    def interpolate(self, alphas: list) -> None:
        members = self.batched
        slices = self.slices
        column = np.array(alphas, float)
        for name, (first, second) in self.arrays.items():
            sizes, parts = slices.get(name, (None, None))
            weights = (column if sizes is None else np.repeat(column, sizes))[:, None]
            result = (1 - weights) * first + weights * second
            if parts is None:  # a row per member
                for member, row in zip(members, result):
                    setattr(member, name, row)
            else:
                for member, part in zip(members, parts):
                    setattr(member, name, result[part])
        numbers = ((1 - column[:, None]) * self.numbers[0] + column[:, None] * self.numbers[1]).tolist()
        for member, values in zip(members, numbers):
            for name, value in zip(_COLOR_NUMBERS, values):
                setattr(member, name, value)
        for member, (_, target), a in zip(members, self.sources, alphas):
            if a == 1.0:  # as Manim's interpolate_color: the target's own values
                for name in (*_COLOR_ARRAYS, *_COLOR_NUMBERS):
                    value = getattr(target, name)
                    setattr(member, name, value.copy() if isinstance(value, np.ndarray) else value)


def _interpolate_transform(self, alpha: float) -> None:
    """``Transform.interpolate_mobject`` (Manim: ``Animation.interpolate_mobject``) with the members
    of the family that move on a straight path interpolated together (``_TransformBatch``): one
    ``(1 - a) * start + a * end`` per attribute for the whole family (``a``: each member's own alpha,
    a column) handed back as slices, instead of eight small NumPy calls per member and frame.  The
    same arithmetic element by element, so the same numbers; a member at alpha 1 takes copies of the
    target's colours, as Manim's ``interpolate_color``; members Manim would treat otherwise (another
    ``interpolate``, shapes that differ) are interpolated by Manim's code."""
    if type(self).interpolate_submobject is not _transform_interpolate_submobject or self.path_func is not _straight:
        return _transform_interpolate_mobject(self, alpha)
    members = self.mobject.family_members_with_points()
    batch = self.__dict__.get("_batch")
    if batch is None or not batch.fits(members):
        families = list(self.get_all_families_zipped())
        batch = self._batch = _TransformBatch(families)
    if not batch.usable:
        return _transform_interpolate_mobject(self, alpha)
    count = len(members)
    if self.lag_ratio == 0:
        alphas = [self.get_sub_alpha(alpha, 0, count)] * len(batch.indices)
    else:
        alphas = [self.get_sub_alpha(alpha, i, count) for i in batch.indices]
    if batch.others:
        families = list(self.get_all_families_zipped())
        for i in batch.others:
            self.interpolate_submobject(*families[i], self.get_sub_alpha(alpha, i, count))
    batch.interpolate(alphas)


def apply() -> None:
    patch(Transform, "interpolate_mobject", _interpolate_transform)
