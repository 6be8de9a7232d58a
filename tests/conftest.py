"""Shared fixtures.

* ``results_dir``: a session-wide folder of engine results; ``compute_results``
  fills it (cached, so asking twice is free).
* ``scene_env``: points scenes at those results and sets language and theme.
* ``--set_test`` / ``--show_diff``: Manim's options for ``frames_comparison``
  control data (tests/control_data/<module>/<test>.npz).  Regenerate after an
  intended visual change with ``pytest tests/test_<topic>.py --set_test``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LECTURE_LANG", "ko")


def pytest_addoption(parser):
    parser.addoption("--set_test", action="store_true", default=False,
                     help="write frames_comparison control data instead of comparing against it")
    parser.addoption("--show_diff", action="store_true", default=False,
                     help="show a visual diff when a frames_comparison test fails")


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
    monkeypatch.setenv("LECTURE_RESULTS", str(results_dir))
    monkeypatch.setenv("LECTURE_LANG", "ko")
    monkeypatch.setenv("LECTURE_THEME", "dark")
    return results_dir


def pytest_configure(config):
    # Manim skips frames_comparison tests below Cairo 1.18 because *its own* control data was
    # drawn with 1.18.  Our control data is drawn on the machines that run these tests (Debian's
    # Cairo), so the comparison is meaningful with any version.
    from manim.utils.testing import frames_comparison as fc

    fc.MIN_CAIRO_VERSION = 0
