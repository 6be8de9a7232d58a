"""``Mobject.update`` without a call for members that have nothing to update.

``Mobject.update`` (every frame, for every member of every family on screen) called itself for each
member and asked ``inspect.signature`` of each updater whether it takes ``dt``; a member with neither
updaters nor members is now skipped (its call would only return) and each updater's answer is kept.
"""
from __future__ import annotations

import inspect
import weakref

from manim import Mobject

from manim_speedups._patching import patch

_mobject_update = Mobject.update
_TIME_BASED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _time_based(updater) -> bool:
    """Whether Manim passes ``dt`` to ``updater`` (it asks ``inspect.signature`` on every call)."""
    try:
        known = _TIME_BASED.get(updater)
    except TypeError:  # not weakly referable
        return "dt" in inspect.signature(updater).parameters
    if known is None:
        known = _TIME_BASED[updater] = "dt" in inspect.signature(updater).parameters
    return known


def _update(self, dt: float = 0, recursive: bool = True):
    """``Mobject.update``: the same updaters called in the same order, without a call for each member
    that has neither updaters nor members (Manim's call would only return) and with each updater's
    signature read once."""
    if self.updating_suspended:
        return self
    for updater in self.updaters:
        if _time_based(updater):
            updater(self, dt)
        else:
            updater(self)
    if recursive:
        for submob in self.submobjects:
            if submob.updaters or submob.submobjects or type(submob).update is not _update:
                submob.update(dt, recursive=recursive)
    return self


def apply() -> None:
    patch(Mobject, "update", _update)
