"""Chapter 8 — logistic and softmax regression: gradients vs closed forms, snapshots, the table's check, figures, scenes."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.logistic_softmax import LogisticRegression, SoftmaxRegression

__module_test__ = "logistic_softmax"

# fewer epochs keep the tests fast; the snapshots and checks are the same code
OVERRIDES = {"logistic": {"epochs": 120}, "softmax": {"epochs": 120}}
IDS = ("logistic", "softmax", "loss-table")


@pytest.fixture(scope="module")
def ls(compute_results):
    return compute_results(*IDS, overrides=OVERRIDES)


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def test_logistic_gradient_is_the_closed_form(ls):
    """autograd's gradient of the mean BCE at w = 0 equals Xᵀ(p − y)/n (standardized inputs, bias column)."""
    res = ls["logistic"]
    x = (res["x"] - res["mu"]) / res["sd"]
    X = np.column_stack([np.ones(len(x)), x])
    p = sigmoid(X @ np.zeros(3))
    np.testing.assert_allclose(res["grad0"], X.T @ (p - res["y"]) / len(x), atol=1e-12)


def test_logistic_snapshots_match_the_weights(ls):
    res = ls["logistic"]
    g1, g2 = res["grid_x1"], res["grid_x2"]
    for s in (0, len(res["snap_epoch"]) // 2, -1):
        w = res["snap_w"][s]
        G1, G2 = np.meshgrid(g1, g2)
        np.testing.assert_allclose(res["snap_prob"][s], sigmoid(w[0] + w[1] * G1 + w[2] * G2), atol=1e-9)
    assert np.allclose(res["snap_prob"][0], 0.5)       # zero weights: π = 0.5 everywhere
    assert res["loss"][0] == pytest.approx(np.log(2), abs=1e-12)
    assert res["loss"][-1] < 0.2 and res["acc"][-1] >= 0.9
    assert np.all(np.diff(res["loss"]) < 1e-12)        # full-batch GD with a small step: the loss only falls


def test_bce_is_the_bernoulli_nll(ls):
    res = ls["logistic"]
    w = res["w_path"][-1]
    p = sigmoid(w[0] + res["x"] @ w[1:])
    y = res["y"]
    hand = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert res.scalar("bce") == pytest.approx(hand, rel=1e-10)
    assert res.scalar("bern_nll") == pytest.approx(hand, rel=1e-10)
    assert res["loss"][-1] == pytest.approx(hand, rel=1e-8)


def test_softmax(ls):
    res = ls["softmax"]
    probs = res["probs"]
    np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-12)
    assert res["loss"][0] == pytest.approx(np.log(3), abs=1e-12)
    hand = -np.mean(np.log(probs[np.arange(len(probs)), res["y"]]))
    assert res.scalar("ce") == pytest.approx(hand, rel=1e-10)
    assert res.scalar("cat_nll") == pytest.approx(hand, rel=1e-10)
    # the last snapshot's classes are the argmax of the stored model over the grid
    x = (np.stack(np.meshgrid(res["grid_x1"], res["grid_x2"]), -1).reshape(-1, 2))
    xs = (x - res["x"].mean(0)) / res["x"].std(0, ddof=1)
    scores = xs @ res["weight"].T + res["bias"]
    np.testing.assert_array_equal(res["snap_class"][-1].reshape(-1), scores.argmax(1))
    assert len(np.unique(res["snap_class"][-1])) == 3
    assert res["acc"][-1] > 0.9


def test_softmax_gradient_is_the_closed_form():
    """For one softmax layer the cross-entropy gradient is Xᵀ(P − Y)/n: torch's autograd against numpy."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 3, size=20)
    W = torch.tensor(rng.normal(size=(3, 3)), requires_grad=True)
    loss = torch.nn.functional.cross_entropy(torch.tensor(X) @ W, torch.tensor(y))
    loss.backward()
    S = X @ W.detach().numpy()
    P = np.exp(S - S.max(1, keepdims=True))
    P /= P.sum(1, keepdims=True)
    np.testing.assert_allclose(W.grad.numpy(), X.T @ (P - np.eye(3)[y]) / 20, atol=1e-12)


def test_mse_is_the_gaussian_nll_up_to_constants(ls):
    res = ls["loss-table"]
    assert res.scalar("nll") == pytest.approx(res.scalar("const") + res.scalar("mse") / (2 * res.scalar("sigma") ** 2),
                                              rel=1e-12)
    # at a fixed σ the check is not a tautology: the term is MSE/2σ², not ½
    assert res.scalar("sigma") == 1.0
    assert res.scalar("nll_minus_const") == pytest.approx(res.scalar("mse") / 2, rel=1e-12)
    assert abs(res.scalar("nll_minus_const") - 0.5) > 0.1
    # the same from scipy-free numpy: −log N(y | ŷ, 1) averaged
    import math

    from engine.data import iris

    d = iris()
    x, y = d.train.x[:, 2].double().numpy(), d.train.x[:, 3].double().numpy()
    w = res["w"]
    nll = np.mean(0.5 * math.log(2 * math.pi) + 0.5 * (y - (w[0] + w[1] * x)) ** 2)
    assert res.scalar("nll") == pytest.approx(nll, rel=1e-12)


def test_the_normal_row_claim_fails_on_the_old_tautology(ls):
    """Break it on purpose: σ² = MSE makes the MSE term ½ whatever the data; the claim refuses it."""
    import copy

    from engine.logistic_softmax import claim_mse_is_normal_nll

    res = ls["loss-table"]
    assert claim_mse_is_normal_nll({"loss-table": res}).holds
    fake = copy.deepcopy(res)
    fake.arrays.update(mse_term=np.asarray(0.5), nll_minus_const=np.asarray(0.5))
    assert not claim_mse_is_normal_nll({"loss-table": fake}).holds


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results(*IDS, overrides=OVERRIDES)


@frames_comparison(last_frame=True, base_scene=LogisticRegression)
def test_logistic_scene_last_frame(scene):
    LogisticRegression.construct(scene)


@frames_comparison(last_frame=True, base_scene=SoftmaxRegression)
def test_softmax_scene_last_frame(scene):
    SoftmaxRegression.construct(scene)
