"""LectureScene: subtitles span the narrated animations, themes set the background, text by key."""
from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import use_settings
from manim import LEFT, Circle, Create, tempconfig
from manim.utils.color import ManimColor

from lecture import theme
from lecture.text import t
from scenes.base import LectureScene


class Narrated(LectureScene):
    chapter = 2
    title_key = "activations.title"

    def construct(self):
        with self.narration("activations.sub.intro"):
            self.play(Create(Circle()), run_time=8)
        with self.narration("activations.sub.identity", value="1"):
            self.wait(0.1)  # shorter than the time needed to read it


def render_dry(scene_cls, monkeypatch, **settings):
    use_settings(monkeypatch, **settings)
    with tempconfig({"dry_run": True, "frame_rate": 15, "pixel_height": 90, "pixel_width": 160}):
        scene = scene_cls()
        scene.render()
    return scene


def test_subtitles_span_the_narrated_animations(monkeypatch):
    scene = render_dry(Narrated, monkeypatch, lang="ko")
    subs = scene.renderer.file_writer.subcaptions
    assert [s.content for s in subs][0].startswith("활성화 함수는")
    first, second = subs
    assert first.start.total_seconds() == pytest.approx(0.0)
    assert first.end.total_seconds() == pytest.approx(8.0, abs=1 / 15)  # one frame
    assert second.start.total_seconds() == pytest.approx(first.end.total_seconds())
    # a short animation is extended so that the subtitle can be read
    assert (second.end - second.start).total_seconds() >= len(second.content) / 12.0 - 1 / 15
    assert "1" in second.content


class SaidTwice(LectureScene):
    """A title card, then the first content, under one sentence; then another sentence, then the first again."""
    chapter = 2
    title_key = "activations.title"

    def construct(self):
        with self.narration("activations.sub.identity", value="1"):
            self.wait(0.2)
        with self.narration("activations.sub.identity", value="1"):
            self.play(Create(Circle()), run_time=1)
        with self.narration("activations.sub.intro"):
            self.wait(0.2)
        with self.narration("activations.sub.identity", value="1"):
            self.wait(0.2)


def test_a_sentence_said_over_two_blocks_in_a_row_is_one_cue_read_once(monkeypatch):
    """No cue repeats its predecessor: the second block continues the first cue (its reading time counted
    from the cue's start, the first block's time left to read taken by the second's animation); said again
    after another sentence, it is a cue of its own."""
    scene = render_dry(SaidTwice, monkeypatch, lang="ko")
    subs = scene.renderer.file_writer.subcaptions
    assert [s.content for s in subs] == [t("activations.sub.identity", "ko", value="1"),
                                         t("activations.sub.intro", "ko"), t("activations.sub.identity", "ko", value="1")]
    first = subs[0]
    reading = max(len(t("activations.sub.identity", lang, value="1")) / cps
                  for lang, cps in LectureScene.reading_chars_per_second.items())
    assert first.start.total_seconds() == pytest.approx(0.0)
    # the second block's animation plays while the sentence is read (no pause over the card's empty frame
    # first): the cue lasts its reading time, which exceeds the two blocks' 1.2 s of animation
    assert reading > 1.2
    assert (first.end - first.start).total_seconds() == pytest.approx(reading, abs=2 / 15)
    assert all(a.end <= b.start for a, b in zip(subs, subs[1:]))


def test_english_subtitles_have_the_same_timing(monkeypatch):
    korean = render_dry(Narrated, monkeypatch, lang="ko").renderer.file_writer.subcaptions
    english = render_dry(Narrated, monkeypatch, lang="en").renderer.file_writer.subcaptions
    assert english[0].content.startswith("An activation function")
    assert [(s.start, s.end) for s in english] == [(s.start, s.end) for s in korean]


@pytest.mark.parametrize("name", ["dark", "light"])
def test_theme_sets_background(monkeypatch, name):
    scene = render_dry(Narrated, monkeypatch, theme=name)
    assert ManimColor(scene.camera.background_color).to_hex().upper() == theme.THEMES[name]["background"].upper()
    assert scene.ink == theme.THEMES[name]["ink"]


class Labelled(LectureScene):
    def construct(self):
        from manim import Axes, Text

        self.label_color = Text("x").color
        axes = Axes(x_range=(0, 2, 1), y_range=(0, 2, 1), axis_config={"include_numbers": True})
        self.number_color = axes.x_axis.numbers[0].color
        self.add(axes)


