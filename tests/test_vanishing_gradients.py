"""Chapter 11 — vanishing gradients: engine numerics, the figure, the scene."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.vanishing_gradients import VanishingGradients

__module_test__ = "vanishing_gradients"
PINNED = Path(__file__).parent / "control_data" / "results"

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
    seeds = vg.settings["seeds"]
    for name in ("sigmoid", "tanh", "relu"):
        assert vg[f"seeds/grad_norm/{name}"].shape == (seeds, 60, depth + 1)
        assert vg[f"seeds/dact/{name}"].shape == (seeds, 60, depth)
        assert vg[f"seeds/final_acc/{name}"].shape == (seeds,)
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
    """The engine's per-layer gradient norms (two stacked networks at once) equal a hand-written numpy
    backpropagation of each network alone."""
    from engine.stacked_mlp import stacked_weights
    from engine.vanishing_gradients import stacked_backward_measured

    gen = torch.Generator().manual_seed(3)
    sizes = [5, 4, 4, 4, 3]
    params = stacked_weights(sizes, 2, "xavier", gen, dtype=torch.float64)
    with torch.no_grad():
        for b in params[1::2]:
            b.normal_(0, 0.1, generator=gen)
    x = torch.randn(2, 7, 5, generator=gen, dtype=torch.float64)
    y = torch.tensor([[0, 1, 2, 0, 1, 2, 0], [2, 2, 1, 0, 0, 1, 2]])
    loss, norms, dact = stacked_backward_measured(params, x, y, "sigmoid")
    for run in range(2):
        Ws = [w[run].detach().numpy().T for w in params[0::2]]
        bs = [b[run].detach().numpy() for b in params[1::2]]
        a, acts, zs = x[run].numpy(), [x[run].numpy()], []
        for i, (W, b) in enumerate(zip(Ws, bs)):
            z = a @ W.T + b
            zs.append(z)
            a = 1 / (1 + np.exp(-z)) if i < len(Ws) - 1 else z
            acts.append(a)
        p = np.exp(a - a.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        labels = y[run].numpy()
        onehot = np.eye(3)[labels]
        ref_loss = -np.mean(np.log(p[np.arange(7), labels]))
        delta = (p - onehot) / 7
        ref_norms, ref_dact = [], []
        for i in range(len(Ws) - 1, -1, -1):
            ref_norms.append(np.linalg.norm(delta.T @ acts[i]))
            if i > 0:
                s = 1 / (1 + np.exp(-zs[i - 1]))
                ref_dact.append((s * (1 - s)).mean())
                delta = (delta @ Ws[i]) * s * (1 - s)
        assert float(loss[run]) == pytest.approx(ref_loss, rel=1e-12)
        np.testing.assert_allclose(norms[run].numpy(), ref_norms[::-1], rtol=1e-10)
        np.testing.assert_allclose(dact[run].numpy(), ref_dact[::-1], rtol=1e-10)


def test_seeds_are_independent_and_the_lecture_seed_is_seed_zero(vg, compute_results):
    """Seed k depends on ctx.seed + k alone: a run of 2 seeds repeats the first two of 5; the unprefixed
    arrays are seed k = 0."""
    seeds = vg.settings["seeds"]
    assert seeds >= 5 and vg["seed_values"].tolist() == list(range(vg.meta["seed"], vg.meta["seed"] + seeds))
    two = compute_results("vanishing-gradients",
                          overrides={"vanishing-gradients": {**OVERRIDES["vanishing-gradients"], "seeds": 2}})
    two = two["vanishing-gradients"]
    for name in ("sigmoid", "tanh", "relu"):
        np.testing.assert_allclose(two[f"seeds/grad_norm/{name}"], vg[f"seeds/grad_norm/{name}"][:2], rtol=1e-9)
        np.testing.assert_array_equal(vg[f"grad_norm/{name}"], vg[f"seeds/grad_norm/{name}"][0])
    # different seeds, different runs
    assert not np.allclose(vg["seeds/loss/relu"][0], vg["seeds/loss/relu"][1])


# --- claims: judged on the pinned results; each fails when its premise is broken
CLAIMS = ("sigmoid_fades", "ratio_order", "relu_reaches_first_layer", "chain_factors_bounded", "sigmoid_stalls")


@pytest.fixture(scope="module")
def pinned():
    from engine.store import load

    return load("vanishing-gradients", PINNED / "test_vanishing_gradients")


def with_arrays(res, **arrays):
    from engine.store import Result

    return Result(res.id, {**res.arrays, **{k.replace("__", "/"): v for k, v in arrays.items()}}, res.meta)


@pytest.mark.parametrize("name", CLAIMS)
def test_claim_holds_on_the_pinned_results(pinned, name):
    import engine.vanishing_gradients as vgm

    m = getattr(vgm, f"claim_{name}")({"vanishing-gradients": pinned})
    assert m.holds, m.describe()
    assert m.seeds >= 5


def test_claims_fail_when_the_activations_are_swapped(pinned):
    import engine.vanishing_gradients as vgm

    g = {n: pinned[f"seeds/grad_norm/{n}"] for n in ("sigmoid", "tanh", "relu")}
    acc = {n: pinned[f"seeds/final_acc/{n}"] for n in ("sigmoid", "relu")}
    swapped = with_arrays(pinned, seeds__grad_norm__sigmoid=g["relu"], seeds__grad_norm__relu=g["sigmoid"],
                          seeds__final_acc__sigmoid=acc["relu"], seeds__final_acc__relu=acc["sigmoid"])
    for name in ("sigmoid_fades", "ratio_order", "relu_reaches_first_layer", "sigmoid_stalls"):
        m = getattr(vgm, f"claim_{name}")({"vanishing-gradients": swapped})
        assert not m.holds, name
    # tanh and ReLU swapped: the order fails, the other claims do not look at it
    order = with_arrays(pinned, seeds__grad_norm__tanh=g["relu"], seeds__grad_norm__relu=g["tanh"])
    assert not vgm.claim_ratio_order({"vanishing-gradients": order}).holds
    # one seed broken: the claim fails and names that seed
    one = g["sigmoid"].copy()
    one[3, 0, 0] = one[3, 0, -1]
    m = vgm.claim_sigmoid_fades({"vanishing-gradients": with_arrays(pinned, seeds__grad_norm__sigmoid=one)})
    assert not m.holds and m.failing == (int(pinned["seed_values"][3]),)
    # a factor above the bound
    d = pinned["seeds/dact/sigmoid"].copy()
    d[1, 2, 3] = 0.3
    assert not vgm.claim_chain_factors_bounded({"vanishing-gradients": with_arrays(pinned, seeds__dact__sigmoid=d)}).holds


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
    scene_results("vanishing-gradients")  # the lecture's settings: the claims are judged on them too


@frames_comparison(last_frame=True, base_scene=VanishingGradients)
def test_vanishing_gradients_scene_last_frame(scene):
    VanishingGradients.construct(scene)
