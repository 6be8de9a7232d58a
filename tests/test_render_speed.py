"""The render speed-ups change nothing a viewer sees: copies stay independent, hashes stay sensitive,
merged dots keep their points and colours, and the scene worker renders, reports failures and keeps
parallel workers apart."""
from __future__ import annotations

import copy
import fcntl
from pathlib import Path

import numpy as np
import pytest

from lecture.settings import Settings

from tests.helpers import use_settings
from manim import BLUE, RED, UP, Dot, MathTex, Text, VGroup, tempconfig
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.scene.scene_file_writer import SceneFileWriter
from manim.utils import hashing
from manim.utils.color import ManimColor

from helpers import x264_settings
import manim_speedups
from manim_speedups import _paths, cairo_paths, copies, family, frame_conversion, three_d
from scenes import runner
from scenes.base import LectureScene, merged

ROOT = Path(__file__).resolve().parents[1]


def glyphs(mobject):
    return [m for m in mobject.get_family() if isinstance(m, VMobjectFromSVGPath)]


def test_copies_share_the_parsed_path_but_not_the_points():
    manim_speedups.enable()
    tex = MathTex(r"\sigma(x) = \frac{1}{1 + e^{-x}}")
    twin = tex.copy()
    a, b = glyphs(tex), glyphs(twin)
    assert len(a) == len(b) > 5
    assert all(x.path_obj is y.path_obj for x, y in zip(a, b))        # shared, not copied
    assert all(x.points is not y.points for x, y in zip(a, b))
    twin.shift(np.array([1.0, 0, 0]))
    twin.set_color(RED)
    assert np.allclose(b[0].points - a[0].points, [1.0, 0, 0])         # the original did not move
    assert tex.get_color() != twin.get_color()


def test_colours_are_shared_by_copies_and_stay_immutable():
    manim_speedups.enable()
    colour = ManimColor("#E69F00")
    assert copy.deepcopy(colour) is colour
    darker = colour.darker()
    assert darker is not colour and colour.to_hex().upper() == "#E69F00"


def _same_structure(a, b, original, seen=None):
    """``a`` and ``b`` (two copies of ``original``) hold equal values in the same shape: the same
    attributes, equal arrays of the same type and layout, the same sharing among themselves, and
    nothing mutable shared with ``original`` that Manim's copy does not share."""
    from manim import Mobject

    seen = {} if seen is None else seen
    if id(a) in seen:
        assert seen[id(a)] is b
        return
    seen[id(a)] = b
    assert type(a) is type(b)
    if isinstance(a, Mobject):
        assert a.__dict__.keys() == b.__dict__.keys()
        for key in a.__dict__:
            if key == "original_id":
                assert a.original_id == b.original_id
                continue
            _same_structure(a.__dict__[key], b.__dict__[key], original, seen)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape and a.strides == b.strides and np.array_equal(a, b)
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same_structure(x, y, original, seen)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _same_structure(a[key], b[key], original, seen)
    elif hasattr(a, "__dict__") and not callable(a):  # a helper object (an axis's scale): copied alike
        assert a is not original
        _same_structure(vars(a), vars(b), original, seen)
    else:  # numbers, strings, colours, functions: the very same object or an equal one
        assert a is b or a == b


def test_copies_are_manims_deepcopies(monkeypatch):
    """The faster ``Mobject.__deepcopy__`` gives what Manim's gives: the same attributes and values,
    arrays copied (and an array shared by two attributes still shared), nothing of the original's
    changed by changing the copy."""
    from manim import Axes, Dot, ValueTracker

    manim_speedups.enable()
    dot = Dot(color=BLUE).add_updater(lambda m: m)
    shared = np.zeros((4, 3))
    dot.extra_a, dot.extra_b = shared, shared
    dot.fortran = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    dot.width_value = np.float64(2.5)
    axes = Axes(x_range=(0, 3, 1), y_range=(0, 2, 1), x_length=3, y_length=2)
    group = VGroup(Text("손실 0.25"), axes, dot, MathTex(r"x^2"))
    group.tracker = ValueTracker(3.0)
    group.same_dot = dot  # a reference inside the family: the copy points at its own copy
    mine = copy.deepcopy(group)
    monkeypatch.setattr(type(group).__mro__[-2], "__deepcopy__", copies._mobject_deepcopy)
    monkeypatch.setattr(VMobjectFromSVGPath, "__deepcopy__",
                        lambda self, memo: (memo.__setitem__(id(self.path_obj), self.path_obj),
                                            copies._mobject_deepcopy(self, memo))[1])
    theirs = copy.deepcopy(group)
    _same_structure(mine, theirs, group)
    copied_dot = mine[2]
    assert mine.same_dot is copied_dot and copied_dot.extra_a is copied_dot.extra_b
    assert copied_dot.extra_a is not shared and copied_dot.fortran.flags.f_contiguous
    assert copied_dot.points is not dot.points and copied_dot.updaters is not dot.updaters
    copied_dot.points += 1
    assert not np.array_equal(copied_dot.points, dot.points)


def test_hash_ignores_the_parsed_path_but_not_the_geometry():
    manim_speedups.enable()
    assert "path_obj" in hashing.KEYS_TO_FILTER_OUT
    one, other = MathTex("x^2"), MathTex("x^3")
    assert '"path_obj"' not in hashing.get_json(one)
    assert hashing.get_json(one) == hashing.get_json(one.copy())
    assert hashing.get_json(one) != hashing.get_json(other)
    assert hashing.get_json(one) != hashing.get_json(one.copy().shift(np.array([0.5, 0, 0])))


def test_text_made_twice_is_two_equal_independent_mobjects(monkeypatch):
    use_settings(monkeypatch, lang="ko")
    with tempconfig({"dry_run": True}):
        scene = LectureScene()
        scene.setup()
        first = scene.plain("활성화 함수", font_size=30)
        second = scene.plain("활성화 함수", font_size=30)
        reference = Text("활성화 함수", font=first.font, font_size=30, color=scene.ink)
    assert first is not second
    assert np.allclose(first.get_all_points(), reference.get_all_points())
    first.shift(np.array([2.0, 0, 0]))
    assert np.allclose(second.get_all_points(), reference.get_all_points())
    with tempconfig({"dry_run": True}):
        bigger = scene.plain("활성화 함수", font_size=40)
    assert bigger.width > second.width * 1.2   # a different size is a different text


def test_merged_dots_keep_points_and_colours():
    dots = VGroup(*(Dot([x, 0.5 * x, 0], radius=0.05, color=BLUE if x % 2 else RED) for x in range(-3, 4)))
    flat = merged(dots)
    assert len(flat) == 2                                  # one path per colour
    assert sum(len(p.points) for p in flat) == sum(len(d.points) for d in dots)
    assert {p.get_fill_color().to_hex() for p in flat} == {ManimColor(BLUE).to_hex(), ManimColor(RED).to_hex()}
    assert np.allclose(flat.get_center(), dots.get_center())
    # each dot is its own closed subpath
    assert all(len(p.get_subpaths()) == len([d for d in dots if d.get_fill_color() == p.get_fill_color()])
               for p in flat)


SCENES = '''
from manim import Circle, Create
from scenes.base import LectureScene


class Tiny(LectureScene):
    def construct(self):
        self.play(Create(Circle(color=self.ink)), run_time=0.5)


class Broken(LectureScene):
    def construct(self):
        raise ValueError("no such result")
'''


@pytest.fixture
def scene_file(tmp_path):
    path = tmp_path / "tiny_scenes.py"
    path.write_text(SCENES)
    return path


