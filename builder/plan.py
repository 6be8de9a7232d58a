"""The plan: what a command would build, as plain data, computed without side effects.

``plan(options, paths, stamps, stage)`` returns ``Job``s: each names its kind, its key in the stamps, its
topic and name, its stamp (the hash of its inputs, ``builder.stamps``), its outputs, the function a
worker runs and that function's keyword arguments, the jobs whose outputs it reads, and whether it is
up to date (its stamp is the recorded one and its outputs are there) or why it would be built.  The
executor (``builder.execute``) runs the jobs that are not up to date; ``render.py --dry-run`` prints them.

Results come first: a figure's or a scene's stamp holds the checksums of the results it draws, so the
outputs are planned after computing (``pending``: results still to compute, whose outputs a dry run
shows as to be built).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from lecture import manifest

from . import stamps as st
from .jobs.figure import figure_job
from .jobs.scene import video_job
from .jobs.slides import chapter_job, convert_job, deck_job, slides_job
from .options import Options, UsageError
from .paths import Paths

# the job modules: each output is stamped with the code its job module can reach, besides its target's
FIGURE_JOB, SCENE_JOB, SLIDES_JOB = "builder.jobs.figure", "builder.jobs.scene", "builder.jobs.slides"


@dataclass(frozen=True)
class Job:
    kind: str                       # result, figure, video, slides, chapter, deck, decks
    key: str                        # its entry in the stamps
    topic: str                      # a topic id, or chNN for a chapter's files
    name: str                       # what it makes: an experiment, figure, scene, or a chapter's files
    stamp: str | None               # the hash of its inputs; None while a result it draws is to be computed
    outputs: tuple[Path, ...]
    func: Callable[..., Any] | None  # what a worker runs (results are computed by the engine, in this process)
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    up_to_date: bool = False
    reason: str = ""                # why it would be built: missing, inputs changed, --force, …
    after: tuple[str, ...] = ()     # the keys of jobs whose outputs it reads
    scene: bool = False             # runs in a scene worker (Manim loaded)


def _status(stamps: st.Stamps, options: Options, key: str, stamp: str | None, outputs, pending=()) -> tuple[bool, str]:
    if pending:
        return False, f"after computing {', '.join(pending)}"
    if options.force:
        return False, "--force"
    if stamp is None:
        return False, "an input is to be built first"
    if not all(Path(p).exists() for p in outputs):
        return False, "missing"
    if stamps.get(key) is None:
        return False, "never built here"
    if stamps.fresh(key, stamp, outputs):
        return True, ""
    return False, "inputs changed" if stamps.get(key) != stamp else "an output is empty"


def _check_results(paths: Paths, needs, pending: set[str]) -> list[str]:
    """The results among ``needs`` still to compute; the others must be stored and intact."""
    from engine.store import StoreError, check

    waiting = []
    for need in needs:
        if need in pending:
            waiting.append(need)
            continue
        try:
            check(need, paths.results)
        except StoreError as exc:
            raise UsageError(str(exc)) from None
    return waiting


def results(options: Options, paths: Paths) -> list[Job]:
    """The experiments of the chosen topics, fresh in the cache or to compute."""
    import engine
    from engine.cache import status
    from engine.core import EngineError, resolve_device

    registry = engine.load_experiments()
    try:
        resolve_device(options.device)
    except EngineError as exc:
        raise UsageError(str(exc)) from None
    pairs = [(t, e) for t in options.topics for e in t.experiments]
    missing = [e for _, e in pairs if e not in registry]
    if missing:
        raise UsageError(f"the manifest names experiments the engine does not define: {', '.join(missing)}")
    jobs = []
    for topic, exp_id in pairs:
        state = status(exp_id, paths.results, options.device, options.overrides_for(exp_id))
        fresh = state == "fresh" and not options.force
        jobs.append(Job("result", f"result:{exp_id}", topic.id, exp_id, None, paths.result(exp_id), None,
                        {"overrides": options.overrides_for(exp_id)}, fresh,
                        "" if fresh else ("--force" if state == "fresh" else state)))
    return jobs


def figures(options: Options, paths: Paths, stamps: st.Stamps, pending: set[str] = frozenset()) -> list[Job]:
    jobs = []
    for topic in options.topics:
        for fig in topic.figures:
            waiting = _check_results(paths, fig.needs, pending)
            outputs = paths.figure(topic, fig.id)
            key = f"figure:{topic.id}:{fig.id}:{options.lang}"
            stamp = None if waiting else st.digest(
                *st.code_inputs(fig.target, FIGURE_JOB), *st.topic_inputs(topic), options.lang,
                *st.result_checksums(paths, fig.needs))
            fresh, reason = _status(stamps, options, key, stamp, outputs, waiting)
            jobs.append(Job("figure", key, topic.id, fig.id, stamp, outputs, figure_job,
                            {"target": fig.target, "needs": fig.needs, "results_dir": paths.results,
                             "lang": options.lang, "stem": paths.figure_stem(topic, fig.id)},
                            fresh, reason))
    return jobs


def scene_code(target: str, job_module: str) -> tuple[str, ...]:
    """The modules a scene's job starts from: its scene, its job module and every module of the
    speed-ups (``manim_speedups.enable`` imports them by computed names; with stock Manim it still
    applies the two bug fixes, ``enable_fixes``)."""
    return (target, job_module, *st.speedup_modules())


def _scene_inputs(options: Options, topic, scene, job_module: str) -> tuple:
    """What a scene's outputs (video or slides) depend on besides the results they draw."""
    return (*st.code_inputs(*scene_code(scene.target, job_module)), *st.topic_inputs(topic),
            options.quality,
            options.lang, options.theme, st.manim_version(),
            "stock Manim" if options.stock_manim else "the project's speed-ups")


