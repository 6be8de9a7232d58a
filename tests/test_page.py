"""The course page's HTML without a browser (fast): the pages and their names, the order of chapters and
topics, the language switch, posters, subtitle tracks, captions in the page's language and the explorers'
hook.  The page in Chromium is tests/test_page_e2e.py (marked `render`)."""
from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from builder.paths import Paths
from lecture import manifest, page
from lecture.text import t

BACKGROUND = (15, 17, 21)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the visible text (outside attributes and scripts)."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t_, a in self.tags if t_ == tag and all(a.get(k) == v for k, v in attrs.items())]

    def with_class(self, tag: str, cls: str) -> list[dict]:
        return [a for t_, a in self.tags if t_ == tag and cls in (a.get("class") or "").split()]


def make_video(path: Path, seconds: float = 4.0, fps: int = 10) -> None:
    """A small video: a dark title fade for its first quarter, then a frame with lines and a box drawn on it."""
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 128, 72, "yuv420p"
        for i in range(int(seconds * fps)):
            frame = np.empty((72, 128, 3), np.uint8)
            frame[:] = BACKGROUND
            if i >= seconds * fps / 4:
                frame[30:60, 20:100] = (240, 180, 40)
                frame[::6, :] = (200, 200, 200)
            else:
                frame[4:10, 40:88] = (60, 60, 60)  # a faint title
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


