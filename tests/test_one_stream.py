"""A scene of the build is encoded as one stream, each held frame once (manim_speedups.one_stream and
manim_speedups.frame_conversion): the viewer sees the frames Manim's per-animation movies show, for as long."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from lecture.settings import Settings

from helpers import x264_settings
from manim_speedups import frame_conversion, one_stream
from scenes import runner

ROOT = Path(__file__).resolve().parents[1]

SCENES = '''
from manim import DOWN, LEFT, RIGHT, Dot, Square, Text
from scenes.base import LectureScene


class Steps(LectureScene):
    def construct(self):
        dot = Dot(LEFT * 3, radius=0.3, color=self.ink)
        self.add(Square(2, color=self.ink))
        self.play(dot.animate.shift(RIGHT * 2), run_time=0.4)
        self.wait(1)
        self.add(Text("둘", color=self.ink).shift(DOWN * 2))  # changes what the next wait holds
        self.wait(0.4)
        self.play(dot.animate.shift(RIGHT * 2), run_time=0.4)
        self.wait(0.6)  # the scene ends on a held frame


class BrokenBetween(LectureScene):
    def construct(self):
        self.play(Dot(color=self.ink).animate.shift(RIGHT), run_time=0.2)
        self.wait(0.2)
        raise ValueError("no such result")
'''


@pytest.fixture
def scene_file(tmp_path):
    path = tmp_path / "stream_scenes.py"
    path.write_text(SCENES, encoding="utf-8")
    return path


def render(tmp_path, scene_file, name, **kwargs) -> Path:
    env = Settings(lang="ko", theme="dark", results=tmp_path)
    video_dir = runner.render(scene_file, "Steps", name, tmp_path / name, "l", env, tmp_path / f"{name}.log", **kwargs)
    return video_dir / f"{name}.mp4"


def packets(path: Path, fps: int = 15) -> list[tuple[int, int]]:
    """Each packet's presentation and decoding time, in frames of ``fps``."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [(round(p.pts * stream.time_base * fps), round(p.dts * stream.time_base * fps))
                for p in container.demux(stream) if p.pts is not None]