def test_worker_renders_a_scene_and_logs(tmp_path, scene_file):
    env = Settings(lang="ko", theme="light", results=tmp_path)
    video_dir = runner.render(scene_file, "Tiny", "Tiny-ko", tmp_path / "media", "l", env, tmp_path / "tiny.log")
    assert (video_dir / "Tiny-ko.mp4").stat().st_size > 1000
    assert video_dir.is_relative_to(tmp_path / "media")
    # libx264 wrote the settings it encoded with into the stream: the build's, not Manim's default
    x264 = x264_settings(video_dir / "Tiny-ko.mp4")
    # (ultrafast: subme 0, no analysis of partitions; with CABAC and the deblocking filter turned back on)
    assert {"subme=0", "analyse=0:0", "cabac=1", "deblock=1:0:0", "crf=28.0", "threads=1", "sliced_threads=0",
            "bframes=0"} <= x264
    from manim import config
    assert config["disable_caching"] is False  # the build's settings did not leak into the process
    assert "preset" not in config.video_encoder_options


def test_worker_reports_a_failing_scene_on_one_line(tmp_path, scene_file):
    env = Settings(lang="ko", theme="light", results=tmp_path)
    log = tmp_path / "broken.log"
    with pytest.raises(runner.SceneFailed) as info:
        runner.render(scene_file, "Broken", "Broken-ko", tmp_path / "media", "l", env, log)
    message = str(info.value)
    assert "\n" not in message and "no such result" in message and str(log) in message
    assert "Traceback" in log.read_text()
    # the light theme's text colour does not leak into the next scene
    assert Text.__init__.__kwdefaults__ is None or "color" not in (Text.__init__.__kwdefaults__ or {})
    assert Text("a").get_color().to_hex().upper() == "#FFFFFF"


HEAP = """
import sys
class Marker:
    def __del__(self):
        open(PATH, "w").write("torn down")
sys.modules["__main__"].held = [Marker()] + [[i] for i in range(10000)]
"""


def test_a_scene_worker_ends_without_tearing_down_its_heap(tmp_path):
    """The build's scene workers hand back their results and exit 0 without the interpreter's teardown:
    an object a scene left alive is never finalized.  A spawned worker without ``pool_worker`` is."""
    import concurrent.futures as cf
    import multiprocessing

    from builder.execute import scene_pool

    for name, make in (("plain", lambda: cf.ProcessPoolExecutor(1, multiprocessing.get_context("spawn"))),
                       ("build", lambda: scene_pool(1))):
        marker = tmp_path / f"{name}.txt"
        pool = make()
        with pool:
            assert pool.submit(exec, HEAP, {"PATH": str(marker)}).result() is None
            processes = list(pool._processes.values())
        assert [p.exitcode for p in processes] == [0]
        assert marker.exists() == (name == "plain"), name


MOVING = '''
from manim import Circle, Create, Square, FadeIn, RIGHT
from scenes.base import LectureScene


class Moving(LectureScene):
    def construct(self):
        square = Square(color=self.ink)
        self.play(Create(Circle(color=self.ink)), FadeIn(square), run_time=0.6)
        self.wait(0.4)
        self.play(square.animate.shift(RIGHT).set_color("#e69f00"), run_time=0.5)
'''


def test_parallel_workers_get_their_own_media_folders(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "_slots", {})
    root = tmp_path / "media"
    root.mkdir()
    held = open(root / ".worker-0.lock", "w")      # another live worker holds slot 0
    fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        assert runner.worker_media_dir(root) == root.resolve() / "worker-1"
        assert runner.worker_media_dir(root) == root.resolve() / "worker-1"   # and keeps it
    finally:
        held.close()


def test_families_equal_manims_own():
    """The recursive family walk lists what Manim's generators list, in order: nested groups, text,
    a member shared by two groups (kept last), a group inside itself (skipped), empty mobjects."""
    from manim import Mobject, Square, VMobject

    manim_speedups.enable()
    shared = Dot()
    inner = VGroup(Square(), shared, VMobject())
    looped = VGroup(Dot())
    looped.submobjects.append(looped)                  # a cycle: Manim skips the member inside itself
    looped.submobjects.append(VGroup(looped, Dot()))
    cases = [VGroup(inner, Text("가나 1.5"), VGroup(shared, VGroup(VGroup(Dot())))), inner, looped,
             VGroup(inner, inner), Mobject(), shared]
    for mob in cases:
        theirs = family._get_family(mob)
        assert [id(m) for m in mob.get_family()] == [id(m) for m in theirs]
        assert [id(m) for m in mob.family_members_with_points()] == \
            [id(m) for m in family._family_members_with_points(mob)]
    assert len(cases[3].get_family()) == len(set(cases[3].get_family())) == 5  # a repeated member listed once
    assert len(looped.get_family()) == 4

    # the scene-wide list the camera draws from: every family joined, repeats removed, by z-index
    from manim.camera import camera

    assert camera.extract_mobject_family_members is family._family_members
    cases[0][1].set_z_index(2)
    shared.set_z_index(-1)
    for mobjects in (cases, cases[:2], [shared, inner], [looped, cases[0]], []):
        for z in (False, True):
            for points in (False, True):
                theirs = family._extract_family_members(mobjects, use_z_index=z, only_those_with_points=points)
                ours = camera.extract_mobject_family_members(mobjects, use_z_index=z, only_those_with_points=points)
                assert [id(m) for m in ours] == [id(m) for m in theirs]


def test_axes_points_equal_a_call_per_point():
    from manim import Axes, ThreeDAxes

    from scenes.base import axes_points

    axes = Axes(x_range=(0, 10, 1), y_range=(-1, 1, 0.5), x_length=6, y_length=3).shift(np.array([1.0, -0.5, 0]))
    xs = np.linspace(0, 10, 7)
    ys = np.sin(xs)
    assert np.array_equal(axes_points(axes, xs, ys), np.array([axes.c2p(x, y) for x, y in zip(xs, ys)]))
    assert axes_points(axes, [2.0], [0.5]).shape == (1, 3)
    space = ThreeDAxes(x_range=(-2, 2, 1), y_range=(-2, 2, 1), z_range=(0, 3, 1))
    zs = ys + 1
    assert np.allclose(axes_points(space, xs / 5, ys, zs), [space.c2p(x / 5, y, z) for x, y, z in zip(xs, ys, zs)])


def test_class_regions_are_the_rows_runs_of_each_label():
    from manim import Axes

    from scenes.logistic_softmax import affine, region

    axes = Axes(x_range=(0, 5, 1), y_range=(0, 3, 1))
    rng = np.random.default_rng(1)
    g1, g2 = np.linspace(0.1, 4.9, 40), np.linspace(0.1, 2.9, 30)
    labels = rng.integers(0, 4, size=(30, 40))
    labels[:, :5] = 0
    colours = [("#E69F00", 0.2), ("#56B4E9", 0.3), ("#009E73", 0.4), ("#000000", 0.5)]
    shapes = region(axes, g1, g2, labels, colours)
    assert len(shapes) == 4 and len(shapes[3].points) == 16          # label 4 never occurs: a placeholder
    to_points = affine(axes)
    dx, dy = (g1[1] - g1[0]) / 2, (g2[1] - g2[0]) / 2
    for k, shape in enumerate(shapes[:3], start=1):
        rects = []                                                     # an independent scan, run by run
        for i, row in enumerate(labels):
            j = 0
            while j < len(row):
                if row[j] != k:
                    j += 1
                    continue
                start = j
                while j < len(row) and row[j] == k:
                    j += 1
                rects.append((g1[start] - dx, g1[j - 1] + dx, g2[i] - dy, g2[i] + dy))
        subpaths = shape.get_subpaths()
        assert len(subpaths) == len(rects)
        for path, (x0, x1, y0, y1) in zip(subpaths, rects):
            corners = to_points([x0, x1, x1, x0, x0], [y1, y1, y0, y0, y1])
            assert np.allclose(path[::4], corners[:-1]) and np.allclose(path[-1], corners[-1])


