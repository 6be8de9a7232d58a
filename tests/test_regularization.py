"""Chapter 12 — 정칙화: L1 and L2 penalties on the over-fitting network; the 2-D geometry."""
from __future__ import annotations

import numpy as np
import pytest
import torch


SHORT = {"regularization": {"epochs": 80}}


@pytest.fixture(scope="module")
def reg(compute_results):
    return compute_results("regularization", overrides=SHORT)["regularization"]


def test_penalties_match_their_formulas():
    from engine.overfit_setup import SETUP, build
    from engine.overfitting import penalty

    model = build(SETUP, torch.Generator().manual_seed(0))
    weights = [m.weight.detach() for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        l2, l1 = float(penalty(model, "l2", 0.1)), float(penalty(model, "l1", 0.01))
    assert l2 == pytest.approx(0.05 * sum(float((w**2).sum()) for w in weights), rel=1e-5)
    assert l1 == pytest.approx(0.01 * sum(float(w.abs().sum()) for w in weights), rel=1e-5)
    assert penalty(model, "none", 0.1) == 0.0


def test_l1_gives_more_near_zero_weights_than_l2(reg):
    near = {k: reg.scalar(f"{k}/near_zero") for k in ("none", "l2", "l1")}
    assert near["l1"] > 2 * near["l2"] and near["l1"] > 2 * near["none"]
    # L2 shrinks the weights as a whole: the smallest Euclidean norm
    assert reg.scalar("l2/weight_l2") < reg.scalar("l1/weight_l2") < reg.scalar("none/weight_l2")
    # the histogram's central bin holds the L1 spike at zero
    hist = reg["l1/weight_hist"]
    assert np.argmax(hist) == len(hist) // 2 and hist.max() > 2 * reg["none/weight_hist"].max()


def test_penalties_keep_the_same_start(reg):
    # the same initial weights and batches: the first epoch differs only through the penalty
    first = [reg[f"{k}/train_loss"][0] for k in ("none", "l2", "l1")]
    np.testing.assert_allclose(first, first[0], rtol=0.05)


def test_two_dimensional_solutions(reg):
    A, w_star = reg["toy/A"], reg["toy/w_star"]
    lam2, lam1 = reg.settings["toy_lambda_l2"], reg.settings["toy_lambda_l1"]
    # L2: the gradient of loss + ½λ|w|² vanishes
    w2 = reg["toy/w_l2"]
    np.testing.assert_allclose(A @ (w2 - w_star) + lam2 * w2, 0, atol=1e-12)
    # L1: the subgradient optimality conditions (KKT) of loss + λ|w|₁
    w1 = reg["toy/w_l1"]
    grad = A @ (w1 - w_star)
    for g, w in zip(grad, w1):
        if abs(w) > 1e-12:
            assert g + lam1 * np.sign(w) == pytest.approx(0, abs=1e-9)
        else:
            assert abs(g) <= lam1 + 1e-9
    assert np.sum(np.abs(w1) < 1e-12) == 1          # the L1 solution sits on a corner: one coordinate is 0
    assert np.all(np.abs(w2) > 1e-3)                 # the L2 solution does not
    assert reg.scalar("toy/radius_l1") == pytest.approx(np.abs(w1).sum())


def test_the_stack_penalises_each_network_as_its_own_run():
    from engine.overfit_setup import SETUP, StackedMLP, build
    from engine.overfitting import penalty

    models = [build(SETUP, torch.Generator().manual_seed(s)) for s in (0, 1, 2)]
    stack = StackedMLP(models)
    l2, l1 = torch.tensor([0.0, 0.1, 0.0]), torch.tensor([0.0, 0.0, 0.003])
    with torch.no_grad():
        expected = float(penalty(models[1], "l2", 0.1)) + float(penalty(models[2], "l1", 0.003))
        assert float(stack.penalty(l2, l1)) == pytest.approx(expected, rel=1e-5)
    # the stack's flat weights are each network's, in linear_layers' order
    from engine.overfitting import all_weights

    torch.testing.assert_close(stack.flat_weights()[2], all_weights(models[2]))


def test_every_seed_is_stored(reg):
    seeds = reg.settings["seeds"]
    for kind in ("none", "l2", "l1"):
        assert reg[f"seeds/{kind}/val_loss"].shape == (seeds, reg.settings["epochs"])
        assert reg[f"seeds/{kind}/near_zero"].shape == (seeds,)
        np.testing.assert_array_equal(reg[f"{kind}/val_loss"], reg[f"seeds/{kind}/val_loss"][0])
    # every penalty starts from the same weights on the same seed: the first epoch's training losses agree
    first = reg["seeds/none/train_loss"][:, 0]
    np.testing.assert_allclose(reg["seeds/l2/train_loss"][:, 0], first, rtol=0.05)
    assert len(set(np.round(first, 6))) == seeds     # … and the seeds differ


# --------------------------------------------------------------------------- claims (on the run pinned at the lecture's settings)
REG_CLAIMS = ("l1_zeroes_weights", "l2_shrinks_weights", "penalties_narrow_gap", "l1_solution_on_a_corner")


@pytest.fixture(scope="module")
def pinned():
    from pathlib import Path

    from engine.store import load

    return load("regularization", Path(__file__).parent / "control_data" / "test_figure_layout")


@pytest.mark.parametrize("name", REG_CLAIMS)
def test_claim_holds_on_every_seed(pinned, name):
    import engine.overfitting as ov

    m = getattr(ov, f"claim_{name}")({"regularization": pinned})
    assert m.holds, m.describe()
    assert m.seeds == (1 if name == "l1_solution_on_a_corner" else pinned.settings["seeds"])   # the 2-D picture: no seed
    assert pinned.settings["seeds"] >= 5


def test_claims_fail_when_their_premise_is_broken(pinned):
    import dataclasses

    import engine.overfitting as ov

    def swapped(a: str, b: str, *names: str):
        arrays = dict(pinned.arrays)
        for name in names:
            arrays[f"seeds/{a}/{name}"], arrays[f"seeds/{b}/{name}"] = pinned[f"seeds/{b}/{name}"], pinned[f"seeds/{a}/{name}"]
        return {"regularization": dataclasses.replace(pinned, arrays=arrays)}

    assert not ov.claim_l1_zeroes_weights(swapped("l1", "none", "near_zero")).holds
    assert not ov.claim_l2_shrinks_weights(swapped("l2", "none", "weight_l2")).holds
    assert not ov.claim_penalties_narrow_gap(swapped("l2", "none", "train_loss", "val_loss")).holds
    off_corner = dict(pinned.arrays, **{"toy/w_l1": pinned["toy/w_l2"]})   # the L2 solution in the L1 one's place
    assert not ov.claim_l1_solution_on_a_corner({"regularization": dataclasses.replace(pinned, arrays=off_corner)}).holds
