"""The explorers' data: small JSON-able dictionaries cut from the engine's stored results.

Every number here is read from a stored result (``engine.store``, numpy only); floats are rounded to a
few significant digits and the surfaces' grids are turned into contour lines, so that the exported files
stay small.  A builder returns ``None`` when a result it needs is not stored (the explorer is then left
out of the page).
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Callable

import numpy as np

from engine.store import Result, StoreError, load
from lecture.theme import ROLE

DIGITS = 4   # significant digits of every exported float


def num(value: float, digits: int = DIGITS) -> float | None:
    """``value`` rounded to ``digits`` significant digits (None for NaN or infinity, which JSON lacks)."""
    value = float(value)
    if not math.isfinite(value):
        return None
    return float(f"{value:.{digits}g}")


def nums(values, digits: int = DIGITS) -> list:
    """A (nested) array as lists of rounded floats."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        return num(arr, digits)
    return [nums(v, digits) for v in arr] if arr.ndim > 1 else [num(v, digits) for v in arr]


def decimals_for(span: float) -> int:
    """Decimal places that resolve 1/2000 of a drawing's span (under half a pixel on the page)."""
    return max(0, math.ceil(-math.log10(span / 2000)))


def coords(values, decimals: int = 2) -> list:
    """Coordinates of a path, rounded to ``decimals`` places (None for NaN)."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim > 1:
        return [coords(v, decimals) for v in arr]
    return [round(float(v), decimals) if math.isfinite(v) else None for v in arr]


def _load(results_dir: Path, result_id: str, *needs: str) -> Result | None:
    try:
        res = load(result_id, Path(results_dir))
    except StoreError:
        return None
    return res if all(name in res for name in needs) else None


def _source(res: Result) -> dict[str, Any]:
    """Where the numbers come from: the result's id, seed, device and torch version."""
    meta = res.meta
    return {"result": res.id, "seed": meta.get("seed"), "device": meta.get("device"),
            "torch": meta.get("versions", {}).get("torch")}


