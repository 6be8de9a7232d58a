"""``ThreeDAxes`` measures its shading gradient once per axis and frame.

``ThreeDAxes`` shades each of its pieces with a gradient between the axis's edges towards and away from
the light, measured over the whole axis for every piece, fill and stroke, on every frame; they are now
measured once per axis and frame.
"""
from __future__ import annotations

import numpy as np
from manim.camera.three_d_camera import ThreeDCamera
from manim.mobject.graphing.coordinate_systems import ThreeDAxes

from manim_speedups._patching import patch

_three_d_capture = ThreeDCamera.capture_mobjects
_axis_shading = ThreeDAxes._set_axis_shading
_frame: list = [None]  # the 3-D frame being drawn (a fresh token per capture), None outside one


def _capture_3d_marking_the_frame(self, mobjects, **kwargs):
    outer = _frame[0]
    _frame[0] = object()
    try:
        return _three_d_capture(self, mobjects, **kwargs)
    finally:
        _frame[0] = outer


def _set_axis_shading_once_per_frame(self) -> None:
    """``ThreeDAxes._set_axis_shading`` whose gradient ends (the axis's extreme edges towards and
    away from the light) are measured once per axis and frame, not for each of its pieces, for fill
    and stroke: the camera changes nothing while it draws a frame."""

    def make_func(axis):
        vect = self.light_source
        memo = [None, None]

        def ends():
            frame = _frame[0]
            if frame is not None and memo[0] is frame:
                return memo[1]
            value = (axis.get_edge_center(-vect), axis.get_edge_center(vect))
            if frame is not None:
                memo[0], memo[1] = frame, value
            return value

        return ends

    for axis in self:
        ends = make_func(axis)
        for submob in axis.family_members_with_points():
            submob.get_gradient_start_and_end_points = ends
            submob.get_unit_normal = lambda a: np.ones(3)
            submob.set_sheen(0.2)


def apply() -> None:
    patch(ThreeDCamera, "capture_mobjects", _capture_3d_marking_the_frame)
    patch(ThreeDAxes, "_set_axis_shading", _set_axis_shading_once_per_frame)
