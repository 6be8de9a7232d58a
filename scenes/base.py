"""What every lecture scene shares: theme, text by key, narration as subtitles, results.

A scene draws with the settings the render worker puts in force (``lecture.settings``: its
language, theme and the folder of stored engine results).  Scenes never train anything: they read
results with :meth:`LectureScene.result`.
"""
from __future__ import annotations

import contextlib
import datetime
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from manim import (
    DOWN,
    DecimalNumber,
    Integer,
    SingleStringMathTex,
    Tex,
    LEFT,
    ORIGIN,
    RIGHT,
    UL,
    UP,
    Animation,
    AnimationGroup,
    FadeIn,
    FadeOut,
    MathTex,
    ReplacementTransform,
    Scene,
    Text,
    VGroup,
    VMobject,
    Write,
    config,
)

from manim.utils.bezier import get_smooth_cubic_bezier_handle_points

from engine.store import Result, load
from manim_speedups import glyph_text  # text made as GlyphText once the worker enables the speed-ups
from manim_speedups.glyph_text import GlyphText
from lecture import settings, theme
from lecture.text import balanced_lines, t


def results_dir() -> Path:
    return settings.current().results


# The presentation standard's least text sizes (docs/authoring.md): a capital or digit at least 2.2 % of the
# frame's height.  Text (Noto Sans CJK KR) reaches it from font size 17, MathTex and DecimalNumber (LaTeX)
# from 25; axis numbers are set at AXIS_NUMBERS.
MIN_TEXT_SIZE = 17
MIN_TEX_SIZE = 25
AXIS_NUMBERS = 26


