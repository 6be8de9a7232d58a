"""Every scene of the lecture, in Korean and in English: after each animation, everything shown lies
inside the frame (a string that is longer in one language must be broken into lines or shrunk, a label
near an edge moved in), no text lies closer than ``EDGE`` to the frame's edges, and no two pieces of text
shown overlap or touch.

The scenes run as ``manim -s`` runs them (animations skipped, their end states computed; only the last
frame is drawn), from the results pinned for the frame tests (tests/control_data/results/)."""
from __future__ import annotations

import importlib
import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import use_settings
from manim import (DOWN, LEFT, RIGHT, UP, DashedLine, DecimalNumber, MathTex, Scene, SingleStringMathTex, Text,
                   ThreeDScene, ValueTracker, VMobject, config, tempconfig)

from lecture import manifest
from scenes.base import LectureScene, MixedText

PINNED = Path(__file__).parent / "control_data" / "results"
SCENES = [spec.target for topic in manifest.select(None) for spec in topic.scenes]
REACH = 0.03  # scene units (a pixel at 480p is 0.017): Bézier handles of a curve may lie a little outside
GAP = 0.06    # the least room between two pieces of text side by side (3.6 pixels at 480p)
EDGE = 0.2    # the least room between a text and the frame's edges (12 pixels at 480p, 27 at 1080p)
# each a unit (a number's digits are one; a line of text with formulas is one, its parts set apart on purpose)
TEXTS = (Text, SingleStringMathTex, MathTex, DecimalNumber, MixedText)


def shown(mob) -> bool:
    if isinstance(mob, ValueTracker):
        return False
    if not isinstance(mob, VMobject):  # an image: drawn wherever it has points
        return True
    stroke = mob.get_stroke_width() > 0 and np.any(mob.get_stroke_opacities() > 0.02)
    return bool(np.any(mob.get_fill_opacities() > 0.02) or stroke)


def outside(scene: Scene) -> list[str]:
    """The shown mobjects of ``scene`` that reach out of the frame (for a 3-D scene, those fixed in
    the frame), as ``"<top-level mobject> (<its text>) by <units>"``."""
    tops = shown_on_screen(scene)
    half = np.array([config.frame_width / 2, config.frame_height / 2])
    found = []
    for top in tops:
        for mob in top.family_members_with_points():
            if not shown(mob):
                continue
            low, high = mob.points[:, :2].min(axis=0), mob.points[:, :2].max(axis=0)
            reach = float(max((-half - low).max(), (high - half).max()))
            if reach > REACH:
                label = getattr(top, "original_text", None) or getattr(top, "tex_string", None) or ""
                found.append(f"{type(top).__name__} ({label[:50]!r}) by {reach:.2f}")
                break
    return found


def shown_on_screen(scene: Scene) -> list:
    return (list(scene.renderer.camera.fixed_in_frame_mobjects) if isinstance(scene, ThreeDScene)
            else scene.mobjects)


def shown_texts(scene: Scene) -> list[tuple]:
    """The shown texts of ``scene`` (a number's digits as one) as ``(text, lowest corner, highest corner)``."""
    units: dict[int, object] = {}

    def visit(mob):
        if isinstance(mob, TEXTS):
            units[id(mob)] = mob
        else:
            for sub in mob.submobjects:
                visit(sub)

    for top in shown_on_screen(scene):
        visit(top)
    boxes = []
    for unit in units.values():
        members = [m for m in unit.family_members_with_points() if shown(m)]
        if members:
            points = np.concatenate([m.points[:, :2] for m in members])
            boxes.append((unit, points.min(axis=0), points.max(axis=0)))
    return boxes


