"""The activation functions as element-wise torch functions, and their derivatives by autograd.

Shared by the chapters that apply them to tensors directly (activations, weight initialization,
vanishing gradients); ``engine.nets.ACTIVATIONS`` holds the same functions as ``nn`` modules.
"""
from __future__ import annotations

import torch

FUNCTIONS = {
    "identity": lambda x: x,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
}


def autograd_derivative(fn, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Return ``(f(x), f'(x))`` for an element-wise ``fn``, the derivative by autograd."""
    x = x.detach().clone().requires_grad_(True)
    y = fn(x)
    (grad,) = torch.autograd.grad(y.sum(), x)
    return y.detach(), grad.detach()
