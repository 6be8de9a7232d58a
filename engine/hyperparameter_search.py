"""Chapter 14 — 하이퍼파라미터의 탐색: a coarse random search, then a finer search in the best region.

Saito's protocol (ch. 6): a few hundred MNIST training images, a ReLU network, SGD with weight decay
(0.5·λ·ΣW² added to the loss, biases excluded), the learning rate η = 10^U(−6, −2) and λ = 10^U(−8, −4)
drawn at random, trials ranked by validation accuracy after the last epoch.  Then the region spanned by
the best ``refine_top`` share of the trials (in log10 η and log10 λ) is searched again, more finely.

All trials of one stage train together as one tensor program: the weights of every trial are stacked
(``(trials, n_in, n_out)``, :func:`engine.weight_init.stacked_weights`), the forward pass is a batched
matrix product, autograd gives every trial's gradients at once (the summed loss separates), and the
SGD-with-weight-decay step is written out with a per-trial η and λ: W ← W − η(∇W + λW), b ← b − η∇b,
exactly what ``torch.optim.SGD(weight_decay=λ)`` does to the weights of one network (tested).  Every
trial sees the same mini-batches.  Defaults fit this CPU; Saito's scale is
``--set hyperparameter-search.hidden=100 --set hyperparameter-search.hidden_layers=6``.
"""
from __future__ import annotations

import torch

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
                  generator: torch.Generator) -> dict[str, torch.Tensor]:
    """SGD with per-trial learning rate and weight decay on stacked networks (weights and biases alternate
    in ``params``; weights decay, biases do not).  Returns per-epoch train/validation accuracy, shape
    ``(trials, epochs)``, and the losses of the last step."""
    runs = params[0].shape[0]
    dtype = params[0].dtype
    lr = lrs.to(dtype)
    wd = wds.to(dtype)
    train_acc = torch.zeros(runs, epochs, dtype=torch.float64)
    val_acc = torch.zeros(runs, epochs, dtype=torch.float64)
    n = len(x_tr)
    for epoch in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            loss = stacked_loss(stacked_forward(params, x_tr[idx], "relu"), y_tr[idx])
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


@experiment("hyperparameter-search", topic="hyperparameter-search", seed=0, threads=1, train_size=400, val_size=100,
            hidden=32, hidden_layers=2, init="he", epochs=50, batch=100, trials=100, fine_trials=50,
            lr_range=[-6.0, -2.0], wd_range=[-8.0, -4.0], refine_top=0.2, split_seed=0, show=20)
def hyperparameter_search(settings: dict, ctx: Context):
    """Coarse random search of (η, λ), then a finer one in the best region; all trials of a stage batched."""
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
    gen = ctx.generator

    def stage(count: int, lr_lo: float, lr_hi: float, wd_lo: float, wd_hi: float, label: str):
        lrs = sample_log_uniform(count, lr_lo, lr_hi, gen)
        wds = sample_log_uniform(count, wd_lo, wd_hi, gen)
        params = stacked_weights(sizes, count, settings["init"], gen, device=dev)
        curves = train_stacked(params, lrs, wds, x_tr, y_tr, x_va, y_va, settings["epochs"], settings["batch"], gen)
        ctx.progress(1, 1, label)
        return lrs, wds, curves

    lr_lo, lr_hi = settings["lr_range"]
    wd_lo, wd_hi = settings["wd_range"]
    c_lr, c_wd, coarse = stage(settings["trials"], lr_lo, lr_hi, wd_lo, wd_hi, "coarse search")
    final = coarse["val_acc"][:, -1]
    top = max(1, int(round(settings["refine_top"] * settings["trials"])))
    best = torch.argsort(final, descending=True, stable=True)[:top]
    region = torch.stack([torch.log10(c_lr[best]).min(), torch.log10(c_lr[best]).max(),
                          torch.log10(c_wd[best]).min(), torch.log10(c_wd[best]).max()])
    f_lr, f_wd, fine = stage(settings["fine_trials"], *region.tolist(), "fine search")
    lrs, wds = torch.cat([c_lr, f_lr]), torch.cat([c_wd, f_wd])
    val, train = torch.cat([coarse["val_acc"], fine["val_acc"]]), torch.cat([coarse["train_acc"], fine["train_acc"]])
    stage_of = torch.cat([torch.zeros(len(c_lr), dtype=torch.long), torch.ones(len(f_lr), dtype=torch.long)])
    ranking = torch.argsort(val[:, -1], descending=True, stable=True)
    out = {"lr": lrs, "wd": wds, "stage": stage_of, "val_acc": val, "train_acc": train, "final_val": val[:, -1],
           "ranking": ranking, "best": ranking[:settings["show"]], "region": region, "coarse_best": best,
           "epoch": torch.arange(1, settings["epochs"] + 1),
           "best_val": val[ranking[0], -1], "best_lr": lrs[ranking[0]], "best_wd": wds[ranking[0]],
           "coarse_best_val": final.max(), "fine_best_val": fine["val_acc"][:, -1].max(),
           "fine_median_val": fine["val_acc"][:, -1].median(), "coarse_median_val": final.median()}
    return out, {
        "data": data.source,
        "data_label": data_label(source, n, len(data.test.x) if data.test is not None else None),
        "split": f"{tr_n} train / {va_n} validation images, drawn with seed {settings['split_seed']}",
        "network": f"784 → {settings['hidden']} × {settings['hidden_layers']} (ReLU) → 10, {settings['init']} init",
        "optimizer": "SGD, W ← W − η(∇W + λW), b ← b − η∇b (weight decay 0.5·λ·ΣW² on weights only), "
                     f"batch {settings['batch']}, {settings['epochs']} epochs, the same mini-batches for every trial",
        "search": f"coarse: {settings['trials']} trials, log10 η ~ U{tuple(settings['lr_range'])}, "
                  f"log10 λ ~ U{tuple(settings['wd_range'])}; fine: {settings['fine_trials']} trials, uniform in log10 "
                  f"over the box spanned by the best {top} coarse trials",
        "batched": "every stage is one stacked tensor program (bmm over trials), autograd gradients",
    }
