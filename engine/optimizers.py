"""Chapter 11 — SGD, Momentum, AdaGrad, RMSprop and Adam: paths on surfaces and one MNIST network each.

All five are torch.optim's own (``engine.optim_paths.make_optimizer``): SGD,
SGD(momentum=0.9), Adagrad, RMSprop(alpha=0.9, the slides' α) and Adam.
"""
from __future__ import annotations

import numpy as np
import torch

from . import data, nets
from .claims import measured
from .core import Context, experiment
from .optim_paths import OPTIMIZER_NAMES, SURFACES, as_loss, grid, make_optimizer, optimizer_options, run_paths
from .settings import numbers


def per_optimizer(settings: dict, prefix: str) -> dict[str, float]:
    return {name: float(settings[f"{prefix}_{name}"]) for name in OPTIMIZER_NAMES}


def add_grid(out: dict, surface: str, prefix: str, points: int) -> None:
    for key, value in grid(surface, points).items():
        out[f"{prefix}_grid/{key}"] = value


@experiment("optimizers", topic="optimizers", seed=0,
            textbook_start="-7,2", textbook_steps=30,
            textbook_lr_SGD=0.95, textbook_lr_Momentum=0.1, textbook_lr_AdaGrad=1.5, textbook_lr_RMSprop=0.2,
            textbook_lr_Adam=0.3,
            beale_start="2,1.7", beale_steps=300,
            beale_lr_SGD=0.005, beale_lr_Momentum=0.001, beale_lr_AdaGrad=0.5, beale_lr_RMSprop=0.02,
            beale_lr_Adam=0.2,
            saddle_start="-0.5,-0.0001", saddle_steps=200, saddle_box=1.0,
            saddle_lr_SGD=0.01, saddle_lr_Momentum=0.01, saddle_lr_AdaGrad=0.02, saddle_lr_RMSprop=0.02,
            saddle_lr_Adam=0.02,
            momentum=0.9, rmsprop_alpha=0.9, adam_betas="0.9,0.999", grid_points=201,
            sweep_lr_min=0.02, sweep_lr_max=1.2, sweep_runs=60, sweep_diverge_factor=4.0)
def optimizers(settings: dict, ctx: Context):
    """The five optimizers on the textbook surface x²/20 + y², on Beale and on the saddle x² − y².

    ``textbook_sweep/*``: SGD on the textbook surface from the same start for ``textbook_steps`` steps with a grid
    of ``sweep_runs`` rates from ``sweep_lr_min`` to ``sweep_lr_max`` (one batched program; a run is stopped once
    its loss exceeds ``sweep_diverge_factor`` × its start); the course page's learning-rate explorer draws them."""
    out: dict = {"names": list(OPTIMIZER_NAMES)}
    b1, b2 = numbers(settings["adam_betas"])
    options = {"Momentum": {"momentum": settings["momentum"]}, "RMSprop": {"alpha": settings["rmsprop_alpha"]},
               "Adam": {"betas": (b1, b2)}}
    for i, (surface, prefix) in enumerate((("textbook", "textbook"), ("beale", "beale"), ("saddle", "saddle"))):
        kwargs = {}
        if surface == "saddle":
            kwargs = {"bound": settings["saddle_box"], "diverge_factor": float("inf")}  # stop on leaving the box
        start = numbers(settings[f"{prefix}_start"])
        lrs = per_optimizer(settings, f"{prefix}_lr")
        for name in OPTIMIZER_NAMES:
            out.update(race_one(surface, start, name, lrs[name], settings[f"{prefix}_steps"], ctx, prefix,
                                **options.get(name, {}), **kwargs))
        add_grid(out, surface, prefix, settings["grid_points"])
        ctx.progress(i + 1, 3, surface)
    sweep_lrs = torch.linspace(settings["sweep_lr_min"], settings["sweep_lr_max"], settings["sweep_runs"],
                               dtype=ctx.dtype)
    starts = torch.tensor([numbers(settings["textbook_start"])] * len(sweep_lrs), dtype=ctx.dtype)
    sweep = run_paths(as_loss(SURFACES["textbook"].fn), starts, sweep_lrs, "SGD", settings["textbook_steps"],
                      diverge_factor=settings["sweep_diverge_factor"], dtype=ctx.dtype, device=ctx.device)
    out.update({"textbook_sweep/lrs": sweep_lrs, "textbook_sweep/path": sweep.params,   # (steps + 1, runs, 2)
                "textbook_sweep/loss": sweep.loss, "textbook_sweep/diverged": sweep.diverged,
                "textbook_sweep/last": sweep.last})
    info = {"optimizers": {name: optimizer_options(name, **options.get(name, {})) for name in OPTIMIZER_NAMES},
            "saddle": "a run stops (flag saddle_stopped) when it leaves the box |x|, |y| ≤ saddle_box",
            "reference": "Saito ch. 6 textbook comparison, extended with RMSprop (lr disclosed in settings)"}
    return out, info


