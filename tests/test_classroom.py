"""The classroom check over every scene of the lecture: each video, rendered as `render.py videos -q l` renders
it (480p15) from the results pinned for the frame tests, in Korean and in English, passes
``builder.video_check`` — content under every cue, no still longer than its cue needs, no cue that repeats
its predecessor (docs/authoring.md, "Presentation standard"). Marked `render`: a few minutes per language
on two cores."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder import video_check
from builder.paths import Paths
from lecture import manifest
from test_cli import ROOT

pytestmark = pytest.mark.render
PINNED = Path(__file__).parent / "control_data" / "results"


def pinned_needs() -> set[str]:
    return {path.name.rsplit(".", 1)[0] for path in PINNED.glob("*/*.json")}


def scenes():
    """(topic, scene) of every scene of the manifest whose results are pinned."""
    have = pinned_needs()
    return [(topic, spec) for topic in manifest.TOPICS for spec in topic.scenes if set(spec.needs) <= have]


@pytest.fixture(scope="module", params=["ko", "en"])
def built(request, tmp_path_factory):
    lang = request.param
    out = tmp_path_factory.mktemp(f"classroom-{lang}")
    results = Paths(out).results
    results.mkdir(parents=True)
    for path in PINNED.glob("*/*"):
        shutil.copyfile(path, results / path.name)
    topics = sorted({topic.id for topic, _ in scenes()})
    proc = subprocess.run([sys.executable, str(ROOT / "render.py"), "videos", "-q", "l", "--lang", lang, "--only",
                           ",".join(topics), "--out", str(out)], capture_output=True, text=True, timeout=3600,
                          env=dict(os.environ, COLUMNS="200"))   # every scene: minutes, more on a loaded machine
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out, lang


def test_every_scene_has_pinned_results():
    """The check covers every scene: a scene whose results are not pinned (no frame test) would be skipped."""
    missing = [spec.id for topic in manifest.TOPICS for spec in topic.scenes if not set(spec.needs) <= pinned_needs()]
    assert not missing, f"no pinned results for {missing}: give each scene a frame test"


def test_every_video_passes_the_classroom_check(built):
    out, lang = built
    failures = []
    for topic, spec in scenes():
        mp4, srt = Paths(out, lang).video(topic, spec.id)
        result = video_check.check(mp4, srt, lang)
        failures += [f"{spec.id} ({lang}): {defect}" for defect in result.defects]
    assert not failures, "\n".join(failures)
