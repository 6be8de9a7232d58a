"""Factual tables of the lecture (``lecture/data/*.csv``): historical numbers with a year and a source per row.

A table is a CSV file whose lines starting with ``#`` are comments; its first other line names the columns,
among them ``value``, ``year`` and ``source`` (every row has a year and a source).  An experiment that reads
a table names it in its module's ``DATA_FILES``, so that its results are recomputed when the table changes
(``engine.core.Experiment.source_fingerprint``).  The standard library and numpy only.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from .core import EngineError

DATA = Path(__file__).resolve().parents[1] / "lecture" / "data"
REQUIRED = ("value", "year", "source")


def path(name: str) -> Path:
    """The table ``name`` (``"imagenet_error"``) in ``lecture/data``."""
    return DATA / f"{name}.csv"


def table(name: str) -> list[dict[str, str]]:
    """The rows of ``lecture/data/<name>.csv`` as dicts of strings; every row must have a year and a source."""
    file = path(name)
    if not file.exists():
        raise EngineError(f"data table '{name}' is missing: expected {file.name} in lecture/data")
    lines = [line for line in file.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    for col in REQUIRED:
        if rows and col not in rows[0]:
            raise EngineError(f"data table '{name}' has no column '{col}'")
    for k, row in enumerate(rows):
        if not row["source"].strip() or not row["year"].strip().isdigit():
            raise EngineError(f"data table '{name}', row {k + 1}: every row needs a year and a source")
    return rows


def column(rows: list[dict[str, str]], name: str, kind=float) -> np.ndarray:
    """One column as an array: numbers (an empty cell is NaN), or strings with ``kind=str``."""
    if kind is str:
        return np.array([r[name].strip() for r in rows], dtype=str)
    return np.array([float(r[name]) if r[name].strip() else np.nan for r in rows], dtype=np.float64)


def keyed(rows: list[dict[str, str]], key: str = "key") -> dict[str, dict[str, str]]:
    """The rows by their ``key`` column."""
    return {r[key].strip(): r for r in rows}


# --------------------------------------------------------------------------- tables several topics read
def imagenet() -> dict[str, np.ndarray]:
    """ILSVRC classification: the winners' top-5 error by year (percent), and the human reference."""
    rows = table("imagenet_error")
    kind = column(rows, "kind", str)
    win = kind == "winner"
    years, error = column(rows, "year")[win], column(rows, "value")[win]
    order = np.argsort(years)
    human = [r for r, k in zip(rows, kind) if k == "human"]
    if len(human) != 1:
        raise EngineError("data table 'imagenet_error' needs exactly one row of kind 'human'")
    return {"imagenet/year": years[order], "imagenet/error": error[order],
            "imagenet/system": column(rows, "system", str)[win][order],
            "imagenet/cite": column(rows, "cite", str)[win][order],
            "imagenet/human": np.float64(human[0]["value"]), "imagenet/human_year": np.float64(human[0]["year"]),
            "imagenet/human_cite": np.array(human[0]["cite"].strip())}


def training_compute(utilization: float) -> dict[str, np.ndarray]:
    """Training compute (FLOP) of notable systems, by each row's method: the paper's reported total, an
    outside estimate, 6·N·D (parameters × training tokens), or chips × peak FLOP/s × days × 86 400 ×
    ``utilization``."""
    rows = table("training_compute")
    method = column(rows, "method", str)
    value, params, tokens = column(rows, "value"), column(rows, "params"), column(rows, "tokens")
    chips, peak, days = column(rows, "chips"), column(rows, "peak_flops"), column(rows, "days")
    flop = np.full(len(rows), np.nan)
    given = np.isin(method, ("reported", "estimate"))
    flop[given] = value[given]
    six = method == "6ND"
    flop[six] = 6.0 * params[six] * tokens[six]
    hw = method == "hardware"
    flop[hw] = chips[hw] * peak[hw] * days[hw] * 86400.0 * utilization
    if np.isnan(flop).any():
        bad = column(rows, "system", str)[np.isnan(flop)]
        raise EngineError(f"data table 'training_compute': no compute for {', '.join(bad)} (check method and columns)")
    years = column(rows, "year")
    order = np.argsort(years, kind="stable")
    return {"compute/system": column(rows, "system", str)[order], "compute/year": years[order],
            "compute/flop": flop[order], "compute/method": method[order],
            "compute/cite": column(rows, "cite", str)[order],
            "compute/params": params[order], "compute/tokens": tokens[order]}