def test_stamps_remember_build_times_for_scheduling(tmp_path):
    from builder.stamps import Stamps

    stamps = Stamps(tmp_path / ".stamps.json")
    stamps.set("video:a", "s1", 12.345)
    stamps.set("video:b", "s2")
    stamps.save()
    again = Stamps(tmp_path / ".stamps.json")
    assert again.seconds("video:a") == 12.35 and again.seconds("video:b") is None
    out = tmp_path / "a.mp4"
    out.write_bytes(b"x")
    assert again.fresh("video:a", "s1", [out]) and not again.fresh("video:a", "s2", [out])


def test_become_copies_the_target_without_subdividing_the_family():
    """become() = the target's points and colours in every family member; Manim's recursion
    subdivided each member to match first (and the point count grew with every become)."""
    from manim import Circle, Square, Star

    manim_speedups.enable()
    source = VGroup(Text("에포크 3", font_size=30), Square().set_fill(RED, 0.5), Circle())
    for step in range(3):
        target = VGroup(Text(f"에포크 {step + 12}", font_size=30, color=BLUE), Star(n=7).set_fill(BLUE, 1),
                        VGroup(Circle(), Square()))
        expected = target.copy()
        source.become(target)
        for mine, theirs in zip(source.get_family(), expected.get_family(), strict=True):
            assert np.array_equal(mine.points, theirs.points)
            assert np.allclose(mine.fill_rgbas, theirs.fill_rgbas)
    assert source.get_num_points() == expected.get_num_points()

    # Transform (no skip) still aligns the points, as Manim does
    a, b = Square(), Star(n=7)
    a.align_data(b)
    assert a.get_num_points() == b.get_num_points()


@pytest.mark.parametrize("content, options", [
    ("에포크 12 · 정확도 93.2 %", {}), ("Fit fl — ok, 0.125", {"font_size": 56}), ("두 줄\n둘째 줄", {}),
    ("굵게 BOLD", {"weight": "BOLD"}), ("색 −1.5", {"color": "#e69f00"}), ("   ", {}),
    ("fi 글자 하나씩 1.5", {"disable_ligatures": True}),
])
def test_glyph_text_equals_manims_text(tmp_path, content, options):
    """GlyphText places Manim's own glyph outlines where Pango put them: the same mobject as Text."""
    from lecture import theme
    from manim_speedups.glyph_text import GlyphText

    with tempconfig({"media_dir": str(tmp_path)}):
        ours, theirs = (cls(content, font=theme.FONT, **options) for cls in (GlyphText, Text))
        again = GlyphText(content, font=theme.FONT, **options)  # glyphs from the cache this time
    for made in (ours, again):
        assert len(made.get_family()) == len(theirs.get_family())
        for a, b in zip(made.get_family(), theirs.get_family()):
            assert a.points.shape == b.points.shape
            assert np.allclose(a.points, b.points, atol=1e-9)
            assert np.allclose(a.fill_rgbas, b.fill_rgbas) and np.allclose(a.stroke_rgbas, b.stroke_rgbas)
            assert np.array_equal(a.sheen_direction, b.sheen_direction)  # turned with the glyphs, as Manim does
        assert made.width == pytest.approx(theirs.width) and made.height == pytest.approx(theirs.height)


def test_glyph_outlines_are_closed_as_manims_text_closes_them(tmp_path):
    """``closed_outline`` gives each glyph the very points ``Text.__init__``'s loop gives it (recorded
    just before that loop; with a height given, nothing moves the points after it), and GlyphText
    closes each glyph once."""
    from lecture import theme
    from manim import Mobject
    from manim_speedups.glyph_text import GlyphText, closed_outline

    class Recording(Text):
        def move_into_position(self):
            super().move_into_position()
            self.before = [each.points.copy() for each in Mobject.__iter__(self)]
            return self

    with tempconfig({"media_dir": str(tmp_path)}):
        for content in ("에포크 12 · 손실 0.357", "Validation loss (×10⁻³)", "ŷ = σ(w·x) 가"):
            text = Recording(content, font=theme.FONT, height=0.5)
            closed = [each.points for each in text]
            assert len(closed) == len(text.before) > 5
            for before, after in zip(text.before, closed):
                assert len(after) > len(before)
                assert np.array_equal(closed_outline(before), after)
            ours = GlyphText(content, font=theme.FONT, height=0.5)
            assert [len(each.points) for each in ours] == [len(p) for p in closed]
    # an open path of two runs: a line back after each run, from where it ends to where it began
    square = np.array([[0, 0, 0], [1, 0, 0], [2, 0, 0], [3, 0, 0], [3, 0, 0], [3, 1, 0], [3, 2, 0], [3, 3, 0],
                       [5, 5, 0], [6, 5, 0], [7, 5, 0], [8, 5, 0]], dtype=float)
    out = closed_outline(square)
    assert out.shape == (20, 3)
    assert np.array_equal(out[8:12], [[3, 3, 0], [2, 2, 0], [1, 1, 0], [0, 0, 0]])
    assert np.array_equal(out[16:20], [[8, 5, 0], [7, 5, 0], [6, 5, 0], [5, 5, 0]])


def test_glyph_text_parses_an_outline_once_for_every_colour(tmp_path, monkeypatch):
    """A string in a second and a third colour reuses the outlines parsed for the first (one glyph per
    colour is parsed for its style) and is still the same mobject as Manim's Text in that colour."""
    from lecture import theme
    from manim_speedups import glyph_text
    from manim_speedups.glyph_text import GlyphText

    parsed = []  # the glyphs in each document handed to Manim's SVG import
    one_glyph = glyph_text._OneGlyph.__init__
    monkeypatch.setattr(glyph_text._OneGlyph, "__init__",
                        lambda self, source, *a, **k: parsed.append(source.count("<use")) or
                        one_glyph(self, source, *a, **k))
    content = "정확도 0.8125 손실"
    with tempconfig({"media_dir": str(tmp_path)}):
        for n, color in enumerate(("#a1b2c3", "#c3b2a1", "#2a3b4c")):  # colours no other test uses
            parsed.clear()
            ours, theirs = GlyphText(content, font=theme.FONT, color=color, font_size=33), \
                Text(content, font=theme.FONT, color=color, font_size=33)
            distinct = len(set(content.replace(" ", "")))
            if n == 0:
                # every outline in one document (then the space alone and the axes probe, unless an
                # earlier test parsed them)
                assert parsed[0] == distinct and sum(parsed) <= distinct + 1 and len(parsed) <= 3
            else:
                # the axes probe of the new colour, one glyph for its style
                assert sorted(parsed) == [0, 1]
            assert len(ours.get_family()) == len(theirs.get_family())
            for a, b in zip(ours.get_family(), theirs.get_family()):
                assert np.allclose(a.points, b.points, atol=1e-9)
                assert np.allclose(a.fill_rgbas, b.fill_rgbas) and np.allclose(a.stroke_rgbas, b.stroke_rgbas)
                assert a.stroke_width == b.stroke_width


def test_glyph_text_leaves_other_svg_to_manim(tmp_path, monkeypatch):
    from lecture import theme
    from manim_speedups.glyph_text import GlyphText

    svg = tmp_path / "other.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt" viewBox="0 0 10 10">'
                   '<rect x="1" y="1" width="4" height="2"/></svg>')
    monkeypatch.setattr(GlyphText, "get_file_path", lambda self: svg)
    with tempconfig({"media_dir": str(tmp_path)}):
        made = GlyphText("x", font=theme.FONT)
    assert len(made.submobjects) == 1 and made.submobjects[0].get_num_points() > 0  # Manim's import of the rect


