"""Chapter 12 — 데이터 증식: the torch transformations against independent versions; the training runs."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from engine.core import Context
from engine.nets import evaluate, minibatches
from manim.utils.testing.frames_comparison import frames_comparison
from scenes.augmentation import Augmentation

__module_test__ = "augmentation"


SHORT = {"augmentation": {"epochs": 15, "seeds": 2}}


@pytest.fixture(scope="module")
def aug(compute_results):
    return compute_results("augmentation", overrides=SHORT)["augmentation"]


@pytest.fixture
def digits(aug):
    return torch.tensor(aug["grid"][:, 0].reshape(len(aug["grid"]), -1))


def test_integer_shift_is_an_exact_translation(digits):
    from engine.augmentation import affine

    moved = affine(digits, shift_x=3.0, shift_y=-2.0).view(-1, 28, 28).numpy()
    img = digits.view(-1, 28, 28).numpy()
    expected = np.zeros_like(img)
    expected[:, :26, 3:] = img[:, 2:, :25]             # 3 px right, 2 px up, zeros coming in
    np.testing.assert_allclose(moved, expected, atol=1e-5)  # float32 sampling weights


def test_flip_rotation_zoom(digits):
    from engine.augmentation import affine, flip

    img = digits.view(-1, 28, 28)
    assert torch.equal(flip(digits).view(-1, 28, 28), torch.flip(img, dims=[-1]))
    torch.testing.assert_close(affine(digits), digits, atol=1e-5, rtol=0)               # identity
    quarter = affine(digits, angle_deg=90.0).view(-1, 28, 28)
    assert min(torch.dist(quarter, torch.rot90(img, k, dims=(1, 2))).item() for k in (1, -1)) < 1e-4
    zoomed = affine(digits, scale=2.0).view(-1, 28, 28)
    # zoom ×2 about the centre: the centre pixels spread out, ink moves away from the middle
    r = torch.hypot(*torch.meshgrid(torch.arange(28.) - 13.5, torch.arange(28.) - 13.5, indexing="ij"))
    def spread(x):
        return float((x * r).sum() / x.sum())
    assert spread(zoomed[0]) > 1.3 * spread(img[0])


def test_noise_statistics():
    from engine.augmentation import binomial_noise, gaussian_noise

    gen = torch.Generator().manual_seed(0)
    blank = torch.full((200, 784), 0.5)
    noisy = gaussian_noise(blank, 0.1, gen)
    assert (noisy - blank).std().item() == pytest.approx(0.1, rel=0.02)
    hit = binomial_noise(blank, 0.08, gen)
    changed = (hit != blank).float()
    assert changed.mean().item() == pytest.approx(0.08, rel=0.05)
    assert set(torch.unique(hit[hit != 0.5]).tolist()) == {0.0, 1.0}


def test_grid_and_training_runs(aug):
    kinds = [str(k) for k in aug["kinds"]]
    assert kinds == ["original", "shift", "flip", "rotation", "zoom", "gaussian", "binomial"]
    grid = aug["grid"]
    assert grid.shape == (aug.settings["digits_shown"], len(kinds), 28, 28)
    np.testing.assert_array_equal(aug["labels"], np.arange(aug.settings["digits_shown"]))
    for k in range(1, len(kinds)):
        assert np.abs(grid[:, k] - grid[:, 0]).max() > 0.1          # every transformation changes the image
    # the same start for both runs; the augmented run saw other images, so it fits the raw ones less
    assert aug["plain/train_loss"][0] != aug["augmented/train_loss"][0]
    assert aug["augmented/train_loss"][-1] > aug["plain/train_loss"][-1]
    for run in ("plain", "augmented"):
        assert 0.0 <= aug.scalar(f"{run}/test_acc") <= 1.0 and len(aug[f"{run}/val_acc"]) == aug.settings["epochs"]


def test_seeds_share_weights_and_batches_between_runs(aug, compute_results):
    """Seed k's plain and augmented networks start alike (same weights and batches; the augmented one sees
    other images); a run of 1 seed repeats seed k = 0 of 2; the unprefixed arrays are seed k = 0's."""
    one = compute_results("augmentation", overrides={"augmentation": {**SHORT["augmentation"], "seeds": 1}})
    one = one["augmentation"]
    np.testing.assert_allclose(one["seeds/plain/val_acc"][0], aug["seeds/plain/val_acc"][0], atol=1e-6)
    np.testing.assert_allclose(one["seeds/augmented/train_loss"][0], aug["seeds/augmented/train_loss"][0], rtol=1e-5)
    np.testing.assert_array_equal(aug["plain/val_acc"], aug["seeds/plain/val_acc"][0])
    assert not np.allclose(aug["seeds/plain/train_loss"][0], aug["seeds/plain/train_loss"][1])


