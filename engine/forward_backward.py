"""Chapter 10 — forward and backward on a real network (순방향·역방향 연산, 에포크).

An iris MLP 4 → 5 → 3 (sigmoid hidden units, softmax output, mean cross-entropy), Xavier's initial
weights N(0, 2/(n_in + n_out)) and zero biases (초깃값은 0 근처의 작은 값).  The iris measurements are
standardized; the data are cut 60/20/20 as in ``data-splits`` and the network trains on the 90 flowers of
the training part by mini-batch SGD.

* **one mini-batch**, forward layer by layer: z1 = x W1 + b1, a1 = σ(z1), z2 = a1 W2 + b2, p = softmax(z2),
  the loss L = −(1/B) Σ log p_{y};
* **backward**, from the output back, by hand (the chain rule written in torch tensors):
  δ2 = ∂L/∂z2 = (p − Y)/B, ∂L/∂W2 = a1ᵀ δ2, ∂L/∂b2 = Σ δ2, ∂L/∂a1 = δ2 W2ᵀ, δ1 = ∂L/∂a1 ⊙ a1(1 − a1),
  ∂L/∂W1 = xᵀ δ1, ∂L/∂b1 = Σ δ1; and by autograd (``loss.backward()``), and by central finite differences;
* **the update** w := w − η ∂L/∂w (``torch.optim.SGD``) and the loss of the same mini-batch before and after;
* **an epoch**: every iteration's mini-batch loss over ``epochs`` epochs of ⌈90 / batch⌉ iterations each.

``seeds`` runs (seeds ``ctx.seed + k``: split, initial weights and mini-batch order); k = 0 is the lecture's.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from .claims import Measured, measured, per_seed
from .core import Context, experiment
from .data import iris, shuffled_split
from .nets import make_mlp, minibatches

LAYERS = ("W1", "b1", "W2", "b2")


def forward(params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    """Every layer's values for the mini-batch ``x`` (B, 4) with labels ``y`` (B,) and the mean cross-entropy."""
    z1 = x @ params["W1"] + params["b1"]
    a1 = torch.sigmoid(z1)
    z2 = a1 @ params["W2"] + params["b2"]
    p = torch.softmax(z2, dim=1)
    losses = -torch.log(p[torch.arange(len(y)), y])
    return {"x": x, "z1": z1, "a1": a1, "z2": z2, "p": p, "losses": losses, "loss": losses.mean()}


def backward_by_hand(v: dict[str, torch.Tensor], params: dict[str, torch.Tensor], y: torch.Tensor) -> dict[str, torch.Tensor]:
    """The chain rule from the output back: the gradient of the mean cross-entropy w.r.t. every layer."""
    batch, classes = v["p"].shape
    onehot = torch.nn.functional.one_hot(y, classes).to(v["p"].dtype)
    d_z2 = (v["p"] - onehot) / batch                 # softmax + cross-entropy: ∂L/∂z2 = (p − Y)/B
    d_W2 = v["a1"].T @ d_z2
    d_b2 = d_z2.sum(0)
    d_a1 = d_z2 @ params["W2"].T
    d_z1 = d_a1 * v["a1"] * (1 - v["a1"])             # σ'(z) = σ(z)(1 − σ(z))
    d_W1 = v["x"].T @ d_z1
    d_b1 = d_z1.sum(0)
    return {"z2": d_z2, "W2": d_W2, "b2": d_b2, "a1": d_a1, "z1": d_z1, "W1": d_W1, "b1": d_b1}


def finite_differences(params: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor, h: float) -> dict[str, torch.Tensor]:
    """Central differences (L(w + h) − L(w − h)) / 2h for every weight and bias."""
    out = {}
    params = {name: t.detach().clone(memory_format=torch.contiguous_format) for name, t in params.items()}
    with torch.no_grad():
        for name in LAYERS:
            flat = params[name].reshape(-1)
            grad = torch.zeros_like(flat)
            for i in range(len(flat)):
                keep = float(flat[i])
                flat[i] = keep + h
                plus = forward(params, x, y)["loss"]
                flat[i] = keep - h
                minus = forward(params, x, y)["loss"]
                flat[i] = keep
                grad[i] = (plus - minus) / (2 * h)
            out[name] = grad.reshape(params[name].shape)
    return out


def model_params(model: torch.nn.Sequential) -> dict[str, torch.Tensor]:
    """The network's parameters as x W + b uses them (W: (n_in, n_out), the transpose of Linear's weight)."""
    lin1, lin2 = model[0], model[2]
    return {"W1": lin1.weight.T, "b1": lin1.bias, "W2": lin2.weight.T, "b2": lin2.bias}


