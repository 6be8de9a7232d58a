"""Shared fixtures.

* ``results_dir``: a session-wide folder of engine results; ``compute_results``
  fills it (cached, so asking twice is free).
* ``scene_env``: points scenes at those results and sets language and theme.
* ``scene_results``: the results a module's scenes draw, pinned beside the frames'
  control data (tests/control_data/results/<module>/), so that frames depend on
  Manim, Cairo and the fonts only: training on another processor (other MKL and
  vector code paths) gives numbers that differ in the last digits and move a curve
  by a fraction of a pixel.  The engine's numbers are tested in the same modules.
* ``--set_test`` / ``--show_diff``: Manim's options for ``frames_comparison``
  control data (tests/control_data/<module>/<test>.npz).  Regenerate after an
  intended visual change with ``pytest tests/test_<topic>.py --set_test`` (drawn
  from the pinned results; it pins only results not pinned yet); ``--pin_results``
  pins results anew (then regenerate the frames that draw them with ``--set_test``).
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PINNED = ROOT / "tests" / "control_data" / "results"
sys.path.insert(0, str(ROOT))
from tests.helpers import copy_results, use_settings  # noqa: E402  (the project root on the path first)


def pytest_addoption(parser):
    parser.addoption("--set_test", action="store_true", default=False,
                     help="write frames_comparison control data instead of comparing against it")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show a visual diff when a frames_comparison test fails")
    parser.addoption("--stock-manim", action="store_true", default=False,
                     help="run the frame tests only, drawn with stock Manim (none of manim_speedups), against "
                          "the same control frames")
    parser.addoption("--without-speedups", default="", metavar="NAME[,NAME]",
                     help="draw with every speed-up of manim_speedups but these (to find which one changes a frame)")
    parser.addoption("--pin_results", action="store_true", default=False,
                     help="compute the results scenes draw in frame tests and pin them in tests/control_data/results")


@pytest.fixture(scope="session")
def results_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("results")


@pytest.fixture(scope="session")
def compute_results(results_dir):
    """``compute_results("a", "b", **overrides_by_id)`` → {id: Result}, cached for the session."""
    import engine
    from engine.cache import compute

    engine.load_experiments()

    def run(*ids, overrides=None):
        out = {}
        for result_id in ids:
            out[result_id], _ = compute(result_id, results_dir, device="cpu",
                                        overrides=(overrides or {}).get(result_id))
        return out

    return run


@pytest.fixture
def scene_env(monkeypatch, results_dir):
    use_settings(monkeypatch, results=results_dir, lang="ko", theme="dark")
    return results_dir


@pytest.fixture
def scene_results(request, monkeypatch, compute_results, results_dir, tmp_path_factory):
    """``scene_results("a", "b", overrides=...)``: point scenes at the pinned copies of these results
    (see the module's docstring); with ``--set_test`` or ``--pin_results`` compute and pin them first."""
    module = request.module.__name__.rsplit(".", 1)[-1]
    folder = PINNED / module

    def run(*ids, overrides=None):
        pinned_all = all((folder / f"{result_id}{suffix}").exists() for result_id in ids for suffix in (".npz", ".json"))
        # --pin_results pins anew; --set_test pins only what is not pinned yet and otherwise draws the control
        # frames from the pinned results (results trained here may differ in the last digits from them, and
        # a frame drawn from those would not match the results the test draws from)
        if request.config.getoption("--pin_results") or (request.config.getoption("--set_test") and not pinned_all):
            compute_results(*ids, overrides=overrides)
            copy_results(ids, results_dir, folder)
        target = tmp_path_factory.mktemp("pinned-results")  # not tmp_path: Manim's Tex folder there is swept
        for result_id in ids:
            for suffix in (".npz", ".json"):
                pinned = folder / f"{result_id}{suffix}"
                if not pinned.exists():
                    pytest.fail(f"no pinned result {pinned.relative_to(ROOT)}: run pytest tests/{module}.py --pin_results")
                shutil.copyfile(pinned, target / pinned.name)
        use_settings(monkeypatch, results=target)

    return run


def is_frame_test(item) -> bool:
    """A test made by Manim's ``frames_comparison`` (its wrapper's code lives in Manim's module)."""
    function = getattr(item, "function", None)
    return function is not None and function.__code__.co_filename.endswith("frames_comparison.py")


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--stock-manim"):
        return
    kept = [item for item in items if is_frame_test(item)]
    config.hook.pytest_deselected(items=[item for item in items if not is_frame_test(item)])
    items[:] = kept


def pytest_configure(config):
    # The scenes draw as the build's workers draw them: with the speed-ups of manim_speedups, unless
    # --stock-manim asks for Manim as it is (the frame tests then compare stock Manim's frames with
    # the same control frames).
    import manim_speedups

    if not config.getoption("--stock-manim"):
        manim_speedups.enable(without=[n for n in config.getoption("--without-speedups").split(",") if n])
    # Manim skips frames_comparison tests below Cairo 1.18 because *its own* control data was
    # drawn with 1.18.  Our control data is drawn on the machines that run these tests (Debian's
    # Cairo), so the comparison is meaningful with any version.
    from manim.utils.testing import frames_comparison as fc

    fc.MIN_CAIRO_VERSION = 0