def test_light_theme_colours_unstyled_text_and_numbers(monkeypatch):
    from manim import Text

    scene = render_dry(Labelled, monkeypatch, theme="light")
    ink = ManimColor(theme.THEMES["light"]["ink"])
    assert ManimColor(scene.label_color) == ink and ManimColor(scene.number_color) == ink
    assert ManimColor(Text("y").color) != ink  # defaults restored after the scene


def _dropped(text: str) -> str:
    """``text`` without the pure separators a line break may drop, as one string of words."""
    return " ".join(w for w in text.split() if w not in ("·", "|"))


@pytest.mark.parametrize("content, count, lines", [
    ("MNIST · one hidden layer (512) · Adam · 12 epochs · batch 256 · validation_split 0.25", 2,
     ["MNIST · one hidden layer (512) · Adam", "12 epochs · batch 256 · validation_split 0.25"]),
    # an arrow keeps its meaning at the end of a line
    ("Human intelligence on computers: reasoning and search → knowledge → machine and deep learning", 2,
     ["Human intelligence on computers: reasoning and search →", "knowledge → machine and deep learning"]),
    ("least squares, maximum likelihood, gradient descent", 2, ["least squares, maximum likelihood,", "gradient descent"]),
    ("one two three four five six", 3, ["one two", "three four", "five six"]),
    ("two words", 3, ["two words"]),  # fewer words than lines: as many lines as fit
])
def test_lines_break_evenly_and_at_separators(content, count, lines):
    from lecture.text import balanced_lines

    assert balanced_lines(content, count) == lines


class Wrapping(LectureScene):
    def construct(self):
        pass


@pytest.mark.parametrize("content, width", [
    ("Machine learning: a computer learns patterns (rules) from data by itself and performs a task", 6.0),
    ("머신러닝: 컴퓨터가 데이터로부터 스스로 패턴(규칙)을 학습하여 작업을 수행", 5.0),
    ("short", 6.0),
    ("unbreakablewordthatiswiderthanthecolumnitsitsin", 2.0),
])
def test_wrapped_text_is_no_wider_than_asked_and_keeps_every_word(content, width, monkeypatch):
    use_settings(monkeypatch, lang="en")
    with tempconfig({"dry_run": True}):
        scene = Wrapping()
        scene.setup()
        mob = scene.wrapped(content, width, font_size=26)
        one_line = scene.plain(content, font_size=26)
    assert mob.width <= width + 1e-6
    lines = list(mob) if type(mob).__name__ == "VGroup" else [mob]
    if one_line.width <= width:
        assert len(lines) == 1 and mob.width == pytest.approx(one_line.width)
    elif " " in content:
        assert len(lines) >= 2
        # the words are all there, line after line, and the lines are stacked top to bottom
        assert _dropped(" ".join(line.original_text for line in lines)) == _dropped(content)
        assert sum(len(line.family_members_with_points()) for line in lines) == \
            len(one_line.family_members_with_points())
        assert all(a.get_y() > b.get_y() for a, b in zip(lines, lines[1:]))
    else:
        assert mob.width == pytest.approx(width)  # a single word too wide is shrunk to the width


def test_on_screen_moves_a_mobject_inside_the_frame_by_no_more_than_needed(monkeypatch):
    from manim import RIGHT, UP, Square, config

    with tempconfig({"dry_run": True}):
        scene = Wrapping()
        half_w, half_h = config.frame_width / 2 - scene.margin, config.frame_height / 2 - scene.margin
        square = Square(1.0).move_to(RIGHT * (half_w + 0.3) + UP * (half_h + 0.2))
        scene.on_screen(square)
        assert square.get_right()[0] == pytest.approx(half_w)
        assert square.get_top()[1] == pytest.approx(half_h)
        inside = Square(1.0).shift(RIGHT)
        scene.on_screen(inside)
        assert inside.get_center()[0] == pytest.approx(1.0)  # already inside: not moved


def test_numbers_at_edges_moves_the_numbers_off_the_crossing_axes():
    import numpy as np
    from manim import Axes

    from scenes.base import numbers_at_edges

    axes = Axes(x_range=(-10, 10, 5), y_range=(-5, 5, 5), x_length=7.6, y_length=3.8, tips=False,
                axis_config={"include_numbers": True, "font_size": 20})
    assert 0 not in [n.number for n in axes.x_axis.numbers]  # Manim leaves zero out where the axes cross
    numbers_at_edges(axes)
    bottom, left = axes.c2p(0, -5)[1], axes.c2p(-10, 0)[0]
    assert sorted(n.number for n in axes.x_axis.numbers) == [-10, -5, 0, 5, 10]
    for number in axes.x_axis.numbers:  # under the bottom edge, each under its own tick
        assert number.get_top()[1] < bottom
        assert np.isclose(number.get_x(), axes.c2p(number.number, 0)[0])
    assert sorted(n.number for n in axes.y_axis.numbers) == [0, 5]  # -5's corner is the x number's
    for number in axes.y_axis.numbers:  # left of the left edge, each beside its own tick
        assert number.get_right()[0] < left
        assert np.isclose(number.get_y(), axes.c2p(0, number.number)[1])


