"""Moving averages of noisy mini-batch losses, shared by the figures that draw them (the optimizers,
learning-rate decay, vanishing gradients, weight initialization).  The data tags of figures/base.py name
them as transforms: ``trailing-mean(n)``, ``centred-mean(n)``."""
from __future__ import annotations

import numpy as np


def trailing_mean(values: np.ndarray, window: int) -> np.ndarray:
    """A trailing moving average (the first points average what exists so far)."""
    c = np.cumsum(np.insert(values.astype(float), 0, 0.0))
    idx = np.arange(1, len(values) + 1)
    lo = np.maximum(idx - window, 0)
    return (c[idx] - c[lo]) / (idx - lo)


def centred_mean(values: np.ndarray, window: int) -> np.ndarray:
    """A centred moving average (edges averaged over what exists), for noisy mini-batch losses."""
    window = max(1, min(window, len(values)))
    kernel = np.ones(window)
    return np.convolve(values, kernel, "same") / np.convolve(np.ones_like(values), kernel, "same")
