"""Chapter 11 — the lecture's iris table: sigmoid vs ReLU in a network with two hidden layers.

Iris (scikit-learn), a stratified 120/30 split drawn with each seed, 4 → h → h → 3,
500 epochs of mini-batch SGD.  Every seed draws its own split, initial weights and
mini-batch order (run s from seed + s only); all seeds of one activation train together as one stacked tensor
program (``engine.weight_init.stacked_*``), so 20 seeds cost about as much as one.
"""
from __future__ import annotations

import numpy as np
import torch

from .claims import Measured, per_seed
from .core import Context, experiment
from .data import iris, stratified_split
from .stacked_mlp import stacked_evaluate, stacked_forward, stacked_loss, stacked_weights

ACTS = ("sigmoid", "relu")
COLUMNS = ("train_loss", "train_acc", "test_loss", "test_acc")
# The lecture's table (chapter 11): train loss, train acc, test loss, test acc.
LECTURE = {"sigmoid": (0.8528, 0.7083, 0.8874, 0.6000), "relu": (0.2703, 0.8917, 0.2630, 0.9000)}


@experiment("iris-mlp", topic="iris-mlp", seed=0, threads=1, hidden=10, epochs=500, optimizer="SGD", lr=0.01, batch=32,
            init="xavier", seeds=20, test_per_class=10, standardize=False)
def iris_mlp(settings: dict, ctx: Context):
    """Iris 4 → h → h → 3 with sigmoid vs ReLU: the lecture's table over many seeds."""
    data = iris()
    x_all, y_all = data.train.x.to(ctx.dtype), data.train.y
    if settings["standardize"]:
        x_all = (x_all - x_all.mean(0)) / x_all.std(0)
    seeds = settings["seeds"]
    splits = [stratified_split(y_all, settings["test_per_class"], torch.Generator().manual_seed(ctx.seed + s))
              for s in range(seeds)]  # (each split's generator is used for the split only)
    tr_idx = torch.stack([s[0] for s in splits])   # (seeds, 120)
    te_idx = torch.stack([s[1] for s in splits])   # (seeds, 30)
    x_tr, y_tr, x_te, y_te = x_all[tr_idx], y_all[tr_idx], x_all[te_idx], y_all[te_idx]
    n_train, batch, epochs = tr_idx.shape[1], settings["batch"], settings["epochs"]
    sizes = [x_all.shape[1], settings["hidden"], settings["hidden"], data.classes]
    rows = torch.arange(seeds).unsqueeze(1)
    out: dict[str, np.ndarray | torch.Tensor] = {"activations": np.array(ACTS), "columns": np.array(COLUMNS),
                                                 "epoch": torch.arange(epochs + 1)}
    for k, act in enumerate(ACTS):
        # run s draws its split, its initial weights and its mini-batch order from seed (seed + s) alone, so
        # one run's numbers do not depend on how many seeds are stacked, and both activations share them
        gens = [torch.Generator().manual_seed(ctx.seed + s) for s in range(seeds)]
        runs = [stacked_weights(sizes, 1, settings["init"], g, dtype=ctx.dtype) for g in gens]
        params = [torch.cat(layer).detach().requires_grad_(True) for layer in zip(*runs)]
        opt = torch.optim.SGD(params, lr=settings["lr"])
        curves = torch.zeros(len(COLUMNS), seeds, epochs + 1, dtype=ctx.dtype)

        def record(epoch: int):
            curves[0, :, epoch], curves[1, :, epoch] = stacked_evaluate(params, x_tr, y_tr, act)
            curves[2, :, epoch], curves[3, :, epoch] = stacked_evaluate(params, x_te, y_te, act)

        record(0)
        for epoch in range(1, epochs + 1):
            order = torch.stack([torch.randperm(n_train, generator=g) for g in gens])  # one shuffle per seed
            for start in range(0, n_train, batch):
                idx = order[:, start:start + batch]
                loss = stacked_loss(stacked_forward(params, x_tr[rows, idx], act), y_tr[rows, idx])
                opt.zero_grad()
                loss.sum().backward()
                opt.step()
            record(epoch)
            if epoch % 50 == 0:
                ctx.progress(k * epochs + epoch, len(ACTS) * epochs, act)
        final = curves[:, :, -1].T  # (seeds, 4)
        for c, column in enumerate(COLUMNS):
            out[f"curve/{act}/{column}"] = curves[c]
        out[f"final/{act}"] = final
        out[f"one_seed/{act}"] = final[0]
        out[f"mean/{act}"] = final.mean(0)
        out[f"sd/{act}"] = final.std(0)  # sample standard deviation (n − 1)
        out[f"lecture/{act}"] = torch.tensor(LECTURE[act], dtype=ctx.dtype)
    return out, {"data": data.source, "split": f"stratified {n_train}/{te_idx.shape[1]}, drawn with seed {ctx.seed}+s",
                 "one_seed": f"seed {ctx.seed} (run 0)",
                 "per_run_seed": "run s: split, initial weights and mini-batch order from seed + s", "loss": "mean cross-entropy",
                 "minibatches": f"{batch} (last one {n_train % batch or batch}), reshuffled every epoch"}


# --------------------------------------------------------------------------- claims
def claim_relu_wins(results) -> Measured:
    """ReLU wins in every seed: a lower training loss and a lower test loss than sigmoid after the same
    epochs, and a test accuracy at least as high (30 test irises: ties happen)."""
    res = results["iris-mlp"]
    sig, relu = res["final/sigmoid"], res["final/relu"]          # (seeds, [train loss, train acc, test loss, test acc])
    holds = (relu[:, 0] < sig[:, 0]) & (relu[:, 2] < sig[:, 2]) & (relu[:, 3] >= sig[:, 3])
    seeds = int(res.meta.get("seed", 0))
    return per_seed(range(seeds, seeds + len(sig)), holds, test_acc_higher=int((relu[:, 3] > sig[:, 3]).sum()),
                    test_acc_tied=int((relu[:, 3] == sig[:, 3]).sum()), test_acc_gap=relu[:, 3] - sig[:, 3],
                    train_loss_sigmoid=sig[:, 0], train_loss_relu=relu[:, 0])