def reference_train(model: torch.nn.Module, splits: dict, settings: dict, ctx: Context, *, epochs: int,
          loss_penalty: Callable[[torch.nn.Module], torch.Tensor | float] = lambda m: 0.0,
          augment: Callable[[torch.Tensor], torch.Tensor] | None = None,
          on_epoch: Callable[[int, dict], None] | None = None,
          on_step: Callable[[int], None] | None = None, label: str = "",
          track: tuple[str, ...] = ("train", "val")) -> dict[str, torch.Tensor]:
    """The plain one-network loop the stacked runs are held to (torch.nn, torch.optim): SGD on the training split; after every epoch the loss and accuracy on the ``track`` splits.

    The recorded losses are the plain cross-entropy (the penalty is not included), evaluated in
    evaluation mode (dropout off) on the whole split.  ``on_epoch(epoch, row)`` sees each epoch's
    numbers (epochs count from 1); ``on_step(step)`` runs after each parameter update.
    """
    x, y = splits["train"]
    opt = torch.optim.SGD(model.parameters(), lr=settings["lr"])
    history = {f"{name}_{what}": torch.zeros(epochs) for name in track for what in ("loss", "acc")}
    step = 0
    for epoch in range(1, epochs + 1):
        model.train()
        for idx in minibatches(len(x), settings["batch"], ctx.generator):
            xb = x[idx] if augment is None else augment(x[idx])
            loss = F.cross_entropy(model(xb), y[idx]) + loss_penalty(model)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if on_step is not None:
                on_step(step)
        row = {}
        for name in track:
            row[f"{name}_loss"], row[f"{name}_acc"] = evaluate(model, *splits[name])
            history[f"{name}_loss"][epoch - 1] = row[f"{name}_loss"]
            history[f"{name}_acc"][epoch - 1] = row[f"{name}_acc"]
        if on_epoch is not None:
            on_epoch(epoch, row)
        if epoch % 10 == 0 or epoch == epochs:
            ctx.progress(epoch, epochs, label)
    history["epoch"] = torch.arange(1, epochs + 1)
    return history


def test_stacked_training_equals_the_setup_s_own_loop():
    """Without augmentation, a stacked run trains exactly as a plain torch.nn loop trains one network
    from the same weights on the same mini-batches (the stacked weights copied into torch.nn)."""
    from engine.core import Context
    from engine.nets import make_mlp
    from engine.overfit_setup import SETUP, small_mnist
    from engine.stacked_mlp import stacked_evaluate, stacked_forward, stacked_loss, stacked_weights

    settings = {**SETUP, "hidden_layers": 2}
    splits, _ = small_mnist(settings, torch.device("cpu"))
    x, y = splits["train"]
    sizes = [784, 100, 100, 10]
    params = stacked_weights(sizes, 1, "he", torch.Generator().manual_seed(3))
    model = make_mlp(sizes, "relu")
    with torch.no_grad():
        for layer, (w, b) in zip([m for m in model if isinstance(m, torch.nn.Linear)], zip(params[0::2], params[1::2])):
            layer.weight.copy_(w[0].T)
            layer.bias.copy_(b[0])
    ctx = Context(torch.device("cpu"), 0, torch.Generator().manual_seed(5), lambda *a: None, torch.float32)
    hist = reference_train(model, splits, settings, ctx, epochs=3)
    opt = torch.optim.SGD(params, lr=settings["lr"])
    gen = torch.Generator().manual_seed(5)
    for epoch in range(3):
        order = torch.randperm(len(x), generator=gen)
        for start in range(0, len(x), settings["batch"]):
            idx = order[start:start + settings["batch"]].unsqueeze(0)
            loss = stacked_loss(stacked_forward(params, x[idx], "relu"), y[idx])
            opt.zero_grad()
            loss.sum().backward()
            opt.step()
        val_loss, _ = stacked_evaluate(params, *splits["val"], "relu")
        assert float(val_loss[0]) == pytest.approx(float(hist["val_loss"][epoch]), rel=1e-4)


# --- claims: judged on results at the lecture's settings (pinned for the figure layout test)
@pytest.fixture(scope="module")
def pinned():
    from pathlib import Path

    from engine.store import load

    return load("augmentation", Path(__file__).parent / "control_data" / "test_figure_layout")


def judged(name, res, **arrays):
    import engine.augmentation as ea
    from engine.store import Result

    return getattr(ea, f"claim_{name}")({"augmentation": Result(res.id, {**res.arrays, **arrays}, res.meta)})


@pytest.mark.parametrize("name", ["raises_validation_accuracy", "narrows_the_gap"])
def test_claim_holds_on_the_pinned_results(pinned, name):
    m = judged(name, pinned)
    assert m.holds, m.describe()
    assert m.seeds >= 5


@pytest.mark.parametrize("name", ["raises_validation_accuracy", "narrows_the_gap"])
def test_claim_fails_when_the_runs_are_swapped(pinned, name):
    swapped = {f"seeds/{run}/{key}": pinned[f"seeds/{other}/{key}"]
               for run, other in (("plain", "augmented"), ("augmented", "plain")) for key in ("train_acc", "val_acc")}
    assert not judged(name, pinned, **swapped).holds


# --- the video: drawn from the run at the lecture's settings, pinned in tests/control_data/results/test_augmentation
@pytest.fixture(autouse=True)
def _scene_data(request, scene_env, scene_results):
    """The scene reads stored results: point it at the pinned ones (autouse, so that frames_comparison sees
    no fixture arguments); only the frame test needs them."""
    if "scene_last_frame" in request.node.name:
        scene_results("augmentation")


def test_the_scene_averages_the_epochs_the_claims_average():
    import inspect

    import engine.augmentation as ea
    import scenes.augmentation as sa

    assert inspect.signature(ea._final).parameters["last"].default == sa.LAST


@frames_comparison(last_frame=True, base_scene=Augmentation)
def test_augmentation_scene_last_frame(scene):
    Augmentation.construct(scene)