def _beside_digits() -> set[str]:
    """Every character the lecture's string tables put right before or after a number or a placeholder."""
    import re
    import tomllib

    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, str):
            for match in re.finditer(r"\{[^{}]*\}|[0-9]+", value):
                found.update(value[i] for i in (match.start() - 1, match.end()) if 0 <= i < len(value))

    for path in (Path(__file__).resolve().parents[1] / "lecture" / "strings").glob("*.toml"):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return found - set("{}0123456789\n")


def test_the_lecture_fonts_digits_keep_every_glyph_in_its_place(tmp_path):
    """The claim ``with_digits`` rests on (``TABULAR_DIGITS``): in the lecture's font Pango places every
    glyph of a string at the same spot whatever its digits are: each character the string tables set beside
    a number, before and after each digit, in both weights, as a row of zeros and as every digit."""
    from lecture import theme
    from manim_speedups.glyph_text import _LAYOUTS, TABULAR_DIGITS, GlyphText, digit_pattern

    assert theme.FONT in TABULAR_DIGITS
    beside = _beside_digits() | set(".,−-+e×%·/ ")  # and what formatted numbers put beside digits
    assert {"%", ".", "−", "에", "η", "×", "("} <= beside and len(beside) > 40
    # every two digits side by side, ten pairs a line (Pango cuts off what is wider than the frame)
    pairs = "\n".join("".join(f"{n:02d}" for n in range(row, row + 10)) for row in range(0, 100, 10))
    with tempconfig({"media_dir": str(tmp_path)}):
        for weight, size in (("NORMAL", 20), ("BOLD", 30)):
            rows = [np.array(_LAYOUTS[GlyphText(digits, font=theme.FONT, weight=weight, font_size=size)][1])
                    for digits in (digit_pattern(pairs), pairs)]
            assert len(rows[0]) == 200 and np.array_equal(*rows), weight
            for c in sorted(beside):
                places = [np.array(_LAYOUTS[GlyphText(c + c.join(digits) + c, font=theme.FONT, weight=weight,
                                                      font_size=size)][1])
                          for digits in ("0" * 10, "0123456789", "9876543210")]
                assert len(places[0]) and all(np.array_equal(places[0], other) for other in places[1:]), (c, weight)


@pytest.mark.parametrize("pattern, options", [
    ("갱신 {} / 120", {"font_size": 22}), ("에포크 {}{} · 정확도 {}{}.{}%", {"font_size": 20}),
    ("w = {}.{}{}, η = {}e−{}", {"font_size": 24, "weight": "BOLD"}), ("({}, −{}.{})", {"color": "#e69f00"}),
    ("최대 오차 {}.{}\nRMS 오차 0.0{}", {"font_size": 18}), ("{}{}", {"font_size": 30}),
])
def test_a_string_with_other_digits_is_made_from_one_laid_out_before(tmp_path, pattern, options):
    """``with_digits`` gives GlyphText's own mobject (Korean and Latin digit forms, bold, colour, two lines):
    the same glyphs, every point bit for bit, the same parsed paths, colours, size, centre and text, and the
    same frame drawn of it."""
    import random

    from manim import Camera

    from lecture import theme
    from manim_speedups.glyph_text import DIGITS, GlyphText, with_digits

    rng = random.Random(pattern)
    n = pattern.count("{}")
    with tempconfig({"media_dir": str(tmp_path), "pixel_width": 320, "pixel_height": 180}):
        references = [GlyphText(lead + DIGITS, font=theme.FONT, **options) for lead in ("", "a")]
        prototype = GlyphText(pattern.format(*"5" * n), font=theme.FONT, **options)
        for _ in range(6):
            text = pattern.format(*(rng.choice(DIGITS) for _ in range(n)))
            made, real = with_digits(prototype, references, text), GlyphText(text, font=theme.FONT, **options)
            assert made is not None, text
            assert made.text == real.text and made.original_text == real.original_text
            assert len(made.submobjects) == len(real.submobjects)
            for a, b in zip(made.submobjects, real.submobjects):
                assert np.array_equal(a.points, b.points), text
                assert a.path_obj is b.path_obj or a.path_obj.d() == b.path_obj.d()
                assert np.array_equal(a.fill_rgbas, b.fill_rgbas) and np.array_equal(a.stroke_rgbas, b.stroke_rgbas)
                assert np.array_equal(a.sheen_direction, b.sheen_direction)
            assert made.initial_height == real.initial_height and made.font_size == real.font_size
            frames = []
            for mob in (made, real):
                camera = Camera()
                camera.capture_mobject(mob.copy().scale(6))
                frames.append(camera.pixel_array)
            assert frames[0].any() and np.array_equal(*frames), text
        # not the same pattern, or a ligature-free regrouping: left to GlyphText
        assert with_digits(prototype, references, pattern.format(*"5" * n) + "1") is None


def test_made_texts_take_their_digits_from_the_last_layout_of_their_pattern(tmp_path, monkeypatch):
    """``_made`` lays a counter's first value out (and the digits' references once); later values of the
    same pattern and settings are made from it, in the lecture's font only; each call returns a fresh
    mobject, and a prototype is never handed out."""
    import scenes.base as base
    from lecture import theme
    from manim_speedups.glyph_text import GlyphText

    laid_out = []
    original = GlyphText.generate_mobject
    monkeypatch.setattr(GlyphText, "generate_mobject", lambda self: laid_out.append(self.original_text) or original(self))
    monkeypatch.setattr(base, "_prototypes", {})
    monkeypatch.setattr(base, "_patterns", {})
    with tempconfig({"media_dir": str(tmp_path)}):
        first = base._made(GlyphText, "갱신 11 / 120", font=theme.FONT, font_size=22)
        later = [base._made(GlyphText, f"갱신 {n} / 120", font=theme.FONT, font_size=22) for n in (12, 47, 12)]
        assert laid_out == ["갱신 11 / 120", "0123456789", "a0123456789"] and first.original_text == "갱신 11 / 120"
        assert [m.original_text for m in later] == ["갱신 12 / 120", "갱신 47 / 120", "갱신 12 / 120"]
        assert later[0] is not later[2] and not any(m is p for m in later for p in base._prototypes.values())
        later[0].shift(UP)
        assert np.allclose(base._made(GlyphText, "갱신 12 / 120", font=theme.FONT, font_size=22).get_center(),
                           later[2].get_center())
        base._made(GlyphText, "갱신 100 / 120", font=theme.FONT, font_size=22)  # another pattern: laid out
        base._made(GlyphText, "갱신 12 / 120", font=theme.FONT, font_size=23)   # other settings: laid out
        base._made(GlyphText, "x 12", font="DejaVu Sans")
        base._made(GlyphText, "x 13", font="DejaVu Sans")                       # a font not known to be tabular
    assert laid_out[3:] == ["갱신 100 / 120", "갱신 12 / 120", "x 12", "x 13"]


@pytest.fixture(scope="module")
def tex_media(tmp_path_factory):
    """One media folder for the glyph_tex tests: each string is typeset once."""
    return str(tmp_path_factory.mktemp("glyph_tex"))


def _xcolor():
    from manim import TexTemplate

    template = TexTemplate()
    template.add_to_preamble(r"\usepackage{xcolor}")
    return template


