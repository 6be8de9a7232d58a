"""Chapter 12 — 드롭아웃: the masks torch samples (rate, scaling, none in evaluation) and the curves."""
from __future__ import annotations

import numpy as np
import pytest
import torch


SHORT = {"dropout": {"epochs": 8}}


@pytest.fixture(scope="module")
def drop(compute_results):
    return compute_results("dropout", overrides=SHORT)["dropout"]


def test_recorded_masks_have_the_right_rate_and_scale(drop):
    rates = drop["rates"]
    steps, units = drop.settings["mask_steps"], drop.settings["mask_units"]
    assert "p0/masks" not in drop                       # p = 0: no mask recorded
    for i, p in enumerate(rates):
        if p == 0:
            continue
        rate = drop[f"p{i}/drop_rate"]                  # (step, layer): share of zeros over batch × 100 units
        assert rate.shape == (steps, drop.settings["hidden_layers"])
        n = drop.settings["batch"] * drop.settings["hidden"]
        assert np.all(np.abs(rate - p) < 5 * np.sqrt(p * (1 - p) / n))   # each mask: within 5 binomial SDs
        assert abs(rate.mean() - p) < 3 * np.sqrt(p * (1 - p) / (n * rate.size))
        np.testing.assert_allclose(drop[f"p{i}/kept_values"], [1 / (1 - p)], rtol=1e-6)  # survivors scaled
        masks = drop[f"p{i}/masks"]
        assert masks.shape == (steps, drop.settings["hidden_layers"], units) and masks.dtype == bool
        assert len({m.tobytes() for m in masks}) > 1    # a new mask at every step
    assert drop.scalar("eval_changes") == 0.0           # evaluation mode: nothing dropped or scaled


def test_stacked_dropout_masks():
    """One uniform stream per seed, shared by the rates: a larger rate drops a superset of a smaller one's
    units; each network's mask is 0 or 1/(1 − p); evaluation passes the input through."""
    from engine.overfit_setup import StackedDropout

    g = torch.Generator().manual_seed(0)
    rates = torch.tensor([0.0, 0.1, 0.3])

    def draw(shape):
        return torch.rand(shape, generator=g).expand(len(rates), *shape)

    layer = StackedDropout(rates, draw)
    h = torch.rand(3, 400, 50) + 0.5
    out = layer(h)
    mask = layer.last_mask
    torch.testing.assert_close(out, h * mask)
    for m, p in enumerate(rates.tolist()):
        values = torch.unique(mask[m]).tolist()
        assert values == ([1.0] if p == 0 else [0.0, pytest.approx(1 / (1 - p))])
        assert abs((mask[m] == 0).float().mean().item() - p) < 0.01
    assert torch.all((mask[1] == 0) <= (mask[2] == 0))      # dropped at 0.1 → dropped at 0.3
    layer.eval()
    assert torch.equal(layer(h), h)


def test_dropout_rate_zero_is_the_plain_network(drop):
    assert drop["p0/train_acc"][-1] >= drop["p2/train_acc"][-1]
    seeds = drop.settings["seeds"]
    assert drop["seeds/p0/train_acc"].shape == (seeds, drop.settings["epochs"])
    np.testing.assert_array_equal(drop["p1/val_acc"], drop["seeds/p1/val_acc"][0])
    # every rate starts from the same weights and batches on a seed: the first epoch is nearly the same
    np.testing.assert_allclose(drop["seeds/p1/train_loss"][:, 0], drop["seeds/p0/train_loss"][:, 0], rtol=0.05)


# --------------------------------------------------------------------------- claims (on the pinned lecture run)
DROPOUT_CLAIMS = ("every_rate_learns", "small_rate_narrows_gap", "large_rate_learns_slower")


@pytest.fixture(scope="module")
def pinned():
    from pathlib import Path

    from engine.store import load

    return load("dropout", Path(__file__).parent / "control_data" / "results" / "test_dropout")


@pytest.mark.parametrize("name", DROPOUT_CLAIMS)
def test_claim_holds_on_every_seed(pinned, name):
    import engine.overfitting as ov

    m = getattr(ov, f"claim_{name}")({"dropout": pinned})
    assert m.holds, m.describe()
    assert m.seeds == pinned.settings["seeds"] >= 5


def test_claims_fail_when_their_premise_is_broken(pinned):
    import dataclasses

    import engine.overfitting as ov

    def judge(name, **arrays):
        return getattr(ov, f"claim_{name}")({"dropout": dataclasses.replace(pinned, arrays={**pinned.arrays, **arrays})}).holds

    # a rate that does not learn (the former p = 0.5: training accuracy 0.13)
    stuck = pinned["seeds/p2/train_acc"].copy()
    stuck[:, -1] = 0.13
    assert not judge("every_rate_learns", **{"seeds/p2/train_acc": stuck})
    # no dropout and the small rate swapped
    swap = {f"seeds/{a}/{what}_acc": pinned[f"seeds/{b}/{what}_acc"] for a, b in (("p0", "p1"), ("p1", "p0"))
            for what in ("train", "val")}
    assert not judge("small_rate_narrows_gap", **swap)
    # the large rate as fast as no dropout
    assert not judge("large_rate_learns_slower", **{"seeds/p2/train_acc": pinned["seeds/p0/train_acc"]})


# --------------------------------------------------------------------------- the scene (last frame)
from manim.utils.testing.frames_comparison import frames_comparison  # noqa: E402

from scenes.overfitting import DropoutMasks  # noqa: E402

__module_test__ = "dropout"


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("dropout")   # the lecture's settings: the claims above are judged on this run


@frames_comparison(last_frame=True, base_scene=DropoutMasks)
def test_dropout_scene_last_frame(scene):
    DropoutMasks.construct(scene)
