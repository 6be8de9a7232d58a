"""Chapter 14 — 하이퍼파라미터의 탐색: a coarse random search, then a finer search in the best region.

Saito's protocol (ch. 6): a few hundred MNIST training images, a ReLU network, SGD with weight decay
(0.5·λ·ΣW² added to the loss, biases excluded), the learning rate η = 10^U(−6, −2) and λ = 10^U(−8, −4)
drawn at random, trials ranked by validation accuracy after the last epoch.  Then the box spanned (in
log10 η and log10 λ) by the best ``refine_top`` share of the coarse trials — the best 5 of 100 — is
searched again with ``fine_trials`` trials.  The textbook describes this second stage in words only; the
share and the count are this project's.

``seeds`` independent searches (seeds ``ctx.seed + k``: their draws, initial weights and mini-batch
orders; one train/validation split) run together; the figures show seed ``ctx.seed``, and the claims
below are judged on every seed.

All trials of one stage train together as one tensor program: the weights of every trial are stacked
(``(trials, n_in, n_out)``, :func:`engine.stacked_mlp.stacked_weights`), the forward pass is a batched
matrix product, autograd gives every trial's gradients at once (the summed loss separates), and the
SGD-with-weight-decay step is written out with a per-trial η and λ: W ← W − η(∇W + λW), b ← b − η∇b,
exactly what ``torch.optim.SGD(weight_decay=λ)`` does to the weights of one network (tested).  Every
trial of one search sees the same mini-batches.  Defaults fit this CPU; Saito's network is
``--set hyperparameter-search.hidden=100 --set hyperparameter-search.hidden_layers=6``.
"""
from __future__ import annotations

import numpy as np
import torch

from .claims import per_seed
from .core import Context, EngineError, experiment
from .data import data_label, mnist, mnist_source, shuffled_split
from .stacked_mlp import stacked_forward, stacked_loss, stacked_weights


def sample_log_uniform(n: int, low: float, high: float, generator: torch.Generator) -> torch.Tensor:
    """10^U(low, high), ``n`` draws (float64)."""
    return 10.0 ** (low + (high - low) * torch.rand(n, generator=generator, dtype=torch.float64))