def crowded(scene: Scene) -> list[str]:
    """Pairs of shown texts of ``scene`` whose boxes overlap, or lie side by side closer than ``GAP``."""
    boxes = shown_texts(scene)
    found = []
    for (a, low_a, high_a), (b, low_b, high_b) in itertools.combinations(boxes, 2):
        overlap = np.minimum(high_a, high_b) - np.maximum(low_a, low_b)
        if overlap[0] > -GAP and overlap[1] > REACH:
            names = [getattr(m, "original_text", None) or getattr(m, "tex_string", None) or type(m).__name__
                     for m in (a, b)]
            found.append(f"{names[0][:40]!r} and {names[1][:40]!r} meet ({overlap[0]:.2f} across)")
    return found


def at_edge(scene: Scene) -> list[str]:
    """Shown texts of ``scene`` that lie inside the frame but closer than ``EDGE`` to one of its edges
    (a player's controls and a projector's cropped border cover them; the scenes keep 0.4 as a rule)."""
    half = np.array([config.frame_width / 2, config.frame_height / 2])
    found = []
    for text, low, high in shown_texts(scene):
        rooms = {"left": low[0] + half[0], "bottom": low[1] + half[1], "right": half[0] - high[0],
                 "top": half[1] - high[1]}
        side = min(rooms, key=rooms.get)
        if -REACH <= rooms[side] < EDGE:  # farther out is outside()'s finding
            name = getattr(text, "original_text", None) or getattr(text, "tex_string", None) or type(text).__name__
            found.append(f"{name[:40]!r} lies {rooms[side]:.2f} from the {side} edge (keep {EDGE})")
    return found


MIN_TEXT = 0.022 * 8.0   # the least capital or digit height: 2.2 % of the frame's height (24 px at 1080p)
TALL = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZbdfhklt")


def glyph_size(unit) -> float | None:
    """The height of a capital or a digit of the text ``unit`` (scene units): for a text, the median height
    of its digits, capitals, tall lower-case letters and Hangul; for a formula, the upper quartile of its
    glyphs' heights (digits and letters, not the signs between them).  None for a text with no such glyph."""
    if isinstance(unit, Text):
        glyphs = [g for g in unit.submobjects if len(g.points)]
        chars = [c for c in unit.original_text if not c.isspace()]
        if len(chars) != len(glyphs):
            return None
        heights = [g.height for c, g in zip(chars, glyphs) if c in TALL or "\uac00" <= c <= "\ud7a3"]
        return float(np.median(heights)) if heights else None
    glyphs = [m for m in unit.family_members_with_points() if shown(m)]
    heights = sorted(m.height for m in glyphs if m.height > 0.02)
    return float(np.percentile(heights, 75)) if heights else None


NARRATED_TEXT = 0.03 * 8.0   # a label the narration names as it plays: 3 % of the frame's height


def named_in(label: str, cue: str | None) -> bool:
    """Whether the subtitle ``cue`` names the on-screen label ``label`` (a word or more, not a bare number
    or symbol: the narration refers to that label)."""
    label = " ".join(label.split())
    return bool(cue) and sum(c.isalpha() for c in label) >= 2 and label in " ".join(cue.split())


def too_small(scene: Scene) -> list[str]:
    """Shown texts of ``scene`` whose capitals or digits are lower than ``MIN_TEXT`` (2.2 % of the frame), or
    lower than ``NARRATED_TEXT`` (3 %) when the subtitle playing as they first appeared names them (the
    narration introduces that label: the viewer looks for it as it is said)."""
    found = []
    cue = getattr(scene, "current_cue", None)
    first_cue = scene.__dict__.setdefault("_layout_first_cue", {})   # id(text) → the cue it first appeared under

    def visit(mob):
        if isinstance(mob, MixedText):
            for sub in mob.submobjects:
                visit(sub)
        elif isinstance(mob, (Text, SingleStringMathTex, MathTex, DecimalNumber)):
            if not any(shown(m) for m in mob.family_members_with_points()):
                return
            size = glyph_size(mob)
            name = getattr(mob, "original_text", None) or getattr(mob, "tex_string", None) or type(mob).__name__
            introduced = first_cue.setdefault(id(mob), cue)
            least = NARRATED_TEXT if isinstance(mob, Text) and named_in(mob.original_text, introduced) else MIN_TEXT
            if size is not None and size < least - 1e-3:
                said = ", named by the subtitle," if least == NARRATED_TEXT else ""
                found.append(f"{name[:30]!r}{said} is {size / 8.0:.1%} of the frame high (at least {least / 8.0:.1%})")
        else:
            for sub in mob.submobjects:
                visit(sub)

    for top in shown_on_screen(scene):
        visit(top)
    return found