class LectureScene(Scene):
    """A Scene that speaks the lecture's language and reads the engine's results."""

    chapter: int = 0
    title_key: str = ""
    font_size_body = 30
    margin = 0.4  # the least room kept between text and the frame's edges
    parked_width = 8.0  # the most a parked title may take of the top edge
    # Reading speeds used to size pauses.  The pause is the longest over both languages, so the
    # Korean and the English video of a scene have the same timing and either subtitle track
    # fits either video.
    reading_chars_per_second = {"ko": 12.0, "en": 17.0}

    def setup(self):
        super().setup()
        self.lang = settings.current().lang
        self.colors = theme.video_theme()
        self.camera.background_color = self.colors["background"]
        self.ink = self.colors["ink"]
        self.muted = self.colors["muted"]
        # Text and numbers that a scene does not colour itself (axis labels, decimals) are white by
        # Manim's default; on the light theme they take the theme's ink instead.
        if self.colors is theme.THEMES["light"]:
            for cls in self.THEMED_CLASSES:
                cls.set_default(color=self.ink)

    THEMED_CLASSES = (Text, MathTex, Tex, SingleStringMathTex, DecimalNumber, Integer)

    def tear_down(self):
        self.hold_for_reading()  # the last cue's reading time, before the video ends
        for cls in self.THEMED_CLASSES:
            cls.set_default()
        super().tear_down()

    # --- data ---------------------------------------------------------------
    def result(self, result_id: str) -> Result:
        return load(result_id, results_dir())

    # --- text ---------------------------------------------------------------
    def typeset_ahead(self) -> Iterable[str]:
        """The formulas this scene will typeset that are built from its results (a scene with many
        overrides this with the same helpers its ``construct`` uses): the worker typesets them,
        with the literal ones, in one LaTeX run before the scene renders (manim_speedups/tex_batch.py)."""
        return ()

    def t(self, key: str, **values) -> str:
        """The string ``key`` in the scene's language; before ``setup`` (the worker asks ``typeset_ahead``
        right after making the scene) in the language ``setup`` will choose, the settings'."""
        return t(key, getattr(self, "lang", None), **values)

    def text(self, key: str, *, font_size: float | None = None, color: str | None = None,
             weight: str = "NORMAL", **values) -> Text:
        """A Text mobject for the string ``key`` in the scene's language (Noto Sans CJK KR)."""
        return self.plain(self.t(key, **values), font_size=font_size, color=color, weight=weight)

    def mixed(self, key: str, *, font_size: float | None = None, color: str | None = None,
              weight: str = "NORMAL", **values) -> "MixedText":
        """The string ``key`` with formulas between ``$…$`` (as the figures' mathtext reads the same
        string): the formulas typeset by LaTeX, the rest as text, in one row.  A space at a join stays a
        space; parts the string joins directly meet directly (``$\\partial L/\\partial$노드``)."""
        font_size = font_size or self.font_size_body
        content = self.t(key, **values)
        parts = mixed_parts(content)
        row = MixedText(content)
        gaps = []
        for index, (part, is_formula) in enumerate(parts):
            if is_formula:
                row.add(self.tex(part, font_size=font_size * FORMULA_SCALE, color=color))
            elif part.strip():
                row.add(self.plain(part.strip(), font_size=font_size, color=color, weight=weight))
            else:
                continue
            spaced = index > 0 and (parts[index - 1][0][-1:].isspace() or part[:1].isspace())
            gaps.append(SPACE_WIDTH * font_size if spaced else JOIN_WIDTH * font_size)
        for previous, mob, gap in zip(row, row[1:], gaps[1:]):
            mob.next_to(previous, RIGHT, buff=gap)
        return row

    def plain(self, content: str, *, font_size: float | None = None, color: str | None = None,
              weight: str = "NORMAL") -> Text:
        return _made(glyph_text.text_class(), content, font=theme.FONT, font_size=font_size or self.font_size_body,
                     color=color or self.ink, weight=weight)

    def wrapped(self, content: str, width: float, *, font_size: float | None = None, color: str | None = None,
                weight: str = "NORMAL", aligned_edge=ORIGIN, line_gap: float = 0.12) -> VMobject:
        """``content`` as one line of text if it is no wider than ``width``, else broken at spaces into
        as few lines as fit (measured, not counted), stacked along ``aligned_edge``; a single word wider
        than ``width`` is shrunk to it.  On-screen strings are longer in one language than in the other."""
        style = dict(font_size=font_size, color=color, weight=weight)
        mob = self.plain(content, **style)
        if mob.width <= width or " " not in content.strip():
            return fit_width(mob, width)
        words = len(content.split())
        for count in range(2, words + 1):  # as few lines as fit; at most a word per line (then shrunk)
            group = VGroup(*(self.plain(line, **style) for line in balanced_lines(content, count)))
            if max(line.width for line in group) <= width or count == words:
                break
        return fit_width(group.arrange(DOWN, buff=line_gap, aligned_edge=aligned_edge), width)

    def on_screen(self, mobject, margin: float | None = None):
        """Shift ``mobject`` (no more than needed) so that it lies inside the frame less ``margin``
        (the scene's ``margin`` by default), along each axis where it fits."""
        margin = self.margin if margin is None else margin
        half = np.array([config.frame_width / 2 - margin, config.frame_height / 2 - margin])
        for axis, direction in enumerate((RIGHT, UP)):
            low, high = mobject.get_critical_point(-direction)[axis], mobject.get_critical_point(direction)[axis]
            if high - low <= 2 * half[axis]:
                shift = max(0.0, -half[axis] - low) - max(0.0, high - half[axis])
                if shift:
                    mobject.shift(direction * shift)
        return mobject

    def tex(self, *parts: str, font_size: float = 40, color: str | None = None) -> MathTex:
        return _made(MathTex, *parts, font_size=font_size, color=color or self.ink)

    # --- narration ----------------------------------------------------------
    @contextlib.contextmanager
    def narration(self, key: str, **values):
        """Subtitle ``key`` spans exactly the animations played inside the block.  A block that says
        what the cue just shown says (the title card, then the first content, under one sentence)
        continues that cue instead of repeating it: one cue, one step, the reading time counted once.

        The time left to read a cue is not waited out where the block ends: the next animation, if it is
        not narrated (``play``), or the next block, if it continues the same cue, plays while the cue is
        read, so the first content appears while the first sentence is read, not after a pause over an
        empty frame; the time still left is held before the next cue (``hold_for_reading``) or the end."""
        content = self.t(key, **values)
        pending = self._pending_reading
        continues = pending is not None and pending[0] == content and abs(pending[2] - self.time) < 1e-6
        if continues:
            self._pending_reading = None
        else:
            self.hold_for_reading()
        start = self.time
        cues = self.renderer.file_writer.subcaptions
        previous = cues[-1] if cues and cues[-1].content == content \
            and abs(cues[-1].end.total_seconds() - start) < 1e-6 else None
        if previous is None:
            self.begin_step(key, content)
        self.current_cue = content
        try:
            yield content
        finally:
            self.current_cue = None
        elapsed = self.time - start
        shown = (previous.end - previous.start).total_seconds() if previous is not None else 0.0
        minimum = max(len(t(key, lang, **values)) / cps for lang, cps in self.reading_chars_per_second.items())
        if previous is not None:
            previous.end += datetime.timedelta(seconds=elapsed)
        else:
            self.add_subcaption(content, duration=elapsed, offset=-elapsed)
        if minimum - shown - elapsed > 1e-6:  # time left to read: held before what plays next
            self._pending_reading = (content, minimum - shown - elapsed, self.time)

    current_cue: str | None = None   # the subtitle shown while a narration block plays (the layout test reads it)
    _pending_reading: tuple[str, float, float] | None = None   # (cue, seconds still to read, when it ended)

    def hold_for_reading(self) -> None:
        """Hold the frame for the reading time the last cue still needs (see ``narration``), its subtitle on."""
        pending, self._pending_reading = self._pending_reading, None
        if pending is None:
            return
        start = self.time
        Scene.wait(self, pending[1])
        held = self.time - start  # frames quantize the wait
        cues = self.renderer.file_writer.subcaptions
        if cues and cues[-1].content == pending[0]:
            cues[-1].end += datetime.timedelta(seconds=held)

    def play(self, *args, **kwargs):
        """An animation played outside any narration block right after one whose cue is still being read
        plays while it is read: the cue stays on over it, and what reading time is left after it is held
        before what comes next."""
        pending, self._pending_reading = self._pending_reading, None
        start = self.time
        super().play(*args, **kwargs)
        if pending is None:
            return
        content, left, ended = pending
        elapsed = self.time - start
        cues = self.renderer.file_writer.subcaptions
        if abs(ended - start) < 1e-6 and cues and cues[-1].content == content:
            cues[-1].end += datetime.timedelta(seconds=min(elapsed, left))
            if left - elapsed > 1e-6:
                self._pending_reading = (content, left - elapsed, self.time)

    def begin_step(self, key: str, content: str) -> None:
        """Each narrated step opens a section: `render.py slides` presents the sections as slides,
        pausing after each (Manim's own --save_sections); with manim-slides it opens a slide."""
        self.next_section(name=key)

    def step_through(self, count: int, seconds: float, show) -> None:
        """Show states ``0 … count-1`` in turn over ``seconds``: ``show(i)`` updates the mobjects,
        then the scene holds the frame.

        The timing is that of a tracker running linearly from 0 to ``count - 1`` and rounded
        (state i from (i - ½)/(count - 1) to (i + ½)/(count - 1) of the time), cut at whole frames;
        but where updaters would redraw unchanged heat-maps and curves on every frame, Manim now
        draws each state once and repeats the frame (a held frame costs what encoding it costs).
        """
        fps = config.frame_rate
        edges = np.clip((np.arange(count + 1) - 0.5) / max(count - 1, 1), 0.0, 1.0) * seconds
        frames = np.round(edges * fps).astype(int)
        shown = None
        for i in range(count):
            n = int(frames[i + 1] - frames[i])
            if n > 0:  # a state between two frames is never seen
                show(i)
                shown = i
                duration = n / fps
                while int(duration / (1 / fps)) < n:  # Manim holds a frame int(duration · fps) times
                    duration = float(np.nextafter(duration, np.inf))
                self.wait(duration)
        if shown != count - 1:  # the last state stays, as a tracker's end value does
            show(count - 1)

    def settle(self, group: VMobject) -> VGroup:
        """Replace ``group`` (on screen, done animating) by its :func:`merged` paths, in place."""
        flat = merged(group)
        self.replace(group, flat)
        return flat

    # --- common pieces ------------------------------------------------------
    def title_card(self, subtitle_key: str | None = None, **values) -> VGroup:
        """Chapter line, title and subtitle (``values`` filled into it), shown centred, then parked at
        the top left.  The title is one line, shrunk to the frame if it is wider; the chapter line and
        the subtitle are broken into lines where they are wider."""
        from lecture.manifest import CHAPTERS

        chapter = CHAPTERS[self.chapter - 1]
        width = config.frame_width - 2 * self.margin
        head = self.wrapped(self.t("common.chapter", n=chapter.number, title=chapter.title(self.lang)), width,
                            font_size=26, color=self.muted)
        title = self.text(self.title_key, font_size=56, weight="BOLD")
        title.natural_width = title.width  # parked at half this size, however much the card shrank it
        fit_width(title, width)
        group = VGroup(head, title)
        if subtitle_key:
            group.add(self.wrapped(self.t(subtitle_key, **values), width, font_size=26, color=self.muted))
        group.arrange(DOWN, buff=0.3)
        self.play(FadeIn(head, shift=0.2 * DOWN), Write(title), run_time=1.5)
        if subtitle_key:
            self.play(FadeIn(group[2]), run_time=0.6)
        return group

    def parked_title(self, group: VGroup) -> Text:
        """The card's title as ``park_title`` parks it (a copy): to place the first content below it before
        the park, which plays it in (``along``)."""
        title = group[1]
        width = min(0.5 * getattr(title, "natural_width", title.width), self.parked_width)
        return title.copy().scale(width / title.width).to_corner(UL, buff=0.35)

    def park_title(self, group: VGroup, *along) -> Text:
        """Fade the card's other lines; move the title to the top left at half its natural size (a long
        title, shrunk on the card, is not shrunk twice), no wider than ``parked_width``.  ``along``:
        animations played with the park (the first content appears as the card leaves, no empty frame
        between them)."""
        title = group[1]
        others = [m for m in group if m is not title]
        width = min(0.5 * getattr(title, "natural_width", title.width), self.parked_width)
        self.play(*(m.animate.set_opacity(0) for m in others),
                  title.animate.scale(width / title.width).to_corner(UL, buff=0.35), *along, run_time=0.8)
        self.remove(*others)
        return title


