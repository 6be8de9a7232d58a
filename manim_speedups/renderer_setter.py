"""Setting ``config.renderer`` reassigns a class's bases only where they change.

Setting ``config.renderer`` (every ``tempconfig`` restores it on leaving: once per scene a worker
renders) assigned ``__bases__`` again to each of Manim's ~150 renderer-convertible classes, 9 ms of MRO
rebuilding and emptied method caches; a class whose bases would not change is now left alone.
"""
from __future__ import annotations

from manim import Mobject, VMobject
from manim._config.utils import ManimConfig
from manim.constants import RendererType

from manim_speedups._patching import patch

_set_renderer = ManimConfig.renderer.fset


def _set_renderer_where_bases_change(self, value) -> None:
    """``ManimConfig.renderer``'s setter, which gives each renderer-convertible class the other
    renderer's bases, without assigning a tuple of bases equal to the class's own (assigning rebuilds
    the MRO of the class and its subclasses and empties their method caches): where no class has a
    base the new renderer converts, the renderer is only recorded, as Manim's setter then records it."""
    from manim.mobject.opengl.opengl_compatibility import ConvertToOpenGL
    from manim.mobject.opengl.opengl_mobject import OpenGLMobject
    from manim.mobject.opengl.opengl_vectorized_mobject import OpenGLVMobject

    renderer = RendererType(value.lower() if isinstance(value, str) else value)
    converted = {OpenGLMobject, OpenGLVMobject} if renderer != RendererType.OPENGL else {Mobject, VMobject}
    if any(converted.intersection(cls.__bases__) for cls in ConvertToOpenGL._converted_classes):
        _set_renderer(self, value)
    else:
        self._set_from_enum("renderer", renderer, RendererType)


def apply() -> None:
    patch(ManimConfig, "renderer", property(ManimConfig.renderer.fget, _set_renderer_where_bases_change,
                                            doc=ManimConfig.renderer.__doc__))
