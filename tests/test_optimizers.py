"""Chapter 11 — the five optimizers: torch.optim's paths against the slides' update rules, figures, scenes.

The independent implementations below are numpy, written as the slides write them:

* SGD       w := w − η g
* Momentum  m_{t+1} = β m_t + η g,   w := w − m_{t+1}
* AdaGrad   s_{t+1} = s_t + g²,     w := w − η g / √(s_{t+1} + ε)
* RMSprop   s_{t+1} = α s_t + (1 − α) g²,  w := w − η g / √(s_{t+1} + ε)
* Adam      m_{t+1} = β1 m_t + (1 − β1) g,  s_{t+1} = β2 s_t + (1 − β2) g²,  w := w − η m_{t+1} / √(s_{t+1} + ε)

Named differences from torch.optim (each switched on separately below):
  EPS_OUTSIDE_ROOT — torch divides by √s + ε, the slides by √(s + ε) (AdaGrad, RMSprop, Adam);
  BIAS_CORRECTION  — torch's Adam divides m by 1 − β1^t and s by 1 − β2^t; the slides' Adam does not;
  MOMENTUM_FORM    — torch keeps b = βb + g and steps η·b; with a constant η this is the slides' m = η·b.
"""
from __future__ import annotations

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.optimizers import OptimizerRace, SaddleRace

__module_test__ = "optimizers"

NAMES = ("SGD", "Momentum", "AdaGrad", "RMSprop", "Adam")


def textbook_grad(w: np.ndarray) -> np.ndarray:
    """∇(x²/20 + y²) in closed form."""
    return np.array([w[0] / 10.0, 2.0 * w[1]])


def slides_rule(name: str, grad, start, lr: float, steps: int, *, beta=0.9, alpha=0.9, betas=(0.9, 0.999),
                eps=None, eps_outside_root=False, bias_correction=False) -> np.ndarray:
    """The slides' update rule in numpy; the two switches turn on torch's conventions."""
    w = np.array(start, dtype=float)
    m = np.zeros_like(w)
    s = np.zeros_like(w)
    out = [w.copy()]
    eps = {"AdaGrad": 1e-10, "RMSprop": 1e-8, "Adam": 1e-8}.get(name, 0.0) if eps is None else eps

    def scale(v):
        return np.sqrt(v) + eps if eps_outside_root else np.sqrt(v + eps)

    for t in range(1, steps + 1):
        g = grad(w)
        if name == "SGD":
            w = w - lr * g
        elif name == "Momentum":
            m = beta * m + lr * g
            w = w - m
        elif name == "AdaGrad":
            s = s + g ** 2
            w = w - lr * g / scale(s)
        elif name == "RMSprop":
            s = alpha * s + (1 - alpha) * g ** 2
            w = w - lr * g / scale(s)
        elif name == "Adam":
            m = betas[0] * m + (1 - betas[0]) * g
            s = betas[1] * s + (1 - betas[1]) * g ** 2
            mh, sh = (m / (1 - betas[0] ** t), s / (1 - betas[1] ** t)) if bias_correction else (m, s)
            w = w - lr * mh / scale(sh)
        out.append(w.copy())
    return np.array(out)


@pytest.fixture(scope="module")
def opt(compute_results):
    return compute_results("optimizers")["optimizers"]


def test_textbook_paths_are_stored_with_their_shape(opt):
    for name in NAMES:
        path = opt[f"textbook/{name}"]
        assert path.shape == (31, 2)
        np.testing.assert_array_equal(path[0], [-7.0, 2.0])
        assert np.all(np.isfinite(path))
    assert opt.meta["settings"]["textbook_lr_SGD"] == 0.95 and opt.meta["settings"]["textbook_lr_Adam"] == 0.3
    assert opt.meta["info"]["optimizers"]["RMSprop"]["alpha"] == 0.9


def test_sgd_and_momentum_equal_the_slides_rules(opt):
    s = opt.meta["settings"]
    for name in ("SGD", "Momentum"):
        ours = slides_rule(name, textbook_grad, (-7, 2), s[f"textbook_lr_{name}"], 30, beta=s["momentum"])
        # the rules coincide (MOMENTUM_FORM: m = η·b for a constant η): equal up to float64 rounding
        np.testing.assert_allclose(opt[f"textbook/{name}"], ours, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["AdaGrad", "RMSprop"])
