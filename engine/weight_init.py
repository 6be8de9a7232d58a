"""Chapter 11 — the choice of initial weights (초깃값의 선택).

Three experiments:

* ``weight-init-histograms`` — the textbook's activation histograms: 1000 × 100
  inputs from N(0, 1) through 5 layers of 100 units (no bias) with weight std 1,
  std 0.01, Xavier N(0, 2/(n_in+n_out)) and He N(0, 4/(n_in+n_out)), for sigmoid,
  tanh and ReLU.  All 12 networks run as one stacked tensor program.
* ``weight-init-zero`` — all weights 0: every hidden unit of a layer gets the same
  gradient, so the units stay identical however long we train (compared with a
  small normal initialization that breaks the symmetry).
* ``weight-init-mnist`` — MNIST 784 → 4 × 100 → 10, ReLU, SGD, batch 128: std 0.01
  vs Xavier vs He, the three networks trained side by side as one stacked program
  on the same mini-batches.

The networks run stacked (``engine.stacked_mlp``): R independent networks in tensors with a
leading run axis, each updated by ``torch.optim.SGD`` exactly as if it were alone.
"""
from __future__ import annotations


import numpy as np
import torch

from .core import Context, experiment
from .data import digits, mnist, shuffled_split
from .stacked_mlp import stacked_evaluate, stacked_forward, stacked_loss, stacked_weights

INITS = ("std:1", "std:0.01", "xavier", "he")
INIT_NAMES = ("std1", "std0.01", "xavier", "he")  # array-name friendly spellings
HIST_ACTS = ("sigmoid", "tanh", "relu")
HIST_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 3.0)}


# --------------------------------------------------------------------------- histograms
@experiment("weight-init-histograms", topic="weight-init", seed=0, samples=1000, width=100, layers=5, bins=30)
def weight_init_histograms(settings: dict, ctx: Context):
    """Activation histograms of 5 layers of 100 units for 4 initial weight scales × 3 activations."""
    n, width, layers, bins = settings["samples"], settings["width"], settings["layers"], settings["bins"]
    x = torch.randn(n, width, generator=ctx.generator, dtype=ctx.dtype)
    runs = len(INITS)
    out: dict[str, np.ndarray | torch.Tensor] = {"inits": np.array(INIT_NAMES), "activations": np.array(HIST_ACTS)}
    for k, act in enumerate(HIST_ACTS):
        # The same input and the same standard-normal draws for every initialization: only the scale differs.
        params = stacked_weights([width] * (layers + 1), runs, list(INITS), ctx.generator, dtype=ctx.dtype, bias=False)
        hidden: list[torch.Tensor] = []
        with torch.no_grad():
            stacked_forward(params + [torch.zeros(runs, width, 1, dtype=ctx.dtype)], x, act, bias=False, keep=hidden)
        lo, hi = HIST_RANGE[act]
        edges = torch.linspace(lo, hi, bins + 1, dtype=ctx.dtype)
        out[f"edges/{act}"] = edges
        for r, name in enumerate(INIT_NAMES):
            values = torch.stack([h[r] for h in hidden])  # (layers, n, width)
            flat = values.reshape(layers, -1)
            counts = []
            for layer in flat:
                # ReLU's exact zeros (half the units or more) are reported apart, as a fraction
                shown = layer[layer != 0] if act == "relu" else layer
                counts.append(torch.histc(shown.clamp(lo, hi), bins=bins, min=lo, max=hi))
            out[f"hist/{act}/{name}"] = torch.stack(counts)
            out[f"std/{act}/{name}"] = flat.std(dim=1)
            out[f"mean/{act}/{name}"] = flat.mean(dim=1)
            out[f"zero_frac/{act}/{name}"] = (flat == 0).to(ctx.dtype).mean(dim=1)
            # the share of units saturated near 0 or 1 (sigmoid) / ±1 (tanh)
            out[f"saturated/{act}/{name}"] = ((flat - lo).abs() < 0.02 * (hi - lo)).to(ctx.dtype).mean(1) + \
                ((flat - hi).abs() < 0.02 * (hi - lo)).to(ctx.dtype).mean(1)
        ctx.progress(k + 1, len(HIST_ACTS), act)
    return out


# --------------------------------------------------------------------------- zero initialization
@experiment("weight-init-zero", topic="weight-init", seed=0, threads=1, hidden=16, hidden_layers=2,
            activation="sigmoid", optimizer="SGD", lr=0.5, batch=64, steps=300, compare_init="xavier", eval_every=25)
