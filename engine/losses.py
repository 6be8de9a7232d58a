"""Chapter 10 — the two losses of the slides, MSE and cross-entropy (손실함수), and what their gradients do.

* **the curves**: for one sample with the correct label y = 1 and a sigmoid output p = σ(z), the squared error
  ½(1 − p)² (the slides' J = (1/2n) Σ (y − o)² for n = 1) and the cross-entropy −log p, and their gradients
  ∂L/∂z with respect to the pre-activation z, all by autograd, as functions of p;
* **the training race**: one classifier, softmax regression on scikit-learn's digits (64 → 10, softmax output),
  trained from the same large initial weights (many samples start wrong and confident) with the same mini-batch
  SGD and learning rate, once on the mean squared error ½ Σ_k (y_k − p_k)² of the softmax output and once on the
  cross-entropy −log p_y.  After every epoch: which of the samples that started wrong and confident (probability
  of the correct label below ``confident_below``) are still wrong, and the accuracy on all samples.

``seeds`` runs (seed ``ctx.seed + k``: initial weights and mini-batch order, shared by both losses), all seeds ×
both losses as one tensor program; k = 0 is the lecture's.
"""
from __future__ import annotations

import numpy as np
import torch

from .claims import Measured, per_seed
from .core import Context, experiment
from .data import digits

LOSSES = ("mse", "ce")


def loss_of(name: str, p: torch.Tensor, onehot: torch.Tensor) -> torch.Tensor:
    """Per-sample loss of the softmax output ``p`` (…, classes): MSE ½ Σ_k (y_k − p_k)², or −Σ_k y_k log p_k."""
    if name == "mse":
        return 0.5 * ((onehot - p) ** 2).sum(-1)
    return -(onehot * torch.log(p.clamp_min(1e-300))).sum(-1)


@experiment("losses", topic="losses", seed=0, threads=1, curve_points=199, model="softmax regression",
            init_std=1.0, optimizer="SGD", lr=0.5, batch=64, epochs=30, confident_below=0.05, seeds=5)
