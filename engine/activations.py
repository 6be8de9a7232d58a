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
from .claims import Measured, measured
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


# --------------------------------------------------------------------------- claims
def claim_sigmoid_slope(results) -> Measured:
    """The sigmoid's derivative never exceeds ¼ (and reaches it at 0), while tanh's peaks at 1 and ReLU's is 1."""
    r = results["activations"]
    sig, tanh, relu = r.scalar("max_df/sigmoid"), r.scalar("max_df/tanh"), r.scalar("max_df/relu")
    holds = abs(sig - 0.25) < 1e-6 and float(np.max(r["df/sigmoid"])) <= 0.25 + 1e-9 and \
        abs(tanh - 1) < 1e-6 and abs(relu - 1) < 1e-9
    return measured(holds, sigmoid_peak=sig, tanh_peak=tanh, relu_slope=relu)


def claim_sigmoid_chain(results) -> Measured:
    """Multiplying one sigmoid derivative per layer, at most 0.25^k is left: the bound shrinks at every layer and
    after the last is below 10⁻⁵."""
    chain = np.asarray(results["activations"]["chain/sigmoid"], dtype=float)
    holds = bool(np.all(np.diff(chain) < 0)) and chain[-1] < 1e-5
    return measured(holds, layers=len(chain), left=chain[-1])
