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

from .core import Context, experiment
from .nets import evaluate
from .overfit_setup import SETUP, build, setup_info, small_mnist, train

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
            aug_shift=2.0, aug_angle=15.0, aug_zoom=0.1, aug_sigma=0.1, **SETUP)
def augmentation(settings: dict, ctx: Context):
    """Real digits under the lecture's transformations; validation accuracy with and without augmentation."""
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
    aug_gen = torch.Generator().manual_seed(ctx.seed + 1)
    for name, augment in (("plain", None), ("augmented", lambda xb: random_augment(xb, settings, aug_gen))):
        gen = torch.Generator().manual_seed(ctx.seed)  # the same initial weights and batch order for both
        model = build(settings, gen, device=ctx.device)
        run_ctx = Context(ctx.device, ctx.seed, gen, ctx.progress, ctx.dtype)
        hist = train(model, splits, settings, run_ctx, epochs=settings["epochs"], augment=augment, label=name)
        for key, value in hist.items():
            out[key if key == "epoch" else f"{name}/{key}"] = value
        out[f"{name}/test_acc"] = torch.tensor(evaluate(model, *splits["test"])[1])
    return out, {**setup_info(source, splits), "training_augmentation": "random shift ±aug_shift px, rotation "
                 "±aug_angle°, zoom 1 ± aug_zoom, Gaussian noise aug_sigma; no flips",
                 "same_init_and_batches": True, "augmentation_generator_seed": "seed + 1"}
