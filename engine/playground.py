"""Chapter 14 — a TensorFlow-Playground-style view, computed by torch (구글 텐서플로우 플레이그라운드).

The four classification data sets are generated the way the Playground generates them
(its ``dataset.ts``: circle, xor, gauss, spiral; 500 points, labels ±1, noise as a share;
shuffled, then the first ``train_share`` of the points train and the rest test).  The
network is the Playground's default: inputs x1, x2, hidden layers [4, 2], tanh everywhere
(the output too), weights U(−0.5, 0.5), biases 0.1, squared error ½(o − y)², plain SGD
with learning rate 0.03 on mini-batches of 10 in the data's order.  All four data sets train
as one batched program (stacked weight tensors, ``torch.bmm``).  At a few epochs, every
neuron's output over a grid of [−6, 6]² is stored: the per-neuron and output heat-maps.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from .claims import per_seed
from .core import Context, experiment

DATASETS = ("circle", "xor", "gauss", "spiral")


def _uniform(n: int, a: float, b: float, gen: torch.Generator) -> torch.Tensor:
    return torch.rand(n, generator=gen, dtype=torch.float64) * (b - a) + a


def circle(n: int, noise: float, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Half the points at radius U(0, 2.5) (label +1), half at U(3.5, 5) (−1); the label comes from the
    noisy position (inside radius 2.5 → +1)."""
    radius, half = 5.0, n // 2
    pts, labels = [], []
    for lo, hi in ((0.0, radius * 0.5), (radius * 0.7, radius)):
        r = _uniform(half, lo, hi, gen)
        angle = _uniform(half, 0.0, 2 * math.pi, gen)
        x, y = r * torch.sin(angle), r * torch.cos(angle)
        nx, ny = _uniform(half, -radius, radius, gen) * noise, _uniform(half, -radius, radius, gen) * noise
        labels.append(torch.where(torch.hypot(x + nx, y + ny) < radius * 0.5, 1.0, -1.0).double())
        pts.append(torch.stack([x, y], 1))
    return torch.cat(pts), torch.cat(labels)


