"""Chapter 12 — 정칙화 along a λ path: how L2 shrinks the weights and L1 zeroes them as λ grows.

``regularization-path`` trains the over-fitting network of ``engine.overfit_setup`` (Saito, ch. 6: 300 MNIST
images, 784 → 6 × 100 → 10 ReLU, He initialization, SGD 0.01, batches of 100) with no penalty and with
L2 (0.5·λ·ΣW²) and L1 (λ·Σ|W|) penalties at every λ of two log-spaced paths — every λ of both paths and
every seed as one stack of networks (``overfit_setup.StackedMLP``: one SGD step for all; network m
starts from its seed's weights and sees its seed's mini-batches, as a run of its own would).  After the
last epoch: the loss and accuracy on the training, validation and test images, the weights' histogram,
the share of near-zero weights and the norms.  λ = 0 (no penalty) heads both paths: index 0 of every
``l2/…`` and ``l1/…`` array is the same unpenalised network.

The 2-D picture along its own λ path: a quadratic loss L(w) = ½ (w − w*)ᵀ A (w − w*), the L2 minimum of
L + ½λ|w|² in closed form ((A + λI)⁻¹ A w*, torch.linalg.solve) and the L1 minimum of L + λ|w|₁ by
proximal gradient descent (ISTA, every λ at once), the balls through the solutions (the penalised and
the constrained problems share the minimum).

The claims the narration makes are the ``claim_*`` functions at the end, judged on every seed.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from .claims import Measured, measured, per_seed
from .core import Context, experiment
from .overfit_setup import SETUP, StackedMLP, evaluate_stack, seed_networks, setup_info, small_mnist, train_stack

KINDS = ("l2", "l1")


def toy_path(settings: dict, dtype: torch.dtype) -> dict[str, torch.Tensor]:
    """The 2-D quadratic loss and its L2 and L1 regularized minima at every λ of ``toy_lambdas``."""
    w_star = torch.tensor(settings["toy_w_star"], dtype=dtype)
    theta = math.radians(settings["toy_angle_deg"])
    rot = torch.tensor([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]], dtype=dtype)
    A = rot @ torch.diag(torch.tensor(settings["toy_curvatures"], dtype=dtype)) @ rot.T
    lams = torch.tensor(settings["toy_lambdas"], dtype=dtype)
    eye = torch.eye(2, dtype=dtype)
    w_l2 = torch.linalg.solve(A + lams.view(-1, 1, 1) * eye, (A @ w_star).expand(len(lams), 2))
    step = 1.0 / float(torch.linalg.eigvalsh(A).max())
    w = torch.zeros(len(lams), 2, dtype=dtype)
    for _ in range(settings["toy_ista_steps"]):      # ISTA for every λ at once
        z = w - step * (w - w_star) @ A
        w = torch.sign(z) * torch.clamp(z.abs() - step * lams.view(-1, 1), min=0.0)
    w_l1 = w

    def loss(v: torch.Tensor) -> torch.Tensor:
        d = v - w_star
        return 0.5 * torch.einsum("...i,ij,...j->...", d, A, d)

    lim = settings["toy_limit"]
    axis = torch.linspace(-lim, lim, settings["toy_grid"], dtype=dtype)
    grid = torch.stack(torch.meshgrid(axis, axis, indexing="xy"), dim=-1)
    return {"toy/lambdas": lams, "toy/axis": axis, "toy/loss": loss(grid), "toy/w_star": w_star, "toy/A": A,
            "toy/w_l2": w_l2, "toy/w_l1": w_l1, "toy/loss_l2": loss(w_l2), "toy/loss_l1": loss(w_l1),
            "toy/radius_l2": w_l2.norm(dim=1), "toy/radius_l1": w_l1.abs().sum(dim=1)}


# The paths run through the textbook's L2 λ = 0.1 and the lecture's L1 λ, about three times smaller and larger;
# the largest of each is where the network no longer learns.  Only the last epoch is evaluated (the curves over
# the epochs are ``regularization``'s): 7 penalties × 5 seeds = 35 networks.
@experiment("regularization-path", topic="regularization", seed=12, threads=2, epochs=201,
            lambdas_l2=[0.03, 0.1, 0.3], lambdas_l1=[0.003, 0.01, 0.03],
            near_zero=0.001, bins=121, hist_limit=0.15, seeds=5,
            toy_w_star=[1.8, 0.6], toy_curvatures=[1.0, 4.0], toy_angle_deg=30.0,
            toy_lambdas=[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.5, 3.0],
            toy_ista_steps=2000, toy_limit=2.5, toy_grid=201, **SETUP)
def regularization_path(settings: dict, ctx: Context):
    """No penalty, and L2 and L1 at every λ of their paths, every seed, as one stack of networks."""
    seeds = settings["seeds"]
    paths = {"l2": [float(v) for v in settings["lambdas_l2"]], "l1": [float(v) for v in settings["lambdas_l1"]]}
    # configuration c: 0 no penalty, then the L2 path, then the L1 path; network m = c · seeds + seed k
    l2 = [0.0] + paths["l2"] + [0.0] * len(paths["l1"])
    l1 = [0.0] + [0.0] * len(paths["l2"]) + paths["l1"]
    configs = len(l2)
    splits, source = small_mnist(settings, ctx.device)
    models, generators = seed_networks(settings, ctx.seed, seeds, configs=configs)
    model = StackedMLP(models).to(ctx.device)
    init = model.flat_weights()[0].cpu()
    per_network = lambda values: torch.tensor(values).repeat_interleave(seeds).to(ctx.device)  # noqa: E731
    train_stack(model, splits, settings, ctx, generators, epochs=settings["epochs"], l2=per_network(l2),
                l1=per_network(l1), track=(), label=f"{configs} λ × {seeds} seeds")
    edges = torch.linspace(-settings["hist_limit"], settings["hist_limit"], settings["bins"] + 1)
    w = model.flat_weights().cpu().view(configs, seeds, -1)                      # (config, seed, weight)
    final = {}
    for name in ("train", "val", "test"):
        loss, acc = evaluate_stack(model, *splits[name])
        final[f"{name}_loss"], final[f"{name}_acc"] = loss.cpu().view(configs, seeds), acc.cpu().view(configs, seeds)
    final["near_zero"] = (w.abs() < settings["near_zero"]).double().mean(dim=2)
    final["weight_l2"] = w.norm(dim=2)
    final["weight_l1"] = w.abs().sum(dim=2)
    final["outside"] = (w.abs() > settings["hist_limit"]).double().mean(dim=2)   # the histograms' overflow
    hist = torch.stack([torch.stack([torch.histogram(v, bins=edges).hist for v in row]) for row in w])
    out: dict = {"hist_edges": edges, "init/weight_hist": torch.histogram(init, bins=edges).hist,
                 "seed_values": torch.arange(ctx.seed, ctx.seed + seeds)}
    start = 1
    for kind in KINDS:
        rows = [0] + list(range(start, start + len(paths[kind])))                # λ = 0 heads the path
        start += len(paths[kind])
        out[f"{kind}/lambdas"] = torch.tensor([0.0] + paths[kind])
        for key, value in final.items():
            per_seed_path = value[rows].T                                        # (seed, λ)
            out[f"seeds/{kind}/{key}"] = per_seed_path
            out[f"{kind}/{key}"] = per_seed_path[0]
        out[f"{kind}/weight_hist"] = hist[rows, 0]                               # (λ, bin): the lecture's seed
    out.update(toy_path(settings, ctx.dtype))
    return out, {**setup_info(source, splits), "l2": "0.5·λ·ΣW² (weights only)", "l1": "λ·Σ|W| (weights only)",
                 "path": "index 0 of every l2/… and l1/… array is λ = 0, the same unpenalised network",
                 "evaluated": "after the last epoch only",
                 "seeds": f"{seeds} seeds trained at once (seed_values); the plain names hold the first, the lecture's",
                 "same_init_and_batches": True, "histogram": "weights within ±hist_limit; `outside` the share beyond"}


# --------------------------------------------------------------------------- claims
def _seeds(res) -> np.ndarray:
    return np.asarray(res["seed_values"])


def claim_l2_norm_falls(results) -> Measured:
    """Along the L2 path the weights' Euclidean norm falls at every step of λ, on every seed."""
    res = results["regularization-path"]
    norm = np.asarray(res["seeds/l2/weight_l2"], dtype=float)                  # (seed, λ)
    holds = np.all(np.diff(norm, axis=1) < 0, axis=1)
    return per_seed(_seeds(res), holds, norm_none=norm[:, 0], norm_largest=norm[:, -1])


