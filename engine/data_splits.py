"""Chapter 10 — training, validation and test data (훈련·검증·시험 데이터, 60 % / 20 % / 20 %).

scikit-learn's digits (1797 images of 8×8) shuffled with the seed and cut 60/20/20; the
indices are stored.  One small MLP (He init, SGD with momentum) trains on the training part;
after every epoch the mean cross-entropy and accuracy on the training and validation parts are
recorded.  The validation loss chooses the epoch (신경망의 선택); the network of that epoch is
kept, and the test part is evaluated once, on it, at the end (성과 확인): no test number exists
for any other epoch.

``seeds`` runs (seeds ``ctx.seed + k``: each its own split, initial weights and mini-batch order)
train as one tensor program: the weights are stacked (``engine.stacked_mlp``) and the loss is the
sum of the runs' losses, so ``torch.optim.SGD`` (elementwise, momentum included) updates each run
exactly as if it were alone.  Seed ``ctx.seed`` is the lecture's; ``seeds/…`` holds every run.
"""
from __future__ import annotations

import numpy as np
import torch

from .claims import per_seed
from .core import Context, experiment
from .data import digits, shuffled_split
from .nets import make_mlp, minibatches
from .stacked_mlp import stacked_evaluate, stacked_forward, stacked_loss

SPLITS = ("train", "validation", "test")


def stacked_from_mlps(models) -> list[torch.Tensor]:
    """The Linear layers of equally shaped MLPs as stacked ``(runs, n_in, n_out)`` weights and ``(runs, n_out)``
    biases (weights and biases alternating), leaves that require gradients."""
    linears = [[m for m in model if isinstance(m, torch.nn.Linear)] for model in models]
    params = []
    for layer in zip(*linears):
        params.append(torch.stack([lin.weight.detach().T for lin in layer]).contiguous().requires_grad_(True))
        params.append(torch.stack([lin.bias.detach() for lin in layer]).contiguous().requires_grad_(True))
    return params


@experiment("data-splits", topic="data-splits", seed=0, threads=1, parts=[0.6, 0.2, 0.2], hidden=[64],
            activation="relu", optimizer="SGD", lr=0.05, momentum=0.9, batch=32, epochs=40, dtype="float32", seeds=5)