def clamped(scene: Scene) -> list[str]:
    """Data paths of ``scene`` that run along the edge of an axes' window: three or more corners in a row on
    one edge are a path clamped into it (a false flat run), not data that leave the window visibly.  A run at
    the value 0 on a range that starts or ends at 0 is data lying on its axis, not clamping."""
    from manim import Axes

    axes_list, frames = [], set()

    def visit(mob):
        if isinstance(mob, Axes):
            axes_list.append(mob)
            frames.update(id(m) for m in mob.get_family())
        for sub in mob.submobjects:
            visit(sub)

    tops = shown_on_screen(scene)
    for top in tops:
        visit(top)
    found = []
    for axes in axes_list:
        (x0, x1), (y0, y1) = axes.x_range[:2], axes.y_range[:2]
        # a log axis keeps its range as exponents: its scaling turns them into the values c2p takes
        fx, fy = axes.x_axis.scaling.function, axes.y_axis.scaling.function
        low, high = np.asarray(axes.c2p(fx(x0), fy(y0)))[:2], np.asarray(axes.c2p(fx(x1), fy(y1)))[:2]
        edges = [(0, low[0], x0), (0, high[0], x1), (1, low[1], y0), (1, high[1], y1)]
        for top in tops:
            for mob in top.family_members_with_points():
                if id(mob) in frames or isinstance(mob, TEXTS) or not shown(mob) or len(mob.points) < 8:
                    continue
                anchors = mob.points[::mob.n_points_per_curve, :2]
                keep = np.ones(len(anchors), bool)
                keep[1:] = np.any(np.abs(np.diff(anchors, axis=0)) > 1e-6, axis=1)
                anchors = anchors[keep]
                inside = np.all((anchors >= low - 1e-6) & (anchors <= high + 1e-6), axis=1)
                for axis, at, value in edges:
                    if value == 0:
                        continue
                    on = inside & (np.abs(anchors[:, axis] - at) < 1e-4)
                    run = max((len(list(g)) for k, g in itertools.groupby(on) if k), default=0)
                    if run >= 3:
                        found.append(f"a {type(mob).__name__} runs along the {'xy'[axis]} = {value:g} edge of its axes "
                                     f"({run} corners): data clamped to the window")
                        break
    return found


def crossed(scene: Scene) -> list[str]:
    """Shown texts of ``scene`` that a shown dashed marker line (a stop, a mean, a threshold) runs through."""
    markers = []

    def visit(mob):
        if isinstance(mob, DashedLine):
            if shown(mob) or any(shown(dash) for dash in mob.submobjects):
                markers.append(mob)
        else:
            for sub in mob.submobjects:
                visit(sub)

    for top in shown_on_screen(scene):
        visit(top)
    texts = [(text, low + REACH, high - REACH) for text, low, high in shown_texts(scene)]
    found = []
    for line in markers:
        start, end = line.get_start()[:2], line.get_end()[:2]
        along = start + np.linspace(0, 1, 200)[:, None] * (end - start)
        for text, low, high in texts:
            if np.any(np.all((along > low) & (along < high), axis=1)):
                name = getattr(text, "original_text", None) or getattr(text, "tex_string", None) or type(text).__name__
                found.append(f"a dashed line runs through {name[:40]!r}")
    return found