class TextCounter(VGroup):
    """A whole number that counts (epochs, updates) in the lecture's font, like the text beside it.

    The font's digits are tabular: each is a copy of its glyph in one laid-out "0123456789", moved to its
    cell, so a new value costs no text layout (Manim's ``Integer`` sets digits in LaTeX's Computer Modern,
    beside Noto Sans labels).  An invisible "0" holds the first cell: the counter keeps its left edge,
    its height and its baseline while its value changes, as ``Integer`` keeps its left edge."""

    def __init__(self, scene: "LectureScene", value: int = 0, *, font_size: float = 30, color: str | None = None):
        super().__init__()
        reference = scene.plain("0123456789", font_size=font_size, color=color)
        self._reference = reference.submobjects
        self.number = None
        self.add(reference.submobjects[0].copy().set_opacity(0))
        self.set_value(value)

    def get_value(self) -> int:
        return self.number

    def set_value(self, value: float) -> "TextCounter":
        value = int(value)
        if value == self.number:
            return self
        if value < 0:
            raise ValueError(f"a TextCounter counts from 0 (got {value})")
        anchor, zero = self.submobjects[0], self._reference[0]
        scale = anchor.width / zero.width
        advance = (self._reference[9].get_center()[0] - zero.get_center()[0]) / 9 * scale
        cells = self.submobjects[1:]
        text = str(value)
        for k, character in enumerate(text):
            d = int(character)
            glyph = self._reference[d]
            # where the digit's ink sits in its cell (and on the baseline), relative to the zero's
            offset = (glyph.get_center() - zero.get_center()) * scale - RIGHT * advance * d
            copy = glyph.copy().scale(scale).move_to(anchor.get_center() + offset + RIGHT * advance * k)
            copy.set_color(anchor.get_color()).set_opacity(1)
            if k < len(cells):
                cells[k].become(copy)
            else:
                self.add(copy)
        # a cell is changed in place and hidden when unused, never replaced: a play draws the members its
        # moving mobjects had when it began (Manim lists them then), so a replaced digit stayed on screen
        for cell in cells[len(text):]:
            cell.set_opacity(0)
        self.number = value
        return self

    @property
    def digits(self) -> list:
        """The cells that show the value, left to right (after the invisible first cell)."""
        return self.submobjects[1:1 + len(str(self.number))]


