"""Chapter 11 — initial weights: histograms, all-zero initialization, MNIST curves, figures, scene."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.weight_init import WeightInitHistograms

__module_test__ = "weight_init"

OVERRIDES = {"weight-init-zero": {"steps": 60, "eval_every": 20},
             "weight-init-mnist": {"iterations": 150, "eval_every": 50}}
ALL = ("weight-init-histograms", "weight-init-zero", "weight-init-mnist")


@pytest.fixture(scope="module")
def results(compute_results):
    return compute_results(*ALL, overrides=OVERRIDES)


@pytest.fixture(scope="module")
def hist(results):
    return results["weight-init-histograms"]


def test_histograms_count_every_value(hist):
    n = hist.settings["samples"] * hist.settings["width"]
    for act in ("sigmoid", "tanh"):
        for init in hist["inits"]:
            counts = hist[f"hist/{act}/{init}"]
            assert counts.shape == (5, hist.settings["bins"])
            np.testing.assert_allclose(counts.sum(axis=1), n)
    for init in hist["inits"]:  # ReLU: the bars hold exactly the non-zero values
        nonzero = n * (1 - hist[f"zero_frac/relu/{init}"])
        np.testing.assert_allclose(hist[f"hist/relu/{init}"].sum(axis=1), nonzero, atol=0.5)


def test_sigmoid_std1_saturates_at_0_and_1(hist):
    counts = hist["hist/sigmoid/std1"]
    ends = (counts[:, 0] + counts[:, -1]) / counts.sum(axis=1)
    assert np.all(ends > 0.3)                     # a third or more of all values in the two end bins
    assert np.all(hist["std/sigmoid/std1"] > 0.4)
    assert np.all(hist["saturated/sigmoid/std1"] > 0.4)


def test_sigmoid_std001_collapses_to_one_half(hist):
    np.testing.assert_allclose(hist["mean/sigmoid/std0.01"], 0.5, atol=0.005)
    assert np.all(hist["std/sigmoid/std0.01"] < 0.03)
    assert np.all(hist["saturated/sigmoid/std0.01"] == 0)


def test_xavier_keeps_spread(hist):
    assert np.all(hist["std/sigmoid/xavier"] > 0.1)
    assert np.all(hist["saturated/sigmoid/xavier"] < 0.01)
    # tanh: std 0.01 shrinks by about ten per layer, Xavier does not collapse
    assert hist["std/tanh/std0.01"][-1] < 1e-3
    assert hist["std/tanh/xavier"][-1] > 0.2
    # ReLU: He keeps the spread through 5 layers while Xavier (half the variance) halves it
    he, xavier = hist["std/relu/he"], hist["std/relu/xavier"]
    assert he.min() > 0.5 and xavier[-1] < 0.5 * xavier[0]


def test_first_layer_matches_the_closed_form_spread(hist):
    """Layer 1 with Xavier (std 1/10 on 100 inputs): z ~ N(0, 1), so sd(sigmoid(z)) ≈ 0.2083 and
    sd(relu(z)) = sqrt(1/2 − 1/(2π)) ≈ 0.5838 (numpy Monte Carlo for the sigmoid)."""
    rng = np.random.default_rng(0)
    z = rng.standard_normal(2_000_000)
    assert hist["std/sigmoid/xavier"][0] == pytest.approx(np.std(1 / (1 + np.exp(-z))), rel=0.04)
    assert hist["std/relu/xavier"][0] == pytest.approx(np.sqrt(0.5 - 1 / (2 * np.pi)), rel=0.04)
    assert hist["std/tanh/std1"][0] == pytest.approx(np.std(np.tanh(10 * z)), rel=0.04)


def test_zero_initialization_never_breaks_symmetry(results):
    zero = results["weight-init-zero"]
    spread = zero["unit_spread"]
    assert spread.shape == (2, 61, zero.settings["hidden_layers"])
    assert zero["seeds/unit_spread"].shape == (zero.settings["seeds"], 2, 61, zero.settings["hidden_layers"])
    np.testing.assert_array_equal(zero["seeds/unit_spread"][0], spread)   # the unprefixed arrays: seed k = 0
    # all units of a layer identical at every step, up to float64 rounding (≈ 1e-19 here) ...
    assert np.all(spread[0] < 1e-12)
    assert zero.scalar("weight_change/zero") > 1e-4  # ... although the weights did move
    w = zero["first_layer/zero"]
    np.testing.assert_allclose(w, np.broadcast_to(w[:1], w.shape), rtol=0, atol=1e-12)
    assert np.all(spread[1, 1:] > 0.1)              # a random start keeps the units apart


def test_stacked_networks_equal_independent_ones():
    """The stacked program gives every run exactly its own forward pass and its own gradient."""
    from engine.stacked_mlp import stacked_forward, stacked_loss, stacked_weights

    gen = torch.Generator().manual_seed(1)
    sizes = [4, 6, 5, 3]
    params = stacked_weights(sizes, 3, ["xavier", "he", "std:0.5"], gen, dtype=torch.float64)
    with torch.no_grad():
        for p in params[1::2]:
            p.normal_(0, 0.1, generator=gen)
    x = torch.randn(3, 8, 4, generator=gen, dtype=torch.float64)
    y = torch.randint(0, 3, (3, 8), generator=gen)
    loss = stacked_loss(stacked_forward(params, x, "tanh"), y)
    grads = torch.autograd.grad(loss.sum(), params)
    for r in range(3):
        a = x[r].numpy()
        ws = [p[r].detach().numpy() for p in params]
        for i in range(3):
            a = a @ ws[2 * i] + ws[2 * i + 1]
            if i < 2:
                a = np.tanh(a)
        logp = a - np.log(np.exp(a).sum(1, keepdims=True))
        assert float(loss[r].detach()) == pytest.approx(-logp[np.arange(8), y[r].numpy()].mean(), rel=1e-12)
        single = [p[r:r + 1].detach().clone().requires_grad_(True) for p in params]
        own = torch.autograd.grad(stacked_loss(stacked_forward(single, x[r:r + 1], "tanh"), y[r:r + 1]).sum(), single)
        for g_stacked, g_own in zip(grads, own):
            torch.testing.assert_close(g_stacked[r:r + 1], g_own)


def test_zero_init_stacked_weights_are_zero():
    from engine.stacked_mlp import stacked_weights

    params = stacked_weights([3, 4, 2], 2, ["zero", "xavier"], torch.Generator().manual_seed(0))
    assert torch.all(params[0][0] == 0) and torch.all(params[2][0] == 0)
    assert params[0][1].std() > 0


def test_mnist_he_learns_and_small_std_is_stuck(results):
    mn = results["weight-init-mnist"]
    loss = mn["loss"]
    assert loss.shape == (3, 150) and list(mn["inits"]) == ["std0.01", "xavier", "he"]
    settings = mn.settings
    assert (settings["hidden"], settings["hidden_layers"], settings["lr"], settings["batch"]) == (100, 4, 0.01, 128)
    # std 0.01: the signal dies in 4 ReLU layers, the loss stays at ln 10 (uniform guessing)
    np.testing.assert_allclose(loss[0, -20:].mean(), np.log(10), atol=0.01)
    assert loss[2, -20:].mean() < 1.5 < loss[1, -20:].mean() + 1.0
    assert loss[2, -20:].mean() < loss[1, -20:].mean() < loss[0, -20:].mean()
    assert mn["test_acc"][2, -1] > 0.5 > mn["test_acc"][0, -1]


def test_histogram_seeds(hist, compute_results):
    """Seed k depends on seed + k alone (2 seeds repeat the first two of 5); the histograms' statistics are
    seed k = 0's."""
    seeds = hist.settings["seeds"]
    assert seeds >= 5 and hist["seed_values"].tolist() == list(range(hist.meta["seed"], hist.meta["seed"] + seeds))
    two = compute_results("weight-init-histograms", overrides={"weight-init-histograms": {"seeds": 2}})
    two = two["weight-init-histograms"]
    for key in ("std/sigmoid/xavier", "saturated/relu/he", "mean/tanh/std1"):
        np.testing.assert_allclose(two[f"seeds/{key}"], hist[f"seeds/{key}"][:2], rtol=1e-12)
        np.testing.assert_array_equal(hist[key], hist[f"seeds/{key}"][0])
    assert not np.array_equal(hist["seeds/std/sigmoid/xavier"][0], hist["seeds/std/sigmoid/xavier"][1])


