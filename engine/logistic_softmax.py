"""Chapter 8 — logistic and softmax regression trained by gradient descent, and the table distribution ↔ activation ↔ loss.

* logistic regression: iris versicolor (y = 0) vs virginica (y = 1) on petal length and width,
  π(x) = σ(w0 + w1 x1 + w2 x2), mean binary cross-entropy, full-batch torch.optim.SGD; snapshots of
  π over a grid of the plane and of the boundary π = 0.5 in the data's own units;
* softmax regression: all three iris species on the same two features, softmax of three linear
  scores, mean cross-entropy, full-batch torch.optim.SGD; snapshots of the predicted class over the grid;
* the table's check on the same flowers: MSE vs the Gaussian negative log-likelihood, binary
  cross-entropy vs the Bernoulli one, cross-entropy vs the multinoulli (categorical) one.
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from .claims import Measured, measured
from .core import Context, experiment
from .data import iris

FEATURE_NAMES = ("sepal_length", "sepal_width", "petal_length", "petal_width")


def grid(x: torch.Tensor, points: int, margin: float):
    lo, hi = x.min(0).values - margin, x.max(0).values + margin
    g1 = torch.linspace(float(lo[0]), float(hi[0]), points, dtype=x.dtype)
    g2 = torch.linspace(float(lo[1]), float(hi[1]), points, dtype=x.dtype)
    G1, G2 = torch.meshgrid(g1, g2, indexing="xy")          # [i, j] ↔ (x1 = g1[j], x2 = g2[i])
    return g1, g2, torch.stack([G1.reshape(-1), G2.reshape(-1)], dim=1)


def features(settings) -> list[int]:
    return [FEATURE_NAMES.index(settings["feature_x"]), FEATURE_NAMES.index(settings["feature_y"])]


def linear_model(x: torch.Tensor, outputs: int, settings: dict, ctx: Context):
    """The set-up both regressions share: standardized inputs, a zero-initialized ``nn.Linear``, SGD,
    and the evaluation grid (in data units and standardized)."""
    if settings["standardize"]:
        mu, sd = x.mean(0), x.std(0)
    else:
        mu, sd = torch.zeros(2, dtype=ctx.dtype), torch.ones(2, dtype=ctx.dtype)
    model = torch.nn.Linear(2, outputs, dtype=ctx.dtype)
    torch.nn.init.zeros_(model.weight)
    torch.nn.init.zeros_(model.bias)
    opt = torch.optim.SGD(model.parameters(), lr=settings["lr"])
    g1, g2, pts = grid(x, settings["grid_points"], settings["margin"])
    return (x - mu) / sd, mu, sd, model, opt, g1, g2, (pts - mu) / sd


@experiment("logistic", topic="logistic-softmax", seed=0, threads=1, data="iris versicolor (0) vs virginica (1)",
            feature_x="petal_length", feature_y="petal_width", standardize=True, optimizer="torch.optim.SGD",
            lr=0.5, epochs=300, snapshot_every=5, grid_points=81, margin=0.4)
def logistic(settings: dict, ctx: Context):
    """Logistic regression by full-batch gradient descent: the sigmoid surface and the boundary as they evolve."""
    data = iris()
    keep = data.train.y > 0
    x = data.train.x[keep][:, features(settings)].to(ctx.dtype)
    y = (data.train.y[keep] == 2).to(ctx.dtype)
    xs, mu, sd, model, opt, g1, g2, pts_s = linear_model(x, 1, settings, ctx)
    n_grid = settings["grid_points"]

    def weights_in_data_units():
        # logit = b + w·(x − μ)/s = (b − Σ w μ / s) + Σ (w / s) x
        w, b = model.weight.detach()[0], model.bias.detach()[0]
        return torch.cat([(b - (w * mu / sd).sum())[None], w / sd])

    losses, accs, snaps, snap_w, snap_epoch, w_path = [], [], [], [], [], []
    for epoch in range(settings["epochs"] + 1):
        logits = model(xs)[:, 0]
        loss = F.binary_cross_entropy_with_logits(logits, y)
        losses.append(loss.detach())
        accs.append(((logits.detach() > 0).to(ctx.dtype) == y).to(ctx.dtype).mean())
        w_path.append(weights_in_data_units())
        if epoch % settings["snapshot_every"] == 0:
            with torch.no_grad():
                snaps.append(torch.sigmoid(model(pts_s)[:, 0]).reshape(n_grid, n_grid))
            snap_w.append(weights_in_data_units())
            snap_epoch.append(epoch)
        if epoch == settings["epochs"]:
            break
        opt.zero_grad()
        loss.backward()
        if epoch == 0:
            grad0 = torch.cat([model.bias.grad, model.weight.grad[0]]).clone()
        opt.step()
    # the table's check: binary cross-entropy = the Bernoulli negative log-likelihood (per example)
    with torch.no_grad():
        p = torch.sigmoid(model(xs)[:, 0])
    bce = F.binary_cross_entropy(p, y)
    bern_nll = -torch.distributions.Bernoulli(probs=p).log_prob(y).mean()
    ctx.progress(1, 1, "logistic")
    return {
        "bce": bce, "bern_nll": bern_nll,
        "x": x, "y": y, "mu": mu, "sd": sd, "grid_x1": g1, "grid_x2": g2,
        "loss": torch.stack(losses), "acc": torch.stack(accs), "w_path": torch.stack(w_path),
        "snap_epoch": torch.tensor(snap_epoch), "snap_prob": torch.stack(snaps), "snap_w": torch.stack(snap_w),
        "grad0": grad0,   # autograd's gradient of the mean BCE at w = 0 (standardized inputs; [bias, w1, w2])
    }, {"data": f"{data.source}: versicolor (y = 0) vs virginica (y = 1), 100 flowers",
        "loss": "mean binary cross-entropy (the slides' J(w) divided by n)"}


@experiment("softmax", topic="logistic-softmax", seed=0, threads=1, data="iris, three species",
            feature_x="petal_length", feature_y="petal_width", standardize=True, optimizer="torch.optim.SGD",
            lr=0.5, epochs=300, snapshot_every=5, grid_points=81, margin=0.4)
def softmax(settings: dict, ctx: Context):
    """Softmax regression on iris (two features) by full-batch gradient descent: the three class regions as they evolve."""
    data = iris()
    x = data.train.x[:, features(settings)].to(ctx.dtype)
    y = data.train.y
    xs, mu, sd, model, opt, g1, g2, pts_s = linear_model(x, data.classes, settings, ctx)
    n_grid = settings["grid_points"]
    losses, accs, snaps, snap_prob, snap_epoch = [], [], [], [], []
    for epoch in range(settings["epochs"] + 1):
        logits = model(xs)
        loss = F.cross_entropy(logits, y)
        losses.append(loss.detach())
        accs.append((logits.detach().argmax(1) == y).to(ctx.dtype).mean())
        if epoch % settings["snapshot_every"] == 0:
            with torch.no_grad():
                p = torch.softmax(model(pts_s), dim=1)
            snaps.append(p.argmax(1).reshape(n_grid, n_grid))
            snap_prob.append(p.max(1).values.reshape(n_grid, n_grid))
            snap_epoch.append(epoch)
        if epoch == settings["epochs"]:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        probs = torch.softmax(model(xs), dim=1)
    # the table's check: cross-entropy = the multinoulli (categorical) negative log-likelihood (per example)
    ce = F.nll_loss(torch.log(probs), y)
    cat_nll = -torch.distributions.Categorical(probs=probs).log_prob(y).mean()
    ctx.progress(1, 1, "softmax")
    return {
        "ce": ce, "cat_nll": cat_nll,
        "x": x, "y": y, "grid_x1": g1, "grid_x2": g2, "loss": torch.stack(losses), "acc": torch.stack(accs),
        "snap_epoch": torch.tensor(snap_epoch), "snap_class": torch.stack(snaps).to(torch.int8),
        "snap_maxprob": torch.stack(snap_prob).to(torch.float32), "probs": probs,
        "weight": model.weight.detach(), "bias": model.bias.detach(),
    }, {"data": f"{data.source}: all three species", "loss": "mean cross-entropy"}


@experiment("loss-table", topic="logistic-softmax", seed=0, regression="petal width on petal length (iris, 150)",
            sigma=1.0)
def loss_table(settings: dict, ctx: Context):
    """The table's Gaussian row, checked: for an identity output and a fixed σ the Gaussian NLL is
    MSE/(2σ²) plus a constant, so minimizing one minimizes the other.  torch.distributions computes the
    NLL on its own; the MSE term is not fixed by the check (with σ² = MSE it would always be ½).

    (The Bernoulli and multinoulli rows are checked inside ``logistic`` and ``softmax``.)"""
    data = iris()
    x, y = data.train.x[:, 2].to(ctx.dtype), data.train.x[:, 3].to(ctx.dtype)
    design = torch.stack([torch.ones_like(x), x], 1)
    w = torch.linalg.lstsq(design, y[:, None]).solution[:, 0]
    yhat = design @ w                         # identity output
    mse = F.mse_loss(yhat, y)
    sigma = torch.tensor(settings["sigma"], dtype=ctx.dtype)   # a fixed σ (any value: the same minimizer)
    nll = -torch.distributions.Normal(yhat, sigma).log_prob(y).mean()
    const = 0.5 * math.log(2 * math.pi) + torch.log(sigma)
    ctx.progress(1, 1, "table")
    return {"w": w, "mse": mse, "sigma": sigma, "nll": nll, "const": const, "nll_minus_const": nll - const,
            "mse_term": mse / (2 * sigma ** 2)}, {
        "note": "per-example NLL: ½ log(2π) + log σ + MSE/(2σ²) at a fixed σ"}


# --------------------------------------------------------------------------- claims
def claim_loss_falls(results) -> Measured:
    """Full-batch gradient descent from zero weights lowers both cross-entropies at every epoch; softmax
    regression's starts at ln 3 (every class ⅓) and logistic regression's at ln 2."""
    lo, so = results["logistic"]["loss"], results["softmax"]["loss"]
    falls = bool(np.all(np.diff(lo) <= 1e-12) and np.all(np.diff(so) <= 1e-12))
    starts = abs(so[0] - math.log(3)) < 1e-9 and abs(lo[0] - math.log(2)) < 1e-9
    return measured(falls and starts, logistic_start=lo[0], logistic_end=lo[-1], softmax_start=so[0],
                    softmax_end=so[-1])


def claim_mse_is_normal_nll(results) -> Measured:
    """The normal row: torch.distributions' −log L minus its constant equals MSE/(2σ²) (to rounding)."""
    r = results["loss-table"]
    gap = abs(r.scalar("nll_minus_const") - r.scalar("mse_term"))
    return measured(gap < 1e-9 and r.scalar("mse_term") != 0.5, mse=r.scalar("mse"), nll=r.scalar("nll"),
                    mse_term=r.scalar("mse_term"), difference=gap)
