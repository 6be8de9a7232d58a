"""Still mobjects above a moving one are painted from a layer drawn once per ``play``.

During a ``play`` Manim draws the still mobjects below the first moving one once, as the background,
and redraws everything after it on every frame, still or not: a formula panel added after a diagram
that pulses is stroked and filled again for each frame.  Each run of still mobjects in that list (not
animated, no updater, not in the foreground, as Manim decides what moves) is now drawn once per
``play`` into a transparent layer and painted from it in its place; a run whose members or the
camera's view change is drawn directly again.  Cairo blends a layer's antialiased edges with one
rounding more, so a pixel may differ by one level (Manim's frame tests allow one); the 3-D camera,
which shades by orientation, draws as before.
"""
from __future__ import annotations

import cairo
import numpy as np
from manim import VMobject
from manim.camera.camera import Camera
from manim.camera.moving_camera import MovingCamera
from manim.scene.scene import Scene

from manim_speedups._drawing import _draw_members, _view

from manim_speedups._patching import patch

class _LayerPlan:
    """What one ``play`` call may draw from layers: the mobjects that move in it (every animated
    mobject, every mobject with an updater and every foreground mobject, with their families as they
    are on each frame: ``become`` may give a redrawn group new members) and the layers built so far,
    by position of their run in the frame's display list."""

    def __init__(self, movers: list):
        self.movers = movers
        self.layers: dict[int, tuple] = {}   # run index -> (members, view, surface, clip, pixels)
        self.direct: set[int] = set()         # runs whose members or view changed: drawn directly


def _movers(scene) -> list:
    from manim.animation.composition import AnimationGroup

    animated: set = set()

    def collect(animations):
        for animation in animations:
            animated.update(animation.mobject.get_family())
            if isinstance(animation, AnimationGroup):
                collect(animation.animations)

    collect(scene.animations or ())
    foreground = set(scene.foreground_mobjects)
    return [mob for mob in scene.get_mobject_family_members()
            if mob in animated or mob.updaters or mob in foreground]


_play_internal = Scene.play_internal


def _play_internal_with_layers(self, skip_rendering: bool = False):
    """``Scene.play_internal`` with the still mobjects above the first moving one drawn from layers."""
    camera = getattr(self.renderer, "camera", None)
    if type(camera) not in (Camera, MovingCamera) or skip_rendering:
        return _play_internal(self, skip_rendering)
    camera._layer_plan = _LayerPlan(_movers(self))
    try:
        return _play_internal(self, skip_rendering)
    finally:
        camera._layer_plan = None


_capture_mobjects = Camera.capture_mobjects
_MIN_LAYER_RUN = 2


def _layerable(camera, mob, moving) -> bool:
    return mob not in moving and camera.type_or_raise(mob) is VMobject and not mob.get_background_image()



def _capture_mobjects_with_layers(self, mobjects, **kwargs):
    """``Camera.capture_mobjects`` that, during a ``play``, paints each run of still mobjects lying
    above a moving one from a layer drawn once (see the module docstring)."""
    plan = self.__dict__.get("_layer_plan")
    if plan is None or kwargs.get("include_submobjects", True) is not True or set(kwargs) - {"include_submobjects"}:
        return _capture_mobjects(self, mobjects, **kwargs)
    display = self.get_mobjects_to_display(mobjects)
    moving: set = set()
    for mover in plan.movers:
        if mover not in moving:  # else it came with an ancestor's family, and its own family with it
            moving.update(mover.get_family())
    runs: list[tuple[bool, list]] = []
    for mob in display:
        still = _layerable(self, mob, moving)
        if runs and runs[-1][0] == still:
            runs[-1][1].append(mob)
        else:
            runs.append((still, [mob]))
    for index, (still, group) in enumerate(runs):
        if still and len(group) >= _MIN_LAYER_RUN and index not in plan.direct:
            if self._paint_layer(plan, index, group):
                continue
        _draw_members(self, group)


def _paint_layer(self, plan, index, group) -> bool:
    """Paint run ``index`` (``group``) from its layer, drawing the layer first if needed; False where
    the run changed since its layer was drawn (it is then drawn directly for the rest of the play)."""
    ctx = self.get_cairo_context(self.pixel_array)
    view = _view(self, ctx)
    layer = plan.layers.get(index)
    if layer is not None and (len(layer[0]) != len(group) or layer[1] != view
                              or any(a is not b for a, b in zip(layer[0], group))):
        plan.direct.add(index)
        del plan.layers[index]
        return False
    if layer is None:
        pixels = np.zeros_like(self.pixel_array)
        self.display_multiple_vectorized_mobjects(group, pixels)  # with the camera's own context
        self.pixel_array_to_cairo_context.pop(id(pixels), None)   # (Camera caches it by the array's id)
        height, width = pixels.shape[:2]
        surface = cairo.ImageSurface.create_for_data(pixels.data, cairo.FORMAT_ARGB32, width, height)
        alpha = pixels[..., 3]  # Cairo's ARGB32 keeps alpha in the fourth byte, as Manim's RGBA does
        rows = np.flatnonzero(alpha.any(axis=1))
        cols = np.flatnonzero(alpha.any(axis=0))
        clip = None if len(rows) == 0 else (int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1),
                                            int(rows[-1] - rows[0] + 1))
        layer = plan.layers[index] = (tuple(group), view, surface, clip, pixels)
    clip = layer[3]
    if clip is None:
        return True
    ctx.save()
    ctx.identity_matrix()
    ctx.new_path()  # Manim fills and strokes with *_preserve: the last mobject's path is still current
    ctx.rectangle(*clip)
    ctx.clip()
    ctx.set_source_surface(layer[2], 0, 0)
    ctx.paint()
    ctx.restore()
    ctx.new_path()
    return True


def apply() -> None:
    patch(Camera, "_paint_layer", _paint_layer)
    patch(Camera, "capture_mobjects", _capture_mobjects_with_layers)
    patch(Scene, "play_internal", _play_internal_with_layers)
