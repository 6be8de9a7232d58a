"""Chapter 11 — vanishing gradients (경사소실) measured in a deep network.

A deep MLP (8 hidden layers by default) is trained on scikit-learn's digits with
sigmoid, tanh and ReLU.  At every iteration we record, from autograd, the norm of
the gradient of every layer's weight matrix (layer 0 nearest the input), the
mini-batch loss, and the mean derivative of the activation function in every
hidden layer — the factors the chain rule multiplies on the way back.
"""
from __future__ import annotations

import numpy as np
import torch

from .activation_functions import FUNCTIONS, autograd_derivative
from .claims import Measured, per_seed
from .core import Context, experiment
from .data import digits
from .stacked_mlp import stacked_evaluate, stacked_loss, stacked_weights

ACTS = ("sigmoid", "tanh", "relu")


def stacked_backward_measured(params: list[torch.Tensor], x: torch.Tensor, y: torch.Tensor, activation: str):
    """One forward and backward pass of R stacked networks (``engine.stacked_mlp``: weights
    ``(R, n_in, n_out)``, biases ``(R, n_out)``; ``x`` ``(R, batch, n)``, ``y`` ``(R, batch)``), gradients left in
    place for the optimizer.  The loss is the sum of the runs' losses, so every run gets its own gradient.

    Returns every run's cross-entropy ``(R,)``, the norm of every weight matrix's gradient ``(R, layers)``
    (layer 0 nearest the input) and the mean derivative a'(z) of every hidden layer ``(R, hidden layers)``
    (by autograd, averaged over the batch and the units)."""
    act = FUNCTIONS[activation]
    h, pre = x, []
    layers = len(params) // 2
    for i in range(layers):
        h = torch.baddbmm(params[2 * i + 1].unsqueeze(1), h, params[2 * i])
        if i < layers - 1:
            pre.append(h.detach())
            h = act(h)
    losses = stacked_loss(h, y)
    losses.sum().backward()
    norms = torch.stack([params[2 * i].grad.norm(dim=(1, 2)) for i in range(layers)], 1)
    dact = torch.stack([autograd_derivative(act, z)[1].mean(dim=(1, 2)) for z in pre], 1)
    return losses.detach(), norms, dact


@experiment("vanishing-gradients", topic="vanishing-gradients", seed=0, threads=1, hidden_layers=8, width=64,
            optimizer="SGD", lr=0.1, batch=64, iterations=400, seeds=5,
            init_sigmoid="xavier", init_tanh="xavier", init_relu="he")
def vanishing_gradients(settings: dict, ctx: Context):
    """Per-layer weight-gradient norms of a deep MLP on digits, for sigmoid, tanh and ReLU, over seeds.

    Seed k (k = 0 … seeds − 1, from ``ctx.seed + k`` alone) draws its own mini-batches and initial weights;
    the seeds of one activation train together as one stacked tensor program (``torch.baddbmm``), each
    updated by SGD exactly as if it were alone.  The unprefixed arrays hold seed k = 0 (the lecture's)."""
    data = digits()
    x, y = data.train.x.to(ctx.dtype), data.train.y
    sizes = [x.shape[1]] + [settings["width"]] * settings["hidden_layers"] + [data.classes]
    iterations, seeds = settings["iterations"], settings["seeds"]
    out: dict[str, np.ndarray | torch.Tensor] = {"activations": np.array(ACTS), "sizes": torch.tensor(sizes),
                                                 "seed_values": torch.arange(seeds) + ctx.seed}
    gens = [torch.Generator().manual_seed(ctx.seed + k) for k in range(seeds)]
    # one sequence of mini-batches per seed, shared by the three networks of that seed
    batches = torch.stack([torch.randint(0, len(x), (iterations, settings["batch"]), generator=g) for g in gens], 1)
    for k, name in enumerate(ACTS):
        runs = [stacked_weights(sizes, 1, settings[f"init_{name}"], g, dtype=ctx.dtype) for g in gens]
        params = [torch.cat(layer).detach().requires_grad_(True) for layer in zip(*runs)]
        opt = torch.optim.SGD(params, lr=settings["lr"])
        grad_norm = torch.zeros(seeds, iterations, len(sizes) - 1, dtype=ctx.dtype)
        dact = torch.zeros(seeds, iterations, settings["hidden_layers"], dtype=ctx.dtype)
        losses = torch.zeros(seeds, iterations, dtype=ctx.dtype)
        for it in range(iterations):
            idx = batches[it]                                    # (seeds, batch)
            opt.zero_grad()
            losses[:, it], grad_norm[:, it], dact[:, it] = stacked_backward_measured(
                params, x[idx], y[idx], name)
            opt.step()
            if (it + 1) % 100 == 0:
                ctx.progress(k * iterations + it + 1, len(ACTS) * iterations, name)
        final_loss, final_acc = stacked_evaluate(params, x, y, name)
        for key, value in (("grad_norm", grad_norm), ("dact", dact), ("loss", losses),
                           ("final_loss", final_loss), ("final_acc", final_acc)):
            out[f"seeds/{key}/{name}"] = value
            out[f"{key}/{name}"] = value[0]              # the lecture's seed
        # the bound a′(z) ≤ max a′ that the chain-rule picture compares with (autograd on a grid)
        grid = torch.linspace(-6.0, 6.0, 1201, dtype=torch.float64)
        out[f"max_dact/{name}"] = autograd_derivative(FUNCTIONS[name], grid)[1].max()
    return out, {"data": data.source, "layers": "weight matrices, layer 0 nearest the input",
                 "grad_norm": "Frobenius norm of dL/dW of each layer's weights, per mini-batch",
                 "dact": "mean of a'(z) over the batch and the units of each hidden layer",
                 "seeds": f"seed {ctx.seed} + k, k = 0 … {seeds - 1}: mini-batches and initial weights; "
                          "seeds/<array> holds every seed (leading axis), <array> seed k = 0"}


