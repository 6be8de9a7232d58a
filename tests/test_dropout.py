"""Chapter 12 — 드롭아웃: the masks torch samples (rate, scaling, none in evaluation) and the curves."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn


SHORT = {"dropout": {"epochs": 8}}


@pytest.fixture(scope="module")
def drop(compute_results):
    return compute_results("dropout", overrides=SHORT)["dropout"]


def test_recorded_masks_have_the_right_rate_and_scale(drop):
    rates = drop["rates"]
    steps, units = drop.settings["mask_steps"], drop.settings["mask_units"]
    assert "p0/masks" not in drop                       # p = 0: no dropout layers at all
    for i, p in enumerate(rates):
        if p == 0:
            continue
        rate = drop[f"p{i}/drop_rate"]                  # (step, layer): share of zeros over batch × 100 units
        assert rate.shape == (steps, drop.settings["hidden_layers"])
        n = drop.settings["batch"] * drop.settings["hidden"]
        assert np.all(np.abs(rate - p) < 5 * np.sqrt(p * (1 - p) / n))   # each mask: within 5 binomial SDs
        assert abs(rate.mean() - p) < 3 * np.sqrt(p * (1 - p) / (n * rate.size))
        np.testing.assert_allclose(drop[f"p{i}/kept_values"], [1 / (1 - p)], rtol=1e-6)  # survivors scaled
        assert drop.scalar(f"p{i}/replay_error") == 0.0  # the replayed masks are exactly torch's
        assert drop.scalar(f"p{i}/eval_changes") == 0.0  # evaluation mode: nothing dropped or scaled
        masks = drop[f"p{i}/masks"]
        assert masks.shape == (steps, drop.settings["hidden_layers"], units) and masks.dtype == bool
        assert len({m.tobytes() for m in masks}) > 1    # a new mask at every step


def test_mask_recorder_against_torch():
    from engine.overfitting import MaskRecorder

    torch.manual_seed(3)
    layer = nn.Dropout(0.3)
    recorder = MaskRecorder(layer)
    x = torch.rand(400, 50) + 0.5
    y = layer(x)
    after = torch.rand(5)
    mask = recorder.masks[0]
    torch.testing.assert_close(y, x * mask)            # the recorded mask is the one torch applied
    assert torch.unique(mask).tolist() == [0.0, pytest.approx(1 / 0.7)]
    assert abs((mask == 0).float().mean().item() - 0.3) < 0.02
    torch.manual_seed(3)                               # the same draws without a recorder:
    x2 = torch.rand(400, 50) + 0.5
    assert torch.equal(nn.Dropout(0.3)(x2), y)         # the same output …
    assert torch.equal(torch.rand(5), after)           # … and the random stream goes on undisturbed
    layer.eval()
    assert torch.equal(layer(x), x) and len(recorder.masks) == 1


def test_dropout_rate_zero_is_the_plain_network(drop):
    assert drop["p0/train_acc"][-1] >= drop["p2/train_acc"][-1]


# --------------------------------------------------------------------------- the scene (last frame)
from manim.utils.testing.frames_comparison import frames_comparison  # noqa: E402

from scenes.overfitting import DropoutMasks  # noqa: E402

__module_test__ = "dropout"


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("dropout", overrides=SHORT)


@frames_comparison(last_frame=True, base_scene=DropoutMasks)
def test_dropout_scene_last_frame(scene):
    DropoutMasks.construct(scene)