def losses(settings: dict, ctx: Context):
    """MSE and cross-entropy and their gradients against p; one classifier trained with each from one start."""
    dt = torch.float64
    # --- the curves, by autograd: z over the logits whose σ(z) spans (0.005, 0.995)
    m = settings["curve_points"]
    p_grid = torch.linspace(0.005, 0.995, m, dtype=dt)
    z = torch.log(p_grid / (1 - p_grid)).requires_grad_(True)
    p = torch.sigmoid(z)
    curves = {}
    for name in LOSSES:
        # binary output: the loss of the one output unit, target 1
        value = 0.5 * (1 - p) ** 2 if name == "mse" else -torch.log(p)
        (grad,) = torch.autograd.grad(value.sum(), z, retain_graph=True)
        curves[f"curve/{name}"] = value.detach()
        curves[f"curve/grad/{name}"] = grad
        curves[f"curve/grad_size/{name}"] = grad.abs()
    ctx.progress(1, 3, "curves")

    # --- the race: every seed × loss as one stacked softmax regression
    data = digits()
    x, y = data.train.x.to(dt), data.train.y
    n, d = x.shape
    classes = data.classes
    onehot = torch.nn.functional.one_hot(y, classes).to(dt)
    seeds, epochs, batch = settings["seeds"], settings["epochs"], settings["batch"]
    seed_values = [ctx.seed + k for k in range(seeds)]
    gens = [torch.Generator().manual_seed(s) for s in seed_values]
    W0 = torch.stack([settings["init_std"] * torch.randn(d, classes, generator=g, dtype=dt) for g in gens])
    runs = 2 * seeds                                   # run r: loss r // seeds, seed r % seeds
    W = W0.repeat(2, 1, 1).clone().requires_grad_(True)
    b = torch.zeros(runs, 1, classes, dtype=dt, requires_grad=True)
    opt = getattr(torch.optim, settings["optimizer"])([W, b], lr=settings["lr"])
    which = [LOSSES[r // seeds] for r in range(runs)]

    def probs(xb):
        return torch.softmax(torch.matmul(xb, W) + b, dim=-1)   # (runs, batch, classes)

    p_correct = torch.zeros(runs, epochs + 1, n, dtype=dt)
    wrong = torch.zeros(runs, epochs + 1, n, dtype=torch.bool)
    mean_loss = torch.zeros(runs, epochs + 1, dtype=dt)

    def record(epoch: int):
        with torch.no_grad():
            pr = probs(x)                                          # (runs, n, classes)
            p_correct[:, epoch] = pr[:, torch.arange(n), y]
            wrong[:, epoch] = pr.argmax(-1) != y
            for r in range(runs):
                mean_loss[r, epoch] = loss_of(which[r], pr[r], onehot).mean()

    record(0)
    sel = torch.tensor([r // seeds == 0 for r in range(runs)])       # the MSE runs
    for epoch in range(1, epochs + 1):
        orders = [torch.randperm(n, generator=g) for g in gens]
        order = torch.stack(orders * 2)                               # both losses see the same mini-batches
        for start in range(0, n, batch):
            idx = order[:, start:start + batch]                       # (runs, b)
            xb = x[idx]                                               # (runs, b, d)
            pr = torch.softmax(torch.bmm(xb, W) + b, dim=-1)
            yb = onehot[idx]
            per_run = torch.where(sel, loss_of("mse", pr, yb).mean(1), loss_of("ce", pr, yb).mean(1))
            opt.zero_grad()
            per_run.sum().backward()                                  # each run its own gradient
            opt.step()
        record(epoch)
        if epoch % 10 == 0:
            ctx.progress(1 + epoch / epochs, 3, "training")

    start_wc = (p_correct[:, 0] < settings["confident_below"]) & wrong[:, 0]         # (runs, n): the same set for both losses
    count = start_wc[:seeds].sum(1)                                                   # (seeds,)
    still = (wrong & start_wc.unsqueeze(1)).sum(2).to(dt) / count.repeat(2).unsqueeze(1).to(dt)  # (runs, epochs + 1)
    acc = 1 - wrong.to(dt).mean(2)

    def first_below(frac: torch.Tensor, level: float) -> torch.Tensor:
        """The first epoch at which the fraction still wrong is at most ``level`` (epochs + 1: never)."""
        below = frac <= level
        return torch.where(below.any(1), below.to(torch.int64).argmax(1), torch.full((len(frac),), epochs + 1))

    half = first_below(still, 0.5)
    out = {"p": p_grid, **curves, "epoch": torch.arange(epochs + 1), "losses": list(LOSSES),
           "seed_values": torch.tensor(seed_values), "n": torch.tensor(n),
           "seeds/start_count": count}
    for i, name in enumerate(LOSSES):
        rows = slice(i * seeds, (i + 1) * seeds)
        out[f"seeds/still_wrong/{name}"] = still[rows]
        out[f"seeds/acc/{name}"] = acc[rows]
        out[f"seeds/loss/{name}"] = mean_loss[rows]
        out[f"seeds/half_epoch/{name}"] = half[rows]
        # the wrong-and-confident samples' probability of the correct label, lecture seed: median per epoch
        pc = p_correct[i * seeds][:, start_wc[0]]
        out[f"start_wc/p_median/{name}"] = pc.median(1).values
        out[f"still_wrong/{name}"] = still[i * seeds]
        out[f"acc/{name}"] = acc[i * seeds]
        out[f"half_epoch/{name}"] = half[i * seeds]
    out["start_count"] = count[0]
    # the lecture seed's start, for the figure: how confident the wrong predictions are
    out["start/p_correct"] = p_correct[0, 0]
    out["start/wrong"] = wrong[0, 0]
    return out, {"curves": "one sigmoid output, target 1: MSE ½(1 − p)², cross-entropy −log p; ∂L/∂z by autograd",
                 "data": data.source + f", all {n} used for training",
                 "model": f"softmax regression 64 → 10, initial weights N(0, {settings['init_std']}²), zero biases",
                 "losses": "MSE: mean of ½ Σ_k (y_k − p_k)²; cross-entropy: mean of −log p_y; same start, same "
                           f"mini-batches, {settings['optimizer']} η = {settings['lr']}",
                 "wrong_and_confident": f"wrong at the start with p(correct label) < {settings['confident_below']}",
                 "seeds": f"{seeds} runs (seeds {seed_values[0]}…{seed_values[-1]}: initial weights, mini-batch order)"}


# --------------------------------------------------------------------------- claims
def claim_mse_gradient_vanishes(results) -> Measured:
    """For a sigmoid output with the correct label 1: as p → 0 (confidently wrong) the MSE gradient |∂L/∂z| falls
    towards 0 while the cross-entropy's approaches 1; the cross-entropy's is the larger for every p < 1."""
    res = results["losses"]
    p, mse, ce = res["p"], np.abs(res["curve/grad/mse"]), np.abs(res["curve/grad/ce"])
    low = p <= 0.05
    holds = bool(np.all(ce > mse) and mse[low].max() < 0.05 and ce[low].min() > 0.9)
    from .claims import measured

    return measured(holds, mse_grad_at_lowest_p=mse[0], ce_grad_at_lowest_p=ce[0], mse_max=mse.max())


def claim_ce_corrects_faster(results) -> Measured:
    """Trained from the same start on the same mini-batches, cross-entropy halves the wrong-and-confident samples in
    fewer epochs than MSE, and after the last epoch fewer of them are still wrong, in every seed."""
    res = results["losses"]
    h_mse, h_ce = res["seeds/half_epoch/mse"], res["seeds/half_epoch/ce"]
    last_mse, last_ce = res["seeds/still_wrong/mse"][:, -1], res["seeds/still_wrong/ce"][:, -1]
    holds = (h_ce < h_mse) & (last_ce < last_mse)
    return per_seed(res["seed_values"].tolist(), holds, half_epoch_ce=h_ce, half_epoch_mse=h_mse,
                    still_wrong_ce=last_ce, still_wrong_mse=last_mse, start_count=res["seeds/start_count"])


def claim_ce_unbounded_mse_bounded(results) -> Measured:
    """Over the computed p (down to its smallest value) the MSE ½(1 − p)² stays at most 0.5 while the cross-entropy
    −log p at the smallest p is more than ten times the MSE's largest value (and grows as p falls)."""
    from .claims import measured

    res = results["losses"]
    mse, ce = res["curve/mse"], res["curve/ce"]
    holds = bool(mse.max() <= 0.5 and ce[0] > 10 * mse.max() and np.all(np.diff(ce) < 0))
    return measured(holds, mse_max=mse.max(), ce_at_lowest_p=ce[0], lowest_p=res["p"][0])
