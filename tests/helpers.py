"""Checks shared by the tests: files that are valid and not blank, legends off the data, encoder settings;
and pinning results (copying them beside the control data)."""
from __future__ import annotations

from pathlib import Path

import numpy as np


def copy_results(ids, source: Path, target: Path) -> None:
    """Copy the stored results ``ids`` (each a .npz and a .json) from folder ``source`` into ``target``."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for result_id in ids:
        for suffix in (".npz", ".json"):
            shutil.copyfile(Path(source) / f"{result_id}{suffix}", Path(target) / f"{result_id}{suffix}")


def assert_png_not_blank(path: Path, min_std: float = 5.0) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        im.verify()
    with Image.open(path) as im:
        pixels = np.asarray(im.convert("L"), dtype=float)
    assert pixels.std() > min_std, f"{path.name} looks blank (pixel std {pixels.std():.2f})"
    return pixels


def assert_svg_valid(path: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg"), f"{path.name} is not SVG"
    drawn = [el for el in root.iter() if el.tag.endswith(("path", "use", "text", "image"))]
    assert len(drawn) > 20, f"{path.name} draws almost nothing"


def assert_pdf_valid(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), f"{path.name} is not a PDF"
    assert b"%%EOF" in data[-1024:], f"{path.name} is truncated"
    assert len(data) > 5000, f"{path.name} is suspiciously small"


def assert_figure_files(stem: Path) -> None:
    assert_png_not_blank(stem.with_name(stem.name + ".png"))
    assert_svg_valid(stem.with_name(stem.name + ".svg"))
    assert_pdf_valid(stem.with_name(stem.name + ".pdf"))


def assert_legends_cover_no_points(fig) -> None:
    """No legend of the figure lies over a scatter point's marker (in any of its axes)."""
    from matplotlib.collections import PathCollection

    from figures.base import style

    with style():
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
        assert legends, "the figure has no legend to check"
        for legend in legends:
            box = legend.get_window_extent(renderer)
            for ax in fig.axes:
                for points in ax.collections:
                    if not isinstance(points, PathCollection) or not len(points.get_offsets()):
                        continue  # scatter points only
                    centres = points.get_offset_transform().transform(points.get_offsets())
                    radius = np.sqrt(points.get_sizes().max()) / 2 * fig.dpi / 72  # marker size: points²
                    near = ((centres[:, 0] > box.x0 - radius) & (centres[:, 0] < box.x1 + radius)
                            & (centres[:, 1] > box.y0 - radius) & (centres[:, 1] < box.y1 + radius))
                    assert not near.any(), f"a legend covers {int(near.sum())} point(s) of '{ax.get_title()}'"


def assert_legends_inside_their_axes(fig) -> None:
    """Every legend drawn inside an axes lies wholly within that axes' box (not over a colour bar or
    the next panel)."""
    from figures.base import style

    with style():
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        checked = 0
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is None:
                continue
            box, frame = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
            assert (box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1 and box.y0 >= frame.y0 - 1
                    and box.y1 <= frame.y1 + 1), (f"the legend of '{ax.get_title()}' reaches out of its axes: "
                                                   f"{box.bounds} against {frame.bounds}")
            checked += 1
        assert checked, "the figure has no legend to check"


def x264_settings(path: Path) -> set[str]:
    """The settings libx264 wrote into a video's stream ("subme=0", "bframes=0", …)."""
    video = Path(path).read_bytes()
    return set(video[video.index(b"x264 - core"):].split(b"\x00")[0].decode().split())


def use_settings(monkeypatch, **changes) -> None:
    """Draw with these scene settings (``lecture.settings``: lang, theme, results) for the rest of the test."""
    from lecture import settings

    monkeypatch.setattr(settings, "_current", settings.current().replace(**changes))


# --------------------------------------------------------------------------- the course page's explorers
EXPLORER_RESULTS = ("gd-parabola", "optimizers", "weight-init-histograms", "batch-norm-scales")


