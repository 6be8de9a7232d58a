"""Chapter 9 — universal approximation: the error falls with the width; the engine's pieces add up."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.universal_approximation import UniversalApproximation

__module_test__ = "universal_approximation"


@pytest.fixture(scope="module")
def ua(compute_results):
    return compute_results("universal-approximation")["universal-approximation"]


def test_target_is_the_stated_function(ua):
    x = ua["x"]
    np.testing.assert_allclose(ua["target"], 0.5 * np.sin(5 * x) + np.exp(-20 * (x - 0.3) ** 2), atol=1e-6)
    assert x[0] == -1 and x[-1] == 1 and len(x) == ua.settings["grid_points"]


def test_error_falls_as_the_width_grows(ua):
    widths = list(ua["widths"])
    assert widths == [2, 4, 8, 32, 128]
    rms, mx = ua["rms_error"], ua["max_error"]
    assert np.all(np.diff(rms) < 0), f"RMS error does not fall with the width: {rms}"
    assert np.all(np.diff(mx) < 0), f"max error does not fall with the width: {mx}"
    assert rms[-1] < rms[0] / 10 and mx[-1] < mx[0] / 5
    assert np.all(rms <= mx)


def test_errors_are_measured_on_the_grid(ua):
    for i, w in enumerate(ua["widths"]):
        err = ua[f"fit/{w}"] - ua["target"]
        np.testing.assert_allclose(ua["max_error"][i], np.abs(err).max(), rtol=1e-5)
        np.testing.assert_allclose(ua["rms_error"][i], np.sqrt(np.mean(err ** 2)), rtol=1e-5)
        assert ua.scalar(f"rms_error/{w}") == pytest.approx(float(ua["rms_error"][i]))


def test_fit_is_the_sum_of_its_units(ua):
    for w in ua["widths"]:
        units = ua[f"units/{w}"]
        assert units.shape == (w, len(ua["x"]))
        np.testing.assert_allclose(units.sum(0) + ua[f"bias_out/{w}"][0], ua[f"fit/{w}"], atol=1e-4)


def test_training_reduced_the_loss(ua):
    mse = ua["train_mse"]
    assert np.all(mse[:, -1] < mse[:, 0] / 5)


def test_masked_stack_equals_separate_networks():
    """Stacking the widths with masked units gives each network's own output and its own gradient."""
    from engine.universal_approximation import forward, init_width, stack, stacked_forward

    gen = torch.Generator().manual_seed(3)
    nets = [init_width(w, 5.0, -1.0, 1.0, gen, torch.float64) for w in (2, 5, 9)]
    params, mask = stack(nets, 9)
    x = torch.linspace(-1, 1, 33, dtype=torch.float64).unsqueeze(1)
    out = stacked_forward(params, mask, x)
    for i, net in enumerate(nets):
        torch.testing.assert_close(out[i], forward(net, x))
    out.pow(2).sum().backward()
    for i, net in enumerate(nets):
        own = [p.clone().requires_grad_(True) for p in net]
        forward(own, x).pow(2).sum().backward()
        h = net[0].shape[1]
        torch.testing.assert_close(params[0].grad[i, :, :h], own[0].grad)
        torch.testing.assert_close(params[2].grad[i, :h, :], own[2].grad)
        assert torch.all(params[0].grad[i, :, h:] == 0) and torch.all(params[2].grad[i, h:, :] == 0)


def test_seeds_are_independent_and_the_lecture_seed_is_seed_zero(ua, compute_results):
    seeds = ua.settings["seeds"]
    assert seeds >= 5 and ua["seeds/rms_error"].shape == (seeds, len(ua["widths"]))
    np.testing.assert_allclose(ua["seeds/rms_error"][0], ua["rms_error"], rtol=1e-6)
    two = compute_results("universal-approximation", overrides={"universal-approximation": {"seeds": 2, "steps": 200}})
    one = compute_results("universal-approximation", overrides={"universal-approximation": {"seeds": 1, "steps": 200}})
    two, one = two["universal-approximation"], one["universal-approximation"]
    np.testing.assert_allclose(two["seeds/rms_error"][:1], one["seeds/rms_error"], rtol=1e-4)
    assert not np.allclose(two["seeds/rms_error"][0], two["seeds/rms_error"][1])


# --- the claim: judged on the pinned results; it fails when its premise is broken
@pytest.fixture(scope="module")
def pinned():
    from engine.store import load

    return load("universal-approximation", Path(__file__).parent / "control_data" / "results"
                / "test_universal_approximation")


def test_claim_holds_on_the_pinned_results(pinned):
    from engine.universal_approximation import claim_error_falls_with_width

    m = claim_error_falls_with_width({"universal-approximation": pinned})
    assert m.holds, m.describe()
    assert m.seeds >= 5


def test_claim_fails_when_the_error_does_not_fall(pinned):
    from engine.store import Result
    from engine.universal_approximation import claim_error_falls_with_width

    def judged(**arrays):
        return claim_error_falls_with_width({"universal-approximation": Result(pinned.id, {**pinned.arrays, **arrays},
                                                                               pinned.meta)})

    rms, mx = pinned["seeds/rms_error"], pinned["seeds/max_error"]
    assert not judged(**{"seeds/rms_error": rms[:, ::-1]}).holds          # widths reversed
    one = rms.copy()
    one[1, 3] = one[1, 2] * 1.01                                        # one seed: 32 neurons no better than 8
    m = judged(**{"seeds/rms_error": one})
    assert not m.holds and m.failing == (int(pinned["seed_values"][1]),)
    flat = mx.copy()
    flat[:, -1] = flat[:, 0] / 4                                       # the max error falls, but not by a fifth
    assert not judged(**{"seeds/max_error": flat}).holds


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("universal-approximation")


@frames_comparison(last_frame=True, base_scene=UniversalApproximation)
def test_universal_approximation_last_frame(scene):
    UniversalApproximation.construct(scene)
