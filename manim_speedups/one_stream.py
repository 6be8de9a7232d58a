"""One video stream per scene, instead of one movie per animation joined at the end.

Manim encodes every ``play`` and ``wait`` into a movie of its own (the partial-movie cache reuses
them) and joins them when the scene ends.  The build renders with that cache off (see
``scenes.runner``), so the movies serve nothing, yet each costs a new encoder, a key frame and its
stream headers: for the lecture's flat graphics a key frame is many times the size of the frames
after it.  While ``enabled`` is on, a scene's animations are encoded into the one stream opened by its
first animation, on the one encoder thread; Manim then joins that single movie into the scene's video
as before.  Sections (``render.py slides``) and manim-slides read the per-animation movies, so they
render with this off.
"""
from __future__ import annotations

import contextlib

from manim.scene.scene_file_writer import SceneFileWriter

from manim_speedups._patching import patch

_enabled = False


@contextlib.contextmanager
def enabled(on: bool = True):
    """Scenes rendered inside this block (in this process) are encoded as one stream each."""
    global _enabled
    before, _enabled = _enabled, on
    try:
        yield
    finally:
        _enabled = before


_open = SceneFileWriter.open_partial_movie_stream
_close = SceneFileWriter.close_partial_movie_stream
_finish = SceneFileWriter.finish
_abort = SceneFileWriter.abort_encode_jobs


def _open_scene_stream(self, *, animation_index: int, file_path=None) -> None:
    job = self.__dict__.get("_scene_job")
    if job is None or self._current_encode_job is not None:
        _open(self, animation_index=animation_index, file_path=file_path)
        if _enabled and file_path is None and not self.output_spec.save_sections:
            self._scene_job = self._current_encode_job
    else:
        self._current_encode_job = job  # the next animation continues the scene's stream


def _close_scene_stream(self) -> None:
    job = self._current_encode_job
    if job is not None and job is self.__dict__.get("_scene_job"):
        self._current_encode_job = None  # left open for the next animation
    else:
        _close(self)


def _finish_scene_stream(self) -> None:
    job = self.__dict__.pop("_scene_job", None)
    if job is not None:
        self._current_encode_job = job
        _close(self)  # Manim's own: sealed and joined with the jobs in flight
        self.partial_movie_files = [str(job.path)]  # the scene's only movie
    _finish(self)


def _abort_scene_stream(self, reraise_encoder_failures: bool = False) -> None:
    job = self.__dict__.pop("_scene_job", None)
    if job is not None:  # between animations it is not the open job: discard it as Manim discards that
        self._current_encode_job = job
    _abort(self, reraise_encoder_failures=reraise_encoder_failures)


def apply() -> None:
    patch(SceneFileWriter, "open_partial_movie_stream", _open_scene_stream)
    patch(SceneFileWriter, "close_partial_movie_stream", _close_scene_stream)
    patch(SceneFileWriter, "finish", _finish_scene_stream)
    patch(SceneFileWriter, "abort_encode_jobs", _abort_scene_stream)
