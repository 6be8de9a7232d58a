"""Chapter 2 — activation functions and their derivatives.

The functions are torch's own; the derivatives come from autograd on a grid,
never from a hand-written formula.  The maxima of the derivatives
(sigmoid' ≤ 0.25, tanh' ≤ 1) and the product of k such factors (the chain
rule through k layers) set up the vanishing-gradient chapter.
"""
from __future__ import annotations

import numpy as np
import torch

from .activation_functions import FUNCTIONS, autograd_derivative
from .core import Context, experiment

NAMES = tuple(FUNCTIONS)


@experiment("activations", topic="activations", x_min=-6.0, x_max=6.0, points=1201, max_layers=10)
def activations(settings: dict, ctx: Context):
    """Identity, sigmoid, tanh and ReLU with their autograd derivatives."""
    x = torch.linspace(settings["x_min"], settings["x_max"], settings["points"], dtype=ctx.dtype, device=ctx.device)
    out: dict[str, np.ndarray | torch.Tensor] = {"x": x, "names": np.array(NAMES)}
    layers = torch.arange(1, settings["max_layers"] + 1, dtype=ctx.dtype, device=ctx.device)
    out["layers"] = layers
    for i, (name, fn) in enumerate(FUNCTIONS.items()):
        y, dy = autograd_derivative(fn, x)
        out[f"f/{name}"] = y
        out[f"df/{name}"] = dy
        peak = int(torch.argmax(dy))
        out[f"max_df/{name}"] = dy[peak]
        out[f"argmax_df/{name}"] = x[peak]
        # Best case of the chain rule through k layers: the product of k maximal factors.
        out[f"chain/{name}"] = dy[peak] ** layers
        ctx.progress(i + 1, len(FUNCTIONS), name)
    return out
