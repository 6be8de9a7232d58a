"""Every figure of the lecture, in Korean and in English: every piece of text drawn lies inside the
figure, and no two pieces of text overlap (tick labels, axis names, titles, legends, annotations,
notes and the provenance footer alike): ``figures.base.layout_problems`` finds none; and every glyph
is in the fonts (matplotlib's "Glyph … missing" warning, a tofu box, fails the test).

The figures are drawn, as ``render.py figures`` draws them before saving (``figures.base.fit_footers``
included), from the results pinned for the frame tests (tests/control_data/results/) and, for the
experiments no scene draws in full, from results pinned for this module at the lecture's own settings
(tests/control_data/test_figure_layout/; ``pytest tests/test_figure_layout.py --pin_results`` computes
them anew)."""
from __future__ import annotations

import importlib
import shutil
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from engine.store import load
from figures.base import fit_footers, layout_problems, new_figure, style
from lecture import manifest
from tests.helpers import copy_results

PINNED = Path(__file__).parent / "control_data" / "results"
OWN = Path(__file__).parent / "control_data" / "test_figure_layout"
FIGURES = [spec for topic in manifest.select(None) for spec in topic.figures]
# the results no scene draws, or draws only in part, at the lecture's settings (the playground's figures
# show the last snapshot of each data set; its scene's pinned run has the circle only)
OWN_RESULTS = ("augmentation", "gd-local-minima", "hyperparameter-search", "lr-decay-training", "optimizers-mnist",
               "regularization", "transfer-learning", "playground")
OWN_OVERRIDES = {"playground": {"snapshots": [0, 150]}}


@pytest.fixture(scope="module")
def pinned_results(request, tmp_path_factory, compute_results, results_dir) -> Path:
    if request.config.getoption("--pin_results") or request.config.getoption("--set_test"):
        compute_results(*OWN_RESULTS, overrides=OWN_OVERRIDES)
        copy_results(OWN_RESULTS, results_dir, OWN)
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
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")  # a tofu box fails the test
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
