"""Chapter 11 — learning-rate decay η = η0·10^(−t/n): the schedule, its effect, figures and the scene."""
from __future__ import annotations

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.lr_decay import LRDecay

__module_test__ = "lr_decay"


@pytest.fixture(scope="module")
def decay(compute_results):
    return compute_results("lr-decay")["lr-decay"]


@pytest.fixture(scope="module")
def training(compute_results):
    return compute_results("lr-decay-training",
                           overrides={"lr-decay-training": {"iterations": 300, "decay_n": 200.0, "eval_every": 50}})[
        "lr-decay-training"]


def test_schedule_is_the_slides_formula(decay):
    s = decay.meta["settings"]
    t = np.arange(s["steps"])
    np.testing.assert_allclose(decay["lr/decay"], s["lr0"] * 10.0 ** (-t / s["decay_n"]), rtol=1e-12)
    np.testing.assert_array_equal(decay["lr/constant"], np.full(s["steps"], s["lr0"]))


def test_decay_settles_closer_to_the_minimum(decay):
    const, dec = decay["final_loss/constant"], decay["final_loss/decay"]
    assert len(const) == decay.meta["settings"]["repeats"]
    assert dec.mean() < 0.5 * const.mean()
    assert np.median(decay["final_dist/decay"]) < np.median(decay["final_dist/constant"])


def test_sgd_steps_with_the_recorded_rate(decay):
    """Noise-free check of the same machinery: SGD with LambdaLR equals w := w − η_t ∇f with η_t = η0·10^(−t/n)."""
    from engine.optim_paths import SURFACES, as_loss, run_paths

    paths = run_paths(as_loss(SURFACES["quadratic"].fn), [[-5.0, -2.0]], 0.1, "SGD", 30, decay_n=10.0)
    w = np.array([-5.0, -2.0])
    for t in range(30):
        w = w - 0.1 * 10 ** (-t / 10) * np.array([2 * w[0], 4 * w[1]])
        np.testing.assert_allclose(paths.params[t + 1, 0].numpy(), w, rtol=1e-12)


def test_training_run_uses_both_schedules(training):
    s = training.meta["settings"]
    lr = training["lr"]
    np.testing.assert_allclose(lr[:, 0], s["lr0"])
    np.testing.assert_allclose(lr[:, 1], s["lr0"] * 10.0 ** (-np.arange(len(lr)) / s["decay_n"]), rtol=1e-6)
    np.testing.assert_allclose(training["test_loss"][0, 0], training["test_loss"][0, 1])  # same initial weights
    assert np.all(np.isfinite(training["loss"]))
    # the decayed run ends better than where it started
    assert training["test_acc"][-1, 1] > 0.8


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("lr-decay")


@frames_comparison(last_frame=True, base_scene=LRDecay)
def test_lr_decay_scene_last_frame(scene):
    LRDecay.construct(scene)