def data_splits(settings: dict, ctx: Context):
    """Digits cut 60/20/20; per epoch the train and validation loss; the test loss once, at the chosen epoch."""
    data = digits()
    dtype = getattr(torch, settings["dtype"])
    x, y = data.train.x.to(dtype), data.train.y
    n = len(y)
    seeds = settings["seeds"]
    seed_values = [ctx.seed + k for k in range(seeds)]
    parts = tuple(float(p) for p in settings["parts"])
    splits = [shuffled_split(n, parts, s) for s in seed_values]                 # per seed: train, validation, test
    gens = [torch.Generator().manual_seed(s) for s in seed_values]
    models = [make_mlp([x.shape[1], *settings["hidden"], data.classes], settings["activation"], init="he",
                       generator=g, dtype=dtype) for g in gens]
    params = stacked_from_mlps(models)
    part = {name: (torch.stack([x[idx[s]] for idx in splits]), torch.stack([y[idx[s]] for idx in splits]))
            for s, name in enumerate(SPLITS)}                                    # (seeds, size, 64), (seeds, size)
    kwargs = {"lr": settings["lr"]}
    if settings["optimizer"] == "SGD":
        kwargs["momentum"] = settings["momentum"]
    opt = getattr(torch.optim, settings["optimizer"])(params, **kwargs)
    act = settings["activation"]
    epochs = settings["epochs"]
    loss = torch.zeros(2, seeds, epochs + 1, dtype=torch.float64)               # train, validation
    acc = torch.zeros(2, seeds, epochs + 1, dtype=torch.float64)
    kept = [p.detach().clone() for p in params]                                   # each run at its best epoch so far
    best_epoch = torch.zeros(seeds, dtype=torch.long)

    def record(epoch: int):
        for s, name in enumerate(SPLITS[:2]):
            loss[s, :, epoch], acc[s, :, epoch] = stacked_evaluate(params, *part[name], act)
        better = loss[1, :, epoch] < loss[1, torch.arange(seeds), best_epoch] if epoch else torch.ones(seeds, dtype=torch.bool)
        best_epoch[better] = epoch
        for k, p in zip(kept, params):
            k[better] = p.detach()[better]

    record(0)
    xt, yt = part["train"]
    rows = torch.arange(seeds).unsqueeze(1)
    for epoch in range(1, epochs + 1):
        for batch in zip(*(minibatches(xt.shape[1], settings["batch"], g) for g in gens)):
            idx = torch.stack(batch)                                              # (seeds, b): each run's own batch
            opt.zero_grad()
            stacked_loss(stacked_forward(params, xt[rows, idx], act), yt[rows, idx]).sum().backward()
            opt.step()
        record(epoch)
        if epoch % 10 == 0:
            ctx.progress(epoch, epochs, "")
    # the test part, once: each run's network of its chosen epoch
    test_loss, test_acc = stacked_evaluate(kept, *part["test"], act)
    at = torch.arange(seeds), best_epoch
    k = 0   # the lecture's run
    idx = splits[k]
    out = {"splits": list(SPLITS), "n": torch.tensor(n), "sizes": torch.tensor([len(i) for i in idx]),
           "index/train": idx[0], "index/validation": idx[1], "index/test": idx[2],
           "labels": y, "epoch": torch.arange(epochs + 1), "best_epoch": best_epoch[k],
           "seed_values": torch.tensor(seed_values),
           "seeds/best_epoch": best_epoch, "seeds/best/loss/test": test_loss, "seeds/best/acc/test": test_acc,
           "best/loss/test": test_loss[k], "best/acc/test": test_acc[k]}
    for s, name in enumerate(SPLITS[:2]):
        out[f"loss/{name}"], out[f"acc/{name}"] = loss[s, k], acc[s, k]
        out[f"best/loss/{name}"], out[f"best/acc/{name}"] = loss[s, k, best_epoch[k]], acc[s, k, best_epoch[k]]
        out[f"seeds/loss/{name}"], out[f"seeds/acc/{name}"] = loss[s], acc[s]
        out[f"seeds/best/loss/{name}"], out[f"seeds/best/acc/{name}"] = loss[s][at], acc[s][at]
    # a few example images of each part, for the figure
    out["images"] = x[torch.cat([i[:8] for i in idx])].reshape(-1, 8, 8)
    return out, {"data": data.source, "split": "shuffled with the seed, cut 60/20/20 (engine.data.shuffled_split)",
                 "loss": "mean cross-entropy", "selection": "epoch of the smallest validation loss",
                 "test": "evaluated once, on the network of the chosen epoch (kept during training)",
                 "seeds": f"{seeds} runs (seeds {seed_values[0]}…{seed_values[-1]}: split, initial weights, "
                          "mini-batch order) as one stacked tensor program; the lecture shows the first"}


# --- claims ---------------------------------------------------------------------------------------------------

def claim_train_loss_falls(results):
    """The training loss keeps falling, apart from small wiggles: its mean over each successive block of
    ``epochs // 4`` epochs (after epoch 0) is below the previous block's, on every run."""
    res = results["data-splits"]
    curves = np.asarray(res["seeds/loss/train"])[:, 1:]
    block = max(1, curves.shape[1] // 4)
    means = curves[:, : 4 * block].reshape(len(curves), 4, block).mean(2)
    falls = np.all(np.diff(means, axis=1) < 0, axis=1)
    ratio = means[:, -1] / means[:, 0]
    return per_seed(np.asarray(res["seed_values"]).tolist(), falls, last_to_first_block=ratio)
