"""The course page's explorers (lecture/explorers): the learning-rate sweeps the engine computes for them, the
exported data against the stored results, the HTML blocks, and the explorers in headless Chromium: no console
error, and every control moved by the keyboard redraws the drawing to the values of the run it names."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from lecture import explorers
from lecture.explorers import data as xdata
from tests.helpers import EXERCISES, explorer_results

ROOT = Path(__file__).resolve().parents[1]
PINNED = ROOT / "tests" / "control_data" / "results"


@pytest.fixture(scope="module")
def results(compute_results, tmp_path_factory):
    """A results folder with the four results the explorers read (tests.helpers.explorer_results)."""
    return explorer_results(compute_results, tmp_path_factory.mktemp("explorer-results"))


@pytest.fixture(scope="module")
def stored(results):
    from engine.store import load

    return {rid: load(rid, results) for rid in ("gd-parabola", "optimizers", "weight-init-histograms",
                                                   "batch-norm-scales")}


# --------------------------------------------------------------------------- the engine's sweeps
def test_parabola_sweep_is_gradient_descent_in_closed_form(stored):
    """On J(w) = w² one step of SGD multiplies w by (1 − 2η): w_t = w₀(1 − 2η)^t until a run is stopped, and a
    run is stopped exactly when J passes diverge_factor × J₀."""
    r = stored["gd-parabola"]
    lrs, w, last, diverged = r["sweep/lrs"], r["sweep/w"], r["sweep/last"], r["sweep/diverged"].astype(bool)
    s = r.settings
    assert len(lrs) == s["sweep_runs"] and lrs[0] == pytest.approx(s["sweep_lr_min"]) \
        and lrs[-1] == pytest.approx(s["sweep_lr_max"])
    for k, lr in enumerate(lrs):
        t = np.arange(last[k] + 1)
        np.testing.assert_allclose(w[: last[k] + 1, k], s["start"] * (1 - 2 * lr) ** t, rtol=1e-9, atol=1e-12)
        assert np.all(np.isnan(w[last[k] + 1:, k]))
        closed = s["start"] ** 2 * (1 - 2 * lr) ** (2 * np.arange(s["sweep_steps"] + 1))
        assert diverged[k] == bool(np.any(closed > s["diverge_factor"] * s["start"] ** 2))
    assert not diverged[lrs <= 1.0 + 1e-9].any() and diverged[lrs >= 1.1].all()
    # the four rates of the lecture are untouched by the sweep
    assert list(r["lrs"]) == [0.05, 0.2, 0.9, 1.1] and r["w"].shape == (s["steps"] + 1, 4)


def test_textbook_sweep_is_gradient_descent_in_closed_form(stored):
    """On x²/20 + y² SGD multiplies x by (1 − η/10) and y by (1 − 2η) at every step."""
    r = stored["optimizers"]
    lrs, path, last = r["textbook_sweep/lrs"], r["textbook_sweep/path"], r["textbook_sweep/last"]
    x0, y0 = (float(v) for v in r.settings["textbook_start"].split(","))
    for k, lr in enumerate(lrs):
        t = np.arange(last[k] + 1)
        np.testing.assert_allclose(path[: last[k] + 1, k, 0], x0 * (1 - lr / 10) ** t, rtol=1e-9)
        np.testing.assert_allclose(path[: last[k] + 1, k, 1], y0 * (1 - 2 * lr) ** t, rtol=1e-9, atol=1e-12)
    diverged = r["textbook_sweep/diverged"].astype(bool)
    assert not diverged[lrs <= 1.0 + 1e-9].any() and diverged[lrs >= 1.1].all()
    # the SGD run of the lecture (η = 0.95) is the sweep's run at that rate
    k = int(np.argmin(np.abs(lrs - 0.95)))
    if abs(lrs[k] - 0.95) < 1e-12:
        np.testing.assert_allclose(path[:, k], r["textbook/SGD"], rtol=1e-12)


# --------------------------------------------------------------------------- the exported data
def test_exported_data_are_the_results(results, stored):
    gd, opt = xdata.gradient_descent(results), xdata.optimizers(results)
    init, bn = xdata.weight_init(results), xdata.batch_norm(results)
    r = stored["gd-parabola"]
    for k in range(len(r["sweep/lrs"])):
        last = int(r["sweep/last"][k])
        np.testing.assert_allclose(gd["parabola"]["w"][k], r["sweep/w"][: last + 1, k], atol=0.006)
        np.testing.assert_allclose(gd["parabola"]["J"][k], r["sweep/J"][: last + 1, k], rtol=5e-3)
        assert gd["parabola"]["diverged"][k] == bool(r["sweep/diverged"][k]) and gd["parabola"]["last"][k] == last
    o = stored["optimizers"]
    for k in range(len(o["textbook_sweep/lrs"])):
        last = int(o["textbook_sweep/last"][k])
        np.testing.assert_allclose(gd["textbook"]["path"][k], o["textbook_sweep/path"][: last + 1, k], atol=0.006)
        np.testing.assert_allclose(gd["textbook"]["loss"][k], o["textbook_sweep/loss"][: last + 1, k], rtol=5e-3)
    for surface in opt["surfaces"]:
        sid = surface["id"]
        for name in opt["names"]:
            run, last = surface["runs"][name], int(o.scalar(f"{sid}_last/{name}"))
            np.testing.assert_allclose(run["path"], o[f"{sid}/{name}"][: last + 1], atol=0.006)
            assert run["stopped"] == bool(o.scalar(f"{sid}_stopped/{name}"))
            assert run["lr"] == pytest.approx(o.scalar(f"{sid}_lr/{name}"), rel=1e-3)
        # the contour lines lie on their level of the surface (x²/20 + y² evaluated on their points)
        if sid == "textbook":
            for c in surface["contours"]:
                pts = np.asarray([p for line in c["lines"] for p in line]).reshape(-1, 2)
                np.testing.assert_allclose(pts[:, 0] ** 2 / 20 + pts[:, 1] ** 2, c["level"], rtol=0.06, atol=0.02)
    w = stored["weight-init-histograms"]
    assert len(init["inits"]) * len(init["activations"]) == 12
    for act in init["activations"]:
        for i in init["inits"]:
            assert np.array_equal(init["hist"][act][i], w[f"hist/{act}/{i}"])
            np.testing.assert_allclose(init["std"][act][i], w[f"std/{act}/{i}"], rtol=1e-3)
    b = stored["batch-norm-scales"]
    assert len(bn["scales"]) == 16
    for v in ("bn", "plain"):
        np.testing.assert_allclose(bn["train_acc"][v], b[f"train_acc/{v}"], atol=6e-4)
        lo, hi = np.asarray(bn["band"][v]["lo"]), np.asarray(bn["band"][v]["hi"])
        acc = np.asarray(bn["train_acc"][v])
        assert np.all(lo <= acc + 1e-9) and np.all(acc <= hi + 1e-9)


def test_write_exports_json_and_scripts_and_stays_small(results, tmp_path):
    paths = explorers.write(tmp_path, results)
    folder = tmp_path / "explorers"
    assert {p.name for p in paths} == {"explorers.js", "explorers.css"} | {
        f"{x.name}.{ext}" for x in explorers.EXPLORERS for ext in ("json", "data.js")}
    total = 0
    for x in explorers.EXPLORERS:
        text = (folder / f"{x.name}.json").read_text(encoding="utf-8")
        payload = json.loads(text)
        assert payload, x.name
        script = (folder / f"{x.name}.data.js").read_text(encoding="utf-8")
        assert json.loads(script.split("] = ", 1)[1].rstrip().rstrip(";")) == payload
        total += len(text.encode())
    assert total < 250_000, total
    # a result not stored: its explorer's data is null, and the page says how to compute it
    empty = tmp_path / "none"
    empty.mkdir()
    explorers.write(tmp_path / "bare", empty)
    assert json.loads((tmp_path / "bare" / "explorers" / "gd.json").read_text()) is None


def test_blocks_have_labelled_controls_in_the_page_language():
    assert explorers.blocks("xor", "ko") == ""
    for x in explorers.EXPLORERS:
        for lang in ("ko", "en"):
            html = explorers.blocks(x.topic, lang, root="..")
            assert f'src="../explorers/{x.name}.data.js"' in html and 'src="../explorers/explorers.js"' in html
            ids = re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html)
            labelled = set(re.findall(r'<label for="([^"]+)"', html))
            assert ids and set(ids) <= labelled, (x.name, ids, labelled)
            assert html.index(f"{x.name}.data.js") < html.index("explorers.js\"")
    assert "학습률" in explorers.blocks("gradient-descent", "ko")
    assert "Learning rate" in explorers.blocks("gradient-descent", "en")


# --------------------------------------------------------------------------- in Chromium
@pytest.fixture(scope="module")
def page(results, tmp_path_factory):
    """A small harness page: the explorers' files written by write() and their blocks() in a minimal HTML."""
    out = tmp_path_factory.mktemp("explorer-page")
    explorers.write(out, results)
    sub = out / "chapter"
    sub.mkdir()
    def harness(path: Path, lang: str) -> None:
        body = "".join(f'<article id="{x.topic}">{explorers.blocks(x.topic, lang, root="..")}</article>'
                       for x in explorers.EXPLORERS)
        path.write_text(f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>explorers'
                        f'</title></head><body>{body}</body></html>', encoding="utf-8")

    harness(sub / "index.html", "en")
    harness(sub / "ko.html", "ko")
    # beside it, the page of a build whose results are not computed yet
    bare = out / "bare"
    (bare / "chapter").mkdir(parents=True)
    (bare / "results").mkdir()
    explorers.write(bare, bare / "results")
    harness(bare / "chapter" / "index.html", "ko")
    return sub / "index.html"


