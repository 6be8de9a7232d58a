"""The Pillow that set-up installs lets Manim draw an ImageMobject (heat-maps and digits need it)."""
from __future__ import annotations

import numpy as np
from manim import ImageMobject
from manim.camera.camera import Camera


def test_image_mobject_renders():
    rng = np.random.default_rng(0)
    pixels = (rng.random((12, 16, 4)) * 255).astype(np.uint8)
    pixels[..., 3] = 255
    camera = Camera(pixel_width=160, pixel_height=90)
    camera.capture_mobject(ImageMobject(pixels).set(height=6))
    frame = camera.get_image()
    assert np.asarray(frame)[..., :3].std() > 10  # the image is on the frame, not a blank background
