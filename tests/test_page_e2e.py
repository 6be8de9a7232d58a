"""The course page in headless Chromium: `render.py all` builds chapters 1 and 2 (a text chapter and a
computed one) at preview quality in Korean and in English into one folder; the test walks every page from
the index, follows every link and media source, checks the posters, the order of chapters and topics,
the language switch, a video with both subtitle tracks, keyboard, print and reduced-motion styles, and
takes screenshots at 1400 px wide (build/page-*.png).  Marked `render` (a few minutes)."""
from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import numpy as np
import pytest

from test_cli import ROOT, render
from test_render_e2e import chromium

pytestmark = pytest.mark.render
TOPICS = "ai-era,activations"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("page-e2e") / "build"
    for lang in ("ko", "en"):
        run = render("all", "--lang", lang, "--only", TOPICS, "--out", str(out), "--jobs", "2")
        assert run.returncode == 0, run.stdout + run.stderr
        assert run.stdout.strip().splitlines()[-1].startswith(f"lecture page: ")
        assert (out / ("index.html" if lang == "ko" else "index.en.html")).name in run.stdout.splitlines()[-1]
    return out


@pytest.fixture(scope="module")
def driver():
    browser = chromium()
    yield browser
    browser.quit()


def local_path(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def title_card_ink(video: Path, seconds: float = 2.5) -> float:
    """The most ink (``lecture.page.ink``) on a frame of the video's first ``seconds`` (its title card)."""
    import av

    from lecture.page import ink

    with av.open(str(video)) as container:
        values = [ink(f.to_ndarray(format="rgb24")) for f in container.decode(video=0) if f.time <= seconds]
    return max(values)


def severe(driver) -> list:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


LINKS = ("return Array.from(document.querySelectorAll('a[href], img[src], video[src], video[poster], link[href], "
         "source[src], track[src], script[src]')).map(e => [e.tagName, e.href || e.src || null, "
         "e.tagName === 'VIDEO' ? e.poster : null])")


def test_every_page_link_and_media_source_and_no_console_errors(site, driver):
    """From the index, every page in both languages: no console error; every link and media source is a
    file that exists (an anchor, an element of its page); every video has a poster with content."""
    from lecture import page
    from PIL import Image

    expected = {site / page.page_name(n, lang) for n in (None, *range(1, 17)) for lang in ("ko", "en")}
    todo, seen, files, posters = [site / "index.html"], set(), set(), set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        driver.get(current.as_uri())
        assert not severe(driver), current
        for tag, url, poster in driver.execute_script(LINKS):
            if tag == "VIDEO" and poster:
                posters.add(local_path(poster))
            for link in filter(None, (url, poster)):
                if link.startswith("data:"):
                    continue
                assert link.startswith("file:"), (current, link)  # nothing from the network
                path, fragment = local_path(link), urlparse(link).fragment
                assert path.exists() and path.stat().st_size > 0, (current, link)
                files.add(path)
                if fragment and path == current:
                    assert driver.execute_script("return !!document.getElementById(arguments[0])", fragment), link
                if path.suffix == ".html":
                    todo.append(path)
        videos = driver.execute_script("return Array.from(document.querySelectorAll('video')).map(v => v.poster)")
        assert all(videos), current  # every video has a poster
    assert seen == expected
    # every built video appears, with its poster, on the pages of both languages
    built = sorted(site.glob("ch*/*.mp4"))
    assert len(built) == 4 and {p.with_suffix(".jpg") for p in built} == posters
    for poster in posters:
        image = np.asarray(Image.open(poster).convert("RGB"))
        assert image.shape[1] == 854
        # not mostly the background colour, and more drawn on it than on the title card (its first 2.5 s)
        assert page.ink(image) > max(0.03, title_card_ink(poster.with_suffix(".mp4"))), poster
    assert {site / "assets" / "page.css", *(p.with_suffix(".srt") for p in built)} <= files


def test_chapters_and_topics_in_the_manifests_order(site, driver):
    from lecture import manifest, page

    for lang in ("ko", "en"):
        driver.get((site / page.page_name(None, lang)).as_uri())
        cards = driver.execute_script(
            "return Array.from(document.querySelectorAll('ol.chapters > li')).map(li => "
            "[li.dataset.chapter, li.querySelector('h2').textContent, li.querySelector('a').getAttribute('href')])")
        assert cards == [[str(c.number), c.title(lang), page.page_name(c.number, lang)] for c in manifest.CHAPTERS]
        thumbs, deadline = [], time.time() + 15
        while thumbs != [True, True] and time.time() < deadline:  # (lazily loaded images)
            time.sleep(0.2)
            thumbs = driver.execute_script("return Array.from(document.querySelectorAll('img.thumb'))"
                                           ".map(i => i.complete && i.naturalWidth > 0)")
        assert thumbs == [True, True]  # chapters 1 and 2 are built: each shows a poster
        for chapter in manifest.CHAPTERS:
            driver.get((site / page.page_name(chapter.number, lang)).as_uri())
            ids = driver.execute_script("return Array.from(document.querySelectorAll('article.topic')).map(a => a.id)")
            assert ids == [t.id for t in chapter.topics]
            assert driver.find_element("css selector", "main h1").text == chapter.title(lang)


def test_the_language_switch(site, driver):
    from lecture import manifest, page

    driver.get((site / "ch02.html").as_uri())
    driver.find_element("css selector", "a.lang-switch").click()
    assert driver.current_url.endswith("/ch02.en.html")
    assert driver.execute_script("return document.documentElement.lang") == "en"
    assert driver.find_element("css selector", "main h1").text == manifest.CHAPTERS[1].en
    assert driver.execute_script("return document.querySelector('video').src").endswith("ActivationFunctions.en.mp4")
    driver.find_element("css selector", "a.lang-switch").click()
    assert driver.current_url.endswith("/ch02.html") and driver.find_element("css selector", "main h1").text == "신경망"
    driver.get((site / page.page_name(None, "en")).as_uri())
    driver.find_element("css selector", "a.lang-switch").click()
    assert driver.current_url.endswith("/index.html")


def test_a_video_plays_with_both_subtitle_tracks(site, driver):
    import av

    driver.get((site / "ch02.html").as_uri())
    driver.execute_script("const v = document.querySelector('video'); v.muted = true; v.play();")
    deadline, state = time.time() + 30, None
    while time.time() < deadline:
        state = driver.execute_script(
            "const v = document.querySelector('video');"
            "return {ready: v.readyState, error: v.error && v.error.code, t: v.currentTime, d: v.duration,"
            " src: v.currentSrc, tracks: Array.from(v.textTracks).map(t => [t.language, t.mode]),"
            " cues: v.textTracks[0] && v.textTracks[0].cues ? v.textTracks[0].cues.length : 0}")
        if state["ready"] >= 3 and state["t"] > 0.5 and state["cues"] > 0:
            break
        time.sleep(0.5)
    assert state["error"] is None and state["ready"] >= 3 and state["t"] > 0.5, state
    assert sorted(lang for lang, _ in state["tracks"]) == ["en", "ko"] and state["cues"] >= 6, state
    assert ["ko", "showing"] in state["tracks"]  # the page's language is shown by default
    # the browser reads the variable-frame-rate video (held frames stored once) at its full length
    with av.open(str(local_path(state["src"]))) as container:
        stream = container.streams.video[0]
        last_frame_ends = max(float((p.pts + p.duration) * stream.time_base)
                              for p in container.demux(stream) if p.pts is not None)
    assert state["d"] == pytest.approx(last_frame_ends, abs=0.05), state
    assert "0.25" in driver.find_element("css selector", "#activations table.numbers").text
    assert not severe(driver)


def test_keyboard_print_and_reduced_motion(site, driver):
    from selenium.webdriver.common.keys import Keys

    driver.get((site / "ch02.html").as_uri())
    body = driver.find_element("tag name", "body")
    body.send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.get_attribute("class") == "skip" and active.is_displayed() and active.text
    active.send_keys(Keys.ENTER)
    assert driver.current_url.endswith("#content")
    # every control has a name a screen reader reads
    unnamed = driver.execute_script(
        "return Array.from(document.querySelectorAll('a, button, input, select, video, summary'))"
        ".filter(e => !(e.getAttribute('aria-label') || e.textContent.trim() || e.getAttribute('title')"
            " || e.querySelector('img[alt]:not([alt=\"\"])') || (e.labels && e.labels.length)))"
        ".map(e => e.outerHTML.slice(0, 80))")
    assert not unnamed, unnamed
    # print: no video players or navigation; the posters and the figures are printed
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    shown = driver.execute_script(
        "const d = s => Array.from(document.querySelectorAll(s)).map(e => getComputedStyle(e).display);"
        "return {video: d('video'), poster: d('img.print-poster'), toc: d('nav.toc'), figures: d('figure.figure img')}")
    assert set(shown["video"]) == {"none"} and "none" not in shown["poster"] and shown["toc"] == ["none"]
    assert shown["figures"] and "none" not in shown["figures"]
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": [
        {"name": "prefers-reduced-motion", "value": "reduce"}]})
    assert driver.execute_script("return getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": []})
    assert driver.execute_script("return getComputedStyle(document.documentElement).scrollBehavior") == "smooth"


def test_screenshots_at_1400_px(site, driver):
    """The index and a chapter page as a student sees them (build/page-*.png, to look at)."""
    folder = ROOT / "build"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("index.html", "ch02.html", "ch01.en.html"):
        driver.set_window_size(1400, 1000)
        driver.get((site / name).as_uri())
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1400, min(height + 120, 8000))
        time.sleep(2)  # Chrome's video controls show a spinner for a moment after loading
        width = driver.execute_script("return document.documentElement.clientWidth")
        assert width >= 1380 and driver.execute_script(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")  # no sideways scroll
        assert driver.save_screenshot(str(folder / f"page-{name.replace('.html', '')}.png"))
    driver.set_window_size(1400, 2000)
