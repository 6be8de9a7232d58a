"""Chapter 12 — 편의와 분산: least-squares fits, the U curve, bias² + variance + σ², the diagnosis table."""
from __future__ import annotations

import numpy as np
import pytest
import torch


SMALL = {"bias-variance": {"datasets": 600}}


@pytest.fixture(scope="module")
def bv(compute_results):
    return compute_results("bias-variance", overrides=SMALL)["bias-variance"]


def test_fits_match_numpy_least_squares(bv):
    x, y, grid = bv["x_train"], bv["y_train"], bv["grid"]
    for p in (1, 5):
        coef = np.polynomial.polynomial.polyfit(x, y, p)   # an independent fit, in powers of x
        np.testing.assert_allclose(bv[f"fit/{p}"], np.polynomial.polynomial.polyval(grid, coef), atol=1e-8)
    # degree 15 is ill-conditioned: compare residuals, not coefficients
    from engine.bias_variance import design

    A = design(torch.tensor(x), 15).numpy()
    ref = np.linalg.lstsq(A, y, rcond=None)[0]
    assert bv["train_mse"][14] == pytest.approx(np.mean((A @ ref - y) ** 2), rel=1e-6)


def test_degree_15_has_lowest_training_but_not_lowest_validation_error(bv):
    train, val = bv["train_mse"], bv["val_mse"]
    assert np.argmin(train) == 14                          # the most flexible fit follows the data best …
    assert np.all(np.diff(train) <= 1e-10)                 # nested least squares: never worse with more terms
    assert np.argmin(val) != 14                            # … but not new data
    assert val[14] > 10 * val.min()
    assert val[0] > val.min() and train[0] > 10 * train[14]  # degree 1 underfits


def test_bias2_plus_variance_plus_noise_matches_measured_test_mse(bv):
    """Tolerance: 4 Monte Carlo standard errors of the measured test MSE, and 5 % where that is larger."""
    total = bv["bias2"] + bv["variance"] + bv.scalar("noise_var")
    measured, se = bv["test_mse"], bv["test_se"]
    assert np.all(np.abs(total - measured) <= np.maximum(4 * se, 0.05 * measured))
    low = slice(0, 6)  # where the errors are well behaved, the agreement is within 5 %
    np.testing.assert_allclose(total[low], measured[low], rtol=0.05)
    assert np.argmax(bv["bias2"][:6]) == 0 and bv["variance"][14] > bv["variance"][4]


def test_diagnosis_table_labels(bv):
    from engine.bias_variance import diagnose

    s = bv.settings
    for p, n, tr, va, label in zip(bv["table_degree"], bv["table_n"], bv["table_train"], bv["table_val"],
                                   bv["table_label"]):
        assert diagnose(tr, va, s["noise"], s["bias_factor"], s["variance_factor"]) == label
    assert sorted(map(str, bv["table_label"])) == ["both", "neither", "overfit", "underfit"]
    labels = dict(zip(zip(bv["table_degree"].tolist(), bv["table_n"].tolist()), map(str, bv["table_label"])))
    assert labels[(15, 30)] == "overfit" and labels[(1, 30)] == "underfit" and labels[(5, 30)] == "neither"


def test_diagnose_rule():
    from engine.bias_variance import diagnose

    assert diagnose(0.005, 0.5, 0.1, 2, 2.5) == "overfit"
    assert diagnose(0.2, 0.25, 0.1, 2, 2.5) == "underfit"
    assert diagnose(0.2, 0.9, 0.1, 2, 2.5) == "both"
    assert diagnose(0.008, 0.012, 0.1, 2, 2.5) == "neither"


# --------------------------------------------------------------------------- the scene (last frame)
from manim.utils.testing.frames_comparison import frames_comparison  # noqa: E402

from scenes.bias_variance import PolynomialFits  # noqa: E402

__module_test__ = "bias_variance"


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("bias-variance", overrides=SMALL)


@frames_comparison(last_frame=True, base_scene=PolynomialFits)
def test_polynomial_fits_scene_last_frame(scene):
    PolynomialFits.construct(scene)