def test_adaptive_rules_differ_only_by_where_eps_sits(opt, name):
    s = opt.meta["settings"]
    lr = s[f"textbook_lr_{name}"]
    torch_path = opt[f"textbook/{name}"]
    exact = slides_rule(name, textbook_grad, (-7, 2), lr, 30, alpha=s["rmsprop_alpha"], eps_outside_root=True)
    np.testing.assert_allclose(torch_path, exact, rtol=1e-12, atol=1e-12)
    # EPS_OUTSIDE_ROOT: √(s + ε) vs √s + ε; with ε ≤ 1e-8 and gradients far from 0 the paths agree to 1e-6
    slides = slides_rule(name, textbook_grad, (-7, 2), lr, 30, alpha=s["rmsprop_alpha"])
    np.testing.assert_allclose(torch_path, slides, atol=1e-6)
    assert not np.array_equal(torch_path, slides)


def test_adam_differs_by_bias_correction_and_eps(opt):
    s = opt.meta["settings"]
    lr = s["textbook_lr_Adam"]
    torch_path = opt["textbook/Adam"]
    exact = slides_rule("Adam", textbook_grad, (-7, 2), lr, 30, bias_correction=True, eps_outside_root=True)
    np.testing.assert_allclose(torch_path, exact, rtol=1e-12, atol=1e-12)
    # EPS_OUTSIDE_ROOT alone: tiny
    no_eps = slides_rule("Adam", textbook_grad, (-7, 2), lr, 30, bias_correction=True)
    np.testing.assert_allclose(torch_path, no_eps, atol=1e-6)
    # BIAS_CORRECTION: the slides' first step is (1 − β1)/√(1 − β2) = 3.16 times torch's
    slides = slides_rule("Adam", textbook_grad, (-7, 2), lr, 30)
    ratio = (slides[1] - slides[0]) / (torch_path[1] - torch_path[0])
    np.testing.assert_allclose(ratio, 0.1 / np.sqrt(0.001), rtol=1e-4)  # 1e-4: ε inside the root as well
    assert np.max(np.abs(slides - torch_path)) > 0.1


def test_momentum_forms_part_when_the_rate_changes():
    """MOMENTUM_FORM: with a decaying η, torch's η_t·b_t is not the slides' Σ β^k η_{t−k} g."""
    from engine.optim_paths import SURFACES, as_loss, run_paths

    paths = run_paths(as_loss(SURFACES["textbook"].fn), [[-7.0, 2.0]], 0.1, "Momentum", 10, decay_n=5.0)
    w = np.array([-7.0, 2.0])
    m = np.zeros(2)
    ours = [w.copy()]
    for t in range(10):
        m = 0.9 * m + 0.1 * 10 ** (-t / 5) * textbook_grad(w)
        w = w - m
        ours.append(w.copy())
    diff = np.abs(paths.params[:, 0].numpy() - np.array(ours)).max()
    assert diff > 1e-3


def test_batched_runs_equal_one_run_at_a_time():
    from engine.optim_paths import SURFACES, as_loss, run_paths

    starts = np.array([[2.0, 1.7], [1.0, 1.5], [-1.0, 2.0], [3.0, -1.0]])
    lrs = [0.001, 0.01, 0.001, 0.05]
    for name in NAMES:
        batched = run_paths(as_loss(SURFACES["beale"].fn), starts, lrs, name, 60)
        for r in range(len(starts)):
            single = run_paths(as_loss(SURFACES["beale"].fn), starts[r:r + 1], lrs[r], name, 60)
            np.testing.assert_allclose(batched.params[:, r], single.params[:, 0], rtol=1e-12, atol=1e-12,
                                       equal_nan=True)
            assert bool(batched.diverged[r]) == bool(single.diverged[0])