def _tex_cases():
    from manim import DecimalNumber, Integer, Tex

    return {
        "digits": lambda: MathTex("1234567890"), "signs": lambda: MathTex(r"-3 + 2 \pm 1"),
        "decimal": lambda: MathTex("-0.125"), "frac": lambda: MathTex(r"\frac{1}{1+e^{-z}}"),
        "sqrt": lambda: MathTex(r"\sqrt{x^2+y^2} = \sqrt[3]{8}"),
        "scripts": lambda: MathTex(r"w_{i,j}^{(2)} + x_i^2 + \sum_{k=1}^{n} k"),
        "greek": lambda: MathTex(r"\alpha\beta\gamma\,\Sigma\Delta\theta\eta\nabla"),
        "mathbf": lambda: MathTex(r"\mathbf{W}\mathbf{x} + \mathbf{b}"),
        "text": lambda: MathTex(r"\text{loss} = 0.25"),
        "arguments": lambda: MathTex(r"\hat y", "=", r"\sigma(", "z", ")"),
        "isolate": lambda: MathTex(r"a x^2 + b x + c", substrings_to_isolate=["x"]),
        "colour_map": lambda: MathTex(r"\frac{\partial L}{\partial w} = \delta x", tex_to_color_map={"w": RED, "x": BLUE}),
        "colour": lambda: MathTex(r"e^{i\pi} = -1", color=BLUE, font_size=30),
        "tex": lambda: Tex(r"Validation \textbf{loss}: $x^2$ and \emph{fractions} $\frac{a}{b}$"),
        "matrix": lambda: MathTex(r"W = \begin{pmatrix}1.83 & 1.88\\3.62 & 4.10\end{pmatrix}"),
        "xcolor": lambda: MathTex(r"\color{red} x + {\color{blue} y_1} + z", tex_template=_xcolor()),
        "decimal_number": lambda: DecimalNumber(-2.71828, num_decimal_places=4),
        "integer": lambda: Integer(2048),
    }


def _same_as_manims(ours, theirs) -> None:
    """Every attribute of every member the same: points and colours bit for bit, members and the
    groups of ``id_to_vgroup_dict`` the same members (by place in the family) in the same order."""
    from manim import Mobject

    family, manims = ours.get_family(), theirs.get_family()
    assert len(family) == len(manims)

    def places(mobs, members):
        return [next(i for i, m in enumerate(members) if m is mob) for mob in mobs]

    def same(a, b):
        assert type(a) is type(b)
        assert set(a.__dict__) == set(b.__dict__)
        for key, value in b.__dict__.items():
            mine = getattr(a, key)  # (``path_obj`` through its property)
            if key == "original_id":  # a copy's (DecimalNumber's repeated digits, in both): its own id
                continue
            if isinstance(value, np.ndarray):
                assert mine.shape == value.shape and np.array_equal(mine, value), key
            elif key == "submobjects":
                assert places(mine, family) == places(value, manims)
            elif key == "id_to_vgroup_dict":
                assert list(mine) == list(value)
                for name, group in value.items():
                    assert places(mine[name].submobjects, family) == places(group.submobjects, manims), name
            elif key == "path_obj":  # svgelements' parsed path: every attribute, every number
                assert _path_numbers(mine) == _path_numbers(value)
            elif isinstance(value, Mobject):
                same(mine, value)
            else:
                assert mine == value, key

    for a, b in zip(family, manims):
        same(a, b)


def _path_numbers(path) -> tuple:
    """A parsed svgelements path as plain values: its attributes and each segment's, points as (x, y)."""
    def plain(value):
        return (value.x, value.y) if type(value).__name__ == "Point" else value

    segments = [(type(s).__name__, {k: plain(v) for k, v in vars(s).items()}) for s in path]
    return type(path), {k: v for k, v in vars(path).items() if k != "_segments"}, segments


def _glyph_and_manims(monkeypatch, make):
    """``make()`` with glyph_tex (its first strings' outlines parsed, then from the cache) and with
    Manim's own import; no mobject from Manim's SVG cache or DecimalNumber's cache of characters."""
    from manim import SingleStringMathTex
    from manim.mobject.svg import svg_mobject
    from manim.mobject.svg.svg_mobject import SVGMobject
    from manim.mobject.text import numbers
    from manim_speedups import glyph_tex

    manim_speedups.enable()
    monkeypatch.setattr(svg_mobject, "SVG_HASH_TO_MOB_MAP", {})
    monkeypatch.setattr(numbers, "string_to_mob_map", {})
    monkeypatch.setattr(glyph_tex, "_glyphs", {})
    monkeypatch.setattr(glyph_tex, "_rects", {})
    made = []
    for manims in (False, False, True):
        svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
        numbers.string_to_mob_map.clear()
        with monkeypatch.context() as patch:
            if manims:
                patch.setattr(SingleStringMathTex, "generate_mobject", SVGMobject.generate_mobject)
            made.append(make())
    return made


@pytest.mark.parametrize("case", list(_tex_cases()))
def test_glyph_tex_equals_manims_import(tex_media, monkeypatch, case):
    """MathTex, Tex and Manim's numbers from outlines parsed once are Manim's own, bit for bit: points,
    colours, widths, parsed paths and the groups MathTex looks its parts up in."""
    from manim_speedups import glyph_tex

    calls = []
    monkeypatch.setattr(glyph_tex, "_manims_generate",
                        lambda self, original=glyph_tex._manims_generate: calls.append(self) or original(self))
    with tempconfig({"media_dir": tex_media, "verbosity": "WARNING"}):
        first, again, theirs = _glyph_and_manims(monkeypatch, _tex_cases()[case])
    assert not calls  # all of it placed from glyphs, none left to Manim
    for ours in (first, again):
        _same_as_manims(ours, theirs)
    if case == "colour_map":
        assert first.get_part_by_tex("w").get_color() == theirs.get_part_by_tex("w").get_color() == RED


def test_glyph_tex_parses_an_outline_once_for_several_strings(tex_media, monkeypatch):
    """The outlines of the first string are parsed together in one document; a later string parses only
    the outlines no string before it had, and one made of known outlines parses nothing."""
    from manim import SingleStringMathTex
    from manim.mobject.svg import svg_mobject
    from manim_speedups import glyph_tex

    manim_speedups.enable()
    parsed = []  # the outlines in each document handed to Manim's import
    parse = glyph_tex._parse
    monkeypatch.setattr(glyph_tex, "_parse", lambda self, plan, styles, batch: parsed.append(
        [plan.defs[data] for key, data in batch.items() if key[2] == "use"]) or parse(self, plan, styles, batch))
    monkeypatch.setattr(glyph_tex, "_manims_generate", lambda self: pytest.fail("left to Manim"))
    monkeypatch.setattr(svg_mobject, "SVG_HASH_TO_MOB_MAP", {})
    monkeypatch.setattr(glyph_tex, "_glyphs", {})
    monkeypatch.setattr(glyph_tex, "_rects", {})
    with tempconfig({"media_dir": tex_media, "verbosity": "WARNING"}):
        for content in ("10.5", "0.51", "5.01", "-1.05", "-1.5"):
            SingleStringMathTex(content)
    assert [len(outlines) for outlines in parsed] == [4, 1]  # "1", "0", ".", "5"; then "-" alone
    all_outlines = [d for outlines in parsed for d in outlines]
    assert len(set(all_outlines)) == len(all_outlines) == len(glyph_tex._glyphs) == 5


_NOT_GLYPHS = {  # each one thing glyph_tex does not read
    "circle": '<circle cx="5" cy="5" r="2"/>',
    "transform": '<g transform="translate(1 2)"><use x="1" y="8" xlink:href="#g0-1"/></g>',
    "use attribute": '<use x="1" y="8" width="4" xlink:href="#g0-1"/>',
    "style": '<g style="fill:#f00"><use x="1" y="8" xlink:href="#g0-1"/></g>',
    "unit": '<use x="1pt" y="8" xlink:href="#g0-1"/>',
}