def numbers_at_edges(axes, buff: float = 0.15):
    """Move the numbers of ``axes`` whose axes cross inside the plot (a range around zero) from the axes
    to the plot's bottom and left edges, where no curve runs through them: below the lowest ``y`` for
    the ``x`` numbers, left of the lowest ``x`` for the ``y`` numbers.  Make the axes with
    ``include_numbers``; at an edge, zero is a number like the others (Manim leaves it out where the
    axes cross), so it is added."""
    x_low, y_low = axes.x_range[0], axes.y_range[0]
    x_numbers, y_numbers = getattr(axes.x_axis, "numbers", VGroup()), getattr(axes.y_axis, "numbers", VGroup())
    for axis, numbers in ((axes.x_axis, x_numbers), (axes.y_axis, y_numbers)):
        low, high = axis.x_range[:2]
        if len(numbers) and low < 0 < high and not any(np.isclose(n.number, 0) for n in numbers):
            numbers.add(axis.get_number_mobject(0))
    for number in x_numbers:
        number.next_to(axes.c2p(number.number, y_low), DOWN, buff=buff)
    for number in list(y_numbers):
        if np.isclose(number.number, y_low) and any(np.isclose(n.number, x_low) for n in x_numbers):
            y_numbers.remove(number)  # the corner the two edges share is the x number's
        else:
            number.next_to(axes.c2p(x_low, number.number), LEFT, buff=buff)
    return axes


