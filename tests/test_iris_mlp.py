"""Chapter 11 — the lecture's iris table: engine numerics, the figure, the scene."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.iris_mlp import IrisTable

__module_test__ = "iris_mlp"

# the lecture's protocol (500 epochs) over 10 seeds, the fewest the table reports
OVERRIDES = {"iris-mlp": {"seeds": 10}}


@pytest.fixture(scope="module")
def iris(compute_results):
    return compute_results("iris-mlp", overrides=OVERRIDES)["iris-mlp"]


def test_stratified_split():
    from engine.data import iris as load_iris
    from engine.data import stratified_split

    y = load_iris().train.y
    train, test = stratified_split(y, 10, torch.Generator().manual_seed(5))
    assert len(train) == 120 and len(test) == 30
    assert sorted(torch.cat([train, test]).tolist()) == list(range(150))
    assert torch.bincount(y[test]).tolist() == [10, 10, 10]
    other, _ = stratified_split(y, 10, torch.Generator().manual_seed(6))
    assert not torch.equal(train, other)


def test_protocol_is_disclosed(iris):
    s = iris.settings
    assert s["epochs"] == 500 and s["seeds"] == 10 and s["optimizer"] == "SGD"
    assert {"lr", "hidden", "batch", "init"} <= set(s)
    assert iris["curve/relu/train_loss"].shape == (10, 501)


def test_table_numbers_are_the_runs_final_numbers(iris):
    for act in ("sigmoid", "relu"):
        final = iris[f"final/{act}"]
        assert final.shape == (10, 4)
        curves = np.stack([iris[f"curve/{act}/{c}"][:, -1] for c in iris["columns"]], axis=1)
        np.testing.assert_allclose(final, curves)
        np.testing.assert_allclose(iris[f"one_seed/{act}"], final[0])
        np.testing.assert_allclose(iris[f"mean/{act}"], final.mean(0))
        np.testing.assert_allclose(iris[f"sd/{act}"], final.std(0, ddof=1))
        # accuracies are counts out of 120 and 30
        np.testing.assert_allclose(final[:, 1] * 120, np.round(final[:, 1] * 120), atol=1e-9)
        np.testing.assert_allclose(final[:, 3] * 30, np.round(final[:, 3] * 30), atol=1e-9)


def test_lecture_numbers(iris):
    np.testing.assert_array_equal(iris["lecture/sigmoid"], [0.8528, 0.7083, 0.8874, 0.6000])
    np.testing.assert_array_equal(iris["lecture/relu"], [0.2703, 0.8917, 0.2630, 0.9000])


def test_relu_beats_sigmoid_over_seeds(iris):
    sig, relu = iris["mean/sigmoid"], iris["mean/relu"]
    assert relu[3] > sig[3] and relu[1] > sig[1]
    assert relu[0] < sig[0] and relu[2] < sig[2]
    # not just on average: ReLU's test accuracy is at least sigmoid's for most seeds
    assert np.mean(iris["final/relu"][:, 3] >= iris["final/sigmoid"][:, 3]) >= 0.8


def test_initial_loss_is_near_log3(iris):
    """With small initial weights the networks start close to uniform guessing: loss ≈ ln 3."""
    start = iris["curve/sigmoid/train_loss"][:, 0]
    assert np.all(np.abs(start - np.log(3)) < 0.6)


def test_claim_holds_on_the_pinned_results_and_fails_when_swapped():
    from pathlib import Path

    from engine.iris_mlp import claim_relu_wins
    from engine.store import Result, load

    pinned = load("iris-mlp", Path(__file__).parent / "control_data" / "results" / "test_iris_mlp")
    m = claim_relu_wins({"iris-mlp": pinned})
    assert m.holds, m.describe()
    assert m.seeds >= 5
    swapped = Result(pinned.id, {**pinned.arrays, "final/sigmoid": pinned["final/relu"],
                                 "final/relu": pinned["final/sigmoid"]}, pinned.meta)
    assert not claim_relu_wins({"iris-mlp": swapped}).holds
    one = pinned["final/relu"].copy()
    one[4, 3] = pinned["final/sigmoid"][4, 3] - 1 / 30          # one seed: ReLU one iris worse on the test set
    m = claim_relu_wins({"iris-mlp": Result(pinned.id, {**pinned.arrays, "final/relu": one}, pinned.meta)})
    assert not m.holds and m.failing == (pinned.meta["seed"] + 4,)


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("iris-mlp", overrides=OVERRIDES)


@frames_comparison(last_frame=True, base_scene=IrisTable)
def test_iris_scene_last_frame(scene):
    IrisTable.construct(scene)
