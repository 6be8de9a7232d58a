"""End to end: render.py builds the activations topic (figures, Korean and English videos, subtitles,
the lecture page); a second run rebuilds nothing; the slides work in headless Chromium (the course page in
Chromium is tests/test_page_e2e.py).
Marked `render` (a few minutes at preview quality)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from helpers import assert_figure_files
from test_cli import ROOT, render

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


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build activations in Korean, again (a no-op), then in English; return the folder and outputs."""
    out = tmp_path_factory.mktemp("e2e") / "build"
    runs = {"first": render("all", "--only", "activations", "--out", str(out), "--jobs", "2")}
    runs["again"] = render("all", "--only", "activations", "--out", str(out))
    runs["english"] = render("all", "--lang", "en", "--only", "activations", "--out", str(out))
    return out, runs


def test_korean_build(built):
    out, runs = built
    assert runs["first"].returncode == 0, runs["first"].stdout + runs["first"].stderr
    topic = out / "ch02-activations"
    assert_figure_files(topic / "activation-functions.ko")
    check_video(topic / "ActivationFunctions.ko.mp4")
    subs = check_subtitles(topic / "ActivationFunctions.ko.srt", korean=True)
    assert any("0.25" in s.content for s in subs)  # the subtitles carry the computed numbers
    assert (out / "results" / "activations.json").exists()
    # rendered by a scene worker in its own media folder, with Manim's partial-movie cache off
    assert (out / ".manim" / "worker-0" / "Tex").is_dir()
    partial = list((out / ".manim" / "worker-0").rglob("partial_movie_files/*/*.mp4"))
    assert partial and all(p.name.startswith("uncached_") for p in partial)


def test_second_run_rebuilds_nothing(built):
    _, runs = built
    again = runs["again"]
    assert again.returncode == 0, again.stderr
    assert "nothing to do" in again.stdout
    assert "computed" not in again.stdout and "built" not in again.stdout
    assert again.stdout.strip().splitlines()[-1].startswith("lecture page: ")  # where to look, last


def test_english_build(built):
    out, runs = built
    assert runs["english"].returncode == 0, runs["english"].stdout + runs["english"].stderr
    topic = out / "ch02-activations"
    check_video(topic / "ActivationFunctions.en.mp4")
    en = check_subtitles(topic / "ActivationFunctions.en.srt", korean=False)
    ko = check_subtitles(topic / "ActivationFunctions.ko.srt", korean=True)
    timing = lambda subs: [(round(s.start.total_seconds(), 2), round(s.end.total_seconds(), 2)) for s in subs]
    assert timing(en) == timing(ko)  # either track fits either video
    assert_figure_files(topic / "activation-functions.en")
    assert not [p for p in topic.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.fail("Chromium and chromedriver are needed: run `bash scripts/setup.sh`")
    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,2000", "--autoplay-policy=no-user-gesture-required"):
        opts.add_argument(arg)
    opts.binary_location = browser
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=opts)