class Parked(LectureScene):
    """A title card parked, as every scene opens."""

    chapter = 15
    title_key = "mnist-mlp.title"  # in English wider than the frame at the card's size

    def construct(self):
        card = self.title_card()
        self.card_width = card[1].width
        self.parked = self.park_title(card)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_parked_title_is_half_its_natural_size_and_no_wider_than_allowed(monkeypatch, lang, tmp_path):
    use_settings(monkeypatch, lang=lang)
    with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path), "write_to_movie": False,
                     "save_last_frame": False, "disable_caching": True, "progress_bar": "none", "verbosity": "ERROR"}):
        scene = Parked()  # drawn as a scene is (a dry run sets text at another size)
        scene.render()
    natural = scene.parked.natural_width
    assert scene.parked.width == pytest.approx(min(natural / 2, Parked.parked_width), rel=1e-3)
    if lang == "en":  # shrunk on the card to the frame, yet not shrunk twice when parked
        assert scene.card_width < natural and scene.parked.width > scene.card_width / 2 + 0.5
    assert scene.parked.get_left()[0] == pytest.approx(-7.111 + 0.35, abs=0.01)


def test_wrap_balanced_uses_as_few_even_lines_as_the_limit_allows():
    from lecture.text import wrap_balanced

    wrapped = wrap_balanced("a large language model you can talk to", 18).split("\n")
    assert len(wrapped) == 3 and all(len(line) <= 18 for line in wrapped)  # 38 characters: three lines
    assert min(len(line) for line in wrapped) >= 8  # no orphaned "to"
    assert wrap_balanced("the field gets its name", 18) == "the field\ngets its name"
    assert wrap_balanced("short", 18) == "short"
    assert wrap_balanced("unbreakablewordlongerthanthelimit", 10) == "unbreakablewordlongerthanthelimit"


class Counting(LectureScene):
    def construct(self):
        from scenes.base import TextCounter

        self.counter = TextCounter(self, 0, font_size=30).shift(2 * self.margin * LEFT)
        self.left, self.height = self.counter.get_left()[0], self.counter.height
        self.counter.set_value(1207)
        self.laid_out = self.plain("1207", font_size=30)


def test_a_text_counter_sets_its_digits_as_pango_lays_out_the_number(tmp_path):
    import numpy as np

    with tempconfig({"dry_run": True, "media_dir": str(tmp_path)}):
        scene = Counting()
        scene.render()
    counter, laid_out = scene.counter, scene.laid_out
    assert counter.get_value() == 1207
    digits = counter.digits  # after the invisible first cell
    assert len(digits) == 4 and counter.submobjects[0].get_fill_opacity() == 0
    ours = np.array([d.get_center() - digits[0].get_center() for d in digits])
    pango = np.array([g.get_center() - laid_out[0].get_center() for g in laid_out])
    assert np.allclose(ours, pango, atol=2e-3)  # the same cells, the same baseline
    assert all(np.isclose(d.width, g.width) for d, g in zip(digits, laid_out))
    assert counter.get_left()[0] == pytest.approx(scene.left) and counter.height == pytest.approx(scene.height)
    with pytest.raises(ValueError, match="counts from 0"):
        counter.set_value(-1)


class CountingDuringPlays(LectureScene):
    """A counter driven by an updater through two plays: up to two digits, then back to one."""

    def construct(self):
        from manim import ValueTracker

        from scenes.base import TextCounter

        tracker = ValueTracker(0)
        counter = TextCounter(self, 0, font_size=60)
        counter.add_updater(lambda m: m.set_value(round(tracker.get_value())))
        self.add(counter)
        self.frames = []
        for target in (12, 3):
            self.play(tracker.animate.set_value(target), run_time=0.5)
            during = self.renderer.get_frame().copy()  # the play's last frame, as the video holds it
            self.renderer.update_frame(self)           # the scene drawn anew, from what it holds now
            self.frames.append((during, self.renderer.get_frame().copy(), counter.get_value()))


