"""Chapter 10 — one iris mini-batch forward and backward: the values at every unit against numpy, the gradients by
hand against autograd and finite differences (recomputed here), the SGD update, and the iterations counted."""
from __future__ import annotations

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.forward_backward import ForwardBackward

__module_test__ = "forward_backward"

SMALL = {"forward-backward": {"epochs": 3, "seeds": 2}}   # a short run: the numerics, not the claims


@pytest.fixture(scope="module")
def fb(compute_results):
    return compute_results("forward-backward", overrides=SMALL)["forward-backward"]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def numpy_forward(W1, b1, W2, b2, x, y):
    z1 = x @ W1 + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + b2
    e = np.exp(z2 - z2.max(1, keepdims=True))
    p = e / e.sum(1, keepdims=True)
    return z1, a1, z2, p, -np.log(p[np.arange(len(y)), y]).mean()


def test_forward_values_at_every_unit(fb):
    """The stored values of every layer are the network's own: recomputed in numpy from the stored weights."""
    x, y = fb["batch/x"], fb["batch/y"]
    z1, a1, z2, p, loss = numpy_forward(fb["before/W1"], fb["before/b1"], fb["before/W2"], fb["before/b2"], x, y)
    for name, value in (("z1", z1), ("a1", a1), ("z2", z2), ("p", p)):
        np.testing.assert_allclose(fb[f"forward/{name}"], value, rtol=1e-12, atol=1e-14)
    assert float(fb["forward/loss"]) == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(fb["forward/p"].sum(1), 1.0, rtol=1e-12)
    assert fb["batch/x"].shape == (fb.settings["batch"], 4)
    # the mini-batch is rows of the standardized iris data
    from sklearn.datasets import load_iris

    data = load_iris()
    raw = data.data.astype(np.float32).astype(float)   # the engine reads iris as float32
    xs = (raw - raw.mean(0)) / raw.std(0, ddof=1)
    np.testing.assert_allclose(x, xs[fb["batch/index"]], rtol=1e-6)
    np.testing.assert_array_equal(y, data.target[fb["batch/index"]])