@experiment("forward-backward", topic="forward-backward", seed=0, threads=1, hidden=5, activation="sigmoid",
            init="xavier", parts=[0.6, 0.2, 0.2], standardize=True, optimizer="SGD", lr=0.5, batch=10, epochs=20,
            fd_step=1e-6, seeds=5)
def forward_backward(settings: dict, ctx: Context):
    """One mini-batch forward and backward (by hand, autograd, finite differences), its update, then epochs."""
    dt = torch.float64
    data = iris()
    x_all, y_all = data.train.x.to(dt), data.train.y
    if settings["standardize"]:
        x_all = (x_all - x_all.mean(0)) / x_all.std(0)
    parts = tuple(float(p) for p in settings["parts"])
    seeds, batch, epochs, lr = settings["seeds"], settings["batch"], settings["epochs"], settings["lr"]
    seed_values = [ctx.seed + k for k in range(seeds)]
    out: dict = {}
    per = {k: [] for k in ("iter_loss", "epoch_loss", "epoch_acc", "max_hand_autograd", "max_fd_autograd",
                           "first_before", "first_after", "first_grad_norm")}
    for k, seed in enumerate(seed_values):
        gen = torch.Generator().manual_seed(seed)
        train_idx = shuffled_split(len(y_all), parts, seed)[0]
        x, y = x_all[train_idx], y_all[train_idx]
        model = make_mlp([x.shape[1], settings["hidden"], data.classes], settings["activation"], init=settings["init"],
                         generator=gen, dtype=dt)
        opt = getattr(torch.optim, settings["optimizer"])(model.parameters(), lr=lr)
        n = len(y)
        per_epoch = math.ceil(n / batch)
        iter_loss = torch.zeros(epochs * per_epoch, dtype=dt)
        epoch_loss = torch.zeros(epochs + 1, dtype=dt)
        epoch_acc = torch.zeros(epochs + 1, dtype=dt)
        worst_hand = torch.zeros((), dtype=dt)
        worst_fd = torch.zeros((), dtype=dt)

        def record(epoch: int):
            with torch.no_grad():
                v = forward(model_params(model), x, y)
                epoch_loss[epoch] = v["loss"]
                epoch_acc[epoch] = (v["p"].argmax(1) == y).to(dt).mean()

        record(0)
        it = 0
        for epoch in range(1, epochs + 1):
            for idx in minibatches(n, batch, gen):
                xb, yb = x[idx], y[idx]
                params = model_params(model)
                v = forward(params, xb, yb)
                with torch.no_grad():
                    hand = backward_by_hand({name: t.detach() for name, t in v.items()},
                                            {name: t.detach() for name, t in params.items()}, yb)
                opt.zero_grad()
                v["loss"].backward()
                auto = {"W1": model[0].weight.grad.T, "b1": model[0].bias.grad,
                        "W2": model[2].weight.grad.T, "b2": model[2].bias.grad}
                diff = max(float((hand[name] - auto[name]).abs().max()) for name in LAYERS)
                worst_hand = torch.maximum(worst_hand, torch.tensor(diff, dtype=dt))
                first = it == 0
                if first:
                    base = {name: t.detach().clone() for name, t in params.items()}
                    fd = finite_differences(base, xb, yb, settings["fd_step"])
                    worst_fd = torch.tensor(max(float((fd[name] - auto[name]).abs().max()) for name in LAYERS), dtype=dt)
                    per["first_grad_norm"].append(torch.sqrt(sum((auto[name] ** 2).sum() for name in LAYERS)))
                    if k == 0:
                        lecture = {"batch/index": train_idx[idx], "batch/x": xb, "batch/y": yb,
                                   **{f"forward/{name}": t.detach().clone() for name, t in v.items() if name != "x"},
                                   **{f"hand/{name}": t.clone() for name, t in hand.items()},
                                   **{f"autograd/{name}": auto[name].clone() for name in LAYERS},
                                   **{f"fd/{name}": fd[name] for name in LAYERS},
                                   **{f"before/{name}": t for name, t in base.items()}}
                iter_loss[it] = v["loss"].detach()
                opt.step()
                if first:
                    with torch.no_grad():
                        after_params = model_params(model)
                        after = forward(after_params, xb, yb)
                    per["first_before"].append(v["loss"].detach())
                    per["first_after"].append(after["loss"])
                    if k == 0:
                        lecture.update({f"after/{name}": t.detach().clone() for name, t in after_params.items()})
                        lecture.update({"after/loss": after["loss"], "after/losses": after["losses"],
                                        "after/p": after["p"]})
                it += 1
            record(epoch)
        per["iter_loss"].append(iter_loss)
        per["epoch_loss"].append(epoch_loss)
        per["epoch_acc"].append(epoch_acc)
        per["max_hand_autograd"].append(worst_hand)
        per["max_fd_autograd"].append(worst_fd)
        ctx.progress(k + 1, seeds, f"seed {seed}")
    stacked = {f"seeds/{name}": torch.stack(v) for name, v in per.items()}
    out.update(lecture)
    out.update(stacked)
    out.update({
        "seed_values": torch.tensor(seed_values),
        "n_train": torch.tensor(n), "iterations_per_epoch": torch.tensor(per_epoch),
        "iterations": torch.tensor(epochs * per_epoch), "epochs": torch.tensor(epochs),
        "iteration": torch.arange(1, epochs * per_epoch + 1), "epoch": torch.arange(epochs + 1),
        "iter_loss": stacked["seeds/iter_loss"][0], "epoch_loss": stacked["seeds/epoch_loss"][0],
        "epoch_acc": stacked["seeds/epoch_acc"][0],
        "loss/before": stacked["seeds/first_before"][0], "loss/after": stacked["seeds/first_after"][0],
        "max_hand_autograd": stacked["seeds/max_hand_autograd"].max(),
        "max_fd_autograd": stacked["seeds/max_fd_autograd"].max(),
        "layer_sizes": torch.tensor([x_all.shape[1], settings["hidden"], data.classes]),
    })
    return out, {"data": data.source + (", standardized" if settings["standardize"] else ""),
                 "split": "shuffled with the seed, cut 60/20/20 (engine.data.shuffled_split); trains on the first part",
                 "network": f"4 → {settings['hidden']} → 3, {settings['activation']} hidden, softmax output, mean cross-entropy, "
                            f"{settings['init']} initial weights, zero biases",
                 "by_hand": "δ2 = (p − Y)/B, ∂W2 = a1ᵀδ2, δ1 = δ2 W2ᵀ ⊙ a1(1 − a1), ∂W1 = xᵀδ1 (float64)",
                 "fd": f"central differences, h = {settings['fd_step']}, on the first mini-batch",
                 "seeds": f"{seeds} runs (seeds {seed_values[0]}…{seed_values[-1]}: split, initial weights, mini-batch order); "
                          "the lecture shows the first"}


