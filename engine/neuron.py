"""Chapter 2 — from the biological neuron to the artificial one, layers and weights, and the model-building loop.

One small network 4 → h → 3 (sigmoid hidden units, softmax output) trained on iris (scikit-learn, a stratified
120/30 split) with torch.optim.Adam on the cross-entropy, full batch, one update per epoch:

* one neuron of the trained network: the inputs of one test flower, the neuron's weights, the products
  x_i·w_i, the weighted sum z = b + Σ x_i w_i and its activation σ(z), computed by the engine;
* the whole forward pass of that flower, layer by layer (z1, h1, z2, the class probabilities);
* the model-building loop as it ran: for every epoch the training loss (the loss box), the size of the
  gradient the optimizer used (the optimizer box), the training and test accuracy (the evaluate box) and the
  model's probabilities for the shown flower (the model box).

Every seed draws its own split, initial weights (Xavier) and nothing else (full batch); all seeds train as one
stacked tensor program (``engine.stacked_mlp``).  Seed k = 0 is the network the lecture shows.
"""
from __future__ import annotations

import numpy as np
import torch

from .claims import Measured, per_seed
from .core import Context, experiment
from .data import iris, stratified_split
from .stacked_mlp import stacked_evaluate, stacked_forward, stacked_loss, stacked_weights

FEATURES = ("sepal length", "sepal width", "petal length", "petal width")
CLASSES = ("setosa", "versicolor", "virginica")


@experiment("neuron", topic="neuron", seed=0, threads=1, hidden=4, activation="sigmoid", optimizer="torch.optim.Adam",
            lr=0.05, epochs=150, init="xavier", seeds=5, test_per_class=10, sample=0, neuron=-1)
