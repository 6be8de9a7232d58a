"""Chapter 9 — the slides' 3-2-2-2 network: weighted sums z, activations h, f3(f2(f1(x))), output activations.

A real ``torch.nn`` network (3 → 2 → 2 → 2) with seeded weights rounded to one decimal (so that the
slides' sums can be written out by hand), one input x and every intermediate value of the forward pass.
The weights are stored the way the slides index them: ``W[l][i, j] = w_ij^(l)`` with row 0 the bias
(x_0 = h_0 = 1).
"""
from __future__ import annotations

import numpy as np
import torch

from .core import Context, EngineError, experiment
from .settings import numbers

HIDDEN = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}
OUTPUTS = ("identity", "sigmoid", "softmax")


def slide_weights(linear: torch.nn.Linear) -> torch.Tensor:
    """(n_in + 1, n_out): row 0 the biases w_0j, row i the weights w_ij (torch stores weight as (out, in))."""
    return torch.cat([linear.bias.detach()[None, :], linear.weight.detach().T], dim=0)


@experiment("nn-3222", topic="neural-network", seed=0, x="1.0,0.5,-1.0", sizes="3,2,2,2", hidden="sigmoid",
            weight_std=1.0, decimals=1)
def nn_3222(settings: dict, ctx: Context):
    """The slides' 3-2-2-2 network: every weighted sum and activation for one input, and the three output activations."""
    sizes = [int(v) for v in numbers(settings["sizes"])]
    x = torch.tensor(numbers(settings["x"]), dtype=ctx.dtype)
    if len(x) != sizes[0]:
        raise EngineError(f"nn-3222.x has {len(x)} values but the input layer has {sizes[0]} neurons")
    if settings["hidden"] not in HIDDEN:
        raise EngineError(f"nn-3222.hidden must be one of {', '.join(HIDDEN)}")
    act = HIDDEN[settings["hidden"]]
    layers = [torch.nn.Linear(a, b, dtype=ctx.dtype) for a, b in zip(sizes[:-1], sizes[1:])]
    scale = 10.0 ** settings["decimals"]
    with torch.no_grad():
        for layer in layers:
            for p in (layer.weight, layer.bias):
                p.copy_(torch.round(settings["weight_std"] * torch.randn(p.shape, generator=ctx.generator,
                                                                          dtype=ctx.dtype) * scale) / scale)
    # f_l: one layer as a function; the network is their composition f3(f2(f1(x)))
    fs = [lambda v, L=L: act(L(v)) for L in layers[:-1]] + [lambda v: layers[-1](v)]
    net = torch.nn.Sequential(*[m for L in layers[:-1] for m in (L, torch.nn.Sigmoid() if settings["hidden"] == "sigmoid"
                                                                 else torch.nn.Tanh() if settings["hidden"] == "tanh"
                                                                 else torch.nn.ReLU())], layers[-1])
    out: dict[str, np.ndarray | torch.Tensor] = {"x": x, "sizes": torch.tensor(sizes)}
    h = x
    with torch.no_grad():
        for l, layer in enumerate(layers, start=1):
            z = layer(h)
            out[f"W{l}"] = slide_weights(layer)
            out[f"z{l}"] = z
            h = act(z) if l < len(layers) else z
            if l < len(layers):
                out[f"h{l}"] = h
        z_out = out[f"z{len(layers)}"]
        out["out/identity"] = z_out
        out["out/sigmoid"] = torch.sigmoid(z_out)
        out["out/softmax"] = torch.softmax(z_out, dim=0)
        composed = x
        for f in fs:
            composed = f(composed)
        out["composed"] = composed          # f3(f2(f1(x)))
        out["sequential"] = net(x)          # the same network as one torch.nn.Sequential
    ctx.progress(1, 1, "forward")
    out["outputs"] = np.array(OUTPUTS)
    return out, {"weights": f"N(0, {settings['weight_std']}²) rounded to {settings['decimals']} decimal(s)",
                 "hidden_activation": settings["hidden"]}
