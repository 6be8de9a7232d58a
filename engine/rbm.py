"""Chapter 11 — deep belief nets: a restricted Boltzmann machine (RBM) and layer-wise pre-training.

* ``rbm``: a Bernoulli–Bernoulli RBM (visible v ∈ {0,1}^64: binarized 8 × 8 digits; hidden h ∈ {0,1}^H) with
  energy E(v, h) = −bᵀv − cᵀh − vᵀWh, trained by contrastive divergence with one Gibbs step (CD-1,
  Hinton 2002) in torch; every seed trains its own RBM and all seeds run as one batched tensor program.
  Stored: the reconstruction error and the free energy after every epoch, the weights of the first hidden units
  at a few moments of training (the filters), and reconstructions of held-out digits.
* ``rbm-pretraining``: a deep network 64 → h → h → h → 10 with sigmoid hidden units (the historical setting of
  Hinton, Osindero & Teh 2006), its hidden layers initialized from stacked RBMs (each trained by CD-1 on the
  hidden probabilities of the one below, greedily, layer by layer) against the same network from random
  (Xavier) initialization; both fine-tuned the same way (mini-batch SGD on the cross-entropy, the same output
  layer start and mini-batch order), over several seeds, all runs stacked into one tensor program.
"""
from __future__ import annotations

import numpy as np
import torch

from .claims import Measured, per_seed
from .core import Context, experiment
from .data import digits, shuffled_split
from .stacked_mlp import stacked_evaluate, stacked_forward, stacked_loss, stacked_weights

DTYPE = torch.float32


