"""builder.video_check: empty content under a cue, stills held too long, repeated cues — on synthetic frames
and on a small video written with PyAV (held frames stored once, as the lecture's encoder stores them)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from builder import video_check as vc
from builder.video_check import Cue, measure

H, W = 48, 80
BG = 15


def frames(seconds: float, fps: int = vc.FPS, content=None) -> np.ndarray:
    """Dark frames with a parked title in the header; ``content(i)`` → True draws a moving box below it."""
    n = int(round(seconds * fps))
    out = np.full((n, H, W), BG, np.uint8)
    out[:, 1:4, 2:20] = 230                      # the parked title, in the header
    for i in range(n):
        if content is None or content(i):
            x = 10 + i % 40
            out[i, 20:30, x:x + 12] = 220        # moving content
    return out


def test_a_video_with_content_under_every_cue_passes():
    f = frames(8)
    cues = [Cue(0, 4, "첫 문장입니다."), Cue(4, 8, "두 번째 문장입니다.")]
    result = measure(f, 8.0, cues, "ko")
    assert result.ok, result.defects
    assert result.empty_seconds == 0 and result.longest_still < 0.3


def test_empty_content_while_a_cue_plays_is_a_defect():
    f = frames(8, content=lambda i: i >= 30)     # nothing below the title for the first 3 s
    result = measure(f, 8.0, [Cue(0, 8, "네 점 중 두 점은 y = 1입니다.")], "ko")
    assert not result.ok
    assert result.empty == [(0.0, 3.0)] and result.empty_seconds == 3.0
    assert "empty content 0.0–3.0 s" in result.defects[0] and "네 점 중" in result.defects[0]


def test_a_short_fade_and_silence_without_a_cue_are_not_defects():
    f = frames(8, content=lambda i: not (40 <= i < 42))    # 0.2 s blank: a fade
    assert measure(f, 8.0, [Cue(0, 8, "a")], "en").ok
    blank = frames(8, content=lambda i: i < 40)             # blank after the last cue ended
    assert not measure(blank, 8.0, [Cue(0, 4, "a")], "en").empty


def test_the_title_writing_itself_in_is_not_dead_air():
    f = frames(6, content=lambda i: i >= 4)      # 0.4 s before the first ink: the title card being written
    assert measure(f, 6.0, [Cue(0, 6, "a")], "en").ok
    late = frames(6, content=lambda i: i >= 7)   # 0.7 s: too late
    assert not measure(late, 6.0, [Cue(0, 6, "a")], "en").ok


def test_a_still_longer_than_its_cue_needs_is_a_defect():
    f = frames(12)
    f[40:] = f[40]                              # held from 4 s to 12 s: 8 s still
    short = measure(f, 12.0, [Cue(0, 12, "short")], "en")
    assert short.longest_still == pytest.approx(8.0, abs=0.05)
    assert any("still 4.0–12.0 s (8.0 s" in d for d in short.defects), short.defects
    # a cue that takes 9 s to read allows the still
    long_text = "x" * int(9 * vc.READING["en"])
    assert measure(f, 12.0, [Cue(0, 12, long_text)], "en").ok


def test_repeated_cues_are_a_defect():
    f = frames(6)
    result = measure(f, 6.0, [Cue(0, 3, "같은 문장"), Cue(3, 6, "같은 문장")], "ko")
    assert any("repeats the one before" in d for d in result.defects)


def test_a_light_theme_background_is_read_from_the_frame():
    f = 255 - frames(6, content=lambda i: i >= 30)
    result = measure(f, 6.0, [Cue(0, 6, "a")], "en")
    assert result.empty == [(0.0, 3.0)]


def test_read_srt(tmp_path):
    srt = tmp_path / "X.ko.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:02,500\n첫 줄\n둘째 줄\n\n2\n00:00:02,500 --> 00:00:04,000\n다음\n",
                   encoding="utf-8")
    cues = vc.read_srt(srt)
    assert [(c.start, c.end, c.text) for c in cues] == [(0.0, 2.5, "첫 줄\n둘째 줄"), (2.5, 4.0, "다음")]


def write_mp4(path: Path, pictures: list[tuple[np.ndarray, float]], rate: int = 15) -> None:
    """An H.264 video whose frames are ``(grey picture, seconds shown)``: each stored once, as the lecture's
    encoder stores a held frame."""
    import av
    from fractions import Fraction

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=rate)
        stream.width, stream.height, stream.pix_fmt = W * 4, H * 4, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 1000)
        t = 0.0
        for picture, seconds in pictures:
            rgb = np.repeat(np.kron(picture, np.ones((4, 4), np.uint8))[..., None], 3, axis=2)
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts, frame.time_base = int(round(t * 1000)), Fraction(1, 1000)
            for packet in stream.encode(frame):
                container.mux(packet)
            t += seconds
        last = av.VideoFrame.from_ndarray(rgb, format="rgb24")
        last.pts, last.time_base = int(round(t * 1000)), Fraction(1, 1000)
        for packet in stream.encode(last):
            container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def test_check_reads_a_video_with_held_frames_and_its_subtitles(tmp_path):
    f = frames(4)
    blank = np.full((H, W), BG, np.uint8)
    blank[1:4, 2:20] = 230
    pictures = [(blank, 2.0)] + [(f[i], 0.1) for i in range(20)] + [(f[19], 6.0)]   # 2 s empty, 2 s moving, 6 s held
    mp4 = tmp_path / "Demo.en.mp4"
    write_mp4(mp4, pictures)
    mp4.with_suffix(".srt").write_text("1\n00:00:00,000 --> 00:00:10,000\nA short cue.\n", encoding="utf-8")
    result = vc.check(mp4)
    assert result.length == pytest.approx(10.0, abs=0.2)
    assert result.empty and result.empty[0][0] == 0.0 and result.empty[0][1] == pytest.approx(2.0, abs=0.15)
    assert result.longest_still == pytest.approx(6.0, abs=0.25)
    assert len(result.defects) == 2, result.defects