def race_one(surface, start, name, lr, steps, ctx, prefix, **kwargs) -> dict:
    paths = run_paths(as_loss(SURFACES[surface].fn), [start], lr, name, steps, dtype=ctx.dtype, device=ctx.device,
                      **kwargs)
    return {f"{prefix}/{name}": paths.params[:, 0], f"{prefix}_loss/{name}": paths.loss[:, 0],
            f"{prefix}_grad/{name}": paths.grad[:, 0], f"{prefix}_stopped/{name}": paths.diverged[0],
            f"{prefix}_last/{name}": paths.last[0], f"{prefix}_lr/{name}": torch.tensor(lr, dtype=ctx.dtype)}


@experiment("optimizers-mnist", topic="optimizers", seed=0, threads=1, iterations=300, batch=128, width=100,
            hidden_layers=4, init="he", activation="relu", lr_SGD=0.01, lr_Momentum=0.01, lr_AdaGrad=0.01,
            lr_RMSprop=0.001, lr_Adam=0.001, momentum=0.9, rmsprop_alpha=0.9, data="", eval_every=25)
def optimizers_mnist(settings: dict, ctx: Context):
    """The five optimizers each training the same MNIST network (784 → 4 × 100 → 10, ReLU, He), same batches."""
    ds = data.mnist(settings["data"])
    x, y = ds.train.x.to(ctx.device), ds.train.y.to(ctx.device)
    sizes = [x.shape[1]] + [settings["width"]] * settings["hidden_layers"] + [ds.classes]
    iterations, batch = settings["iterations"], settings["batch"]
    options = {"Momentum": {"momentum": settings["momentum"]}, "RMSprop": {"alpha": settings["rmsprop_alpha"]}}
    models, opts = {}, {}
    for name in OPTIMIZER_NAMES:
        gen = torch.Generator().manual_seed(ctx.seed)          # the same initial weights for all five
        models[name] = nets.make_mlp(sizes, settings["activation"], settings["init"], generator=gen).to(ctx.device)
        opts[name] = make_optimizer(name, [{"params": list(models[name].parameters()), "lr": settings[f"lr_{name}"]}],
                                    **options.get(name, {}))
    loss = torch.zeros(iterations, len(OPTIMIZER_NAMES))
    evals = list(range(0, iterations + 1, settings["eval_every"]))
    if evals[-1] != iterations:
        evals.append(iterations)
    full_loss = torch.zeros(len(evals), len(OPTIMIZER_NAMES))
    full_acc = torch.zeros(len(evals), len(OPTIMIZER_NAMES))
    for it in range(iterations + 1):
        if it in evals:
            row = evals.index(it)
            for j, name in enumerate(OPTIMIZER_NAMES):
                full_loss[row, j], full_acc[row, j] = nets.evaluate(models[name], x, y)
        if it == iterations:
            break
        idx = torch.randint(0, len(x), (batch,), generator=ctx.generator).to(ctx.device)  # Saito: random batch
        for j, name in enumerate(OPTIMIZER_NAMES):
            step_loss = torch.nn.functional.cross_entropy(models[name](x[idx]), y[idx])
            opts[name].zero_grad()
            step_loss.backward()
            opts[name].step()
            loss[it, j] = step_loss.detach()
        if it % 20 == 0:
            ctx.progress(it, iterations, "training")
    info = {"data": ds.source, "network": f"{' → '.join(map(str, sizes))}, {settings['activation']}, {settings['init']} init",
            "optimizers": {name: optimizer_options(name, **options.get(name, {})) for name in OPTIMIZER_NAMES},
            "loss": "cross-entropy of each training mini-batch; full_loss/full_acc on all training digits",
            "paper_scale": "Saito uses 2000 iterations: --set optimizers-mnist.iterations=2000"}
    return {"names": list(OPTIMIZER_NAMES), "iteration": torch.arange(1, iterations + 1), "loss": loss,
            "eval_iteration": torch.tensor(evals), "full_loss": full_loss, "full_acc": full_acc}, info