@pytest.fixture(scope="module")
def pinned_results(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pinned-results")
    for path in PINNED.glob("*/*"):
        shutil.copyfile(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("layout-media")  # shared: each formula and string typeset once


def problems(scene: Scene) -> list[str]:
    """Everything the presentation standard's layout rules find in ``scene`` as it is now."""
    return outside(scene) + at_edge(scene) + crowded(scene) + crossed(scene) + too_small(scene) + clamped(scene)


def run_checking(scene_cls, media: Path) -> list[str]:
    """Render ``scene_cls`` as ``manim -s`` does; what reached out of the frame (or met, hugged an edge, is
    too small, runs along a window's edge) after each ``play``."""
    found: list[str] = []
    original = Scene.play

    def play(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        found.extend(f"after animation {self.renderer.num_plays}: {o}" for o in problems(self))
        return result

    Scene.play = play
    try:
        with tempconfig({"quality": "low_quality", "media_dir": str(media), "save_last_frame": True,
                         "write_to_movie": False, "disable_caching": True, "progress_bar": "none",
                         "verbosity": "ERROR", "preview": False}):
            scene = scene_cls()
            scene.render()
            found.extend(f"at the end: {o}" for o in problems(scene))
    finally:
        Scene.play = original
    return found


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("target", SCENES)
def test_everything_shown_lies_inside_the_frame_and_no_text_meets_another(target, lang, pinned_results, media, monkeypatch):
    use_settings(monkeypatch, results=pinned_results)
    use_settings(monkeypatch, lang=lang)
    use_settings(monkeypatch, theme="dark")
    module_name, class_name = target.split(":")
    scene_cls = getattr(importlib.import_module(module_name), class_name)
    found = run_checking(scene_cls, media)
    assert not found, f"{class_name} ({lang}) shows mobjects outside the frame or texts that meet: " + \
        "; ".join(found[:5])


@pytest.mark.parametrize("target", SCENES)
def test_a_scene_names_its_formulas_before_it_is_set_up(target, pinned_results, monkeypatch):
    """The worker asks a scene for the formulas to typeset ahead right after making it, before Manim sets it
    up (``scenes.runner.render``): what ``typeset_ahead`` reads must be there by then."""
    use_settings(monkeypatch, results=pinned_results)
    use_settings(monkeypatch, lang="en")
    module_name, class_name = target.split(":")
    scene_cls = getattr(importlib.import_module(module_name), class_name)
    with tempconfig({"dry_run": True, "verbosity": "ERROR"}):
        formulas = list(scene_cls().typeset_ahead())
    assert all(isinstance(f, (str, tuple)) for f in formulas)


class TooWide(LectureScene):
    """A caption placed as the scenes place theirs, one left unbroken and one broken into lines."""

    def construct(self):
        long = "A caption much longer than the frame is wide, as an English string can be next to the Korean"
        self.add(Text(long, font_size=30).to_edge(DOWN))
        self.add(self.wrapped(long, config.frame_width - 2 * self.margin, font_size=30).to_edge(LEFT))
        self.wait(0.1)


def test_the_check_finds_a_string_that_runs_out_of_the_frame(media, monkeypatch):
    use_settings(monkeypatch, lang="en")
    found = run_checking(TooWide, media)
    assert found and all("Text ('A caption much longer" in f for f in found), found
    assert len([f for f in found if f.startswith("at the end")]) == 1  # the broken caption fits


class SideBySide(LectureScene):
    """Two labels set as a timeline set its labels, touching; two with room between them."""

    def construct(self):
        first = self.plain("beats world chess champion", font_size=18)
        self.add(first, self.plain("beats Go master Lee Sedol", font_size=18).next_to(first, RIGHT, buff=0))
        third = self.plain("input layer", font_size=20).shift(DOWN * 2)
        self.add(third, self.plain("hidden layer 1", font_size=20).next_to(third, RIGHT, buff=0.3))
        self.wait(0.1)


def test_the_check_finds_texts_that_meet(media, monkeypatch):
    use_settings(monkeypatch, lang="en")
    found = run_checking(SideBySide, media)
    assert len(found) == 2 and all("'beats world chess champion' and 'beats Go master Lee Sedol' meet" in f
                                   for f in found), found


class MarkerThroughLabel(LectureScene):
    """A dashed marker line run through one label, beside another."""

    def construct(self):
        crossed_label = self.plain("stop 121", font_size=24)
        self.add(crossed_label, DashedLine(crossed_label.get_bottom() + DOWN, crossed_label.get_top() + UP))
        clear = self.plain("min 101", font_size=24).shift(DOWN * 2.5)
        self.add(clear, DashedLine(clear.get_corner(DOWN + RIGHT) + RIGHT * 0.1 + DOWN,
                                   clear.get_corner(UP + RIGHT) + RIGHT * 0.1 + UP))
        self.wait(0.1)


def test_the_check_finds_a_dashed_line_run_through_a_label(media, monkeypatch):
    use_settings(monkeypatch, lang="en")
    found = run_checking(MarkerThroughLabel, media)
    assert found and all(f.endswith("a dashed line runs through 'stop 121'") for f in found), found


class HuggingTheEdge(LectureScene):
    """An axis name set just above the frame's bottom edge; one at the room a caption keeps."""

    def construct(self):
        self.add(self.plain("training step 3000", font_size=22).to_corner(DOWN + RIGHT, buff=0.05))
        self.add(self.plain("epoch", font_size=22).to_corner(DOWN + LEFT, buff=0.25))
        self.wait(0.1)


def test_the_check_finds_a_text_that_hugs_an_edge(media, monkeypatch):
    use_settings(monkeypatch, lang="en")
    found = run_checking(HuggingTheEdge, media)
    assert len(found) == 2 and all("'training step 3000' lies 0.05 from the bottom edge" in f for f in found), found


class SmallNumbers(LectureScene):
    """Axis numbers at font size 20 (1.8 % of the frame high) and a label at 14; a title at 30 that is fine."""
    def construct(self):
        from manim import Axes

        axes = Axes(x_range=(0, 4, 1), y_range=(0, 1, 0.5), x_length=6, y_length=3,
                    axis_config={"include_numbers": True, "font_size": 20})
        self.add(axes, self.plain("fine", font_size=30).to_edge(UP, buff=0.5),
                 self.plain("tiny label", font_size=14).shift(DOWN * 2.5))


def test_the_check_finds_text_too_small_for_a_projector(media, monkeypatch):
    use_settings(monkeypatch, lang="en")
    found = run_checking(SmallNumbers, media)
    assert any("'tiny label' is" in f for f in found), found
    assert any("DecimalNumber" in f or "Integer" in f for f in found), found
    assert not any("'fine'" in f for f in found), found
    assert all(m < 2.2 for m in (float(f.split(" is ")[1].split("%")[0]) for f in found if " is " in f))


class NarratedLabel(LectureScene):
    """A label the subtitle names while it plays, at 2.5 % of the frame high: enough for a label, too small
    for one the narration points to (3 %); the same label at 3.3 % passes."""
    size = 20

    def construct(self):
        from manim import FadeIn

        label = self.plain("learning rate", font_size=self.size)
        with self.narration("common.chapter", n=1, title="the learning rate"):
            self.play(FadeIn(label))


class LargeNarratedLabel(NarratedLabel):
    size = 27


def test_the_check_holds_a_label_the_narration_names_to_three_percent(media, monkeypatch):
    use_settings(monkeypatch, lang="en")
    found = run_checking(NarratedLabel, media)
    assert found and all("'learning rate', named by the subtitle, is 2." in f for f in found), found
    assert not run_checking(LargeNarratedLabel, media)
    assert named_in("learning rate", "Chapter 1 · the learning  rate") and not named_in("0.5", "η = 0.5")


class ClampedPath(LectureScene):
    """A path that leaves the window, clamped onto its top edge (the defect), and the same path drawn by
    ``polyline``: cut at the edge, an arrowhead where it leaves."""
    clamp = True

    def construct(self):
        from manim import Axes, VMobject

        from scenes.base import axes_points, polyline

        axes = Axes(x_range=(0, 4, 1), y_range=(-1, 1, 0.5), x_length=6, y_length=4)
        xs = np.linspace(0, 4, 41)
        ys = 0.6 * xs - 1.2
        if self.clamp:
            path = VMobject().set_points_as_corners(axes_points(axes, xs, np.clip(ys, -1, 1)))
        else:
            path = polyline(axes, xs, ys, color="#E69F00")
        self.add(axes, path)


class WindowedPath(ClampedPath):
    clamp = False


def test_the_check_finds_a_path_clamped_to_its_window(media, monkeypatch):
    use_settings(monkeypatch, lang="en")
    found = run_checking(ClampedPath, media)
    assert any("runs along the y = -1 edge" in f or "runs along the y = 1 edge" in f for f in found), found
    assert not run_checking(WindowedPath, media)


def test_polyline_cuts_a_curve_at_the_window_and_marks_where_it_leaves():
    from manim import Axes

    from scenes.base import polyline, window_pieces

    pieces, exits = window_pieces([0, 1, 2, 3, 4], [0, 2, 0, 2, 0], ((0, 0), (4, 1)))
    assert [p.tolist() for p in pieces] == [[[0, 0], [0.5, 1]], [[1.5, 1], [2, 0], [2.5, 1]], [[3.5, 1], [4, 0]]]
    assert [e[0].tolist() for e in exits] == [[0.5, 1], [2.5, 1]]
    axes = Axes(x_range=(0, 4, 1), y_range=(0, 1, 0.5), x_length=4, y_length=2)
    curve = polyline(axes, [0, 1, 2, 3, 4], [0, 2, 0, 2, 0], color="#E69F00")
    assert len(curve.get_subpaths()) == 3 and len(curve.submobjects) == 2      # three pieces, two arrowheads
    top = axes.c2p(0, 1)[1]
    assert curve.points[:, 1].max() <= top + 1e-9


def drawn_after_removal(scene_cls, media: Path) -> list[str]:
    """Render ``scene_cls`` (frames, at a tiny size) and list what a play drew that its scene no longer
    holds: Manim draws the members its moving mobjects had when the play began, so a member an updater
    replaced (``submobjects = …``) stays on every frame of that play, over the one that replaced it."""
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.utils.family import extract_mobject_family_members

    found: dict[str, int] = {}
    original = CairoRenderer.render

    def render(self, scene, time, moving_mobjects=None):
        if moving_mobjects:
            held = set(scene.get_mobject_family_members())
            for mob in extract_mobject_family_members(list(moving_mobjects), only_those_with_points=True):
                if mob not in held and shown(mob):
                    name = f"{type(mob).__name__} {getattr(mob, 'original_text', '')[:30]!r} at play {self.num_plays}"
                    found[name] = found.get(name, 0) + 1
        return original(self, scene, time, moving_mobjects)

    CairoRenderer.render = render
    try:
        with tempconfig({"media_dir": str(media), "pixel_height": 36, "pixel_width": 64, "frame_rate": 5,
                         "disable_caching": True, "progress_bar": "none", "verbosity": "ERROR", "preview": False}):
            scene_cls().render()
    finally:
        CairoRenderer.render = original
    return [f"{name} ({count} frames)" for name, count in found.items()]


@pytest.mark.parametrize("target", SCENES)
def test_no_frame_shows_a_member_its_scene_no_longer_holds(target, pinned_results, media, monkeypatch):
    use_settings(monkeypatch, results=pinned_results)
    use_settings(monkeypatch, lang="ko")
    use_settings(monkeypatch, theme="dark")
    module_name, class_name = target.split(":")
    found = drawn_after_removal(getattr(importlib.import_module(module_name), class_name), media)
    assert not found, f"{class_name} draws what it replaced: " + "; ".join(found[:5])
