"""manim_speedups is explicit: importing the project changes nothing in Manim, ``enable`` applies the
speed-ups (refusing a Manim it was not written for), ``disable`` puts Manim's own code back, and each bug
fix fixes what stock Manim gets wrong."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from manim import BLUE, RED, Circle, Square, Star, Text, VGroup, tempconfig

import manim_speedups
from manim_speedups import _patching
from lecture import theme

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def restored():
    """Leave the speed-ups as the session has them (conftest enables them) whatever the test does."""
    before = manim_speedups.enabled()
    yield
    manim_speedups.disable()
    if before:
        manim_speedups.enable(without=set(manim_speedups.SPEEDUPS) - set(before))


def test_importing_the_scenes_leaves_manim_unchanged_until_the_worker_enables_the_speedups():
    """In a fresh interpreter: import every scene module, the worker module and every speed-up module;
    then every attribute ``enable`` replaces is still Manim's own (or the module's switch still off)."""
    code = textwrap.dedent("""
        import importlib, pkgutil, sys
        sys.path.insert(0, sys.argv[1])
        import scenes, manim_speedups
        for info in pkgutil.iter_modules(scenes.__path__):
            if info.name != "slides_bridge":
                importlib.import_module(f"scenes.{info.name}")
        from scenes import runner
        runner.warm_up()
        for name in manim_speedups.SPEEDUPS:
            importlib.import_module(f"manim_speedups.{name}")
        from manim import Mobject, Text
        assert Mobject.get_family.__module__ == "manim.mobject.mobject", Mobject.get_family
        from manim_speedups import _patching, glyph_text
        assert glyph_text.text_class() is Text
        assert not _patching.applied()
        manim_speedups.enable()
        replaced = _patching.applied()
        assert len(replaced) >= len(manim_speedups.SPEEDUPS)
        for owner, name, before, value in replaced:
            module = getattr(before, "__module__", None) or getattr(getattr(before, "fget", None), "__module__", "")
            assert before is not value, (owner, name)
            assert not str(module).startswith("manim_speedups"), (owner, name, module)
            if name == "ACTIVE":
                assert before is False
        print("unchanged until enabled:", len(replaced), "attributes")
    """)
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "unchanged until enabled" in done.stdout


def test_disable_puts_back_every_attribute_and_enable_applies_them_again(restored):
    manim_speedups.enable()
    replaced = _patching.applied()
    manim_speedups.disable()
    for owner, name, before, value in replaced:
        now = owner.__dict__.get(name, _patching._MISSING) if isinstance(owner, type) else getattr(owner, name)
        assert now is before, (owner, name)
    assert manim_speedups.enabled() == ()
    assert manim_speedups.enable() == manim_speedups.SPEEDUPS
    assert [(o, n, type(v)) for o, n, _, v in _patching.applied()] == [(o, n, type(v)) for o, n, _, v in replaced]


def test_one_left_out_is_not_applied(restored):
    from manim import Mobject

    from manim_speedups import family

    manim_speedups.enable(without={"family"})
    assert "family" not in manim_speedups.enabled()
    assert Mobject.get_family is not family._family
    with pytest.raises(ValueError, match="no speed-up named nonsense"):
        manim_speedups.enable(without={"nonsense"})


@pytest.mark.parametrize("found", ["0.23.0", "0.21.2", "1.0.0", "not installed"])
def test_another_manim_is_refused_on_one_line(found):
    with pytest.raises(manim_speedups.ManimVersionError) as error:
        manim_speedups.check_manim(found)
    message = str(error.value)
    assert "\n" not in message and "0.22" in message and found in message and "--stock-manim" in message
    manim_speedups.check_manim("0.22.0")
    manim_speedups.check_manim("0.22.7")


def test_the_installed_manim_is_the_one_the_speedups_were_written_for():
    manim_speedups.check_manim()


# --------------------------------------------------------------------------- the bug fixes, against stock Manim
def _become_three_times() -> tuple[int, int]:
    """become() a nested group three times: (points in the group's family, in the last target's)."""
    source = VGroup(Text("에포크 3", font_size=30), Square().set_fill(RED, 0.5), Circle())
    for step in range(3):
        target = VGroup(Text(f"에포크 {step + 12}", font_size=30, color=BLUE), Star(n=7).set_fill(BLUE, 1),
                        VGroup(Circle(), Square()))
        expected = target.copy()
        source.become(target)
    return (sum(len(m.points) for m in source.get_family()), sum(len(m.points) for m in expected.get_family()))


def _text_after_a_tiny_frame(tmp_path) -> tuple[int, int]:
    """A string set at 64×36, then again at 480p in the same media folder: (its glyphs, the string's)."""
    title = "딥러닝의 역사와 통계적 이해"
    with tempconfig({"pixel_width": 64, "pixel_height": 36, "media_dir": str(tmp_path)}):
        Text(title, font=theme.FONT, font_size=56)
    with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path)}):
        whole = Text(title, font=theme.FONT, font_size=56)
    return len(whole.submobjects), len(title.replace(" ", ""))


def test_become_keeps_the_skip_flag_where_stock_manim_drops_it(restored):
    """Manim issue #1959 (docs/upstream.md): stock ``align_data`` drops ``skip_point_alignment`` below
    the top level, so every become() subdivides the family's members and their points pile up."""
    manim_speedups.disable()
    grown, wanted = _become_three_times()
    assert grown > wanted  # stock Manim: the bug
    manim_speedups.enable(without=set(manim_speedups.SPEEDUPS) - {"become"})
    assert _become_three_times() == (wanted, wanted)


def test_text_files_are_named_with_the_canvas_where_stock_manim_serves_a_clipped_layout(tmp_path, restored):
    """docs/upstream.md: stock ``Text`` names its SVG without the canvas size Pango cut it to."""
    manim_speedups.disable()
    kept, glyphs = _text_after_a_tiny_frame(tmp_path / "stock")
    assert kept < glyphs  # stock Manim: the layout cut to 64×36 is read back at 480p
    manim_speedups.enable(without=set(manim_speedups.SPEEDUPS) - {"text_cache_name"})
    assert _text_after_a_tiny_frame(tmp_path / "fixed") == (glyphs, glyphs)


def test_every_speedup_module_names_what_it_replaces():
    """One module per speed-up, each with a docstring and an ``apply``; the bug fixes among them."""
    import importlib

    for name in manim_speedups.SPEEDUPS:
        module = importlib.import_module(f"manim_speedups.{name}")
        assert module.__doc__ and len(module.__doc__.strip()) > 80, name
        assert callable(module.apply), name
    assert manim_speedups.BUG_FIXES <= set(manim_speedups.SPEEDUPS)
    np.testing.assert_equal(len(set(manim_speedups.SPEEDUPS)), len(manim_speedups.SPEEDUPS))
