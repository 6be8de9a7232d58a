"""Render lecture scenes inside a long-lived worker process.

``render.py`` used to start ``manim render`` once per scene; every video then paid for importing
Manim, compiling its LaTeX and Pango text from an empty cache, and Manim's partial-movie hashing.
A worker process instead renders scene after scene through Manim's own API (``tempconfig`` +
``Scene.render``, as Manim's command line does), so imports, the parsed-SVG and number caches and
the worker's Tex/text folders are shared by every scene it renders.

Manim's partial-movie cache is off unless asked for (``manim_cache=True``): hashing a ``play``
call serializes every mobject on screen, which costs more than re-rendering the animation for
the lecture's scenes (bench/render.py), and ``render.py`` already skips every video whose
inputs did not change.
"""
from __future__ import annotations

import atexit
import contextlib
import fcntl
import importlib
import importlib.util
import logging
import os
import sys
import traceback
from pathlib import Path

from lecture import settings as lecture_settings
from lecture.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
QUALITY_NAMES = {"l": "low_quality", "m": "medium_quality", "h": "high_quality", "p": "production_quality",
                 "k": "fourk_quality"}


# libx264 as the lecture's flat graphics need it.  Manim's default (preset medium, crf 23, and PyAV's
# two sliced threads per movie) spent about 40 % of a video's CPU time in the encoder; "veryfast" at
# crf 21 gives files of the same size and the same look (PSNR within 0.5 dB of Manim's default on
# NeuralNetwork3222 and WeightInitHistograms, on a base of 38 dB set by the 4:2:0 chroma) for 60 % of
# the encoder's time.  One thread per movie: the build runs a worker per core; a single slice also
# compresses better.
VIDEO_ENCODER_OPTIONS = {"preset": "veryfast", "crf": "21", "threads": "1"}
# A scene encoded as one stream (manim_speedups.one_stream): no B-frames, so that a held frame is encoded once
# and shown until the next (manim_speedups.frame_conversion): the lecture's videos take 1.6x less space than as
# Manim's per-animation movies, and the video build less CPU time.  libx264 at "ultrafast" with CABAC
# and deblocking back on, at crf 28: on the 8,023 frames the lecture encodes it took 44 % less time
# than "veryfast" (subme 1, crf 21), 7.4 s instead of 13.3 s, for 13.3 MB instead of 10.0 MB and a
# PSNR of 53.4 dB instead of 50.9 dB (luma; per frame: median 55.4 dB instead of 52.4 dB, 1st percentile
# 46.3 dB instead of 46.5 dB, worst 40.3 dB instead of 42.7 dB: a fast recoloring of many thin lines).
ONE_STREAM_OPTIONS = {"preset": "ultrafast", "crf": "28", "threads": "1", "bf": "0",
                      "x264-params": "cabac=1:deblock=0,0"}


def encoder_options(one_stream: bool = True, constant_frame_rate: bool = False) -> dict[str, str]:
    """libx264's settings: a scene as one stream stores a held frame once unless ``constant_frame_rate``
    (with B-frames, manim_speedups.frame_conversion encodes every repeat, as Manim does)."""
    return ONE_STREAM_OPTIONS if one_stream and not constant_frame_rate else VIDEO_ENCODER_OPTIONS


def encoding(one_stream: bool = True, constant_frame_rate: bool = False) -> str:
    """What a video depends on besides its scene, results, quality and language (render.py's stamp)."""
    layout = "one stream per scene" if one_stream else "a movie per animation"
    return f"{layout}, {sorted(encoder_options(one_stream, constant_frame_rate).items())}"


class SceneFailed(RuntimeError):
    """A scene raised; the message names the exception and the log holds the traceback."""


_slots: dict[Path, int] = {}
_slot_locks: list = []


def worker_media_dir(media_root: Path) -> Path:
    """This process's own Manim media folder under ``media_root``: ``worker-<slot>``.

    The slot is the lowest number no other live process holds (an exclusive lock for the
    process's lifetime), so parallel workers never share a Tex/text cache while a later build
    finds the caches of the earlier one's workers again."""
    media_root = Path(media_root).resolve()
    if media_root not in _slots:
        media_root.mkdir(parents=True, exist_ok=True)
        slot = 0
        while True:
            handle = open(media_root / f".worker-{slot}.lock", "w")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                slot += 1
                continue
            _slot_locks.append(handle)  # held until the process exits
            _slots[media_root] = slot
            break
    return media_root / f"worker-{_slots[media_root]}"


