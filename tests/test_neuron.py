"""Chapter 2 — one neuron's weighted sum and activation, the forward pass, the training loop, claims, scenes."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from engine.store import Result, load
from engine.neuron import claim_loop_learns, claim_starts_at_chance
from scenes.neuron import ModelBuildingLoop, NeuronToNetwork

__module_test__ = "neuron"


@pytest.fixture
def res(_scene_data):
    return load("neuron", Path(__file__).parent / "control_data" / "results" / "test_neuron")


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def test_weighted_sum_and_activation_against_numpy(res):
    k = int(res["neuron/index"])
    x, W1, b1 = res["x"], res["W1"], res["b1"]
    terms = [x[i] * W1[i, k] for i in range(4)]           # written out, one product per input
    np.testing.assert_allclose(res["neuron/terms"], terms, rtol=1e-12)
    z = b1[k] + sum(terms)
    assert res["neuron/z"] == pytest.approx(z, rel=1e-12)
    assert res["neuron/out"] == pytest.approx(sigmoid(z), rel=1e-12)
    # the neuron shown is the one with the largest incoming weights
    assert k == int(np.argmax(np.abs(W1).sum(0)))


def test_forward_pass_against_manual_matmul(res):
    x, W1, b1, W2, b2 = res["x"], res["W1"], res["b1"], res["W2"], res["b2"]
    h = np.array([sigmoid(b1[j] + sum(x[i] * W1[i, j] for i in range(4))) for j in range(W1.shape[1])])
    np.testing.assert_allclose(res["h1"], h, rtol=1e-12)
    z2 = np.array([b2[c] + sum(h[j] * W2[j, c] for j in range(len(h))) for c in range(3)])
    np.testing.assert_allclose(res["z2"], z2, rtol=1e-12)
    p = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()
    np.testing.assert_allclose(res["prob"], p, rtol=1e-12)
    assert res["prob"].sum() == pytest.approx(1.0)
    # the probabilities recorded in the loop's last epoch are the forward pass's
    np.testing.assert_allclose(res["sample_prob"][-1], p, rtol=1e-9)


def test_training_record_is_consistent(res):
    assert res["curve/train_loss"].shape == (int(res.settings["epochs"]) + 1,)
    np.testing.assert_allclose(res["seeds/train_loss"][0], res["curve/train_loss"])
    assert int(res["n_train"]) == 120 and int(res["n_test"]) == 30
    # accuracies are counts out of 120 and 30
    np.testing.assert_allclose(res["seeds/train_acc"] * 120, np.round(res["seeds/train_acc"] * 120), atol=1e-9)
    np.testing.assert_allclose(res["seeds/test_acc"] * 30, np.round(res["seeds/test_acc"] * 30), atol=1e-9)


def test_claims_hold_and_fail_when_broken(res):
    assert claim_loop_learns({"neuron": res}).holds
    assert claim_starts_at_chance({"neuron": res}).holds
    broken = _swapped(res, "seeds/train_loss", lambda a: a[:, ::-1])
    assert not claim_loop_learns({"neuron": broken}).holds
    broken = _swapped(res, "seeds/train_acc", lambda a: a[:, ::-1])
    assert not claim_starts_at_chance({"neuron": broken}).holds


def _swapped(res, key, change):
    return Result(res.id, {**res.arrays, key: change(res[key])}, res.meta)


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("neuron")


@frames_comparison(last_frame=True, base_scene=NeuronToNetwork)
def test_neuron_to_network_last_frame(scene):
    NeuronToNetwork.construct(scene)


@frames_comparison(last_frame=True, base_scene=ModelBuildingLoop)
def test_model_building_loop_last_frame(scene):
    ModelBuildingLoop.construct(scene)