def videos(options: Options, paths: Paths, stamps: st.Stamps, pending: set[str] = frozenset()) -> list[Job]:
    from scenes import runner

    jobs = []
    for topic in options.topics:
        for scene in topic.scenes:
            waiting = _check_results(paths, scene.needs, pending)
            outputs = paths.video(topic, scene.id)
            key = f"video:{topic.id}:{scene.id}:{options.lang}:{options.theme}"
            one_stream = not options.manim_cache and not options.stock_manim
            stamp = None if waiting else st.digest(
                *_scene_inputs(options, topic, scene, SCENE_JOB),
                runner.encoding(one_stream=one_stream, constant_frame_rate=options.constant_frame_rate),
                *st.result_checksums(paths, scene.needs))
            fresh, reason = _status(stamps, options, key, stamp, outputs, waiting)
            jobs.append(Job("video", key, topic.id, scene.id, stamp, outputs, video_job,
                            {"target": scene.target, "output_name": paths.manim_output_name(scene.id),
                             "results_dir": paths.results, "media_root": paths.video_media,
                             "quality": options.quality, "lang": options.lang, "theme": options.theme,
                             "log_path": paths.log(scene.id), "outputs": outputs, "manim_cache": options.manim_cache,
                             "constant_frame_rate": options.constant_frame_rate,
                             "stock_manim": options.stock_manim},
                            fresh, reason, scene=True))
    return jobs


