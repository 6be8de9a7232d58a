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

from .claims import Measured, per_seed
from .core import Context, experiment
from .data import digits, mnist, shuffled_split
from .stacked_mlp import stacked_evaluate, stacked_forward, stacked_loss, stacked_weights

INITS = ("std:1", "std:0.01", "xavier", "he")
INIT_NAMES = ("std1", "std0.01", "xavier", "he")  # array-name friendly spellings
HIST_ACTS = ("sigmoid", "tanh", "relu")
HIST_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 3.0)}


# --------------------------------------------------------------------------- histograms
@experiment("weight-init-histograms", topic="weight-init", seed=0, samples=1000, width=100, layers=5, bins=30, seeds=5)
def weight_init_histograms(settings: dict, ctx: Context):
    """Activation histograms of 5 layers of 100 units for 4 initial weight scales × 3 activations, over seeds.

    Seed k (from ``ctx.seed + k`` alone) draws its own inputs and weights; the 4 initializations × seeds
    networks of one activation run as one stacked tensor program.  The histograms and the unprefixed
    statistics are seed k = 0 (the lecture's); ``seeds/<statistic>/<act>/<init>`` holds every seed
    (leading axis)."""
    n, width, layers, bins, seeds = (settings["samples"], settings["width"], settings["layers"], settings["bins"],
                                     settings["seeds"])
    gens = [torch.Generator().manual_seed(ctx.seed + k) for k in range(seeds)]
    x = torch.stack([torch.randn(n, width, generator=g, dtype=ctx.dtype) for g in gens])  # (seeds, n, width)
    runs = len(INITS)
    out: dict[str, np.ndarray | torch.Tensor] = {"inits": np.array(INIT_NAMES), "activations": np.array(HIST_ACTS),
                                                 "seed_values": torch.arange(seeds) + ctx.seed}
    for k, act in enumerate(HIST_ACTS):
        # The same input and the same standard-normal draws for every initialization of a seed: only the scale
        # differs.  Run r·seeds… : (seed, init) flattened seed-major.
        per_seed = [stacked_weights([width] * (layers + 1), runs, list(INITS), g, dtype=ctx.dtype, bias=False)
                    for g in gens]
        params = [torch.cat(layer) for layer in zip(*per_seed)]
        hidden: list[torch.Tensor] = []
        with torch.no_grad():
            stacked_forward(params + [torch.zeros(seeds * runs, width, 1, dtype=ctx.dtype)],
                            x.repeat_interleave(runs, 0), act, bias=False, keep=hidden)
        lo, hi = HIST_RANGE[act]
        edges = torch.linspace(lo, hi, bins + 1, dtype=ctx.dtype)
        out[f"edges/{act}"] = edges
        # (seeds, inits, layers, n · width)
        values = torch.stack(hidden, 1).reshape(seeds, runs, layers, -1)
        stats = {"std": values.std(dim=-1), "mean": values.mean(dim=-1),
                 "zero_frac": (values == 0).to(ctx.dtype).mean(-1),
                 # the share of units saturated near 0 or 1 (sigmoid) / ±1 (tanh)
                 "saturated": ((values - lo).abs() < 0.02 * (hi - lo)).to(ctx.dtype).mean(-1)
                 + ((values - hi).abs() < 0.02 * (hi - lo)).to(ctx.dtype).mean(-1)}
        for r, name in enumerate(INIT_NAMES):
            counts = []
            for layer in values[0, r]:
                # ReLU's exact zeros (half the units or more) are reported apart, as a fraction
                shown = layer[layer != 0] if act == "relu" else layer
                counts.append(torch.histc(shown.clamp(lo, hi), bins=bins, min=lo, max=hi))
            out[f"hist/{act}/{name}"] = torch.stack(counts)
            for stat, value in stats.items():
                out[f"seeds/{stat}/{act}/{name}"] = value[:, r]      # (seeds, layers)
                out[f"{stat}/{act}/{name}"] = value[0, r]            # the lecture's seed
        ctx.progress(k + 1, len(HIST_ACTS), act)
    return out, {"seeds": f"seed {ctx.seed} + k, k = 0 … {seeds - 1}: inputs and weights; histograms: seed {ctx.seed}"}


# --------------------------------------------------------------------------- zero initialization
@experiment("weight-init-zero", topic="weight-init", seed=0, threads=1, hidden=16, hidden_layers=2,
            activation="sigmoid", optimizer="SGD", lr=0.5, batch=64, steps=300, compare_init="xavier", eval_every=25,
            seeds=5)
