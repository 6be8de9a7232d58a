"""``become`` keeps ``skip_point_alignment`` for the whole family (a bug fix).

``Mobject.become`` (``always_redraw`` and every updater that rebuilds a mobject) asks ``align_data`` to
skip the point alignment -- the points are overwritten with the target's right after (Manim PR #2508)
-- but ``align_data`` drops the flag when it recurses into the submobjects, so every glyph, bar and
curve below the top level is still subdivided to match its target before its points are replaced
(and keeps the extra curves: Manim issue #1959).  The flag is now passed down; the colour arrays are
still matched in length, as ``become`` interpolates them.  Reported in docs/upstream.md.
"""
from __future__ import annotations

from manim import Mobject, VMobject

from manim_speedups._patching import patch

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


def apply() -> None:
    patch(Mobject, "align_data", _align_data_passing_skip)