def slides(options: Options, paths: Paths, stamps: st.Stamps, pending: set[str] = frozenset()) -> list[Job]:
    """Per scene its narrated steps; per chapter the presentation and handout from its chosen scenes'
    steps, rebuilt only when one of those scenes' steps was (or they are missing); with
    ``--manim-slides`` per scene a deck and per chapter its PowerPoint and PDF."""
    jobs: list[Job] = []
    chosen = {t.id for t in options.topics}
    tail = f"{options.lang}:{options.theme}"
    for chapter in manifest.CHAPTERS:
        scene_jobs, deck_jobs = [], []
        for topic in (t for t in chapter.topics if t.id in chosen):
            for scene in topic.scenes:
                waiting = _check_results(paths, scene.needs, pending)
                checksums = () if waiting else tuple(st.result_checksums(paths, scene.needs))
                inputs = None if waiting else (*_scene_inputs(options, topic, scene, SLIDES_JOB), *checksums)
                common = {"target": scene.target, "output_name": paths.manim_output_name(scene.id),
                          "results_dir": paths.results, "quality": options.quality, "lang": options.lang,
                          "theme": options.theme, "manim_cache": options.manim_cache,
                          "stock_manim": options.stock_manim}
                key = f"slides:{topic.id}:{scene.id}:{tail}"
                stamp = None if waiting else st.digest("sections", *inputs)
                outputs = (paths.sections(topic, scene.id), paths.steps(topic, scene.id))
                scene_jobs.append(Job(
                    "slides", key, topic.id, scene.id, stamp, outputs, slides_job,
                    {**common, "scene_id": scene.id, "media_root": paths.slides_media,
                     "log_path": paths.log(scene.id, "slides"), "dest": outputs[0], "steps_file": outputs[1]},
                    *_status(stamps, options, key, stamp, outputs, waiting), scene=True))
                if options.manim_slides:
                    key = f"deck:{topic.id}:{scene.id}:{tail}"
                    stamp = None if waiting else st.digest("deck", *inputs)
                    outputs = (paths.deck(scene.id),)
                    deck_jobs.append(Job(
                        "deck", key, topic.id, scene.id, stamp, outputs, deck_job,
                        {**common, "scene_id": scene.id, "deck_dir": paths.decks,
                         "deck_file": paths.deck_scene_file(scene.id), "deck": outputs[0],
                         "log_path": paths.log(scene.id, "deck")},
                        *_status(stamps, options, key, stamp, outputs, waiting), scene=True))
        if not scene_jobs:
            continue
        jobs.extend(scene_jobs)
        number = f"ch{chapter.number:02d}"
        key = f"chapter-slides:{number}:{tail}"
        outputs = paths.presentation(chapter)
        stamp = _combined(scene_jobs, "chapter", *st.code_inputs(SLIDES_JOB), chapter.ko, chapter.en, options.lang)
        jobs.append(Job("slides", key, number, "presentation + handout", stamp, outputs, chapter_job,
                        {"chapter": chapter.number, "steps_files": tuple(j.outputs[1] for j in scene_jobs),
                         "slides_dir": paths.slides, "lang": options.lang, "outputs": outputs},
                        *_status(stamps, options, key, stamp, outputs), after=tuple(j.key for j in scene_jobs),
                        scene=True))
        if deck_jobs:
            jobs.extend(deck_jobs)
            key = f"decks:{number}:{tail}"
            outputs = paths.chapter_decks(chapter)
            stamp = _combined(deck_jobs, "decks", *st.code_inputs(SLIDES_JOB))
            jobs.append(Job("deck", key, number, "manim-slides pptx + pdf", stamp, outputs, convert_job,
                            {"scene_ids": tuple(j.name for j in deck_jobs), "slides_folder": paths.deck_configs, "outputs": outputs, "log_path": paths.convert_log(chapter)},
                            *_status(stamps, options, key, stamp, outputs), after=tuple(j.key for j in deck_jobs),
                            scene=True))
    return jobs


def _combined(parts: list[Job], *extra) -> str | None:
    """The stamp of a job made from other jobs' outputs: theirs (None while one of them is unknown)."""
    if any(job.stamp is None for job in parts):
        return None
    return st.digest(*extra, *(f"{job.key}={job.stamp}" for job in parts))


STAGES = {"figures": figures, "videos": videos, "slides": slides}


def plan(options: Options, paths: Paths, stamps: st.Stamps) -> list[Job]:
    """Every job of the command, in order, for ``--dry-run`` (outputs of results still to compute are
    shown as to be built after them)."""
    jobs: list[Job] = []
    pending: set[str] = set()
    if options.command in ("compute", "check", "all"):
        jobs.extend(results(options, paths))
        pending = {job.name for job in jobs if not job.up_to_date}
    stages = {"all": ("figures", "videos"), "figures": ("figures",), "videos": ("videos",),
              "slides": ("slides",)}.get(options.command, ())
    for stage in stages:
        jobs.extend(STAGES[stage](options, paths, stamps, pending))
    return jobs
