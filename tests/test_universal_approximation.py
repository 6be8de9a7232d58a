"""Chapter 9 — universal approximation: the error falls with the width; the engine's pieces add up."""
from __future__ import annotations

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


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("universal-approximation")


@frames_comparison(last_frame=True, base_scene=UniversalApproximation)
def test_universal_approximation_last_frame(scene):
    UniversalApproximation.construct(scene)
