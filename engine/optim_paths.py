"""Optimizer paths on loss surfaces: many independent runs as one tensor program.

* :data:`SURFACES` — the lecture's surfaces as torch functions of a ``(runs, d)``
  tensor, each with its known minimum;
* :func:`make_optimizer` — the five optimizers of chapter 11, all torch.optim's own
  (SGD, SGD with momentum, Adagrad, RMSprop, Adam); no update rule is written here;
* :func:`run_paths` — ``runs`` independent trajectories (start points × learning
  rates) stepped together: one forward, one backward and one ``optimizer.step()``
  per step for all of them.  Runs that share a learning rate share one parameter
  tensor (one torch.optim param group per distinct rate); a schedule is
  torch.optim.lr_scheduler.LambdaLR.  Parameters, loss, gradient and rate are
  recorded at every step.  A run that diverges is stopped and flagged; its finite
  part is kept (the rest of its path is NaN).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

import torch

from .core import EngineError

# --------------------------------------------------------------------------- surfaces
C_LOCAL = 0.15 * math.pi


def _x(p):
    return p[:, 0]


def _y(p):
    return p[:, 1]


def beale(p: torch.Tensor) -> torch.Tensor:
    x, y = _x(p), _y(p)
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2


@dataclass(frozen=True)
class Surface:
    fn: Callable[[torch.Tensor], torch.Tensor]
    minimum: tuple[float, ...] | None   # the global minimum (None: unbounded below, e.g. the saddle)
    formula: str                         # LaTeX, as the slides write it
    domain: tuple[float, ...]            # (x_min, x_max[, y_min, y_max]) for drawing


SURFACES: dict[str, Surface] = {
    "parabola": Surface(lambda p: _x(p) ** 2, (0.0,), r"J(w) = w^2", (-12.0, 12.0)),
    "local": Surface(lambda p: _x(p) * torch.cos(C_LOCAL * _x(p)), None, r"f(x) = x\cos(0.15\pi x)", (-13.0, 13.0)),
    "textbook": Surface(lambda p: _x(p) ** 2 / 20 + _y(p) ** 2, (0.0, 0.0), r"f(x, y) = \frac{x^2}{20} + y^2",
                        (-10.0, 10.0, -5.0, 5.0)),
    "quadratic": Surface(lambda p: _x(p) ** 2 + 2 * _y(p) ** 2, (0.0, 0.0), r"f(x_1, x_2) = x_1^2 + 2x_2^2",
                         (-6.0, 6.0, -4.0, 4.0)),
    "ill-conditioned": Surface(lambda p: 0.1 * _x(p) ** 2 + 2 * _y(p) ** 2, (0.0, 0.0),
                               r"f(x_1, x_2) = 0.1x_1^2 + 2x_2^2", (-5.5, 1.0, -3.0, 3.0)),
    "beale": Surface(beale, (3.0, 0.5), r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
                     (-4.5, 4.5, -4.5, 4.5)),
    "banana": Surface(lambda p: (1 - _x(p)) ** 2 + 20 * (3 * _y(p) - _x(p) ** 2) ** 2, (1.0, 1.0 / 3.0),
                      r"f(x, y) = (1 - x)^2 + 20(3y - x^2)^2", (-1.5, 1.5, -0.5, 1.0)),
    "saddle": Surface(lambda p: _x(p) ** 2 - _y(p) ** 2, None, r"f(x, y) = x^2 - y^2", (-1.0, 1.0, -1.0, 1.0)),
}


def surface(name: str) -> Surface:
    try:
        return SURFACES[name]
    except KeyError:
        raise EngineError(f"unknown surface '{name}' (use {', '.join(SURFACES)})") from None


def grid(name: str, points: int = 201, dtype=torch.float64) -> dict[str, torch.Tensor]:
    """The surface on a regular grid over its drawing domain: ``xs``, ``ys``, ``zs`` (points × points)."""
    s = surface(name)
    if len(s.domain) != 4:
        raise EngineError(f"surface '{name}' is one-dimensional; evaluate it on a line instead")
    xs = torch.linspace(s.domain[0], s.domain[1], points, dtype=dtype)
    ys = torch.linspace(s.domain[2], s.domain[3], points, dtype=dtype)
    gx, gy = torch.meshgrid(xs, ys, indexing="xy")
    zs = s.fn(torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)).reshape(points, points)
    return {"xs": xs, "ys": ys, "zs": zs}


# --------------------------------------------------------------------------- optimizers
OPTIMIZER_NAMES = ("SGD", "Momentum", "AdaGrad", "RMSprop", "Adam")
# The slides' constants where torch's defaults differ: RMSprop α = 0.9 (torch: 0.99); momentum β = 0.9.
DEFAULT_OPTIONS = {
    "SGD": {},
    "Momentum": {"momentum": 0.9},
    "AdaGrad": {"eps": 1e-10},
    "RMSprop": {"alpha": 0.9, "eps": 1e-8},
    "Adam": {"betas": (0.9, 0.999), "eps": 1e-8},
}


def make_optimizer(name: str, groups: list[dict], **options) -> torch.optim.Optimizer:
    """torch.optim's optimizer for the lecture's name; ``groups`` are param groups with their ``lr``."""
    opts = {**DEFAULT_OPTIONS.get(name, {}), **options}
    if name in ("SGD", "Momentum"):
        return torch.optim.SGD(groups, lr=groups[0]["lr"], foreach=True, **opts)
    if name == "AdaGrad":
        return torch.optim.Adagrad(groups, lr=groups[0]["lr"], foreach=True, **opts)
    if name == "RMSprop":
        return torch.optim.RMSprop(groups, lr=groups[0]["lr"], foreach=True, **opts)
    if name == "Adam":
        return torch.optim.Adam(groups, lr=groups[0]["lr"], foreach=True, **opts)
    raise EngineError(f"unknown optimizer '{name}' (use {', '.join(OPTIMIZER_NAMES)})")


def optimizer_options(name: str, **options) -> dict:
    """What the metadata should say about an optimizer (class and constants)."""
    cls = {"SGD": "torch.optim.SGD", "Momentum": "torch.optim.SGD", "AdaGrad": "torch.optim.Adagrad",
           "RMSprop": "torch.optim.RMSprop", "Adam": "torch.optim.Adam"}[name]
    opts = {**DEFAULT_OPTIONS[name], **options}
    return {"class": cls, **{k: list(v) if isinstance(v, tuple) else v for k, v in opts.items()}}


# --------------------------------------------------------------------------- trajectories
@dataclass
class Paths:
    """Recorded trajectories: step t = 0 … steps (the start is step 0)."""

    params: torch.Tensor     # (steps + 1, runs, d), NaN after a run stopped
    loss: torch.Tensor       # (steps + 1, runs)
    grad: torch.Tensor       # (steps + 1, runs, d): the gradient used at step t
    lr: torch.Tensor         # (steps, runs): the learning rate of update t → t + 1
    diverged: torch.Tensor   # (runs,) bool
    last: torch.Tensor       # (runs,) index of the last recorded (finite) point


LossFn = Callable[[torch.Tensor, int], torch.Tensor]


def as_loss(fn: Callable[[torch.Tensor], torch.Tensor]) -> LossFn:
    return lambda p, step: fn(p)


def run_paths(loss_fn: LossFn, starts, lrs, optimizer: str, steps: int, *,
              decay_n: float | Sequence[float] | None = None, grad_noise: float = 0.0,
              generator: torch.Generator | None = None, diverge_factor: float = 1e6,
              bound: float = 1e6, dtype=torch.float64, device="cpu", **options) -> Paths:
    """Run ``len(starts)`` independent trajectories of ``optimizer`` together.

    ``starts``: (runs, d); ``lrs``: a number or one per run; ``loss_fn(params, step)`` returns one
    loss per run (row).  ``decay_n``: the lecture's decay η_t = η0·10^(−t/n) (one n for all, or one per
    run; None or 0 = constant).  ``grad_noise``: standard deviation of N(0, σ²) noise added to every
    gradient (as d2l simulates SGD).  A run stops when its loss is not finite, exceeds
    ``diverge_factor`` × its starting loss (only when that is positive) or a coordinate leaves
    [−bound, bound]; it is flagged in ``diverged``.
    """
    starts = torch.as_tensor(starts, dtype=dtype, device=device)
    if starts.ndim != 2:
        raise EngineError("starts must have shape (runs, d)")
    runs, dim = starts.shape
    lrs = torch.as_tensor(lrs, dtype=dtype).reshape(-1).expand(runs).cpu()
    ns = torch.as_tensor(0.0 if decay_n is None else decay_n, dtype=dtype).reshape(-1).expand(runs).cpu()
    keys = torch.stack([lrs, ns], dim=1)
    uniq, inverse = torch.unique(keys, dim=0, return_inverse=True)
    members = [torch.nonzero(inverse == g).reshape(-1).to(device) for g in range(len(uniq))]
    order = torch.cat(members)
    back = torch.empty_like(order)
    back[order] = torch.arange(runs, device=device)
    leaves = [starts[idx].clone().requires_grad_(True) for idx in members]
    groups = [{"params": [leaf], "lr": float(uniq[g, 0])} for g, leaf in enumerate(leaves)]
    opt = make_optimizer(optimizer, groups, **options)
    lambdas = [(lambda t, n=float(uniq[g, 1]): 10.0 ** (-t / n) if n > 0 else 1.0) for g in range(len(uniq))]
    scheduler = torch.optim.lr_scheduler.LambdaLR(opt, lambdas)
    group_lr = torch.empty(len(uniq), dtype=dtype)

    params = torch.full((steps + 1, runs, dim), math.nan, dtype=dtype, device=device)
    loss_rec = torch.full((steps + 1, runs), math.nan, dtype=dtype, device=device)
    grad_rec = torch.full((steps + 1, runs, dim), math.nan, dtype=dtype, device=device)
    lr_rec = torch.full((steps, runs), math.nan, dtype=dtype, device=device)
    active = torch.ones(runs, dtype=torch.bool, device=device)
    diverged = torch.zeros(runs, dtype=torch.bool, device=device)
    last = torch.zeros(runs, dtype=torch.long, device=device)
    safe = starts.clone()          # the last finite point of every run: stopped runs are held there
    loss0 = None
    for t in range(steps + 1):
        x = torch.cat(leaves)[back] if len(leaves) > 1 else leaves[0]
        loss = loss_fn(x, t)
        total = loss.sum()
        if grad_noise > 0:
            noise = torch.randn(x.shape, generator=generator, dtype=dtype).to(device) * grad_noise
            total = total + (noise * x).sum()    # ∂/∂x adds exactly the noise to the gradient
        opt.zero_grad()
        total.backward()
        with torch.no_grad():
            grad = torch.cat([leaf.grad for leaf in leaves])[back]
            xd, ld = x.detach(), loss.detach()
            if loss0 is None:
                loss0 = ld.clone()
            finite = torch.isfinite(ld) & torch.isfinite(xd).all(1) & torch.isfinite(grad).all(1)
            blown = (xd.abs() > bound).any(1) | ((loss0 > 0) & (ld > diverge_factor * loss0))
            newly = active & ~finite | active & blown
            keep = active & finite
            params[t] = torch.where(keep[:, None], xd, params[t])
            loss_rec[t] = torch.where(keep, ld, loss_rec[t])
            grad_rec[t] = torch.where(keep[:, None], grad, grad_rec[t])
            last = torch.where(keep, torch.full_like(last, t), last)
            safe = torch.where(keep[:, None], xd, safe)
            diverged |= newly
            active &= ~newly
            if t == steps:
                break
            for g, group in enumerate(opt.param_groups):
                group_lr[g] = group["lr"]
            lr_rec[t] = torch.where(active, group_lr.to(device)[inverse.to(device)], lr_rec[t])
            if not active.any():
                break
        opt.step()
        scheduler.step()
        if not active.all():
            with torch.no_grad():
                held = safe[order]
                stopped = ~active[order]
                start = 0
                for leaf in leaves:
                    n = leaf.shape[0]
                    leaf.copy_(torch.where(stopped[start:start + n, None], held[start:start + n], leaf))
                    start += n
    return Paths(params, loss_rec, grad_rec, lr_rec, diverged, last)
