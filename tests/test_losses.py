"""Chapter 10 — MSE and cross-entropy: the curves and gradients against closed forms, the stacked training runs
against one run trained alone with torch.nn, the wrong-and-confident bookkeeping, the claims, the frame test."""
from __future__ import annotations

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.losses import MSEvsCrossEntropy

__module_test__ = "losses"

SMALL = {"losses": {"epochs": 4, "seeds": 2, "curve_points": 51}}   # a short run: the numerics, not the claims


@pytest.fixture(scope="module")
def ls(compute_results):
    return compute_results("losses", overrides=SMALL)["losses"]


def test_curves_are_the_closed_forms(ls):
    """For p = σ(z) and y = 1: MSE ½(1 − p)², ∂/∂z = −p(1 − p)²; cross-entropy −log p, ∂/∂z = −(1 − p)."""
    p = ls["p"]
    np.testing.assert_allclose(ls["curve/mse"], 0.5 * (1 - p) ** 2, rtol=1e-12)
    np.testing.assert_allclose(ls["curve/ce"], -np.log(p), rtol=1e-12)
    np.testing.assert_allclose(ls["curve/grad/mse"], -p * (1 - p) ** 2, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(ls["curve/grad/ce"], -(1 - p), rtol=1e-10)
    np.testing.assert_allclose(ls["curve/grad_size/mse"], np.abs(ls["curve/grad/mse"]))
    # the MSE gradient peaks at p = 1/3 with 4/27
    assert ls["curve/grad_size/mse"].max() <= 4 / 27 + 1e-12


def test_stacked_runs_equal_one_run_trained_alone(ls):
    """Seed 0 with each loss, trained alone with torch.nn.Linear and torch.optim.SGD on the same mini-batches."""
    import torch

    from engine.data import digits

    s = ls.settings
    data = digits()
    x, y = data.train.x.double(), data.train.y
    onehot = torch.nn.functional.one_hot(y, 10).double()
    seed = int(ls["seed_values"][0])
    for name in ("mse", "ce"):
        gen = torch.Generator().manual_seed(seed)
        lin = torch.nn.Linear(64, 10, dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_((s["init_std"] * torch.randn(64, 10, generator=gen, dtype=torch.float64)).T)
            lin.bias.zero_()
        opt = torch.optim.SGD(lin.parameters(), lr=s["lr"])
        still = []
        start_wrong = None
        for epoch in range(s["epochs"] + 1):
            if epoch:
                order = torch.randperm(len(y), generator=gen)
                for k in range(0, len(y), s["batch"]):
                    b = order[k:k + s["batch"]]
                    logits = lin(x[b])
                    if name == "ce":
                        loss = torch.nn.functional.cross_entropy(logits, y[b])
                    else:
                        loss = 0.5 * ((torch.softmax(logits, 1) - onehot[b]) ** 2).sum(1).mean()
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
            with torch.no_grad():
                p = torch.softmax(lin(x), 1)
                wrong = (p.argmax(1) != y).numpy()
                if start_wrong is None:
                    start_wrong = wrong & (p[torch.arange(len(y)), y].numpy() < s["confident_below"])
                still.append((wrong & start_wrong).sum() / start_wrong.sum())
        np.testing.assert_allclose(still, ls[f"still_wrong/{name}"], atol=1e-12)
        assert start_wrong.sum() == int(ls["start_count"])


def test_wrong_and_confident_bookkeeping(ls):
    """The starting set: wrong with p(correct) below the threshold; both losses start from it (share 1 at epoch 0)."""
    pc, wrong = ls["start/p_correct"], ls["start/wrong"]
    chosen = (pc < ls.settings["confident_below"]) & wrong
    assert chosen.sum() == int(ls["start_count"]) == int(ls["seeds/start_count"][0])
    assert np.all(wrong[pc < ls.settings["confident_below"]])   # p(correct) < 0.05 over 10 classes: wrong
    for name in ("mse", "ce"):
        assert np.all(ls[f"seeds/still_wrong/{name}"][:, 0] == 1.0)
        h = ls[f"seeds/half_epoch/{name}"]
        rows = ls[f"seeds/still_wrong/{name}"]
        for k, e in enumerate(h):
            below = np.nonzero(rows[k] <= 0.5)[0]
            assert e == (below[0] if len(below) else rows.shape[1])


# --- claims: judged on the pinned results; each fails when its premise is broken
@pytest.fixture(scope="module")
def pinned():
    from pathlib import Path

    from engine.store import load

    return load("losses", Path(__file__).parent / "control_data" / "results" / "test_losses")


def judged(name, res, **arrays):
    import engine.losses as ex
    from engine.store import Result

    return getattr(ex, f"claim_{name}")({"losses": Result(res.id, {**res.arrays, **arrays}, res.meta)})


@pytest.mark.parametrize("name", ["ce_unbounded_mse_bounded", "mse_gradient_vanishes", "ce_corrects_faster"])
def test_claim_holds_on_the_pinned_results(pinned, name):
    m = judged(name, pinned)
    assert m.holds, m.describe()
    assert m.seeds >= (5 if name == "ce_corrects_faster" else 1)


def test_claims_fail_when_their_premise_is_broken(pinned):
    swap = {"curve/grad/mse": pinned["curve/grad/ce"], "curve/grad/ce": pinned["curve/grad/mse"]}
    assert not judged("mse_gradient_vanishes", pinned, **swap).holds
    swap = {"curve/mse": pinned["curve/ce"], "curve/ce": pinned["curve/mse"]}
    assert not judged("ce_unbounded_mse_bounded", pinned, **swap).holds
    swap = {f"seeds/{k}/{a}": pinned[f"seeds/{k}/{b}"] for k in ("half_epoch", "still_wrong")
            for a, b in (("mse", "ce"), ("ce", "mse"))}
    m = judged("ce_corrects_faster", pinned, **swap)
    assert not m.holds and len(m.failing) == m.seeds


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("losses")


@frames_comparison(last_frame=True, base_scene=MSEvsCrossEntropy)
def test_losses_scene_last_frame(scene):
    MSEvsCrossEntropy.construct(scene)
