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
from torch import nn

from .activation_functions import FUNCTIONS, autograd_derivative
from .core import Context, experiment
from .data import digits
from .nets import evaluate, linear_layers, make_mlp

ACTS = ("sigmoid", "tanh", "relu")


def backward_measured(model: nn.Sequential, x: torch.Tensor, y: torch.Tensor, activation: str):
    """One forward and backward pass of ``model`` (gradients left in place for the optimizer).

    Returns the cross-entropy loss, the norm of every weight matrix's gradient (layer 0
    nearest the input) and the mean derivative a'(z) of every hidden layer (by autograd,
    averaged over the batch and the units).
    """
    pre_activations: list[torch.Tensor] = []
    hooks = [m.register_forward_hook(lambda _m, inputs, _o: pre_activations.append(inputs[0].detach()))
             for m in model if not isinstance(m, nn.Linear)]
    try:
        loss = nn.functional.cross_entropy(model(x), y)
    finally:
        for h in hooks:
            h.remove()
    loss.backward()
    norms = torch.stack([layer.weight.grad.norm() for layer in linear_layers(model)])
    dact = torch.stack([autograd_derivative(FUNCTIONS[activation], z)[1].mean() for z in pre_activations])
    return loss.detach(), norms, dact


@experiment("vanishing-gradients", topic="vanishing-gradients", seed=0, threads=1, hidden_layers=8, width=64,
            optimizer="SGD", lr=0.1, batch=64, iterations=400,
            init_sigmoid="xavier", init_tanh="xavier", init_relu="he")
def vanishing_gradients(settings: dict, ctx: Context):
    """Per-layer weight-gradient norms of a deep MLP on digits, for sigmoid, tanh and ReLU."""
    data = digits()
    x, y = data.train.x.to(ctx.dtype), data.train.y
    sizes = [x.shape[1]] + [settings["width"]] * settings["hidden_layers"] + [data.classes]
    iterations = settings["iterations"]
    out: dict[str, np.ndarray | torch.Tensor] = {"activations": np.array(ACTS), "sizes": torch.tensor(sizes)}
    # one sequence of mini-batches, shared by the three networks
    batches = torch.randint(0, len(x), (iterations, settings["batch"]), generator=ctx.generator)
    for k, name in enumerate(ACTS):
        model = make_mlp(sizes, name, init=settings[f"init_{name}"], generator=ctx.generator, dtype=ctx.dtype)
        opt = torch.optim.SGD(model.parameters(), lr=settings["lr"])
        grad_norm = torch.zeros(iterations, len(sizes) - 1, dtype=ctx.dtype)
        dact = torch.zeros(iterations, settings["hidden_layers"], dtype=ctx.dtype)
        losses = torch.zeros(iterations, dtype=ctx.dtype)
        for it in range(iterations):
            idx = batches[it]
            opt.zero_grad()
            losses[it], grad_norm[it], dact[it] = backward_measured(model, x[idx], y[idx], name)
            opt.step()
            if (it + 1) % 100 == 0:
                ctx.progress(k * iterations + it + 1, len(ACTS) * iterations, name)
        out[f"grad_norm/{name}"] = grad_norm
        out[f"dact/{name}"] = dact
        out[f"loss/{name}"] = losses
        final_loss, final_acc = evaluate(model, x, y)
        out[f"final_loss/{name}"] = np.float64(final_loss)
        out[f"final_acc/{name}"] = np.float64(final_acc)
        # the bound a′(z) ≤ max a′ that the chain-rule picture compares with (autograd on a grid)
        grid = torch.linspace(-6.0, 6.0, 1201, dtype=torch.float64)
        out[f"max_dact/{name}"] = autograd_derivative(FUNCTIONS[name], grid)[1].max()
    return out, {"data": data.source, "layers": "weight matrices, layer 0 nearest the input",
                 "grad_norm": "Frobenius norm of dL/dW of each layer's weights, per mini-batch",
                 "dact": "mean of a'(z) over the batch and the units of each hidden layer"}
