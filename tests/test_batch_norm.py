"""Chapter 13 — batch normalization: the slides' formulas, BatchNorm1d, the experiments, figures, scenes."""
from __future__ import annotations

import re

import matplotlib.text
import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison
from torch import nn

from scenes.batch_norm import BatchNormScales, BatchNormSteps, BatchNormTraining

__module_test__ = "batch_norm"

# Smaller trainings than the defaults, the same for every test (so each result is computed once).
OVERRIDES = {
    "batch-norm": {"steps": 600, "checkpoint_every": 50},
    "batch-norm-histograms": {"steps": 200},
    "batch-norm-scales": {"epochs": 5, "seeds": 2},
}
IDS = tuple(OVERRIDES)
SCENE_IDS = ("batch-norm", "batch-norm-histograms")   # what the scenes draw (pinned with OVERRIDES)
# The claims are judged on pinned results: the scenes' (batch-norm at 600 steps, 5 seeds) and batch-norm-scales
# at its defaults (the book's 20 epochs, 5 seeds: about a minute on two cores, too long to train in every run).
CLAIM_IDS = ("batch-norm", "batch-norm-scales")


@pytest.fixture(scope="module")
def results(compute_results):
    return compute_results(*IDS, overrides=OVERRIDES)


@pytest.fixture(scope="module")
def pinned(request, compute_results, results_dir):
    """The pinned results the claims are judged on; ``--pin_results`` computes batch-norm-scales at its
    defaults and pins it (the scene results are pinned by ``scene_results``)."""
    from engine.store import load
    from tests.conftest import PINNED
    from tests.helpers import copy_results

    folder = PINNED / "test_batch_norm"
    if request.config.getoption("--pin_results"):
        compute_results("batch-norm-scales")
        copy_results(["batch-norm-scales"], results_dir, folder)
    return {result_id: load(result_id, folder) for result_id in CLAIM_IDS}


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
    assert c["seeds/train_acc/bn"].shape == (2, 16, 6) and list(c["seed_values"]) == [13, 14]
    np.testing.assert_array_equal(c["seeds/train_acc/bn"][0], c["train_acc/bn"])   # seed k = 0 is the lecture's
    # below a weight scale of 0.05 the plain network stays at chance level; with BN it learns
    small = c["scales"] < 0.05
    assert np.all(c["seeds/train_acc/plain"][:, small, -1] < 0.2)
    middle = (c["scales"] < 0.05) & (c["scales"] > 0.003)
    assert np.all(np.median(c["seeds/train_acc/bn"][:, middle, -1], axis=1) > 0.5)
    assert c["test_acc/bn"].shape == (16,)
    s = c.settings  # the book's settings are the defaults
    assert (s["epochs"], s["eps"], s["momentum"], s["running"], s["replacement"], s["lr"], s["batch_size"]) == \
        (5, 1e-6, 0.9, "book", True, 0.01, 100)


def test_scales_seed_does_not_depend_on_the_number_of_seeds(compute_results):
    """Seed k's run is drawn from seed k alone: the lecture seed's curves with 1 seed equal those with 2."""
    small = {"epochs": 1, "scales": 3, "hidden": "20,20", "train_size": 200, "dtype": "float64"}
    one = compute_results("batch-norm-scales", overrides={"batch-norm-scales": {**small, "seeds": 1}})
    two = compute_results("batch-norm-scales", overrides={"batch-norm-scales": {**small, "seeds": 2}})
    for v in ("bn", "plain"):
        np.testing.assert_allclose(one["batch-norm-scales"][f"seeds/train_acc/{v}"][0],
                                   two["batch-norm-scales"][f"seeds/train_acc/{v}"][0], atol=1e-12)


