"""Stock Manim draws the same lecture: every frame test, drawn again with Manim's own code (only the
fixes of its two bugs, as ``render.py --stock-manim`` draws), matches the control frames the speed-ups
drew, within the frame tests' tolerance.  A speed-up that changes pixels fails here."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.render
def test_the_frame_tests_pass_on_stock_manim(request):
    if request.config.getoption("--stock-manim") or request.config.getoption("--set_test"):
        pytest.skip("this run draws the frame tests itself")
    workers = ["-n", "2"] if (os.cpu_count() or 1) > 1 and _has_xdist() else []
    done = subprocess.run([sys.executable, "-m", "pytest", "--stock-manim", "-q", "-p", "no:cacheprovider", *workers],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800)
    tail = done.stdout[-4000:]
    assert done.returncode == 0, f"frame tests on stock Manim:\n{tail}\n{done.stderr[-2000:]}"
    assert " passed" in tail and "failed" not in tail


def _has_xdist() -> bool:
    import importlib.util

    return importlib.util.find_spec("xdist") is not None