@pytest.mark.parametrize("case", ["glyphs"] + list(_NOT_GLYPHS))
def test_glyph_tex_leaves_other_svg_to_manim(tex_media, tmp_path, monkeypatch, case):
    from manim import SingleStringMathTex
    from manim_speedups import glyph_tex

    svg = tmp_path / "other.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                   'width="10pt" height="10pt" viewBox="0 -10 10 10"><defs>'
                   '<path id="g0-1" d="M1 1L3 1L3 -4ZM1.5 0L2 0L2 -1Z"/></defs><g id="page1">'
                   '<use x="1" y="-2" xlink:href="#g0-1"/><rect x="0.5" y="-3" width="5" height=".4"/>'
                   + _NOT_GLYPHS.get(case, "") + "</g></svg>")
    monkeypatch.setattr(SingleStringMathTex, "get_file_path", lambda self: svg)
    calls = []
    monkeypatch.setattr(glyph_tex, "_manims_generate",
                        lambda self, original=glyph_tex._manims_generate: calls.append(self) or original(self))
    with tempconfig({"media_dir": tex_media, "verbosity": "WARNING"}):
        ours, _, theirs = _glyph_and_manims(monkeypatch, lambda: SingleStringMathTex("x"))
    assert len(calls) == (0 if case == "glyphs" else 2)  # the string made twice
    assert len(theirs.submobjects) == (2 if case == "glyphs" else 3)
    _same_as_manims(ours, theirs)


FORMULAS = [r"\hat w_1 = \frac{\sum (x_i - \bar x)(y_i - \bar y)}{\sum (x_i - \bar x)^2} = 0.556", "7", "-",
            r"W = \begin{pmatrix}1.83 & 1.88\\3.62 & 4.10\end{pmatrix}", r"\sigma'(x) \le 0.25"]


def test_batched_formulas_equal_manims_own_compiles(tmp_path):
    """Pages of one batched LaTeX run become the same MathTex as Manim's one-by-one compiles."""
    from manim import config

    from manim_speedups import tex_batch

    with tempconfig({"media_dir": str(tmp_path / "batch"), "verbosity": "WARNING"}):
        assert tex_batch.compile_all(tex_batch.documents([(f,) for f in FORMULAS])) == len(FORMULAS)
        assert tex_batch.compile_all(tex_batch.documents([(f,) for f in FORMULAS])) == 0  # all there now
        batched = [MathTex(f) for f in FORMULAS]
        assert not list(Path(config.get_dir("tex_dir")).glob("*.dvi"))  # MathTex compiled nothing itself
    with tempconfig({"media_dir": str(tmp_path / "alone"), "verbosity": "WARNING"}):
        alone = [MathTex(f) for f in FORMULAS]
    for a, b in zip(batched, alone):
        assert len(a.get_family()) == len(b.get_family())
        for x, y in zip(a.get_family(), b.get_family()):
            assert np.allclose(x.points, y.points, atol=1e-9)


def test_formulas_wait_for_the_batch_typesetting_in_the_background(tmp_path, monkeypatch):
    """The worker's batch runs on a thread while the scene starts; the first formula the scene makes
    waits for it and finds its SVG (Manim compiles nothing, even where the batch holds one formula), and
    a batch's failure surfaces there."""
    import subprocess
    import time

    from manim import Scene
    from manim.utils import tex_file_writing

    from manim_speedups import tex_batch

    run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: time.sleep(0.5) or run(*a, **k))  # a slow LaTeX
    compiled = []
    compile_tex = tex_file_writing.compile_tex
    monkeypatch.setattr(tex_file_writing, "compile_tex", lambda *a, **k: compiled.append(a[0]) or compile_tex(*a, **k))
    with tempconfig({"media_dir": str(tmp_path), "verbosity": "WARNING"}):
        assert tex_batch.prefetch(Scene, [FORMULAS[0], FORMULAS[3]], background=True) == 0
        assert tex_batch._pending[0].is_alive()                     # still typesetting
        made = MathTex(FORMULAS[3])
        assert not tex_batch._pending and compiled == []            # waited; nothing compiled alone
        # the axis characters are typeset now: a batch of one formula is still typeset off the scene's thread
        tex_batch.prefetch(Scene, [r"\hat y = 0.5"], background=True)
        MathTex(r"\hat y = 0.5")
        assert compiled == []

        monkeypatch.setattr(tex_batch, "compile_all", lambda files, minimum=2: 1 / 0)
        tex_batch.prefetch(Scene, [FORMULAS[4]], background=True)
        with pytest.raises(ZeroDivisionError):
            MathTex(FORMULAS[4])
    assert len(made.get_family()) > 3


def test_a_formula_latex_rejects_is_left_to_manim(tmp_path):
    from manim_speedups import tex_batch

    with tempconfig({"media_dir": str(tmp_path), "verbosity": "WARNING"}):
        files = tex_batch.documents([(f,) for f in [*FORMULAS[:3], r"\begin{pmatrix} x", r"\undefinedmacro x", "y^2"]])
        assert tex_batch.compile_all(files) == 4
        made = {f for f in files if f.with_suffix(".svg").exists()}
        assert len(made) == 4 and all("pmatrix" not in f.read_text() and "undefined" not in f.read_text()
                                      for f in made)
        with pytest.raises(ValueError):  # Manim still reports the broken one itself
            MathTex(r"\undefinedmacro x")


def test_literal_formulas_are_found_in_a_scene_module(tmp_path):
    from manim_speedups import tex_batch

    source = '''
"""A docstring with x_1 = 2."""
FORMULA = {"relu": r"a(x) = \\max(x, 0)", "key": "logistic-softmax.ce"}
class S:
    def construct(self):
        self.tex(r"J(w) = w^2", "+ 1", font_size=40)
        self.tex(rf"w = {self.w:.2f}")
        self.tex(r"\\eta = " + str(self.lr))
        res = self.result["train_acc"]
        label = "w_0"
'''
    calls = set(tex_batch.literal_calls_in(source))
    assert (r"a(x) = \max(x, 0)",) in calls and ("w_0",) in calls and (r"J(w) = w^2", "+ 1") in calls
    assert not {c for c in calls if any(s in c[0] for s in ("docstring", "logistic", "train_acc", "w = ", r"\eta"))}


def test_a_modules_literal_formulas_are_parsed_once_per_source(monkeypatch):
    """A worker renders many scenes whose classes share modules (scenes.base for all): each source is
    parsed once, and every caller gets the same calls in a list of its own."""
    import scenes.base
    from manim_speedups import tex_batch

    parsed = []
    original = tex_batch.literal_calls_in
    monkeypatch.setattr(tex_batch, "literal_calls_in", lambda source: parsed.append(source) or original(source))
    monkeypatch.setattr(tex_batch, "_literals", {})
    first = tex_batch.literal_calls(scenes.base)
    first.append(("changed by a caller",))
    second = tex_batch.literal_calls(scenes.base)
    assert second == original(Path(scenes.base.__file__).read_text()) and len(parsed) == 1
    module = type(scenes)("lecture_changed")
    monkeypatch.setattr(tex_batch.inspect, "getsource", lambda m: 'x = tex(r"\\alpha^2")' if m is module else "")
    assert tex_batch.literal_calls(module) == [(r"\alpha^2",)] and len(parsed) == 2