# --------------------------------------------------------------------------- the RBM
def hidden_probability(v: torch.Tensor, w: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """p(h_j = 1 | v) = σ(c_j + Σ_i v_i W_ij); ``v`` (S, B, V), ``w`` (S, V, H), ``c`` (S, H)."""
    return torch.sigmoid(torch.baddbmm(c.unsqueeze(1), v, w))


def visible_probability(h: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """p(v_i = 1 | h) = σ(b_i + Σ_j W_ij h_j); ``h`` (S, B, H)."""
    return torch.sigmoid(torch.baddbmm(b.unsqueeze(1), h, w.transpose(1, 2)))


def free_energy(v: torch.Tensor, w: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """F(v) = −bᵀv − Σ_j log(1 + exp(c_j + vᵀW_j)), so that p(v) ∝ exp(−F(v)); shape (S, B)."""
    return -(v * b.unsqueeze(1)).sum(-1) - torch.nn.functional.softplus(torch.baddbmm(c.unsqueeze(1), v, w)).sum(-1)


def cd1_update(w, b, c, v0, u_h, u_v):
    """One CD-1 step's parameter changes (before the learning rate) for a batch ``v0`` (S, B, V).

    ``u_h`` (S, B, H) and ``u_v`` (S, B, V) are the uniform draws of the one Gibbs step: h0 = [u_h < p(h|v0)],
    v1 = [u_v < p(v|h0)]; then p(h|v1).  ΔW = (v0ᵀp(h|v0) − v1ᵀp(h|v1)) / B, Δb = mean(v0 − v1),
    Δc = mean(p(h|v0) − p(h|v1)): the data's correlations minus the one-step reconstruction's.  Also returns
    p(v|h0) (the reconstruction).
    """
    ph0 = hidden_probability(v0, w, c)
    h0 = (u_h < ph0).to(v0.dtype)
    pv1 = visible_probability(h0, w, b)
    v1 = (u_v < pv1).to(v0.dtype)
    ph1 = hidden_probability(v1, w, c)
    n = v0.shape[1]
    dw = (v0.transpose(1, 2) @ ph0 - v1.transpose(1, 2) @ ph1) / n
    return dw, (v0 - v1).mean(1), (ph0 - ph1).mean(1), pv1


def reconstruction(v: torch.Tensor, w, b, c) -> torch.Tensor:
    """The mean-field reconstruction p(v | h = p(h|v)): what the RBM makes of ``v`` after one up-down pass."""
    return visible_probability(hidden_probability(v, w, c), w, b)


def train_rbm(data: torch.Tensor, hidden: int, epochs: int, batch: int, lr: float, momentum: float,
              gens: list[torch.Generator], init_std: float, *, snapshot_at=(), keep_units: int = 0,
              monitor: torch.Tensor | None = None, progress=None):
    """CD-1 on ``data`` (S, N, V) (one data set per seed, or (N, V) shared), one RBM per generator in ``gens``.

    Weights start N(0, init_std²), biases 0 (the visible biases at log(p/(1−p)) of the pixel frequencies, as
    Hinton's practical guide advises).  Mini-batches in a fresh random order each epoch per seed; SGD with
    momentum on the CD-1 direction.  Returns (W, b, c) and a history: reconstruction error (mean squared,
    per pixel) and mean free energy of ``data`` and of ``monitor`` after every epoch (index 0: before training),
    and the first ``keep_units`` filters of seed 0 after the updates listed in ``snapshot_at``.
    """
    seeds = len(gens)
    x = data if data.dim() == 3 else data.unsqueeze(0).expand(seeds, -1, -1)
    n, v_dim = x.shape[1], x.shape[2]
    w = torch.stack([init_std * torch.randn(v_dim, hidden, generator=g, dtype=x.dtype) for g in gens])
    freq = x.mean(1).clamp(0.01, 0.99)
    b = torch.log(freq / (1 - freq))
    c = torch.zeros(seeds, hidden, dtype=x.dtype)
    vel = [torch.zeros_like(p) for p in (w, b, c)]
    if monitor is not None and monitor.dim() == 2:
        monitor = monitor.unsqueeze(0).expand(seeds, -1, -1)
    rows = torch.arange(seeds).unsqueeze(1)
    hist = {"recon": [], "free_energy": [], "monitor/recon": [], "monitor/free_energy": []}
    snaps, snap_steps = [], []
    wanted = sorted(set(int(s) for s in snapshot_at))

    def record():
        with torch.no_grad():
            hist["recon"].append(((x - reconstruction(x, w, b, c)) ** 2).mean((1, 2)))
            hist["free_energy"].append(free_energy(x, w, b, c).mean(1))
            if monitor is not None:
                hist["monitor/recon"].append(((monitor - reconstruction(monitor, w, b, c)) ** 2).mean((1, 2)))
                hist["monitor/free_energy"].append(free_energy(monitor, w, b, c).mean(1))

    def snap(step):
        if keep_units and wanted and step in wanted:
            snaps.append(w[0, :, :keep_units].T.clone())
            snap_steps.append(step)

    record()
    step = 0
    snap(step)
    for epoch in range(epochs):
        order = torch.stack([torch.randperm(n, generator=g) for g in gens])
        for start in range(0, n - batch + 1, batch):
            v0 = x[rows, order[:, start:start + batch]]
            u_h = torch.stack([torch.rand(batch, hidden, generator=g, dtype=x.dtype) for g in gens])
            u_v = torch.stack([torch.rand(batch, v_dim, generator=g, dtype=x.dtype) for g in gens])
            grads = cd1_update(w, b, c, v0, u_h, u_v)[:3]
            for p, m, d in zip((w, b, c), vel, grads):
                m.mul_(momentum).add_(d, alpha=lr)
                p.add_(m)
            step += 1
            snap(step)
        record()
        if progress is not None:
            progress(epoch + 1, epochs)
    history = {k: torch.stack(v, dim=1) for k, v in hist.items() if v}   # (S, epochs + 1)
    if snaps:
        history["snapshots"] = torch.stack(snaps)                            # (snaps, units, V)
        history["snapshot_steps"] = torch.tensor(snap_steps)
    return (w, b, c), history


def binarized_digits(settings: dict) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, str]:
    """scikit-learn's 1797 digits (8 × 8) thresholded at ``threshold``, cut into train/test by ``split_seed``."""
    data = digits()
    x = (data.train.x > settings["threshold"]).to(DTYPE)
    train, test = shuffled_split(len(x), (1 - settings["test_share"], settings["test_share"]), settings["split_seed"])
    return x[train], data.train.y[train], x[test], data.train.y[test], data.source


def log_steps(last: int, count: int) -> list[int]:
    """About ``count`` update counts from 0 to ``last``, spaced evenly on a log scale (0 and ``last`` included)."""
    steps = np.unique(np.round(np.geomspace(1, last + 1, count) - 1).astype(int))
    return [int(s) for s in steps]


@experiment("rbm", topic="rbm", seed=0, threads=1, hidden=64, epochs=30, batch=20, lr=0.05, momentum=0.5,
            init_std=0.01, seeds=5, threshold=0.5, test_share=0.2, split_seed=0, filters=36, snapshots=10,
            samples=8)
def rbm(settings: dict, ctx: Context):
    """A Bernoulli RBM on binarized MNIST by CD-1: reconstruction error, filters as they form, reconstructions."""
    x_tr, _, x_te, _, source = binarized_digits(settings)
    seeds, batch = settings["seeds"], settings["batch"]
    gens = [torch.Generator().manual_seed(ctx.seed + k) for k in range(seeds)]
    updates = settings["epochs"] * (len(x_tr) // batch)
    at = log_steps(updates, settings["snapshots"])
    (w, b, c), hist = train_rbm(x_tr, settings["hidden"], settings["epochs"], batch, settings["lr"],
                                settings["momentum"], gens, settings["init_std"], snapshot_at=at,
                                keep_units=settings["filters"], monitor=x_te,
                                progress=lambda e, n: ctx.progress(e, n, "CD-1"))
    k = settings["samples"]
    v = x_te[:k]
    with torch.no_grad():
        ph = hidden_probability(v.unsqueeze(0), w[:1], c[:1])[0]
        recon = visible_probability(ph.unsqueeze(0), w[:1], b[:1])[0]
        # one CD-1 step of the trained RBM (seed 0) on the first held-out digit, every quantity kept
        g = torch.Generator().manual_seed(ctx.seed)
        v0 = v[:1].unsqueeze(0)
        u_h = torch.rand(1, 1, settings["hidden"], generator=g, dtype=DTYPE)
        u_v = torch.rand(1, 1, v0.shape[-1], generator=g, dtype=DTYPE)
        ph0 = hidden_probability(v0, w[:1], c[:1])
        h0 = (u_h < ph0).to(DTYPE)
        pv1 = visible_probability(h0, w[:1], b[:1])
        v1 = (u_v < pv1).to(DTYPE)
        ph1 = hidden_probability(v1, w[:1], c[:1])
        energy = [free_energy(t, w[:1], b[:1], c[:1])[0, 0] for t in (v0, v1)]
    return {
        "seed_values": torch.arange(seeds) + ctx.seed,
        "epoch": torch.arange(settings["epochs"] + 1),
        "seeds/recon": hist["recon"], "seeds/test_recon": hist["monitor/recon"],
        "seeds/free_energy": hist["free_energy"], "seeds/test_free_energy": hist["monitor/free_energy"],
        "recon": hist["recon"][0], "test_recon": hist["monitor/recon"][0],
        "filters": hist["snapshots"], "filter_steps": hist["snapshot_steps"],
        "updates_per_epoch": torch.tensor(len(x_tr) // batch),
        "train_size": torch.tensor(len(x_tr)), "test_size": torch.tensor(len(x_te)),
        "samples": v, "samples/hidden": ph, "samples/recon": recon,
        "cd/v0": v0[0, 0], "cd/ph0": ph0[0, 0], "cd/h0": h0[0, 0], "cd/pv1": pv1[0, 0], "cd/v1": v1[0, 0],
        "cd/ph1": ph1[0, 0], "cd/free_energy": torch.stack(energy),
        "pixel_mean": x_tr.mean(0),
    }, {"data": f"{source}, pixels > {settings['threshold']} → 1, {len(x_tr)} train / {len(x_te)} held out",
        "training": f"CD-1, batch {batch}, lr {settings['lr']}, momentum {settings['momentum']}, "
                    f"W ~ N(0, {settings['init_std']}²), visible biases log(p/(1−p)), hidden biases 0",
        "filters": f"the first {settings['filters']} hidden units of seed {ctx.seed}",
        "reconstruction error": "mean over pixels of (v − p(v | p(h|v)))²"}


# --------------------------------------------------------------------------- layer-wise pre-training
@experiment("rbm-pretraining", topic="rbm", seed=0, threads=1, hidden=100, layers=3, pretrain_epochs=5, rbm_batch=20,
            rbm_lr=0.05, rbm_momentum=0.5, rbm_init_std=0.01, epochs=30, batch=20, lr=0.5, init="xavier",
            labelled=1000, seeds=5, threshold=0.5, test_share=0.2, split_seed=0, early=5, close=0.05)
def rbm_pretraining(settings: dict, ctx: Context):
    """64 → h → h → h → 10 (sigmoid) from stacked RBMs vs from random init, fine-tuned the same way."""
    x_tr, y_tr, x_te, y_te, source = binarized_digits(settings)
    seeds, layers, h = settings["seeds"], settings["layers"], settings["hidden"]
    sizes = [x_tr.shape[1]] + [h] * layers + [10]
    # --- greedy layer-wise pre-training on all training images (labels unused)
    gens = [torch.Generator().manual_seed(ctx.seed + k) for k in range(seeds)]
    data = x_tr.unsqueeze(0).expand(seeds, -1, -1)
    stack, pre_recon = [], []
    for layer in range(layers):
        (w, b, c), hist = train_rbm(data, h, settings["pretrain_epochs"], settings["rbm_batch"], settings["rbm_lr"],
                                    settings["rbm_momentum"], gens, settings["rbm_init_std"],
                                    progress=lambda e, n, l=layer: ctx.progress(l * n + e, (layers + 2) * n, "pre-training"))
        stack.append((w, c))
        pre_recon.append(hist["recon"])
        with torch.no_grad():
            data = hidden_probability(data, w, c)          # the next RBM's data: this layer's hidden probabilities
    # --- the two networks: runs 0..S−1 pre-trained, S..2S−1 random; run s and S + s share seed s's output layer
    #     start and mini-batch order
    fine = [torch.Generator().manual_seed(10_000 + ctx.seed + k) for k in range(seeds)]
    random_runs = [stacked_weights(sizes, 1, settings["init"], g, dtype=DTYPE) for g in fine]
    random_params = [torch.cat(p).detach() for p in zip(*random_runs)]
    pre_params = [p.clone() for p in random_params]
    for layer, (w, c) in enumerate(stack):
        pre_params[2 * layer], pre_params[2 * layer + 1] = w.clone(), c.clone()
    params = [torch.cat([p, q]).requires_grad_(True) for p, q in zip(pre_params, random_params)]
    labelled = settings["labelled"]
    xl, yl = x_tr[:labelled], y_tr[:labelled]
    opt = torch.optim.SGD(params, lr=settings["lr"])
    epochs, batch = settings["epochs"], settings["batch"]
    curves = torch.zeros(4, 2 * seeds, epochs + 1)

    def record(epoch):
        curves[0, :, epoch], curves[1, :, epoch] = stacked_evaluate(params, xl, yl, "sigmoid")
        curves[2, :, epoch], curves[3, :, epoch] = stacked_evaluate(params, x_te, y_te, "sigmoid")

    record(0)
    rows = torch.arange(2 * seeds).unsqueeze(1)
    for epoch in range(1, epochs + 1):
        order = torch.stack([torch.randperm(labelled, generator=g) for g in fine])
        order = torch.cat([order, order])
        for start in range(0, labelled, batch):
            idx = order[:, start:start + batch]
            loss = stacked_loss(stacked_forward(params, xl[idx], "sigmoid"), yl[idx])
            opt.zero_grad()
            loss.sum().backward()
            opt.step()
        record(epoch)
        ctx.progress(layers * settings["pretrain_epochs"] + epoch * 2 * settings["pretrain_epochs"] // epochs,
                     (layers + 2) * settings["pretrain_epochs"], "fine-tuning")
    out = {"seed_values": torch.arange(seeds) + ctx.seed, "epoch": torch.arange(epochs + 1),
           "early": torch.tensor(min(settings["early"], epochs)), "close": torch.tensor(settings["close"]),
           "labelled": torch.tensor(labelled), "train_size": torch.tensor(len(x_tr)),
           "test_size": torch.tensor(len(x_te)),
           "pretrain/recon": torch.stack(pre_recon, dim=1)}                  # (seed, layer, epoch)
    for i, name in enumerate(("train_loss", "train_acc", "test_loss", "test_acc")):
        out[f"pretrained/{name}"] = curves[i, :seeds]
        out[f"random/{name}"] = curves[i, seeds:]
    return out, {"data": f"{source}, pixels > {settings['threshold']} → 1; pre-training on {len(x_tr)} unlabelled "
                         f"training images, fine-tuning on the first {labelled} with labels, test on {len(x_te)}",
                 "network": " → ".join(str(s) for s in sizes) + ", sigmoid hidden units, softmax output",
                 "pre-training": f"{layers} RBMs, each CD-1 for {settings['pretrain_epochs']} epochs on the hidden "
                                 "probabilities of the layer below",
                 "fine-tuning": f"SGD lr {settings['lr']}, batch {batch}, {epochs} epochs, cross-entropy; "
                                f"random init: {settings['init']}; same output-layer start and batch order for both"}


# --------------------------------------------------------------------------- claims
def _seeds(res) -> list[int]:
    return [int(s) for s in res["seed_values"]]


def claim_reconstruction_falls(results) -> Measured:
    """CD-1 lowers the reconstruction error: after the last epoch it is below its start, on the training digits
    and on the held-out digits, in every seed."""
    res = results["rbm"]
    tr, te = res["seeds/recon"], res["seeds/test_recon"]
    return per_seed(_seeds(res), (tr[:, -1] < tr[:, 0]) & (te[:, -1] < te[:, 0]), start=tr[:, 0], end=tr[:, -1],
                    held_out_start=te[:, 0], held_out_end=te[:, -1])


def claim_free_energy_falls(results) -> Measured:
    """The free energy of the training digits (low F: likely under the RBM) falls during training, and the held-out
    digits' falls with it, in every seed."""
    res = results["rbm"]
    tr, te = res["seeds/free_energy"], res["seeds/test_free_energy"]
    return per_seed(_seeds(res), (tr[:, -1] < tr[:, 0]) & (te[:, -1] < te[:, 0]), start=tr[:, 0], end=tr[:, -1],
                    held_out_end=te[:, -1])


def claim_pretrained_starts_faster(results) -> Measured:
    """After ``early`` epochs of fine-tuning the randomly initialized network still guesses (test accuracy below
    0.2; chance is 0.1) while the pre-trained one is at least 0.3 above it, in every seed."""
    res = results["rbm-pretraining"]
    e = int(res["early"])
    pre, rnd = res["pretrained/test_acc"][:, e], res["random/test_acc"][:, e]
    return per_seed(_seeds(res), (rnd < 0.2) & (pre >= rnd + 0.3), epoch=e, pretrained=pre, random=rnd)


def claim_random_catches_up(results) -> Measured:
    """After the last epoch the two networks' test accuracies lie within ``close`` of each other in every seed
    (the random start has caught up: pre-training helped the start, not clearly the end)."""
    res = results["rbm-pretraining"]
    pre, rnd = res["pretrained/test_acc"][:, -1], res["random/test_acc"][:, -1]
    close = float(res["close"])
    return per_seed(_seeds(res), np.abs(pre - rnd) < close, pretrained=pre, random=rnd, gap=pre - rnd,
                    pretrained_ahead=int((pre > rnd).sum()))
