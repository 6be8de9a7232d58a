"""Every figure of the lecture, in Korean and in English: every piece of text drawn lies inside the
figure, and no two pieces of text overlap (tick labels, axis names, titles, legends, annotations,
notes and the provenance footer alike).

The figures are drawn, as ``render.py figures`` draws them before saving (``figures.base.fit_footers``
included), from the results pinned for the frame tests (tests/control_data/results/) and, for the
experiments no scene draws in full, from results pinned for this module at the lecture's own settings
(tests/control_data/test_figure_layout/; ``pytest tests/test_figure_layout.py --pin_results`` computes
them anew)."""
from __future__ import annotations

import importlib
import itertools
import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from engine.store import load
from figures.base import fit_footers, new_figure, style
from lecture import manifest

PINNED = Path(__file__).parent / "control_data" / "results"
OWN = Path(__file__).parent / "control_data" / "test_figure_layout"
FIGURES = [spec for topic in manifest.select(None) for spec in topic.figures]
# the results no scene draws, or draws only in part, at the lecture's settings (the playground's figures
# show the last snapshot of each data set; its scene's pinned run has the circle only)
OWN_RESULTS = ("augmentation", "gd-local-minima", "hyperparameter-search", "lr-decay-training", "optimizers-mnist",
               "regularization", "transfer-learning", "playground")
OWN_OVERRIDES = {"playground": {"snapshots": [0, 150]}}
SHARE = 2.0  # pixels (at the figure's dpi) two boxes may share in both directions: glyph boxes have margins
GAP = 2.0    # points: the least room between two texts side by side or one above the other
REACH = 1.0  # pixels a box may reach past the figure's edge


def drawn_texts(fig) -> list[tuple[Text, object]]:
    """Draw ``fig`` as saving it draws it; the visible, non-empty texts drawn and their boxes in pixels."""
    drawn = []
    original = Text.draw

    def draw(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            box = self.get_window_extent(renderer)
            if box.width > 0 and box.height > 0:
                drawn.append((self, box))

    Text.draw = draw
    try:
        with style():
            fig.canvas.draw()
    finally:
        Text.draw = original
    return drawn


def layout_problems(fig) -> list[str]:
    """Texts of ``fig`` that leave the figure, and pairs of texts that overlap or lie closer than ``GAP``."""
    boxes = drawn_texts(fig)
    width, height = fig.bbox.width, fig.bbox.height
    gap = GAP * fig.dpi / 72
    found = []
    for text, box in boxes:
        if box.x0 < -REACH or box.y0 < -REACH or box.x1 > width + REACH or box.y1 > height + REACH:
            found.append(f"{text.get_text()[:40]!r} leaves the figure ({[round(v) for v in box.extents]})")
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        across = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        up = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if (across > -gap and up > SHARE) or (up > -gap and across > SHARE):
            found.append(f"{a.get_text()[:30]!r} and {b.get_text()[:30]!r} meet ({across:.0f} px across, {up:.0f} px up)")
    return found


@pytest.fixture(scope="module")
def pinned_results(request, tmp_path_factory, compute_results, results_dir) -> Path:
    if request.config.getoption("--pin_results") or request.config.getoption("--set_test"):
        compute_results(*OWN_RESULTS, overrides=OWN_OVERRIDES)
        OWN.mkdir(parents=True, exist_ok=True)
        for result_id in OWN_RESULTS:
            for suffix in (".npz", ".json"):
                shutil.copyfile(results_dir / f"{result_id}{suffix}", OWN / f"{result_id}{suffix}")
    folder = tmp_path_factory.mktemp("figure-results")
    for path in [*PINNED.glob("*/*"), *OWN.glob("*")]:  # this module's own last: they replace the scenes' part runs
        shutil.copyfile(path, folder / path.name)
    return folder


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("spec", FIGURES, ids=[spec.id for spec in FIGURES])
def test_every_text_lies_inside_the_figure_and_meets_no_other(spec, lang, pinned_results):
    module_name, func_name = spec.target.split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    missing = [need for need in spec.needs if not (pinned_results / f"{need}.json").exists()]
    assert not missing, f"no pinned results {missing}: run pytest tests/test_figure_layout.py --pin_results"
    fig = func({need: load(need, pinned_results) for need in spec.needs}, lang)
    try:
        fit_footers(fig)
        found = layout_problems(fig)
    finally:
        plt.close(fig)
    assert not found, f"{spec.id} ({lang}): " + "; ".join(found[:5])


def test_the_check_finds_texts_that_overlap_and_texts_that_leave():
    with style():
        fig = new_figure()
        ax = fig.add_subplot()
        ax.set_title("a title")
        ax.set_xticks([0, 1], ["0", "1"])
        ax.set_yticks([0.5], ["½"])
        ax.text(0.5, 0.5, "first label", transform=ax.transAxes)
        ax.text(0.52, 0.51, "second label", transform=ax.transAxes)
        ax.text(0.5, 0.2, "a label with room", transform=ax.transAxes)
        fig.text(0.98, 0.5, "runs past the right edge", ha="left")
    try:
        found = layout_problems(fig)
    finally:
        plt.close(fig)
    assert len(found) == 2, found
    assert "'first label' and 'second label' meet" in found[1]
    assert found[0].startswith("'runs past the right edge' leaves the figure")
