"""Chapter 10 — backpropagation on a computation graph (오차역전파법, 계산 그래프).

The graph of a one-neuron squared loss L = (σ(w·x + b) − y)², node by node:
u = w·x, z = u + b, a = σ(z), d = a − y, L = d².  The forward values, the gradient
∂L/∂node that autograd returns for every node (``retain_grad`` on the intermediates),
every edge's local derivative (autograd of the child with respect to the parent),
the chain-rule product upstream × local, and central finite differences of L.
"""
from __future__ import annotations

import torch

from .claims import Measured, measured
from .core import Context, experiment

NODES = ("x", "w", "b", "y", "u", "z", "a", "d", "L")
LEAVES = ("x", "w", "b", "y")
# edges parent → child (the forward direction)
EDGES = (("w", "u"), ("x", "u"), ("u", "z"), ("b", "z"), ("z", "a"), ("a", "d"), ("y", "d"), ("d", "L"))
OPS = {"u": "mul", "z": "add", "a": "sigmoid", "d": "sub", "L": "square"}


def graph(values: dict[str, torch.Tensor], nudge: dict[str, float] | None = None) -> dict[str, torch.Tensor]:
    """Forward pass; ``nudge`` adds a number to a node right after it is computed (for finite differences)."""
    nudge = nudge or {}

    def nudged(name: str, value: torch.Tensor) -> torch.Tensor:
        return value + nudge[name] if name in nudge else value

    v = {k: nudged(k, values[k]) for k in LEAVES}
    v["u"] = nudged("u", v["w"] * v["x"])
    v["z"] = nudged("z", v["u"] + v["b"])
    v["a"] = nudged("a", torch.sigmoid(v["z"]))
    v["d"] = nudged("d", v["a"] - v["y"])
    v["L"] = nudged("L", v["d"] ** 2)
    return v


@experiment("backprop", topic="backprop", seed=0, x=1.5, w=0.8, b=-0.5, y=1.0, fd_step=1e-6)
def backprop(settings: dict, ctx: Context):
    """L = (σ(w·x + b) − y)²: forward values, autograd gradients on every node and edge, finite differences."""
    dtype = torch.float64
    leaves = {k: torch.tensor(float(settings[k]), dtype=dtype, requires_grad=True) for k in LEAVES}
    # local derivatives ∂child/∂parent, each by autograd on a separate copy of the graph (so that
    # these calls leave the gradients retained on the main graph untouched)
    copy = graph({k: leaves[k].detach().clone().requires_grad_(True) for k in LEAVES})
    local = []
    for parent, child in EDGES:
        (g,) = torch.autograd.grad(copy[child], copy[parent], retain_graph=True)
        local.append(g)
    v = graph(leaves)
    for k in NODES:
        if k not in LEAVES:
            v[k].retain_grad()
    v["L"].backward()
    grads = {k: v[k].grad for k in NODES}   # ∂L/∂L = 1 is autograd's seed (retained on L)
    h = settings["fd_step"]
    base = {k: leaves[k].detach() for k in LEAVES}
    fd = []
    with torch.no_grad():
        for k in NODES:
            plus = graph(base, {k: h})["L"]
            minus = graph(base, {k: -h})["L"]
            fd.append((plus - minus) / (2 * h))
    upstream = torch.stack([grads[child] for _, child in EDGES])
    local_t = torch.stack(local)
    named = {f"grad/{k}": grads[k] for k in NODES}
    return {
        **named,
        "nodes": list(NODES),
        "edges": [[NODES.index(p), NODES.index(c)] for p, c in EDGES],
        "value": torch.stack([v[k].detach() for k in NODES]),
        "grad": torch.stack([grads[k] for k in NODES]),
        "fd_grad": torch.stack(fd),
        "local": local_t,
        "upstream": upstream,
        "chain": upstream * local_t,           # ∂L/∂child · ∂child/∂parent = ∂L/∂parent (one path)
        "loss": v["L"].detach(),
        "max_fd_error": (torch.stack([grads[k] for k in NODES]) - torch.stack(fd)).abs().max(),
    }, {"graph": "u = w·x, z = u + b, a = σ(z), d = a − y, L = d²", "fd": f"central differences, h = {h}"}


# --------------------------------------------------------------------------- claims
def claim_autograd_matches_fd(results) -> Measured:
    """Autograd's gradient at every node agrees with central finite differences to within 10⁻⁶."""
    err = results["backprop"].scalar("max_fd_error")
    return measured(err < 1e-6, largest_difference=err)
