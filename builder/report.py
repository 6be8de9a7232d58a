"""What the build tells its user: the plan (``--dry-run``), the manifest with what is built (``list``),
the summary table of a build, its failures and layout warnings, and where to look (the lecture page)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .paths import Paths


@dataclass
class Row:
    kind: str
    topic: str
    name: str
    paths: list[Path] = field(default_factory=list)
    status: str = ""
    seconds: float = 0.0
    detail: str = ""
    layout: list[str] = field(default_factory=list)  # a figure's texts that leave it or meet; a video's defects
    check: dict = field(default_factory=dict)        # a video's classroom check: length, empty s, longest still


def shown(path: Path) -> str:
    return os.path.relpath(path, Path.cwd())


def _paths(paths) -> str:
    if not paths:
        return ""
    return shown(paths[0]) if len(paths) == 1 else f"{shown(paths[0])} (+{len(paths) - 1})"


def print_plan(jobs, console, paths: Paths | None = None) -> None:
    """One line per job: kind, topic/name, up to date or what would be built and why, outputs (and the
    lecture page, written from what is built, when ``paths`` is given)."""
    todo = sum(not job.up_to_date for job in jobs)
    for job in jobs:
        state = "up to date" if job.up_to_date else f"would build ({job.reason})"
        console.print(f"{job.kind:<7} {job.topic + '/' + job.name:<44} {state:<42} → {_paths(job.outputs)}",
                      soft_wrap=True, markup=False)
    if paths is not None:
        console.print(f"{'page':<7} {'lecture page':<44} {'would write':<42} → {shown(paths.index)}",
                      soft_wrap=True, markup=False)
    console.print(f"dry run: {todo} of {len(jobs)} job(s) would run; nothing was written")


def summary(rows: list[Row], console) -> int:
    """The build's table, its layout warnings and failures; 1 when a step failed, else 0."""
    from rich.table import Table

    if not rows:
        return 0
    table = Table(title="build summary")
    for col in ("kind", "topic", "output", "status", "time", "path"):
        table.add_column(col, overflow="fold")
    for row in rows:
        colour = {"FAILED": "red", "built": "green", "computed": "green"}.get(row.status, "dim")
        table.add_row(row.kind, row.topic, row.name, f"[{colour}]{row.status}[/]", f"{row.seconds:.1f} s",
                      _paths(row.paths) + (f"\n{row.detail}" if row.detail else ""))
    console.print(table)
    checked = [r for r in rows if r.check]
    if checked:
        videos = Table(title="classroom check of the videos built (builder/video_check.py)")
        for col in ("video", "length", "empty under a cue", "longest still", "defects"):
            videos.add_column(col, overflow="fold")
        for r in checked:
            videos.add_row(f"{r.topic}/{r.name}", f"{r.check['length']:.1f} s", f"{r.check['empty']:.1f} s",
                           f"{r.check['still']:.1f} s", str(len(r.layout)) if r.layout else "[green]0[/]")
        console.print(videos)
        console.print(f"videos: {sum(r.check['empty'] for r in checked):.1f} s empty under a cue in all, longest "
                      f"still {max(r.check['still'] for r in checked):.1f} s")
    for r in rows:
        if r.status != "FAILED" and r.layout:
            what = "texts that leave the figure or meet" if r.kind == "figure" else "classroom check"
            console.print(f"[yellow]look at:[/] {r.kind} {r.topic}/{r.name}: {what} ({'; '.join(r.layout)})",
                          soft_wrap=True)
    failed = [r for r in rows if r.status == "FAILED"]
    if failed:
        for r in failed:
            console.print(f"[red]failed:[/] {r.kind} {r.topic}/{r.name}: {r.detail}")
        return 1
    if all(r.status in ("cached", "up to date") for r in rows):
        console.print("nothing to do: every output is up to date")
    return 0