def neuron(settings: dict, ctx: Context):
    """Iris 4 → h → 3 trained full batch with Adam; one neuron's weighted sum and activation, the forward pass of
    one test flower, and every epoch of the loop data → model → loss → optimizer → evaluate."""
    data = iris()
    x_all, y_all = data.train.x.to(ctx.dtype), data.train.y
    seeds, epochs, act = settings["seeds"], settings["epochs"], settings["activation"]
    gens = [torch.Generator().manual_seed(ctx.seed + s) for s in range(seeds)]   # run s: split, then weights
    splits = [stratified_split(y_all, settings["test_per_class"], g) for g in gens]
    tr_idx = torch.stack([s[0] for s in splits])
    te_idx = torch.stack([s[1] for s in splits])
    x_tr, y_tr, x_te, y_te = x_all[tr_idx], y_all[tr_idx], x_all[te_idx], y_all[te_idx]
    sizes = [x_all.shape[1], settings["hidden"], data.classes]
    runs = [stacked_weights(sizes, 1, settings["init"], g, dtype=ctx.dtype) for g in gens]
    params = [torch.cat(layer).detach().requires_grad_(True) for layer in zip(*runs)]
    opt = torch.optim.Adam(params, lr=settings["lr"])
    sample = settings["sample"]
    x_s = x_te[0, sample]
    curves = {k: torch.zeros(seeds, epochs + 1, dtype=ctx.dtype)
              for k in ("train_loss", "train_acc", "test_loss", "test_acc", "grad_norm")}
    sample_prob = torch.zeros(epochs + 1, data.classes, dtype=ctx.dtype)

    def record(epoch: int):
        curves["train_loss"][:, epoch], curves["train_acc"][:, epoch] = stacked_evaluate(params, x_tr, y_tr, act)
        curves["test_loss"][:, epoch], curves["test_acc"][:, epoch] = stacked_evaluate(params, x_te, y_te, act)
        with torch.no_grad():
            sample_prob[epoch] = torch.softmax(stacked_forward([p[:1] for p in params], x_s[None], act)[0, 0], -1)

    record(0)
    for epoch in range(1, epochs + 1):
        loss = stacked_loss(stacked_forward(params, x_tr, act), y_tr)      # (seeds,): one full-batch loss each
        opt.zero_grad()
        loss.sum().backward()
        with torch.no_grad():
            curves["grad_norm"][:, epoch - 1] = torch.sqrt(sum((p.grad.flatten(1) ** 2).sum(1) for p in params))
        opt.step()
        record(epoch)
        if epoch % 50 == 0:
            ctx.progress(epoch, epochs, "training")
    # the gradient at the final weights (grad_norm[e]: the size of the gradient at the weights after e updates)
    opt.zero_grad()
    stacked_loss(stacked_forward(params, x_tr, act), y_tr).sum().backward()
    with torch.no_grad():
        curves["grad_norm"][:, epochs] = torch.sqrt(sum((p.grad.flatten(1) ** 2).sum(1) for p in params))
    w1, b1, w2, b2 = (p.detach()[0] for p in params)                       # seed 0: the lecture's network
    # --- one flower through the network, layer by layer (seed 0)
    f = torch.sigmoid if act == "sigmoid" else torch.relu if act == "relu" else torch.tanh
    z1 = b1 + x_s @ w1
    h1 = f(z1)
    z2 = b2 + h1 @ w2
    prob = torch.softmax(z2, -1)
    k = settings["neuron"]
    if k < 0:          # the hidden neuron whose weights are largest (the one the diagram's thickest lines reach)
        k = int(w1.abs().sum(0).argmax())
    final = {name: c[:, -1] for name, c in curves.items()}
    out = {
        "features": np.array(FEATURES), "classes": np.array(CLASSES), "sizes": torch.tensor(sizes),
        "W1": w1, "b1": b1, "W2": w2, "b2": b2,
        "x": x_s, "label": y_te[0, sample], "z1": z1, "h1": h1, "z2": z2, "prob": prob,
        "neuron/index": torch.tensor(k), "neuron/w": w1[:, k], "neuron/b": b1[k], "neuron/terms": x_s * w1[:, k],
        "neuron/z": z1[k], "neuron/out": h1[k],
        "epoch": torch.arange(epochs + 1), "sample_prob": sample_prob,
        "seed_values": torch.arange(seeds) + ctx.seed,
        "n_train": torch.tensor(tr_idx.shape[1]), "n_test": torch.tensor(te_idx.shape[1]),
    }
    for name, c in curves.items():
        out[f"curve/{name}"] = c[0]
        out[f"seeds/{name}"] = c
        out[f"final/{name}"] = final[name]
    return out, {"data": data.source, "split": f"stratified {tr_idx.shape[1]}/{te_idx.shape[1]}, drawn with seed {ctx.seed}+s",
                 "model": f"4 → {settings['hidden']} → 3, {act} hidden, softmax output, cross-entropy",
                 "training": f"full batch, {settings['optimizer']} lr {settings['lr']}, {epochs} epochs",
                 "neuron": f"hidden neuron {k + 1} (of {settings['hidden']})",
                 "sample": f"test flower {sample} of seed {ctx.seed}'s split"}


# --------------------------------------------------------------------------- claims
def claim_loop_learns(results) -> Measured:
    """The loop learns: the training loss falls to under a third of its start and the test accuracy ends at
    90 % or more, in every seed."""
    res = results["neuron"]
    start, end = res["seeds/train_loss"][:, 0], res["seeds/train_loss"][:, -1]
    acc = res["seeds/test_acc"][:, -1]
    return per_seed([int(s) for s in res["seed_values"]], (end < start / 3) & (acc >= 0.9),
                    loss_start=start, loss_end=end, test_acc=acc)


def claim_starts_at_chance(results) -> Measured:
    """Before the first update the network guesses: its training accuracy is at most 50 % (chance is 1/3), in
    every seed."""
    res = results["neuron"]
    acc0 = res["seeds/train_acc"][:, 0]
    return per_seed([int(s) for s in res["seed_values"]], acc0 <= 0.5, train_acc_start=acc0)
