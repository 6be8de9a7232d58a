"""Claims: the manifest's declarations, the evaluator, `render.py check`, the page's claims table, and the
claims of the topics whose experiments are cheap (each holds on the computed results and fails when its
premise is broken).  The claims of the training topics are tested in their own test modules."""
from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import numpy as np
import pytest

from engine.claims import Measured, measured, per_seed
from engine.store import Result
from lecture import claims, manifest
from lecture.text import t
from tests.test_cli import render

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- declarations
def test_every_claim_names_a_function_and_states_itself_in_both_languages():
    declared = [c for topic in manifest.TOPICS for c in topic.claims]
    assert len(declared) >= 10
    for topic in manifest.TOPICS:
        for c in topic.claims:
            assert c.key.startswith(f"{topic.id}.claim."), c.key
            assert callable(claims.claim_function(c.target)), c.target
            assert t(c.key, "ko") and t(c.key, "en")


def test_the_manifest_refuses_a_claim_that_reads_an_experiment_its_topic_does_not_list(monkeypatch):
    topic = manifest.topic("backprop")
    bad = manifest.Claim("backprop.claim.autograd_fd", "engine.backprop:claim_autograd_matches_fd", ("xor",))
    odd = manifest.Claim("backprop.claim.autograd_fd", "figures.backprop:computation_graph", ("backprop",))
    changed = tuple(manifest.Topic(**{**topic.__dict__, "claims": (bad, odd)}) if x is topic else x
                    for x in manifest.TOPICS)
    monkeypatch.setattr(manifest, "TOPICS", changed)
    problems = manifest.validate()
    assert any("reads 'xor'" in p for p in problems), problems
    assert any("not 'engine.<module>:claim_<name>'" in p for p in problems), problems


# --------------------------------------------------------------------------- Measured
def test_per_seed_holds_only_when_every_seed_holds_and_names_the_failing_ones():
    ok = per_seed([3, 4, 5], [True, True, True], gap=[0.1, 0.2, 0.3])
    assert ok.holds and ok.seeds == 3 and ok.values == {"gap_min": 0.1, "gap_max": 0.3}
    bad = per_seed([3, 4, 5], [True, False, False], gap=[0.1, 0.2, 0.3])
    assert not bad.holds and bad.failing == (4, 5)
    assert "failing seeds 4, 5" in bad.describe() and "3 seeds" in bad.describe()
    assert not per_seed([], []).holds            # judged on nothing is not a verdict
    with pytest.raises(ValueError):
        per_seed([1, 2], [True])


def test_measured_describes_its_numbers():
    m = measured(True, restored=0.41234, last=np.float64(0.52))
    assert m.describe() == "restored 0.412 · last 0.52"


# --------------------------------------------------------------------------- the evaluator
def _results_dir(tmp_path, compute_results, results_dir, *ids):
    compute_results(*ids)
    from tests.helpers import copy_results

    target = tmp_path / "results"
    copy_results(ids, results_dir, target)
    return target


def test_evaluate_judges_saves_and_the_page_shows_only_current_verdicts(tmp_path, compute_results, results_dir):
    folder = _results_dir(tmp_path, compute_results, results_dir, "backprop", "activations")
    topics = [manifest.topic("backprop"), manifest.topic("activations"), manifest.topic("linear-regression")]
    verdicts = claims.evaluate(topics, folder)
    by_key = {v.key: v for v in verdicts}
    assert by_key["backprop.claim.autograd_fd"].holds
    xor = [v for v in verdicts if v.topic == "linear-regression"]
    assert xor and all(not v.holds and "no stored result" in v.error for v in xor)  # not computed: not vouched for
    claims.save(verdicts, folder)
    assert {v.key for v in claims.load(folder)} == set(by_key)
    assert all(v.results for v in claims.current(claims.load(folder), folder) if v.topic != "linear-regression")

    from lecture import page

    def chapter_pages() -> str:  # the Korean chapter pages, where the topics' claims are shown
        return "".join((tmp_path / page.page_name(c.number, "ko")).read_text(encoding="utf-8")
                       for c in manifest.CHAPTERS)

    page.build(tmp_path)
    html = chapter_pages()
    assert html.count('class="claims"') == 2 and t("page.fails", "ko") not in html
    assert t("backprop.claim.autograd_fd", "ko") in html
    # a result computed anew after the check is no longer vouched for by the old verdicts
    meta = json.loads((folder / "backprop.json").read_text(encoding="utf-8"))
    meta["npz_sha256"] = "0" * 64
    (folder / "backprop.json").write_text(json.dumps(meta), encoding="utf-8")
    assert not [v for v in claims.current(claims.load(folder), folder) if v.topic == "backprop"]
    page.build(tmp_path)
    assert t("backprop.claim.autograd_fd", "ko") not in chapter_pages()


