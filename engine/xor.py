"""Chapter 4 — the XOR problem: Rosenblatt's perceptron never converges; two hidden units solve it.

* the perceptron learning rule (Rosenblatt 1958) in torch: ŷ = step(w0 + w1 x1 + w2 x2),
  w := w + η (y − ŷ) x after every example; the mistakes of every epoch and the weights after every update;
* an MLP 2 → 2 → 1 (torch.nn, tanh hidden units, sigmoid output) trained with torch.optim.Adam on the
  binary cross-entropy; the hidden representation of the four points and of a grid of lines of the plane,
  so that a scene can morph the input plane into the hidden space.
"""
from __future__ import annotations

import torch

from .core import Context, experiment

X = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
Y = (0.0, 1.0, 1.0, 0.0)
HIDDEN = {"tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}


def perceptron(x: torch.Tensor, y: torch.Tensor, w: torch.Tensor, lr: float, epochs: int, order: torch.Tensor):
    """Rosenblatt's rule.  Returns (weights after every update, mistakes per epoch, prediction per update)."""
    xb = torch.cat([torch.ones(len(x), 1, dtype=x.dtype), x], dim=1)     # x_0 = 1 carries the bias w0
    path, mistakes, preds = [w.clone()], [], []
    for epoch in range(epochs):
        wrong = 0
        for i in order[epoch]:
            y_hat = (xb[i] @ w > 0).to(x.dtype)                           # the step activation
            w = w + lr * (y[i] - y_hat) * xb[i]
            wrong += int(y_hat != y[i])
            preds.append(y_hat)
            path.append(w.clone())
        mistakes.append(wrong)
    return torch.stack(path), torch.tensor(mistakes), torch.stack(preds)


@experiment("xor", topic="xor", seed=1, threads=1, perceptron_lr=1.0, perceptron_epochs=12, perceptron_start="0,0,0",
            shuffle=False, hidden=2, activation="tanh", optimizer="torch.optim.Adam", lr=0.05, steps=600,
            stop_loss=0.05, init_std=1.0, grid_lines=9, line_points=41, plane="-0.25,1.25", region_points=81)
def xor(settings: dict, ctx: Context):
    """XOR: the perceptron's mistakes in every epoch; an MLP with two hidden units at 100 % and its hidden space."""
    dt = ctx.dtype
    x = torch.tensor(X, dtype=dt)
    y = torch.tensor(Y, dtype=dt)
    # --- the perceptron
    epochs = settings["perceptron_epochs"]
    if settings["shuffle"]:
        order = torch.stack([torch.randperm(4, generator=ctx.generator) for _ in range(epochs)])
    else:
        order = torch.arange(4).repeat(epochs, 1)
    w0 = torch.tensor([float(v) for v in str(settings["perceptron_start"]).split(",")], dtype=dt)
    p_path, p_mistakes, p_pred = perceptron(x, y, w0, settings["perceptron_lr"], epochs, order)
    ctx.progress(1, 3, "perceptron")

    # --- the MLP 2 → 2 → 1
    hidden = torch.nn.Linear(2, settings["hidden"], dtype=dt)
    output = torch.nn.Linear(settings["hidden"], 1, dtype=dt)
    with torch.no_grad():
        for p in (*hidden.parameters(), *output.parameters()):
            p.copy_(settings["init_std"] * torch.randn(p.shape, generator=ctx.generator, dtype=dt))
    act = HIDDEN[settings["activation"]]()
    net = torch.nn.Sequential(hidden, act, output)
    opt = torch.optim.Adam(net.parameters(), lr=settings["lr"])
    losses, accs = [], []
    for step in range(settings["steps"] + 1):
        logits = net(x)[:, 0]
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y)
        losses.append(loss.detach())
        accs.append(((logits.detach() > 0).to(dt) == y).to(dt).mean())
        if step == settings["steps"] or loss.item() < settings["stop_loss"]:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    ctx.progress(2, 3, "mlp")

    # --- the hidden space: the four points and a grid of lines of the input plane
    lo, hi = (float(v) for v in str(settings["plane"]).split(","))
    c = torch.linspace(lo, hi, settings["grid_lines"], dtype=dt)
    s = torch.linspace(lo, hi, settings["line_points"], dtype=dt)
    vertical = torch.stack([torch.stack([torch.full_like(s, v), s], dim=1) for v in c])    # x1 = const
    horizontal = torch.stack([torch.stack([s, torch.full_like(s, v)], dim=1) for v in c])  # x2 = const
    lines = torch.cat([vertical, horizontal])                                               # (2·lines, points, 2)
    g = torch.linspace(lo, hi, settings["region_points"], dtype=dt)
    G1, G2 = torch.meshgrid(g, g, indexing="xy")
    region_pts = torch.stack([G1.reshape(-1), G2.reshape(-1)], dim=1)
    with torch.no_grad():
        h_points = act(hidden(x))
        h_lines = act(hidden(lines))
        prob = torch.sigmoid(net(x)[:, 0])
        region = torch.sigmoid(net(region_pts)[:, 0]).reshape(len(g), len(g))
    ctx.progress(3, 3, "hidden space")
    return {
        "x": x, "y": y,
        "perceptron/path": p_path, "perceptron/mistakes": p_mistakes, "perceptron/min_mistakes": p_mistakes.min(), "perceptron/pred": p_pred,
        "perceptron/order": order,
        "mlp/loss": torch.stack(losses), "mlp/acc": torch.stack(accs), "mlp/prob": prob,
        "mlp/W1": hidden.weight.detach(), "mlp/b1": hidden.bias.detach(),
        "mlp/W2": output.weight.detach()[0], "mlp/b2": output.bias.detach()[0],
        "hidden/points": h_points, "input/lines": lines, "hidden/lines": h_lines,
        "grid": g, "mlp/region": region,
    }, {"perceptron": "Rosenblatt's rule w := w + η (y − ŷ) x, step activation, examples in order"
        + (" (shuffled per epoch)" if settings["shuffle"] else " (0,0), (0,1), (1,0), (1,1)"),
        "mlp": f"2 → {settings['hidden']} → 1, {settings['activation']} hidden, sigmoid output, BCE, Adam lr {settings['lr']}, "
               f"stopped after {len(losses) - 1} steps (loss < {settings['stop_loss']}); with two hidden units some seeds "
               "end in a local minimum (75 % or 50 %), seed 1 does not"}
