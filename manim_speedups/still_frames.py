"""A still frame starts from the last one where nothing changed.

Before each ``play`` (and each ``wait``: its whole held frame) Manim draws the still mobjects below the
first moving one from a blank frame.  The camera now remembers, for the last such frame, how each
member looked (its points, colours, widths, joints, gradient ends, by what the camera reads to draw it)
and the frame as it stood after a few prefixes of the drawing order; the next still frame starts from
the longest remembered prefix whose members are unchanged and draws only the rest.  The drawing is
Cairo's, from the same pixels, so the frame is the same, byte for byte; an image, a mobject with a
background image, a changed view or background is drawn again.
"""
from __future__ import annotations

import numpy as np
from manim import VMobject
from manim.camera.camera import Camera
from manim.camera.moving_camera import MovingCamera
from manim.renderer.cairo_renderer import CairoRenderer

from manim_speedups._drawing import _draw_members, _view

_plain_transform = Camera.transform_points_pre_display

from manim_speedups._patching import patch

_save_static_frame_data = CairoRenderer.save_static_frame_data
_MAX_MARKS = 3


class _StaticMemo:
    """What the last still frame drew: the view, each member's look, and the frame as it stood
    after the first ``n`` members, for a few ``n`` (``marks``)."""

    def __init__(self, view: tuple, background):
        self.view = view
        self.background = background
        self.looks: list = []
        self.members: list = []  # kept alive: the looks name members by id
        self.marks: dict[int, np.ndarray] = {}


def _look(camera, mob, plain: bool):
    """Everything the camera reads to draw ``mob`` (a fresh object where that is not known: drawn
    again every time)."""
    if camera.type_or_raise(mob) is not VMobject or mob.get_background_image():
        return object()
    points = mob.points if plain else camera.transform_points_pre_display(mob, mob.points)
    fill = mob.get_fill_rgbas()
    stroke = mob.get_stroke_rgbas()
    back = mob.get_stroke_rgbas(True)
    ends = (np.asarray(mob.get_gradient_start_and_end_points()).tobytes()
            if max(len(fill), len(stroke), len(back)) > 1 else None)
    return (id(mob), points.shape, points.tobytes(), fill.shape, fill.tobytes(), stroke.shape, stroke.tobytes(),
            back.shape, back.tobytes(), mob.get_stroke_width(), mob.get_stroke_width(True),
            mob.joint_type, mob.cap_style, ends)


def _save_static_frame_data_reusing(self, scene, static_mobjects):
    """``CairoRenderer.save_static_frame_data`` that starts from the frame as the previous still frame
    stood after the members the two share at the start of the list (unchanged, drawn over the same
    view): a ``wait`` redraws only what changed since the last one and what lies above it."""
    camera = self.camera
    if type(camera) not in (Camera, MovingCamera) or not static_mobjects:
        camera.__dict__.pop("_static_memo", None)
        return _save_static_frame_data(self, scene, static_mobjects)
    self.static_image = None
    members = camera.get_mobjects_to_display(static_mobjects)
    ctx = camera.get_cairo_context(camera.pixel_array)
    view = _view(camera, ctx)
    plain = type(camera).transform_points_pre_display is _plain_transform
    looks = [_look(camera, mob, plain) for mob in members]
    memo = camera.__dict__.get("_static_memo")
    if memo is None or memo.view != view or memo.background is not camera.background:
        memo = camera._static_memo = _StaticMemo(view, camera.background)
    same = 0
    for old, new in zip(memo.looks, looks):
        if old != new:
            break
        same += 1
    marks = {n: pixels for n, pixels in memo.marks.items() if n <= same}
    start = max(marks, default=0)
    if start:
        camera.set_frame_to_background(marks[start])
    else:
        camera.reset()
    for end in sorted({same, len(members)}):
        if end > start:
            _draw_members(camera, members[start:end])
            marks[end] = np.array(camera.pixel_array)
            start = end
    for n in sorted(marks)[:-_MAX_MARKS]:
        del marks[n]
    memo.looks, memo.members, memo.marks = looks, members, marks
    self.static_image = self.get_frame()
    return self.static_image


def apply() -> None:
    patch(CairoRenderer, "save_static_frame_data", _save_static_frame_data_reusing)
