"""Chapter 7 — gradient descent: the learning rates, local minima, GD/SGD/mini-batch, figures and scenes."""
from __future__ import annotations

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.gradient_descent import GradientDescentParabola, LearningRates, SGDJitter

__module_test__ = "gradient_descent"


@pytest.fixture(scope="module")
def gd(compute_results):
    return compute_results("gd-parabola", "gd-local-minima", "gd-regression")


def test_parabola_follows_the_update_rule(gd):
    res = gd["gd-parabola"]
    lrs, w = res["lrs"], res["w"]
    for k, lr in enumerate(lrs):
        last = int(res["last"][k])
        # w := w − η·2w, i.e. w_t = 10·(1 − 2η)^t, as long as the run is not stopped
        expected = 10.0 * (1 - 2 * lr) ** np.arange(last + 1)
        np.testing.assert_allclose(w[: last + 1, k], expected, rtol=1e-12)
        np.testing.assert_allclose(res["grad"][: last + 1, k], 2 * w[: last + 1, k], rtol=1e-12)


def test_learning_rate_verdicts(gd):
    res = gd["gd-parabola"]
    lrs = list(res["lrs"])
    slow, good, osc, div = (lrs.index(v) for v in (0.05, 0.2, 0.9, 1.1))
    assert bool(res["diverged"][div]), "η = 1.1 must be flagged as diverging"
    assert np.isnan(res["w"][-1, div]) and np.isfinite(res["w"][int(res["last"][div]), div])
    assert not res["diverged"][[slow, good, osc]].any()
    assert abs(res["w"][-1, good]) < 0.1                   # η = 0.2 converges
    assert abs(res["w"][-1, slow]) > 3                     # η = 0.05 is slow
    signs = np.sign(res["w"][:, osc])
    assert np.all(signs[1:] == -signs[:-1])                # η = 0.9 oscillates around 0 …
    assert abs(res["w"][-1, osc]) < abs(res["w"][0, osc])  # … and still converges


def test_local_minima(gd):
    res = gd["gd-local-minima"]
    lrs = list(res["lrs"])
    i2 = lrs.index(2.0)
    # with η = 2 every start ends near the poor local minimum at x ≈ −1.83 (as in d2l)
    assert res["poor"][i2].all()
    np.testing.assert_allclose(res["end_x"][i2], -1.83, atol=0.25)
    # the best minimum of the interval: x cos(0.15πx) near x = 7.27, f ≈ −6.98
    assert res.scalar("best_x") == pytest.approx(7.27, abs=0.02)
    assert res.scalar("best_f") == pytest.approx(7.27 * np.cos(0.15 * np.pi * 7.27), abs=0.02)
    # with the smaller η the start decides: some runs find the better minimum
    small = 1 - i2
    assert 0 < res["poor"][small].sum() < res["poor"].shape[1]


def test_gd_converges_to_least_squares(gd):
    res = gd["gd-regression"]
    x, y = res["x"], res["y"]
    design = np.column_stack([np.ones_like(x), x])
    closed = np.linalg.solve(design.T @ design, design.T @ y)         # the normal equations
    np.testing.assert_allclose(res["w_ls"], closed, rtol=1e-10)
    np.testing.assert_allclose(res["gd_long_final"], closed, atol=1e-8)


def test_gd_path_is_the_slides_update(gd):
    res = gd["gd-regression"]
    x, y, lr = res["x"], res["y"], res.meta["settings"]["lr"]
    w = res["path/GD"][0].copy()
    for t in range(1, 20):
        r = w[0] + w[1] * x - y
        w = w - lr * np.array([r.mean(), (r * x).mean()])   # w_j := w_j − η (1/n) Σ (w0 + w1 x_i − y_i) x_ij
        np.testing.assert_allclose(res["path/GD"][t], w, rtol=1e-12)


def test_sgd_jitters_and_minibatch_lies_between(gd):
    res = gd["gd-regression"]
    def roughness(path):
        return np.abs(np.diff(path, 2, axis=0)).sum()
    assert roughness(res["path/SGD"]) > 3 * roughness(res["path/minibatch"]) > 3 * roughness(res["path/GD"])
    assert res["J/SGD"][-1] > res["J/GD"][-1] >= res.scalar("J_ls") - 1e-12


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("gd-parabola", "gd-regression")


@frames_comparison(last_frame=True, base_scene=GradientDescentParabola)
def test_parabola_scene_last_frame(scene):
    GradientDescentParabola.construct(scene)


@frames_comparison(last_frame=True, base_scene=LearningRates)
def test_learning_rates_scene_last_frame(scene):
    LearningRates.construct(scene)


@frames_comparison(last_frame=True, base_scene=SGDJitter)
def test_sgd_jitter_scene_last_frame(scene):
    SGDJitter.construct(scene)
