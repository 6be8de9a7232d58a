"""Chapter 13 — batch normalization: the slides' formulas, BatchNorm1d, the experiments, figures, scenes."""
from __future__ import annotations

import re

import matplotlib.text
import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison
from torch import nn

from scenes.batch_norm import BatchNormSteps, BatchNormTraining

__module_test__ = "batch_norm"

# Smaller trainings than the defaults, the same for every test (so each result is computed once).
OVERRIDES = {
    "batch-norm": {"steps": 600, "checkpoint_every": 50},
    "batch-norm-histograms": {"steps": 200},
    "batch-norm-scales": {"epochs": 5},
}
IDS = tuple(OVERRIDES)


@pytest.fixture(scope="module")
def results(compute_results):
    return compute_results(*IDS, overrides=OVERRIDES)


def slides_formula(z, gamma, beta, eps):
    """The slides' four steps in numpy, per feature over the batch (axis 0)."""
    z = np.asarray(z, dtype=np.float64)
    m = z.shape[0]
    mu = z.sum(axis=0) / m
    var = ((z - mu) ** 2).sum(axis=0) / m
    z_norm = (z - mu) / np.sqrt(var + eps)
    return mu, var, z_norm, gamma * z_norm + beta


# --------------------------------------------------------------------------- BatchNorm1d itself
def test_batchnorm1d_training_mode_is_the_slides_formula():
    gen = torch.Generator().manual_seed(0)
    z = torch.randn(60, 7, generator=gen, dtype=torch.float64) * 5 + 3
    bn = nn.BatchNorm1d(7, dtype=torch.float64)
    with torch.no_grad():
        bn.weight.copy_(torch.linspace(0.5, 2.0, 7))
        bn.bias.copy_(torch.linspace(-1.0, 1.0, 7))
    out = bn.train()(z).detach().numpy()
    mu, var, z_norm, z_tilde = slides_formula(z.numpy(), bn.weight.detach().numpy(), bn.bias.detach().numpy(), bn.eps)
    np.testing.assert_allclose(z_norm.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(z_norm.var(axis=0), var / (var + bn.eps), rtol=1e-12)
    np.testing.assert_allclose(out, z_tilde, rtol=1e-12, atol=1e-12)
    # the running statistics moved 10 % towards the batch (unbiased variance, as torch documents)
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.1 * mu, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.numpy(), 0.9 + 0.1 * var * 60 / 59, rtol=1e-12)


def test_batchnorm1d_eval_mode_uses_running_statistics():
    gen = torch.Generator().manual_seed(1)
    bn = nn.BatchNorm1d(4, dtype=torch.float64)
    for _ in range(5):
        bn.train()(torch.randn(32, 4, generator=gen, dtype=torch.float64) * 3 + 2)
    z = torch.randn(8, 4, generator=gen, dtype=torch.float64) - 4  # a batch unlike the training ones
    out = bn.eval()(z).detach().numpy()
    by_running = (z.numpy() - bn.running_mean.numpy()) / np.sqrt(bn.running_var.numpy() + bn.eps)
    np.testing.assert_allclose(out, by_running, rtol=1e-12)
    _, _, by_batch, _ = slides_formula(z.numpy(), 1.0, 0.0, bn.eps)
    assert not np.allclose(out, by_batch, atol=0.1)  # not the batch's own statistics


