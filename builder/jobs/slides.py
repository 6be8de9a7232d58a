"""Slides: a scene's narrated steps (section videos), a chapter's presentation and handout, and the
manim-slides decks (a scene's deck, a chapter's PowerPoint and PDF)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from builder.jobs.scene import manim_render
from engine.files import atomic_path, atomic_write_text


def slides_job(*, target: str, scene_id: str, output_name: str, results_dir: Path, media_root: Path, quality: str,
               lang: str, theme: str, log_path: Path, dest: Path, steps_file: Path, manim_cache: bool = False,
               stock_manim: bool = False) -> dict:
    """Render one scene with its sections saved; copy the section videos to ``dest`` and list them, with
    their narration, in ``steps_file`` (read by the chapter's job)."""
    from lecture import slides

    video_dir = manim_render(target=target, output_name=output_name, results_dir=results_dir, media_root=media_root,
                             quality=quality, lang=lang, theme=theme, log_path=log_path, save_sections=True,
                             manim_cache=manim_cache, stock_manim=stock_manim)
    if dest.exists():
        shutil.rmtree(dest)
    steps = slides.collect_sections(video_dir / "sections", output_name, video_dir / f"{output_name}.srt", dest,
                                    scene_id)
    data = [{"video": step.video.relative_to(dest).as_posix(), "caption": step.caption, "scene": step.scene}
            for step in steps]
    atomic_write_text(steps_file, json.dumps(data, ensure_ascii=False, indent=1))
    return {"paths": [str(dest), str(steps_file)], "detail": f"{len(steps)} steps"}


def chapter_job(*, chapter: int, steps_files: tuple[Path, ...], slides_dir: Path, lang: str,
                outputs: tuple[Path, Path]) -> dict:
    """A chapter's HTML presentation and PDF handout from its scenes' steps."""
    from lecture import manifest, slides

    steps = []
    for steps_file in steps_files:
        for step in json.loads(Path(steps_file).read_text(encoding="utf-8")):
            steps.append(slides.Step(Path(steps_file).parent / step["video"], step["caption"], step["scene"]))
    written = (slides.write_presentation(manifest.CHAPTERS[chapter - 1], steps, slides_dir, lang),
               slides.write_handout(manifest.CHAPTERS[chapter - 1], steps, slides_dir, lang))
    if tuple(map(Path, written)) != tuple(map(Path, outputs)):
        raise RuntimeError(f"lecture.slides wrote {[str(p) for p in written]}, the build expects "
                           f"{[str(p) for p in outputs]} (builder.paths)")
    return {"paths": [str(p) for p in written], "detail": f"{len(steps)} steps"}


def deck_job(*, target: str, scene_id: str, output_name: str, results_dir: Path, deck_dir: Path, deck_file: Path,
             deck: Path, quality: str, lang: str, theme: str, log_path: Path, manim_cache: bool = False,
             stock_manim: bool = False) -> dict:
    """Render one scene as a manim-slides deck (``deck``: manim-slides writes ./slides in Manim's folder)."""
    from scenes.slides_bridge import scene_module

    deck_dir.mkdir(parents=True, exist_ok=True)
    deck_file.write_text(scene_module(target), encoding="utf-8")
    manim_render(target=target, output_name=output_name, results_dir=results_dir, media_root=deck_dir / "media",
                 quality=quality, lang=lang, theme=theme, log_path=log_path, deck_file=deck_file,
                 manim_cache=manim_cache, workdir=deck_dir, stock_manim=stock_manim,
                 one_stream=False)  # manim-slides cuts its slides from the animations' movies
    if not deck.exists():
        raise RuntimeError(f"manim-slides wrote no deck for {scene_id}; full log: {log_path}")
    return {"paths": [str(deck)]}


def convert_job(*, scene_ids: tuple[str, ...], slides_folder: Path, outputs: tuple[Path, ...],
                log_path: Path) -> dict:
    """``manim-slides convert`` several scenes' decks into one file per output (pptx, pdf), atomically."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    for dest in outputs:
        with atomic_path(dest, suffix=dest.suffix) as tmp:
            cmd = [sys.executable, "-m", "manim_slides", "convert", "--folder", str(slides_folder), "--to",
                   dest.suffix.lstrip("."), *scene_ids, str(tmp)]
            with open(log_path, "a") as log:
                proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT)
            if proc.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
                raise RuntimeError(f"manim-slides convert --to {dest.suffix.lstrip('.')} failed; full log: {log_path}")
    return {"paths": [str(p) for p in outputs]}
