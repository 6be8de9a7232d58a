"""End to end: render.py builds the activations topic (figures, Korean and English videos, subtitles),
and a second run rebuilds nothing.  Marked `render` (about two minutes at preview quality)."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from helpers import assert_figure_files
from test_cli import render

pytestmark = pytest.mark.render
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def check_video(path: Path, min_seconds: float = 10.0) -> None:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (854, 480)
        duration = float(container.duration / 1e6)
        assert duration > min_seconds, duration
        frames = [f.to_ndarray(format="gray") for _, f in zip(range(200), container.decode(video=0))]
    assert np.std(frames[-1]) > 5, "the video's frames look blank"


def check_subtitles(path: Path, korean: bool) -> list:
    import srt

    subs = list(srt.parse(path.read_text(encoding="utf-8")))
    assert len(subs) >= 6
    assert all(s.end > s.start for s in subs)
    assert all(a.start <= b.start for a, b in zip(subs, subs[1:]))
    has_hangul = any(HANGUL.search(s.content) for s in subs)
    assert has_hangul == korean
    return subs


def test_build_activations_twice_then_english(tmp_path):
    out = tmp_path / "build"
    first = render("all", "--only", "activations", "--out", str(out), "--jobs", "2")
    assert first.returncode == 0, first.stdout + first.stderr
    topic = out / "ch02-activations"
    assert_figure_files(topic / "activation-functions.ko")
    check_video(topic / "ActivationFunctions.ko.mp4")
    subs = check_subtitles(topic / "ActivationFunctions.ko.srt", korean=True)
    # the subtitles carry the computed numbers
    assert any("0.25" in s.content for s in subs)

    again = render("all", "--only", "activations", "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert "nothing to do" in again.stdout
    assert "computed" not in again.stdout and "built" not in again.stdout

    english = render("all", "--lang", "en", "--only", "activations", "--out", str(out))
    assert english.returncode == 0, english.stdout + english.stderr
    check_video(topic / "ActivationFunctions.en.mp4")
    check_subtitles(topic / "ActivationFunctions.en.srt", korean=False)
    assert_figure_files(topic / "activation-functions.en")
    # no temporary files left behind
    assert not [p for p in topic.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