def claims(options, paths: Paths, console) -> bool:
    """Judge the claims of the chosen topics on the stored results, save the verdicts beside them (the
    page shows them), print the claims table and one line per failure; True when a claim fails."""
    from rich.table import Table

    from lecture import claims as lecture_claims

    verdicts = lecture_claims.evaluate(options.topics, paths.results)
    if not verdicts:
        return False
    lecture_claims.save(verdicts, paths.results)
    table = Table(title="claims")
    for col in ("topic", "claim", "measured", ""):
        table.add_column(col, overflow="fold")
    for v in verdicts:
        table.add_row(v.topic, v.statement(options.lang), v.measured_text(),
                      "[green]holds[/]" if v.holds else "[red]FAILS[/]")
    console.print(table)
    failed = [v for v in verdicts if not v.holds]
    for v in failed:
        console.print(lecture_claims.failure_line(v, options.lang), markup=False, soft_wrap=True)
    console.print(f"claims: {len(verdicts) - len(failed)} of {len(verdicts)} hold")
    return bool(failed)


def finish(console, paths: Paths, seconds: float, page_written: bool, slides: list[Path] = ()) -> None:
    """The last lines of every build: its time and where to look."""
    console.print(f"done in {seconds:.1f} s → {paths.out}")
    for path in slides:
        console.print(f"slides: {shown(path)}")
    if page_written:
        console.print(f"lecture page: {shown(paths.index)} — {holdings(paths)}")
    elif paths.index.exists():
        console.print(f"lecture page: {shown(paths.index)} (`python render.py page` updates it)")
    else:
        console.print(f"lecture page: {shown(paths.index)}, not written yet (`python render.py page` writes it)")


def holdings(paths: Paths) -> str:
    """``30 videos (14.2 minutes), 53 figures`` in the output folder (the language of this build; a video's
    length is its subtitles' end)."""
    from builder.video_check import read_srt

    videos = sorted(paths.out.glob(f"ch*/*.{paths.lang}.mp4"))
    seconds = 0.0
    for video in videos:
        srt = video.with_suffix(".srt")
        cues = read_srt(srt) if srt.exists() else []
        seconds += cues[-1].end if cues else 0.0
    figures = len(list(paths.out.glob(f"ch*/*.{paths.lang}.png")))
    return f"{len(videos)} videos ({seconds / 60:.1f} minutes), {figures} figures"


def list_table(options, paths: Paths, console) -> None:
    """The manifest, chapter by chapter, with the state of each topic's results, figures and videos."""
    from rich.table import Table

    import engine
    from engine.cache import status
    from lecture import manifest
    from lecture.text import LANGS

    registry = engine.load_experiments()
    table = Table(title="딥러닝의 통계적 이해 — lecture manifest", show_lines=False)
    for col in ("ch", "chapter", "topic", "results", "figures", "videos"):
        table.add_column(col)
    chosen = {t.id for t in options.topics}
    for chapter in manifest.CHAPTERS:
        topics = [t for t in chapter.topics if t.id in chosen]
        if not topics and options.only:
            continue
        if not topics:
            table.add_row(str(chapter.number), f"{chapter.ko} / {chapter.en}", "[dim]—[/]", "", "", "")
            continue
        for i, topic in enumerate(topics):
            res = ", ".join(f"{e}: {status(e, paths.results, options.device) if e in registry else 'undefined'}"
                            for e in topic.experiments)
            figs = sum(paths.figure(topic, f.id, lang)[0].exists() for f in topic.figures for lang in LANGS)
            vids = sum(paths.video(topic, s.id, lang, "dark")[0].exists() for s in topic.scenes for lang in LANGS)
            table.add_row(str(chapter.number) if i == 0 else "", f"{chapter.ko} / {chapter.en}" if i == 0 else "",
                          topic.id, res, f"{figs}/{len(topic.figures) * len(LANGS)}",
                          f"{vids}/{len(topic.scenes) * len(LANGS)}")
    console.print(table)
