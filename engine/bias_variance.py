"""Chapter 12 — 편의와 분산: polynomial regression of degree 1 … 15 on noisy samples of a smooth curve.

* One training set of ``n_train`` points ``x ~ U(0, 1)``, ``y = cos(1.5πx) + ε``, ``ε ~ N(0, σ²)``
  (scikit-learn's under/overfitting example; the lecture shows p = 1, 5, 15), fitted by least
  squares in torch (``torch.linalg.lstsq``) for every degree; training and validation MSE per
  degree (the U-shaped curve).
* Bias² and variance, estimated over ``datasets`` resampled training sets at once: the design
  matrices of all data sets form one ``(datasets, n, p + 1)`` tensor and one batched ``lstsq``
  fits them all.  Their sum plus σ² is compared with the test MSE measured on fresh noisy points.
* The lecture's diagnosis table (train / validation error → 과대적합(고분산), 과소적합(고편의), …)
  filled with the errors of computed fits; the thresholds are settings.

The polynomial is written in powers of ``z = 2x − 1`` (the same column space as powers of x,
far better conditioned for degree 15).
"""
from __future__ import annotations

import math

import numpy as np
import torch

from .claims import Measured, measured
from .core import Context, experiment

DIAGNOSES = ("overfit", "underfit", "both", "neither")


def target(x: torch.Tensor) -> torch.Tensor:
    """The smooth function the data are sampled from: cos(1.5πx)."""
    return torch.cos(1.5 * math.pi * x)


def design(x: torch.Tensor, degree: int) -> torch.Tensor:
    """Columns 1, z, z², …, z^degree with z = 2x − 1 (works on any leading batch shape)."""
    return torch.linalg.vander(2.0 * x - 1.0, N=degree + 1)


def lstsq_driver(device: torch.device) -> str:
    # gelsd (SVD) copes with nearly singular degree-15 designs; CUDA offers QR only.
    return "gelsd" if device.type == "cpu" else "gels"


def fit(x: torch.Tensor, y: torch.Tensor, degree: int) -> torch.Tensor:
    """Least-squares coefficients for data of shape ``(..., n)``; returns ``(..., degree + 1)``."""
    sol = torch.linalg.lstsq(design(x, degree), y.unsqueeze(-1), driver=lstsq_driver(x.device)).solution
    return sol.squeeze(-1)