SRT = "1\n00:00:00,000 --> 00:00:01,500\n{text}\n\n2\n00:00:01,500 --> 00:00:03,000\n{text} 2\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """An output folder with the activations topic's Korean video and both subtitles, its Korean figure,
    and nothing else; the pages built from it."""
    out = tmp_path_factory.mktemp("page") / "build"
    folder = out / manifest.topic("activations").slug
    make_video(folder / "ActivationFunctions.ko.mp4")
    (folder / "ActivationFunctions.ko.srt").write_text(SRT.format(text="안녕"), encoding="utf-8")
    (folder / "ActivationFunctions.en.srt").write_text(SRT.format(text="hello"), encoding="utf-8")
    for ext in ("png", "svg", "pdf"):
        (folder / f"activation-functions.ko.{ext}").write_bytes(b"x")
    index = page.build(out)
    return out, index


def read(path: Path) -> Tags:
    return Tags(path.read_text(encoding="utf-8"))


def test_pages_in_both_languages_with_the_names_the_build_expects(site):
    out, index = site
    assert index == out / "index.html" == Paths(out, "ko").index
    assert page.build(out, "en") == out / "index.en.html" == Paths(out, "en").index
    for chapter in manifest.CHAPTERS:
        assert (out / f"ch{chapter.number:02d}.html").exists() and (out / f"ch{chapter.number:02d}.en.html").exists()
    assert (out / "assets" / "page.css").exists()


def test_the_index_lists_the_chapters_in_order_with_summaries(site):
    out, _ = site
    for lang in ("ko", "en"):
        tags = read(out / page.page_name(None, lang))
        cards = tags.find("li")
        numbers = [int(a["data-chapter"]) for a in cards if "data-chapter" in a]
        assert numbers == list(range(1, 17))
        hrefs = [a["href"] for a in tags.with_class("a", "card")]
        assert hrefs == [page.page_name(n, lang) for n in range(1, 17)]
        text = "".join(tags.text)
        positions = [text.index(c.title(lang)) for c in manifest.CHAPTERS]
        assert positions == sorted(positions)
        for chapter in manifest.CHAPTERS:
            assert t(f"page.summary.ch{chapter.number:02d}", lang) in text
    # chapter 2's thumbnail is its video's poster; a chapter with nothing built has none
    tags = read(out / "index.html")
    thumbs = [a["src"] for a in tags.with_class("img", "thumb")]
    assert thumbs == ["ch02-activations/ActivationFunctions.ko.jpg"]


def test_chapters_10_11_and_14_are_in_the_lectures_order():
    order = {n: [t.id for t in manifest.CHAPTERS[n - 1].topics] for n in (10, 11, 14)}
    assert order[10] == ["forward-backward", "data-splits", "losses", "backprop"]
    assert order[11] == ["vanishing-gradients", "iris-mlp", "rbm", "weight-init", "lr-decay", "optimizers"]
    assert order[14] == ["hyperparameter-search", "playground", "transfer-learning"]


def test_chapter_pages_topics_navigation_and_language_switch(site):
    out, _ = site
    for lang, other in (("ko", "en"), ("en", "ko")):
        for chapter in manifest.CHAPTERS:
            n = chapter.number
            tags = read(out / page.page_name(n, lang))
            assert tags.find("html")[0]["lang"] == lang
            assert [a["id"] for a in tags.find("article")] == [tp.id for tp in chapter.topics]
            switch = tags.with_class("a", "lang-switch")
            assert len(switch) == 1 and switch[0]["href"] == page.page_name(n, other) and switch[0]["lang"] == other
            prev, nxt = tags.with_class("a", "prev"), tags.with_class("a", "next")
            assert [a["href"] for a in prev] == ([page.page_name(n - 1, lang)] if n > 1 else [])
            assert [a["href"] for a in nxt] == ([page.page_name(n + 1, lang)] if n < 16 else [])
            source = (out / page.page_name(n, lang)).read_text(encoding="utf-8")
            toc = Tags(re.search(r'<nav class="toc".*?</nav>', source, re.S).group(0)).find("a")
            assert [a["href"] for a in toc] == [page.page_name(c, lang) for c in range(1, 17)]
            assert [a["href"] for a in toc if "aria-current" in a] == [page.page_name(n, lang)]
            text = " ".join(tags.text)
            assert chapter.title(lang) in text and t("page.chapter_label", lang).format(n=n) in text
        switch = read(out / page.page_name(None, lang)).with_class("a", "lang-switch")
        assert switch[0]["href"] == page.page_name(None, other)


def test_video_poster_tracks_and_captions(site):
    out, _ = site
    folder = out / "ch02-activations"
    for lang in ("ko", "en"):
        source = (out / page.page_name(2, lang)).read_text(encoding="utf-8")
        tags = Tags(source)
        videos = tags.find("video")
        assert len(videos) == 1
        video = videos[0]
        # the only video there is Korean: the English page shows it and says so
        assert video["src"] == "ch02-activations/ActivationFunctions.ko.mp4"
        assert video["poster"] == "ch02-activations/ActivationFunctions.ko.jpg"
        assert "controls" in video and video["aria-label"] == t("page.video_caption.ActivationFunctions", lang)
        tracks = tags.find("track")
        assert sorted(tr["srclang"] for tr in tracks) == ["en", "ko"]
        assert [tr["srclang"] for tr in tracks if "default" in tr] == [lang]
        assert all(tr["src"].startswith("data:text/vtt;charset=utf-8;base64,") for tr in tracks)
        # captions in the page's language; scene and file names only in links
        text = " ".join(tags.text)
        assert t("page.video_caption.ActivationFunctions", lang) in text
        assert t("page.figure_caption.activation-functions", lang) in text
        assert "ActivationFunctions" not in text and "activation-functions" not in text
        assert ("한국어" in text) == (lang == "en")  # "showing the 한국어 one" on the English page
        hrefs = {a["href"] for a in tags.find("a") if "href" in a}
        assert {"ch02-activations/ActivationFunctions.ko.mp4", "ch02-activations/ActivationFunctions.en.srt",
                "ch02-activations/ActivationFunctions.ko.vtt", "ch02-activations/activation-functions.ko.svg",
                "ch02-activations/activation-functions.ko.pdf"} <= hrefs
        assert "<script" not in source
    assert (folder / "ActivationFunctions.ko.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    assert (folder / "ActivationFunctions.en.vtt").exists()


def test_the_poster_is_a_frame_with_content_not_the_title_card(site):
    from PIL import Image

    out, _ = site
    poster = out / "ch02-activations" / "ActivationFunctions.ko.jpg"
    image = np.asarray(Image.open(poster).convert("RGB"))
    assert image.shape == (72, 128, 3)
    assert page.ink(image, header=0) > 0.2  # the box and the lines, not the faint title
    # mostly the background colour: a title-card frame scores (almost) nothing
    title = np.empty((72, 128, 3), np.uint8)
    title[:] = BACKGROUND
    title[4:10, 40:88] = (60, 60, 60)
    assert page.ink(title) < 0.01


def test_posters_and_pages_are_rebuilt_only_when_their_inputs_change(site):
    out, _ = site
    folder = out / "ch02-activations"
    poster, video = folder / "ActivationFunctions.ko.jpg", folder / "ActivationFunctions.ko.mp4"
    pages = [out / "index.html", out / "ch02.html", out / "ch01.en.html"]
    before = {p: p.stat().st_mtime_ns for p in (poster, *pages)}
    page.build(out)
    assert {p: p.stat().st_mtime_ns for p in (poster, *pages)} == before
    # a video rendered anew gets a new poster
    later = video.stat().st_mtime_ns + 5_000_000_000
    os.utime(video, ns=(later, later))
    page.build(out)
    assert poster.stat().st_mtime_ns == later != before[poster]
    made = poster.stat().st_ctime_ns
    page.build(out)
    assert poster.stat().st_ctime_ns == made


def test_the_explorers_hook_is_called_once_and_its_blocks_sit_beside_the_video(tmp_path, monkeypatch):
    from lecture import explorers

    calls = []
    monkeypatch.setattr(explorers, "write", lambda out, results_dir: calls.append((out, results_dir)) or [])
    monkeypatch.setattr(explorers, "blocks", lambda topic_id, lang, root="":
                        f'<div class="explorer" data-for="{topic_id}" data-lang="{lang}" data-root="{root}"></div>'
                        if topic_id == "gradient-descent" else "")
    page.build(tmp_path)
    assert calls == [(tmp_path, tmp_path / "results")]
    for lang in ("ko", "en"):
        source = (tmp_path / page.page_name(7, lang)).read_text(encoding="utf-8")
        assert source.count('class="explorer"') == 1
        block = re.search(r'<article[^>]*id="gradient-descent".*?</article>', source, re.S).group(0)
        assert f'data-for="gradient-descent" data-lang="{lang}" data-root=""' in block
        assert 'class="explorer"' not in (tmp_path / page.page_name(2, lang)).read_text(encoding="utf-8")


def test_accessible_and_printable_css():
    css = page.CSS
    assert "prefers-reduced-motion: reduce" in css and "@media print" in css and ":focus-visible" in css
    print_part = css[css.index("@media print"):]
    assert "img.print-poster { display: block" in print_part and "video { display: none" in print_part

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        la, lb = sorted((luminance(a), luminance(b)), reverse=True)
        return (la + 0.05) / (lb + 0.05)

    colours = dict(re.findall(r"--([a-z]+): (#[0-9A-Fa-f]{6})", css))
    for name in ("ink", "muted", "accent", "good", "bad"):
        assert contrast(colours[name], "#FFFFFF") >= 4.5, name
        assert contrast(colours[name], colours["soft"]) >= 4.5, name


def test_a_caption_falls_back_to_the_topics_title_never_to_a_file_name():
    topic = manifest.topic("activations")
    assert page.video_caption(topic, "NoSuchScene", "en") == t("activations.title", "en")
    assert page.figure_caption(topic, "no-such-figure", "ko") == t("activations.title", "ko")


def test_every_video_and_figure_of_the_manifest_has_its_caption_in_both_languages():
    """A new scene or figure gets its caption on the page (the fallback, the topic's title, would name two
    videos of one topic alike); no caption names a scene or figure the manifest no longer has."""
    import tomllib

    from lecture import page

    strings = tomllib.loads((Path(page.__file__).parent / "strings" / "page.toml").read_text(encoding="utf-8"))["page"]
    for kind, specs in (("video_caption", [s for t in manifest.TOPICS for s in t.scenes]),
                        ("figure_caption", [f for t in manifest.TOPICS for f in t.figures])):
        captions = strings[kind]
        assert {s.id for s in specs} == set(captions), kind
        assert all(set(captions[s.id]) == {"ko", "en"} for s in specs), kind