def shown(path: Path, fps: int = 15) -> tuple[float, list[np.ndarray]]:
    """The video's duration and the picture on screen at every tick of ``fps``."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        duration = float(container.duration / 1e6)
        decoded = [(float(f.pts * stream.time_base), f.to_ndarray(format="rgb24")) for f in container.decode(stream)]
    times = [t for t, _ in decoded]
    on_screen = []
    for k in range(round(duration * fps)):
        index = int(np.searchsorted(times, k / fps + 1e-6, side="right")) - 1
        on_screen.append(decoded[index][1])
    return duration, on_screen


def test_a_scene_is_one_stream_showing_what_manims_movies_show(tmp_path, scene_file):
    ours = render(tmp_path, scene_file, "ours")
    manims = render(tmp_path, scene_file, "manims", one_stream=False)
    assert len(list((tmp_path / "ours").rglob("partial_movie_files/Steps/*.mp4"))) == 1
    assert len(list((tmp_path / "manims").rglob("partial_movie_files/Steps/*.mp4"))) == 5

    duration, frames = shown(ours)
    manims_duration, manims_frames = shown(manims)
    assert duration == pytest.approx(manims_duration, abs=1e-5) == pytest.approx(len(manims_frames) / 15, abs=1e-5)
    assert len(frames) == len(manims_frames) == 6 + 15 + 6 + 6 + 9
    for k, (a, b) in enumerate(zip(frames, manims_frames)):  # the same pictures at the same times
        assert np.abs(a.astype(int) - b.astype(int)).mean() < 1.0, k
    assert np.abs(frames[-1].astype(int) - frames[26].astype(int)).max() > 100  # the dot did move

    stamps = packets(ours)
    assert all(pts == dts for pts, dts in stamps)  # no reordering: the container's duration is the last frame's end
    # every frame of the plays, each held frame once, and the last held frame's last repeat
    assert sorted(pts for pts, _ in stamps) == [*range(6), 6, 21, *range(27, 33), 33, 41]
    assert "bframes=0" in x264_settings(ours) and "bframes=3" in x264_settings(manims)
    assert len(packets(manims)) == len(manims_frames)
    assert ours.stat().st_size < manims.stat().st_size


def test_a_constant_frame_rate_stream_stores_every_frame(tmp_path, scene_file):
    """render.py --constant-frame-rate: one stream still, but a held frame stored for each repeat."""
    video = render(tmp_path, scene_file, "cfr", constant_frame_rate=True)
    manims = render(tmp_path, scene_file, "manims", one_stream=False)
    assert len(list((tmp_path / "cfr").rglob("partial_movie_files/Steps/*.mp4"))) == 1
    assert sorted(pts for pts, _ in packets(video)) == list(range(42))
    assert "bframes=3" in x264_settings(video)
    duration, frames = shown(video)
    _, manims_frames = shown(manims)
    assert duration == pytest.approx(42 / 15, abs=1e-5) and len(frames) == len(manims_frames) == 42
    for k, (a, b) in enumerate(zip(frames, manims_frames)):
        assert np.abs(a.astype(int) - b.astype(int)).mean() < 1.0, k
    assert runner.encoding(constant_frame_rate=True) != runner.encoding()


def test_sections_keep_a_movie_per_animation(tmp_path, scene_file):
    """render.py slides presents Manim's section videos, cut from the animations' movies."""
    video = render(tmp_path, scene_file, "sections", save_sections=True)
    assert len(list((tmp_path / "sections").rglob("partial_movie_files/Steps/*.mp4"))) == 5
    assert "bframes=3" in x264_settings(video)
    assert not one_stream._enabled


def test_a_scene_failing_between_animations_leaves_no_encoder_behind(tmp_path, scene_file):
    """The scene's stream is open between its animations; a failure there discards it.  In a process
    of its own: a forgotten encoder thread would keep it from exiting."""
    code = textwrap.dedent("""
        import sys, threading
        from pathlib import Path
        sys.path.insert(0, sys.argv[1])
        from manim_speedups import one_stream
        from scenes import runner
        from lecture.settings import Settings
        tmp = Path(sys.argv[2])
        env = Settings(lang="ko", theme="dark", results=tmp)
        try:
            runner.render(Path(sys.argv[3]), "BrokenBetween", "broken", tmp / "broken", "l", env, tmp / "broken.log")
        except runner.SceneFailed as failure:
            print(failure)
        print("encoders left:", [t.name for t in threading.enumerate() if t.name.startswith("partial-movie")])
        print("enabled after:", one_stream._enabled)
    """)
    done = subprocess.run([sys.executable, "-c", code, str(ROOT), str(tmp_path), str(scene_file)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "BrokenBetween failed (ValueError: no such result)" in done.stdout
    assert "encoders left: []" in done.stdout and "enabled after: False" in done.stdout
    assert not list((tmp_path / "broken").rglob("*.mp4"))  # the unfinished stream was discarded


@pytest.mark.parametrize("repeats", [(1, 3, 1, 4), (2, 1, 1), (5,)])
def test_held_frames_are_encoded_once_and_shown_for_their_repeats(tmp_path, repeats):
    """Without B-frames a held frame is encoded once; decoded, the segment shows every repeat of
    every frame where Manim's segment shows it, and lasts as long."""
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    height, width = 64, 96
    rng = np.random.default_rng(1)
    frames = [np.repeat(np.repeat(rng.integers(0, 256, (height // 16, width // 16, 4), dtype=np.uint8), 16, 0), 16, 1)
              for _ in repeats]
    options = tuple(sorted({**runner.ONE_STREAM_OPTIONS, "crf": "0"}.items()))
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", width, height, Fraction(15), options)

    def encode(write, name):
        encoder = VideoSegmentEncoder(target=tmp_path / name, spec=spec)
        for repeat, frame in zip(repeats, frames):
            write(encoder, np.ascontiguousarray(frame), repeat=repeat)
        encoder.finish()
        return tmp_path / name

    ours = encode(frame_conversion._write_frame_converting_changes, "ours.mp4")
    manims = encode(frame_conversion._segment_write_frame, "manims.mp4")
    starts = np.cumsum((0, *repeats))
    expected = sorted({*starts[:-1].tolist(), int(starts[-1]) - 1})
    assert sorted(pts for pts, _ in packets(ours)) == expected
    duration, ours_frames = shown(ours)
    manims_duration, manims_frames = shown(manims)
    assert duration == pytest.approx(manims_duration, abs=1e-5) == pytest.approx(sum(repeats) / 15, abs=1e-5)
    for a, b in zip(ours_frames, manims_frames, strict=True):
        assert np.array_equal(a, b)