def power_tex(power: int) -> str:
    """A whole power of ten as a formula: a log axis's label."""
    return rf"10^{{{int(power)}}}"


# a formula beside text (``LectureScene.mixed``): Computer Modern sets smaller than Noto Sans CJK at one
# font size.  Gaps between the inks as Noto Sans CJK leaves them at font size 48 (measured on GlyphText):
# about 0.25 units across a space ("향: 노", "a b"), about 0.06 between letters that meet ("노드")
FORMULA_SCALE = 1.2
SPACE_WIDTH = 0.25 / 48
JOIN_WIDTH = 0.06 / 48


class Retext(AnimationGroup):
    """Change a text on screen into another (a readout's next value, a step label): the glyphs the two
    share, the same outline in the same place and colour, stay as they are; the others fade out and in
    where they stand.  ``Transform`` morphed every glyph into the one at its index, a soup of strokes for
    the whole run ("최대 오차 0.26" into "0.11"); Manim's ``TransformMatchingShapes`` moves shared shapes
    but sends the others toward the middle of all that arrives, across lines.  The scene then holds
    ``new`` instead of ``old``."""

    def __init__(self, old: VMobject, new: VMobject, **kwargs):
        arriving = new.family_members_with_points()
        leaving = []
        for glyph in old.family_members_with_points():
            same = next((g for g in arriving if _same_glyph(glyph, g)), None)
            if same is None:
                leaving.append(glyph)
            else:
                arriving.remove(same)
        self.old, self.new, self.arriving = old, new, VGroup(*arriving)
        animations = [FadeOut(VGroup(*leaving))] if leaving else []
        animations += [FadeIn(self.arriving)] if arriving else []
        super().__init__(*(animations or [Animation(VGroup())]), group=old, **kwargs)

    def clean_up_from_scene(self, scene: Scene) -> None:
        super().clean_up_from_scene(scene)
        scene.remove(self.old, self.arriving)
        scene.add(self.new)


class Reaxes(AnimationGroup):
    """Axes whose ranges change (``old`` on screen, ``new`` made for the new ranges): the lines and
    ticks move to their new places while the numbers change as a :class:`Retext` does, those in the
    same place staying, the others fading out and in where they stand.  ``ReplacementTransform``
    morphed each number into the one at its index ("2" into "0.5").  The scene then holds ``new``,
    numbers included."""

    def __init__(self, old: VMobject, new: VMobject, **kwargs):
        self.old, self.new = old, new
        self.leaving, self.arriving, self.homes = VGroup(), VGroup(), []
        for old_axis, new_axis in zip(old.get_axes(), new.get_axes()):
            for axis, numbers in ((old_axis, self.leaving), (new_axis, self.arriving)):
                if getattr(axis, "numbers", None) is not None and axis.numbers in axis.submobjects:
                    axis.remove(axis.numbers)
                    numbers.add(axis.numbers)
                    if axis is new_axis:
                        self.homes.append(axis)
        self.retext = Retext(self.leaving, self.arriving)
        super().__init__(ReplacementTransform(old, new), self.retext, **kwargs)

    def _setup_scene(self, scene: Scene) -> None:
        scene.add(self.leaving)  # the old numbers, taken off their axes, stay on screen on their own
        super()._setup_scene(scene)

    def clean_up_from_scene(self, scene: Scene) -> None:
        super().clean_up_from_scene(scene)
        scene.remove(self.retext.new)
        for axis in self.homes:
            axis.add(axis.numbers)


