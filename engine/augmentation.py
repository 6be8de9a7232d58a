"""Chapter 12 — 데이터 증식 (data augmentation).

The lecture's list — 수평이동 (shift), 대칭이동 (flip), 정규분포·이항분포 노이즈 (Gaussian and
binomial noise), 이미지의 일부 확대 (zoom) — plus rotation, applied with torch operations
(``F.affine_grid``/``F.grid_sample`` for the geometric ones, ``torch.flip``, ``torch.randn``,
``torch.bernoulli``) to real MNIST digits, and the over-fitting network of ``engine.overfitting``
trained on its 300 images with and without random augmentation of every mini-batch.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from torch.nn import functional as F

from .claims import Measured, per_seed
from .core import Context, experiment
from .overfit_setup import SETUP, setup_info, small_mnist
from .stacked_mlp import stacked_evaluate, stacked_forward, stacked_loss, stacked_weights

KINDS = ("original", "shift", "flip", "rotation", "zoom", "gaussian", "binomial")
SIDE = 28


def affine(images: torch.Tensor, *, angle_deg=0.0, scale=1.0, shift_x=0.0, shift_y=0.0) -> torch.Tensor:
    """Rotate by ``angle_deg``, zoom by ``scale`` (> 1 enlarges) and shift by pixels, about the centre.

    ``images`` is ``(n, 784)``; every parameter is a number or a tensor of ``n`` values.  Pixels
    that come from outside the image are 0 (the background).
    """
    n = images.shape[0]
    dt, dev = images.dtype, images.device

    def per_image(v):
        return torch.as_tensor(v, dtype=dt, device=dev).expand(n)

    a = per_image(angle_deg) * math.pi / 180
    s = per_image(scale)
    # affine_grid maps output coordinates to input ones (normalized to [-1, 1]): the inverse map.
    cos, sin = torch.cos(a) / s, torch.sin(a) / s
    tx, ty = -per_image(shift_x) * 2 / SIDE, -per_image(shift_y) * 2 / SIDE
    theta = torch.stack([torch.stack([cos, -sin, cos * tx - sin * ty], -1),
                         torch.stack([sin, cos, sin * tx + cos * ty], -1)], 1)
    img = images.view(n, 1, SIDE, SIDE)
    grid = F.affine_grid(theta, list(img.shape), align_corners=False)
    return F.grid_sample(img, grid, align_corners=False, padding_mode="zeros").view(n, -1)


def flip(images: torch.Tensor) -> torch.Tensor:
    """대칭이동: mirror left ↔ right."""
    return images.view(-1, SIDE, SIDE).flip(-1).reshape(images.shape)


def gaussian_noise(images: torch.Tensor, sigma: float, generator: torch.Generator) -> torch.Tensor:
    noise = torch.randn(images.shape, generator=generator, dtype=images.dtype).to(images.device)
    return (images + sigma * noise).clamp(0, 1)


def binomial_noise(images: torch.Tensor, rate: float, generator: torch.Generator) -> torch.Tensor:
    """Salt-and-pepper: each pixel is hit with probability ``rate`` (Bernoulli) and set to 0 or 1 (Bernoulli ½)."""
    hit = torch.bernoulli(torch.full(images.shape, rate, dtype=images.dtype), generator=generator).to(images.device)
    value = torch.bernoulli(torch.full(images.shape, 0.5, dtype=images.dtype), generator=generator).to(images.device)
    return torch.where(hit > 0, value, images)


def transform(kind: str, images: torch.Tensor, settings: dict, generator: torch.Generator) -> torch.Tensor:
    """One of :data:`KINDS`, with the fixed sizes of the grid figure."""
    if kind == "original":
        return images
    if kind == "shift":
        return affine(images, shift_x=settings["show_shift"])
    if kind == "flip":
        return flip(images)
    if kind == "rotation":
        return affine(images, angle_deg=settings["show_angle"])
    if kind == "zoom":
        return affine(images, scale=settings["show_zoom"])
    if kind == "gaussian":
        return gaussian_noise(images, settings["show_sigma"], generator)
    if kind == "binomial":
        return binomial_noise(images, settings["show_rate"], generator)
    raise ValueError(kind)


def random_augment(images: torch.Tensor, settings: dict, generator: torch.Generator) -> torch.Tensor:
    """The training-time augmentation: a random shift, rotation and zoom per image, then Gaussian noise.

    Flips are left out of training: a mirrored digit is often not the same digit.
    """
    n = images.shape[0]

    def uniform(half_width):
        return (torch.rand(n, generator=generator, dtype=images.dtype) * 2 - 1).to(images.device) * half_width

    out = affine(images, angle_deg=uniform(settings["aug_angle"]), scale=1 + uniform(settings["aug_zoom"]),
                 shift_x=uniform(settings["aug_shift"]), shift_y=uniform(settings["aug_shift"]))
    return gaussian_noise(out, settings["aug_sigma"], generator)


@experiment("augmentation", topic="augmentation", seed=12, threads=1, epochs=200, digits_shown=5,
            show_shift=3.0, show_angle=25.0, show_zoom=1.3, show_sigma=0.25, show_rate=0.08,
            aug_shift=2.0, aug_angle=15.0, aug_zoom=0.1, aug_sigma=0.1, seeds=5, **SETUP)
def augmentation(settings: dict, ctx: Context):
    """Real digits under the lecture's transformations; validation accuracy with and without augmentation.

    Seed k (``ctx.seed + k``) draws the initial weights and the mini-batch order, shared by its plain and its
    augmented network, and (from ``ctx.seed + k + 1000``) the augmentation's random draws.  The 2 × seeds
    networks train as one stacked program (``engine.stacked_mlp``: every run updated by SGD as if alone) on
    the fixed split of ``engine.overfit_setup`` — its network, data and optimizer (a test holds the stack to a
    plain one-network torch.nn loop).  The
    unprefixed arrays are seed k = 0 (the lecture's); ``seeds/<run>/<array>`` holds every seed."""
    out: dict = {"kinds": np.array(KINDS)}
    splits, source = small_mnist(settings, ctx.device)
    x, y = splits["train"]
    # one example of each of the first classes (0, 1, 2, …) from the training images
    picks = torch.stack([torch.nonzero(y == c)[0, 0] for c in range(settings["digits_shown"])])
    shown = x[picks]
    out["labels"] = y[picks]
    out["grid"] = torch.stack([transform(k, shown, settings, ctx.generator) for k in KINDS], 1).view(
        len(picks), len(KINDS), SIDE, SIDE)
    out["examples"] = random_augment(shown.repeat_interleave(4, 0), settings, ctx.generator).view(-1, 4, SIDE, SIDE)

    seeds, epochs, act = settings["seeds"], settings["epochs"], settings["activation"]
    runs = ("plain", "augmented")
    gens = [torch.Generator().manual_seed(ctx.seed + k) for k in range(seeds)]
    aug_gens = [torch.Generator().manual_seed(ctx.seed + k + 1000) for k in range(seeds)]
    sizes = [x.shape[1]] + [settings["hidden"]] * settings["hidden_layers"] + [10]
    # network 2k: seed k without augmentation, 2k + 1: with; both start from seed k's weights
    per_seed = [stacked_weights(sizes, 1, settings["init"], g, dtype=x.dtype, device=x.device) for g in gens]
    params = [torch.cat([w for w in layer for _ in runs]).detach().requires_grad_(True) for layer in zip(*per_seed)]
    opt = torch.optim.SGD(params, lr=settings["lr"])
    track = {name: splits[name] for name in ("train", "val")}
    hist = {f"{name}_{what}": torch.zeros(2 * seeds, epochs) for name in track for what in ("loss", "acc")}
    n, batch = len(x), settings["batch"]
    for epoch in range(1, epochs + 1):
        order = torch.stack([torch.randperm(n, generator=g) for g in gens])           # (seeds, n)
        for start in range(0, n, batch):
            idx = order[:, start:start + batch]                                      # (seeds, b)
            xb = torch.stack([x[i] for i in idx])                                    # (seeds, b, 784)
            augmented = torch.stack([random_augment(xs, settings, g) for xs, g in zip(xb, aug_gens)])
            xb = torch.stack([xb, augmented], 1).flatten(0, 1)                       # (2 · seeds, b, 784)
            loss = stacked_loss(stacked_forward(params, xb, act), y[idx].repeat_interleave(2, 0))
            opt.zero_grad()
            loss.sum().backward()
            opt.step()
        for name, (xs, ys) in track.items():
            hist[f"{name}_loss"][:, epoch - 1], hist[f"{name}_acc"][:, epoch - 1] = stacked_evaluate(params, xs, ys, act)
        if epoch % 10 == 0 or epoch == epochs:
            ctx.progress(epoch, epochs, "plain and augmented")
    test_loss, test_acc = stacked_evaluate(params, *splits["test"], act)
    out["epoch"] = torch.arange(1, epochs + 1)
    out["seed_values"] = torch.arange(seeds) + ctx.seed
    for r, name in enumerate(runs):
        for key, value in (*hist.items(), ("test_acc", test_acc), ("test_loss", test_loss)):
            out[f"seeds/{name}/{key}"] = value[r::2]
            out[f"{name}/{key}"] = value[r]                       # the lecture's seed
    return out, {**setup_info(source, splits), "training_augmentation": "random shift ±aug_shift px, rotation "
                 "±aug_angle°, zoom 1 ± aug_zoom, Gaussian noise aug_sigma; no flips",
                 "same_init_and_batches": True,
                 "seeds": f"seed {ctx.seed} + k, k = 0 … {seeds - 1}: initial weights and mini-batch order (shared by "
                          "the plain and the augmented network of the seed); augmentation draws from seed + k + 1000; "
                          "the split is fixed (split_seed)"}


# --------------------------------------------------------------------------- claims
def _final(res, run: str, key: str, last: int = 10) -> np.ndarray:
    """(seeds,): the mean of the last ``last`` epochs of ``seeds/<run>/<key>``."""
    return res[f"seeds/{run}/{key}"][:, -last:].mean(1)


def claim_raises_validation_accuracy(results) -> Measured:
    """Augmentation raises the validation accuracy: averaged over the last 10 epochs, the augmented network's
    is higher than the plain one's, in every seed."""
    res = results["augmentation"]
    plain, aug = _final(res, "plain", "val_acc"), _final(res, "augmented", "val_acc")
    return per_seed([int(s) for s in res["seed_values"]], aug > plain, plain=plain, augmented=aug, gain=aug - plain)


def claim_narrows_the_gap(results) -> Measured:
    """Augmentation narrows the gap between training and validation accuracy (last 10 epochs), in every seed."""
    res = results["augmentation"]
    gap = {run: _final(res, run, "train_acc") - _final(res, run, "val_acc") for run in ("plain", "augmented")}
    return per_seed([int(s) for s in res["seed_values"]], gap["augmented"] < gap["plain"], gap_plain=gap["plain"],
                    gap_augmented=gap["augmented"])
