"""Chapter 10 — backpropagation: autograd's gradients on every node and edge, against calculus and finite differences."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.backprop import BackpropGraph

__module_test__ = "backprop"


@pytest.fixture(scope="module")
def bp(compute_results):
    return compute_results("backprop")["backprop"]


def by_name(res, array):
    return dict(zip([str(n) for n in res["nodes"]], res[array]))


def closed_form(x, w, b, y):
    """The forward values and ∂L/∂node by hand: σ′ = a(1 − a), ∂L/∂d = 2d."""
    u = w * x
    z = u + b
    a = 1 / (1 + np.exp(-z))
    d = a - y
    L = d ** 2
    gL = 1.0
    gd = 2 * d
    ga = gd
    gy = -gd
    gz = ga * a * (1 - a)
    gu = gb = gz
    gw, gx = gu * x, gu * w
    values = dict(x=x, w=w, b=b, y=y, u=u, z=z, a=a, d=d, L=L)
    grads = dict(x=gx, w=gw, b=gb, y=gy, u=gu, z=gz, a=ga, d=gd, L=gL)
    return values, grads


def test_values_and_gradients_match_calculus(bp):
    s = bp.settings
    values, grads = closed_form(s["x"], s["w"], s["b"], s["y"])
    for name, v in by_name(bp, "value").items():
        assert v == pytest.approx(values[name], abs=1e-12), name
    for name, g in by_name(bp, "grad").items():
        assert g == pytest.approx(grads[name], abs=1e-12), name
    assert bp.scalar("grad/w") == pytest.approx(grads["w"], abs=1e-12)


def test_autograd_matches_finite_differences(bp):
    np.testing.assert_allclose(bp["grad"], bp["fd_grad"], atol=1e-8)
    assert bp.scalar("max_fd_error") < 1e-8


def test_chain_rule_products_equal_autograd(bp):
    """On every edge parent → child: ∂L/∂child · ∂child/∂parent is autograd's ∂L/∂parent (each node here has one child)."""
    nodes = [str(n) for n in bp["nodes"]]
    grad = by_name(bp, "grad")
    for e, (p, c) in enumerate(bp["edges"]):
        assert bp["upstream"][e] == pytest.approx(grad[nodes[c]], abs=1e-14)
        assert bp["chain"][e] == pytest.approx(bp["upstream"][e] * bp["local"][e], abs=1e-14)
        assert bp["chain"][e] == pytest.approx(grad[nodes[p]], abs=1e-12), (nodes[p], nodes[c])


def test_local_derivatives(bp):
    v = by_name(bp, "value")
    local = {tuple(str(bp["nodes"][i]) for i in edge): d for edge, d in zip(bp["edges"], bp["local"])}
    expected = {("w", "u"): v["x"], ("x", "u"): v["w"], ("u", "z"): 1.0, ("b", "z"): 1.0,
                ("z", "a"): v["a"] * (1 - v["a"]), ("a", "d"): 1.0, ("y", "d"): -1.0, ("d", "L"): 2 * v["d"]}
    assert set(local) == set(expected)
    for edge, d in expected.items():
        assert local[edge] == pytest.approx(d, abs=1e-12), edge


def test_other_inputs():
    """Another point of the graph, run directly (not stored, so the scene's result stays the default one)."""
    import engine
    from engine.core import REGISTRY, Context, seed_everything, to_numpy

    engine.load_experiments()
    exp = REGISTRY["backprop"]
    out, _ = exp.func(exp.merged_settings({"x": -2.0, "w": 0.3, "b": 1.1, "y": 0.0}),
                      Context(device=torch.device("cpu"), seed=0, generator=seed_everything(0)))
    res = {k: to_numpy(v) for k, v in out.items()}
    values, grads = closed_form(-2.0, 0.3, 1.1, 0.0)
    np.testing.assert_allclose(res["grad"], [grads[str(n)] for n in res["nodes"]], atol=1e-12)
    np.testing.assert_allclose(res["fd_grad"], res["grad"], atol=1e-8)


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("backprop")


@frames_comparison(last_frame=True, base_scene=BackpropGraph)
def test_backprop_last_frame(scene):
    BackpropGraph.construct(scene)