# --------------------------------------------------------------------------- claims
def _seeds(res) -> list[int]:
    return [int(s) for s in res["seed_values"]]


def _first_over_last(res, name: str) -> np.ndarray:
    """(seeds, iterations): the first layer's gradient norm over the last layer's."""
    g = res[f"seeds/grad_norm/{name}"]
    return g[:, :, 0] / g[:, :, -1]


def claim_sigmoid_fades(results) -> Measured:
    """Sigmoid: in the first backward pass every layer gets less than the layer after it, and at every
    iteration the first layer gets less than a thousandth of the last layer's gradient."""
    res = results["vanishing-gradients"]
    g0 = res["seeds/grad_norm/sigmoid"][:, 0]
    ratio = _first_over_last(res, "sigmoid")
    holds = [bool(np.all(np.diff(g) > 0)) and r.max() < 1e-3 for g, r in zip(g0, ratio)]
    return per_seed(_seeds(res), holds, first_over_last_pass1=ratio[:, 0], worst_over_iterations=ratio.max(1))


def claim_ratio_order(results) -> Measured:
    """First backward pass, first/last layer: sigmoid ≪ tanh < ReLU (tanh over 100 times sigmoid's)."""
    res = results["vanishing-gradients"]
    s, t, r = (_first_over_last(res, n)[:, 0] for n in ACTS)
    holds = (t > 100 * s) & (r > t)
    return per_seed(_seeds(res), holds, sigmoid=s, tanh=t, relu=r)


def claim_relu_reaches_first_layer(results) -> Measured:
    """ReLU (He): the first layer gets at least a tenth of the last layer's gradient in the first pass."""
    res = results["vanishing-gradients"]
    r = _first_over_last(res, "relu")[:, 0]
    return per_seed(_seeds(res), r >= 0.1, relu=r)


def claim_chain_factors_bounded(results) -> Measured:
    """Every measured mean sigmoid derivative (all layers, iterations and seeds) is at most max σ' = 0.25."""
    res = results["vanishing-gradients"]
    d = res["seeds/dact/sigmoid"]
    peak = res.scalar("max_dact/sigmoid")
    holds = d.reshape(len(d), -1).max(1) <= peak + 1e-12
    return per_seed(_seeds(res), holds, largest_factor=d.reshape(len(d), -1).max(1), bound=peak)


def claim_sigmoid_stalls(results) -> Measured:
    """Learning stalls with sigmoid: its final training accuracy stays within 0.1 of chance (1/classes)
    while tanh and ReLU exceed 0.9."""
    res = results["vanishing-gradients"]
    chance = 1.0 / int(res["sizes"][-1])
    acc = {n: res[f"seeds/final_acc/{n}"] for n in ACTS}
    holds = (acc["sigmoid"] < chance + 0.1) & (acc["tanh"] > 0.9) & (acc["relu"] > 0.9)
    return per_seed(_seeds(res), holds, sigmoid_acc=acc["sigmoid"], tanh_acc=acc["tanh"], relu_acc=acc["relu"],
                    chance=chance)
