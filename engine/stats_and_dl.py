"""Chapter 5 — statistics and deep learning: two vocabularies drawn on one fitted model, and two real models compared.

* The chapter 6 regression data (y = w0 + w1·x + ε, the same settings and seed as ``linreg``, drawn through
  ``engine.data.regression_data``), fitted twice: by the statistician's estimation (the least-squares closed
  form, with the standard error of w1 and R²) and by learning (a ``torch.nn.Linear(1, 1)`` trained with
  torch.optim.SGD on the mean squared error, every step recorded).  Its weight is the slope w1, its bias the
  intercept w0; the fitted line gives the prediction ŷ at a new x.
* The contrast: that regression (2 parameters, n observations of one variable) against the chapter 15 MNIST
  network 784 → 512 → 10 (its parameters counted from the torch model, trained briefly with Adam on the
  digits the project ships so that its first-layer weights can be looked at, and its accuracy measured on
  the digits held out).
"""
from __future__ import annotations

import numpy as np
import torch

from .claims import Measured, measured
from .core import Context, experiment
from .data import mnist, regression_data
from .nets import make_mlp


@experiment("stats-and-dl", topic="stats-and-dl", seed=3, threads=1, n=30, true_w0=1.0, true_w1=0.5, sigma=0.5,
            x_low=0.0, x_high=4.0, optimizer="torch.optim.SGD", lr=0.1, steps=400, new_x=3.0,
            mnist_hidden=512, mnist_holdout=0.25, mnist_epochs=3, mnist_batch=256, mnist_lr=0.001, units_shown=6)
def stats_and_dl(settings: dict, ctx: Context):
    """One regression estimated and learned; its size against the MNIST network's."""
    dt = ctx.dtype
    x, y = regression_data(settings["n"], settings["true_w0"], settings["true_w1"], settings["sigma"],
                           settings["x_low"], settings["x_high"], ctx.generator, dt)
    n = len(x)
    # --- estimation: least squares, its standard error and R²
    xb, yb = x.mean(), y.mean()
    sxx = ((x - xb) ** 2).sum()
    w1_ls = ((x - xb) * (y - yb)).sum() / sxx
    w0_ls = yb - w1_ls * xb
    resid = y - w0_ls - w1_ls * x
    s2 = (resid ** 2).sum() / (n - 2)
    se_w1 = torch.sqrt(s2 / sxx)
    r2 = 1 - (resid ** 2).sum() / ((y - yb) ** 2).sum()
    # --- learning: a linear neuron (weight = w1, bias = w0) trained by gradient descent on the MSE
    net = torch.nn.Linear(1, 1, dtype=dt)
    with torch.no_grad():
        net.weight.zero_()
        net.bias.zero_()
    opt = torch.optim.SGD(net.parameters(), lr=settings["lr"])
    path, losses = [], []
    for step in range(settings["steps"] + 1):
        pred = net(x[:, None])[:, 0]
        loss = ((pred - y) ** 2).mean()
        path.append(torch.stack([net.bias.detach()[0], net.weight.detach()[0, 0]]))
        losses.append(loss.detach())
        if step == settings["steps"]:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    path = torch.stack(path)                      # (steps + 1, [w0 = bias, w1 = weight])
    w_learned = path[-1]
    new_x = torch.tensor(settings["new_x"], dtype=dt)
    ctx.progress(1, 2, "regression")

    # --- the deep model: the chapter 15 network, its parameters counted, trained briefly on the shipped digits
    data = mnist()
    gen = torch.Generator().manual_seed(ctx.seed)
    perm = torch.randperm(len(data.train.x), generator=gen)
    n_hold = int(round(settings["mnist_holdout"] * len(perm)))
    tr, ho = perm[n_hold:], perm[:n_hold]
    xt, yt = data.train.x[tr].to(torch.float32), data.train.y[tr]
    xh, yh = data.train.x[ho].to(torch.float32), data.train.y[ho]
    torch.manual_seed(ctx.seed)
    model = make_mlp([xt.shape[1], settings["mnist_hidden"], 10], activation="relu", generator=gen)
    n_params = sum(p.numel() for p in model.parameters())
    adam = torch.optim.Adam(model.parameters(), lr=settings["mnist_lr"])
    for _ in range(settings["mnist_epochs"]):
        order = torch.randperm(len(xt), generator=gen)
        for start in range(0, len(xt), settings["mnist_batch"]):
            idx = order[start:start + settings["mnist_batch"]]
            loss = torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx])
            adam.zero_grad()
            loss.backward()
            adam.step()
    with torch.no_grad():
        hold_acc = (model(xh).argmax(1) == yh).to(dt).mean()
        w_first = model[0].weight.detach().to(dt)              # (512, 784)
    shown = torch.argsort(w_first.norm(dim=1), descending=True)[:settings["units_shown"]]
    side = int(round(np.sqrt(xt.shape[1])))
    ctx.progress(2, 2, "mnist network")
    return {
        "x": x, "y": y, "w_ls": torch.stack([w0_ls, w1_ls]), "se_w1": se_w1, "r2": r2,
        "learn/path": path, "learn/loss": torch.stack(losses), "w_learned": w_learned,
        "new_x": new_x, "prediction": w_learned[0] + w_learned[1] * new_x,
        "fitted": w_learned[0] + w_learned[1] * x,
        "params": torch.tensor([2, n_params]),                     # [regression, MNIST network]
        "data_n": torch.tensor([n, len(xt)]),                      # training observations
        "data_dims": torch.tensor([1, xt.shape[1]]),               # numbers per observation
        "mnist/layers": torch.tensor([xt.shape[1], settings["mnist_hidden"], 10]),
        "mnist/holdout_acc": hold_acc, "mnist/n_holdout": torch.tensor(n_hold),
        "mnist/units": shown, "mnist/unit_weights": w_first[shown].reshape(-1, side, side),
    }, {"data": f"y = {settings['true_w0']} + {settings['true_w1']}·x + N(0, {settings['sigma']}²), "
                f"x ~ U({settings['x_low']}, {settings['x_high']}), n = {n} (the chapter 6 data: seed 3)",
        "learning": f"torch.nn.Linear(1, 1) from 0, {settings['optimizer']} lr {settings['lr']}, {settings['steps']} steps, MSE",
        "mnist": f"{data.source}: {len(xt)} train / {n_hold} held out; 784 → {settings['mnist_hidden']} → 10 ReLU, "
                 f"Adam lr {settings['mnist_lr']}, batch {settings['mnist_batch']}, {settings['mnist_epochs']} epochs"}


# --------------------------------------------------------------------------- claims
def claim_learning_is_estimation(results) -> Measured:
    """Learning (gradient descent on the linear neuron's weight and bias) reaches the least-squares estimate:
    both coefficients agree to 10⁻³."""
    r = results["stats-and-dl"]
    gap = np.abs(r["w_learned"] - r["w_ls"]).max()
    return measured(bool(gap < 1e-3), gap=gap, w1_ls=r["w_ls"][1], w1_learned=r["w_learned"][1],
                    w0_ls=r["w_ls"][0], w0_learned=r["w_learned"][0])


def claim_deep_model_is_far_larger(results) -> Measured:
    """The deep model has more parameters than training observations, the regression far fewer (at least
    ten observations per parameter)."""
    r = results["stats-and-dl"]
    per_param = r["data_n"] / r["params"]
    return measured(bool(per_param[0] >= 10 and per_param[1] < 1), regression_per_parameter=per_param[0],
                    network_per_parameter=per_param[1], network_parameters=int(r["params"][1]),
                    network_observations=int(r["data_n"][1]))