def test_gradients_by_hand_equal_autograd_and_finite_differences(fb):
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(fb[f"hand/{name}"], fb[f"autograd/{name}"], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(fb[f"fd/{name}"], fb[f"autograd/{name}"], atol=1e-8)
    assert float(fb["max_hand_autograd"]) < 1e-12 and float(fb["max_fd_autograd"]) < 1e-6


def test_finite_differences_recomputed_in_numpy(fb):
    """An independent check: central differences of the numpy forward pass, for every weight and bias."""
    x, y = fb["batch/x"], fb["batch/y"]
    params = {k: fb[f"before/{k}"].copy() for k in ("W1", "b1", "W2", "b2")}
    h = 1e-6
    for name, value in params.items():
        flat = value.reshape(-1)
        fd = np.zeros_like(flat)
        for i in range(len(flat)):
            keep = flat[i]
            flat[i] = keep + h
            plus = numpy_forward(*params.values(), x, y)[-1]
            flat[i] = keep - h
            minus = numpy_forward(*params.values(), x, y)[-1]
            flat[i] = keep
            fd[i] = (plus - minus) / (2 * h)
        np.testing.assert_allclose(fd.reshape(value.shape), fb[f"autograd/{name}"], atol=1e-8)


def test_closed_form_of_the_output_delta(fb):
    """∂L/∂z2 = (p − onehot(y)) / B for softmax with the mean cross-entropy."""
    p, y = fb["forward/p"], fb["batch/y"]
    onehot = np.eye(p.shape[1])[y]
    np.testing.assert_allclose(fb["hand/z2"], (p - onehot) / len(y), rtol=1e-12)
    a1 = fb["forward/a1"]
    np.testing.assert_allclose(fb["hand/z1"], (fb["hand/z2"] @ fb["before/W2"].T) * a1 * (1 - a1), rtol=1e-12)


def test_the_update_is_sgd_and_lowers_the_batch_loss(fb):
    lr = fb.settings["lr"]
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(fb[f"after/{name}"], fb[f"before/{name}"] - lr * fb[f"autograd/{name}"], rtol=1e-12)
    after = numpy_forward(*(fb[f"after/{k}"] for k in ("W1", "b1", "W2", "b2")), fb["batch/x"], fb["batch/y"])[-1]
    assert float(fb["loss/after"]) == pytest.approx(after, rel=1e-12)
    assert float(fb["loss/after"]) < float(fb["loss/before"]) == pytest.approx(float(fb["forward/loss"]))


def test_iterations_batches_and_epochs_are_counted(fb):
    n, batch, epochs = int(fb["n_train"]), fb.settings["batch"], fb.settings["epochs"]
    assert n == 90                                           # 60 % of 150
    per = -(-n // batch)
    assert int(fb["iterations_per_epoch"]) == per and int(fb["iterations"]) == epochs * per
    assert fb["iter_loss"].shape == (epochs * per,) and fb["epoch_loss"].shape == (epochs + 1,)
    assert fb["seeds/iter_loss"].shape == (fb.settings["seeds"], epochs * per)
    assert float(fb["iter_loss"][0]) == pytest.approx(float(fb["loss/before"]))


def test_a_run_replayed_with_torch_nn(fb):
    """The lecture's run replayed with torch.nn and torch.optim alone gives the same mini-batch losses."""
    import torch

    from engine.data import iris, shuffled_split
    from engine.nets import make_mlp, minibatches

    s = fb.settings
    seed = int(fb["seed_values"][0])
    gen = torch.Generator().manual_seed(seed)
    data = iris()
    x = data.train.x.double()
    x = (x - x.mean(0)) / x.std(0)
    idx = shuffled_split(150, (0.6, 0.2, 0.2), seed)[0]
    x, y = x[idx], data.train.y[idx]
    model = make_mlp([4, s["hidden"], 3], "sigmoid", init="xavier", generator=gen, dtype=torch.float64)
    opt = torch.optim.SGD(model.parameters(), lr=s["lr"])
    losses = []
    for _ in range(s["epochs"]):
        for b in minibatches(len(y), s["batch"], gen):
            loss = torch.nn.functional.cross_entropy(model(x[b]), y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    np.testing.assert_allclose(losses, fb["iter_loss"], rtol=1e-10)


# --- claims: judged on the pinned results; each fails when its premise is broken
@pytest.fixture(scope="module")
def pinned():
    from pathlib import Path

    from engine.store import load

    return load("forward-backward", Path(__file__).parent / "control_data" / "results" / "test_forward_backward")


def judged(name, res, **arrays):
    import engine.forward_backward as ex
    from engine.store import Result

    return getattr(ex, f"claim_{name}")({"forward-backward": Result(res.id, {**res.arrays, **arrays}, res.meta)})


@pytest.mark.parametrize("name", ["hand_equals_autograd", "update_lowers_batch_loss", "loss_falls_over_epochs",
                                  "iterations_counted", "batch_loss_jumps"])
def test_claim_holds_on_the_pinned_results(pinned, name):
    m = judged(name, pinned)
    assert m.holds, m.describe()
    assert m.seeds >= (1 if name == "iterations_counted" else 5)


def test_claims_fail_when_their_premise_is_broken(pinned):
    hand = pinned["seeds/max_hand_autograd"].copy()
    hand[1] = 1e-3                                   # a wrong hand gradient in one run
    m = judged("hand_equals_autograd", pinned, **{"seeds/max_hand_autograd": hand})
    assert not m.holds and m.failing == (int(pinned["seed_values"][1]),)
    # before and after exchanged: the update raises the loss
    assert not judged("update_lowers_batch_loss", pinned, **{"seeds/first_before": pinned["seeds/first_after"],
                                                              "seeds/first_after": pinned["seeds/first_before"]}).holds
    assert not judged("loss_falls_over_epochs", pinned,
                      **{"seeds/epoch_loss": pinned["seeds/epoch_loss"][:, ::-1].copy()}).holds
    assert not judged("iterations_counted", pinned, **{"iterations": np.array(int(pinned["iterations"]) + 1)}).holds
    smooth = np.sort(pinned["seeds/iter_loss"], axis=1)[:, ::-1].copy()      # a loss that only ever falls
    assert not judged("batch_loss_jumps", pinned, **{"seeds/iter_loss": smooth}).holds


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("forward-backward")


@frames_comparison(last_frame=True, base_scene=ForwardBackward)
def test_forward_backward_scene_last_frame(scene):
    ForwardBackward.construct(scene)
