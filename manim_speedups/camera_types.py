"""``Camera.type_or_raise`` answered once per class.

Which kind of drawing a mobject takes is asked for every mobject on every frame; Manim built its
table of types and ran ``isinstance`` down it on each call.
"""
from __future__ import annotations

from manim.camera.camera import Camera

from manim_speedups._patching import patch

_camera_type_or_raise = Camera.type_or_raise
_RENDERED_AS: dict[type, type] = {}


def _type_or_raise(self, mobject):
    """``Camera.type_or_raise``, answered once per class: Manim builds its table of drawable types (with a
    bound method each) and runs ``isinstance`` down it for every mobject on every frame; the answer
    depends only on the class.  The camera's own table (``display_funcs``, which ``capture_mobjects``
    reads) is still built by Manim's method, on the camera's first call."""
    found = _RENDERED_AS.get(type(mobject))
    if found is None or "display_funcs" not in self.__dict__:
        found = _RENDERED_AS[type(mobject)] = _camera_type_or_raise(self, mobject)
    return found


def apply() -> None:
    patch(Camera, "type_or_raise", _type_or_raise)