def test_a_claim_function_that_raises_is_a_failure_with_its_reason(tmp_path, compute_results, results_dir, monkeypatch):
    folder = _results_dir(tmp_path, compute_results, results_dir, "backprop")

    def broken(results):
        raise KeyError("result 'backprop' has no array 'nope'")

    import engine.backprop

    monkeypatch.setattr(engine.backprop, "claim_autograd_matches_fd", broken)
    (v,) = claims.evaluate([manifest.topic("backprop")], folder)
    assert not v.holds and "KeyError" in v.error and "nope" in v.error
    assert claims.failure_line(v).startswith("claim failed: backprop: backprop.claim.autograd_fd")


# --------------------------------------------------------------------------- render.py check
def test_check_prints_the_claims_table_and_exits_1_on_a_failing_claim(tmp_path):
    out = str(tmp_path / "build")
    ok = render("check", "--only", "gradient-descent", "--out", out)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "claims: 3 of 3 hold" in ok.stdout
    # a fourth rate that converges: the narration's "the largest rate diverges" no longer holds
    bad = render("check", "--only", "gradient-descent", "--out", out, "--set", "gd-parabola.lrs=0.05,0.2,0.9,0.95")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    failures = [line for line in bad.stdout.splitlines() if line.startswith("claim failed:")]
    assert len(failures) == 1 and "gradient-descent.claim.learning_rates" in failures[0]
    assert "diverged 0" in failures[0]
    assert "claims: 2 of 3 hold" in bad.stdout
    anyway = render("check", "--only", "gradient-descent", "--out", out, "--allow-failing-claims",
                    "--set", "gd-parabola.lrs=0.05,0.2,0.9,0.95")
    assert anyway.returncode == 0 and "claim failed:" in anyway.stdout


def test_allow_failing_claims_belongs_to_check_and_all(tmp_path):
    proc = render("figures", "--allow-failing-claims", "--out", str(tmp_path))
    assert proc.returncode == 2 and "--allow-failing-claims applies to the check and all commands" in proc.stderr


# --------------------------------------------------------------------------- the cheap topics' claims
def doctored(result: Result, **arrays) -> Result:
    """A copy of ``result`` with some arrays replaced."""
    new = copy.deepcopy(result)
    new.arrays.update({k: np.asarray(v) for k, v in arrays.items()})
    return new


CHEAP = ("activations", "gd-parabola", "gd-regression", "gd-local-minima", "backprop", "linreg", "logistic",
         "softmax", "lr-decay", "bias-variance")


@pytest.fixture(scope="module")
def cheap(tmp_path_factory):
    """The cheap topics' results, computed once for this module."""
    import engine
    from engine.cache import compute

    engine.load_experiments()
    folder = tmp_path_factory.mktemp("cheap-results")
    return {i: compute(i, folder, device="cpu")[0] for i in CHEAP}


def judge(target: str, results) -> Measured:
    return claims.claim_function(target)(results)


def test_activation_claims(cheap):
    r = {"activations": cheap["activations"]}
    assert judge("engine.activations:claim_sigmoid_slope", r).holds
    assert judge("engine.activations:claim_sigmoid_chain", r).holds
    a = cheap["activations"]
    assert not judge("engine.activations:claim_sigmoid_slope",
                     {"activations": doctored(a, **{"max_df/sigmoid": 0.3})}).holds
    assert not judge("engine.activations:claim_sigmoid_chain",
                     {"activations": doctored(a, **{"chain/sigmoid": a["chain/sigmoid"][::-1]})}).holds