def test_a_diverging_run_is_stopped_and_keeps_its_finite_part():
    from engine.optim_paths import SURFACES, as_loss, run_paths

    # SGD with η = 0.05 explodes on Beale from (2, 1.7); η = 0.001 does not — in the same batch
    paths = run_paths(as_loss(SURFACES["beale"].fn), [[2.0, 1.7], [2.0, 1.7]], [0.05, 0.001], "SGD", 100)
    assert bool(paths.diverged[0]) and not bool(paths.diverged[1])
    last = int(paths.last[0])
    assert 0 < last < 100
    assert np.all(np.isfinite(paths.params[: last + 1, 0].numpy()))
    assert np.all(np.isnan(paths.params[last + 1:, 0].numpy()))
    assert np.all(np.isfinite(paths.params[:, 1].numpy()))


def test_beale_and_saddle(opt):
    for name in NAMES:
        last = int(opt[f"beale_last/{name}"])
        end = opt[f"beale/{name}"][last]
        assert not bool(opt[f"beale_stopped/{name}"])
        assert np.linalg.norm(end - [3.0, 0.5]) < 0.6, name          # every one reaches the basin of (3, 0.5)
        assert opt[f"beale_loss/{name}"][last] < 0.1 * opt[f"beale_loss/{name}"][0]
    # at the saddle, plain SGD stays near (0, 0); the adaptive methods and momentum escape along y
    sgd_end = opt["saddle/SGD"][int(opt["saddle_last/SGD"])]
    assert np.linalg.norm(sgd_end) < 0.05 and not bool(opt["saddle_stopped/SGD"])
    for name in ("Momentum", "RMSprop", "Adam"):
        assert bool(opt[f"saddle_stopped/{name}"]), name
        assert int(opt[f"saddle_last/{name}"]) < int(opt.meta["settings"]["saddle_steps"])


def test_mnist_optimizers_learn(compute_results):
    res = compute_results("optimizers-mnist", overrides={"optimizers-mnist": {"iterations": 40, "eval_every": 20}})[
        "optimizers-mnist"]
    assert res["loss"].shape == (40, 5)
    assert np.all(np.isfinite(res["loss"]))
    np.testing.assert_allclose(res["full_loss"][0], res["full_loss"][0, 0])   # the same initial weights
    assert np.all(res["full_loss"][-1] < res["full_loss"][0])
    # the adaptive methods learn faster than plain SGD at 0.01
    assert res["full_loss"][-1, 4] < res["full_loss"][-1, 0]


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results, monkeypatch):
    scene_results("optimizers")
    # Manim's frames_comparison gives the ThreeDCamera only when base_scene *is* ThreeDScene (an identity
    # test, not issubclass); let it recognise SaddleRace, a ThreeDScene subclass, as well.
    from manim.utils.testing import frames_comparison as fc

    monkeypatch.setattr(fc, "ThreeDScene", SaddleRace)


@frames_comparison(last_frame=True, base_scene=OptimizerRace)
def test_optimizer_race_last_frame(scene):
    OptimizerRace.construct(scene)


@frames_comparison(last_frame=True, base_scene=SaddleRace)
def test_saddle_race_last_frame(scene):
    SaddleRace.construct(scene)


