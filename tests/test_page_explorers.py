"""The explorers on the built course page: the four results they read in OUT/results (gd-parabola and optimizers
computed, the two MNIST results as pinned), `render.py page` writes the pages, and headless Chromium opens the
chapter pages that carry explorers (gradient descent in chapter 7, optimizers and initialization in chapter 11,
batch normalization in chapter 13) in both languages: no console error or warning; every link and media source
is a file that exists; each explorer's control moved by the keyboard redraws its drawing to the values of the
run in the exported JSON; the language switch keeps its explorers; print hides them.  Screenshots of each
explorer in its chapter page at 1400 px wide go to build/page-explorer-*.png (to look at).  No video is
rendered: about 50 s alone (the two computations, about 15 s, shared with test_explorers)."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from lecture import explorers, page
from tests.helpers import EXERCISES, console_problems, explorer_results
from tests.test_cli import ROOT, render

CHAPTERS = {"gd": 7, "optimizers": 11, "init": 11, "bn": 13}
LINKS = ("return Array.from(document.querySelectorAll('a[href], img[src], video[src], video[poster], link[href], "
         "source[src], track[src], script[src]')).map(e => e.href || e.src || e.poster)")


@pytest.fixture(scope="module")
def site(compute_results, tmp_path_factory):
    out = tmp_path_factory.mktemp("page-explorers") / "build"
    explorer_results(compute_results, out / "results")
    run = render("page", "--out", str(out))
    assert run.returncode == 0, run.stdout + run.stderr
    return out


@pytest.fixture(scope="module")
def driver():
    from tests.test_render_e2e import chromium

    browser = chromium()
    browser.set_window_size(1400, 1000)
    yield browser
    browser.quit()


def data(site: Path) -> dict:
    return {x.name: json.loads((site / "explorers" / f"{x.name}.json").read_text(encoding="utf-8"))
            for x in explorers.EXPLORERS}


def test_the_explorers_sit_on_their_chapters_pages(site):
    for lang in ("ko", "en"):
        for number in range(1, 17):
            text = (site / page.page_name(number, lang)).read_text(encoding="utf-8")
            here = {x.name for x in explorers.EXPLORERS if f'data-explorer="{x.name}"' in text}
            assert here == {name for name, n in CHAPTERS.items() if n == number}, (number, lang)
            # beside its topic's video: inside the topic's article, after its videos and before its figures
            for x in explorers.EXPLORERS:
                if x.name in here:
                    article = text[text.index(f'data-topic="{x.topic}"'):]
                    article = article[:article.index("</article>")]
                    at = article.index(f'id="explorer-{x.name}"')
                    assert article.find('class="videos"') < at, (x.name, lang)
                    assert 'class="figures"' not in article[:at], (x.name, lang)


def test_every_link_and_media_source_and_no_console_errors(site, driver):
    pages = [site / page.page_name(n, lang) for n in (None, 7, 11, 13) for lang in ("ko", "en")]
    for current in pages:
        driver.get(current.as_uri())
        assert not console_problems(driver), current
        links = driver.execute_script(LINKS)
        assert links, current
        for link in links:
            if link.startswith("data:"):
                continue
            assert link.startswith("file:"), (current, link)  # nothing from the network
            path, fragment = Path(unquote(urlparse(link).path)), urlparse(link).fragment
            assert path.exists() and path.stat().st_size > 0, (current, link)
            if fragment and path == current:
                assert driver.execute_script("return !!document.getElementById(arguments[0])", fragment), link
        drawn = driver.execute_script("return Array.from(document.querySelectorAll('section.explorer'))"
                                      ".map(s => [s.dataset.explorer, s.dataset.drawn, "
                                      "s.querySelector('.missing').hidden])")
        assert all(d == "1" and hidden for _, d, hidden in drawn), (current, drawn)


def test_each_explorer_on_its_chapter_page_draws_the_runs(site, driver):
    """On the Korean pages (the English texts are exercised on test_explorers' harness page, and the English
    pages' explorers are drawn in test_the_language_switch_keeps_the_explorers)."""
    values, lang = data(site), "ko"
    for x in explorers.EXPLORERS:
        driver.get((site / page.page_name(CHAPTERS[x.name], lang)).as_uri())
        section = driver.find_element("id", f"explorer-{x.name}")
        assert section.get_attribute("data-drawn") == "1" and section.get_attribute("lang") == lang
        driver.execute_script("arguments[0].scrollIntoView()", section)
        EXERCISES[x.name](driver, section, values[x.name])
        assert not console_problems(driver), (x.name, lang)


def test_the_language_switch_keeps_the_explorers(site, driver):
    from lecture.text import t

    for number in sorted(set(CHAPTERS.values())):
        driver.get((site / page.page_name(number, "ko")).as_uri())
        for lang in ("en", "ko"):
            driver.find_element("css selector", "a.lang-switch").click()
            assert driver.current_url.endswith("/" + page.page_name(number, lang))
            assert driver.execute_script("return document.documentElement.lang") == lang
            for name in (n for n, c in CHAPTERS.items() if c == number):
                section = driver.find_element("id", f"explorer-{name}")
                assert section.get_attribute("data-drawn") == "1"
                assert section.find_element("css selector", "h4").text.startswith(t("explorers.heading", lang))
            assert not console_problems(driver), (number, lang)


def test_print_hides_the_explorers(site, driver):
    """A handout prints the figures, not the explorers' controls; a topic with explorers but no video or figure
    says on screen that those are not built (before its explorers) and is left out of print."""
    driver.get((site / "ch11.html").as_uri())
    screen = driver.execute_script("return Array.from(document.querySelectorAll('article.topic.unbuilt'))"
                                   ".map(a => [a.id, a.querySelector('p.empty') !== null, "
                                   "a.querySelector('section.explorer') !== null])")
    assert ["weight-init", True, True] in screen and ["optimizers", True, True] in screen
    text = (site / "ch11.html").read_text(encoding="utf-8")
    article = text[text.index('data-topic="weight-init"'):]
    assert article.index('class="empty"') < article.index('class="explorers"')
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = driver.execute_script(
            "const h = s => Array.from(document.querySelectorAll(s)).map(e => e.getBoundingClientRect().height);"
            "return {explorers: h('section.explorer'), articles: h('article.topic.unbuilt')}")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert shown["explorers"] == [0, 0] and set(shown["articles"]) == {0}


def test_screenshots_of_the_explorers_at_1400_px(site, driver):
    """The chapter pages with explorers and each explorer as it sits in its page, in both languages
    (build/page-explorers-chNN*.png and build/page-explorer-<name>.<lang>.png, to look at)."""
    import time

    from PIL import Image

    folder = ROOT / "build"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for lang in ("ko", "en"):
            for number in sorted(set(CHAPTERS.values())):
                name = page.page_name(number, lang)
                driver.set_window_size(1400, 1000)
                driver.get((site / name).as_uri())
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(1400, min(height + 120, 8000))
                time.sleep(0.3)
                assert driver.execute_script(
                    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
                whole = folder / f"page-explorers-{name.replace('.html', '')}.png"
                assert driver.save_screenshot(str(whole))
                with Image.open(whole) as image:
                    for x in (n for n, c in CHAPTERS.items() if c == number):
                        box = driver.execute_script(
                            "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
                            "return [r.left, r.top + scrollY, r.right, r.bottom + scrollY, devicePixelRatio]",
                            f"explorer-{x}")
                        assert box[2] - box[0] > 700 and box[3] - box[1] > 300, (x, lang, box)
                        image.crop(tuple(round(v * box[4]) for v in (box[0] - 8, box[1] - 8, box[2] + 8, box[3] + 8))) \
                            .save(folder / f"page-explorer-{x}.{lang}.png")
    finally:
        driver.set_window_size(1400, 1000)