def predict(coef: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Polynomial values; ``coef`` ``(..., p + 1)``, ``x`` ``(..., m)`` → ``(..., m)``."""
    return (design(x, coef.shape[-1] - 1) @ coef.unsqueeze(-1)).squeeze(-1)


def sample(n: int, sigma: float, ctx: Context, *shape: int) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.rand(*shape, n, generator=ctx.generator, dtype=ctx.dtype).to(ctx.device)
    noise = torch.randn(*shape, n, generator=ctx.generator, dtype=ctx.dtype).to(ctx.device)
    return x, target(x) + sigma * noise


def diagnose(train_mse: float, val_mse: float, sigma: float, bias_factor: float, variance_factor: float) -> str:
    """The lecture's table as a rule: high bias (고편의) ↔ the training error is well above the
    noise floor σ²; high variance (고분산) ↔ the validation error is well above the training error."""
    high_bias = train_mse > bias_factor * sigma**2
    high_variance = val_mse > variance_factor * train_mse
    return {(False, True): "overfit", (True, False): "underfit", (True, True): "both",
            (False, False): "neither"}[(high_bias, high_variance)]


def resampled(n: int, degree: int, sigma: float, datasets: int, x_test: torch.Tensor, ctx: Context,
              grid: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
    """Fit ``datasets`` fresh training sets of ``n`` points at once (one batched ``lstsq``).

    Returns bias², variance (divisor R) and the noise-free error at ``x_test``, the mean training
    MSE, the measured test MSE on fresh noisy targets at ``x_test`` (one draw per data set) with
    its Monte Carlo standard error, and the mean and spread of the fits on ``grid``.
    """
    xs, ys = sample(n, sigma, ctx, datasets)                                        # (R, n)
    m = x_test.shape[-1]
    y_test = target(x_test) + sigma * torch.randn(datasets, m, generator=ctx.generator, dtype=ctx.dtype).to(ctx.device)
    coef = fit(xs, ys, degree)                                                      # (R, p + 1)
    pred = predict(coef, x_test.expand(datasets, m))                                # (R, m)
    avg = pred.mean(0)
    err = ((y_test - pred) ** 2).mean(1)                                            # one test MSE per data set
    out = {"bias2": ((avg - target(x_test)) ** 2).mean(), "variance": ((pred - avg) ** 2).mean(),
           "train_mse": ((predict(coef, xs) - ys) ** 2).mean(), "test_mse": err.mean(),
           "test_se": err.std() / math.sqrt(datasets)}
    if grid is not None:
        on_grid = predict(coef, grid.expand(datasets, -1))
        out.update(mean_fit=on_grid.mean(0), fit_spread=on_grid.std(0))
    return out


@experiment("bias-variance", topic="bias-variance", seed=12, threads=1, n_train=30, n_val=100, noise=0.1, max_degree=15,
            shown_degrees=[1, 5, 15], datasets=2000, test_points=200, grid_points=400,
            table_rows=[[15, 30], [1, 30], [1, 5], [5, 30]], bias_factor=2.0, variance_factor=2.5)
def bias_variance(settings: dict, ctx: Context):
    """Polynomial fits of degree 1 … 15: U-shaped validation error and the bias²/variance decomposition."""
    sigma, max_deg = settings["noise"], settings["max_degree"]
    degrees = torch.arange(1, max_deg + 1)
    x_tr, y_tr = sample(settings["n_train"], sigma, ctx)
    x_val, y_val = sample(settings["n_val"], sigma, ctx)
    grid = torch.linspace(0, 1, settings["grid_points"], dtype=ctx.dtype, device=ctx.device)

    # 1. one data set, every degree: training and validation MSE
    train_mse = torch.zeros(max_deg, dtype=ctx.dtype)
    val_mse = torch.zeros(max_deg, dtype=ctx.dtype)
    out: dict = {"degrees": degrees, "x_train": x_tr, "y_train": y_tr, "x_val": x_val, "y_val": y_val,
                 "grid": grid, "truth": target(grid), "shown_degrees": torch.tensor(settings["shown_degrees"])}
    for i, p in enumerate(degrees.tolist()):
        coef = fit(x_tr, y_tr, p)
        train_mse[i] = ((predict(coef, x_tr) - y_tr) ** 2).mean()
        val_mse[i] = ((predict(coef, x_val) - y_val) ** 2).mean()
        if p in settings["shown_degrees"]:
            out[f"fit/{p}"] = predict(coef, grid)
            out[f"coef/{p}"] = coef
    out.update(train_mse=train_mse, val_mse=val_mse)

    # 2. many resampled data sets per degree: bias², variance and the measured test MSE
    R = settings["datasets"]
    x_test = torch.rand(settings["test_points"], generator=ctx.generator, dtype=ctx.dtype).to(ctx.device)
    per_degree: dict[str, list] = {}
    for i, p in enumerate(degrees.tolist()):
        for key, value in resampled(settings["n_train"], p, sigma, R, x_test, ctx, grid).items():
            per_degree.setdefault(key, []).append(value)
        ctx.progress(i + 1, max_deg, f"degree {p}")
    for key, values in per_degree.items():
        out["expected_train_mse" if key == "train_mse" else key] = torch.stack(values)
    out.update(noise_var=torch.tensor(sigma**2, dtype=ctx.dtype), x_test=x_test)

    # 2b. the shown degrees fitted to the same resampled training sets and judged on the same fresh
    #     validation sets, so that the narration's comparisons can be checked set by set
    xs, ys = sample(settings["n_train"], sigma, ctx, R)
    xv, yv = sample(settings["n_val"], sigma, ctx, R)
    paired_train, paired_val = [], []
    for p in settings["shown_degrees"]:
        coef = fit(xs, ys, p)
        paired_train.append(((predict(coef, xs) - ys) ** 2).mean(1))
        paired_val.append(((predict(coef, xv) - yv) ** 2).mean(1))
    out.update({"paired/train_mse": torch.stack(paired_train, 1), "paired/val_mse": torch.stack(paired_val, 1)})

    # 3. the diagnosis table: expected training and validation errors of chosen fits (degree, n)
    rows = [resampled(n, p, sigma, R, x_test, ctx) for p, n in settings["table_rows"]]
    tr = torch.stack([r["train_mse"] for r in rows])
    va = torch.stack([r["test_mse"] for r in rows])
    out.update(table_degree=torch.tensor([p for p, _ in settings["table_rows"]]),
               table_n=torch.tensor([n for _, n in settings["table_rows"]]),
               table_train=tr, table_val=va,
               table_bias2=torch.stack([r["bias2"] for r in rows]),
               table_variance=torch.stack([r["variance"] for r in rows]),
               table_label=np.array([diagnose(float(a), float(b), sigma, settings["bias_factor"],
                                              settings["variance_factor"]) for a, b in zip(tr, va)]))
    return out, {"function": "cos(1.5πx), x ~ U(0, 1)", "basis": "powers of z = 2x − 1",
                 "lstsq_driver": lstsq_driver(ctx.device), "variance": "mean over data sets, divisor R",
                 "table": "errors averaged over the resampled training sets; validation = fresh noisy points"}


# --------------------------------------------------------------------------- claims
def _shown(r, degree: int) -> int:
    return int(np.flatnonzero(np.asarray(r["shown_degrees"]) == degree)[0])


def claim_fits(results) -> Measured:
    """On the training set the video shows, p = 15 has the lowest training error and p = 5 the lowest
    validation error of the three fits (p = 15 overfits, p = 1 underfits)."""
    r = results["bias-variance"]
    tr, va = r["train_mse"], r["val_mse"]           # index = degree − 1
    holds = tr[14] < tr[4] < tr[0] and va[4] < va[0] and va[4] < va[14]
    return measured(holds, train_1=tr[0], train_5=tr[4], train_15=tr[14], val_1=va[0], val_5=va[4], val_15=va[14])


def claim_overfitting_is_typical(results) -> Measured:
    """Not a lucky draw: over the resampled training sets (the same sets for every degree), p = 15's validation
    error exceeds p = 5's in at least 90 % of them, and p = 1's exceeds p = 5's in at least 90 %."""
    r = results["bias-variance"]
    va = r["paired/val_mse"]
    i1, i5, i15 = _shown(r, 1), _shown(r, 5), _shown(r, 15)
    over = float(np.mean(va[:, i15] > va[:, i5]))
    under = float(np.mean(va[:, i1] > va[:, i5]))
    return measured(over >= 0.9 and under >= 0.9, share_15_above_5=over, share_1_above_5=under, sets=len(va))