def test_dashed_polyline_has_manims_dashes():
    """One path with a sub-path per dash, the dashes where DashedVMobject puts them on a polyline."""
    from manim import DashedVMobject, VMobject

    from scenes.base import dashed_polyline

    points = np.array([[0, 0, 0], [1, 0.5, 0], [1.5, -0.5, 0], [3, -0.2, 0], [3.2, 1, 0]], dtype=float)
    curve = VMobject()
    curve.set_points_as_corners(points)
    for n, ratio in [(7, 0.55), (2, 0.5), (1, 0.3), (20, 0.5)]:
        theirs = DashedVMobject(curve, num_dashes=n, dashed_ratio=ratio).submobjects
        ours = dashed_polyline(points, n, ratio, stroke_width=5).get_subpaths()
        assert len(ours) == len(theirs) == n
        for a, b in zip(ours, theirs):
            assert np.allclose(a[0], b.points[0], atol=1e-6) and np.allclose(a[-1], b.points[-1], atol=1e-6)
            assert np.isclose(np.linalg.norm(np.diff(a[::4], axis=0), axis=1).sum() + np.linalg.norm(a[-1] - a[-4]),
                              VMobject().set_points(b.points).get_arc_length(), rtol=1e-3)


def test_step_through_holds_each_state_for_its_share_of_the_frames():
    """States of a tracker run linearly 0 → count-1 and rounded, as held frames: every frame
    accounted for, the states in order, the last one left showing."""
    from manim import config

    class Recorder:
        def __init__(self):
            self.held, self.shown = [], []

        def wait(self, duration):
            self.held.append((self.shown[-1], int(duration / (1 / config.frame_rate))))

    fps = config.frame_rate
    for count, seconds in [(40, 9.0), (300, 8.0), (7, 3.0), (2, 1.0), (150, 9.0)]:
        rec = Recorder()
        LectureScene.step_through(rec, count, seconds, rec.shown.append)
        assert sum(n for _, n in rec.held) == round(seconds * fps)
        assert rec.shown == sorted(rec.shown) and rec.shown[-1] == count - 1
        frame_states = [state for state, n in rec.held for _ in range(n)]
        tracker = [round((count - 1) * f / (seconds * fps)) for f in range(round(seconds * fps))]
        assert max(abs(a - b) for a, b in zip(frame_states, tracker)) <= 1  # the same state, ± one frame


def test_a_scene_typesets_nothing_alone_after_its_formulas_went_ahead(tmp_path, monkeypatch, scene_env,
                                                                       compute_results):
    """GradientDescentParabola names its data-built formulas (typeset_ahead); with the axis digits and
    its literals they are typeset in one LaTeX run, and Manim compiles none itself."""
    from manim.utils import tex_file_writing

    compute_results("gd-parabola")
    compiled = []
    original = tex_file_writing.compile_tex
    monkeypatch.setattr(tex_file_writing, "compile_tex", lambda *a, **k: compiled.append(a[0]) or original(*a, **k))
    env = Settings(lang="ko", theme="dark", results=scene_env)
    scene = Path(__file__).resolve().parents[1] / "scenes" / "gradient_descent.py"
    video = runner.render(scene, "GradientDescentParabola", "gd", tmp_path / "media", "l", env, tmp_path / "gd.log")
    assert (video / "gd.mp4").stat().st_size > 10_000
    assert compiled == []
    assert len(list((tmp_path / "media").rglob("Tex/*.svg"))) > 20




def test_paths_are_handed_to_cairo_as_manims_camera_hands_them():
    """The camera's path, built with the anchor comparison in Python, is Manim's own element by
    element: joined and split curves, anchors equal within tolerance, a trailing partial curve, NaN
    and infinite anchors, closed and open sub-paths, a single curve and fewer points than a curve."""
    import cairo
    from manim import VMobject
    from manim.camera.camera import Camera

    rng = np.random.default_rng(3)
    curves = rng.normal(size=(30, 4, 3))
    joined = curves.copy()
    joined[1:, 0] = joined[:-1, 3]
    joined[[5, 6, 17], 0] += 0.25                                   # three splits, two of them adjacent
    joined[11, 0] = joined[10, 3] + 1e-9                            # equal within tolerance: no split
    closed = joined.copy()
    closed[-1, 3] = closed[17, 0]                                   # the last sub-path ends on its start
    flat = joined.reshape(-1, 3)
    cases = [flat, curves.reshape(-1, 3), closed.reshape(-1, 3), flat[:4], flat[:3], flat[:42], flat[:2],
             np.where(np.arange(120)[:, None] == 47, np.nan, flat),   # NaN at a curve's end anchor
             np.where(np.arange(120)[:, None] == 48, np.inf, flat),   # inf at the next start
             np.where(np.isin(np.arange(120), [47, 48])[:, None], -np.inf, flat),  # equal infinities: joined
             np.where(np.arange(120)[:, None] == 0, np.nan, flat)]
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, 8, 8)
    vm = VMobject()

    def path(build, points):
        ctx = cairo.Context(surface)
        build(ctx, points)
        return list(ctx.copy_path())

    class Raw(Camera):  # displays points as they are (Manim's own camera moves non-finite ones to the origin)
        def transform_points_pre_display(self, mobject, points):
            return points

    def manims(ctx, points):
        vm.points = points
        cairo_paths._camera_set_path(Raw(), ctx, vm)

    def cached(ctx, points):
        vm.points = points
        cairo_paths._set_cairo_context_path_cached(Raw(), ctx, vm)

    def through(camera_set_path):  # Manim's own camera: a mobject with a point not finite shows nothing
        def build(ctx, points):
            vm.points = points
            camera_set_path(Camera(), ctx, vm)
        return build

    for points in cases:
        theirs = path(manims, points)
        assert path(lambda ctx, p: _paths._emit_path(ctx, vm, p), points) == theirs
        assert path(cached, points) == theirs
        assert path(cached, points) == theirs   # and from the cache
        assert path(through(cairo_paths._set_cairo_context_path_cached), points) == \
            path(through(cairo_paths._camera_set_path), points)
    assert sum(kind == cairo.PATH_MOVE_TO for kind, _ in path(manims, flat)) == 4
    assert sum(kind == cairo.PATH_CLOSE_PATH for kind, _ in path(manims, closed.reshape(-1, 3))) == 1


def test_camera_reuses_a_path_only_while_the_points_and_matrix_are_unchanged(monkeypatch):
    """Frames drawn with the cached Cairo paths equal Manim's own drawing, through an in-place
    move, new points, a zoomed camera, open and closed sub-paths and Korean text, and the cache
    is really used: most draws of unchanged mobjects build no path."""
    from manim import LEFT, RIGHT, UP, Axes, Camera, Circle, Line, MovingCamera, Square

    built = []
    emit = _paths._emit_path
    monkeypatch.setattr(cairo_paths, "_emit_path", lambda *args: built.append(1) or emit(*args))

    def frames(camera_class, patched):
        monkeypatch.setattr(Camera, "set_cairo_context_path",
                            cairo_paths._set_cairo_context_path_cached if patched else cairo_paths._camera_set_path)
        camera = camera_class()
        ring = VGroup(Circle(radius=1.2), Square(1.0)).shift(LEFT * 2)
        line = Line(LEFT, RIGHT * 3, color=RED)
        objects = [Axes(x_range=[0, 4, 1], y_range=[0, 2, 1], x_length=6, y_length=3),
                   Text("기울기 0.25", font_size=30).to_edge(UP), ring, line]
        images = []
        for step in range(4):
            if step == 1:
                ring.shift(RIGHT * 0.5)                   # moved in place
            if step == 2:
                line.put_start_and_end_on(LEFT, UP * 2)   # new points
            if step == 3 and camera_class is MovingCamera:
                camera.frame.scale(0.7)                   # another matrix
            camera.reset()
            camera.capture_mobjects(objects)
            images.append(camera.pixel_array.copy())
        return images, len(camera.get_mobjects_to_display(objects))

    for camera_class in (Camera, MovingCamera):
        with tempconfig({"pixel_width": 320, "pixel_height": 180}):
            reference, _ = frames(camera_class, patched=False)
            built.clear()
            cached, drawn = frames(camera_class, patched=True)
        assert reference[0].std() > 0  # something was drawn
        for expected, got in zip(reference, cached, strict=True):
            assert np.array_equal(expected, got)
        rebuilt = {Camera: 2 + 1, MovingCamera: 2 + 1 + drawn}[camera_class]  # ring, line, zoom
        assert len(built) == drawn + rebuilt


