"""Chapter 4 — XOR: the perceptron errs in every epoch; two hidden units reach 100 %; the hidden space; figure; scene."""
from __future__ import annotations

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from helpers import assert_legends_cover_no_points
from scenes.xor import XORProblem

__module_test__ = "xor"


@pytest.fixture(scope="module")
def xor(compute_results):
    return compute_results("xor")["xor"]


def test_perceptron_makes_a_mistake_in_every_epoch(xor):
    mistakes = xor["perceptron/mistakes"]
    assert len(mistakes) == xor.settings["perceptron_epochs"]
    assert np.all(mistakes >= 1)
    assert int(xor["perceptron/min_mistakes"]) == mistakes.min()


def test_perceptron_is_rosenblatts_rule(xor):
    """Replay the stored updates in numpy: w := w + η (y − step(w·x)) x."""
    x = np.column_stack([np.ones(4), xor["x"]])
    y, lr = xor["y"], xor.settings["perceptron_lr"]
    path, order = xor["perceptron/path"], xor["perceptron/order"].reshape(-1)
    w = path[0].copy()
    wrong = []
    for k, i in enumerate(order):
        y_hat = float(x[i] @ w > 0)
        w = w + lr * (y[i] - y_hat) * x[i]
        wrong.append(y_hat != y[i])
        np.testing.assert_allclose(path[k + 1], w)
    per_epoch = np.array(wrong).reshape(len(xor["perceptron/mistakes"]), -1).sum(1)
    np.testing.assert_array_equal(per_epoch, xor["perceptron/mistakes"])


def test_no_line_separates_xor(xor):
    """Every stored perceptron line misclassifies at least one point (XOR is not linearly separable)."""
    x = np.column_stack([np.ones(4), xor["x"]])
    for w in xor["perceptron/path"]:
        assert np.any((x @ w > 0).astype(float) != xor["y"])


def test_shuffled_perceptron_still_fails(compute_results):
    res = compute_results("xor", overrides={"xor": {"shuffle": True, "perceptron_epochs": 30}})["xor"]
    assert np.all(res["perceptron/mistakes"] >= 1)


def test_mlp_reaches_100_percent(xor):
    assert xor["mlp/acc"][-1] == 1.0
    np.testing.assert_array_equal(xor["mlp/prob"] > 0.5, xor["y"] == 1)
    assert xor["mlp/loss"][-1] < xor["mlp/loss"][0]


def test_hidden_representation(xor):
    """h = tanh(W x + b) recomputed in numpy; in the hidden space the output layer is one straight line."""
    W1, b1 = xor["mlp/W1"], xor["mlp/b1"]
    h = np.tanh(xor["x"] @ W1.T + b1)
    np.testing.assert_allclose(xor["hidden/points"], h, rtol=1e-10)
    np.testing.assert_allclose(xor["hidden/lines"], np.tanh(xor["input/lines"] @ W1.T + b1), rtol=1e-10)
    logits = h @ xor["mlp/W2"] + xor["mlp/b2"]
    np.testing.assert_array_equal(logits > 0, xor["y"] == 1)
    # the input grid lines really are lines x1 = c and x2 = c
    lines = xor["input/lines"]
    half = len(lines) // 2
    assert np.allclose(lines[:half, :, 0], lines[:half, :1, 0]) and np.allclose(lines[half:, :, 1], lines[half:, :1, 1])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_legend_covers_no_point(xor, lang):
    import matplotlib.pyplot as plt

    from figures.xor import xor_problem

    fig = xor_problem({"xor": xor}, lang)
    assert_legends_cover_no_points(fig)
    plt.close(fig)


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("xor")


@frames_comparison(last_frame=True, base_scene=XORProblem)
def test_xor_scene_last_frame(scene):
    XORProblem.construct(scene)
