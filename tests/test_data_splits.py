"""Chapter 10 — the 60/20/20 split and the three loss curves of one run."""
from __future__ import annotations

from lecture import settings

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.data_splits import DataSplits

__module_test__ = "data_splits"

OVERRIDES = {}   # the lecture's settings: the claims are judged on the pinned result


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
    for name in ("train", "validation"):
        assert ds[f"loss/{name}"].shape == (epochs + 1,)
        assert ds[f"loss/{name}"][-1] < ds[f"loss/{name}"][0] / 5
    best = int(ds["best_epoch"])
    assert best == int(np.argmin(ds["loss/validation"]))
    for name in ("train", "validation"):
        assert float(ds[f"best/loss/{name}"]) == pytest.approx(float(ds[f"loss/{name}"][best]))
        assert float(ds[f"best/acc/{name}"]) == pytest.approx(float(ds[f"acc/{name}"][best]))
    # the test part is measured once: no per-epoch test curve exists, only the chosen network's numbers
    assert not any(k.startswith(("loss/test", "acc/test", "seeds/loss/test")) for k in ds.arrays)
    assert ds["loss/train"][-1] < ds["loss/validation"][-1]
    assert float(ds["best/acc/test"]) > 0.9
    size = len(ds["index/test"])
    assert float(ds["best/acc/test"]) * size == pytest.approx(round(float(ds["best/acc/test"]) * size), abs=1e-4)


def test_the_test_loss_is_that_of_the_chosen_epochs_network():
    """Retrain the lecture's run alone (torch.nn, torch.optim) and evaluate its network at the chosen epoch on the
    test part: the stored test numbers are that network's, and the stacked runs equal separate ones."""
    import torch

    import engine
    from engine.core import REGISTRY, Context
    from engine.data import digits, shuffled_split
    from engine.nets import evaluate, make_mlp, minibatches

    engine.load_experiments()
    exp = REGISTRY["data-splits"]
    settings = exp.merged_settings({"epochs": 6, "seeds": 2})
    out, _ = exp.func(settings, Context(device=torch.device("cpu"), seed=0, generator=torch.Generator().manual_seed(0)))
    data = digits()
    x, y = data.train.x.float(), data.train.y
    for k in range(2):
        idx = shuffled_split(len(y), (0.6, 0.2, 0.2), k)
        gen = torch.Generator().manual_seed(k)
        model = make_mlp([64, 64, 10], "relu", init="he", generator=gen)
        opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        val, states = [evaluate(model, x[idx[1]], y[idx[1]])[0]], [{n: v.clone() for n, v in model.state_dict().items()}]
        for epoch in range(6):
            for b in minibatches(len(idx[0]), 32, gen):
                opt.zero_grad()
                torch.nn.functional.cross_entropy(model(x[idx[0]][b]), y[idx[0]][b]).backward()
                opt.step()
            val.append(evaluate(model, x[idx[1]], y[idx[1]])[0])
            states.append({n: v.clone() for n, v in model.state_dict().items()})
        np.testing.assert_allclose(out["seeds/loss/validation"][k].numpy(), val, rtol=1e-4)
        best = int(np.argmin(val))
        assert int(out["seeds/best_epoch"][k]) == best
        model.load_state_dict(states[best])
        loss, acc = evaluate(model, x[idx[2]], y[idx[2]])
        assert float(out["seeds/best/loss/test"][k]) == pytest.approx(loss, rel=1e-4)
        assert float(out["seeds/best/acc/test"][k]) == pytest.approx(acc, abs=1e-6)


def _with(res, **arrays):
    import dataclasses

    return {"data-splits": dataclasses.replace(res, arrays={**res.arrays, **arrays})}


def test_claims(ds_pinned):
    from engine.data_splits import claim_train_loss_falls

    res = ds_pinned
    assert res.settings["seeds"] >= 5
    verdict = claim_train_loss_falls({"data-splits": res})
    assert verdict.holds and verdict.seeds == res.settings["seeds"], verdict
    # a training loss that rises in its last quarter (one run's curve reversed in time) breaks it
    curves = res["seeds/loss/train"].copy()
    curves[3] = curves[3][::-1]
    verdict = claim_train_loss_falls(_with(res, **{"seeds/loss/train": curves}))
    assert not verdict.holds and verdict.failing == (int(res["seed_values"][3]),)


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("data-splits", overrides=OVERRIDES)


@frames_comparison(last_frame=True, base_scene=DataSplits)
def test_data_splits_last_frame(scene):
    DataSplits.construct(scene)


@pytest.fixture
def ds_pinned(_scene_data):
    from engine.store import load

    return load("data-splits", settings.current().results)


def test_the_scene_reads_the_pinned_result(results_dir):
    """The frame test draws the result pinned beside its control data, not the one just computed."""
    from conftest import PINNED

    folder = settings.current().results
    assert folder != results_dir
    for suffix in (".npz", ".json"):
        assert (folder / f"data-splits{suffix}").read_bytes() == \
            (PINNED / "test_data_splits" / f"data-splits{suffix}").read_bytes()
