"""Chapter 12 — 데이터 증식: the torch transformations against independent versions; the training runs."""
from __future__ import annotations

import numpy as np
import pytest
import torch


SHORT = {"augmentation": {"epochs": 15}}


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