def xor(n: int, noise: float, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """x, y ~ U(−5, 5) pushed 0.3 away from the axes; label +1 where x·y ≥ 0 (of the noisy position)."""
    pad = 0.3
    x, y = _uniform(n, -5, 5, gen), _uniform(n, -5, 5, gen)
    x = x + torch.where(x > 0, pad, -pad)
    y = y + torch.where(y > 0, pad, -pad)
    nx, ny = _uniform(n, -5, 5, gen) * noise, _uniform(n, -5, 5, gen) * noise
    return torch.stack([x, y], 1), torch.where((x + nx) * (y + ny) >= 0, 1.0, -1.0).double()


def gauss(n: int, noise: float, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Two Gaussians at (2, 2) (+1) and (−2, −2) (−1) with variance 0.5 + 7·noise (the Playground's scale)."""
    variance = 0.5 + (4.0 - 0.5) * noise / 0.5
    half = n // 2
    pts, labels = [], []
    for centre, label in ((2.0, 1.0), (-2.0, -1.0)):
        pts.append(centre + math.sqrt(variance) * torch.randn(half, 2, generator=gen, dtype=torch.float64))
        labels.append(torch.full((half,), label, dtype=torch.float64))
    return torch.cat(pts), torch.cat(labels)


def spiral(n: int, noise: float, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaved spirals r = 5i/m, t = 1.75·2π·i/m (+ π for the −1 arm), plus U(−1, 1)·noise."""
    m = n // 2
    i = torch.arange(m, dtype=torch.float64)
    r = i / m * 5
    pts, labels = [], []
    for delta, label in ((0.0, 1.0), (math.pi, -1.0)):
        t = 1.75 * i / m * 2 * math.pi + delta
        x = r * torch.sin(t) + _uniform(m, -1, 1, gen) * noise
        y = r * torch.cos(t) + _uniform(m, -1, 1, gen) * noise
        pts.append(torch.stack([x, y], 1))
        labels.append(torch.full((m,), label, dtype=torch.float64))
    return torch.cat(pts), torch.cat(labels)


GENERATORS = {"circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral}


def make_dataset(name: str, n: int, noise: float, train_share: float, gen: torch.Generator):
    """(x_train, y_train, x_test, y_test): generate, shuffle, cut at ⌊n·share⌋ (as the Playground does)."""
    x, y = GENERATORS[name](n, noise, gen)
    perm = torch.randperm(len(y), generator=gen)
    x, y = x[perm], y[perm]
    cut = int(math.floor(len(y) * train_share))
    return x[:cut], y[:cut], x[cut:], y[cut:]


def stacked_forward(params: list[torch.Tensor], x: torch.Tensor) -> list[torch.Tensor]:
    """Every layer's tanh outputs for stacked networks: x (k, n, 2) → [(k, n, 4), (k, n, 2), (k, n, 1)]."""
    outs, h = [], x
    for i in range(0, len(params), 2):
        h = torch.tanh(torch.baddbmm(params[i + 1], h, params[i]))
        outs.append(h)
    return outs


def half_squared_error(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The Playground's loss ½(o − y)², averaged over the points: (k,)."""
    return 0.5 * ((out.squeeze(-1) - y) ** 2).mean(-1)


@experiment("playground", topic="playground", seed=0, threads=1, datasets=list(DATASETS), samples=500, noise=0.0,
            train_share=0.5, hidden=[4, 2], activation="tanh", lr=0.03, batch=10, epochs=150,
            init_weight=0.5, init_bias=0.1, domain=6.0, grid=60,
            snapshots=[0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130,
                       140, 150], seeds=5)
def playground(settings: dict, ctx: Context):
    """TensorFlow Playground's four data sets and [4, 2] tanh network: heat-maps of every neuron and the losses.

    ``seeds`` runs (seed ``ctx.seed + k``: its data and initial weights) of every data set train as one
    stacked program (seed-major: network ``k·len(datasets) + j`` is seed k on data set j); plain SGD is
    elementwise, so each network is updated exactly as if it were alone.  The heat-maps are stored for the
    lecture's seed (k = 0) only; the losses and accuracies of every seed under ``seeds/<data set>/…``."""
    names = list(settings["datasets"])
    m = len(names)
    seeds = settings["seeds"]
    seed_values = [ctx.seed + k for k in range(seeds)]
    k_all = m * seeds
    data = [make_dataset(name, settings["samples"], settings["noise"], settings["train_share"],
                         torch.Generator().manual_seed(sv + 1000 * j)) for sv in seed_values for j, name in enumerate(names)]
    xtr = torch.stack([d[0] for d in data]).float()
    ytr = torch.stack([d[1] for d in data]).float()
    xte = torch.stack([d[2] for d in data]).float()
    yte = torch.stack([d[3] for d in data]).float()
    sizes = [2, *settings["hidden"], 1]
    params_by_seed = []
    for sv in seed_values:   # seed k's networks drawn as one run of seed k alone draws them
        gen = torch.Generator().manual_seed(sv)
        ps = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            ps += [(torch.rand(m, n_in, n_out, generator=gen) * 2 - 1) * settings["init_weight"],
                   torch.full((m, 1, n_out), float(settings["init_bias"]))]
        params_by_seed.append(ps)
    params = [torch.cat(ps).requires_grad_(True) for ps in zip(*params_by_seed)]
    opt = torch.optim.SGD(params, lr=settings["lr"])
    g = settings["grid"]
    axis = torch.linspace(-settings["domain"], settings["domain"], g)
    gy, gx = torch.meshgrid(axis.flip(0), axis, indexing="ij")      # row 0 is the top (x2 = +domain)
    grid = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1).expand(m, -1, -1)
    epochs, batch = settings["epochs"], settings["batch"]
    snaps = sorted({int(e) for e in settings["snapshots"] if 0 <= int(e) <= epochs})
    neurons = sum(sizes[1:])
    maps = torch.zeros(m, len(snaps), neurons, g, g)
    train_loss = torch.zeros(k_all, epochs + 1)
    test_loss = torch.zeros(k_all, epochs + 1)

    @torch.no_grad()
    def record(epoch: int):
        train_loss[:, epoch] = half_squared_error(stacked_forward(params, xtr)[-1], ytr)
        test_loss[:, epoch] = half_squared_error(stacked_forward(params, xte)[-1], yte)
        if epoch in snaps:   # the lecture seed's networks only
            layers = torch.cat(stacked_forward([p[:m] for p in params], grid), dim=2)          # (m, g², neurons)
            maps[:, snaps.index(epoch)] = layers.permute(0, 2, 1).reshape(m, neurons, g, g)

    record(0)
    n_train = xtr.shape[1]
    for epoch in range(1, epochs + 1):
        for start in range(0, n_train, batch):
            out = stacked_forward(params, xtr[:, start:start + batch])[-1]
            opt.zero_grad()
            half_squared_error(out, ytr[:, start:start + batch]).sum().backward()
            opt.step()
        record(epoch)
        if epoch % 25 == 0:
            ctx.progress(epoch, epochs, "")
    with torch.no_grad():
        accuracy = (torch.sign(stacked_forward(params, xte)[-1].squeeze(-1)) == yte).float().mean(-1)   # (k_all,)
    out: dict[str, object] = {"datasets": names, "layer_sizes": torch.tensor(sizes), "grid_axis": axis,
                              "snapshot_epochs": torch.tensor(snaps), "epoch": torch.arange(epochs + 1),
                              "seed_values": torch.tensor(seed_values)}
    for j, name in enumerate(names):
        out[f"{name}/x_train"], out[f"{name}/y_train"] = xtr[j], ytr[j]
        out[f"{name}/x_test"], out[f"{name}/y_test"] = xte[j], yte[j]
        out[f"{name}/train_loss"], out[f"{name}/test_loss"] = train_loss[j], test_loss[j]
        out[f"{name}/maps"] = maps[j]
        out[f"{name}/test_accuracy"] = accuracy[j]
        for i in range(0, len(params), 2):
            out[f"{name}/weights/{i // 2}"] = params[i][j]
            out[f"{name}/biases/{i // 2}"] = params[i + 1][j, 0]
        rows = torch.arange(seeds) * m + j
        out[f"seeds/{name}/final_train_loss"] = train_loss[rows, -1]
        out[f"seeds/{name}/final_test_loss"] = test_loss[rows, -1]
        out[f"seeds/{name}/test_accuracy"] = accuracy[rows]
    out["final_test_loss"] = test_loss[:m, -1]
    return out, {"source": "TensorFlow Playground (dataset.ts) generators and defaults, reimplemented in torch",
                 "loss": "mean of 0.5·(output − label)², labels ±1", "order": "training data in generated order, no reshuffle",
                 "maps": f"every neuron's tanh output on a {g}×{g} grid of [−{settings['domain']}, {settings['domain']}]², row 0 at the top",
                 "seeds": f"{seeds} seeds ({seed_values[0]}…{seed_values[-1]}: data and initial weights) as one stacked "
                          "program; maps and per-epoch curves of the first (the lecture's), final losses of all"}


# --- claims ---------------------------------------------------------------------------------------------------

def _seed_list(res):
    return np.asarray(res["seed_values"]).tolist()


def claim_circle_solved(results):
    """The [4, 2] tanh network solves the circle: test accuracy ≥ 0.95 and test loss ≤ 0.05 (½(o − y)², labels
    ±1) after the last epoch, on every seed."""
    res = results["playground"]
    acc, loss = np.asarray(res["seeds/circle/test_accuracy"]), np.asarray(res["seeds/circle/final_test_loss"])
    return per_seed(_seed_list(res), (acc >= 0.95) & (loss <= 0.05), test_accuracy=acc, test_loss=loss)


def claim_spiral_not_solved(results):
    """The same network cannot solve the spiral: its test loss stays at least ten times the circle's and at
    least 0.2, its test accuracy below 0.8, on every seed."""
    res = results["playground"]
    spiral, circle = np.asarray(res["seeds/spiral/final_test_loss"]), np.asarray(res["seeds/circle/final_test_loss"])
    acc = np.asarray(res["seeds/spiral/test_accuracy"])
    return per_seed(_seed_list(res), (spiral >= 10 * circle) & (spiral >= 0.2) & (acc < 0.8), spiral_test_loss=spiral,
                    circle_test_loss=circle, spiral_test_accuracy=acc)
