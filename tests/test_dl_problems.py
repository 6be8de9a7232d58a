"""Chapter 16 — the six problems: the facts table, energy arithmetic, FGSM against an independent numpy
gradient, claims and the scene."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from lecture.text import rows
from scenes.dl_problems import DLProblems

__module_test__ = "dl_problems"
SMALL = {"fgsm": {"steps": 80, "seeds": 2}}


@pytest.fixture(scope="module")
def problems(compute_results):
    return compute_results("dl-problems")["dl-problems"]


@pytest.fixture(scope="module")
def attack(compute_results):
    return compute_results("fgsm", overrides=SMALL)["fgsm"]


def test_every_problem_of_the_lecture(problems):
    assert len(rows("dl-problems.rows", "ko")) == len(rows("dl-problems.rows", "en")) == 6
    assert set(problems["facts/problem"]) | {"p4"} == {f"p{k}" for k in range(1, 7)}   # p4: energy, computed
    assert all(c.strip() for c in problems["facts/cite"])


def test_energy_arithmetic(problems):
    """kWh = FLOP ÷ (peak FLOP/s ÷ W × utilization) ÷ 3.6·10⁶ J/kWh, written out by hand."""
    util = problems.settings["utilization"]
    joules = problems["compute/flop"] * 400.0 / (312e12 * util)
    np.testing.assert_allclose(problems["energy/kwh"], joules / 3.6e6)
    np.testing.assert_allclose(problems["energy/households"], joules / 3.6e6 / 10791)
    gpt3 = list(problems["compute/system"]).index("GPT-3")
    assert float(problems["energy/mwh"][gpt3]) == pytest.approx(3.14e23 / (312e12 / 400 * 0.4) / 3.6e9)


def numpy_input_gradient(res, x, y):
    """∂ CE / ∂x of the 64 → h (tanh) → 10 network, by hand: (softmax − onehot) W2ᵀ ⊙ (1 − h²) W1ᵀ."""
    h = np.tanh(x @ res["net/W1"] + res["net/b1"])
    logits = h @ res["net/W2"] + res["net/b2"]
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    return ((p @ res["net/W2"].T) * (1 - h ** 2)) @ res["net/W1"].T, logits


def test_fgsm_is_eps_times_the_sign_of_an_independent_gradient(attack):
    x, y, eps = attack["test/x"], attack["test/y"].astype(int), float(attack["eps"])
    grad, logits = numpy_input_gradient(attack, x, y)
    np.testing.assert_allclose(attack["test/grad"], grad, rtol=1e-6, atol=1e-10)
    np.testing.assert_array_equal(logits.argmax(1), attack["test/clean_pred"])
    np.testing.assert_allclose(attack["test/adv"], np.clip(x + eps * np.sign(grad), 0, 1))
    k = int(attack["shown/index"])
    np.testing.assert_allclose(attack["shown/perturbation"], eps * np.sign(grad[k]))
    np.testing.assert_allclose(attack["shown/adv"], np.clip(attack["shown/x"] + attack["shown/perturbation"], 0, 1))


def test_the_shown_digit_flips(attack):
    label = int(attack["shown/label"])
    assert int(attack["shown/clean_pred"]) == label != int(attack["shown/adv_pred"])
    _, logits = numpy_input_gradient(attack, attack["shown/adv"][None], np.array([label]))
    assert int(logits.argmax()) == int(attack["shown/adv_pred"])
    k = int(attack["shown/index"])
    right = attack["test/clean_pred"] == attack["test/y"]
    wrong_after = attack["test/adv_pred"] != attack["test/y"]
    assert k == int(np.argmax(right & wrong_after))       # the first right digit that flips: not chosen by hand
    assert float(attack["shown/max_change"]) <= float(attack["eps"]) + 1e-12


@pytest.fixture(scope="module")
def pinned():
    from engine.store import load

    folder = Path(__file__).parent / "control_data" / "results" / "test_dl_problems"
    return {"fgsm": load("fgsm", folder), "dl-problems": load("dl-problems", folder)}


def judged(name, pinned, result_id, **arrays):
    import engine.dl_problems as ep
    from engine.store import Result

    res = pinned[result_id]
    return getattr(ep, f"claim_{name}")({result_id: Result(res.id, {**res.arrays, **arrays}, res.meta)})


def test_claims_hold_on_the_pinned_results(pinned):
    m = judged("fgsm_flips", pinned, "fgsm")
    assert m.holds and m.seeds >= 5, m.describe()
    assert judged("energy_optimistic", pinned, "dl-problems").holds


def test_claims_fail_when_their_premise_is_broken(pinned):
    adv = pinned["fgsm"]["seeds/clean_acc"].copy()                    # the attack changed nothing
    assert not judged("fgsm_flips", pinned, "fgsm", **{"seeds/adv_acc": adv,
                                                       "seeds/flip_rate": np.zeros_like(adv)}).holds
    assert not judged("energy_optimistic", pinned, "dl-problems", **{"energy/published_mwh": np.float64(100.0)}).holds


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("dl-problems", "fgsm")


@frames_comparison(last_frame=True, base_scene=DLProblems)
def test_dl_problems_last_frame(scene):
    DLProblems.construct(scene)
