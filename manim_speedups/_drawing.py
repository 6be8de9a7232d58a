"""Drawing a display list and what places a drawing on the frame (shared by ``layers`` and
``still_frames``)."""
from __future__ import annotations

import itertools as it

def _draw_members(camera, members: list) -> None:
    """Draw ``members`` (a display list) onto the frame, as ``Camera.capture_mobjects`` draws its list."""
    for kind, batch in it.groupby(members, camera.type_or_raise):
        camera.display_funcs[kind](list(batch), camera.pixel_array)


def _view(camera, ctx) -> tuple:
    """What places a drawing on the frame: the context's matrix, the camera's frame, the pixel array."""
    return (tuple(ctx.get_matrix()), tuple(camera.frame_center), camera.frame_width, camera.frame_height,
            camera.pixel_array.shape, camera.pixel_array.dtype.str)
