"""Chapter 9 — the universal approximation theorem (일반근사정리), computed.

One hidden layer of width 2, 4, 8, 32 and 128 (tanh) is fitted to one bounded continuous
function on [−1, 1]: f(x) = 0.5·sin(5x) + exp(−20 (x − 0.3)²), a wiggle plus a bump.
All widths train together as one batched program: the networks are stacked into tensors
of the largest width, the units a network does not have are masked out (they get no
gradient, and Adam leaves parameters with zero gradient where they are), and the losses
are summed, so each width's gradient is its own: the same as training them one by one.
The error of every fit is measured on a dense grid: max |f̂ − f| and RMS.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from .claims import Measured, per_seed
from .core import Context, experiment

TARGET = "0.5·sin(5x) + exp(−20(x − 0.3)²)"


def target(x: torch.Tensor) -> torch.Tensor:
    """The function every network approximates."""
    return 0.5 * torch.sin(5 * x) + torch.exp(-20 * (x - 0.3) ** 2)


def init_width(width: int, scale: float, lo: float, hi: float, generator: torch.Generator,
               dtype: torch.dtype) -> list[torch.Tensor]:
    """W1 (1×h), b1, W2 (h×1), b2 for one network.  Each hidden unit tanh(w_j (x − c_j)) starts with a slope
    w_j ~ U(−scale, scale) and its knee c_j ~ U(lo, hi) inside the interval; output weights ~ U(±1/√h), b2 = 0."""
    slope = (torch.rand(width, generator=generator, dtype=dtype) * 2 - 1) * scale
    knee = lo + torch.rand(width, generator=generator, dtype=dtype) * (hi - lo)
    out = (torch.rand(width, generator=generator, dtype=dtype) * 2 - 1) / math.sqrt(width)
    return [slope.unsqueeze(0), -slope * knee, out.unsqueeze(1), torch.zeros(1, dtype=dtype)]


def forward(params: list[torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    w1, b1, w2, b2 = params
    return (torch.tanh(x @ w1 + b1) @ w2 + b2).squeeze(-1)


def stack(nets: list[list[torch.Tensor]], width: int) -> tuple[list[torch.Tensor], torch.Tensor]:
    """Networks of several widths as tensors (k, 1, H), (k, 1, H), (k, H, 1), (k, 1, 1) and a mask (k, 1, H)."""
    k = len(nets)
    dtype = nets[0][0].dtype
    w1, b1, w2 = (torch.zeros(k, 1, width, dtype=dtype), torch.zeros(k, 1, width, dtype=dtype),
                  torch.zeros(k, width, 1, dtype=dtype))
    b2 = torch.zeros(k, 1, 1, dtype=dtype)
    mask = torch.zeros(k, 1, width, dtype=dtype)
    for i, (a, b, c, d) in enumerate(nets):
        h = a.shape[1]
        w1[i, :, :h], b1[i, 0, :h], w2[i, :h, :], b2[i, 0, :] = a, b, c, d
        mask[i, 0, :h] = 1
    return [p.requires_grad_(True) for p in (w1, b1, w2, b2)], mask


def stacked_hidden(params: list[torch.Tensor], mask: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """(k, n, H) hidden activations of every network at the points x (n, 1); absent units are 0."""
    w1, b1 = params[0], params[1]
    return torch.tanh(x.unsqueeze(0) @ w1 + b1) * mask


def stacked_forward(params: list[torch.Tensor], mask: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """(k, n) outputs of every network."""
    return (stacked_hidden(params, mask, x) @ params[2] + params[3]).squeeze(-1)


@experiment("universal-approximation", topic="universal-approximation", seed=0, threads=1,
            widths=[2, 4, 8, 32, 128], activation="tanh", interval=[-1.0, 1.0], train_points=100,
            grid_points=2001, init_scale=5.0, optimizer="Adam", lr=0.01, schedule="cosine", steps=2000, log_every=20,
            dtype="float32", seeds=5)
def universal_approximation(settings: dict, ctx: Context):
    """One hidden layer of growing width fitted to a bump-and-wiggle: fits and max/RMS error against width."""
    dtype = getattr(torch, settings["dtype"])
    lo, hi = settings["interval"]
    widths = [int(w) for w in settings["widths"]]
    x_train = torch.linspace(lo, hi, settings["train_points"], dtype=dtype).unsqueeze(1)
    y_train = target(x_train).squeeze(1)
    x_grid = torch.linspace(lo, hi, settings["grid_points"], dtype=dtype).unsqueeze(1)
    y_grid = target(x_grid).squeeze(1)
    # one generator per (seed, width), so a network does not depend on which others train beside it; seed k is
    # ctx.seed + k, and its width w starts from 1009 (ctx.seed + k) + w.  All seeds × widths train as one
    # stacked program: network s · len(widths) + i is seed s, width i.
    seeds = settings["seeds"]
    nets = [init_width(w, settings["init_scale"], lo, hi, torch.Generator().manual_seed(1009 * (ctx.seed + k) + w), dtype)
            for k in range(seeds) for w in widths]
    params, mask = stack(nets, max(widths))
    opt = getattr(torch.optim, settings["optimizer"])(params, lr=settings["lr"])
    steps, every = settings["steps"], settings["log_every"]
    sched = (torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps) if settings["schedule"] == "cosine"
             else torch.optim.lr_scheduler.LambdaLR(opt, lambda _: 1.0))
    logged = list(range(0, steps + 1, every))
    curve = torch.zeros(len(nets), len(logged), dtype=dtype)
    for step in range(steps + 1):
        losses = ((stacked_forward(params, mask, x_train) - y_train) ** 2).mean(1)
        if step % every == 0:
            curve[:, step // every] = losses.detach()
        if step == steps:
            break
        opt.zero_grad()
        losses.sum().backward()
        opt.step()
        sched.step()
        if step % 500 == 0:
            ctx.progress(step, steps, "")
    out: dict[str, object] = {"widths": torch.tensor(widths), "x": x_grid.squeeze(1), "target": y_grid,
                              "x_train": x_train.squeeze(1), "y_train": y_train,
                              "train_step": torch.tensor(logged), "train_mse": curve[:len(widths)],
                              "seed_values": torch.arange(seeds) + ctx.seed}
    max_err, rms_err = [], []
    with torch.no_grad():
        fits = stacked_forward(params, mask, x_grid)
        err = (fits - y_grid).reshape(seeds, len(widths), -1)
        out["seeds/max_error"] = err.abs().amax(-1)          # (seed, width)
        out["seeds/rms_error"] = err.pow(2).mean(-1).sqrt()
        out["seeds/train_mse"] = curve.reshape(seeds, len(widths), -1)
        fits, hidden = fits[:len(widths)], stacked_hidden(params, mask, x_grid)[:len(widths)]  # the lecture's seed
        for i, w in enumerate(widths):
            err = fits[i] - y_grid
            out[f"fit/{w}"] = fits[i]
            # each hidden unit's contribution v_j·tanh(w_j x + b_j) (the pieces the fit is summed from)
            out[f"units/{w}"] = (hidden[i, :, :w] * params[2][i, :w, 0]).T
            out[f"bias_out/{w}"] = params[3][i, 0]
            max_err.append(err.abs().max())
            rms_err.append(err.pow(2).mean().sqrt())
            out[f"max_error/{w}"], out[f"rms_error/{w}"] = max_err[-1], rms_err[-1]
    out["max_error"] = torch.stack(max_err)
    out["rms_error"] = torch.stack(rms_err)
    out["params"] = torch.tensor([3 * w + 1 for w in widths])
    return out, {"target": TARGET, "loss": "mean squared error on the training points",
                 "seeds": f"seed {ctx.seed} + k, k = 0 … {seeds - 1}: initial weights (generator 1009·(seed + k) + width); "
                          "seeds/<array>: (seed, width); the unprefixed arrays are seed k = 0",
                 "error_grid": f"{settings['grid_points']} equally spaced points on [{lo}, {hi}]"}


# --------------------------------------------------------------------------- claims
def claim_error_falls_with_width(results) -> Measured:
    """The RMS error falls at every step of the width (2 → 4 → 8 → 32 → 128), and the maximum error of the
    widest network is under a fifth of the narrowest's.  (The maximum error need not fall at every step: in
    one seed of five it rises a little from 8 to 32 neurons.)"""
    res = results["universal-approximation"]
    rms, mx = res["seeds/rms_error"], res["seeds/max_error"]
    holds = (np.diff(rms, axis=1) < 0).all(1) & (mx[:, -1] < mx[:, 0] / 5)
    return per_seed([int(s) for s in res["seed_values"]], holds, rms_first=rms[:, 0], rms_last=rms[:, -1],
                    max_first=mx[:, 0], max_last=mx[:, -1],
                    least_rms_step=(rms[:, :-1] / rms[:, 1:]).min(1), least_max_step=(mx[:, :-1] / mx[:, 1:]).min(1))
