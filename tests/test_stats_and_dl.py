"""Chapter 5 — the regression estimated and learned, the two models' sizes, claims, the scene."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

import engine
from engine.data import regression_data
from engine.stats_and_dl import claim_deep_model_is_far_larger, claim_learning_is_estimation
from engine.store import Result, load
from scenes.stats_and_dl import StatsAndDL

__module_test__ = "stats_and_dl"


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("stats-and-dl")


@pytest.fixture
def res(_scene_data):
    return load("stats-and-dl", Path(__file__).parent / "control_data" / "results" / "test_stats_and_dl")


def test_same_data_as_chapter_6():
    """The settings and seed of chapter 6's ``linreg``, so the points are the same (drawn by the shared helper)."""
    registry = engine.load_experiments()
    mine, theirs = registry["stats-and-dl"], registry["linreg"]
    assert mine.seed == theirs.seed
    for key in ("n", "true_w0", "true_w1", "sigma", "x_low", "x_high"):
        assert mine.defaults[key] == theirs.defaults[key], key


def test_points_and_estimate_against_numpy(res):
    s = res.settings
    x, y = regression_data(s["n"], s["true_w0"], s["true_w1"], s["sigma"], s["x_low"], s["x_high"],
                           torch.Generator().manual_seed(res.meta["seed"]), torch.float64)
    np.testing.assert_allclose(res["x"], x.numpy())
    np.testing.assert_allclose(res["y"], y.numpy())
    slope, intercept = np.polyfit(res["x"], res["y"], 1)               # an independent least squares
    np.testing.assert_allclose(res["w_ls"], [intercept, slope], rtol=1e-10)
    X = np.column_stack([np.ones_like(res["x"]), res["x"]])
    resid = res["y"] - X @ res["w_ls"]
    cov = resid @ resid / (len(resid) - 2) * np.linalg.inv(X.T @ X)
    assert res["se_w1"] == pytest.approx(np.sqrt(cov[1, 1]), rel=1e-10)
    assert res["r2"] == pytest.approx(np.corrcoef(res["x"], res["y"])[0, 1] ** 2, rel=1e-10)


def test_learning_reaches_the_estimate_and_predicts(res):
    np.testing.assert_allclose(res["w_learned"], res["w_ls"], atol=1e-6)
    np.testing.assert_allclose(res["learn/path"][0], [0.0, 0.0])
    assert np.all(np.diff(res["learn/loss"]) <= 1e-12)                 # gradient descent on a convex loss
    assert res["prediction"] == pytest.approx(res["w_learned"][0] + res["w_learned"][1] * res["new_x"])


def test_parameter_count_of_the_mnist_network(res):
    layers = [int(v) for v in res["mnist/layers"]]
    count = sum(a * b + b for a, b in zip(layers[:-1], layers[1:]))   # 784·512 + 512 + 512·10 + 10
    assert list(res["params"]) == [2, count] == [2, 407_050]
    assert int(res["data_n"][1]) + int(res["mnist/n_holdout"]) == 5000
    assert 0.5 < float(res["mnist/holdout_acc"]) <= 1.0
    assert res["mnist/unit_weights"].shape == (int(res.settings["units_shown"]), 28, 28)


def test_claims_hold_and_fail_when_broken(res):
    assert claim_learning_is_estimation({"stats-and-dl": res}).holds
    assert claim_deep_model_is_far_larger({"stats-and-dl": res}).holds
    broken = Result(res.id, {**res.arrays, "w_learned": res["learn/path"][1]}, res.meta)
    assert not claim_learning_is_estimation({"stats-and-dl": broken}).holds
    broken = Result(res.id, {**res.arrays, "params": res["params"][::-1].copy()}, res.meta)
    assert not claim_deep_model_is_far_larger({"stats-and-dl": broken}).holds


@frames_comparison(last_frame=True, base_scene=StatsAndDL)
def test_stats_and_dl_last_frame(scene):
    StatsAndDL.construct(scene)
