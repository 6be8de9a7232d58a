"""Chapter 6 — linear regression y = w0 + w1·x + ε: least squares, maximum likelihood and gradient descent.

* least squares: the slides' closed form ŵ1 = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)², ŵ0 = ȳ − ŵ1·x̄;
* maximum likelihood: the Gaussian log-likelihood in (w0, w1, log σ) maximized numerically
  (autograd + torch.optim.LBFGS with a strong-Wolfe line search), every iterate recorded;
* gradient descent: torch.optim.SGD (full batch) on J(w) = 1/(2n) Σ (w0 + w1·x − y)²;
* the log-likelihood over a (w0, w1) grid at the ML σ.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from .claims import Measured, measured
from .core import Context, experiment
from .data import regression_data


def log_likelihood(w0: torch.Tensor, w1: torch.Tensor, sigma: torch.Tensor, x: torch.Tensor, y: torch.Tensor):
    """log L = Σ_i [−log(√(2π) σ) − (y_i − w0 − w1 x_i)² / (2σ²)], broadcast over the shapes of w0, w1, σ."""
    r = y - w0[..., None] - w1[..., None] * x
    return (-torch.log(math.sqrt(2 * math.pi) * sigma)[..., None] - r ** 2 / (2 * sigma[..., None] ** 2)).sum(-1)


@experiment("linreg", topic="linear-regression", seed=3, threads=1, n=30, true_w0=1.0, true_w1=0.5, sigma=0.5,
            x_low=0.0, x_high=4.0, ml_optimizer="torch.optim.LBFGS", ml_iterations=40, ml_start="0,0,0", gd_lr=0.1,
            gd_steps=1500, gd_start="-2,2", grid_points=121, grid_w0="-2.5,3.5", grid_w1="-0.5,2.5")
def linreg(settings: dict, ctx: Context):
    """Least squares (closed form), maximum likelihood (LBFGS on log σ) and gradient descent on one data set."""
    dt = ctx.dtype
    x, y = regression_data(settings["n"], settings["true_w0"], settings["true_w1"], settings["sigma"],
                           settings["x_low"], settings["x_high"], ctx.generator, dt)
    n = len(x)
    # --- least squares: the slides' closed form
    xb, yb = x.mean(), y.mean()
    w1_ls = ((x - xb) * (y - yb)).sum() / ((x - xb) ** 2).sum()
    w0_ls = yb - w1_ls * xb
    rss = ((y - w0_ls - w1_ls * x) ** 2).sum()

    # --- maximum likelihood: maximize log L(w0, w1, σ) in (w0, w1, log σ)
    start = [float(v) for v in str(settings["ml_start"]).split(",")]
    theta = torch.tensor(start, dtype=dt, requires_grad=True)
    opt = torch.optim.LBFGS([theta], lr=1.0, max_iter=settings["ml_iterations"], line_search_fn="strong_wolfe",
                            tolerance_grad=1e-12, tolerance_change=1e-15, history_size=20)
    evaluations = []

    def nll():
        opt.zero_grad()
        loss = -log_likelihood(theta[0], theta[1], theta[2].exp(), x, y) / n
        loss.backward()
        evaluations.append(theta.detach().clone())
        return loss

    opt.step(nll)
    # every point where LBFGS evaluated −log L (its iterates and its line-search trials), in order
    ml_path = [evaluations[0]] + [p for p in evaluations[1:]]
    ml_path = torch.stack(ml_path)
    ml_path = torch.cat([ml_path[:, :2], ml_path[:, 2:].exp()], dim=1)   # (iterations + 1, [w0, w1, σ])
    ml_loglik = log_likelihood(ml_path[:, 0], ml_path[:, 1], ml_path[:, 2], x, y)
    with torch.no_grad():
        grad_norm = torch.linalg.vector_norm(torch.autograd.functional.jacobian(
            lambda t: -log_likelihood(t[0], t[1], t[2].exp(), x, y) / n, theta.detach()))
    ctx.progress(1, 3, "maximum likelihood")

    # --- gradient descent on the slides' J(w) = 1/(2n) Σ (w0 + w1 x − y)²
    w = torch.tensor([float(v) for v in str(settings["gd_start"]).split(",")], dtype=dt, requires_grad=True)
    sgd = torch.optim.SGD([w], lr=settings["gd_lr"])
    gd_path, gd_J = [w.detach().clone()], []
    for _ in range(settings["gd_steps"]):
        sgd.zero_grad()
        J = ((w[0] + w[1] * x - y) ** 2).mean() / 2
        J.backward()
        gd_J.append(J.detach())
        sgd.step()
        gd_path.append(w.detach().clone())
    gd_path = torch.stack(gd_path)
    gd_J.append((((gd_path[-1, 0] + gd_path[-1, 1] * x - y) ** 2).mean() / 2))
    ctx.progress(2, 3, "gradient descent")

    # --- the log-likelihood surface over (w0, w1) at the ML σ
    lo0, hi0 = (float(v) for v in str(settings["grid_w0"]).split(","))
    lo1, hi1 = (float(v) for v in str(settings["grid_w1"]).split(","))
    g0 = torch.linspace(lo0, hi0, settings["grid_points"], dtype=dt)
    g1 = torch.linspace(lo1, hi1, settings["grid_points"], dtype=dt)
    W0, W1 = torch.meshgrid(g0, g1, indexing="xy")        # [i, j] ↔ (w0 = g0[j], w1 = g1[i])
    sigma_ml = ml_path[-1, 2]
    surface = log_likelihood(W0, W1, sigma_ml.expand_as(W0), x, y)
    ctx.progress(3, 3, "surface")
    return {
        "x": x, "y": y,
        "w_ls": torch.stack([w0_ls, w1_ls]), "rss": rss, "sigma_ls": torch.sqrt(rss / n),
        "ml_path": ml_path, "ml_loglik": ml_loglik, "w_ml": ml_path[-1, :2], "sigma_ml": sigma_ml,
        "ml_grad_norm": grad_norm,
        "gd_path": gd_path, "gd_J": torch.stack(gd_J), "w_gd": gd_path[-1],
        "grid_w0": g0, "grid_w1": g1, "loglik_grid": surface,
        "loglik_max": log_likelihood(w0_ls, w1_ls, sigma_ml, x, y),
    }, {"data": f"y = {settings['true_w0']} + {settings['true_w1']}·x + N(0, {settings['sigma']}²), "
                f"x ~ U({settings['x_low']}, {settings['x_high']}), n = {settings['n']}",
        "ml": "LBFGS (strong Wolfe) on −log L / n in (w0, w1, log σ)",
        "gd": f"torch.optim.SGD full batch, lr {settings['gd_lr']}, {settings['gd_steps']} steps"}


# --------------------------------------------------------------------------- claims
def claim_three_estimates_agree(results) -> Measured:
    """Least squares, maximum likelihood (LBFGS) and gradient descent reach the same (w₀, w₁), and the
    log-likelihood surface peaks there (within one grid step)."""
    r = results["linreg"]
    ls, ml, gd = r["w_ls"], r["w_ml"], r["w_gd"]
    grid = r["loglik_grid"]
    i1, i0 = np.unravel_index(int(np.argmax(grid)), grid.shape)   # rows follow w₁, columns w₀
    step = max(float(np.diff(r["grid_w0"])[0]), float(np.diff(r["grid_w1"])[0]))
    peak = np.array([r["grid_w0"][i0], r["grid_w1"][i1]])
    d_ml, d_gd = float(np.abs(ml - ls).max()), float(np.abs(gd - ls).max())
    d_peak = float(np.abs(peak - ls).max())
    return measured(d_ml < 1e-4 and d_gd < 1e-4 and d_peak <= step, ml_vs_ls=d_ml, gd_vs_ls=d_gd,
                    grid_peak_vs_ls=d_peak, grid_step=step)