def claim_l1_zeros_grow(results) -> Measured:
    """Along the L1 path the share of near-zero weights grows at every step of λ, on every seed."""
    res = results["regularization-path"]
    share = np.asarray(res["seeds/l1/near_zero"], dtype=float)
    holds = np.all(np.diff(share, axis=1) > 0, axis=1)
    return per_seed(_seeds(res), holds, share_none=share[:, 0], share_largest=share[:, -1])


def _acc(res, kind: str, split: str) -> np.ndarray:
    return np.asarray(res[f"seeds/{kind}/{split}_acc"], dtype=float)              # (seed, λ)


def claim_moderate_lambda_narrows_gap(results) -> Measured:
    """At the second-largest λ of each path the gap between training and validation accuracy is smaller than
    without a penalty, on every seed.  (The validation accuracy there is not higher on every seed: the
    lecture says only the gap.)"""
    res = results["regularization-path"]
    holds = np.ones(len(_seeds(res)), bool)
    numbers = {}
    for kind in KINDS:
        gap = _acc(res, kind, "train") - _acc(res, kind, "val")
        holds &= gap[:, -2] < gap[:, 0]
        numbers[f"{kind}_gap_none"], numbers[f"{kind}_gap"] = gap[:, 0], gap[:, -2]
    return per_seed(_seeds(res), holds, **numbers)