def _same_glyph(a: VMobject, b: VMobject) -> bool:
    def close(x, y, atol=1e-6):
        return x.shape == y.shape and np.allclose(x, y, atol=atol)

    return (close(a.points, b.points, atol=1e-3) and close(a.get_fill_rgbas(), b.get_fill_rgbas())
            and a.get_stroke_width() == b.get_stroke_width() and close(a.get_stroke_rgbas(), b.get_stroke_rgbas()))


class MixedText(VGroup):
    """A line of text with formulas (``LectureScene.mixed``): its parts, and the string as written."""

    def __init__(self, content: str):
        super().__init__()
        self.original_text = content


def mixed_parts(content: str) -> list[tuple[str, bool]]:
    """``content`` split into text and formulas (``$…$``, mathtext's convention): ``(part, is_formula)``
    in order, text parts with their spaces; an unmatched ``$`` is an error."""
    pieces = content.split("$")
    if len(pieces) % 2 == 0:
        raise ValueError(f"unmatched $ in on-screen text: {content!r}")
    return [(piece, index % 2 == 1) for index, piece in enumerate(pieces) if piece or index % 2 == 1]


def formulas_of(content: str) -> list[str]:
    """The formulas (``$…$``) of an on-screen string: what ``LectureScene.mixed`` will typeset."""
    return [part for part, is_formula in mixed_parts(content) if is_formula]


def fit_width(mobject, width: float):
    """Shrink ``mobject`` to ``width`` if it is wider (long strings in one of the languages)."""
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    return mobject


_prototypes: dict[tuple, VMobject] = {}


def _made(cls, *args, **kwargs):
    """A fresh ``cls(*args, **kwargs)``, copied from the first one made with the same arguments.

    Pango/LaTeX output is cached on disk by Manim, but turning it into mobjects (parsing the SVG,
    closing every glyph's outline) is repeated for every Text: counters that ``always_redraw``
    rebuilds every frame spent most of their time there.  A copy is the same mobject, cheaper.
    The frame's size in pixels is part of the key: Pango lays a string out on a canvas that size, and
    cuts off what does not fit (at 64×36 a title keeps its first few glyphs; see ``GlyphText``).
    A ``GlyphText`` in the lecture's font that differs from one made before only in its digits (a
    counter's next value) is made from that one by ``glyph_text.with_digits``, number for number the same.
    """
    if _key(cls, args, kwargs) not in _prototypes and cls is GlyphText and len(args) == 1:
        pattern = glyph_text.pattern_of(args[0], kwargs)
        pattern_key = _key(cls, (pattern,), kwargs) if pattern is not None else None
        if pattern_key in _patterns:  # a counter's next value: the first one of its pattern, other digits
            made = glyph_text.with_digits(_patterns[pattern_key],
                                          [_prototype(cls, (r,), kwargs) for r in glyph_text.REFERENCES], args[0])
            if made is not None:
                return made
        if pattern_key is not None:
            _patterns[pattern_key] = _prototype(cls, args, kwargs)
    return _prototype(cls, args, kwargs).copy()


_patterns: dict[tuple, VMobject] = {}  # a digit pattern's key -> the GlyphText first made of that pattern


def _key(cls, args: tuple, kwargs: dict) -> tuple:
    return (cls, args, tuple(sorted(kwargs.items())), config.pixel_width, config.pixel_height)


def _prototype(cls, args: tuple, kwargs: dict):
    """The first ``cls(*args, **kwargs)`` made at this frame size, kept unchanged (handed out only as copies)."""
    key = _key(cls, args, kwargs)
    if key not in _prototypes:
        _prototypes[key] = cls(*args, **kwargs)
    return _prototypes[key]


