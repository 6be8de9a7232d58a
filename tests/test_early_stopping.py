"""Chapter 12 — 조기 학습종료: the patience rule, the roll-back, the figure."""
from __future__ import annotations

import numpy as np
import pytest


# The default run's first 100 epochs (same seed) with a short patience, so that it stops early.
SHORT = {"early-stopping": {"epochs": 100, "patience": 5}}


@pytest.fixture(scope="module")
def es(compute_results):
    return compute_results("early-stopping", overrides=SHORT)["early-stopping"]


def test_required_arrays(es):
    epochs = es.settings["epochs"]
    assert es["train_loss"].shape == es["val_loss"].shape == (epochs,)
    np.testing.assert_array_equal(es["epoch"], np.arange(1, epochs + 1))
    assert es["best_epoch"].shape == es["stop_epoch"].shape == ()


def test_the_network_overfits(es):
    assert es["train_acc"][-1] == 1.0
    assert es["train_loss"][-1] < 0.1 * es["val_loss"].min()
    assert es["val_loss"][-1] > es["val_loss"].min()   # the validation loss rises again


def test_stops_after_patience_and_restores_the_minimum(es):
    best, stop, patience = int(es.scalar("best_epoch")), int(es.scalar("stop_epoch")), es.settings["patience"]
    assert bool(es["stopped"])
    assert stop == best + patience
    seen = es["val_loss"][:stop]
    assert best == int(np.argmin(seen)) + 1                  # the epoch of minimum validation loss so far
    assert np.all(es["val_loss"][best:stop] >= seen[best - 1])  # nothing better during the patience window
    # the restored weights really are that epoch's: evaluated again, they give its validation loss
    assert es.scalar("restored_val_loss") == pytest.approx(float(es["val_loss"][best - 1]), rel=1e-6)


def test_rule_on_a_synthetic_sequence():
    from engine.overfitting import EarlyStopping

    losses = [5, 4, 3, 3.5, 2.5, 2.6, 2.7, 2.8, 2.4, 3, 3, 3, 3]
    rule = EarlyStopping(patience=3)
    stopped_at = next(epoch for epoch, v in enumerate(losses, 1) if rule.step(epoch, v))
    assert (rule.best_epoch, stopped_at) == (5, 8)   # 2.6, 2.7, 2.8 do not beat 2.5: stop at 5 + 3
    rule = EarlyStopping(patience=3, min_delta=0.2)
    for epoch, v in enumerate([1.0, 0.9, 0.85, 0.7, 0.69, 0.68, 0.67], 1):
        if rule.step(epoch, v):
            break
    assert rule.best_epoch == 4 and rule.stop_epoch == 7


# --------------------------------------------------------------------------- the scene (last frame)
from manim.utils.testing.frames_comparison import frames_comparison  # noqa: E402

from scenes.overfitting import EarlyStopping  # noqa: E402

__module_test__ = "early_stopping"


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("early-stopping", overrides=SHORT)


@frames_comparison(last_frame=True, base_scene=EarlyStopping)
def test_early_stopping_scene_last_frame(scene):
    EarlyStopping.construct(scene)
