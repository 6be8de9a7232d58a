"""Chapter 11 — vanishing gradients: engine numerics, the figure, the scene."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.vanishing_gradients import VanishingGradients

__module_test__ = "vanishing_gradients"

# fewer iterations than the default keeps the test quick; the first iterations carry the claim
OVERRIDES = {"vanishing-gradients": {"iterations": 60}}


@pytest.fixture(scope="module")
def vg(compute_results):
    return compute_results("vanishing-gradients", overrides=OVERRIDES)["vanishing-gradients"]


def test_shapes_layer_zero_is_the_input_side(vg):
    depth = vg.settings["hidden_layers"]
    assert depth >= 8
    sizes = vg["sizes"]
    assert sizes[0] == 64 and sizes[-1] == 10 and len(sizes) == depth + 2
    for name in ("sigmoid", "tanh", "relu"):
        assert vg[f"grad_norm/{name}"].shape == (60, depth + 1)
        assert vg[f"dact/{name}"].shape == (60, depth)
        assert vg[f"loss/{name}"].shape == (60,)
        assert np.all(np.isfinite(vg[f"grad_norm/{name}"]))


def test_sigmoid_gradient_vanishes_toward_the_input(vg):
    g = vg["grad_norm/sigmoid"]
    # orders of magnitude: the first layer gets less than a thousandth of the last layer's gradient
    assert np.all(g[:, 0] < 1e-3 * g[:, -1])
    # and it shrinks layer after layer on the way back
    assert np.all(np.diff(g[0]) > 0)


def test_relu_with_he_keeps_layers_within_one_order_of_magnitude(vg):
    assert vg.settings["init_relu"] == "he"
    g = vg["grad_norm/relu"]
    spread = g.max(axis=1) / g.min(axis=1)
    assert np.median(spread) < 10
    assert spread[0] < 10


def test_chain_rule_factors_respect_the_derivative_bounds(vg):
    assert np.all(vg["dact/sigmoid"] <= 0.25 + 1e-12) and np.all(vg["dact/sigmoid"] > 0.15)
    assert np.all(vg["dact/tanh"] <= 1.0 + 1e-12)
    assert np.all((vg["dact/relu"] >= 0) & (vg["dact/relu"] <= 1))


def test_backward_measured_matches_numpy_backprop():
    """The engine's per-layer gradient norms equal a hand-written numpy backpropagation."""
    from engine.nets import linear_layers, make_mlp
    from engine.vanishing_gradients import backward_measured

    gen = torch.Generator().manual_seed(3)
    sizes = [5, 4, 4, 4, 3]
    model = make_mlp(sizes, "sigmoid", init="xavier", generator=gen, dtype=torch.float64)
    with torch.no_grad():
        for layer in linear_layers(model):
            layer.bias.normal_(0, 0.1, generator=gen)
    x = torch.randn(7, 5, generator=gen, dtype=torch.float64)
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0])
    loss, norms, dact = backward_measured(model, x, y, "sigmoid")

    Ws = [layer.weight.detach().numpy() for layer in linear_layers(model)]
    bs = [layer.bias.detach().numpy() for layer in linear_layers(model)]
    a, acts, zs = x.numpy(), [x.numpy()], []
    for i, (W, b) in enumerate(zip(Ws, bs)):
        z = a @ W.T + b
        zs.append(z)
        a = 1 / (1 + np.exp(-z)) if i < len(Ws) - 1 else z
        acts.append(a)
    p = np.exp(a - a.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    onehot = np.eye(3)[y.numpy()]
    ref_loss = -np.mean(np.log(p[np.arange(7), y.numpy()]))
    delta = (p - onehot) / 7
    ref_norms, ref_dact = [], []
    for i in range(len(Ws) - 1, -1, -1):
        ref_norms.append(np.linalg.norm(delta.T @ acts[i]))
        if i > 0:
            s = 1 / (1 + np.exp(-zs[i - 1]))
            ref_dact.append((s * (1 - s)).mean())
            delta = (delta @ Ws[i]) * s * (1 - s)
    assert float(loss) == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(norms.numpy(), ref_norms[::-1], rtol=1e-10)
    np.testing.assert_allclose(dact.numpy(), ref_dact[::-1], rtol=1e-10)


def test_sigmoid_network_learns_less(vg):
    assert vg.scalar("final_acc/relu") > vg.scalar("final_acc/sigmoid") + 0.2
    assert vg.meta["info"]["data"].startswith("scikit-learn digits")


def test_mathtext_number_format():
    from lecture.text import math_number

    assert math_number(1.26e-5, 3) == r"$\mathregular{1.3\times 10^{-5}}$"
    assert math_number(0.25, 3) == "0.25"
    assert math_number(311.2, 2) == "311"


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("vanishing-gradients", overrides=OVERRIDES)


@frames_comparison(last_frame=True, base_scene=VanishingGradients)
def test_vanishing_gradients_scene_last_frame(scene):
    VanishingGradients.construct(scene)