def axes_points(axes, *coords) -> np.ndarray:
    """Scene points (n, 3) of n coordinate tuples given as one array per axis: one vectorized
    ``axes.c2p`` call, the same numbers as a call per point (curves redrawn every frame spent most
    of their time in per-point calls)."""
    columns = [np.atleast_1d(np.asarray(c, dtype=float)) for c in coords]
    return np.asarray(axes.c2p(*columns), dtype=float).reshape(3, -1).T


def window_pieces(xs: Sequence[float], ys: Sequence[float], box) -> tuple[list[np.ndarray], list[tuple]]:
    """The parts of the polyline through ``(xs, ys)`` that lie inside ``box`` = ``((x0, y0), (x1, y1))``, each
    an ``(n, 2)`` array cut exactly where the line crosses the box's edge; and the exits: ``(point on the
    edge, direction out)`` wherever the line leaves the box.  Data that leave a window are never clamped to
    its edge (a false flat run); they leave it visibly (docs/authoring.md, "Presentation standard")."""
    (x0, y0), (x1, y1) = (np.broadcast_to(np.asarray(corner, dtype=float), (2,)) for corner in box)  # a number: both axes
    pts = np.column_stack([np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)])
    pieces: list[list[np.ndarray]] = []
    exits: list[tuple] = []
    current: list[np.ndarray] | None = None

    def clip(p, q):  # Liang–Barsky: the part of segment p→q inside the box, as fractions (t0, t1), or None
        d = q - p
        t0, t1 = 0.0, 1.0
        for num, den in ((p[0] - x0, -d[0]), (x1 - p[0], d[0]), (p[1] - y0, -d[1]), (y1 - p[1], d[1])):
            if den == 0:
                if num < 0:
                    return None
            else:
                t = num / den
                if den < 0:
                    t0 = max(t0, t)
                else:
                    t1 = min(t1, t)
        return (t0, t1) if t0 <= t1 else None

    for p, q in zip(pts[:-1], pts[1:]):
        if not (np.isfinite(p).all() and np.isfinite(q).all()):
            current = None
            continue
        part = clip(p, q)
        if part is None:
            current = None
            continue
        a, b = p + part[0] * (q - p), p + part[1] * (q - p)
        if current is None or part[0] > 0:
            current = [a]
            pieces.append(current)
        current.append(b)
        if part[1] < 1:  # the line leaves the box here
            exits.append((b, (q - p) / (np.linalg.norm(q - p) or 1.0)))
            current = None
    return [np.array(piece) for piece in pieces if len(piece) > 1], exits


def set_pieces(path: VMobject, axes, pieces: list[np.ndarray]) -> VMobject:
    """Make ``path`` the polylines through ``pieces`` (data coordinates of ``axes``), one subpath each."""
    path.clear_points()
    for k, piece in enumerate(pieces):
        placed = axes_points(axes, *piece.T)
        if k == 0:
            path.set_points_as_corners(placed)
        else:
            path.start_new_path(placed[0])
            path.add_points_as_corners(placed[1:])
    return path


def exit_marker(point, direction, color: str, size: float = 0.16) -> VMobject:
    """A small arrowhead at ``point`` (scene units) pointing along ``direction``: the data go on beyond the edge."""
    direction = np.asarray(direction, dtype=float)[:2]
    direction = direction / (np.linalg.norm(direction) or 1.0)
    normal = np.array([-direction[1], direction[0]])
    tip = np.asarray(point, dtype=float)[:2] + direction * size * 0.2
    base = tip - direction * size
    corners = [tip, base + normal * size * 0.55, base - normal * size * 0.55]
    head = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
    head.set_points_as_corners([np.append(c, 0.0) for c in corners + [tip]])
    return head


