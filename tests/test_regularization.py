"""Chapter 12 — 정칙화: L1 and L2 penalties on the over-fitting network; the 2-D geometry."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.regularization import RegularizationPath

__module_test__ = "regularization"

SHORT = {"regularization": {"epochs": 80}}


@pytest.fixture(scope="module")
def reg(compute_results):
    return compute_results("regularization", overrides=SHORT)["regularization"]


def test_penalties_match_their_formulas():
    from engine.overfit_setup import SETUP, build
    from engine.overfitting import penalty

    model = build(SETUP, torch.Generator().manual_seed(0))
    weights = [m.weight.detach() for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        l2, l1 = float(penalty(model, "l2", 0.1)), float(penalty(model, "l1", 0.01))
    assert l2 == pytest.approx(0.05 * sum(float((w**2).sum()) for w in weights), rel=1e-5)
    assert l1 == pytest.approx(0.01 * sum(float(w.abs().sum()) for w in weights), rel=1e-5)
    assert penalty(model, "none", 0.1) == 0.0


def test_l1_gives_more_near_zero_weights_than_l2(reg):
    near = {k: reg.scalar(f"{k}/near_zero") for k in ("none", "l2", "l1")}
    assert near["l1"] > 2 * near["l2"] and near["l1"] > 2 * near["none"]
    # L2 shrinks the weights as a whole: the smallest Euclidean norm
    assert reg.scalar("l2/weight_l2") < reg.scalar("l1/weight_l2") < reg.scalar("none/weight_l2")
    # the histogram's central bin holds the L1 spike at zero
    hist = reg["l1/weight_hist"]
    assert np.argmax(hist) == len(hist) // 2 and hist.max() > 2 * reg["none/weight_hist"].max()


def test_penalties_keep_the_same_start(reg):
    # the same initial weights and batches: the first epoch differs only through the penalty
    first = [reg[f"{k}/train_loss"][0] for k in ("none", "l2", "l1")]
    np.testing.assert_allclose(first, first[0], rtol=0.05)


def test_two_dimensional_solutions(reg):
    A, w_star = reg["toy/A"], reg["toy/w_star"]
    lam2, lam1 = reg.settings["toy_lambda_l2"], reg.settings["toy_lambda_l1"]
    # L2: the gradient of loss + ½λ|w|² vanishes
    w2 = reg["toy/w_l2"]
    np.testing.assert_allclose(A @ (w2 - w_star) + lam2 * w2, 0, atol=1e-12)
    # L1: the subgradient optimality conditions (KKT) of loss + λ|w|₁
    w1 = reg["toy/w_l1"]
    grad = A @ (w1 - w_star)
    for g, w in zip(grad, w1):
        if abs(w) > 1e-12:
            assert g + lam1 * np.sign(w) == pytest.approx(0, abs=1e-9)
        else:
            assert abs(g) <= lam1 + 1e-9
    assert np.sum(np.abs(w1) < 1e-12) == 1          # the L1 solution sits on a corner: one coordinate is 0
    assert np.all(np.abs(w2) > 1e-3)                 # the L2 solution does not
    assert reg.scalar("toy/radius_l1") == pytest.approx(np.abs(w1).sum())


def test_the_stack_penalises_each_network_as_its_own_run():
    from engine.overfit_setup import SETUP, StackedMLP, build
    from engine.overfitting import penalty

    models = [build(SETUP, torch.Generator().manual_seed(s)) for s in (0, 1, 2)]
    stack = StackedMLP(models)
    l2, l1 = torch.tensor([0.0, 0.1, 0.0]), torch.tensor([0.0, 0.0, 0.003])
    with torch.no_grad():
        expected = float(penalty(models[1], "l2", 0.1)) + float(penalty(models[2], "l1", 0.003))
        assert float(stack.penalty(l2, l1)) == pytest.approx(expected, rel=1e-5)
    # the stack's flat weights are each network's, in linear_layers' order
    from engine.overfitting import all_weights

    torch.testing.assert_close(stack.flat_weights()[2], all_weights(models[2]))


def test_every_seed_is_stored(reg):
    seeds = reg.settings["seeds"]
    for kind in ("none", "l2", "l1"):
        assert reg[f"seeds/{kind}/val_loss"].shape == (seeds, reg.settings["epochs"])
        assert reg[f"seeds/{kind}/near_zero"].shape == (seeds,)
        np.testing.assert_array_equal(reg[f"{kind}/val_loss"], reg[f"seeds/{kind}/val_loss"][0])
    # every penalty starts from the same weights on the same seed: the first epoch's training losses agree
    first = reg["seeds/none/train_loss"][:, 0]
    np.testing.assert_allclose(reg["seeds/l2/train_loss"][:, 0], first, rtol=0.05)
    assert len(set(np.round(first, 6))) == seeds     # … and the seeds differ


# --------------------------------------------------------------------------- claims (on the run pinned at the lecture's settings)
REG_CLAIMS = ("l1_zeroes_weights", "l2_shrinks_weights", "penalties_narrow_gap", "l1_solution_on_a_corner")


@pytest.fixture(scope="module")
def pinned():
    from pathlib import Path

    from engine.store import load

    return load("regularization", Path(__file__).parent / "control_data" / "test_figure_layout")


@pytest.mark.parametrize("name", REG_CLAIMS)
def test_claim_holds_on_every_seed(pinned, name):
    import engine.overfitting as ov

    m = getattr(ov, f"claim_{name}")({"regularization": pinned})
    assert m.holds, m.describe()
    assert m.seeds == (1 if name == "l1_solution_on_a_corner" else pinned.settings["seeds"])   # the 2-D picture: no seed
    assert pinned.settings["seeds"] >= 5


def test_claims_fail_when_their_premise_is_broken(pinned):
    import dataclasses

    import engine.overfitting as ov

    def swapped(a: str, b: str, *names: str):
        arrays = dict(pinned.arrays)
        for name in names:
            arrays[f"seeds/{a}/{name}"], arrays[f"seeds/{b}/{name}"] = pinned[f"seeds/{b}/{name}"], pinned[f"seeds/{a}/{name}"]
        return {"regularization": dataclasses.replace(pinned, arrays=arrays)}

    assert not ov.claim_l1_zeroes_weights(swapped("l1", "none", "near_zero")).holds
    assert not ov.claim_l2_shrinks_weights(swapped("l2", "none", "weight_l2")).holds
    assert not ov.claim_penalties_narrow_gap(swapped("l2", "none", "train_loss", "val_loss")).holds
    off_corner = dict(pinned.arrays, **{"toy/w_l1": pinned["toy/w_l2"]})   # the L2 solution in the L1 one's place
    assert not ov.claim_l1_solution_on_a_corner({"regularization": dataclasses.replace(pinned, arrays=off_corner)}).holds


# --------------------------------------------------------------------------- the λ paths (engine.regularization)
PATH_SHORT = {"regularization-path": {"epochs": 3, "seeds": 2, "lambdas_l2": [0.1, 0.3], "lambdas_l1": [0.003, 0.03],
                                      "toy_ista_steps": 3000}}


@pytest.fixture(scope="module")
def path(compute_results):
    return compute_results("regularization-path", overrides=PATH_SHORT)["regularization-path"]


def test_path_arrays_and_the_shared_start(path):
    seeds = path.settings["seeds"]
    for kind in ("l2", "l1"):
        lams = path[f"{kind}/lambdas"]
        assert lams[0] == 0 and np.all(np.diff(lams) > 0)
        assert path[f"seeds/{kind}/val_acc"].shape == (seeds, len(lams))
        np.testing.assert_array_equal(path[f"{kind}/val_acc"], path[f"seeds/{kind}/val_acc"][0])
        # the histogram holds every weight within its range; `outside` the rest
        counts = path[f"{kind}/weight_hist"].sum(axis=1)
        total = counts / (1 - path[f"{kind}/outside"])
        np.testing.assert_allclose(total, 784 * 100 + 5 * 100 * 100 + 100 * 10, rtol=1e-9)
    # λ = 0 heads both paths: the same network
    for key in ("train_acc", "val_acc", "weight_l2", "near_zero"):
        np.testing.assert_array_equal(path[f"seeds/l2/{key}"][:, 0], path[f"seeds/l1/{key}"][:, 0])
    np.testing.assert_array_equal(path["l2/weight_hist"][0], path["l1/weight_hist"][0])


def test_a_path_network_is_the_regularization_experiment_s(path, compute_results):
    """The λ = 0.1 L2 network and the λ = 0.03 L1 network of the path stack are the networks the
    ``regularization`` experiment trains alone with those λ (same seeds, same epochs)."""
    reg = compute_results("regularization", overrides={"regularization": {
        "epochs": 3, "seeds": 2, "lambda_l2": 0.1, "lambda_l1": 0.03}})["regularization"]
    for kind, index in (("none", ("l2", 0)), ("l2", ("l2", 1)), ("l1", ("l1", 2))):
        for key in ("weight_l2", "near_zero"):
            np.testing.assert_allclose(path[f"seeds/{index[0]}/{key}"][:, index[1]], reg[f"seeds/{kind}/{key}"],
                                       rtol=1e-4, atol=1e-7)
        np.testing.assert_allclose(path[f"seeds/{index[0]}/val_acc"][:, index[1]], reg[f"seeds/{kind}/val_acc"][:, -1],
                                   atol=2e-3)


def test_toy_path_solutions(path):
    A, w_star, lams = path["toy/A"], path["toy/w_star"], path["toy/lambdas"]
    for lam, w2, w1 in zip(lams, path["toy/w_l2"], path["toy/w_l1"]):
        np.testing.assert_allclose(A @ (w2 - w_star) + lam * w2, 0, atol=1e-12)       # L2: the gradient vanishes
        grad = A @ (w1 - w_star)                                                         # L1: the KKT conditions
        for g, w in zip(grad, w1):
            if abs(w) > 1e-12:
                assert g + lam * np.sign(w) == pytest.approx(0, abs=1e-9)
            else:
                assert abs(g) <= lam + 1e-9
    # the path passes through the regularization experiment's 2-D solutions at λ = 1
    from engine.core import Context
    from engine.overfitting import quadratic_picture

    settings = {**path.settings, "toy_lambda_l2": 1.0, "toy_lambda_l1": 1.0, "toy_ista_steps": 3000}
    picture = quadratic_picture(settings, Context(device=torch.device("cpu"), seed=0, generator=torch.Generator()))
    at_one = int(np.flatnonzero(lams == 1.0)[0])
    np.testing.assert_allclose(path["toy/w_l2"][at_one], picture["toy/w_l2"].numpy(), atol=1e-12)
    np.testing.assert_allclose(path["toy/w_l1"][at_one], picture["toy/w_l1"].numpy(), atol=1e-9)


PATH_CLAIMS = ("l2_norm_falls", "l1_zeros_grow", "moderate_lambda_narrows_gap", "too_much_underfits",
               "toy_l1_hits_an_axis")


@pytest.fixture(scope="module")
def pinned_path():
    from pathlib import Path

    from engine.store import load

    return load("regularization-path", Path(__file__).parent / "control_data" / "results" / "test_regularization")


@pytest.mark.parametrize("name", PATH_CLAIMS)
def test_path_claim_holds_on_every_seed(pinned_path, name):
    import engine.regularization as er

    m = getattr(er, f"claim_{name}")({"regularization-path": pinned_path})
    assert m.holds, m.describe()
    assert m.seeds == (1 if name.startswith("toy") else pinned_path.settings["seeds"]) and pinned_path.settings["seeds"] >= 5


def test_path_claims_fail_when_their_premise_is_broken(pinned_path):
    import dataclasses

    import engine.regularization as er

    def judged(name, **arrays):
        res = dataclasses.replace(pinned_path, arrays={**pinned_path.arrays, **arrays})
        return getattr(er, f"claim_{name}")({"regularization-path": res})

    def reversed_path(key):
        return pinned_path[key][:, ::-1]

    assert not judged("l2_norm_falls", **{"seeds/l2/weight_l2": reversed_path("seeds/l2/weight_l2")}).holds
    assert not judged("l1_zeros_grow", **{"seeds/l1/near_zero": reversed_path("seeds/l1/near_zero")}).holds
    swapped = {f"seeds/{k}/{s}_acc": pinned_path[f"seeds/{k}/{s}_acc"][:, [2, 1, 0, 3]]
               for k in ("l2", "l1") for s in ("train", "val")}           # the second-largest λ and λ = 0 exchanged
    assert not judged("moderate_lambda_narrows_gap", **swapped).holds
    learned = {f"seeds/{k}/train_acc": pinned_path[f"seeds/{k}/train_acc"][:, [0, 1, 2, 0]] for k in ("l2", "l1")}
    assert not judged("too_much_underfits", **learned).holds
    assert not judged("toy_l1_hits_an_axis", **{"toy/w_l1": pinned_path["toy/w_l2"]}).holds


# --------------------------------------------------------------------------- the video
@pytest.fixture(autouse=True)
def _scene_data(request, scene_env, scene_results):
    """The scene draws the λ paths at the lecture's settings, pinned (autouse: frames_comparison sees no
    fixture arguments); only the frame test needs them."""
    if "scene_last_frame" in request.node.name:
        scene_results("regularization-path")


@frames_comparison(last_frame=True, base_scene=RegularizationPath)
def test_regularization_path_scene_last_frame(scene):
    RegularizationPath.construct(scene)
