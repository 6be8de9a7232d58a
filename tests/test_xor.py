"""Chapter 4 — XOR: the perceptron errs in every epoch; two hidden units reach 100 %; the hidden space; figure; scene."""
from __future__ import annotations

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from helpers import assert_legends_cover_no_points
from scenes.xor import XORProblem

__module_test__ = "xor"


@pytest.fixture(scope="module")
def xor(compute_results):
    return compute_results("xor")["xor"]


def test_perceptron_makes_a_mistake_in_every_epoch(xor):
    mistakes = xor["perceptron/mistakes"]
    assert len(mistakes) == xor.settings["perceptron_epochs"]
    assert np.all(mistakes >= 1)
    assert int(xor["perceptron/min_mistakes"]) == mistakes.min()


def test_perceptron_is_rosenblatts_rule(xor):
    """Replay the stored updates in numpy: w := w + η (y − step(w·x)) x."""
    x = np.column_stack([np.ones(4), xor["x"]])
    y, lr = xor["y"], xor.settings["perceptron_lr"]
    path, order = xor["perceptron/path"], xor["perceptron/order"].reshape(-1)
    w = path[0].copy()
    wrong = []
    for k, i in enumerate(order):
        y_hat = float(x[i] @ w > 0)
        w = w + lr * (y[i] - y_hat) * x[i]
        wrong.append(y_hat != y[i])
        np.testing.assert_allclose(path[k + 1], w)
    per_epoch = np.array(wrong).reshape(len(xor["perceptron/mistakes"]), -1).sum(1)
    np.testing.assert_array_equal(per_epoch, xor["perceptron/mistakes"])


def test_no_line_separates_xor(xor):
    """Every stored perceptron line misclassifies at least one point (XOR is not linearly separable)."""
    x = np.column_stack([np.ones(4), xor["x"]])
    for w in xor["perceptron/path"]:
        assert np.any((x @ w > 0).astype(float) != xor["y"])


def test_shuffled_perceptron_still_fails(compute_results):
    res = compute_results("xor", overrides={"xor": {"shuffle": True, "perceptron_epochs": 30}})["xor"]
    assert np.all(res["perceptron/mistakes"] >= 1)


def test_mlp_reaches_100_percent(xor):
    assert xor["mlp/acc"][-1] == 1.0
    np.testing.assert_array_equal(xor["mlp/prob"] > 0.5, xor["y"] == 1)
    assert xor["mlp/loss"][-1] < xor["mlp/loss"][0]


def test_hidden_representation(xor):
    """h = tanh(W x + b) recomputed in numpy; in the hidden space the output layer is one straight line."""
    W1, b1 = xor["mlp/W1"], xor["mlp/b1"]
    h = np.tanh(xor["x"] @ W1.T + b1)
    np.testing.assert_allclose(xor["hidden/points"], h, rtol=1e-10)
    np.testing.assert_allclose(xor["hidden/lines"], np.tanh(xor["input/lines"] @ W1.T + b1), rtol=1e-10)
    logits = h @ xor["mlp/W2"] + xor["mlp/b2"]
    np.testing.assert_array_equal(logits > 0, xor["y"] == 1)
    # the input grid lines really are lines x1 = c and x2 = c
    lines = xor["input/lines"]
    half = len(lines) // 2
    assert np.allclose(lines[:half, :, 0], lines[:half, :1, 0]) and np.allclose(lines[half:, :, 1], lines[half:, :1, 1])


def test_stacked_starts_train_as_if_alone(xor):
    """A start trained in the stack moves exactly as torch.nn + torch.optim.Adam move it alone, and stops at
    the stop loss; the kept network of seed 0 is the first of its starts to get there."""
    import torch

    from engine.xor import train_starts

    x, y = torch.tensor(xor["x"]), torch.tensor(xor["y"])
    gen = torch.Generator().manual_seed(7)
    starts = [[torch.randn(shape, generator=gen, dtype=torch.float64) for shape in ((2, 2), (2,), (1, 2), (1,))]
              for _ in range(4)]
    params, losses, accs, stopped = train_starts(x, y, starts, torch.nn.Tanh(), 0.05, 300, 0.05)
    for r, start in enumerate(starts):
        hidden, output = torch.nn.Linear(2, 2, dtype=torch.float64), torch.nn.Linear(2, 1, dtype=torch.float64)
        with torch.no_grad():
            for p, v in zip((hidden.weight, hidden.bias, output.weight, output.bias), start):
                p.copy_(v)
        net = torch.nn.Sequential(hidden, torch.nn.Tanh(), output)
        opt = torch.optim.Adam(net.parameters(), lr=0.05)
        for step in range(301):
            loss = torch.nn.functional.binary_cross_entropy_with_logits(net(x)[:, 0], y)
            assert float(losses[r, step]) == pytest.approx(loss.item(), rel=1e-9, abs=1e-12)
            if step == 300 or loss.item() < 0.05:
                break
            opt.zero_grad()
            loss.backward()
            opt.step()
        assert int(stopped[r]) == (step if loss.item() < 0.05 else -1)
        torch.testing.assert_close(params[0][r], hidden.weight.detach().T)
        assert np.all(losses[r, step:].numpy() == losses[r, step].item())   # stopped: it stays put
    kept = int(xor["seeds/restart"][0])
    assert np.all(xor["starts/final_acc"][0, :kept] < 1) and xor["starts/final_acc"][0, kept] == 1
    assert int(xor["mlp/restart"]) == kept


# --- claims: judged on the pinned results; each fails when its premise is broken
@pytest.fixture(scope="module")
def pinned():
    from pathlib import Path

    from engine.store import load

    return load("xor", Path(__file__).parent / "control_data" / "results" / "test_xor")


def judged(name, res, **arrays):
    import engine.xor as ex
    from engine.store import Result

    return getattr(ex, f"claim_{name}")({"xor": Result(res.id, {**res.arrays, **arrays}, res.meta)})


@pytest.mark.parametrize("name", ["perceptron_never_converges", "mlp_all_four", "some_starts_stall"])
def test_claim_holds_on_the_pinned_results(pinned, name):
    m = judged(name, pinned)
    assert m.holds, m.describe()
    assert m.seeds >= (1 if name == "perceptron_never_converges" else 5)


def test_claims_fail_when_their_premise_is_broken(pinned):
    mistakes = pinned["perceptron/mistakes"].copy()
    mistakes[-1] = 0                                   # a converged last epoch
    assert not judged("perceptron_never_converges", pinned, **{"perceptron/mistakes": mistakes}).holds
    acc = pinned["seeds/acc"].copy()
    acc[3] = 0.75                                      # one seed kept a network stuck at 3 of 4
    m = judged("mlp_all_four", pinned, **{"seeds/acc": acc})
    assert not m.holds and m.failing == (int(pinned["seed_values"][3]),)
    loss = pinned["starts/final_loss"].copy()
    loss[2] = 0.04                                     # every start of one seed succeeds: none stalls
    assert not judged("some_starts_stall", pinned, **{"starts/final_loss": loss}).holds
    assert not judged("some_starts_stall", pinned, **{"starts/final_acc": np.zeros_like(pinned["starts/final_acc"])}).holds


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_legend_covers_no_point(xor, lang):
    import matplotlib.pyplot as plt

    from figures.xor import xor_problem

    fig = xor_problem({"xor": xor}, lang)
    assert_legends_cover_no_points(fig)
    plt.close(fig)


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("xor")


@frames_comparison(last_frame=True, base_scene=XORProblem)
def test_xor_scene_last_frame(scene):
    XORProblem.construct(scene)