def explorer_results(compute_results, folder: Path) -> Path:
    """Fill ``folder`` with the four results the explorers read: gd-parabola and optimizers at their defaults
    (computed, cached for the session), weight-init-histograms and batch-norm-scales (MNIST trainings, too slow
    here) as pinned for their topics' frame tests."""
    import shutil

    from engine.store import save

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for res in compute_results("gd-parabola", "optimizers").values():
        save(res, folder)
    pinned = Path(__file__).resolve().parent / "control_data" / "results"
    for topic, rid in (("test_weight_init", "weight-init-histograms"), ("test_batch_norm", "batch-norm-scales")):
        for suffix in (".json", ".npz"):
            shutil.copyfile(pinned / topic / f"{rid}{suffix}", folder / f"{rid}{suffix}")
    return folder


def drawn_points(section, plot: str, series: str) -> np.ndarray:
    """The data values of a series an explorer drew: its path's pixel coordinates mapped back through its
    plot's scales (``data-x``/``data-y``: value₀, value₁, pixel₀, pixel₁, linear|log)."""
    import re

    g = section.find_element("css selector", f'g.plot[data-name="{plot}"]')
    path = g.find_element("css selector", f'[data-series="{series}"]')
    pix = np.array([[float(a), float(b)]
                    for a, b in re.findall(r"[ML]\s*(-?[\d.]+) (-?[\d.]+)", path.get_attribute("d"))])

    def back(values, spec):
        v0, v1, p0, p1, kind = spec.split(",")
        v0, v1, p0, p1 = float(v0), float(v1), float(p0), float(p1)
        if kind == "log":
            return 10 ** (np.log10(v0) + (values - p0) / (p1 - p0) * (np.log10(v1) - np.log10(v0)))
        return v0 + (values - p0) / (p1 - p0) * (v1 - v0)

    return np.stack([back(pix[:, 0], g.get_attribute("data-x")), back(pix[:, 1], g.get_attribute("data-y"))], axis=1)


def console_problems(driver) -> list:
    """The browser's console errors and warnings since the last call."""
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def exercise_gd(driver, sec, gd: dict) -> None:
    """Learning rates: three steps to the right of the default, then the largest rate (diverges on both
    surfaces); the paths and the loss curve are the runs' values."""
    import pytest
    from selenium.webdriver.common.keys import Keys

    slider = sec.find_element("id", "x-gd-lr")
    k = gd["default"]
    assert int(slider.get_attribute("value")) == k
    slider.send_keys(Keys.ARROW_RIGHT * 3)
    k += 3
    assert float(sec.get_attribute("data-lr")) == pytest.approx(gd["parabola"]["lrs"][k])
    drawn = drawn_points(sec, "parabola", "path")
    np.testing.assert_allclose(drawn, np.c_[gd["parabola"]["w"][k], gd["parabola"]["J"][k]], atol=0.05, rtol=1e-3)
    np.testing.assert_allclose(drawn_points(sec, "textbook", "path"), gd["textbook"]["path"][k], atol=0.03)
    assert not sec.find_elements("css selector", '[data-role="diverged"]')
    slider.send_keys(Keys.END)
    k = len(gd["parabola"]["lrs"]) - 1
    assert gd["parabola"]["diverged"][k] and gd["textbook"]["diverged"][k]
    drawn = drawn_points(sec, "parabola", "path")
    assert len(drawn) == gd["parabola"]["last"][k] + 1
    np.testing.assert_allclose(drawn[:, 0], gd["parabola"]["w"][k], atol=0.05)
    assert len(sec.find_elements("css selector", '[data-role="diverged"]')) == 2
    assert len(sec.find_elements("css selector", '[data-role="diverged-mark"]')) == 2
    loss = drawn_points(sec, "loss", "parabola")
    j = np.asarray(gd["parabola"]["J"][k])
    np.testing.assert_allclose(np.log10(loss[:, 1]), np.log10(j / j[0]), atol=0.01)
    assert sec.find_element("css selector", ".status").text