# --- claims: judged on the pinned results; each fails when its premise is broken
HIST_CLAIMS = ("std1_saturates", "std001_collapses", "xavier_spread", "he_wider_than_xavier",
               "tanh_like_sigmoid", "relu_std1_grows", "relu_std001_shrinks_he_keeps")


@pytest.fixture(scope="module")
def pinned():
    from engine.store import load

    folder = Path(__file__).parent / "control_data" / "results" / "test_weight_init"
    return {name: load(name, folder) for name in ("weight-init-histograms", "weight-init-zero")}


def with_arrays(res, arrays: dict):
    from engine.store import Result

    return Result(res.id, {**res.arrays, **arrays}, res.meta)


@pytest.mark.parametrize("name", HIST_CLAIMS + ("zero_units_identical",))
def test_claim_holds_on_the_pinned_results(pinned, name):
    import engine.weight_init as wi

    m = getattr(wi, f"claim_{name}")(pinned)
    assert m.holds, m.describe()
    assert m.seeds >= 5


def swap(res, act: str, a: str, b: str):
    """A copy with the statistics of initializations ``a`` and ``b`` swapped (activation ``act``)."""
    changes = {}
    for stat in ("std", "mean", "saturated", "zero_frac"):
        changes[f"seeds/{stat}/{act}/{a}"] = res[f"seeds/{stat}/{act}/{b}"]
        changes[f"seeds/{stat}/{act}/{b}"] = res[f"seeds/{stat}/{act}/{a}"]
    return with_arrays(res, changes)


