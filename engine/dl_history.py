"""Chapter 4 — the history of deep learning in data: the lecture's table 1943–2023 (years and eras),
ImageNet classification error by year (the ILSVRC
winners and the human reference) and the training compute of notable systems on a log scale.

Nothing is trained.  The numbers are read from ``lecture/data/dl_history_table.csv``, ``lecture/data/imagenet_error.csv`` and
``lecture/data/training_compute.csv`` (every row with its year and source); the compute of a system the
paper gives as hardware time or as parameters and tokens is computed here (``engine.facts``), and a
least-squares line through log₂ compute against the year gives the doubling time the video states.
"""
from __future__ import annotations

import numpy as np
import torch

from . import facts
from .claims import Measured, measured
from .core import Context, experiment

DATA_FILES = (facts.path("dl_history_table"), facts.path("imagenet_error"), facts.path("training_compute"))


def doubling_fit(years: torch.Tensor, flop: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Least squares log₂ FLOP = a + b · year (torch.linalg.lstsq); returns (a, b): b doublings a year."""
    design = torch.stack([torch.ones_like(years), years - years[0]], dim=1)
    coef = torch.linalg.lstsq(design, torch.log2(flop).unsqueeze(1)).solution[:, 0]
    return coef[0] - coef[1] * years[0], coef[1]


@experiment("dl-history", topic="dl-history", seed=0, utilization=0.33, fit_points=50)
def dl_history(settings: dict, ctx: Context):
    """The lecture's history table (years, eras); ImageNet winners' error by year; training compute by year with its fitted doubling time."""
    table = facts.table("dl_history_table")
    net = facts.imagenet()
    comp = facts.training_compute(settings["utilization"])
    years = torch.tensor(comp["compute/year"], dtype=ctx.dtype)
    flop = torch.tensor(comp["compute/flop"], dtype=ctx.dtype)
    a, b = doubling_fit(years, flop)
    line_years = torch.linspace(float(years.min()), float(years.max()), settings["fit_points"], dtype=ctx.dtype)
    span = float(years.max() - years.min())
    return {
        "history/key": facts.column(table, "key", str), "history/year": facts.column(table, "value"),
        "history/era": facts.column(table, "era"),
        **net, **comp,
        "compute/log10": torch.log10(flop),
        "fit/intercept": a, "fit/doublings_per_year": b, "fit/doubling_months": 12.0 / b,
        "fit/year": line_years, "fit/flop": torch.pow(2.0, a + b * line_years),
        "compute/growth": flop.max() / flop[0],                       # last (largest) over the first system's
        "compute/span_years": torch.tensor(span, dtype=ctx.dtype),
        "imagenet/fold": torch.tensor(float(net["imagenet/error"][0] / net["imagenet/error"][-1]), dtype=ctx.dtype),
    }, {"fit": "least squares of log2(FLOP) on the year over the systems of lecture/data/training_compute.csv",
        "hardware rows": f"chips × peak FLOP/s × days × 86400 × utilization {settings['utilization']}"}


# --------------------------------------------------------------------------- claims
def claim_error_falls(results) -> Measured:
    """The ILSVRC winners' top-5 error falls every year, and below the human reference (5.1 %) from 2015 on."""
    res = results["dl-history"]
    error, years, human = res["imagenet/error"], res["imagenet/year"], float(res["imagenet/human"])
    below = years[error < human]
    first = float(below.min()) if len(below) else float("nan")
    holds = bool(np.all(np.diff(error) < 0) and len(below) and np.all(error[years >= first] < human))
    return measured(holds, first_error=error[0], last_error=error[-1], human=human, first_below=first)


def claim_compute_doubles_fast(results) -> Measured:
    """Training compute of the notable systems doubled faster than once a year (the fitted doubling time is
    under 12 months; Moore's law: about 24)."""
    res = results["dl-history"]
    months = float(res["fit/doubling_months"])
    return measured(bool(0 < months < 12), doubling_months=months, growth=float(res["compute/growth"]),
                    years=float(res["compute/span_years"]))
