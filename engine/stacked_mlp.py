"""Stacked MLPs: R independent fully connected networks kept in tensors with a leading run axis.

:func:`stacked_weights`, :func:`stacked_forward`, :func:`stacked_loss` and :func:`stacked_evaluate`
run many small networks (initializations, seeds, hyperparameters) as one tensor program; the loss
is the sum of the runs' losses, so autograd gives every run its own gradient and ``torch.optim.SGD``
updates each run exactly as if it were alone.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .activation_functions import FUNCTIONS
from .core import EngineError
from .nets import init_std


def stacked_weights(sizes, runs: int, init: str | list[str], generator: torch.Generator, *, dtype=torch.float32,
                    device="cpu", bias: bool = True) -> list[torch.Tensor]:
    """Weights ``(runs, n_in, n_out)`` (and zero biases ``(runs, n_out)``) for ``runs`` networks.

    ``init`` is one initialization for all runs or one per run (``"xavier"``, ``"he"``,
    ``"std:<s>"`` as in :func:`engine.nets.init_std`, or ``"zero"``).
    """
    inits = [init] * runs if isinstance(init, str) else list(init)
    if len(inits) != runs:
        raise EngineError(f"{len(inits)} initializations for {runs} runs")
    params: list[torch.Tensor] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        w = torch.randn(runs, n_in, n_out, generator=generator, dtype=dtype)
        std = torch.tensor([0.0 if i == "zero" else init_std(i, n_in, n_out) for i in inits], dtype=dtype)
        params.append((w * std.view(-1, 1, 1)).to(device).requires_grad_(True))
        if bias:
            params.append(torch.zeros(runs, n_out, dtype=dtype, device=device, requires_grad=True))
    return params


def stacked_forward(params: list[torch.Tensor], x: torch.Tensor, activation: str, *, bias: bool = True,
                    keep: list | None = None) -> torch.Tensor:
    """Logits ``(runs, batch, classes)`` of the stacked MLP; ``x`` is ``(runs, batch, n)`` or ``(batch, n)``.

    ``keep`` (a list) receives every hidden layer's activation output.
    """
    act = FUNCTIONS[activation]
    step = 2 if bias else 1
    weights = params[0::step]
    h = x if x.dim() == 3 else x.unsqueeze(0).expand(weights[0].shape[0], -1, -1)
    for i, w in enumerate(weights):
        h = torch.baddbmm(params[i * step + 1].unsqueeze(1), h, w) if bias else torch.bmm(h, w)
        if i < len(weights) - 1:
            h = act(h)
            if keep is not None:
                keep.append(h)
    return h


def stacked_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy of every run, shape ``(runs,)``; ``y`` is ``(runs, batch)`` or ``(batch,)``."""
    runs, batch, classes = logits.shape
    y = y if y.dim() == 2 else y.unsqueeze(0).expand(runs, -1)
    return F.cross_entropy(logits.reshape(-1, classes), y.reshape(-1), reduction="none").view(runs, batch).mean(1)


@torch.no_grad()
def stacked_evaluate(params, x, y, activation: str) -> tuple[torch.Tensor, torch.Tensor]:
    """(loss, accuracy) of every run on ``(x, y)``, each of shape ``(runs,)``."""
    logits = stacked_forward(params, x, activation)
    y_full = y if y.dim() == 2 else y.unsqueeze(0).expand(logits.shape[0], -1)
    return stacked_loss(logits, y), (logits.argmax(-1) == y_full).to(logits.dtype).mean(1)