def test_slides_presentation_and_handout(built):
    """`render.py slides`: the sections of the scene as steps of an offline presentation and a PDF handout."""
    import json
    import time

    out, _ = built
    proc = render("slides", "--manim-slides", "--only", "activations", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # incremental: the scene's steps, the chapter's presentation and handout and the decks are stamped
    again = render("slides", "--manim-slides", "--only", "activations", "--out", str(out))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "nothing to do" in again.stdout and "built" not in again.stdout, again.stdout
    html_path, pdf_path = out / "slides" / "ch02.ko.html", out / "slides" / "ch02.ko.pdf"
    steps = json.loads(re.search(r"const steps = (\[.*?\]);\n", html_path.read_text(encoding="utf-8")).group(1))
    subs = check_subtitles(out / "ch02-activations" / "ActivationFunctions.ko.srt", korean=True)
    assert len(steps) == len(subs)  # one step per narrated subtitle
    assert [s["caption"] for s in steps] == [s.content for s in subs]
    for step in steps:
        assert (html_path.parent / step["src"]).stat().st_size > 1000
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf_path.read_bytes()))
    assert pages == len(steps)
    # the handout embeds the font it declares (TrueType outlines, not CFF: figures/fonts.py)
    from tests.test_figure_fonts import pdf_parts

    programs, _ = pdf_parts(pdf_path.read_bytes())
    assert programs and all(p[:4] == b"\x00\x01\x00\x00" for p in programs)
    # every step ends on content, the first included (no step of an empty frame under its caption)
    import numpy as np

    from lecture.slides import last_frame

    for step in steps:
        frame = last_frame(html_path.parent / step["src"]).astype(int)
        below = frame[int(frame.shape[0] * 0.12):].mean(axis=2)
        assert (np.abs(below - np.median(frame[:4, :4].mean(axis=2))) > 45).mean() > 0.0015, step["caption"]

    # --manim-slides: the same steps as a manim-slides deck, one slide per step with the narration as
    # speaker notes, converted by manim-slides to PowerPoint and PDF
    from pptx import Presentation

    deck = Presentation(str(out / "slides" / "manim-slides" / "ch02.ko.pptx"))
    notes = [sl.notes_slide.notes_text_frame.text for sl in deck.slides if sl.has_notes_slide]
    assert len(deck.slides) == len(steps)
    assert [n for n in notes if n] == [s.content for s in subs]
    deck_pdf = (out / "slides" / "manim-slides" / "ch02.ko.pdf").read_bytes()
    assert deck_pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page[^s]", deck_pdf)) == len(steps)

    driver = chromium()
    try:
        driver.get(html_path.as_uri())
        state = lambda: driver.execute_script(
            "const v = document.getElementById('screen');"
            "return {ready: v.readyState, t: v.currentTime, counter: document.getElementById('counter').textContent}")
        deadline = time.time() + 20
        while time.time() < deadline and not (state()["ready"] >= 2 and state()["t"] > 0):
            time.sleep(0.3)
        assert state()["counter"].startswith(f"1 / {len(steps)}")
        driver.find_element("tag name", "body").send_keys("\ue014")  # arrow right
        time.sleep(0.5)
        assert state()["counter"].startswith(f"2 / {len(steps)}")
        assert not [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()


def test_constant_frame_rate_is_a_switch_that_rebuilds(tmp_path):
    """By default a held frame is stored once; --constant-frame-rate stores every frame, and switching
    rebuilds the video (the encoding is part of its stamp)."""
    import av

    def stored_and_shown(path: Path) -> tuple[int, int]:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stored = sum(1 for p in container.demux(stream) if p.pts is not None)
            return stored, round(float(container.duration / 1e6) * 15)

    out = tmp_path / "build"
    video = out / "ch02-activations" / "ActivationFunctions.ko.mp4"
    assert render("compute", "--only", "activations", "--out", str(out)).returncode == 0
    cfr = render("videos", "--only", "activations", "--out", str(out), "--constant-frame-rate")
    assert cfr.returncode == 0, cfr.stdout + cfr.stderr
    stored, shown = stored_and_shown(video)
    assert stored == shown > 300
    default = render("videos", "--only", "activations", "--out", str(out))
    assert default.returncode == 0 and "built" in default.stdout, default.stdout + default.stderr
    stored, shown_again = stored_and_shown(video)
    assert shown_again == shown and stored < 0.9 * shown


def test_stock_manim_renders_the_topic_with_manims_own_code(built, tmp_path):
    """`render.py --stock-manim`: the worker draws with Manim's own code (only the two bug fixes), the
    video is stamped apart (switching rebuilds it), and it shows what the speed-ups' video shows."""
    import av

    out, _ = built
    stock = tmp_path / "build"
    shutil.copytree(out / "results", stock / "results")
    run = render("videos", "--only", "activations", "--out", str(stock), "--stock-manim")
    assert run.returncode == 0, run.stdout + run.stderr
    video = stock / "ch02-activations" / "ActivationFunctions.ko.mp4"
    check_video(video)
    log = (stock / "logs").rglob("ActivationFunctions*.log")
    first = next(log).read_text().splitlines()[0]
    assert first.endswith(": become, text_cache_name"), first  # stock Manim and the bug fixes, nothing else
    again = render("videos", "--only", "activations", "--out", str(stock))
    assert again.returncode == 0 and "built" in again.stdout  # the speed-ups: another stamp

    def last_frame(path: Path) -> np.ndarray:
        with av.open(str(path)) as container:
            *_, frame = container.decode(video=0)
            return frame.to_ndarray(format="rgb24").astype(int)

    # the same picture at the end (both encoded lossily, at other settings: compared loosely)
    ours, theirs = last_frame(out / "ch02-activations" / "ActivationFunctions.ko.mp4"), last_frame(video)
    assert np.mean(np.abs(ours - theirs)) < 2.0
