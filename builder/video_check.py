"""The classroom check of a rendered video against its subtitles (docs/authoring.md, "Presentation standard").

``check(mp4, srt)`` samples the video at ``FPS`` frames a second (a held frame, stored once, counts for as
long as it is shown) and measures, against the subtitle cues:

* **empty content**: the area below the parked title (the top ``HEADER`` of the frame) shows (almost)
  nothing: fewer than ``EMPTY_SHARE`` of its pixels differ from the background by more than
  ``INK_LEVEL``.  Empty content while a cue plays is a defect (the subtitle describes something not shown).
* **still intervals**: consecutive samples that do not change (no pixel moves by more than
  ``STILL_LEVEL``).  A still interval longer than the longer of ``STILL_LIMIT`` seconds and the reading
  time of the cues it spans is a defect (a still tail, a frame held past its narration).
* **repeated cues**: two consecutive cues with the same text.

It returns a ``VideoCheck`` with the numbers (empty seconds while a cue plays, the longest still, the
length) and one line per defect.  numpy and PyAV only (PyAV comes with Manim).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FPS = 10                      # samples a second
HEADER = 0.12                 # the top share of the frame the parked title may take
INK_LEVEL = 45                # a pixel is ink when it differs from the background by more (0–255)
EMPTY_SHARE = 0.0015          # content is empty when fewer of its pixels are ink
STILL_LEVEL = 3               # a sample is still when no pixel moved by more than this (0–255)
STILL_LIMIT = 3.0             # seconds a still may always last
GRACE = 0.25                  # seconds of empty content within a cue that a fade may take
START = 0.5                   # seconds the title card may take to write itself in at the very start
READING = {"ko": 12.0, "en": 17.0}   # characters a second (scenes.base.LectureScene.reading_chars_per_second)
WIDTH = 320                   # frames are compared at this width


@dataclass
class Cue:
    start: float
    end: float
    text: str


@dataclass
class VideoCheck:
    path: Path
    length: float = 0.0
    empty_seconds: float = 0.0        # empty content while a cue plays
    longest_still: float = 0.0
    empty: list[tuple[float, float]] = field(default_factory=list)    # intervals (s) empty under a cue
    stills: list[tuple[float, float]] = field(default_factory=list)   # intervals (s) held too long
    defects: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.defects


def _seconds(stamp: str) -> float:
    h, m, rest = stamp.split(":")
    s, ms = rest.replace(".", ",").split(",")
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def read_srt(path: Path) -> list[Cue]:
    cues = []
    for block in re.split(r"\n\s*\n", Path(path).read_text(encoding="utf-8").strip()):
        lines = block.strip().splitlines()
        times = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if times is None:
            continue
        a, b = (part.strip() for part in lines[times].split("-->"))
        cues.append(Cue(_seconds(a), _seconds(b), "\n".join(lines[times + 1:]).strip()))
    return cues


def reading_time(text: str, lang: str) -> float:
    return len(text) / READING.get(lang, min(READING.values()))


def samples(mp4: Path, fps: int = FPS) -> tuple[np.ndarray, float]:
    """Grey frames at ``fps`` a second, ``(n, h, WIDTH)`` uint8 (each sample is the frame shown at its time),
    and the video's length in seconds."""
    import av

    frames, stamps = [], []
    with av.open(str(mp4)) as container:
        stream = container.streams.video[0]
        height = max(2, round(stream.codec_context.height * WIDTH / stream.codec_context.width))
        for frame in container.decode(stream):
            stamps.append(float(frame.pts * stream.time_base))
            frames.append(frame.to_ndarray(format="gray", width=WIDTH, height=height))
        length = float(container.duration / av.time_base) if container.duration else 0.0
    if not frames:
        return np.zeros((0, 1, WIDTH), np.uint8), 0.0
    stamps = np.asarray(stamps)
    order = np.argsort(stamps)
    stamps, frames = stamps[order], [frames[i] for i in order]
    length = max(length, stamps[-1] + 1 / fps)
    times = np.arange(0.0, length, 1 / fps)
    index = np.clip(np.searchsorted(stamps, times + 1e-9, side="right") - 1, 0, len(frames) - 1)
    return np.stack([frames[i] for i in index]), length


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[(first, last + 1)]`` of the runs of True in ``mask``."""
    runs, start = [], None
    for i, value in enumerate(mask):
        if value and start is None:
            start = i
        elif not value and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(mask)))
    return runs


def measure(frames: np.ndarray, length: float, cues: list[Cue], lang: str, path: Path = Path("?"),
            fps: int = FPS) -> VideoCheck:
    """The check on sampled grey ``frames`` (see ``samples``)."""
    result = VideoCheck(Path(path), length=length)
    n = len(frames)
    if n == 0:
        result.defects.append("no frames")
        return result
    times = np.arange(n) / fps
    top = int(round(frames.shape[1] * HEADER))
    content = frames[:, top:, :].astype(np.int16)
    background = int(np.median(frames[:, :2, :2]))     # the corner of the frame: the theme's background
    ink = (np.abs(content - background) > INK_LEVEL).mean(axis=(1, 2))
    empty = ink < EMPTY_SHARE
    cue_of = np.full(n, -1)
    for k, cue in enumerate(cues):
        cue_of[(times >= cue.start) & (times < cue.end)] = k
    # empty content while a cue plays (a fade shorter than GRACE is not counted)
    for a, b in _runs(empty & (cue_of >= 0)):
        if a == 0 and b / fps <= START:
            continue  # the title being written in
        if (b - a) / fps > GRACE:
            result.empty.append((a / fps, b / fps))
    result.empty_seconds = round(sum(b - a for a, b in result.empty), 2)
    for a, b in result.empty:
        result.defects.append(f"empty content {a:.1f}–{b:.1f} s while the subtitle says "
                              f"“{_short(cues[cue_of[int(a * fps)]].text)}”")
    # still intervals
    moved = np.abs(np.diff(frames.astype(np.int16), axis=0)).max(axis=(1, 2)) > STILL_LEVEL
    still = np.concatenate([[False], ~moved])                 # sample i shows what sample i − 1 showed
    for a, b in _runs(still):
        first, end = a - 1, b                                 # the interval starts with the frame held
        seconds = (end - first) / fps
        result.longest_still = max(result.longest_still, round(seconds, 2))
        spanned = {int(k) for k in cue_of[first:end] if k >= 0}
        allowed = max([STILL_LIMIT] + [reading_time(cues[k].text, lang) for k in spanned])
        if seconds > allowed + 1 / fps:
            result.stills.append((first / fps, end / fps))
            result.defects.append(f"still {first / fps:.1f}–{end / fps:.1f} s ({seconds:.1f} s, "
                                  f"longer than {allowed:.1f} s)")
    for first, second in zip(cues, cues[1:]):
        if first.text == second.text:
            result.defects.append(f"the cue at {second.start:.1f} s repeats the one before: “{_short(first.text)}”")
    return result


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check(mp4: Path, srt: Path | None = None, lang: str | None = None) -> VideoCheck:
    """Check ``mp4`` (``<Scene>.<lang>.mp4``) against its subtitles (``srt``, by default beside it)."""
    mp4 = Path(mp4)
    srt = Path(srt) if srt is not None else mp4.with_suffix(".srt")
    lang = lang or (mp4.stem.rsplit(".", 1)[-1] if "." in mp4.stem else "ko")
    cues = read_srt(srt) if srt.exists() else []
    frames, length = samples(mp4)
    return measure(frames, length, cues, lang, mp4)
