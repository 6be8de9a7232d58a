"""Chapter 12 — 조기 학습종료: the patience rule, the roll-back, the seeds trained at once, the claims, the scene."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import torch

# The default run's first 100 epochs (same seeds) with a short patience, so that it stops early.
SHORT = {"early-stopping": {"epochs": 100, "patience": 5}}
PINNED = Path(__file__).parent / "control_data" / "results" / "test_early_stopping"


@pytest.fixture(scope="module")
def es(compute_results):
    return compute_results("early-stopping", overrides=SHORT)["early-stopping"]


def test_required_arrays(es):
    epochs, seeds = es.settings["epochs"], es.settings["seeds"]
    assert es["train_loss"].shape == es["val_loss"].shape == es["val_wrong_loss"].shape == (epochs,)
    assert es["seeds/val_loss"].shape == es["seeds/train_acc"].shape == (seeds, epochs)
    np.testing.assert_array_equal(es["epoch"], np.arange(1, epochs + 1))
    np.testing.assert_array_equal(es["seed_values"], es.meta["seed"] + np.arange(seeds))
    assert es["best_epoch"].shape == es["stop_epoch"].shape == ()
    np.testing.assert_array_equal(es["val_loss"], es["seeds/val_loss"][0])      # the plain names: the lecture seed
    assert len({es["seeds/val_loss"][k].tobytes() for k in range(seeds)}) == seeds   # every seed its own run


def test_the_network_overfits(es):
    assert es["train_acc"][-1] == 1.0
    assert es["train_loss"][-1] < 0.1 * es["val_loss"].min()
    assert es["val_loss"][-1] > es["val_loss"].min()   # the validation loss rises again


def test_stops_after_patience_and_restores_the_minimum(es):
    patience = es.settings["patience"]
    assert es["stopped"]                  # the lecture seed stops within the short run
    for k in range(es.settings["seeds"]):
        best, stop = int(es["seeds/best_epoch"][k]), int(es["seeds/stop_epoch"][k])
        val = es["seeds/val_loss"][k]
        if not es["seeds/stopped"][k]:    # still improving within the last `patience` epochs: never stopped
            assert stop == len(val) and best > len(val) - patience and best == int(np.argmin(val)) + 1
            continue
        assert stop == best + patience
        seen = val[:stop]
        assert best == int(np.argmin(seen)) + 1                  # the epoch of minimum validation loss so far
        assert np.all(val[best:stop] >= seen[best - 1])            # nothing better during the patience window
        # the restored weights really are that epoch's: evaluated again, they give its validation loss
        assert es["seeds/restored_val_loss"][k] == pytest.approx(float(val[best - 1]), rel=1e-6)


def test_seed_zero_is_the_run_of_its_own_seed(es, compute_results):
    """Training the seeds as one stack changes nothing: one seed alone gives the stack's first run."""
    alone = compute_results("early-stopping", overrides={"early-stopping": {**SHORT["early-stopping"], "seeds": 1}})
    alone = alone["early-stopping"]
    for name in ("train_loss", "val_loss", "val_acc"):
        np.testing.assert_allclose(alone[name], es[name], rtol=1e-4, atol=1e-5)
    assert alone.scalar("best_epoch") == es.scalar("best_epoch")


def test_stacked_networks_train_as_their_single_copies():
    """One SGD step on the stack is one SGD step on each network (its own batch, its own gradient)."""
    from engine.overfit_setup import SETUP, StackedMLP, build

    settings = {**SETUP, "hidden_layers": 2, "hidden": 16}
    models = [build(settings, torch.Generator().manual_seed(s)) for s in (1, 2)]
    stack = StackedMLP(models)
    x, y = torch.rand(2, 8, 784), torch.randint(0, 10, (2, 8))
    loss = sum(torch.nn.functional.cross_entropy(stack(x)[m], y[m]) for m in range(2))
    loss.backward()
    for m, model in enumerate(models):
        single = torch.nn.functional.cross_entropy(model(x[m]), y[m])
        single.backward()
        linears = [layer for layer in model if isinstance(layer, torch.nn.Linear)]
        for layer, w, b in zip(linears, stack.weights, stack.biases):
            torch.testing.assert_close(w.grad[m], layer.weight.grad.T, rtol=1e-4, atol=1e-6)
            torch.testing.assert_close(b.grad[m, 0], layer.bias.grad, rtol=1e-4, atol=1e-6)


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


# --------------------------------------------------------------------------- claims (on the pinned lecture run)
@pytest.fixture(scope="module")
def pinned():
    from engine.store import load

    return load("early-stopping", PINNED)


def changed(res, **arrays):
    """A copy of ``res`` with some arrays replaced."""
    return dataclasses.replace(res, arrays={**res.arrays, **arrays})


CLAIMS = ("validation_loss_turns", "restored_lower_test_loss", "last_higher_test_accuracy", "sure_of_mistakes")


@pytest.mark.parametrize("name", CLAIMS)
def test_claim_holds_on_every_seed(pinned, name):
    import engine.overfitting as ov

    m = getattr(ov, f"claim_{name}")({"early-stopping": pinned})
    assert m.holds, m.describe()
    assert m.seeds == pinned.settings["seeds"] >= 5


def test_claims_fail_when_their_premise_is_broken(pinned):
    import engine.overfitting as ov

    def judge(name, res):
        return getattr(ov, f"claim_{name}")({"early-stopping": res}).holds

    r = pinned
    # the validation loss falls to the end (as the training loss does): no turn
    assert not judge("validation_loss_turns", changed(r, **{"seeds/val_loss": r["seeds/train_loss"]}))
    # the last and the restored weights' numbers swapped
    assert not judge("restored_lower_test_loss", changed(r, **{"seeds/restored_test_loss": r["seeds/final_test_loss"],
                                                             "seeds/final_test_loss": r["seeds/restored_test_loss"]}))
    assert not judge("last_higher_test_accuracy", changed(r, **{"seeds/restored_test_acc": r["seeds/final_test_acc"],
                                                              "seeds/final_test_acc": r["seeds/restored_test_acc"]}))
    # one seed whose mistakes' loss does not grow is enough to fail
    wrong = r["seeds/val_wrong_loss"].copy()
    wrong[2] = wrong[2].max()
    m = ov.claim_sure_of_mistakes({"early-stopping": changed(r, **{"seeds/val_wrong_loss": wrong})})
    assert not m.holds and m.failing == (int(r["seed_values"][2]),)


# --------------------------------------------------------------------------- the scene (last frame)
from manim.utils.testing.frames_comparison import frames_comparison  # noqa: E402

from scenes.overfitting import EarlyStopping  # noqa: E402

__module_test__ = "early_stopping"


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("early-stopping")   # the lecture's settings: the claims above are judged on this run


@frames_comparison(last_frame=True, base_scene=EarlyStopping)
def test_early_stopping_scene_last_frame(scene):
    EarlyStopping.construct(scene)