def test_explorers_in_chromium(page):
    from tests.test_render_e2e import chromium

    data = {x.name: json.loads((page.parent.parent / "explorers" / f"{x.name}.json").read_text())
            for x in explorers.EXPLORERS}
    driver = chromium()
    try:
        driver.get(page.as_uri())
        sections = {x.name: driver.find_element("id", f"explorer-{x.name}") for x in explorers.EXPLORERS}
        assert all(s.get_attribute("data-drawn") == "1" for s in sections.values())
        for x in explorers.EXPLORERS:
            EXERCISES[x.name](driver, sections[x.name], data[x.name])
        assert "Diverges" in sections["gd"].find_element("css selector", ".status").text

        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert not errors, errors

        # the Korean page, and a page whose results are not computed yet: drawn, or saying how to compute them
        for other in (page.with_name("ko.html"), page.parent.parent / "bare" / "chapter" / "index.html"):
            driver.get(other.as_uri())
            for x in explorers.EXPLORERS:
                sec = driver.find_element("id", f"explorer-{x.name}")
                assert sec.get_attribute("data-drawn") == "1"
                missing = sec.find_element("css selector", ".missing")
                assert missing.is_displayed() == ("bare" in other.parts), (other, x.name)
            errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
            assert not errors, (other, errors)
    finally:
        driver.quit()
