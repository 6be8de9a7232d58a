"""Chapter 14 — hyperparameter search: batched trials equal independent runs; the two stages; the figures."""
from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from helpers import assert_legends_cover_no_points
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.hyperparameter_search import HyperparameterSearch

__module_test__ = "hyperparameter_search"

OVERRIDES = {"hyperparameter-search": {"epochs": 12, "hidden": 16, "seeds": 2}}
PINNED = Path(__file__).resolve().parent / "control_data" / "results" / "test_hyperparameter_search"


@pytest.fixture(scope="module")
def hp(compute_results):
    return compute_results("hyperparameter-search", overrides=OVERRIDES)["hyperparameter-search"]


def test_batched_trials_equal_independent_torch_optim_runs():
    """Three trials stacked (one bmm program, hand-written SGD with weight decay) against three separate
    networks, each with torch.optim.SGD (weight_decay on the weights' param group, none on the biases)."""
    from engine.hyperparameter_search import train_stacked
    from engine.stacked_mlp import stacked_weights

    gen = torch.Generator().manual_seed(0)
    x_tr, y_tr = torch.rand(40, 784, generator=gen), torch.randint(0, 10, (40,), generator=gen)
    x_va, y_va = torch.rand(20, 784, generator=gen), torch.randint(0, 10, (20,), generator=gen)
    sizes = [784, 12, 12, 10]
    lrs = torch.tensor([0.3, 0.05, 1e-3], dtype=torch.float64)
    wds = torch.tensor([1e-2, 1e-4, 0.5], dtype=torch.float64)
    params = stacked_weights(sizes, 3, "he", gen, dtype=torch.float64)
    start = [p.detach().clone() for p in params]
    curves = train_stacked(params, lrs, wds, x_tr.double(), y_tr, x_va.double(), y_va, 3, 16,
                           torch.Generator().manual_seed(5))
    for r in range(3):
        layers = []
        for i in range(0, len(start), 2):
            lin = nn.Linear(sizes[i // 2], sizes[i // 2 + 1], dtype=torch.float64)
            with torch.no_grad():
                lin.weight.copy_(start[i][r].T)
                lin.bias.copy_(start[i + 1][r])
            layers += [lin, nn.ReLU()]
        net = nn.Sequential(*layers[:-1])
        weights = [m.weight for m in net if isinstance(m, nn.Linear)]
        biases = [m.bias for m in net if isinstance(m, nn.Linear)]
        opt = torch.optim.SGD([{"params": weights, "weight_decay": float(wds[r])},
                               {"params": biases, "weight_decay": 0.0}], lr=float(lrs[r]))
        order_gen = torch.Generator().manual_seed(5)
        val_acc = []
        for epoch in range(3):
            order = torch.randperm(40, generator=order_gen)
            for s in range(0, 40, 16):
                idx = order[s:s + 16]
                loss = F.cross_entropy(net(x_tr[idx].double()), y_tr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
            with torch.no_grad():
                val_acc.append(float((net(x_va.double()).argmax(1) == y_va).double().mean()))
        for i, lin in enumerate(m for m in net if isinstance(m, nn.Linear)):
            torch.testing.assert_close(params[2 * i][r].detach(), lin.weight.detach().T, rtol=1e-9, atol=1e-11)
            torch.testing.assert_close(params[2 * i + 1][r].detach(), lin.bias.detach(), rtol=1e-9, atol=1e-11)
        np.testing.assert_allclose(curves["val_acc"][r].numpy(), val_acc)


def test_log_uniform_draws():
    from engine.hyperparameter_search import sample_log_uniform

    v = sample_log_uniform(5000, -6, -2, torch.Generator().manual_seed(0))
    logs = torch.log10(v)
    assert logs.min() >= -6 and logs.max() <= -2
    assert abs(float(logs.mean()) + 4) < 0.05 and abs(float(logs.std()) - 4 / math.sqrt(12)) < 0.05


def test_coarse_then_fine(hp):
    s = hp.settings
    assert s["trials"] >= 100 and s["fine_trials"] > 0
    n = s["trials"] + s["fine_trials"]
    assert hp["lr"].shape == (n,) and hp["val_acc"].shape == (n, 12)
    coarse = hp["stage"] == 0
    assert coarse.sum() == s["trials"]
    assert (np.log10(hp["lr"][coarse]) >= -6).all() and (np.log10(hp["lr"][coarse]) <= -2).all()
    assert (np.log10(hp["wd"][coarse]) >= -8).all() and (np.log10(hp["wd"][coarse]) <= -4).all()
    # the refined box is the span of the best 5 % coarse trials, and the fine trials lie in it
    best = hp["coarse_best"]
    assert len(best) == round(0.05 * s["trials"])
    final = hp["val_acc"][:, -1]
    assert final[best].min() >= np.sort(final[coarse])[::-1][len(best) - 1] - 1e-12
    lo_lr, hi_lr, lo_wd, hi_wd = hp["region"]
    np.testing.assert_allclose([lo_lr, hi_lr], [np.log10(hp["lr"][best]).min(), np.log10(hp["lr"][best]).max()])
    np.testing.assert_allclose([lo_wd, hi_wd], [np.log10(hp["wd"][best]).min(), np.log10(hp["wd"][best]).max()])
    fine = ~coarse
    assert (np.log10(hp["lr"][fine]) >= lo_lr - 1e-9).all() and (np.log10(hp["lr"][fine]) <= hi_lr + 1e-9).all()
    assert (np.log10(hp["wd"][fine]) >= lo_wd - 1e-9).all() and (np.log10(hp["wd"][fine]) <= hi_wd + 1e-9).all()
    assert (np.diff(final[hp["ranking"]]) <= 0).all() and hp["best"].shape == (20,)
    # accuracies are counts out of 100
    np.testing.assert_allclose(hp["val_acc"] * 100, np.round(hp["val_acc"] * 100), atol=1e-9)
    # every seed is stored; seed 0's arrays are the lecture's
    seeds = s["seeds"]
    np.testing.assert_array_equal(hp["seed_values"], hp.meta["seed"] + np.arange(seeds))
    assert hp["seeds/lr"].shape == (seeds, n) and hp["seeds/region"].shape == (seeds, 4)
    np.testing.assert_array_equal(hp["seeds/lr"][0], hp["lr"])
    np.testing.assert_array_equal(hp["seeds/final_val"][0], final)
    assert not np.array_equal(hp["seeds/lr"][0], hp["seeds/lr"][1])          # independent draws


def test_seeds_batched_equal_separate_searches():
    """Two searches as one tensor program give what each seed's search gives alone."""
    import engine
    from engine.core import REGISTRY, Context

    engine.load_experiments()
    exp = REGISTRY["hyperparameter-search"]
    small = {"epochs": 2, "hidden": 8, "trials": 20, "fine_trials": 6, "show": 4, "refine_top": 0.25}

    def run(seed, seeds):
        ctx = Context(device=torch.device("cpu"), seed=seed, generator=torch.Generator().manual_seed(seed))
        return exp.func(exp.merged_settings({**small, "seeds": seeds}), ctx)[0]

    both = run(0, 2)
    for k in range(2):
        alone = run(k, 1)
        np.testing.assert_array_equal(both["seeds/lr"][k].numpy(), alone["lr"].numpy())
        np.testing.assert_array_equal(both["seeds/region"][k].numpy(), alone["region"].numpy())
        np.testing.assert_allclose(both["seeds/final_val"][k].numpy(), alone["final_val"].numpy())


# --- claims, judged on the search at the lecture's settings (pinned: --pin_results computes it anew) ----------

@pytest.fixture(scope="module")
def pinned(request, compute_results, results_dir):
    from engine.store import load

    if request.config.getoption("--pin_results"):
        from helpers import copy_results

        compute_results("hyperparameter-search")
        copy_results(["hyperparameter-search"], results_dir, PINNED)
    return {"hyperparameter-search": load("hyperparameter-search", PINNED)}


def _with(res, **arrays):
    """A copy of ``res`` with some arrays replaced."""
    return {"hyperparameter-search": dataclasses.replace(res, arrays={**res.arrays, **arrays})}


def test_claims_hold_at_the_lecture_settings(pinned):
    from engine import hyperparameter_search as hs

    res = pinned["hyperparameter-search"]
    assert res.settings["seeds"] >= 5 and res.settings["epochs"] == 50 and res.settings["trials"] == 100
    for claim in (hs.claim_box_smaller, hs.claim_fine_median_higher, hs.claim_fine_best_matches):
        verdict = claim(pinned)
        assert verdict.holds and verdict.seeds == res.settings["seeds"], (claim.__name__, verdict)


def test_claims_fail_when_their_premise_is_broken(pinned):
    from engine import hyperparameter_search as hs

    res = pinned["hyperparameter-search"]
    # the box as wide as the coarse stage's range
    wide = res["seeds/box_share"].copy()
    wide[2] = 0.8
    verdict = hs.claim_box_smaller(_with(res, **{"seeds/box_share": wide}))
    assert not verdict.holds and verdict.failing == (int(res["seed_values"][2]),)
    # the stages' medians swapped
    swapped = {"seeds/coarse_median_val": res["seeds/fine_median_val"], "seeds/fine_median_val": res["seeds/coarse_median_val"]}
    assert not hs.claim_fine_median_higher(_with(res, **swapped)).holds
    # a fine stage whose best falls two standard errors below the coarse best
    worse = res["seeds/coarse_best_val"] - 0.1
    assert not hs.claim_fine_best_matches(_with(res, **{"seeds/fine_best_val": worse})).holds


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_plane_legend_covers_no_trial(hp, lang):
    import matplotlib.pyplot as plt

    from figures.hyperparameter_search import search_plane

    fig = search_plane({"hyperparameter-search": hp}, lang)
    try:
        assert_legends_cover_no_points(fig)  # the trials fill the plane: its legend sits above it
    finally:
        plt.close(fig)


# --- the video ----------------------------------------------------------------------------------------------

def test_log_ticks_and_the_colour_scale():
    from manim import ManimColor

    from lecture import theme
    from scenes.hyperparameter_search import acc_colour, log_ticks, power_text, tick_tex

    assert log_ticks(-6.15, -1.85, most=5) == pytest.approx([1e-6, 1e-5, 1e-4, 1e-3, 1e-2])
    assert log_ticks(-2.35, -1.97) == pytest.approx([0.005, 0.007, 0.01])      # 1, 2, 3, 5, 7 × 10^e inside
    assert len(log_ticks(-9, 3)) == 4
    assert tick_tex(1e-5) == "10^{-5}" and tick_tex(0.005) == "0.005"
    assert power_text(-6) == "10⁻⁶" and power_text(-2) == "10⁻²"
    # the figure's scale (blue → sky → green → yellow): the ends and a stop between
    assert acc_colour(0.0, 0.8).to_hex() == ManimColor(theme.OKABE_ITO["blue"]).to_hex()
    assert acc_colour(0.8, 0.8).to_hex() == ManimColor(theme.OKABE_ITO["yellow"]).to_hex()
    assert acc_colour(0.8 / 3, 0.8).to_hex() == ManimColor(theme.OKABE_ITO["sky"]).to_hex()


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("hyperparameter-search")


@frames_comparison(last_frame=True, base_scene=HyperparameterSearch)
def test_hyperparameter_search_scene_last_frame(scene):
    HyperparameterSearch.construct(scene)
