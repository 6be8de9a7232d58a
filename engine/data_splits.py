"""Chapter 10 — training, validation and test data (훈련·검증·시험 데이터, 60 % / 20 % / 20 %).

scikit-learn's digits (1797 images of 8×8) shuffled with the seed and cut 60/20/20; the
indices are stored.  One small MLP (torch.nn, torch.optim) trains on the training part;
after every epoch the mean cross-entropy and accuracy on all three parts are recorded.
The validation loss chooses the epoch (신경망의 선택); the test part reports it (성과 확인).
"""
from __future__ import annotations

import torch
from torch import nn

from .core import Context, experiment
from .data import digits, shuffled_split
from .nets import evaluate, make_mlp, minibatches

SPLITS = ("train", "validation", "test")


@experiment("data-splits", topic="data-splits", seed=0, threads=1, parts=[0.6, 0.2, 0.2], hidden=[64],
            activation="relu", optimizer="SGD", lr=0.05, momentum=0.9, batch=32, epochs=40, dtype="float32")
def data_splits(settings: dict, ctx: Context):
    """Digits cut 60/20/20; one MLP's train, validation and test loss per epoch."""
    data = digits()
    dtype = getattr(torch, settings["dtype"])
    x, y = data.train.x.to(dtype), data.train.y
    n = len(y)
    idx = shuffled_split(n, tuple(float(p) for p in settings["parts"]), ctx.seed)
    parts = {name: (x[i], y[i]) for name, i in zip(SPLITS, idx)}
    gen = torch.Generator().manual_seed(ctx.seed)
    model = make_mlp([x.shape[1], *settings["hidden"], data.classes], settings["activation"], init="he",
                     generator=gen, dtype=dtype)
    kwargs = {"lr": settings["lr"]}
    if settings["optimizer"] == "SGD":
        kwargs["momentum"] = settings["momentum"]
    opt = getattr(torch.optim, settings["optimizer"])(model.parameters(), **kwargs)
    epochs = settings["epochs"]
    loss = torch.zeros(len(SPLITS), epochs + 1, dtype=torch.float64)
    acc = torch.zeros(len(SPLITS), epochs + 1, dtype=torch.float64)

    def record(epoch: int):
        for s, name in enumerate(SPLITS):
            loss[s, epoch], acc[s, epoch] = evaluate(model, *parts[name])

    record(0)
    xt, yt = parts["train"]
    for epoch in range(1, epochs + 1):
        for batch in minibatches(len(yt), settings["batch"], gen):
            opt.zero_grad()
            nn.functional.cross_entropy(model(xt[batch]), yt[batch]).backward()
            opt.step()
        record(epoch)
        if epoch % 10 == 0:
            ctx.progress(epoch, epochs, "")
    best = int(torch.argmin(loss[1]))
    out = {"splits": list(SPLITS), "n": torch.tensor(n), "sizes": torch.tensor([len(i) for i in idx]),
           "index/train": idx[0], "index/validation": idx[1], "index/test": idx[2],
           "labels": y, "epoch": torch.arange(epochs + 1), "best_epoch": torch.tensor(best)}
    for s, name in enumerate(SPLITS):
        out[f"loss/{name}"] = loss[s]
        out[f"acc/{name}"] = acc[s]
        out[f"best/loss/{name}"] = loss[s, best]
        out[f"best/acc/{name}"] = acc[s, best]
    # a few example images of each part, for the figure
    out["images"] = x[torch.cat([i[:8] for i in idx])].reshape(-1, 8, 8)
    return out, {"data": data.source, "split": "shuffled with the seed, cut 60/20/20 (engine.data.shuffled_split)",
                 "loss": "mean cross-entropy", "selection": "epoch of the smallest validation loss"}