def weight_init_zero(settings: dict, ctx: Context):
    """All-zero initial weights vs a small normal initialization on scikit-learn digits, over seeds.

    Seed k (from ``ctx.seed + k`` alone) draws the normal network's weights and the mini-batches both networks
    of that seed see; the 2 × seeds networks run as one stacked tensor program.  The unprefixed arrays are
    seed k = 0 (the lecture's); ``seeds/<array>`` holds every seed (leading axis)."""
    data = digits()
    x, y = data.train.x.to(ctx.dtype), data.train.y
    sizes = [x.shape[1]] + [settings["hidden"]] * settings["hidden_layers"] + [data.classes]
    seeds = settings["seeds"]
    gens = [torch.Generator().manual_seed(ctx.seed + k) for k in range(seeds)]
    per_seed = [stacked_weights(sizes, 2, ["zero", settings["compare_init"]], g, dtype=ctx.dtype) for g in gens]
    params = [torch.cat(layer).detach().requires_grad_(True) for layer in zip(*per_seed)]  # run 2k + init
    opt = torch.optim.SGD(params, lr=settings["lr"])
    steps, n_hidden, act = settings["steps"], settings["hidden_layers"], settings["activation"]
    runs = 2 * seeds
    checkpoints = sorted(set(range(0, steps + 1, settings["eval_every"])) | {steps})
    spread = torch.zeros(runs, steps + 1, n_hidden, dtype=ctx.dtype)
    batch_loss = torch.zeros(runs, steps, dtype=ctx.dtype)
    acc = torch.zeros(runs, len(checkpoints), dtype=ctx.dtype)

    def record_spread(step: int):
        with torch.no_grad():
            for layer in range(n_hidden):
                w, b = params[2 * layer], params[2 * layer + 1]
                units = torch.cat([w, b.unsqueeze(1)], dim=1)  # (runs, n_in + 1, units): one column per unit
                spread[:, step, layer] = (units - units[:, :, :1]).abs().amax(dim=(1, 2))

    record_spread(0)
    acc[:, 0] = stacked_evaluate(params, x, y, act)[1]
    for step in range(1, steps + 1):
        idx = torch.stack([torch.randint(0, len(x), (settings["batch"],), generator=g) for g in gens])
        idx = idx.repeat_interleave(2, 0)                    # both networks of a seed see its mini-batch
        loss = stacked_loss(stacked_forward(params, x[idx], act), y[idx])
        opt.zero_grad()
        loss.sum().backward()
        opt.step()
        batch_loss[:, step - 1] = loss.detach()
        record_spread(step)
        if step in checkpoints:
            acc[:, checkpoints.index(step)] = stacked_evaluate(params, x, y, act)[1]

    def by_seed(t: torch.Tensor) -> torch.Tensor:
        return t.reshape(seeds, 2, *t.shape[1:])

    return {
        "inits": np.array(["zero", settings["compare_init"]]),
        "seed_values": torch.arange(seeds) + ctx.seed,
        "unit_spread": spread[:2],      # (init, step, hidden layer): max over units of |w_unit − w_unit0|
        "loss": batch_loss[:2],         # (init, step): mini-batch cross-entropy
        "checkpoints": torch.tensor(checkpoints),
        "acc": acc[:2],                 # (init, checkpoint): accuracy on all 1797 digits
        "seeds/unit_spread": by_seed(spread), "seeds/loss": by_seed(batch_loss), "seeds/acc": by_seed(acc),
        "first_layer/zero": params[0][0].detach().T,      # (units, inputs)
        "first_layer/normal": params[0][1].detach().T,
        "weight_change/zero": params[0][0].detach().abs().max(),
    }, {"data": data.source,
        "seeds": f"seed {ctx.seed} + k, k = 0 … {seeds - 1}: the normal weights and the mini-batches; "
                 "seeds/<array>: (seed, init, …)"}


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


# --------------------------------------------------------------------------- claims
def _hist_stat(res, stat: str, act: str, init: str) -> np.ndarray:
    """(seeds, layers)"""
    return res[f"seeds/{stat}/{act}/{init}"]


def _seed_list(res) -> list[int]:
    return [int(s) for s in res["seed_values"]]


def claim_std1_saturates(results) -> Measured:
    """Sigmoid, std 1: in every layer at least 40 % of the outputs lie within 0.02 of 0 or 1 (where
    σ' = σ(1 − σ) < 0.02), against under 1 % with Xavier."""
    res = results["weight-init-histograms"]
    sat = _hist_stat(res, "saturated", "sigmoid", "std1")
    xavier = _hist_stat(res, "saturated", "sigmoid", "xavier")
    return per_seed(_seed_list(res), (sat.min(1) >= 0.4) & (xavier.max(1) < 0.01), saturated_least_layer=sat.min(1),
                    xavier_most_layer=xavier.max(1))