@torch.no_grad()
def stacked_accuracy(params: list[torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    logits = stacked_forward(params, x, "relu")
    return (logits.argmax(-1) == y.unsqueeze(0)).to(torch.float64).mean(1)


def train_stacked(params: list[torch.Tensor], lrs: torch.Tensor, wds: torch.Tensor, x_tr: torch.Tensor,
                  y_tr: torch.Tensor, x_va: torch.Tensor, y_va: torch.Tensor, epochs: int, batch: int,
                  generator: torch.Generator | list[torch.Generator]) -> dict[str, torch.Tensor]:
    """SGD with per-trial learning rate and weight decay on stacked networks (weights and biases alternate
    in ``params``; weights decay, biases do not).  Returns per-epoch train/validation accuracy, shape
    ``(trials, epochs)``.

    ``generator`` orders the mini-batches of every trial; a list of S generators splits the trials into S
    equal consecutive blocks (the seeds of the search), block s drawing its own order from generator s —
    S independent searches as one tensor program."""
    runs = params[0].shape[0]
    gens = generator if isinstance(generator, (list, tuple)) else [generator]
    groups = len(gens)
    if runs % groups:
        raise EngineError(f"{runs} trials do not split into {groups} equal blocks")
    per = runs // groups
    dtype = params[0].dtype
    lr = lrs.to(dtype)
    wd = wds.to(dtype)
    train_acc = torch.zeros(runs, epochs, dtype=torch.float64)
    val_acc = torch.zeros(runs, epochs, dtype=torch.float64)
    n = len(x_tr)
    for epoch in range(epochs):
        orders = torch.stack([torch.randperm(n, generator=g) for g in gens])            # (groups, n)
        for start in range(0, n, batch):
            idx = orders[:, start:start + batch].to(x_tr.device)
            if groups == 1:   # one order for every trial: the batch is expanded, not copied
                xb, yb = x_tr[idx[0]], y_tr[idx[0]]
            else:             # block s sees its own batch: (groups, b, n_in) → (groups·per, b, n_in)
                b = idx.shape[1]
                xb = x_tr[idx].unsqueeze(1).expand(groups, per, b, x_tr.shape[1]).reshape(runs, b, x_tr.shape[1])
                yb = y_tr[idx].unsqueeze(1).expand(groups, per, b).reshape(runs, b)
            loss = stacked_loss(stacked_forward(params, xb, "relu"), yb)
            for p in params:
                p.grad = None
            loss.sum().backward()  # trial r's loss depends on trial r's weights only
            with torch.no_grad():
                for i, p in enumerate(params):
                    if p.grad is None:
                        continue
                    if i % 2 == 0:  # a weight (trials, n_in, n_out): decays
                        p.sub_(lr.view(-1, 1, 1) * (p.grad + wd.view(-1, 1, 1) * p))
                    else:           # a bias (trials, n_out)
                        p.sub_(lr.view(-1, 1) * p.grad)
        train_acc[:, epoch] = stacked_accuracy(params, x_tr, y_tr)
        val_acc[:, epoch] = stacked_accuracy(params, x_va, y_va)
    return {"train_acc": train_acc, "val_acc": val_acc}


def refine_box(log_lr: torch.Tensor, log_wd: torch.Tensor, final: torch.Tensor, top: int) -> torch.Tensor:
    """The box (log10 η low, high, log10 λ low, high) spanned by the ``top`` coarse trials of the highest
    final validation accuracy (ties: the earlier trial), and their indices."""
    best = torch.argsort(final, descending=True, stable=True)[:top]
    return torch.stack([log_lr[best].min(), log_lr[best].max(), log_wd[best].min(), log_wd[best].max()]), best


@experiment("hyperparameter-search", topic="hyperparameter-search", seed=0, threads=1, train_size=400, val_size=100,
            hidden=32, hidden_layers=2, init="he", epochs=50, batch=100, trials=100, fine_trials=50,
            lr_range=[-6.0, -2.0], wd_range=[-8.0, -4.0], refine_top=0.05, split_seed=0, show=20, seeds=5)
def hyperparameter_search(settings: dict, ctx: Context):
    """Coarse random search of (η, λ), then a finer one in the box of the best coarse trials; ``seeds``
    independent searches (draws, initial weights, mini-batch orders), all trials of a stage batched."""
    source = mnist_source()
    data = mnist(source)
    n = len(data.train.x)
    tr_n, va_n = settings["train_size"], settings["val_size"]
    if tr_n + va_n > n:
        raise EngineError(f"train_size + val_size = {tr_n + va_n} exceeds the {n} MNIST images")
    tr, va, _ = shuffled_split(n, (tr_n / n, va_n / n, 1 - (tr_n + va_n) / n), settings["split_seed"])
    dev = ctx.device
    x_tr, y_tr = data.train.x[tr].to(dev), data.train.y[tr].to(dev)
    x_va, y_va = data.train.x[va].to(dev), data.train.y[va].to(dev)
    sizes = [784] + [settings["hidden"]] * settings["hidden_layers"] + [10]
    seeds = settings["seeds"]
    seed_values = [ctx.seed + k for k in range(seeds)]
    # search k draws everything (η, λ, initial weights, mini-batch orders) from the generator of seed ctx.seed + k,
    # in the order one search alone would: the seeds are independent searches, run as one tensor program
    gens = [torch.Generator().manual_seed(s) for s in seed_values]

    def stage(count: int, boxes: list[list[float]], label: str):
        """``count`` trials per seed, seed k's drawn in ``boxes[k]``: (lrs, wds, curves), trials seed-major."""
        lrs, wds, params = [], [], []
        for gen, (lr_lo, lr_hi, wd_lo, wd_hi) in zip(gens, boxes):
            lrs.append(sample_log_uniform(count, lr_lo, lr_hi, gen))
            wds.append(sample_log_uniform(count, wd_lo, wd_hi, gen))
            params.append(stacked_weights(sizes, count, settings["init"], gen, device=dev))
        stacked = [torch.cat(ps).detach().requires_grad_(True) for ps in zip(*params)]
        lrs, wds = torch.cat(lrs), torch.cat(wds)
        curves = train_stacked(stacked, lrs, wds, x_tr, y_tr, x_va, y_va, settings["epochs"], settings["batch"], gens)
        ctx.progress(1, 1, label)
        return lrs.view(seeds, count), wds.view(seeds, count), {k: v.view(seeds, count, -1) for k, v in curves.items()}

    T, F = settings["trials"], settings["fine_trials"]
    full = [*settings["lr_range"], *settings["wd_range"]]
    c_lr, c_wd, coarse = stage(T, [full] * seeds, "coarse search")
    c_final = coarse["val_acc"][:, :, -1]                                          # (seeds, trials)
    top = max(1, int(round(settings["refine_top"] * T)))
    boxes, bests = zip(*(refine_box(torch.log10(c_lr[k]), torch.log10(c_wd[k]), c_final[k], top) for k in range(seeds)))
    regions = torch.stack(boxes)                                                   # (seeds, 4)
    f_lr, f_wd, fine = stage(F, regions.tolist(), "fine search")
    f_final = fine["val_acc"][:, :, -1]
    lrs, wds = torch.cat([c_lr, f_lr], 1), torch.cat([c_wd, f_wd], 1)              # (seeds, T + F)
    val, train = torch.cat([coarse["val_acc"], fine["val_acc"]], 1), torch.cat([coarse["train_acc"], fine["train_acc"]], 1)
    final = val[:, :, -1]
    span = torch.tensor([full[1] - full[0], full[3] - full[2]], dtype=regions.dtype)
    box_share = (regions[:, 1] - regions[:, 0]) * (regions[:, 3] - regions[:, 2]) / (span[0] * span[1])
    seed_arrays = {"lr": lrs, "wd": wds, "final_val": final, "region": regions, "coarse_best": torch.stack(bests),
                   "coarse_best_val": c_final.max(1).values, "fine_best_val": f_final.max(1).values,
                   "coarse_median_val": c_final.median(1).values, "fine_median_val": f_final.median(1).values,
                   "box_share": box_share, "box_lr_decades": regions[:, 1] - regions[:, 0],
                   "box_wd_decades": regions[:, 3] - regions[:, 2]}
    # the lecture's search is seed k = 0: its arrays under the names the figures read
    k = 0
    stage_of = torch.cat([torch.zeros(T, dtype=torch.long), torch.ones(F, dtype=torch.long)])
    ranking = torch.argsort(final[k], descending=True, stable=True)
    out = {"lr": lrs[k], "wd": wds[k], "stage": stage_of, "val_acc": val[k], "train_acc": train[k],
           "final_val": final[k], "ranking": ranking, "best": ranking[:settings["show"]], "region": regions[k],
           "coarse_best": bests[k], "epoch": torch.arange(1, settings["epochs"] + 1),
           "best_val": final[k, ranking[0]], "best_lr": lrs[k, ranking[0]], "best_wd": wds[k, ranking[0]],
           "coarse_best_val": c_final[k].max(), "fine_best_val": f_final[k].max(),
           "fine_median_val": f_final[k].median(), "coarse_median_val": c_final[k].median(),
           "box_share": box_share[k], "seed_values": torch.tensor(seed_values)}
    out.update({f"seeds/{name}": value for name, value in seed_arrays.items()})
    return out, {
        "data": data.source,
        "data_label": data_label(source, n, len(data.test.x) if data.test is not None else None),
        "split": f"{tr_n} train / {va_n} validation images, drawn with seed {settings['split_seed']}",
        "network": f"784 → {settings['hidden']} × {settings['hidden_layers']} (ReLU) → 10, {settings['init']} init",
        "optimizer": "SGD, W ← W − η(∇W + λW), b ← b − η∇b (weight decay 0.5·λ·ΣW² on weights only), "
                     f"batch {settings['batch']}, {settings['epochs']} epochs, the same mini-batches for every trial "
                     "of one search",
        "search": f"coarse: {T} trials, log10 η ~ U{tuple(settings['lr_range'])}, "
                  f"log10 λ ~ U{tuple(settings['wd_range'])}; fine: {F} trials, uniform in log10 "
                  f"over the box spanned by the best {top} coarse trials",
        "seeds": f"{seeds} independent searches (seeds {seed_values[0]}…{seed_values[-1]}: draws, initial weights, "
                 "mini-batch orders; the same train/validation split); the figures show seed "
                 f"{seed_values[0]}, arrays under seeds/ hold all",
        "batched": "all seeds' trials of a stage are one stacked tensor program (bmm over trials), autograd gradients",
        "textbook": "Saito ch. 6: 784 → 100 × 6 → 10, 100 trials, the fine stage described in words only",
    }


# --- claims (numpy only: judged on the stored results of every seed of the search) ----------------------------

def _seeds(res):
    return np.asarray(res["seed_values"]).tolist()


def claim_box_smaller(results):
    """The finer stage searches a clearly smaller box: at most a tenth of the (log10 η, log10 λ) plane and at most
    one of its decades of η (the coarse stage spans 4 of each)."""
    res = results["hyperparameter-search"]
    share, lr_dec = np.asarray(res["seeds/box_share"]), np.asarray(res["seeds/box_lr_decades"])
    return per_seed(_seeds(res), (share <= 0.1) & (lr_dec <= 1.0), box_share=share, box_lr_decades=lr_dec)


def claim_fine_median_higher(results):
    """The finer stage's typical trial is far better: its median validation accuracy exceeds the coarse stage's
    by at least 0.2."""
    res = results["hyperparameter-search"]
    coarse, fine = np.asarray(res["seeds/coarse_median_val"]), np.asarray(res["seeds/fine_median_val"])
    return per_seed(_seeds(res), fine >= coarse + 0.2, coarse_median=coarse, fine_median=fine)


def claim_fine_best_matches(results):
    """The finer stage's best trial is as good as the coarse stage's best within one standard error of a
    validation accuracy measured on ``val_size`` images (√(p(1 − p)/n) at the coarse best p); how many
    searches it is strictly at least as high is reported (``fine_at_least_coarse``)."""
    res = results["hyperparameter-search"]
    coarse, fine = np.asarray(res["seeds/coarse_best_val"]), np.asarray(res["seeds/fine_best_val"])
    se = np.sqrt(coarse * (1 - coarse) / int(res.settings["val_size"]))
    return per_seed(_seeds(res), fine >= coarse - se - 1e-9, coarse_best=coarse, fine_best=fine, std_error=se,
                    fine_at_least_coarse=float(np.sum(fine >= coarse - 1e-9)))
