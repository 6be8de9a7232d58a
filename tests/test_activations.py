"""Chapter 2 — activation functions: engine numerics, the figure, the scene."""
from __future__ import annotations

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.activations import ActivationFunctions

__module_test__ = "activations"


@pytest.fixture(scope="module")
def act(compute_results):
    return compute_results("activations")["activations"]


def test_derivatives_match_closed_forms(act):
    x = act["x"]
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(act["f/sigmoid"], s, rtol=1e-12)
    np.testing.assert_allclose(act["df/sigmoid"], s * (1 - s), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(act["df/tanh"], 1 - np.tanh(x) ** 2, rtol=1e-10, atol=1e-15)
    np.testing.assert_array_equal(act["df/identity"], np.ones_like(x))
    positive, negative = x > 0, x < 0
    np.testing.assert_array_equal(act["df/relu"][positive], 1.0)
    np.testing.assert_array_equal(act["df/relu"][negative], 0.0)
    np.testing.assert_array_equal(act["f/relu"], np.maximum(x, 0))


def test_derivative_maxima_are_the_slides_values(act):
    assert act.scalar("max_df/sigmoid") == pytest.approx(0.25, abs=1e-12)
    assert act.scalar("argmax_df/sigmoid") == pytest.approx(0.0, abs=1e-12)
    assert act.scalar("max_df/tanh") == pytest.approx(1.0, abs=1e-12)
    assert act.scalar("max_df/relu") == 1.0
    assert np.all(act["df/sigmoid"] <= 0.25 + 1e-15)


def test_chain_rule_products(act):
    k = act["layers"]
    np.testing.assert_allclose(act["chain/sigmoid"], 0.25 ** k, rtol=1e-12)
    np.testing.assert_allclose(act["chain/relu"], np.ones_like(k))
    assert act["chain/sigmoid"][-1] < 1e-6  # ten sigmoid layers: below one millionth


def test_metadata_names_the_computation(act):
    meta = act.meta
    assert meta["topic"] == "activations" and meta["seed"] == 0 and meta["device"] == "cpu"
    assert {"torch", "numpy"} <= set(meta["versions"])
    assert meta["settings"]["points"] == len(act["x"])
    assert len(meta["code_fingerprint"]) == 16


def test_korean_glyphs_really_render():
    from manim import Text

    from lecture import theme

    word = "시그모이드 함수"
    text = Text(word, font=theme.FONT)
    glyphs = [g for g in text.submobjects if g.has_points()]
    assert len(glyphs) == len(word.replace(" ", ""))
    # A missing glyph renders as the same empty box for every character: distinct syllables
    # must give distinct outlines.
    shapes = {}
    for char, glyph in zip(word.replace(" ", ""), glyphs):
        outline = np.round(glyph.points - glyph.get_center(), 2)
        shapes.setdefault(char, outline)
    outlines = list(shapes.values())
    for i in range(len(outlines)):
        for j in range(i + 1, len(outlines)):
            a, b = outlines[i], outlines[j]
            assert a.shape != b.shape or not np.allclose(a, b), "two different syllables drew the same glyph"
    # And the font really is the CJK one (Pango would silently fall back otherwise).
    import subprocess

    covered = subprocess.run(["fc-list", f"{theme.FONT}:charset=c2dc", "family"], capture_output=True, text=True).stdout
    assert theme.FONT in covered


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    """Scenes read stored results: compute them and point the scene at them (autouse, so that
    frames_comparison does not see fixture arguments)."""
    scene_results("activations")


@frames_comparison(last_frame=True, base_scene=ActivationFunctions)
def test_activation_scene_last_frame(scene):
    ActivationFunctions.construct(scene)