def test_a_counter_changed_during_a_play_leaves_no_old_digit_on_screen(tmp_path):
    """Manim draws the members a play's moving mobjects had when it began: a digit the counter
    replaced stayed on every frame of the play (the epochs of MnistMLP showed 0 under 4)."""
    import numpy as np

    with tempconfig({"media_dir": str(tmp_path), "pixel_height": 180, "pixel_width": 320, "frame_rate": 10,
                     "disable_caching": True, "progress_bar": "none", "verbosity": "ERROR"}):
        scene = CountingDuringPlays()
        scene.render()
    assert [value for *_, value in scene.frames] == [12, 3]
    for during, anew, _ in scene.frames:
        assert during[..., :3].any(axis=-1).sum() > 50  # the digits are drawn
        assert np.array_equal(during, anew)


def test_mixed_text_sets_its_formulas_by_latex_in_one_row(monkeypatch):
    """``$…$`` in an on-screen string (the figures' mathtext reads the same string): the formula is a
    MathTex between the texts, left to right on one line, spaced as the string spaces it."""
    from manim import MathTex

    from scenes.base import formulas_of, mixed_parts
    from manim_speedups.glyph_text import GlyphText

    assert mixed_parts("a $x$b") == [("a ", False), ("x", True), ("b", False)]
    assert formulas_of(r"역방향: $\partial L/\partial$노드") == [r"\partial L/\partial"]
    with pytest.raises(ValueError, match="unmatched"):
        mixed_parts("cost $5")
    use_settings(monkeypatch, lang="ko")
    with tempconfig({"dry_run": True}):
        scene = Wrapping()
        scene.setup()
        row = scene.mixed("backprop.legend_local", font_size=24)  # 화살표: 국소 미분 $∂$자식$/∂$부모
    kinds = [type(part) for part in row]
    assert kinds == [GlyphText, MathTex, GlyphText, MathTex, GlyphText]
    assert [part.tex_string for part in row if isinstance(part, MathTex)] == [r"\partial", r"/\partial"]
    lefts = [part.get_left()[0] for part in row]
    assert lefts == sorted(lefts)
    gaps = [b.get_left()[0] - a.get_right()[0] for a, b in zip(row, row[1:])]
    assert gaps[0] > 2 * gaps[1] > 0  # "미분 ∂" across a space, "∂자식" joined
    assert all(gap > 0 for gap in gaps)  # nothing overlaps
    assert max(abs(part.get_y() - row[0].get_y()) for part in row) < 1e-6  # one line


def test_a_string_first_set_at_a_tiny_frame_size_is_whole_at_the_lectures_size(tmp_path, monkeypatch):
    """Pango lays a string out on a canvas the frame's size in pixels and cuts off what does not fit;
    Manim's SVG file name leaves the size out, and the scenes' copies of made texts are kept per process.
    A string set at 64×36 (the frame test of every scene renders so) then set in the same process and
    media folder at 480p must be the whole string, as a fresh process sets it (it kept 4 of 6 glyphs)."""
    from manim import Text

    use_settings(monkeypatch, lang="ko")
    title = "딥러닝의 역사와 통계적 이해"
    glyphs = len(title.replace(" ", ""))
    with tempconfig({"pixel_width": 64, "pixel_height": 36, "media_dir": str(tmp_path / "shared")}):
        scene = Wrapping()
        scene.setup()
        tiny = scene.plain(title, font_size=56)
    with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path / "shared")}):
        scene = Wrapping()
        scene.setup()
        whole = scene.plain(title, font_size=56)
    with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path / "fresh")}):
        reference = Text(title, font=theme.FONT, font_size=56)
    assert len(tiny.submobjects) < glyphs  # what Pango cuts off at 64×36
    assert len(whole.submobjects) == len(reference.submobjects) == glyphs
    assert whole.width == pytest.approx(reference.width, rel=1e-6)


class Retexting(LectureScene):
    """A readout's value changed with ``Retext``, then a different string in its place."""

    def construct(self):
        from scenes.base import Retext

        self.old = self.plain("최대 오차 0.26", font_size=40).to_edge(LEFT)
        self.new = self.plain("최대 오차 0.11", font_size=40).move_to(self.old, aligned_edge=LEFT)
        self.add(self.old)
        self.halfway = Retext(self.old, self.new)
        self.halfway.begin()
        self.halfway.interpolate(0.5)  # what the play's middle frame shows
        self.middle = [(g.points.copy(), g.get_fill_opacity()) for g in self.old.family_members_with_points()]
        self.arriving = [g.get_fill_opacity() for g in self.halfway.arriving]
        self.halfway.interpolate(0)
        self.play(Retext(self.old, self.new), run_time=0.5)
        self.other = self.plain("평가", font_size=40).move_to(self.new)
        self.play(Retext(self.new, self.other), run_time=0.5)


