"""Chapter 16 — the problems of deep learning, each with one concrete fact or computation.

* ``dl-problems``: a sourced fact for each of the lecture's six problems (``lecture/data/dl_problems.csv``),
  and energy: the training compute of chapter 4's systems (``lecture/data/training_compute.csv``) turned
  into electricity under a stated assumption (an NVIDIA A100's peak FLOP/s per watt at a utilization,
  ``lecture/data/energy.csv``), compared with a published estimate and with households' yearly use;
* ``fgsm``: manipulation made concrete: a small MLP trained on scikit-learn's 8×8 digits, and the fast
  gradient sign method (Goodfellow et al. 2015), x' = clip(x + ε·sign(∇ₓ loss), 0, 1), computed with
  torch autograd on its test digits; every seed trains one network (all seeds as one stacked program).
"""
from __future__ import annotations

import numpy as np
import torch

from . import facts
from .claims import Measured, measured, per_seed
from .core import Context, experiment
from .data import digits, shuffled_split

DATA_FILES = (facts.path("dl_problems"), facts.path("training_compute"), facts.path("energy"))
JOULES_PER_KWH = 3.6e6


@experiment("dl-problems", topic="dl-problems", seed=0, utilization=0.4, hardware_utilization=0.33)
def dl_problems(settings: dict, ctx: Context):
    """The six facts; training energy = FLOP ÷ (peak FLOP/s ÷ power × utilization)."""
    rows = facts.table("dl_problems")
    energy = facts.keyed(facts.table("energy"))
    comp = facts.training_compute(settings["hardware_utilization"])
    peak, power = float(energy["a100_peak_flops"]["value"]), float(energy["a100_power"]["value"])
    flop_per_joule = peak / power * settings["utilization"]
    kwh = comp["compute/flop"] / flop_per_joule / JOULES_PER_KWH
    household = float(energy["household_kwh"]["value"])
    return {
        "facts/key": facts.column(rows, "key", str), "facts/problem": facts.column(rows, "problem", str),
        "facts/value": facts.column(rows, "value"), "facts/year": facts.column(rows, "year"),
        "facts/cite": facts.column(rows, "cite", str),
        **comp,
        "energy/flop_per_joule": np.float64(flop_per_joule),
        "energy/kwh": kwh, "energy/mwh": kwh / 1000.0, "energy/households": kwh / household,
        "energy/household_kwh": np.float64(household),
        "energy/peak_flops": np.float64(peak), "energy/power_w": np.float64(power),
        "energy/published_mwh": np.float64(float(energy["gpt3_energy_mwh"]["value"])),
        "energy/cite": np.array([energy[k]["cite"].strip() for k in ("a100_peak_flops", "household_kwh",
                                                                     "gpt3_energy_mwh")]),
    }, {"energy": f"FLOP / ({peak:g} FLOP/s / {power:g} W × {settings['utilization']}) / 3.6e6 J/kWh"}


# --------------------------------------------------------------------------- FGSM on the digits
def stacked_mlp(params, x: torch.Tensor) -> torch.Tensor:
    """Logits of S networks 64 → h (tanh) → 10 at once: ``x`` (S, N, 64) → (S, N, 10)."""
    w1, b1, w2, b2 = params
    return torch.tanh(x @ w1 + b1) @ w2 + b2


def fgsm(params, x: torch.Tensor, y: torch.Tensor, eps: float) -> tuple[torch.Tensor, torch.Tensor]:
    """The fast gradient sign method: (the gradient of the cross-entropy with respect to the inputs,
    x' = clip(x + ε·sign(gradient), 0, 1)); each example's own gradient (summed losses)."""
    x = x.detach().clone().requires_grad_(True)
    logits = stacked_mlp(params, x)
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum")
    (grad,) = torch.autograd.grad(loss, x)
    return grad, torch.clamp(x.detach() + eps * torch.sign(grad), 0.0, 1.0)


@experiment("fgsm", topic="dl-problems", seed=0, threads=1, hidden=32, optimizer="torch.optim.Adam", lr=0.01,
            steps=300, test_share=0.25, eps=0.1, eps_max=0.3, eps_points=13, seeds=5)