def contour_lines(xs, ys, zs, levels, points: int = 51, digits: int | None = None) -> list[dict]:
    """Contour lines of ``zs`` (rows: y, columns: x) at ``levels``: ``[{"level", "lines": [[x, y, x, y, …]]}]``
    (contourpy, matplotlib's own contouring, on about ``points`` × ``points`` of the grid's points)."""
    import contourpy

    step = max(1, (len(xs) - 1) // (points - 1))
    if digits is None:
        digits = decimals_for(min(float(np.ptp(xs)), float(np.ptp(ys))))
    xs, ys, zs = np.asarray(xs)[::step], np.asarray(ys)[::step], np.asarray(zs)[::step, ::step]
    gen = contourpy.contour_generator(xs, ys, zs, line_type=contourpy.LineType.Separate)
    out = []
    for level in levels:
        lines = [[v for point in line for v in (round(float(point[0]), digits), round(float(point[1]), digits))]
                 for line in gen.lines(float(level)) if len(line) > 1]
        out.append({"level": num(level), "lines": lines})
    return out


# the surfaces as the explorers draw them (the lecture's figures use the same domains and levels)
SURFACE_VIEW = {
    # id: (drawing domain, contour levels as a function of the grid's values)
    "textbook": ((-10.0, 10.0, -5.0, 5.0), lambda zs: [0.1, 0.5, 1, 2, 4, 7, 11, 16, 22, 29]),
    "beale": ((-4.5, 4.5, -4.5, 4.5),
              lambda zs: list(np.logspace(np.log10(max(float(zs.min()), 1e-3)), np.log10(float(zs.max())), 16))),
    "saddle": ((-1.0, 1.0, -1.0, 1.0), lambda zs: list(np.linspace(-0.875, 0.875, 15))),
}


# --------------------------------------------------------------------------- (a) learning rates
def gradient_descent(results_dir: Path) -> dict | None:
    """gd-parabola's learning-rate sweep on J(w) = w² and, when stored, the optimizers experiment's SGD sweep on
    the textbook surface x²/20 + y² (with its contour lines)."""
    par = _load(results_dir, "gd-parabola", "sweep/lrs", "sweep/w", "sweep/J", "sweep/diverged", "sweep/last")
    if par is None:
        return None
    last = par["sweep/last"].astype(int)
    runs = len(par["sweep/lrs"])
    curve = slice(None, None, 5)
    data: dict[str, Any] = {
        "parabola": {
            "lrs": nums(par["sweep/lrs"]),
            "w": [coords(par["sweep/w"][: last[r] + 1, r], decimals_for(24.0)) for r in range(runs)],
            "J": [nums(par["sweep/J"][: last[r] + 1, r], 3) for r in range(runs)],
            "diverged": [bool(v) for v in par["sweep/diverged"]],
            "last": [int(v) for v in last],
            "steps": int(par["sweep/w"].shape[0] - 1),
            "diverge_factor": num(par.settings.get("diverge_factor", 4.0)),
            "curve": {"w": nums(par["curve_w"][curve]), "J": nums(par["curve_J"][curve])},
            "source": _source(par),
        },
        "sources": [_source(par)],
        "colours": {"path": ROLE["highlight"], "curve": "#5F6670", "diverged": ROLE["lr-diverging"],
                    "parabola": ROLE["GD"], "textbook": ROLE["Momentum"]},
    }
    # the default: the run nearest η = 0.2 (the chapter's "about right" rate)
    lrs = np.asarray(par["sweep/lrs"], dtype=float)
    data["default"] = int(np.argmin(np.abs(lrs - 0.2)))
    opt = _load(results_dir, "optimizers", "textbook_sweep/lrs", "textbook_sweep/path", "textbook_sweep/loss",
                "textbook_grid/xs")
    if opt is not None:
        tlast = opt["textbook_sweep/last"].astype(int)
        domain = SURFACE_VIEW["textbook"][0]
        path = opt["textbook_sweep/path"]
        data["textbook"] = {
            "lrs": nums(opt["textbook_sweep/lrs"]),
            "path": [coords(path[: tlast[r] + 1, r], decimals_for(domain[3] - domain[2]))
                     for r in range(path.shape[1])],
            "loss": [nums(opt["textbook_sweep/loss"][: tlast[r] + 1, r], 3) for r in range(path.shape[1])],
            "diverged": [bool(v) for v in opt["textbook_sweep/diverged"]],
            "last": [int(v) for v in tlast],
            "steps": int(path.shape[0] - 1),
            "diverge_factor": num(opt.settings.get("sweep_diverge_factor", 4.0)),
            "domain": list(domain),
            "contours": contour_lines(opt["textbook_grid/xs"], opt["textbook_grid/ys"], opt["textbook_grid/zs"],
                                      SURFACE_VIEW["textbook"][1](None)),
            "source": _source(opt),
        }
        data["sources"].append(_source(opt))
    return data


# --------------------------------------------------------------------------- (b) optimizers
MINIMA = {"textbook": [0.0, 0.0], "beale": [3.0, 0.5], "saddle": [0.0, 0.0]}


def optimizers(results_dir: Path) -> dict | None:
    """The five optimizers' paths on the textbook surface, Beale and the saddle (the ``optimizers`` experiment)."""
    res = _load(results_dir, "optimizers", "names")
    if res is None:
        return None
    names = [str(n) for n in res["names"]]
    surfaces = []
    for sid, (domain, levels) in SURFACE_VIEW.items():
        if f"{sid}_grid/zs" not in res:
            return None
        runs = {}
        places = decimals_for(min(domain[1] - domain[0], domain[3] - domain[2]))
        for name in names:
            path = np.asarray(res[f"{sid}/{name}"], dtype=float)
            last = int(res.scalar(f"{sid}_last/{name}"))
            runs[name] = {"lr": num(res.scalar(f"{sid}_lr/{name}")), "path": coords(path[: last + 1], places),
                          "loss": nums(np.asarray(res[f"{sid}_loss/{name}"])[: last + 1], 3),
                          "stopped": bool(res.scalar(f"{sid}_stopped/{name}")), "last": last}
        zs = np.asarray(res[f"{sid}_grid/zs"], dtype=float)
        surfaces.append({"id": sid, "domain": list(domain), "minimum": MINIMA[sid],
                         "steps": int(np.asarray(res[f"{sid}/{names[0]}"]).shape[0] - 1),
                         "contours": contour_lines(res[f"{sid}_grid/xs"], res[f"{sid}_grid/ys"], zs, levels(zs)),
                         "runs": runs})
    return {"names": names, "colours": {n: ROLE[n] for n in names}, "surfaces": surfaces, "source": _source(res)}


# --------------------------------------------------------------------------- (c) initialization
def weight_init(results_dir: Path) -> dict | None:
    """Activation histograms of the 5 layers for 4 initializations × 3 activations (weight-init-histograms)."""
    res = _load(results_dir, "weight-init-histograms", "inits", "activations")
    if res is None:
        return None
    inits = [str(v) for v in res["inits"]]
    acts = [str(v) for v in res["activations"]]
    out: dict[str, Any] = {"inits": inits, "activations": acts, "edges": {}, "hist": {}, "std": {}, "mean": {},
                           "zero_frac": {},
                           # the values in one layer's histogram: samples × units (the share's denominator)
                           "samples": int(res.settings["samples"]) * int(res.settings["width"]),
                           "colours": {i: ROLE.get(f"init-{i}", ROLE["highlight"]) for i in inits},
                           "source": _source(res)}
    for act in acts:
        out["edges"][act] = nums(res[f"edges/{act}"])
        out["hist"][act] = {i: [[int(round(c)) for c in layer] for layer in res[f"hist/{act}/{i}"]] for i in inits}
        out["std"][act] = {i: nums(res[f"std/{act}/{i}"]) for i in inits}
        out["mean"][act] = {i: nums(res[f"mean/{act}/{i}"]) for i in inits}
        out["zero_frac"][act] = {i: nums(res[f"zero_frac/{act}/{i}"]) for i in inits}
    out["layers"] = len(out["std"][acts[0]][inits[0]])
    return out


# --------------------------------------------------------------------------- (d) batch normalization
def batch_norm(results_dir: Path) -> dict | None:
    """Accuracy per epoch with and without batch normalization for the 16 weight scales (batch-norm-scales):
    the lecture's seed, and the lowest and highest of all seeds."""
    res = _load(results_dir, "batch-norm-scales", "scales", "train_acc/bn", "train_acc/plain")
    if res is None:
        return None
    out: dict[str, Any] = {"scales": nums(res["scales"]), "epochs": [int(e) for e in res["epochs"]],
                           "variants": ["bn", "plain"], "colours": {"bn": ROLE["bn"], "plain": ROLE["plain"]},
                           "train_acc": {}, "test_acc": {}, "band": {}, "seeds": [int(s) for s in res["seed_values"]],
                           "source": _source(res)}
    for v in ("bn", "plain"):
        out["train_acc"][v] = nums(res[f"train_acc/{v}"], 3)
        out["test_acc"][v] = nums(res[f"test_acc/{v}"], 3)
        every = np.asarray(res[f"seeds/train_acc/{v}"], dtype=float)       # (seeds, scales, epochs + 1)
        out["band"][v] = {"lo": nums(every.min(axis=0), 3), "hi": nums(every.max(axis=0), 3)}
    return out


BUILDERS: dict[str, Callable[[Path], dict | None]] = {
    "gd": gradient_descent, "optimizers": optimizers, "init": weight_init, "bn": batch_norm,
}