def test_retext_keeps_the_shared_glyphs_and_fades_the_others_in_place(tmp_path):
    """"최대 오차 0.26" → "0.11": the six glyphs the two share stay as they are through the change (a
    Transform morphed every glyph into the one at its index), "26" fades out where it stands, "11" fades in;
    the scene then holds the new text only."""
    with tempconfig({"media_dir": str(tmp_path), "pixel_height": 180, "pixel_width": 320, "frame_rate": 10,
                     "disable_caching": True, "progress_bar": "none", "verbosity": "ERROR"}):
        scene = Retexting()
        scene.render()
    glyphs = scene.old.family_members_with_points()
    assert len(glyphs) == 8  # 최대오차0.26
    for glyph, (points, opacity) in zip(glyphs, scene.middle):
        assert np.allclose(points, glyph.points)  # nothing moves
    assert [round(o, 2) for _, o in scene.middle] == [1.0] * 6 + [0.5, 0.5]
    assert [round(o, 2) for o in scene.arriving] == [0.5, 0.5]
    shown = set(scene.get_mobject_family_members())
    assert scene.other in shown and scene.new not in shown and scene.old not in shown
    assert not shown & set(glyphs) and not shown & set(scene.new.family_members_with_points())


class Reaxing(LectureScene):
    """Axes whose y range changes from ±4 to ±1.5 by ``Reaxes``; its middle looked at, then played."""

    def axes(self, y_range):
        from manim import Axes

        return Axes(x_range=(-4, 4, 2), y_range=y_range, x_length=6, y_length=4, tips=False,
                    axis_config={"include_numbers": True, "font_size": 24})

    def construct(self):
        from scenes.base import Reaxes

        old, new = self.axes((-4, 4, 2)), self.axes((-1.5, 1.5, 0.5))
        self.add(old)
        x_glyphs = old.x_axis.numbers.family_members_with_points()
        y_glyphs = old.y_axis.numbers.family_members_with_points()
        self.x_before = [g.points.copy() for g in x_glyphs]
        halfway = Reaxes(old, new)
        halfway.begin()
        halfway.interpolate(0.5)
        self.x_middle = [(g.points.copy(), g.get_fill_opacity()) for g in x_glyphs]
        self.y_middle = [g.get_fill_opacity() for g in y_glyphs]
        self.arriving = [g.get_fill_opacity() for g in halfway.retext.arriving]
        # old ticks −4 −2 2 4 (Manim leaves out the one at the crossing) against the new −1.5 … 1.5: aligned,
        # the tick at −2 is the third of six and goes to the new third, −0.5
        self.tick_middle = old.y_axis.ticks[2].get_center(), old.y_axis.ticks[2].get_stroke_opacity()
        self.tick_ends = self.axes((-4, 4, 2)).y_axis.ticks[1].get_center(), new.y_axis.ticks[2].get_center()
        self.old, self.new = self.axes((-4, 4, 2)), self.axes((-1.5, 1.5, 0.5))
        self.add(self.old)
        self.remove(old)
        self.play(Reaxes(self.old, self.new), run_time=0.5)


def test_reaxes_moves_lines_and_ticks_and_changes_only_the_numbers_that_differ(tmp_path):
    """x numbers (the same in both) stay where they are, fully shown; the y numbers fade out and the new
    ones in, in their places (``ReplacementTransform`` morphed "2" into "0.5"); the ticks move; the scene
    then holds the new axes with their numbers, and nothing of the old."""
    with tempconfig({"media_dir": str(tmp_path), "pixel_height": 180, "pixel_width": 320, "frame_rate": 10,
                     "disable_caching": True, "progress_bar": "none", "verbosity": "ERROR"}):
        scene = Reaxing()
        scene.render()
    assert len(scene.x_middle) == 6  # −4 −2 2 4
    for before, (points, opacity) in zip(scene.x_before, scene.x_middle):
        assert np.allclose(before, points) and opacity == 1.0
    assert scene.y_middle and all(abs(o - 0.5) < 1e-6 for o in scene.y_middle)
    assert scene.arriving and all(abs(o - 0.5) < 1e-6 for o in scene.arriving)
    tick, opacity = scene.tick_middle
    start, end = scene.tick_ends
    assert np.allclose(tick, (start + end) / 2) and not np.allclose(start, end) and opacity == 1.0  # moving
    shown = set(scene.get_mobject_family_members())
    assert scene.new in shown and scene.new.y_axis.numbers in shown and scene.new.x_axis.numbers in shown
    assert scene.new.y_axis.numbers in scene.new.y_axis.submobjects
    assert not shown & set(scene.old.get_family())