def fgsm_digits(settings: dict, ctx: Context):
    """Seed k: a shuffled train/test split of the 1797 digits and a start drawn from ``ctx.seed + k``; full-batch
    Adam on the cross-entropy; then FGSM on every test digit at ``eps`` (and accuracy over a grid of ε).
    The digit shown: seed k = 0's first test digit (in the split's order) classified right whose perturbed
    copy is classified wrong."""
    dt = ctx.dtype
    data = digits()
    x_all, y_all = data.train.x.to(dt), data.train.y
    S, h = settings["seeds"], settings["hidden"]
    share = settings["test_share"]
    splits = [shuffled_split(len(x_all), (1 - share, share), ctx.seed + k) for k in range(S)]
    n_train = min(len(s[0]) for s in splits)
    n_test = min(len(s[1]) for s in splits)
    xtr = torch.stack([x_all[s[0][:n_train]] for s in splits])
    ytr = torch.stack([y_all[s[0][:n_train]] for s in splits])
    xte = torch.stack([x_all[s[1][:n_test]] for s in splits])
    yte = torch.stack([y_all[s[1][:n_test]] for s in splits])
    test_index = torch.stack([s[1][:n_test] for s in splits])
    params = []
    for shape, fan_in in (((64, h), 64), ((1, h), None), ((h, 10), h), ((1, 10), None)):
        ws = []
        for k in range(S):
            gen = torch.Generator().manual_seed(ctx.seed + k + 1000 * len(params))
            ws.append(torch.randn(shape, generator=gen, dtype=dt) / np.sqrt(fan_in) if fan_in else torch.zeros(shape, dtype=dt))
        params.append(torch.stack(ws).requires_grad_(True))
    opt = torch.optim.Adam(params, lr=settings["lr"])
    losses = torch.zeros(S, settings["steps"], dtype=dt)
    for step in range(settings["steps"]):
        opt.zero_grad()
        logits = stacked_mlp(params, xtr)
        loss = torch.nn.functional.cross_entropy(logits.permute(0, 2, 1), ytr, reduction="none").mean(1)  # (S,)
        loss.sum().backward()                                    # each network's gradient is its own loss's
        opt.step()
        losses[:, step] = loss.detach()
    params = [p.detach() for p in params]
    ctx.progress(1, 2, "trained")
    eps = settings["eps"]
    with torch.no_grad():
        clean_pred = stacked_mlp(params, xte).argmax(-1)
        train_acc = (stacked_mlp(params, xtr).argmax(-1) == ytr).to(dt).mean(1)
    grad, x_adv = fgsm(params, xte, yte, eps)
    with torch.no_grad():
        adv_logits = stacked_mlp(params, x_adv)
        adv_pred = adv_logits.argmax(-1)
        clean_ok = clean_pred == yte
        flipped = clean_ok & (adv_pred != yte)
        clean_acc = clean_ok.to(dt).mean(1)
        adv_acc = (adv_pred == yte).to(dt).mean(1)
        flip_rate = flipped.to(dt).sum(1) / clean_ok.to(dt).sum(1)
        # accuracy over a grid of ε (the perturbation scaled; its sign is that of the same gradient)
        grid = torch.linspace(0.0, settings["eps_max"], settings["eps_points"], dtype=dt)
        acc_grid = torch.stack([(stacked_mlp(params, torch.clamp(xte + e * torch.sign(grad), 0, 1)).argmax(-1) == yte)
                                .to(dt).mean(1) for e in grid], dim=1)                      # (S, eps)
        # the digit shown (seed 0): the first right one that flips
        candidates = torch.nonzero(flipped[0]).flatten()
        shown = int(candidates[0]) if len(candidates) else 0
        p_clean = torch.softmax(stacked_mlp(params, xte[0, shown:shown + 1].unsqueeze(0)), -1)[0, 0]
        p_adv = torch.softmax(adv_logits[0, shown], -1)
    ctx.progress(2, 2, "attacked")
    w1, b1, w2, b2 = params
    return {
        "seed_values": torch.arange(S) + ctx.seed,
        "seeds/train_acc": train_acc, "seeds/clean_acc": clean_acc, "seeds/adv_acc": adv_acc,
        "seeds/flip_rate": flip_rate, "seeds/loss": losses[:, -1], "seeds/acc_by_eps": acc_grid,
        "eps": torch.tensor(eps, dtype=dt), "eps_grid": grid,
        "loss": losses[0],
        "net/W1": w1[0], "net/b1": b1[0, 0], "net/W2": w2[0], "net/b2": b2[0, 0],
        "test/x": xte[0], "test/y": yte[0], "test/index": test_index[0],
        "test/clean_pred": clean_pred[0], "test/adv_pred": adv_pred[0], "test/grad": grad[0], "test/adv": x_adv[0],
        "shown/index": torch.tensor(shown), "shown/x": xte[0, shown], "shown/label": yte[0, shown],
        "shown/grad": grad[0, shown], "shown/perturbation": eps * torch.sign(grad[0, shown]),
        "shown/adv": x_adv[0, shown], "shown/clean_pred": clean_pred[0, shown], "shown/adv_pred": adv_pred[0, shown],
        "shown/p_clean": p_clean, "shown/p_adv": p_adv,
        "shown/changed_pixels": (x_adv[0, shown] != xte[0, shown]).sum(),
        "shown/max_change": (x_adv[0, shown] - xte[0, shown]).abs().max(),
    }, {"data": f"{data.source}, pixels / 16; per seed a shuffled split, {n_train} train / {n_test} test",
        "network": f"64 → {h} (tanh) → 10, full-batch {settings['optimizer']} lr {settings['lr']}, {settings['steps']} steps",
        "attack": f"FGSM x' = clip(x + {eps}·sign(∇x cross-entropy), 0, 1) (Goodfellow et al. 2015)"}


# --------------------------------------------------------------------------- claims
def claim_fgsm_flips(results) -> Measured:
    """In every seed the network is accurate on clean test digits (≥ 90 %) and FGSM at ε flips a large part
    of the digits it got right (≥ 30 %), so accuracy falls by more than 25 points."""
    res = results["fgsm"]
    clean, adv, flip = res["seeds/clean_acc"], res["seeds/adv_acc"], res["seeds/flip_rate"]
    return per_seed([int(s) for s in res["seed_values"]], (clean >= 0.9) & (flip >= 0.3) & (clean - adv > 0.25),
                    clean_acc=clean, adv_acc=adv, flip_rate=flip, eps=float(res["eps"]))


def claim_energy_optimistic(results) -> Measured:
    """The energy computed for GPT-3 under the stated assumption (A100 peak per watt at the utilization) is
    below the published estimate (Patterson et al. 2021, older V100 GPUs): the assumption gives a lower bound."""
    res = results["dl-problems"]
    systems = list(res["compute/system"])
    mwh = float(res["energy/mwh"][systems.index("GPT-3")])
    published = float(res["energy/published_mwh"])
    return measured(mwh < published, gpt3_mwh=mwh, published_mwh=published,
                    households=float(res["energy/households"][systems.index("GPT-3")]))