# --------------------------------------------------------------------------- an independent numpy implementation
def test_numpy_reference_batchnorm_backward_is_the_gradient():
    """The reference's hand-written backward pass (the book's) against central differences."""
    from tests import saito_batch_norm as ref

    rng = np.random.default_rng(0)
    weights = [rng.standard_normal((6, 5)) * 0.7, rng.standard_normal((5, 5)) * 0.7, rng.standard_normal((5, 3))]
    x, t = rng.standard_normal((8, 6)), rng.integers(0, 3, 8)
    net = ref.Network(weights, batchnorm=True)
    net.loss(x, t)
    net.backward()
    affine = [layer for layer in net.layers if isinstance(layer, ref.Affine)]
    bn = [layer for layer in net.layers if isinstance(layer, ref.BatchNormalization)]
    for param, grad in ((affine[0].W, affine[0].dW), (affine[1].b, affine[1].db), (bn[0].gamma, bn[0].dgamma),
                        (bn[1].beta, bn[1].dbeta)):
        numeric = np.zeros_like(param)
        for i in np.ndindex(param.shape):
            keep = param[i]
            param[i] = keep + 1e-6
            up = net.loss(x, t)
            param[i] = keep - 1e-6
            down = net.loss(x, t)
            param[i] = keep
            numeric[i] = (up - down) / 2e-6
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("replacement", [True, False])
def test_engine_equals_the_numpy_implementation_of_the_book(compute_results, replacement):
    """The batch-norm-scales experiment (float64, a small case: 2 seeds × 3 scales × with/without, the book's
    ε, momentum, running statistics and batches) against tests/saito_batch_norm.py, given the same initial
    weights and mini-batches: the same accuracy after every epoch, to rounding."""
    from engine.batch_norm import mnist_split, scale_batches, scale_weights
    from tests import saito_batch_norm as ref

    small = {"epochs": 3, "scales": 3, "scale_min_log10": -3.0, "hidden": "20,20,20", "train_size": 200,
             "dtype": "float64", "seeds": 2, "replacement": replacement}
    res = compute_results("batch-norm-scales", overrides={"batch-norm-scales": small})["batch-norm-scales"]
    s = res.settings
    xtr, ytr, *_ = mnist_split(s, 13, "cpu", torch.float64)
    pick = torch.randperm(len(xtr), generator=torch.Generator().manual_seed(13 + 2))[:200]
    x, t = xtr[pick].numpy(), ytr[pick].numpy()
    scales = torch.tensor(res["scales"])
    for k, seed in enumerate(res["seed_values"]):
        gen = torch.Generator().manual_seed(int(seed))
        weights = scale_weights([784, 20, 20, 20, 10], scales, "same", gen)
        batches = [b.numpy() for b in scale_batches(200, 100, 3, replacement, gen)]
        for j in range(len(scales)):
            for v in ("bn", "plain"):
                _, acc = ref.train([w[j].numpy() for w in weights], v == "bn", x, t, batches, lr=s["lr"],
                                   record_after=range(0, 7, 2), eps=s["eps"])
                np.testing.assert_allclose(res[f"seeds/train_acc/{v}"][k, j], [acc[i] for i in range(0, 7, 2)],
                                           atol=1e-12, err_msg=f"seed {seed}, scale {scales[j]:.3g}, {v}")