_WRITE_FRAME = SceneFileWriter.write_frame


def _played_frames(monkeypatch, tmp_path, scene_class) -> list[np.ndarray]:
    """Every frame ``scene_class`` plays (at 320×180, 10 fps)."""
    frames = []
    write = _WRITE_FRAME
    monkeypatch.setattr(SceneFileWriter, "write_frame",
                        lambda self, pixels, repeat=1: frames.append(pixels) or write(self, pixels, repeat=repeat))
    with tempconfig({"pixel_width": 320, "pixel_height": 180, "frame_rate": 10, "media_dir": str(tmp_path),
                     "disable_caching": True, "progress_bar": "none", "verbosity": "ERROR"}):
        scene_class().render()
    return frames


def test_three_d_axes_are_shaded_as_manim_shades_them_measured_once_per_frame(monkeypatch, tmp_path):
    """Frames of 3-D axes being created under a surface while the camera turns equal Manim's own,
    pixel for pixel, with each axis's gradient ends measured once per frame instead of for every piece."""
    from manim import DEGREES, Create, Mobject, Surface, ThreeDAxes, ThreeDScene
    from manim.camera.three_d_camera import ThreeDCamera

    class Saddle(ThreeDScene):
        def construct(self):
            self.set_camera_orientation(phi=60 * DEGREES, theta=-45 * DEGREES)
            axes = ThreeDAxes(x_range=(-2, 2, 1), y_range=(-2, 2, 1), z_range=(-1, 1, 0.5), x_length=5,
                              y_length=5, z_length=3)
            surface = Surface(lambda u, v: axes.c2p(u, v, u * v / 2), u_range=(-2, 2), v_range=(-2, 2),
                              resolution=(6, 6), fill_opacity=0.5)
            self.play(Create(axes), Create(surface), run_time=1.0)
            self.move_camera(theta=-20 * DEGREES, run_time=0.5)

    measured = []
    edge = Mobject.get_edge_center
    monkeypatch.setattr(Mobject, "get_edge_center", lambda self, d: measured.append(1) or edge(self, d))
    runs = {}
    for patched in (False, True):
        monkeypatch.setattr(ThreeDAxes, "_set_axis_shading", three_d._set_axis_shading_once_per_frame
                            if patched else three_d._axis_shading)
        monkeypatch.setattr(ThreeDCamera, "capture_mobjects", three_d._capture_3d_marking_the_frame
                            if patched else three_d._three_d_capture)
        measured.clear()
        runs[patched] = (_played_frames(monkeypatch, tmp_path / str(patched), Saddle), len(measured))
    (reference, before), (frames, after) = runs[False], runs[True]
    assert len(frames) == len(reference) == 15 and reference[-1].std() > 0
    for expected, got in zip(reference, frames):
        assert np.array_equal(expected, got)
    assert after * 10 < before                     # (20 pieces per axis, fill and stroke)
    assert after >= 2 * 3 * len(frames)            # every frame still measures every axis


class _CountingStream:
    """A segment's stream that records the frames handed to its encoder."""

    def __init__(self, stream):
        self._stream, self.frames = stream, []

    def encode(self, frame=None):
        if frame is not None:
            self.frames.append((id(frame), frame.format.name, frame.pts))
        return self._stream.encode(frame)

    def __getattr__(self, name):
        return getattr(self._stream, name)


@pytest.mark.parametrize("options", [{"crf": "23"}, {"crf": "23", "threads": "1"}])
def test_frames_are_converted_where_they_changed_and_encode_to_manims_bytes(tmp_path, options, monkeypatch):
    from fractions import Fraction

    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    assert VideoSegmentEncoder.write_frame is frame_conversion._write_frame_converting_changes
    height, width = 160, 96
    rng = np.random.default_rng(0)

    def changed(frame, rows):
        frame = frame.copy()
        frame[rows] = rng.integers(0, 256, frame[rows].shape, dtype=np.uint8)
        return frame

    first = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    frames = [first]
    for rows in (slice(70, 75), slice(0, 2), slice(height - 1, height), slice(0, 0), slice(17, 18),
                 slice(0, height), slice(31, 33)):
        frames.append(changed(frames[-1], rows))
    repeats = (1, 1, 3, 1, 2, 1, 1, 4)
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", width, height, Fraction(15), tuple(sorted(options.items())))
    converted: list[int] = []
    convert = frame_conversion._FrameConverter._convert
    monkeypatch.setattr(frame_conversion._FrameConverter, "_convert",
                        lambda self, pixels: converted.append(len(pixels)) or convert(self, pixels))

    def encode(write, name):
        encoder = VideoSegmentEncoder(target=tmp_path / name, spec=spec)
        encoder._stream = stream = _CountingStream(encoder._stream)
        for repeat, frame in zip(repeats, frames):
            write(encoder, frame, repeat=repeat)
        encoder.finish()
        return (tmp_path / name).read_bytes(), stream.frames

    manims, _ = encode(frame_conversion._segment_write_frame, "manim.mp4")
    ours, handed = encode(frame_conversion._write_frame_converting_changes, "ours.mp4")
    assert ours == manims  # same pixels, timestamps and container
    assert [pts for _, _, pts in handed] == list(range(sum(repeats)))
    assert {fmt for _, fmt, _ in handed} == {"yuv420p"}
    held = handed[2:5]  # a held frame is converted once and the same frame encoded for each repeat
    assert len({frame_id for frame_id, _, _ in held}) == 1
    if options.get("threads") == "1":  # the build's setting: rows that changed, with 8-row margins
        assert converted == [160, 48, 24, 24, 40, 160, 48]  # nothing for the unchanged frame
    else:  # swscale's own threads: every frame whole
        assert converted == [height] * len(frames)


@pytest.mark.parametrize("width, height", [(854, 480), (1280, 720), (1920, 1080)])
def test_converted_bands_equal_a_whole_frame_conversion_at_the_lectures_sizes(width, height):
    """The converter's frame, band after band (Manim's rows wrapped, not copied, and written into the
    one frame it hands the encoder), equals converting each whole frame as Manim's encoder does."""
    import io

    import av

    container = av.open(io.BytesIO(), "w", format="mp4")
    stream = container.add_stream("libx264", rate=15)
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    converter = frame_conversion._FrameConverter(stream, {"threads": "1"})
    assert converter.by_rows
    rng = np.random.default_rng(width)
    frame = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    handed = set()
    # bands that start and end off the 8-row blocks, at the edges, one row, nothing, everything
    for rows in (None, slice(3, 5), slice(height - 3, height), slice(0, 1), slice(0, 0), slice(101, 187),
                 slice(0, height), slice(250, 251)):
        if rows is not None:
            frame = frame.copy()  # Manim hands over a new array each frame
            frame[rows] = rng.integers(0, 256, frame[rows].shape, dtype=np.uint8)
        ours = converter(frame)
        handed.add(id(ours))
        whole = av.VideoFrame.from_ndarray(frame, format="rgba").reformat(width, height, "yuv420p")
        for got, expected in zip(ours.planes, whole.planes):
            assert np.array_equal(frame_conversion._plane(got), frame_conversion._plane(expected))
    assert len(handed) == 1