@pytest.mark.parametrize("name, broken", [
    ("std1_saturates", ("sigmoid", "std1", "xavier")),
    ("std001_collapses", ("sigmoid", "std0.01", "xavier")),
    ("xavier_spread", ("sigmoid", "std0.01", "xavier")),
    ("he_wider_than_xavier", ("sigmoid", "he", "xavier")),
    ("he_wider_than_xavier", ("sigmoid", "he", "std1")),        # wider, but not "a little"
    ("tanh_like_sigmoid", ("tanh", "std1", "xavier")),
    ("tanh_like_sigmoid", ("tanh", "std0.01", "he")),
    ("relu_std1_grows", ("relu", "std1", "he")),
    ("relu_std001_shrinks_he_keeps", ("relu", "std0.01", "he")),
    ("relu_std001_shrinks_he_keeps", ("relu", "he", "xavier")),  # Xavier halves ReLU's spread in 5 layers
])
def test_histogram_claim_fails_when_the_initializations_are_swapped(pinned, name, broken):
    import engine.weight_init as wi

    hist = swap(pinned["weight-init-histograms"], *broken)
    m = getattr(wi, f"claim_{name}")({**pinned, "weight-init-histograms": hist})
    assert not m.holds, m.describe()


def test_zero_claim_fails_when_the_units_differ_or_the_normal_ones_do_not(pinned):
    import engine.weight_init as wi

    zero = pinned["weight-init-zero"]
    spread = zero["seeds/unit_spread"]
    swapped = with_arrays(zero, {"seeds/unit_spread": spread[:, ::-1]})
    assert not wi.claim_zero_units_identical({"weight-init-zero": swapped}).holds
    one = spread.copy()
    one[2, 0, 30, 1] = 1e-6
    m = wi.claim_zero_units_identical({"weight-init-zero": with_arrays(zero, {"seeds/unit_spread": one})})
    assert not m.holds and m.failing == (int(zero["seed_values"][2]),)


# Every figure in Korean; English for the three figure functions (the sigmoid and tanh grids are
# the ReLU grid's code with another name string).  Each save writes PNG+SVG+PDF at 300 dpi.
@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results(*ALL, overrides=OVERRIDES)


@frames_comparison(last_frame=True, base_scene=WeightInitHistograms)
def test_weight_init_scene_last_frame(scene):
    WeightInitHistograms.construct(scene)