def test_gradient_descent_claims(cheap):
    p, g, loc = cheap["gd-parabola"], cheap["gd-regression"], cheap["gd-local-minima"]
    m = judge("engine.gradient_descent:claim_learning_rates", {"gd-parabola": p})
    assert m.holds and m.values["good_left"] < 0.01
    slow_fast = p["w"].copy()
    slow_fast[:, 0] = p["w"][:, 1]                # the "slow" rate as fast as the good one
    assert not judge("engine.gradient_descent:claim_learning_rates", {"gd-parabola": doctored(p, w=slow_fast)}).holds
    m = judge("engine.gradient_descent:claim_sgd_jitters", {"gd-regression": g})
    assert m.holds and m.seeds == 5 and len(set(g["seed_values"].tolist())) == 5
    smooth = np.repeat(g["J/GD"][None], 5, axis=0)   # SGD that never raises the loss
    broken = judge("engine.gradient_descent:claim_sgd_jitters", {"gd-regression": doctored(g, **{"seeds/J_SGD": smooth})})
    assert not broken.holds and len(broken.failing) == 5
    assert judge("engine.gradient_descent:claim_poor_local_minima", {"gd-local-minima": loc}).holds
    assert not judge("engine.gradient_descent:claim_poor_local_minima",
                     {"gd-local-minima": doctored(loc, poor=np.zeros_like(loc["poor"]))}).holds


def test_sgd_seeds_share_data_and_start_and_differ_in_order(cheap):
    g = cheap["gd-regression"]
    J = g["seeds/J_SGD"]
    np.testing.assert_array_equal(J[0], g["J/SGD"])          # seed 0 is the one the lecture shows
    assert np.allclose(J[:, 0], J[0, 0])                      # the same start on the same data
    assert len({round(float(v), 12) for v in J[:, 10]}) == 5  # different example orders


def test_backprop_linreg_logistic_claims(cheap):
    b = cheap["backprop"]
    assert judge("engine.backprop:claim_autograd_matches_fd", {"backprop": b}).holds
    assert not judge("engine.backprop:claim_autograd_matches_fd", {"backprop": doctored(b, max_fd_error=1e-3)}).holds
    lin = cheap["linreg"]
    assert judge("engine.linear_regression:claim_three_estimates_agree", {"linreg": lin}).holds
    assert not judge("engine.linear_regression:claim_three_estimates_agree",
                     {"linreg": doctored(lin, w_gd=lin["w_gd"] + 0.01)}).holds
    lo, so = cheap["logistic"], cheap["softmax"]
    assert judge("engine.logistic_softmax:claim_loss_falls", {"logistic": lo, "softmax": so}).holds
    assert abs(so["loss"][0] - math.log(3)) < 1e-12
    bumped = lo["loss"].copy()
    bumped[100] = bumped[99] + 0.01
    assert not judge("engine.logistic_softmax:claim_loss_falls", {"logistic": doctored(lo, loss=bumped), "softmax": so}).holds


def test_lr_decay_and_bias_variance_claims(cheap):
    d = cheap["lr-decay"]
    m = judge("engine.lr_decay:claim_decay_settles", {"lr-decay": d})
    assert m.holds and 0.5 < m.values["share_lower"] < 1.0   # on average, not in every repeat: the string says so
    swapped = doctored(d, **{"final_loss/constant": d["final_loss/decay"], "final_loss/decay": d["final_loss/constant"]})
    assert not judge("engine.lr_decay:claim_decay_settles", {"lr-decay": swapped}).holds
    bv = cheap["bias-variance"]
    assert judge("engine.bias_variance:claim_fits", {"bias-variance": bv}).holds
    m = judge("engine.bias_variance:claim_overfitting_is_typical", {"bias-variance": bv})
    assert m.holds and m.values["sets"] == bv.settings["datasets"]
    va = bv["paired/val_mse"].copy()
    va[:, [1, 2]] = va[:, [2, 1]]                 # p = 5 and p = 15 exchanged
    assert not judge("engine.bias_variance:claim_overfitting_is_typical",
                     {"bias-variance": doctored(bv, **{"paired/val_mse": va})}).holds
    assert not judge("engine.bias_variance:claim_fits",
                     {"bias-variance": doctored(bv, val_mse=bv["val_mse"][::-1])}).holds


def test_paired_fits_use_the_same_training_sets():
    """The paired errors come from one set of resampled data per row: training error can only fall as the
    degree grows (nested least-squares models on the same points)."""
    import engine
    from engine.cache import compute

    engine.load_experiments()
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        r, _ = compute("bias-variance", Path(folder), device="cpu", overrides={"datasets": 50})
    tr = r["paired/train_mse"]
    assert tr.shape == (50, 3)
    assert np.all(tr[:, 0] >= tr[:, 1] - 1e-12) and np.all(tr[:, 1] >= tr[:, 2] - 1e-12)
