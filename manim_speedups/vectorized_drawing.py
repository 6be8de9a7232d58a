"""``Camera.display_vectorized`` with ``apply_fill`` and the stroke checks written out.

The camera draws every mobject through it, on every frame it redraws it: the same Cairo calls in the
same order, but a fully transparent fill is not handed to Cairo (an OVER of a clear source, which Cairo
skips itself).
"""
from __future__ import annotations

from manim.camera.camera import Camera

from manim_speedups._patching import patch

_display_vectorized = Camera.display_vectorized


def _display_vectorized_inline(self, vmobject, ctx):
    """``Camera.display_vectorized`` with ``apply_fill`` and the zero-width checks of ``apply_stroke``
    written out: the same Cairo calls in the same order, but for a fill of one fully transparent colour,
    which is not handed to Cairo (Cairo paints nothing for it: an OVER of a clear source).  The camera
    draws every mobject through this, on every frame it redraws it."""
    self.set_cairo_context_path(ctx, vmobject)
    if vmobject.get_stroke_width(True) != 0:
        self.apply_stroke(ctx, vmobject, background=True)
    rgbas = self.get_fill_rgbas(vmobject)
    if len(rgbas) == 1:
        rgba = rgbas[0]
        if rgba[3] != 0:
            ctx.set_source_rgba(rgba[2], rgba[1], rgba[0], rgba[3])
            ctx.fill_preserve()
    else:
        self.set_cairo_context_color(ctx, rgbas, vmobject)
        ctx.fill_preserve()
    if vmobject.get_stroke_width() != 0:
        self.apply_stroke(ctx, vmobject)
    return self


def apply() -> None:
    patch(Camera, "display_vectorized", _display_vectorized_inline)