UNDERFIT = 0.2    # training accuracy below this: the network has not learned (chance is about 0.1)


def claim_too_much_underfits(results) -> Measured:
    """At the largest λ of each path the network does not learn: training accuracy below 0.2, on every
    seed; the gap is gone (below half of no penalty's) because of it."""
    res = results["regularization-path"]
    holds = np.ones(len(_seeds(res)), bool)
    numbers = {}
    for kind in KINDS:
        train, val = _acc(res, kind, "train"), _acc(res, kind, "val")
        gap = train - val
        holds &= (train[:, -1] < UNDERFIT) & (gap[:, -1] < 0.5 * gap[:, 0])
        numbers[f"{kind}_train"] = train[:, -1]
    return per_seed(_seeds(res), holds, **numbers)


def claim_toy_l1_hits_an_axis(results) -> Measured:
    """The 2-D picture (no randomness): as λ grows the L1 solution reaches an axis (one coordinate exactly
    0) and stays on it, then reaches 0; the L2 solution shrinks towards 0 along a curve and reaches no
    axis."""
    res = results["regularization-path"]
    lams = np.asarray(res["toy/lambdas"], dtype=float)
    w1, w2 = np.asarray(res["toy/w_l1"], dtype=float), np.asarray(res["toy/w_l2"], dtype=float)
    zeros = (np.abs(w1) < 1e-12).sum(axis=1)
    first = int(np.argmax(zeros >= 1)) if (zeros >= 1).any() else len(lams)
    on_axis = first < len(lams) and bool(np.all(zeros[first:] >= 1)) and 0 < first
    reaches_zero = bool(zeros[-1] == 2) or bool(np.any(zeros == 2))
    l2_off = bool(np.all(np.abs(w2[1:]) > 1e-6))
    radii = np.asarray(res["toy/radius_l2"], dtype=float)
    shrinks = bool(np.all(np.diff(radii) < 0))
    return measured(on_axis and reaches_zero and l2_off and shrinks, l1_on_axis_from=lams[min(first, len(lams) - 1)],
                    l1_zero_from=lams[int(np.argmax(zeros == 2))] if np.any(zeros == 2) else float("nan"),
                    l2_radius_largest=radii[-1])