# --------------------------------------------------------------------------- the four steps on a real batch
def test_real_batch_z_norm_has_mean_0_and_variance_1(results):
    b = results["batch-norm-histograms"]
    z_norm = b["batch/z_norm"].astype(np.float64)
    assert z_norm.shape == b["batch/z"].shape and z_norm.shape[0] == 60
    np.testing.assert_allclose(z_norm.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(z_norm.var(axis=0), 1, atol=1e-3)


def test_real_batch_layer_output_equals_the_slides_formula(results):
    b = results["batch-norm-histograms"]
    eps = b.scalar("batch/eps")
    assert eps == pytest.approx(1e-5)
    mu, var, z_norm, z_tilde = slides_formula(b["batch/z"], b["batch/gamma"], b["batch/beta"], eps)
    np.testing.assert_allclose(b["batch/mu"], mu, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(b["batch/var"], var, rtol=1e-5)
    np.testing.assert_allclose(b["batch/layer_train"], z_tilde, rtol=1e-4, atol=1e-4)
    # γ and β were learned: they are no longer the initial 1 and 0
    assert np.abs(b["batch/gamma"] - 1).max() > 0.01 and np.abs(b["batch/beta"]).max() > 0.01


def test_real_batch_eval_mode_uses_running_statistics(results):
    b = results["batch-norm-histograms"]
    eps = b.scalar("batch/eps")
    gamma, beta = b["batch/gamma"], b["batch/beta"]
    expected = gamma * (b["batch/z"] - b["batch/running_mean"]) / np.sqrt(b["batch/running_var"] + eps) + beta
    np.testing.assert_allclose(b["batch/layer_eval"], expected, rtol=1e-4, atol=1e-4)
    assert not np.allclose(b["batch/layer_eval"], b["batch/layer_train"], atol=1e-2)


# --------------------------------------------------------------------------- the batched program of (c)
def test_stacked_networks_equal_make_mlp_with_batchnorm1d():
    from engine.batch_norm import StackedMLP, stacked_loss
    from engine.nets import make_mlp

    torch.manual_seed(0)
    sizes = [12, 9, 9, 4]
    runs = 3
    gen = torch.Generator().manual_seed(3)
    weights = [torch.randn(runs, a, b, generator=gen, dtype=torch.float64) * s
               for (a, b), s in zip(zip(sizes[:-1], sizes[1:]), (0.5, 1.0, 0.3))]
    stacked = StackedMLP(weights, "relu", batchnorm=True)
    models = []
    for r in range(runs):
        model = make_mlp(sizes, "relu", batchnorm=True, dtype=torch.float64)
        with torch.no_grad():
            for linear, w in zip([m for m in model if isinstance(m, nn.Linear)], weights):
                linear.weight.copy_(w[r].T)
                linear.bias.zero_()
        models.append(model)
    opt = torch.optim.SGD(stacked.parameters(), lr=0.1)
    opts = [torch.optim.SGD(m.parameters(), lr=0.1) for m in models]
    for step in range(4):
        x = torch.randn(16, sizes[0], generator=gen, dtype=torch.float64)
        y = torch.randint(0, sizes[-1], (16,), generator=gen)
        logits = stacked(x)
        for r, (model, o) in enumerate(zip(models, opts)):
            out = model.train()(x)
            np.testing.assert_allclose(logits[r].detach().numpy(), out.detach().numpy(), rtol=1e-10, atol=1e-12)
            loss = nn.functional.cross_entropy(out, y)
            o.zero_grad()
            loss.backward()
            o.step()
        loss = stacked_loss(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    bns = [[m for m in model if isinstance(m, nn.BatchNorm1d)] for model in models]
    x = torch.randn(5, sizes[0], generator=gen, dtype=torch.float64)
    with torch.no_grad():
        eval_logits = stacked(x, training=False)
    for r, model in enumerate(models):
        for i, bn in enumerate(bns[r]):
            np.testing.assert_allclose(stacked.means[i][r, 0].numpy(), bn.running_mean.numpy(), rtol=1e-10)
            np.testing.assert_allclose(stacked.vars[i][r, 0].numpy(), bn.running_var.numpy(), rtol=1e-10)
            np.testing.assert_allclose(stacked.gammas[i][r, 0].detach().numpy(), bn.weight.detach().numpy(),
                                       rtol=1e-10)
        with torch.no_grad():
            np.testing.assert_allclose(eval_logits[r].numpy(), model.eval()(x).numpy(), rtol=1e-10, atol=1e-12)


# --------------------------------------------------------------------------- (a) Ioffe & Szegedy's Figure 1
def test_training_result_arrays(results):
    a = results["batch-norm"]
    steps = a["steps"]
    assert steps[0] == 0 and steps[-1] == 600 and np.all(np.diff(steps) == 50)
    for v in ("plain", "bn"):
        p = a[f"percentiles/{v}"]
        assert p.shape == (len(steps), 3)
        assert np.all(p[:, 0] <= p[:, 1]) and np.all(p[:, 1] <= p[:, 2])
        assert a[f"test_acc/{v}"].shape == (len(steps),)
        assert np.all((a[f"test_acc/{v}"] >= 0) & (a[f"test_acc/{v}"] <= 1))
    settings = a.meta["settings"]
    assert settings["optimizer"] and settings["lr"] > 0 and settings["init"]  # disclosed
    assert "held out" in a.meta["info"]["data"]


def test_plain_percentile_band_moves_more_than_batch_normalized(results):
    """Measure: for each of the 15/50/85th percentiles, max − min over the checkpoints; averaged."""
    from engine.batch_norm import drift

    a = results["batch-norm"]
    moved = {v: np.mean(a[f"percentiles/{v}"].max(axis=0) - a[f"percentiles/{v}"].min(axis=0))
             for v in ("plain", "bn")}
    assert a.scalar("drift/plain") == pytest.approx(moved["plain"], rel=1e-6)
    assert drift(a["percentiles/bn"]) == pytest.approx(moved["bn"], rel=1e-6)
    assert moved["plain"] > 3 * moved["bn"]
    # and over all 100 neurons of the last hidden layer, not only the one shown
    assert a.scalar("drift_all/plain") > 3 * a.scalar("drift_all/bn")


def test_batch_normalized_network_learns_faster(results):
    a = results["batch-norm"]
    assert a["test_acc/bn"][1:].mean() > a["test_acc/plain"][1:].mean() + 0.05
    assert a["test_acc/bn"][-1] > a["test_acc/plain"][-1]


def test_batch_norm_removes_extreme_sigmoid_inputs(results):
    h = results["batch-norm-histograms"]
    assert h["hist/plain"].shape == h["hist/bn"].shape == (3, 5, len(h["edges"]) - 1)
    # every held-out image's value counted once per layer
    np.testing.assert_allclose(h["hist/plain"].sum(axis=2), 1000 * 100)
    assert np.all(h["extreme/plain"] > 0.3) and np.all(h["extreme/bn"] < 0.01)


def test_scales_experiment(results):
    c = results["batch-norm-scales"]
    np.testing.assert_allclose(c["scales"], np.logspace(0, -4, 16))
    assert c["train_acc/bn"].shape == c["train_acc/plain"].shape == (16, 6)
    # below a weight scale of 0.05 the plain network stays at chance level; with BN it learns
    small = c["scales"] < 0.05
    assert np.all(c["train_acc/plain"][small, -1] < 0.2)
    middle = (c["scales"] < 0.05) & (c["scales"] > 0.003)
    assert np.median(c["train_acc/bn"][middle, -1]) > 0.5
    assert c["test_acc/bn"].shape == (16,)


# --------------------------------------------------------------------------- figures
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("name", ["training", "histograms", "four_steps", "scales"])
def test_figure_numbers_carry_a_typographic_minus(results, lang, name):
    import matplotlib.pyplot as plt

    from figures import batch_norm

    fig = getattr(batch_norm, name)(results, lang)
    labels = [text.get_text() for text in fig.findobj(matplotlib.text.Text)]
    plt.close(fig)
    # numbers in the labels carry a typographic minus, never a hyphen (β = −0.296)
    assert not [label for label in labels if re.search(r"(^|[\s=(])-\d", label)]
    if name == "four_steps":
        beta = float(results["batch-norm-histograms"]["batch/beta"][int(results["batch-norm-histograms"].scalar("batch/feature"))])
        from lecture.text import signed
        assert any(signed(beta, 3) in label for label in labels)


# --------------------------------------------------------------------------- scenes
@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    """Scenes read stored results: compute them and point the scene at them (autouse, so that
    frames_comparison does not see fixture arguments)."""
    scene_results(*IDS, overrides=OVERRIDES)


@frames_comparison(last_frame=True, base_scene=BatchNormSteps)
def test_batch_norm_steps_scene_last_frame(scene):
    BatchNormSteps.construct(scene)


@frames_comparison(last_frame=True, base_scene=BatchNormTraining)
def test_batch_norm_training_scene_last_frame(scene):
    BatchNormTraining.construct(scene)
