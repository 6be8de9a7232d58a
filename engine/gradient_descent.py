"""Chapter 7 — gradient descent w := w − η ∂J/∂w, the learning rate, local minima, SGD and mini-batches.

Every path is torch.optim.SGD stepping a parameter tensor of shape (runs, d):
all learning rates (a), all start points (b) and the three ways of using the
data (c) are one tensor program each (``engine.optim_paths.run_paths``).
"""
from __future__ import annotations

import numpy as np
import torch

from .claims import Measured, measured, per_seed
from .core import Context, experiment
from .data import regression_data
from .optim_paths import SURFACES, as_loss, run_paths
from .settings import numbers


@experiment("gd-parabola", topic="gradient-descent", seed=0, start=10.0, lrs="0.05,0.2,0.9,1.1", steps=10,
            diverge_factor=4.0, optimizer="torch.optim.SGD",
            sweep_lr_min=0.02, sweep_lr_max=1.2, sweep_runs=60, sweep_steps=20)
def gd_parabola(settings: dict, ctx: Context):
    """Gradient descent on J(w) = w² from w = 10 with four learning rates: slow, good, oscillating, diverging.

    ``sweep/*``: the same descent for a grid of ``sweep_runs`` rates from ``sweep_lr_min`` to ``sweep_lr_max``
    (``sweep_steps`` steps, one batched program; the course page's learning-rate explorer draws them)."""
    lrs = numbers(settings["lrs"])
    starts = torch.full((len(lrs), 1), settings["start"], dtype=ctx.dtype)
    # a run is stopped (and flagged) once J exceeds diverge_factor × its starting value
    paths = run_paths(as_loss(SURFACES["parabola"].fn), starts, lrs, "SGD", settings["steps"],
                      diverge_factor=settings["diverge_factor"], dtype=ctx.dtype, device=ctx.device)
    sweep_lrs = torch.linspace(settings["sweep_lr_min"], settings["sweep_lr_max"], settings["sweep_runs"],
                               dtype=ctx.dtype)
    sweep = run_paths(as_loss(SURFACES["parabola"].fn), torch.full((len(sweep_lrs), 1), settings["start"],
                      dtype=ctx.dtype), sweep_lrs, "SGD", settings["sweep_steps"],
                      diverge_factor=settings["diverge_factor"], dtype=ctx.dtype, device=ctx.device)
    ctx.progress(1, 1, "parabola")
    curve_w = torch.linspace(-12.0, 12.0, 481, dtype=ctx.dtype)
    return {
        "sweep/lrs": sweep_lrs,
        "sweep/w": sweep.params[..., 0],    # (sweep_steps + 1, sweep_runs), NaN after a run stopped
        "sweep/J": sweep.loss,
        "sweep/diverged": sweep.diverged,
        "sweep/last": sweep.last,
        "lrs": torch.tensor(lrs, dtype=ctx.dtype),
        "w": paths.params[..., 0],          # (steps + 1, runs)
        "J": paths.loss,
        "grad": paths.grad[..., 0],
        "diverged": paths.diverged,
        "last": paths.last,
        "curve_w": curve_w,
        "curve_J": curve_w ** 2,
    }


@experiment("gd-local-minima", topic="gradient-descent", seed=0, lrs="2,0.5", starts="-6,-3,0,4,6,9", steps=30,
            optimizer="torch.optim.SGD", x_min=-10.0, x_max=10.0, poor_margin=0.5)