def polyline(axes, xs: Sequence[float], ys: Sequence[float], *, color: str, stroke_width: float = 5,
             max_points: int = 400) -> VMobject:
    """A curve through computed points (thinned to ``max_points``), drawn only inside the axes' window:
    where it leaves the y range it is cut at the edge and an arrowhead marks where it went on (never
    clamped to the edge); the arrowheads are the curve's submobjects."""
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    if len(xs) > max_points:
        idx = np.unique(np.linspace(0, len(xs) - 1, max_points).round().astype(int))
        xs, ys = xs[idx], ys[idx]
    y_min, y_max = axes.y_range[0], axes.y_range[1]
    curve = VMobject(stroke_color=color, stroke_width=stroke_width)
    if len(xs) and np.all((ys >= y_min) & (ys <= y_max)):
        curve.set_points_as_corners(axes_points(axes, xs, ys))
        return curve
    pieces, exits = window_pieces(xs, ys, ((min(xs.min(), axes.x_range[0]), y_min), (max(xs.max(), axes.x_range[1]), y_max)))
    set_pieces(curve, axes, pieces)
    for point, direction in exits:
        start, ahead = axes_points(axes, [point[0], point[0] + direction[0] * 1e-3],
                                   [point[1], point[1] + direction[1] * 1e-3])
        curve.add(exit_marker(start, ahead - start, color, size=0.04 * stroke_width ** 0.5 + 0.08))
    return curve


def merged(group: VMobject) -> VGroup:
    """``group``'s pieces drawn as one path per style (say, a scatter of ``Dot``s: one path per colour).

    The Cairo camera pays a fixed cost per mobject on every frame it redraws, so a scatter of a
    few hundred dots that stays on screen under an animated plot dominated those frames.  The
    merged paths have the same points and styles, so they look the same.
    """
    styles: dict[tuple, list] = {}
    for piece in group.family_members_with_points():
        key = (piece.fill_rgbas.tobytes(), piece.stroke_rgbas.tobytes(), float(piece.stroke_width),
               piece.background_stroke_rgbas.tobytes(), float(piece.background_stroke_width))
        styles.setdefault(key, []).append(piece)
    result = VGroup()
    for pieces in styles.values():
        path = VMobject()
        path.set_points(np.concatenate([piece.points for piece in pieces]))
        path.match_style(pieces[0])
        result.add(path)
    return result


def smooth_path(points, **style) -> VMobject:
    """A smooth curve through ``points`` (one path): the same curve as ``set_points_smoothly``,
    whose search for sub-paths compares every pair of points in Python and cost more than the
    drawing when a curve is rebuilt on every frame."""
    anchors = np.asarray(points, dtype=float)
    first, second = get_smooth_cubic_bezier_handle_points(anchors)
    path = VMobject(**style)
    path.set_anchors_and_handles(anchors[:-1], first, second, anchors[1:])
    return path


def dashed_polyline(points, num_dashes: int, dashed_ratio: float = 0.5, **style) -> VMobject:
    """A dashed line through ``points`` as one path with a sub-path per dash: the dashes of
    ``DashedVMobject(polyline, num_dashes, dashed_ratio)`` (equal lengths; the last dash ends at the
    end), without a copy of the whole curve per dash -- a growing dashed curve rebuilt every frame
    spent most of its time there -- and drawn as one mobject instead of one per dash."""
    points = np.asarray(points, dtype=float)
    cumulative = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
    total = cumulative[-1]
    path = VMobject(**style)
    if num_dashes < 1 or total <= 0:
        path.set_points_as_corners(points)
        return path
    dash = dashed_ratio / num_dashes
    gap = (1 - dashed_ratio) if num_dashes == 1 else (1 - dashed_ratio) / (num_dashes - 1)

    def at(s: float) -> np.ndarray:
        return np.array([np.interp(s, cumulative, points[:, k]) for k in range(points.shape[1])])

    for i in range(num_dashes):
        start, end = i * (dash + gap) * total, min((i * (dash + gap) + dash) * total, total)
        inside = points[(cumulative > start) & (cumulative < end)]
        path.start_new_path(at(start))
        path.add_points_as_corners([*inside, at(end)])
    return path


def stack(mobjects: Iterable, direction=DOWN, buff: float = 0.25, aligned_edge=LEFT) -> VGroup:
    return VGroup(*mobjects).arrange(direction, buff=buff, aligned_edge=aligned_edge)


__all__ = ["LectureScene", "polyline", "stack", "config", "UP", "DOWN"]


def redraw_on_change(make, key):
    """Like ``always_redraw``, but rebuilds (``become``) only when ``key()`` changes: a counter's Text is
    made once per new value, not once per frame."""
    mob = make()
    mob.key = key()

    def update(m):
        k = key()
        if k != m.key:
            m.become(make())
            m.key = k

    mob.add_updater(update)
    return mob