def claim_std001_collapses(results) -> Measured:
    """Sigmoid, std 0.01: every layer's standard deviation is below 0.03 and its mean within 0.01 of 0.5."""
    res = results["weight-init-histograms"]
    sd = _hist_stat(res, "std", "sigmoid", "std0.01")
    off = np.abs(_hist_stat(res, "mean", "sigmoid", "std0.01") - 0.5)
    return per_seed(_seed_list(res), (sd.max(1) < 0.03) & (off.max(1) < 0.01), largest_sd=sd.max(1),
                    sd_layer5=sd[:, -1], largest_mean_offset=off.max(1))


def claim_xavier_spread(results) -> Measured:
    """Sigmoid, Xavier: the fifth layer's standard deviation is over 5 times std 0.01's, and fewer than 1 %
    of the outputs in any layer are saturated (within 0.02 of 0 or 1)."""
    res = results["weight-init-histograms"]
    sd = _hist_stat(res, "std", "sigmoid", "xavier")[:, -1]
    collapsed = _hist_stat(res, "std", "sigmoid", "std0.01")[:, -1]
    sat = _hist_stat(res, "saturated", "sigmoid", "xavier").max(1)
    return per_seed(_seed_list(res), (sd > 5 * collapsed) & (sat < 0.01), sd_layer5=sd,
                    times_std001=sd / collapsed, saturated_most=sat)


def claim_he_wider_than_xavier(results) -> Measured:
    """Sigmoid: He's standard deviation exceeds Xavier's in every layer, by less than a factor of 2."""
    res = results["weight-init-histograms"]
    ratio = _hist_stat(res, "std", "sigmoid", "he") / _hist_stat(res, "std", "sigmoid", "xavier")
    return per_seed(_seed_list(res), (ratio.min(1) > 1) & (ratio.max(1) < 2), he_over_xavier_least=ratio.min(1),
                    he_over_xavier_most=ratio.max(1))


def claim_relu_std001_shrinks_he_keeps(results) -> Measured:
    """ReLU: with std 0.01 the standard deviation falls layer after layer (the fifth below a thousandth of the
    first's); with He the fifth layer's is within a factor of 2 of the first's."""
    res = results["weight-init-histograms"]
    small = _hist_stat(res, "std", "relu", "std0.01")
    he = _hist_stat(res, "std", "relu", "he")
    small_ratio, he_ratio = small[:, -1] / small[:, 0], he[:, -1] / he[:, 0]
    holds = (np.diff(small, axis=1) < 0).all(1) & (small_ratio < 1e-3) & (he_ratio > 0.5) & (he_ratio < 2)
    return per_seed(_seed_list(res), holds, std001_layer5_over_layer1=small_ratio, he_layer5_over_layer1=he_ratio)


def claim_tanh_like_sigmoid(results) -> Measured:
    """Tanh: with std 1 over 80 % of the outputs of every layer lie within 0.04 of −1 or 1; with std 0.01 the
    fifth layer's standard deviation is below 0.001; with Xavier it is above 0.25, and under 10 % of the outputs
    of any layer are saturated."""
    res = results["weight-init-histograms"]
    big = _hist_stat(res, "saturated", "tanh", "std1").min(1)
    small = _hist_stat(res, "std", "tanh", "std0.01")[:, -1]
    xavier = _hist_stat(res, "std", "tanh", "xavier")[:, -1]
    xavier_sat = _hist_stat(res, "saturated", "tanh", "xavier").max(1)
    holds = (big > 0.8) & (small < 1e-3) & (xavier > 0.25) & (xavier_sat < 0.1)
    return per_seed(_seed_list(res), holds, std1_saturated_least=big, std001_sd_layer5=small, xavier_sd_layer5=xavier,
                    xavier_saturated_most=xavier_sat)


def claim_relu_std1_grows(results) -> Measured:
    """ReLU, std 1: the standard deviation grows more than fivefold at every layer and exceeds 1000 in the fifth,
    far beyond the histogram's range (0 to 3), so that its bars hold only its overflow."""
    res = results["weight-init-histograms"]
    sd = _hist_stat(res, "std", "relu", "std1")
    growth = (sd[:, 1:] / sd[:, :-1]).min(1)
    return per_seed(_seed_list(res), (growth > 5) & (sd[:, -1] > 1000), least_growth=growth, sd_layer5=sd[:, -1])


def claim_zero_units_identical(results) -> Measured:
    """All-zero initial weights: the units of every hidden layer stay identical at every step (to float64
    rounding, under 1e-12; the symmetry is exact in real arithmetic), while the normally initialized network's
    units differ by more than 0.1 at the end."""
    res = results["weight-init-zero"]
    spread = res["seeds/unit_spread"]               # (seed, init, step, layer)
    zero_most = spread[:, 0].reshape(len(spread), -1).max(1)
    normal_end = spread[:, 1, -1].min(1)
    return per_seed(_seed_list(res), (zero_most < 1e-12) & (normal_end > 0.1), zero_largest_difference=zero_most,
                    normal_final_difference=normal_end)