# --------------------------------------------------------------------------- claims
def claim_hand_equals_autograd(results) -> Measured:
    """The gradients written by hand (the chain rule) equal autograd's in every update of every run, to within
    10⁻¹² (float64), and autograd agrees with finite differences on the first mini-batch to within 10⁻⁶."""
    res = results["forward-backward"]
    hand, fd = res["seeds/max_hand_autograd"], res["seeds/max_fd_autograd"]
    return per_seed(res["seed_values"].tolist(), (hand < 1e-12) & (fd < 1e-6), hand_vs_autograd=hand,
                    fd_vs_autograd=fd)


def claim_update_lowers_batch_loss(results) -> Measured:
    """One SGD update lowers the loss of the mini-batch it was computed on, in every run."""
    res = results["forward-backward"]
    before, after = res["seeds/first_before"], res["seeds/first_after"]
    return per_seed(res["seed_values"].tolist(), after < before, before=before, after=after)


def claim_loss_falls_over_epochs(results) -> Measured:
    """Over the epochs the training loss falls: the loss on all training flowers after the last epoch is below
    half its value before training, and the training accuracy rises, in every run."""
    res = results["forward-backward"]
    loss, acc = res["seeds/epoch_loss"], res["seeds/epoch_acc"]
    holds = (loss[:, -1] < 0.5 * loss[:, 0]) & (acc[:, -1] > acc[:, 0])
    return per_seed(res["seed_values"].tolist(), holds, first_loss=loss[:, 0], last_loss=loss[:, -1],
                    last_acc=acc[:, -1])


def claim_iterations_counted(results) -> Measured:
    """Iterations = epochs × ⌈training flowers / batch size⌉: every iteration's loss is stored."""
    res = results["forward-backward"]
    n, batch, epochs = int(res["n_train"]), int(res.settings["batch"]), int(res["epochs"])
    per_epoch = -(-n // batch)
    holds = int(res["iterations"]) == epochs * per_epoch and res["seeds/iter_loss"].shape[1] == epochs * per_epoch
    return measured(holds, iterations=int(res["iterations"]), per_epoch=per_epoch, epochs=epochs)


def claim_batch_loss_jumps(results) -> Measured:
    """The mini-batch loss does not fall at every iteration: in every run it rises from one iteration to the next
    at least a quarter of the time (each mini-batch is other flowers)."""
    res = results["forward-backward"]
    rises = (np.diff(res["seeds/iter_loss"], axis=1) > 0).mean(1)
    return per_seed(res["seed_values"].tolist(), rises >= 0.25, share_of_rises=rises)
