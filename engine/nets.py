"""Small building blocks shared by the training experiments (torch.nn only).

* :func:`make_mlp` — a fully connected network ``sizes[0] → … → sizes[-1]`` with a
  named activation, an initialization from the slides and optional BatchNorm1d;
* :func:`minibatches` — seeded shuffled index batches for one epoch;
* :func:`evaluate` — loss and accuracy of a classifier on a data split.
"""
from __future__ import annotations

import math
from typing import Iterator

import torch
from torch import nn

from .core import EngineError

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "identity": nn.Identity}


def init_std(init: str, n_in: int, n_out: int) -> float:
    """The standard deviation of an initialization, as the slides write it.

    ``"xavier"``: N(0, 2/(n_in + n_out)); ``"he"``: N(0, 4/(n_in + n_out));
    ``"std:0.01"`` (any number): that standard deviation.
    """
    if init == "xavier":
        return math.sqrt(2.0 / (n_in + n_out))
    if init == "he":
        return math.sqrt(4.0 / (n_in + n_out))
    if init.startswith("std:"):
        return float(init[4:])
    raise EngineError(f"unknown initialization '{init}' (use xavier, he or std:<number>)")


def make_mlp(sizes: list[int] | tuple[int, ...], activation: str = "relu", init: str | None = None,
             batchnorm: bool = False, bias: bool = True, generator: torch.Generator | None = None,
             dtype: torch.dtype = torch.float32) -> nn.Sequential:
    """Linear → [BatchNorm1d] → activation for every hidden layer, then a final Linear (logits).

    ``init=None`` keeps torch's default initialization; otherwise weights are drawn
    from N(0, std²) with :func:`init_std` and biases start at 0.
    """
    if activation not in ACTIVATIONS:
        raise EngineError(f"unknown activation '{activation}' (use {', '.join(ACTIVATIONS)})")
    layers: list[nn.Module] = []
    pairs = list(zip(sizes[:-1], sizes[1:]))
    for i, (n_in, n_out) in enumerate(pairs):
        linear = nn.Linear(n_in, n_out, bias=bias, dtype=dtype)
        if init is not None:
            with torch.no_grad():
                linear.weight.normal_(0.0, init_std(init, n_in, n_out), generator=generator)
                if bias:
                    linear.bias.zero_()
        layers.append(linear)
        if i < len(pairs) - 1:
            if batchnorm:
                layers.append(nn.BatchNorm1d(n_out, dtype=dtype))
            layers.append(ACTIVATIONS[activation]())
    return nn.Sequential(*layers)


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def minibatches(n: int, batch_size: int, generator: torch.Generator, drop_last: bool = False) -> Iterator[torch.Tensor]:
    perm = torch.randperm(n, generator=generator)
    stop = n - (n % batch_size) if drop_last else n
    for start in range(0, stop, batch_size):
        yield perm[start:start + batch_size]


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) of ``model`` on ``(x, y)`` in evaluation mode."""
    was_training = model.training
    model.eval()
    logits = model(x)
    loss = nn.functional.cross_entropy(logits, y).item()
    acc = (logits.argmax(dim=1) == y).float().mean().item()
    model.train(was_training)
    return loss, acc