def test_stacked_losses_equal_the_numpy_implementation():
    """Step by step: the stacked program's per-run losses equal the reference's, for scales from 1 to 1e-3,
    2 seeds sharing their mini-batches within a seed (the grouped first layer)."""
    from engine.batch_norm import StackedMLP, scale_batches, scale_weights
    from tests import saito_batch_norm as ref

    gen = torch.Generator().manual_seed(0)
    x = torch.rand(200, 30, generator=gen, dtype=torch.float64)
    y = torch.randint(0, 10, (200,), generator=gen)
    sizes, scales = [30, 20, 20, 20, 10], torch.tensor([1.0, 0.1, 1e-3], dtype=torch.float64)
    draws = [(scale_weights(sizes, scales, "same", g), scale_batches(200, 20, 3, True, g))
             for g in (torch.Generator().manual_seed(s) for s in (0, 1))]
    weights = [torch.cat(layer) for layer in zip(*(w for w, _ in draws))]
    batches = torch.stack([b for _, b in draws], dim=1)                      # (updates, seeds, batch)
    for bn in (True, False):
        net = StackedMLP(weights, "relu", bn, eps=1e-6, momentum=0.1, running="book")
        opt = torch.optim.SGD(net.parameters(), lr=0.05)
        losses = []
        for idx in batches:
            logits = net(x[idx])
            yr = y[idx].repeat_interleave(len(scales), 0)
            per = nn.functional.cross_entropy(logits.reshape(-1, 10), yr.reshape(-1), reduction="none")
            losses.append(per.view(len(weights[0]), -1).mean(1).detach().numpy())
            loss = per.view(len(weights[0]), -1).mean(1).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        losses = np.array(losses)
        for k, (w, b) in enumerate(draws):
            for j in range(len(scales)):
                expected, _ = ref.train([layer[j].numpy() for layer in w], bn, x.numpy(), y.numpy(),
                                        [i.numpy() for i in b], lr=0.05)
                np.testing.assert_allclose(losses[:, k * len(scales) + j], expected, rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------- claims
CLAIMS = ("training_steady", "training_faster", "training_fewer_extremes", "scales_bn_higher",
          "scales_plain_at_chance", "scales_plain_better_near_he", "scales_bn_depends_on_scale",
          "scales_bn_large_weights_barely_move")


def _claim(name):
    import engine.batch_norm as module

    return getattr(module, f"claim_{name}")


def _swapped(res, prefix: str = ""):
    """A copy of ``res`` with every plain and bn array exchanged (the compared arrays swapped)."""
    import dataclasses

    arrays = dict(res.arrays)
    for key in res.arrays:
        if key.endswith("/plain"):
            other = key[: -len("plain")] + "bn"
            arrays[key], arrays[other] = res.arrays[other], res.arrays[key]
    return dataclasses.replace(res, arrays=arrays)


def test_claims_are_in_the_manifest():
    from lecture.manifest import TOPICS

    topic = next(t for t in TOPICS if t.id == "batch-norm")
    assert {c.target.split(":claim_")[1] for c in topic.claims} == set(CLAIMS)


@pytest.mark.parametrize("name", CLAIMS)
def test_claim_holds_on_pinned_results(pinned, name):
    m = _claim(name)(pinned)
    assert m.seeds >= 5
    assert m.holds, f"{name}: {m.describe()}"


def _flat_bn(res):
    """A copy of ``res`` in which batch normalization made the accuracy independent of the scale: every
    scale's curve is the best scale's (per seed)."""
    import dataclasses

    arrays = dict(res.arrays)
    a = np.asarray(res["seeds/train_acc/bn"])
    best = a[np.arange(len(a)), a[:, :, -1].argmax(axis=1)]                    # (seeds, epochs)
    arrays["seeds/train_acc/bn"] = np.repeat(best[:, None, :], a.shape[1], axis=1)
    return dataclasses.replace(res, arrays=arrays)


# How each claim's premise is broken: the compared arrays swapped (with ↔ without batch normalization), or,
# for the claim that the accuracy with BN depends on the scale, BN curves that do not depend on it.
BREAK = {name: _swapped for name in CLAIMS} | {"scales_bn_depends_on_scale": _flat_bn}


@pytest.mark.parametrize("name", CLAIMS)
def test_claim_fails_when_its_premise_is_broken(pinned, name):
    broken = {k: BREAK[name](v) if k in _claim_needs(name) else v for k, v in pinned.items()}
    m = _claim(name)(broken)
    assert not m.holds, f"{name} still holds with its premise broken ({BREAK[name].__name__}): {m.describe()}"


def _claim_needs(name):
    from lecture.manifest import TOPICS

    topic = next(t for t in TOPICS if t.id == "batch-norm")
    return next(c.needs for c in topic.claims if c.target.endswith(f":claim_{name}"))


def test_claims_fail_on_one_bad_seed(pinned):
    """Judged per seed: one seed with plain and bn swapped fails the claim and is named."""
    import dataclasses

    res = pinned["batch-norm-scales"]
    arrays = dict(res.arrays)
    for v, other in (("plain", "bn"), ("bn", "plain")):
        a = np.array(res[f"seeds/train_acc/{v}"])
        a[3] = res[f"seeds/train_acc/{other}"][3]
        arrays[f"seeds/train_acc/{v}"] = a
    m = _claim("scales_bn_higher")({"batch-norm-scales": dataclasses.replace(res, arrays=arrays)})
    assert not m.holds and m.failing == (int(res["seed_values"][3]),)


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
    # BatchNormScales draws batch-norm-scales at its defaults: the run the claims are judged on
    scene_results(*SCENE_IDS, "batch-norm-scales", overrides={k: OVERRIDES[k] for k in SCENE_IDS})


@frames_comparison(last_frame=True, base_scene=BatchNormSteps)
def test_batch_norm_steps_scene_last_frame(scene):
    BatchNormSteps.construct(scene)


@frames_comparison(last_frame=True, base_scene=BatchNormTraining)
def test_batch_norm_training_scene_last_frame(scene):
    BatchNormTraining.construct(scene)


@frames_comparison(last_frame=True, base_scene=BatchNormScales)
def test_batch_norm_scales_scene_last_frame(scene):
    BatchNormScales.construct(scene)


def test_scales_scene_marks_what_the_claims_judge():
    """The scene marks cells with the claims' own thresholds."""
    import engine.batch_norm as engine_bn
    import scenes.batch_norm as scene_bn

    assert (scene_bn.CHANCE, scene_bn.LEARNS, scene_bn.SMALL_SCALE) == (engine_bn.CHANCE, engine_bn.LEARNS,
                                                                       engine_bn.SMALL_SCALE)
