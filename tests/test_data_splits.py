"""Chapter 10 — the 60/20/20 split and the three loss curves of one run."""
from __future__ import annotations

from lecture import settings

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.data_splits import DataSplits

__module_test__ = "data_splits"

OVERRIDES = {"data-splits": {"epochs": 20}}


@pytest.fixture(scope="module")
def ds(compute_results):
    return compute_results("data-splits", overrides=OVERRIDES)["data-splits"]


def test_split_sizes_are_60_20_20(ds):
    n = int(ds["n"])
    assert n == 1797
    sizes = [int(v) for v in ds["sizes"]]
    assert sum(sizes) == n
    assert sizes == [round(0.6 * n), round(0.8 * n) - round(0.6 * n), n - round(0.8 * n)]
    for name, share in zip(("train", "validation", "test"), (0.6, 0.2, 0.2)):
        assert len(ds[f"index/{name}"]) == sizes[("train", "validation", "test").index(name)]
        assert abs(len(ds[f"index/{name}"]) / n - share) < 1 / n + 1e-9


def test_split_is_disjoint_and_covers_everything(ds):
    parts = [set(ds[f"index/{name}"].tolist()) for name in ("train", "validation", "test")]
    assert not (parts[0] & parts[1]) and not (parts[0] & parts[2]) and not (parts[1] & parts[2])
    assert set().union(*parts) == set(range(int(ds["n"])))


def test_split_is_seeded_and_stored(ds):
    from sklearn.datasets import load_digits

    from engine.data import shuffled_split

    again = shuffled_split(int(ds["n"]), (0.6, 0.2, 0.2), ds.meta["seed"])
    for name, idx in zip(("train", "validation", "test"), again):
        np.testing.assert_array_equal(ds[f"index/{name}"], idx.numpy())
    np.testing.assert_array_equal(ds["labels"], load_digits().target)
    # the example images are the first images of each part
    images = load_digits().data / 16.0
    np.testing.assert_allclose(ds["images"][0].reshape(-1), images[ds["index/train"][0]], atol=1e-6)
    np.testing.assert_allclose(ds["images"][8].reshape(-1), images[ds["index/validation"][0]], atol=1e-6)
    # every class is present in every part
    for name in ("train", "validation", "test"):
        assert len(np.unique(ds["labels"][ds[f"index/{name}"]])) == 10


def test_curves_and_selection(ds):
    epochs = ds.settings["epochs"]
    for name in ("train", "validation", "test"):
        assert ds[f"loss/{name}"].shape == (epochs + 1,)
        assert ds[f"loss/{name}"][-1] < ds[f"loss/{name}"][0] / 5
    best = int(ds["best_epoch"])
    assert best == int(np.argmin(ds["loss/validation"]))
    for name in ("train", "validation", "test"):
        assert float(ds[f"best/loss/{name}"]) == pytest.approx(float(ds[f"loss/{name}"][best]))
        assert float(ds[f"best/acc/{name}"]) == pytest.approx(float(ds[f"acc/{name}"][best]))
    # training loss below the held-out losses once the network has learned; accuracy on held-out data is high
    assert ds["loss/train"][-1] < ds["loss/validation"][-1] and ds["loss/train"][-1] < ds["loss/test"][-1]
    assert float(ds["best/acc/test"]) > 0.9
    # accuracies are counts out of the part sizes
    size = len(ds["index/test"])
    np.testing.assert_allclose(ds["acc/test"] * size, np.round(ds["acc/test"] * size), atol=1e-6)


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("data-splits", overrides=OVERRIDES)


@frames_comparison(last_frame=True, base_scene=DataSplits)
def test_data_splits_last_frame(scene):
    DataSplits.construct(scene)


def test_the_scene_reads_the_pinned_result(results_dir):
    """The frame test draws the result pinned beside its control data, not the one just computed."""
    from conftest import PINNED

    folder = settings.current().results
    assert folder != results_dir
    for suffix in (".npz", ".json"):
        assert (folder / f"data-splits{suffix}").read_bytes() == \
            (PINNED / "test_data_splits" / f"data-splits{suffix}").read_bytes()