def weight_init_zero(settings: dict, ctx: Context):
    """All-zero initial weights vs a small normal initialization on scikit-learn digits."""
    data = digits()
    x, y = data.train.x.to(ctx.dtype), data.train.y
    sizes = [x.shape[1]] + [settings["hidden"]] * settings["hidden_layers"] + [data.classes]
    params = stacked_weights(sizes, 2, ["zero", settings["compare_init"]], ctx.generator, dtype=ctx.dtype)
    opt = torch.optim.SGD(params, lr=settings["lr"])
    steps, n_hidden, act = settings["steps"], settings["hidden_layers"], settings["activation"]
    checkpoints = sorted(set(range(0, steps + 1, settings["eval_every"])) | {steps})
    spread = torch.zeros(2, steps + 1, n_hidden, dtype=ctx.dtype)
    batch_loss = torch.zeros(2, steps, dtype=ctx.dtype)
    acc = torch.zeros(2, len(checkpoints), dtype=ctx.dtype)

    def record_spread(step: int):
        with torch.no_grad():
            for layer in range(n_hidden):
                w, b = params[2 * layer], params[2 * layer + 1]
                units = torch.cat([w, b.unsqueeze(1)], dim=1)  # (runs, n_in + 1, units): one column per unit
                spread[:, step, layer] = (units - units[:, :, :1]).abs().amax(dim=(1, 2))

    record_spread(0)
    acc[:, 0] = stacked_evaluate(params, x, y, act)[1]
    for step in range(1, steps + 1):
        idx = torch.randint(0, len(x), (settings["batch"],), generator=ctx.generator)
        loss = stacked_loss(stacked_forward(params, x[idx], act), y[idx])
        opt.zero_grad()
        loss.sum().backward()
        opt.step()
        batch_loss[:, step - 1] = loss.detach()
        record_spread(step)
        if step in checkpoints:
            acc[:, checkpoints.index(step)] = stacked_evaluate(params, x, y, act)[1]
    return {
        "inits": np.array(["zero", settings["compare_init"]]),
        "unit_spread": spread,          # (init, step, hidden layer): max over units of |w_unit − w_unit0|
        "loss": batch_loss,             # (init, step): mini-batch cross-entropy
        "checkpoints": torch.tensor(checkpoints),
        "acc": acc,                     # (init, checkpoint): accuracy on all 1797 digits
        "first_layer/zero": params[0][0].detach().T,      # (units, inputs)
        "first_layer/normal": params[0][1].detach().T,
        "weight_change/zero": params[0][0].detach().abs().max(),
    }, {"data": data.source}


# --------------------------------------------------------------------------- MNIST curves
MNIST_INITS = ("std:0.01", "xavier", "he")


@experiment("weight-init-mnist", topic="weight-init", seed=0, threads=1, hidden=100, hidden_layers=4, activation="relu",
            optimizer="SGD", lr=0.01, batch=128, iterations=600, test_fraction=0.2, eval_every=100)
def weight_init_mnist(settings: dict, ctx: Context):
    """MNIST training loss for std 0.01 vs Xavier vs He (784 → 4 × 100 → 10, ReLU, SGD).

    The textbook trains 2000 iterations; the default here is 600 to fit the CPU budget
    (``--set weight-init-mnist.iterations=2000`` gives the full run).
    """
    data = mnist()
    train_idx, test_idx = shuffled_split(len(data.train.x), (1 - settings["test_fraction"], settings["test_fraction"]),
                                         ctx.seed)
    dev = ctx.device
    x_tr, y_tr = data.train.x[train_idx].to(dev), data.train.y[train_idx].to(dev)
    x_te, y_te = data.train.x[test_idx].to(dev), data.train.y[test_idx].to(dev)
    sizes = [x_tr.shape[1]] + [settings["hidden"]] * settings["hidden_layers"] + [data.classes]
    runs = len(MNIST_INITS)
    params = stacked_weights(sizes, runs, list(MNIST_INITS), ctx.generator, dtype=torch.float32, device=dev)
    opt = torch.optim.SGD(params, lr=settings["lr"])
    iterations, act = settings["iterations"], settings["activation"]
    checkpoints = sorted(set(range(0, iterations + 1, settings["eval_every"])) | {iterations})
    losses = torch.zeros(runs, iterations)
    test_acc = torch.zeros(runs, len(checkpoints))
    test_acc[:, 0] = stacked_evaluate(params, x_te, y_te, act)[1].cpu()
    for it in range(1, iterations + 1):
        idx = torch.randint(0, len(x_tr), (settings["batch"],), generator=ctx.generator).to(dev)
        loss = stacked_loss(stacked_forward(params, x_tr[idx], act), y_tr[idx])
        opt.zero_grad()
        loss.sum().backward()
        opt.step()
        losses[:, it - 1] = loss.detach().cpu()
        if it in checkpoints:
            test_acc[:, checkpoints.index(it)] = stacked_evaluate(params, x_te, y_te, act)[1].cpu()
            ctx.progress(it, iterations, "SGD")
    train_loss, train_acc = (v.cpu() for v in stacked_evaluate(params, x_tr, y_tr, act))
    return {
        "inits": np.array(["std0.01", "xavier", "he"]),
        "loss": losses,                   # (init, iteration): mini-batch cross-entropy
        "checkpoints": torch.tensor(checkpoints),
        "test_acc": test_acc,             # (init, checkpoint) on the held-out digits
        "final_train_loss": train_loss,
        "final_train_acc": train_acc,
    }, {"data": data.source, "train_size": len(train_idx), "test_size": len(test_idx),
        "dtype": "float32", "same_minibatches_for_all_inits": True, "minibatches": "drawn with replacement"}
