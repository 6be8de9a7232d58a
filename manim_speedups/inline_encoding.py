"""A frame is encoded on the thread that drew it, inside ``encoding_inline``.

Inside ``encoding_inline`` (the build's workers, unless a core is left over) a frame is encoded on the
thread that drew it, as it is handed over, instead of on Manim's encoder thread: beside a busy drawing
thread the encoder thread waits for the interpreter lock several times a frame, and on the lecture's
one-job build the two spent about 13 s more CPU time than drawing and encoding in turn (with a worker
per core the difference is within the machine's noise).
"""
from __future__ import annotations

import contextlib

from manim.scene.scene_file_writer import _PartialMovieEncodeJob

from manim_speedups._patching import patch

_job_put = _PartialMovieEncodeJob.put
_inline = [False]


@contextlib.contextmanager
def encoding_inline(on: bool = True):
    """Scenes rendered inside this block encode each frame on the drawing thread, as it is drawn
    (``_put_inline``), instead of on Manim's encoder thread beside it."""
    before, _inline[0] = _inline[0], on
    try:
        yield
    finally:
        _inline[0] = before


def _put_inline(self, repeat: int, frame) -> None:
    """``_PartialMovieEncodeJob.put`` that, inside ``encoding_inline``, writes the frame at once, on the
    calling thread, where Manim queues it for the job's encoder thread: a failure is kept for ``join``
    as that thread keeps it, and the thread itself is left only the end of the stream.

    Beside a scene's drawing, the encoder thread competes with it for the interpreter lock (it needs
    the lock several times a frame: its queue, the converter, PyAV's calls), and both pay for the
    hand-overs: on the lecture's one-job build the worker took 90 s of CPU time with the encoder thread
    (20 s of it on that thread) and 77 s encoding in turn.  Where every core runs a worker the two are
    as fast; render.py keeps the thread where a core is left over."""
    if not _inline[0]:
        return _job_put(self, repeat, frame)
    if self._exception is not None:
        return
    try:
        self.encoder.write_frame(frame, repeat=repeat)
    except BaseException as exception:
        self._capture_exception(exception)


def apply() -> None:
    patch(_PartialMovieEncodeJob, "put", _put_inline)