def exercise_optimizers(driver, sec, opt: dict) -> None:
    """The optimizers: Beale by the keyboard (arrow on the radio group), 10 steps, Adam switched off; play runs
    the steps to the last one, and with reduced motion goes there at once."""
    import time

    from selenium.webdriver.common.keys import Keys

    sec.find_element("css selector", 'input[name="x-opt-surface"][value="textbook"]').send_keys(Keys.ARROW_RIGHT)
    assert sec.get_attribute("data-surface") == "beale"
    step = sec.find_element("id", "x-opt-step")
    step.send_keys(Keys.HOME + Keys.ARROW_RIGHT * 10)
    assert sec.get_attribute("data-step") == "10"
    beale = next(s for s in opt["surfaces"] if s["id"] == "beale")
    for name in opt["names"]:
        np.testing.assert_allclose(drawn_points(sec, "paths", name), beale["runs"][name]["path"][:11], atol=0.02)
    sec.find_element("css selector", 'input[name="x-opt-shown"][value="Adam"]').send_keys(Keys.SPACE)
    assert not sec.find_elements("css selector", '[data-series="Adam"]')
    assert sec.find_elements("css selector", '[data-series="SGD"]')
    sec.find_element("id", "x-opt-play").send_keys(Keys.ENTER)
    deadline = time.time() + 15
    while sec.get_attribute("data-step") != str(beale["steps"]) and time.time() < deadline:
        time.sleep(0.1)
    assert sec.get_attribute("data-step") == str(beale["steps"])
    step.send_keys(Keys.HOME)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    try:
        sec.find_element("id", "x-opt-play").send_keys(Keys.ENTER)
        assert sec.get_attribute("data-step") == str(beale["steps"])
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def exercise_init(driver, sec, init: dict) -> None:
    """Initialization: ReLU, He, the third layer: the histogram's bars and the standard deviation are the run's."""
    import pytest
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    Select(sec.find_element("id", "x-init-act")).select_by_value("relu")
    Select(sec.find_element("id", "x-init-init")).select_by_value("he")
    sec.find_element("id", "x-init-layer").send_keys(Keys.ARROW_RIGHT * 2)
    assert sec.get_attribute("data-combination") == "relu/he/2"
    std = sec.find_element("css selector", '[data-role="std"]')
    assert float(std.get_attribute("data-value")) == pytest.approx(init["std"]["relu"]["he"][2])
    rects = sec.find_elements("css selector", '[data-series="bars"] rect')
    bars = [int(b.get_attribute("data-count")) for b in rects]
    assert bars == init["hist"]["relu"]["he"][2]
    g = sec.find_element("css selector", 'g.plot[data-name="hist"]')
    v0, v1, p0, p1, _ = g.get_attribute("data-y").split(",")
    heights = np.array([float(b.get_attribute("height")) for b in rects])
    np.testing.assert_allclose(heights / (float(p0) - float(p1)) * (float(v1) - float(v0)),
                               np.asarray(bars) / init["samples"], atol=2e-4)
    np.testing.assert_allclose(drawn_points(sec, "std", "std-he")[:, 1], init["std"]["relu"]["he"], rtol=1e-3)


def exercise_bn(driver, sec, bn: dict) -> None:
    """Batch normalization: three scales down from the start: both accuracy curves are the runs'."""
    import pytest
    from selenium.webdriver.common.keys import Keys

    order = list(np.argsort(bn["scales"]))
    slider = sec.find_element("id", "x-bn-scale")
    position = int(slider.get_attribute("value"))
    slider.send_keys(Keys.ARROW_LEFT * 3)
    k = int(order[position - 3])
    assert float(sec.get_attribute("data-scale")) == pytest.approx(bn["scales"][k])
    for v in ("bn", "plain"):
        curve = drawn_points(sec, "curves", v)
        np.testing.assert_allclose(curve[:, 1], bn["train_acc"][v][k], atol=2e-3)
        np.testing.assert_allclose(curve[:, 0], bn["epochs"], atol=0.05)
    assert f"{bn['train_acc']['bn'][k][-1]:.3f}" in sec.find_element("css selector", ".status").text


EXERCISES = {"gd": exercise_gd, "optimizers": exercise_optimizers, "init": exercise_init, "bn": exercise_bn}
