"""Chapter 9 — the 3-2-2-2 network: z and h against a hand computation, the composition, outputs, figure, scene."""
from __future__ import annotations

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.neural_network import NeuralNetwork3222

__module_test__ = "neural_network"


@pytest.fixture(scope="module")
def net(compute_results):
    return compute_results("nn-3222")["nn-3222"]


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def test_weighted_sums_by_hand(net):
    """z_j^(l) = Σ_i w_ij^(l) v_i with v_0 = 1, written out as the slides do, in plain numpy."""
    v = net["x"]
    assert net["W1"].shape == (4, 2) and net["W2"].shape == (3, 2) and net["W3"].shape == (3, 2)
    for l in (1, 2, 3):
        W = net[f"W{l}"]
        z = np.array([W[0, j] + sum(W[i + 1, j] * v[i] for i in range(len(v))) for j in range(W.shape[1])])
        np.testing.assert_allclose(net[f"z{l}"], z, rtol=1e-12)
        if l < 3:
            np.testing.assert_allclose(net[f"h{l}"], sigmoid(z), rtol=1e-12)
            v = sigmoid(z)


def test_weights_are_rounded_and_real(net):
    for l in (1, 2, 3):
        W = net[f"W{l}"]
        np.testing.assert_allclose(W, np.round(W, 1), atol=1e-12)
        assert np.abs(W).max() > 0.3          # drawn, not zeros


def test_composition_and_outputs(net):
    np.testing.assert_allclose(net["composed"], net["z3"], rtol=1e-12)
    np.testing.assert_allclose(net["sequential"], net["z3"], rtol=1e-12)
    z = net["z3"]
    np.testing.assert_allclose(net["out/identity"], z)
    np.testing.assert_allclose(net["out/sigmoid"], sigmoid(z), rtol=1e-12)
    soft = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    np.testing.assert_allclose(net["out/softmax"], soft, rtol=1e-12)
    assert net["out/softmax"].sum() == pytest.approx(1.0, abs=1e-12)


def test_other_input_is_a_setting(compute_results):
    other = compute_results("nn-3222", overrides={"nn-3222": {"x": "0,0,0"}})["nn-3222"]
    # with x = 0 the first layer's sums are its biases
    np.testing.assert_allclose(other["z1"], other["W1"][0])


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("nn-3222")


@frames_comparison(last_frame=True, base_scene=NeuralNetwork3222)
def test_network_scene_last_frame(scene):
    NeuralNetwork3222.construct(scene)
