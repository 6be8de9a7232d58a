"""A lecture video: one scene rendered by a scene worker (scenes.runner), its mp4 and srt put in place."""
from __future__ import annotations

import shutil
from pathlib import Path
from engine.files import atomic_path

ROOT = Path(__file__).resolve().parents[2]


def scene_file(target: str) -> Path:
    """The file of a ``"scenes.module:Class"`` target's module."""
    return ROOT / (target.split(":")[0].replace(".", "/") + ".py")


def manim_render(*, target: str, output_name: str, results_dir: Path, media_root: Path, quality: str, lang: str,
                 theme: str, log_path: Path, save_sections: bool = False, manim_cache: bool = False,
                 deck_file: Path | None = None, workdir: Path | None = None, one_stream: bool = True,
                 constant_frame_rate: bool = False, stock_manim: bool = False) -> Path:
    """Runs in a scene worker (see builder.execute.scene_pool): render one scene with Manim's API; return
    its video folder.

    Media go to the worker's own folder under ``media_root``; Manim runs in ``workdir`` (default
    ``media_root.parent``); ``deck_file`` replaces the scene's own module (manim-slides decks);
    ``one_stream``, ``constant_frame_rate``: see ``scenes.runner.render``;
    ``stock_manim``: none of the project's speed-ups (one stream is one of them).
    """
    from lecture.settings import Settings
    from scenes import runner

    settings = Settings(lang=lang, theme=theme, results=Path(results_dir))
    return runner.render(deck_file or scene_file(target), target.split(":")[1], output_name, media_root, quality,
                         settings, log_path, save_sections=save_sections, manim_cache=manim_cache, workdir=workdir,
                         one_stream=one_stream and not stock_manim, constant_frame_rate=constant_frame_rate,
                         speedups=not stock_manim)


def video_job(*, target: str, output_name: str, results_dir: Path, media_root: Path, quality: str, lang: str,
              theme: str, log_path: Path, outputs: tuple[Path, Path], manim_cache: bool = False,
              constant_frame_rate: bool = False, stock_manim: bool = False) -> dict:
    """Runs in a scene worker: render one scene, copy its mp4 and srt to ``outputs`` atomically, then check
    the video against its subtitles (``builder.video_check``: empty content under a cue, stills held too
    long, repeated cues); the defects come back as the job's layout problems."""
    video_dir = manim_render(target=target, output_name=output_name, results_dir=results_dir, media_root=media_root,
                             quality=quality, lang=lang, theme=theme, log_path=log_path, manim_cache=manim_cache,
                             constant_frame_rate=constant_frame_rate,
                             stock_manim=stock_manim)
    produced = []
    for dst in outputs:
        src = video_dir / f"{output_name}{Path(dst).suffix}"
        if not src.exists():
            raise RuntimeError(f"manim did not write {src.name}; full log: {log_path}")
        produced.append(str(copy_atomically(src, Path(dst))))
    from builder.video_check import check

    mp4 = next(Path(p) for p in produced if p.endswith(".mp4"))
    found = check(mp4, lang=lang)
    return {"paths": produced, "layout": found.defects,
            "check": {"length": round(found.length, 1), "empty": found.empty_seconds, "still": found.longest_still}}


def copy_atomically(src: Path, dst: Path) -> Path:
    with atomic_path(dst, suffix=dst.suffix) as tmp:
        shutil.copyfile(src, tmp)
    return dst
