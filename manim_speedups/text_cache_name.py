"""``Text`` names its SVG file with the size of the canvas Pango lays it out on (a bug fix).

Pango lays a string out on a canvas the frame's size in pixels and cuts off what does not fit (at 64×36
a title keeps its first few glyphs).  Manim names the SVG file it caches by the text and its settings,
leaving the size out, so a file written at one frame size was read back at every other: after a test
rendered at 64×36, every later scene of the same process and media folder showed clipped titles.
Reported in docs/upstream.md.
"""
from __future__ import annotations

from manim import Text, config

from manim_speedups._patching import patch

_manims_text2hash = Text._text2hash


def _text2hash_with_canvas(self, color) -> str:
    """Manim's name for the string's SVG file, with the canvas size appended."""
    return _manims_text2hash(self, color) + f"-{config.pixel_width}x{config.pixel_height}"


def apply() -> None:
    patch(Text, "_text2hash", _text2hash_with_canvas)