def gd_local_minima(settings: dict, ctx: Context):
    """Gradient descent on f(x) = x·cos(0.15πx) from several starts, η = 2 (and a smaller η for contrast)."""
    fn = SURFACES["local"].fn
    lrs = torch.tensor(numbers(settings["lrs"]), dtype=ctx.dtype)
    first = torch.tensor(numbers(settings["starts"]), dtype=ctx.dtype)
    # every start with every learning rate: one batch of len(lrs) × len(starts) runs
    lr_run = lrs.repeat_interleave(len(first))
    starts = first.repeat(len(lrs))[:, None]
    paths = run_paths(as_loss(fn), starts, lr_run, "SGD", settings["steps"], dtype=ctx.dtype, device=ctx.device)
    xs = torch.linspace(settings["x_min"], settings["x_max"], 2001, dtype=ctx.dtype)
    fs = fn(xs[:, None])
    # the local minima of the curve inside the interval, and the best of them
    inner = (fs[1:-1] < fs[:-2]) & (fs[1:-1] < fs[2:])
    minima = xs[1:-1][inner]
    minima_f = fn(minima[:, None])
    best = int(torch.argmin(minima_f))
    idx = torch.arange(len(starts))
    end_x = paths.params[paths.last, idx, 0]
    end_f = paths.loss[paths.last, idx]
    ctx.progress(1, 1, "local minima")
    shape = (len(lrs), len(first))
    return {
        "lrs": lrs, "starts": first,
        "x": paths.params[..., 0].reshape(-1, *shape), "f": paths.loss.reshape(-1, *shape),
        "end_x": end_x.reshape(shape), "end_f": end_f.reshape(shape), "diverged": paths.diverged.reshape(shape),
        "curve_x": xs, "curve_f": fs, "minima_x": minima, "minima_f": minima_f,
        "best_x": minima[best], "best_f": minima_f[best],
        # "poor": the run ends more than poor_margin above the best local minimum of the interval
        "poor": (end_f > minima_f[best] + settings["poor_margin"]).reshape(shape),
    }


