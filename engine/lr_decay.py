"""Chapter 11 — learning-rate decay η_t = η0·10^(−t/n) against a constant η.

The schedule is torch.optim.lr_scheduler.LambdaLR with λ(t) = 10^(−t/n); the
optimizer is torch.optim.SGD.  Two settings: noisy gradients on the surface
x1² + 2x2² (many repeats, batched as one tensor program) and one real training
run (scikit-learn's digits, a small ReLU network).
"""
from __future__ import annotations

import numpy as np
import torch

from . import data, nets
from .claims import Measured, measured
from .core import Context, experiment
from .optim_paths import SURFACES, as_loss, grid, run_paths
from .settings import numbers

SCHEDULES = ("constant", "decay")


@experiment("lr-decay", topic="lr-decay", seed=3, surface="quadratic", start="-5,-2", lr0=0.1, decay_n=50.0,
            steps=100, grad_noise=1.0, repeats=256, optimizer="torch.optim.SGD", grid_points=161)
def lr_decay(settings: dict, ctx: Context):
    """SGD with noisy gradients on x1² + 2x2²: constant η against η0·10^(−t/n), each repeated with fresh noise."""
    reps = settings["repeats"]
    start = torch.tensor(numbers(settings["start"]), dtype=ctx.dtype)
    starts = start.expand(2 * reps, -1)
    # runs 0 … reps−1: constant η; runs reps … 2·reps−1: decaying η (one LambdaLR, one λ per param group)
    decay = torch.cat([torch.zeros(reps), torch.full((reps,), settings["decay_n"])]).to(ctx.dtype)
    paths = run_paths(as_loss(SURFACES[settings["surface"]].fn), starts, settings["lr0"], "SGD", settings["steps"],
                      decay_n=decay, grad_noise=settings["grad_noise"], generator=ctx.generator, dtype=ctx.dtype,
                      device=ctx.device)
    ctx.progress(1, 1, "paths")
    out = {"schedules": list(SCHEDULES), "step": torch.arange(settings["steps"] + 1)}
    for k, name in enumerate(SCHEDULES):
        rows = slice(k * reps, (k + 1) * reps)
        out[f"path/{name}"] = paths.params[:, k * reps]        # the first repeat, drawn as the example path
        out[f"loss/{name}"] = paths.loss[:, k * reps]
        out[f"lr/{name}"] = paths.lr[:, k * reps]
        out[f"mean_loss/{name}"] = paths.loss[:, rows].mean(dim=1)   # over all repeats
        out[f"final_loss/{name}"] = paths.loss[-1, rows]
        out[f"final_dist/{name}"] = paths.params[-1, rows].norm(dim=1)
    for key, value in grid(settings["surface"], settings["grid_points"]).items():
        out[f"grid/{key}"] = value
    return out, {"noise": "each gradient gets N(0, grad_noise²) noise per coordinate (as d2l simulates SGD)",
                 "schedule": "torch.optim.lr_scheduler.LambdaLR, λ(t) = 10^(−t/n) per update"}


@experiment("lr-decay-training", topic="lr-decay", seed=5, threads=1, lr0=0.8, decay_n=600.0, iterations=900, batch=32,
            width=100, hidden_layers=2, init="he", activation="relu", test_share=0.2, eval_every=30,
            optimizer="torch.optim.SGD", data="scikit-learn digits")
def lr_decay_training(settings: dict, ctx: Context):
    """One network trained on scikit-learn's digits with SGD: constant η against η0·10^(−t/n), the same batches."""
    ds = data.digits()
    test_idx, train_idx = data.shuffled_split(len(ds.train.x), (settings["test_share"], 1 - settings["test_share"]),
                                              ctx.seed)
    x, y = ds.train.x[train_idx].to(ctx.device), ds.train.y[train_idx].to(ctx.device)
    xt, yt = ds.train.x[test_idx].to(ctx.device), ds.train.y[test_idx].to(ctx.device)
    sizes = [x.shape[1]] + [settings["width"]] * settings["hidden_layers"] + [ds.classes]
    iterations = settings["iterations"]
    models, opts, scheds = [], [], []
    for name in SCHEDULES:
        gen = torch.Generator().manual_seed(ctx.seed)               # the same initial weights for both
        model = nets.make_mlp(sizes, settings["activation"], settings["init"], generator=gen).to(ctx.device)
        opt = torch.optim.SGD(model.parameters(), lr=settings["lr0"])
        n = settings["decay_n"]
        scheds.append(torch.optim.lr_scheduler.LambdaLR(opt, (lambda t: 1.0) if name == "constant"
                                                        else (lambda t, n=n: 10.0 ** (-t / n))))
        models.append(model)
        opts.append(opt)
    loss = torch.zeros(iterations, 2)
    lrs = torch.zeros(iterations, 2)
    evals = list(range(0, iterations + 1, settings["eval_every"]))
    test_loss = torch.zeros(len(evals), 2)
    test_acc = torch.zeros(len(evals), 2)
    train_loss = torch.zeros(len(evals), 2)
    batches = iter(())
    for it in range(iterations + 1):
        if it in evals:
            row = evals.index(it)
            for k, model in enumerate(models):
                test_loss[row, k], test_acc[row, k] = nets.evaluate(model, xt, yt)
                train_loss[row, k] = nets.evaluate(model, x, y)[0]
        if it == iterations:
            break
        idx = next(batches, None)
        if idx is None:
            batches = nets.minibatches(len(x), settings["batch"], ctx.generator, drop_last=True)
            idx = next(batches)
        for k in range(2):
            step_loss = torch.nn.functional.cross_entropy(models[k](x[idx]), y[idx])
            opts[k].zero_grad()
            step_loss.backward()
            lrs[it, k] = opts[k].param_groups[0]["lr"]
            opts[k].step()
            scheds[k].step()
            loss[it, k] = step_loss.detach()
        if it % 50 == 0:
            ctx.progress(it, iterations, "training")
    return ({"schedules": list(SCHEDULES), "iteration": torch.arange(1, iterations + 1), "loss": loss, "lr": lrs,
             "eval_iteration": torch.tensor(evals), "test_loss": test_loss, "test_acc": test_acc,
             "train_loss": train_loss},
            {"data": f"{ds.source}: {len(x)} train / {len(xt)} test",
             "network": f"{' → '.join(map(str, sizes))}, {settings['activation']}, {settings['init']} init",
             "schedule": "torch.optim.lr_scheduler.LambdaLR, λ(t) = 10^(−t/n) per iteration"})


# --------------------------------------------------------------------------- claims
def claim_decay_settles(results) -> Measured:
    """With noisy gradients a decaying rate ends, on average over the repeats, at a lower loss than a constant
    one (less than half); the share of repeats where it does is reported (it is not every repeat)."""
    r = results["lr-decay"]
    const, decay = r["final_loss/constant"], r["final_loss/decay"]
    share = float(np.mean(decay < const))
    return measured(decay.mean() < 0.5 * const.mean() and share > 0.5, mean_constant=const.mean(),
                    mean_decay=decay.mean(), share_lower=share, repeats=len(const))
