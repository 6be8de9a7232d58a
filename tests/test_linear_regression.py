"""Chapter 6 — least squares, maximum likelihood and gradient descent agree; the likelihood surface; figure; scene."""
from __future__ import annotations


import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from helpers import assert_legends_inside_their_axes
from scenes.linear_regression import LinearRegression

__module_test__ = "linear_regression"

TOL = 1e-6   # the stated agreement of the three estimates of (w0, w1)


@pytest.fixture(scope="module")
def lr(compute_results):
    return compute_results("linreg")["linreg"]


def test_least_squares_is_the_normal_equations(lr):
    x, y = lr["x"], lr["y"]
    design = np.column_stack([np.ones_like(x), x])
    np.testing.assert_allclose(lr["w_ls"], np.linalg.solve(design.T @ design, design.T @ y), rtol=1e-12)
    np.testing.assert_allclose(lr["w_ls"], np.polyfit(x, y, 1)[::-1], rtol=1e-10)


def test_three_methods_agree(lr):
    np.testing.assert_allclose(lr["w_ml"], lr["w_ls"], atol=TOL)
    np.testing.assert_allclose(lr["w_gd"], lr["w_ls"], atol=TOL)
    # the ML σ is √(RSS/n) (not the unbiased n − 2 version)
    assert lr.scalar("sigma_ml") == pytest.approx(lr.scalar("sigma_ls"), abs=TOL)
    assert lr.scalar("ml_grad_norm") < 1e-6


def test_ml_really_optimized_from_far_away(lr):
    path = lr["ml_path"]
    np.testing.assert_allclose(path[0], [0.0, 0.0, 1.0])
    assert np.linalg.norm(path[0, :2] - lr["w_ls"]) > 0.5
    assert lr["ml_loglik"][-1] >= lr["ml_loglik"].max() - 1e-9
    assert lr["ml_loglik"][-1] > lr["ml_loglik"][0] + 10


def test_loglik_at_the_estimate_is_the_closed_form(lr):
    n, rss = len(lr["x"]), lr.scalar("rss")
    s = lr.scalar("sigma_ml")
    # log L(ŵ, σ) = −n log(√(2π) σ) − RSS / (2σ²); at σ̂² = RSS/n it is −n/2 (log 2π σ̂² + 1)
    assert lr.scalar("loglik_max") == pytest.approx(-n * np.log(np.sqrt(2 * np.pi) * s) - rss / (2 * s ** 2), rel=1e-12)
    assert lr.scalar("loglik_max") == pytest.approx(-n / 2 * (np.log(2 * np.pi * s ** 2) + 1), abs=1e-6)
    assert rss == pytest.approx(n * s ** 2, rel=1e-6)


def test_surface_peaks_at_least_squares(lr):
    g0, g1, S = lr["grid_w0"], lr["grid_w1"], lr["loglik_grid"]
    i, j = np.unravel_index(np.argmax(S), S.shape)
    assert abs(g0[j] - lr["w_ls"][0]) <= (g0[1] - g0[0]) and abs(g1[i] - lr["w_ls"][1]) <= (g1[1] - g1[0])
    assert S.max() <= lr.scalar("loglik_max") + 1e-9
    # an independent numpy evaluation of one grid value
    x, y, s = lr["x"], lr["y"], lr.scalar("sigma_ml")
    r = y - g0[7] - g1[11] * x
    assert S[11, 7] == pytest.approx(np.sum(-np.log(np.sqrt(2 * np.pi) * s) - r ** 2 / (2 * s ** 2)), rel=1e-12)


def test_gd_is_the_slides_update(lr):
    x, y, eta = lr["x"], lr["y"], lr.settings["gd_lr"]
    w = lr["gd_path"][0].copy()
    for t in range(1, 15):
        r = w[0] + w[1] * x - y
        w = w - eta * np.array([r.mean(), (r * x).mean()])
        np.testing.assert_allclose(lr["gd_path"][t], w, rtol=1e-12)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_figure_legends_stay_inside_their_axes(lr, lang):
    import matplotlib.pyplot as plt

    from figures.linear_regression import regression_estimates

    fig = regression_estimates({"linreg": lr}, lang)
    try:
        assert_legends_inside_their_axes(fig)
    finally:
        plt.close(fig)


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("linreg")


@frames_comparison(last_frame=True, base_scene=LinearRegression)
def test_regression_scene_last_frame(scene):
    LinearRegression.construct(scene)