def regression_loss(x: torch.Tensor, y: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """J_r = ½ Σ_i W[r, i] (w0_r + w1_r·x_i − y_i)² for every row r of ``w`` (the slides' ½·mean for W = 1/n)."""

    def loss(w: torch.Tensor, step: int) -> torch.Tensor:
        residual = w[:, :1] + w[:, 1:2] * x[None, :] - y[None, :]
        return 0.5 * (weights(step) * residual ** 2).sum(dim=1)

    return loss


METHODS = ("GD", "SGD", "minibatch")


@experiment("gd-regression", topic="gradient-descent", seed=7, n=50, true_w0=1.0, true_w1=0.5, sigma=0.5,
            x_low=0.0, x_high=4.0, start_w0=-2.0, start_w1=2.0, lr=0.1, updates=120, batch=10,
            converge_steps=3000, optimizer="torch.optim.SGD", grid_points=161, seeds=5)
def gd_regression(settings: dict, ctx: Context):
    """Full-batch GD, SGD (one example per update) and mini-batch GD on the linear regression loss J(w0, w1)."""
    n, batch, updates = settings["n"], settings["batch"], settings["updates"]
    x, y = regression_data(n, settings["true_w0"], settings["true_w1"], settings["sigma"], settings["x_low"],
                           settings["x_high"], ctx.generator, ctx.dtype)
    # which examples each method uses at each update: a fresh shuffle per epoch for SGD and mini-batches
    per_epoch = n // batch
    order_sgd = torch.cat([torch.randperm(n, generator=ctx.generator) for _ in range(updates // n + 1)])[:updates]
    perms = [torch.randperm(n, generator=ctx.generator)[:per_epoch * batch].reshape(per_epoch, batch)
             for _ in range(updates // per_epoch + 1)]
    order_mb = torch.cat(perms)[:updates]
    # SGD's example order for the other seeds (the same data, GD and start): seeds ctx.seed + 1, …
    seed_values = [ctx.seed + k for k in range(settings["seeds"])]
    extra = []
    for seed in seed_values[1:]:
        gen = torch.Generator().manual_seed(seed)
        extra.append(torch.cat([torch.randperm(n, generator=gen) for _ in range(updates // n + 1)])[:updates])
    rows = 3 + len(extra)        # GD, SGD, mini-batch, then SGD with the other seeds: one batched program
    w_table = torch.zeros(updates + 1, rows, n, dtype=ctx.dtype)
    w_table[:, 0] = 1.0 / n
    w_table[torch.arange(updates), 1, order_sgd] = 1.0
    for t in range(updates):
        w_table[t, 2, order_mb[t]] = 1.0 / batch
    for r, order in enumerate(extra, start=3):
        w_table[torch.arange(updates), r, order] = 1.0
    w_table[updates] = 1.0 / n      # the last recorded point: the full-data loss for every row
    loss = regression_loss(x, y, lambda step: w_table[step])
    start = torch.tensor([[settings["start_w0"], settings["start_w1"]]] * rows, dtype=ctx.dtype)
    paths = run_paths(loss, start, settings["lr"], "SGD", updates, dtype=ctx.dtype, device=ctx.device)
    ctx.progress(1, 3, "paths")

    full = regression_loss(x, y, lambda step: torch.full((1, n), 1.0 / n, dtype=ctx.dtype))
    # the full-data loss J(w) along every path (the recorded loss is each update's own batch loss)
    J_path = torch.stack([full(paths.params[:, r], 0) for r in range(rows)], dim=1)
    long = run_paths(full, start[:1], settings["lr"], "SGD", settings["converge_steps"], dtype=ctx.dtype,
                     device=ctx.device)
    ctx.progress(2, 3, "convergence")

    design = torch.stack([torch.ones_like(x), x], dim=1)
    w_ls = torch.linalg.lstsq(design, y[:, None]).solution[:, 0]
    w0s = torch.linspace(-3.0, 3.0, settings["grid_points"], dtype=ctx.dtype)
    w1s = torch.linspace(-0.5, 2.5, settings["grid_points"], dtype=ctx.dtype)
    g0, g1 = torch.meshgrid(w0s, w1s, indexing="xy")
    J_grid = full(torch.stack([g0.reshape(-1), g1.reshape(-1)], dim=1), 0).reshape(g0.shape)
    ctx.progress(3, 3, "contours")
    out = {"x": x, "y": y, "w_ls": w_ls, "J_ls": full(w_ls[None, :], 0)[0],
           "grid_w0": w0s, "grid_w1": w1s, "grid_J": J_grid, "methods": METHODS,
           "gd_long_final": long.params[-1, 0], "gd_long_J": long.loss[:, 0],
           "seed_values": torch.tensor(seed_values),
           "seeds/J_SGD": torch.cat([J_path[:, 1:2], J_path[:, 3:]], dim=1).T}   # (seeds, updates + 1)
    for r, name in enumerate(METHODS):
        out[f"path/{name}"] = paths.params[:, r]        # (updates + 1, 2): (w0, w1) after each update
        out[f"J/{name}"] = J_path[:, r]
    return out, {"batch_sizes": {"GD": n, "SGD": 1, "minibatch": batch},
                 "loss": "J(w) = 1/(2n) Σ (w0 + w1 x_i − y_i)², the slides' update rule"}


# --------------------------------------------------------------------------- claims
def claim_learning_rates(results) -> Measured:
    """The four rates of ``gd-parabola`` do what the narration says: the slowest is still far from the
    minimum (|w_T| > ¼|w₀|), the second ends within 1 % of it, the third flips sign at every step while
    shrinking, the fourth is stopped as diverging."""
    r = results["gd-parabola"]
    w, diverged = r["w"], r["diverged"].astype(bool)
    w0 = abs(w[0, 0])
    slow, good, osc = abs(w[-1, 0]) / w0, abs(w[-1, 1]) / w0, w[:, 2]
    flips = bool(np.all(np.sign(osc[1:]) == -np.sign(osc[:-1])))
    holds = (slow > 0.25 and good < 0.01 and flips and abs(osc[-1]) < abs(osc[0])
             and bool(diverged[3]) and not diverged[:3].any())
    return measured(holds, slow_left=slow, good_left=good, oscillating_left=abs(osc[-1]) / w0,
                    diverged=float(diverged[3]))


def claim_sgd_jitters(results) -> Measured:
    """Full-batch GD lowers the loss on all data at every update; SGD raises it at some updates, on
    every seed of its example order."""
    r = results["gd-regression"]
    gd_rises = int(np.sum(np.diff(r["J/GD"]) > 1e-12))
    sgd_rises = np.sum(np.diff(r["seeds/J_SGD"], axis=1) > 1e-12, axis=1)
    verdict = per_seed(r["seed_values"], (sgd_rises > 0) & (gd_rises == 0), gd_rises=gd_rises,
                       sgd_rises=sgd_rises)
    return verdict


def claim_poor_local_minima(results) -> Measured:
    """On f(x) = x·cos(0.15πx) some runs of every learning rate end in a poor local minimum, not the best one."""
    poor = results["gd-local-minima"]["poor"].astype(bool)
    counts = poor.sum(axis=1)
    return measured(bool(np.all(counts > 0)), **{f"poor_eta{i + 1}": c for i, c in enumerate(counts)},
                    runs=poor.shape[1])