def warm_up() -> None:
    """Process initializer: make the project importable and import Manim once."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import manim  # noqa: F401
    import scenes.base  # noqa: F401  (Manim unchanged: render() enables the speed-ups)


def pool_worker() -> None:
    """Initializer of the build's scene workers: ``warm_up``, and end the process without tearing down
    its heap once the pool lets it go.

    A worker started by spawn leaves through the interpreter's full finalization: every module, cached
    glyph, parsed outline and mobject of the scenes it rendered is freed one object at a time (1.3 s
    after the lecture's 30 videos, while the build waits for it).  Its last exit function ends it
    instead, after multiprocessing's own (the pool has its results; the worker's slot lock and files
    are closed by the operating system) and after flushing the logs and standard streams."""
    warm_up()
    atexit.register(_end_without_teardown)


def _end_without_teardown() -> None:
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


@contextlib.contextmanager
def output_to(log_path: Path):
    """Send this process's stdout and stderr (file descriptors included: LaTeX, ffmpeg) to a log."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log_path, "w") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield log
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def scene_class(scene_file: Path, class_name: str):
    """The scene class: a module of the project is imported by name, any other file by path."""
    scene_file = Path(scene_file).resolve()
    try:
        relative = scene_file.relative_to(ROOT).with_suffix("")
        module = importlib.import_module(".".join(relative.parts))
    except ValueError:  # a generated file outside the project (manim-slides decks)
        name = f"_lecture_scene_{abs(hash(str(scene_file)))}"
        module = sys.modules.get(name)
        if module is None:
            spec = importlib.util.spec_from_file_location(name, scene_file)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
    return getattr(module, class_name)


def render(scene_file: Path, class_name: str, output_name: str, media_root: Path, quality: str,
           settings: Settings, log_path: Path, *, save_sections: bool = False, manim_cache: bool = False,
           workdir: Path | None = None, one_stream: bool = True, constant_frame_rate: bool = False,
           speedups: bool = True, without: tuple[str, ...] = ()) -> Path:
    """Render one scene in this process; return the folder holding its video (and .srt).

    The scene draws with ``settings`` (language, theme, results folder).  Manim's media go to this
    worker's folder under ``media_root``; Manim runs in ``workdir``
    (default: ``media_root.parent``; manim-slides writes ./slides there).  Output, warnings and
    any traceback go to ``log_path``.  ``speedups``: render with the project's speed-ups of Manim
    (``manim_speedups.enable``; but those named in ``without``), or with stock Manim and only the two
    fixes of its bugs (``manim_speedups.enable_fixes``; none on a Manim they were not written for).
    ``one_stream``: encode the scene as one stream (``manim_speedups.one_stream``, a speed-up) unless
    sections or Manim's cache need a movie per animation;
    ``constant_frame_rate``: store every repeat of a held frame (see ``encoder_options``).
    """
    warm_up()
    from manim import config, tempconfig
    from manim.manager import Manager

    import manim_speedups
    from manim_speedups import one_stream as one_stream_module, tex_batch
    from scenes.base import LectureScene

    try:
        if speedups:
            manim_speedups.enable(without=without)
        else:
            manim_speedups.enable_fixes()
    except manim_speedups.ManimVersionError as exc:
        if speedups:
            raise SceneFailed(str(exc)) from None
        manim_speedups.disable()  # another Manim: stock, without the fixes written for 0.22

    scene_file = Path(scene_file).resolve()
    media_dir = worker_media_dir(media_root)
    media_dir.mkdir(parents=True, exist_ok=True)
    workdir = Path(workdir or Path(media_root).resolve().parent)
    one_stream = one_stream and not save_sections and not manim_cache and manim_speedups.is_enabled("one_stream")
    manim_settings = {
        "quality": QUALITY_NAMES[quality],
        "media_dir": str(media_dir),
        "input_file": str(scene_file),
        "output_file": output_name,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "disable_caching": not manim_cache,
        "save_sections": save_sections,
        # encode an animation's movie while the next one renders (Manim's default, 1, makes every
        # animation wait for its movie; its documentation suggests 4)
        "max_inflight_encoders": 4,
        "video_encoder_options": {**config.video_encoder_options,
                                  **encoder_options(one_stream, constant_frame_rate)},
        "preview": False,
    }
    cwd = os.getcwd()
    with output_to(log_path) as log, lecture_settings.using(settings):
        print(f"manim_speedups {manim_speedups.__version__} on Manim {manim_speedups.manim_version()}: "
              f"{', '.join(manim_speedups.enabled()) or 'none'}", file=log, flush=True)
        os.chdir(workdir)
        try:
            with tempconfig(manim_settings), one_stream_module.enabled(one_stream):
                cls = scene_class(scene_file, class_name)
                scene = cls()
                # the scene's formulas in one LaTeX run, while its title card renders
                tex_batch.prefetch(cls, getattr(scene, "typeset_ahead", tuple)(), background=True)
                try:
                    Manager(scene)
                    scene.render()
                finally:
                    tex_batch.wait(errors=False)  # the scene made every formula it needed, or failed
                video_dir = Path(config.get_dir("video_dir", module_name=scene_file.stem))
        except Exception as exc:
            log.flush()
            traceback.print_exc(file=log)
            log.flush()
            first = f"{type(exc).__name__}: {exc}".strip().splitlines()[0]
            raise SceneFailed(f"{class_name} failed ({first}); full log: {log_path}") from None
        finally:
            os.chdir(cwd)
            for cls in LectureScene.THEMED_CLASSES:  # a failed light-theme scene must not leak its colours
                cls.set_default()
    return video_dir