# --- claims (deterministic paths on fixed surfaces: one "seed") -------------------------------------------------

def claim_race_sgd_zigzag(results):
    """On x²/20 + y² SGD (η = 0.95) zig-zags along y: y changes sign at every update."""
    res = results["optimizers"]
    y = np.asarray(res["textbook/SGD"])[:, 1]
    changes = int(np.sum(np.sign(y[1:]) * np.sign(y[:-1]) < 0))
    return measured(changes == len(y) - 1, sign_changes=changes, updates=len(y) - 1)


def claim_race_momentum_swings(results):
    """Momentum overshoots along y and swings back: y crosses 0 and reaches below −¼ of its start, then crosses
    back and rises above +¼ of it."""
    res = results["optimizers"]
    y = np.asarray(res["textbook/Momentum"])[:, 1]
    y0 = abs(float(y[0]))
    below = np.flatnonzero(np.sign(y) != np.sign(y[0]))
    first = int(below[0]) if len(below) else len(y)
    low = y[first:]
    dip = float(np.min(np.sign(y[0]) * low)) if len(low) else 0.0                 # most negative, in start's sign
    after = int(first + np.argmin(np.sign(y[0]) * low)) if len(low) else len(y)
    back = float(np.max(np.sign(y[0]) * y[after:])) if after < len(y) else 0.0
    return measured(dip < -0.25 * y0 and back > 0.25 * y0, overshoot=dip / y0, swing_back=back / y0)


def claim_race_adagrad_lowest(results):
    """After the textbook's updates AdaGrad ends with the lowest loss of the five."""
    res = results["optimizers"]
    names = [str(n) for n in res["names"]]
    ends = {n: float(np.asarray(res[f"textbook_loss/{n}"])[-1]) for n in names}
    others = min(v for n, v in ends.items() if n != "AdaGrad")
    return measured(ends["AdaGrad"] < others, adagrad=ends["AdaGrad"], lowest_other=others)


def claim_saddle_sgd_stays(results):
    """At the saddle x² − y², SGD is still within 0.05 of the saddle point after all its steps (never leaves the box)."""
    res = results["optimizers"]
    end = np.asarray(res["saddle/SGD"])[int(res.scalar("saddle_last/SGD"))]
    dist = float(np.linalg.norm(end))
    return measured(not bool(res.scalar("saddle_stopped/SGD")) and dist < 0.05, distance=dist)


def claim_saddle_escape_order(results):
    """RMSprop leaves the box first, then Adam, then Momentum, each before the last step."""
    res = results["optimizers"]
    order = ("RMSprop", "Adam", "Momentum")
    stopped = all(bool(res.scalar(f"saddle_stopped/{n}")) for n in order)
    steps = [int(res.scalar(f"saddle_last/{n}")) for n in order]
    return measured(stopped and steps[0] < steps[1] < steps[2], **{n: s for n, s in zip(order, steps)})


def claim_saddle_adagrad_inside(results):
    """AdaGrad is still inside the box after all the steps, its steps shrinking as squared gradients pile up
    (the mean step of the last quarter below half the first quarter's)."""
    res = results["optimizers"]
    path = np.asarray(res["saddle/AdaGrad"])
    inside = not bool(res.scalar("saddle_stopped/AdaGrad")) and bool(np.all(np.isfinite(path)))
    steps = np.linalg.norm(np.diff(path[np.all(np.isfinite(path), axis=1)], axis=0), axis=1)
    q = max(1, len(steps) // 4)
    first, last = float(steps[:q].mean()), float(steps[-q:].mean())
    return measured(inside and last < 0.5 * first, first_quarter_step=first, last_quarter_step=last)