def test_a_trace_sets_the_points_always_redraw_drew():
    """``trace`` updates one polyline's points in place; its frames are those of ``always_redraw`` building
    the same polyline anew every frame (as the scenes drew it before), and it follows the tracker and the
    axes.  With a window (``clip``) it draws only the parts inside, cut at the edge, never clamped onto it."""
    from manim import RED, RIGHT, Axes, ValueTracker, VMobject, always_redraw

    from scenes.base import axes_points
    from scenes.traces import point_at, trace

    axes = Axes(x_range=(-2, 2, 1), y_range=(-2, 2, 1), x_length=4, y_length=4)
    path = np.array([[0.0, 0.0], [0.5, 0.3], [1.0, -0.4], [np.nan, np.nan], [1.5, 1.2]])
    tracker = ValueTracker(0.0)

    def redrawn():
        k = tracker.get_value()
        finite = path[np.isfinite(path).all(axis=1)]
        n = int(np.clip(np.floor(k), 0, len(finite) - 1))
        pts = np.vstack([finite[: n + 1], point_at(path, k)])
        line = VMobject(stroke_color=RED, stroke_width=3)
        line.set_points_as_corners(axes_points(axes, *pts.T))
        return line

    ours, theirs = trace(axes, path, tracker, RED, width=3), always_redraw(redrawn)
    windowed = trace(axes, path, tracker, RED, width=3, clip=(-1.0, 1.0))
    counts = set()
    for k in (0.0, 0.4, 1.0, 2.7, 3.5, 9.0, 1.5, 2.2):
        if k == 1.5:  # the axes move (or grow): the steps it placed once are placed again
            axes.shift(RIGHT * 0.7).scale(1.3)
        tracker.set_value(k)
        for m in (ours, theirs, windowed):
            m.update()
        assert np.array_equal(ours.points, theirs.points)
        assert np.array_equal(ours.stroke_rgbas, theirs.stroke_rgbas) and ours.stroke_width == theirs.stroke_width
        counts.add(len(ours.points))
        low, high = axes.c2p(-1.0, -1.0), axes.c2p(1.0, 1.0)
        assert np.all(windowed.points[:, :2] >= low[:2] - 1e-9) and np.all(windowed.points[:, :2] <= high[:2] + 1e-9)
    assert len(counts) > 2 and ours.submobjects == []
    # at the end the path has left the window through x = 1: no point sits at the clamped (1, 1)
    tracker.set_value(9.0)
    windowed.update()
    assert not np.any(np.all(np.isclose(windowed.points, axes.c2p(1.0, 1.0)), axis=1))


# --- claims: judged on the pinned result the scenes draw (the lecture's settings) ---------------------------------

@pytest.fixture
def pinned(_scene_data):
    from engine.store import load
    from lecture import settings

    return load("optimizers", settings.current().results)


def _with(res, **arrays):
    import dataclasses

    return {"optimizers": dataclasses.replace(res, arrays={**res.arrays, **arrays})}


CLAIMS = ("race_sgd_zigzag", "race_momentum_swings", "race_adagrad_lowest", "saddle_sgd_stays", "saddle_escape_order",
          "saddle_adagrad_inside")


@pytest.mark.parametrize("name", CLAIMS)
def test_claims_hold(pinned, name):
    from engine import optimizers

    verdict = getattr(optimizers, f"claim_{name}")({"optimizers": pinned})
    assert verdict.holds, verdict


def test_claims_fail_when_their_premise_is_broken(pinned):
    from engine import optimizers as o

    r = pinned
    swap = lambda prefix, a, b: {f"{prefix}/{a}": r[f"{prefix}/{b}"], f"{prefix}/{b}": r[f"{prefix}/{a}"]}  # noqa: E731
    # SGD's and AdaGrad's textbook paths swapped: AdaGrad's path does not zig-zag; SGD's does not swing
    assert not o.claim_race_sgd_zigzag(_with(r, **swap("textbook", "SGD", "AdaGrad"))).holds
    assert not o.claim_race_momentum_swings(_with(r, **swap("textbook", "Momentum", "AdaGrad"))).holds
    assert not o.claim_race_adagrad_lowest(_with(r, **swap("textbook_loss", "AdaGrad", "Adam"))).holds
    # at the saddle: SGD's and Momentum's paths and flags swapped; RMSprop's and Momentum's escape steps swapped
    saddle_swap = {**swap("saddle", "SGD", "Momentum"), **swap("saddle_last", "SGD", "Momentum"),
                   **swap("saddle_stopped", "SGD", "Momentum")}
    assert not o.claim_saddle_sgd_stays(_with(r, **saddle_swap)).holds
    assert not o.claim_saddle_escape_order(_with(r, **swap("saddle_last", "RMSprop", "Momentum"))).holds
    adagrad_out = {**swap("saddle", "AdaGrad", "Adam"), **swap("saddle_last", "AdaGrad", "Adam"),
                   **swap("saddle_stopped", "AdaGrad", "Adam")}
    assert not o.claim_saddle_adagrad_inside(_with(r, **adagrad_out)).holds
