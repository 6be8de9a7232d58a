"""``GlyphText``: Manim's ``Text``, with each glyph's outline parsed once per process.

Pango lays a string out as an SVG of glyph symbols placed by ``<use x= y=>``.  Manim parses the
whole file with svgelements and builds one mobject per placed glyph, for every string again: ~60 ms
per counter or label, most of it re-reading the same outlines.  A lecture's strings share a few
hundred glyphs, so ``GlyphText`` runs Manim's own parser once per distinct glyph (the glyphs a
string is the first to need in one SVG with the same root and the same enclosing styles as the real
file, each used at the origin; Manim's per-document cost is then paid once per string, not per
glyph, and the empty group it makes for every element is left out) and places copies at the
positions Pango chose, moved exactly as svgelements moves a ``<use>`` (translate, then the root's
viewBox map).  Colours do not move points: an outline parsed in one colour serves every other, with
the style of the first glyph parsed in that colour.  ``Text.__init__`` then closes every glyph's
outline in a Python loop over its points; ``GlyphText`` closes them where that loop would, with the
same arithmetic on all of a glyph's runs at once (``closed_outline``), and the loop finds them done.  Everything else is ``Text``'s own code: layout
and font by Pango, the outline closing, scaling, colours.  A file with anything but glyph symbols and ``<use>`` elements is parsed by Manim
as usual.  tests/test_render_speed.py compares the result with ``Text`` point by point.

Nothing of Manim is replaced: ``apply`` makes ``text_class`` answer ``GlyphText``, which the lecture's
scenes then make their text with (``scenes.base``); a counter's next value is made from its last layout
(``with_digits``) only then.
"""
from __future__ import annotations

import io
import weakref
import sys
import xml.etree.ElementTree as ET

import numpy as np
import svgelements as se
from manim import TAU, Mobject, Text, VGroup, logger
from manim.mobject.text.text_mobject import TEXT_MOB_SCALE_FACTOR
from manim.utils.space_ops import rotate_vector, rotation_matrix
from manim.mobject.svg.svg_mobject import SVGMobject

_XLINK = "{http://www.w3.org/1999/xlink}href"
_SVG = "{http://www.w3.org/2000/svg}"
_glyphs: dict[tuple, list] = {}      # (root, styles, defaults, symbol) -> styled glyph mobjects at x = y = 0
_maps: dict[tuple, np.ndarray] = {}   # (root, styles, defaults) -> scene vectors of SVG x and y
_shapes: dict[tuple, list] = {}       # (root, styles less their style attributes, symbol) -> parsed outlines
_looks: dict[tuple, object] = {}      # (root, styles, defaults, path attributes less d) -> a styled glyph
_X_AXIS = np.array([1.0, 0.0, 0.0])
_FLIP = rotation_matrix(TAU / 2, _X_AXIS)  # what rotate_vector makes for every glyph a flip turns


# the svgelements elements SVGMobject.get_mobjects_from turns into mobjects
SHAPES = (se.Path, se.SimpleLine, se.Rect, se.Circle, se.Ellipse, se.Polygon, se.Polyline, se.Text)


def parsed_as_manim(svg_mobject: SVGMobject, source: str) -> se.SVG:
    """``source`` parsed as ``SVGMobject.generate_mobject`` parses its file: through the mobject's
    ``modify_xml_tree`` (its style groups around the content), then svgelements."""
    tree = svg_mobject.modify_xml_tree(ET.ElementTree(ET.fromstring(source)))
    buffer = io.BytesIO()
    tree.write(buffer)
    buffer.seek(0)
    return se.SVG.parse(buffer)


def _without(attrs: tuple, name: str) -> tuple:
    return tuple(kv for kv in attrs if kv[0] != name)


def _tag(element) -> str:
    return element.tag[len(_SVG):] if element.tag.startswith(_SVG) else element.tag


def _attrs(element) -> tuple:
    return tuple(sorted((k, v) for k, v in element.attrib.items() if k != "id"))


class _OneGlyph(SVGMobject):
    """Manim's own SVG import of a document of glyphs (kept unflipped, uncentred, unscaled)."""

    def __init__(self, source: str, svg_default: dict, **kwargs):
        self._source = source
        super().__init__(file_name=None, should_center=False, height=None, svg_default=svg_default,
                         use_svg_cache=False, **kwargs)

    def generate_mobject(self):
        self.add(*self._shapes(parsed_as_manim(self, self._source)))
        return self

    def _shapes(self, svg) -> list:
        """The mobjects ``SVGMobject.get_mobjects_from`` returns, in its order, without the empty
        ``VGroup`` it makes for every element to look groups up by id (a glyph has no ids to look up)."""
        result, stack = [], [svg]
        while stack:
            element = stack.pop()
            if isinstance(element, (se.Group, se.Use)):
                stack.extend(element[::-1])
            if isinstance(element, SHAPES):
                try:  # as Manim: a shape it cannot import is logged and left out
                    mob = self.get_mob_from_shape_element(element)
                except Exception as error:
                    logger.error(f"Exception occurred in 'get_mobjects_from'. Details: {error}")
                    continue
                if mob is not None:
                    result.append(mob)
        return result

    def move_into_position(self):
        return self


def _document(root: ET.Element, styles: tuple, symbols: list, probe: str = "") -> str:
    """A minimal SVG: the real root, the uses' enclosing groups, each symbol used at x = y = 0 in turn
    (or a probe path)."""
    head = "".join(f' {k}="{v}"' for k, v in _attrs(root) if not k.startswith("{"))
    if symbols:
        defs = "<defs>" + "".join(ET.tostring(symbol, encoding="unicode") for symbol in symbols) + "</defs>"
        body = "".join(f'<use xlink:href="#{symbol.get("id")}" x="0" y="0"/>' for symbol in symbols)
    else:
        defs, body = "", f'<path d="{probe}"/>'
    for attrs in reversed(styles):
        body = "<g" + "".join(f' {k}="{v}"' for k, v in attrs) + f">{body}</g>"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"{head}>'
            f"{defs}{body}</svg>")


def _keys(root_key: tuple, styles: tuple, defaults: tuple, symbol: ET.Element) -> tuple:
    """The cache keys of ``symbol`` in ``styles``: (its paths' attributes, style key, glyph key, shape key)."""
    paths = tuple(_attrs(path) for path in symbol)
    key = (root_key, styles, defaults)
    unstyled = tuple(_without(attrs, "style") for attrs in styles)
    return paths, key, key + (_attrs(symbol), paths), (root_key, unstyled, _attrs(symbol), paths)


def closed_outline(points: np.ndarray) -> np.ndarray:
    """The points ``Text.__init__`` gives a glyph when it closes its outline (Cairo's cubic curves): after
    each curve that does not end where the next begins, and after the last, a straight line back to
    where that run of curves began, its handles at a third and two thirds; computed for all runs at
    once with the same arithmetic (Manim appends point by point in a Python loop)."""
    n = len(points)
    ends = np.arange(3, n - 1, 4)
    ends = ends[np.any(points[ends] != points[ends + 1], axis=1)]
    starts = np.concatenate([[0], ends + 1])
    ends = np.concatenate([ends, [n - 1]])
    a, b = points[ends], points[starts]
    lines = np.stack([a, (a + a + b) / 3, (a + b + b) / 3, b], axis=1)
    pieces = []
    for k, (start, end) in enumerate(zip(starts.tolist(), ends.tolist())):
        pieces += [points[start:end + 1], lines[k]]
    return np.concatenate(pieces)


class GlyphText(Text):
    """``Text`` whose glyph outlines are parsed once per process (see the module docstring)."""

    def move_into_position(self):
        """Manim's placing, then the outlines closed as ``Text.__init__`` closes them next (the same
        points, see ``closed_outline``), which its loop then finds done (``__iter__``)."""
        super().move_into_position()
        # with ligatures disabled, Text first regroups the glyphs by character (spaces become empty
        # dots, which its loop closes too): that case is left to its loop
        if self.n_points_per_curve == 4 and not self.disable_ligatures:
            for each in super().__iter__():
                if len(each.points):
                    each.points = closed_outline(each.points)
            self._outlines_closed = True
        return self

    def __iter__(self):
        if self.__dict__.pop("_outlines_closed", False):  # Text.__init__'s closing loop: already done
            return iter(())
        return super().__iter__()

    def generate_mobject(self):
        placed = self._placed_glyphs()
        if placed is None:  # not a plain Pango layout: Manim's own import
            return super().generate_mobject()
        self.add(*placed)
        self.id_to_vgroup_dict = {"root": VGroup(*placed)}
        self._flip_y()
        return self

    def _flip_y(self) -> None:
        """``self.flip(RIGHT)`` (as ``SVGMobject.generate_mobject``: flip y), with the rotation matrix
        that turns each glyph's sheen direction made once instead of once per glyph: the same matrix,
        the same products as ``rotate_vector``."""
        for mob in self.get_family():  # VMobject.rotate_sheen_direction
            direction = mob.sheen_direction
            mob.sheen_direction = (_FLIP @ direction if len(direction) == 3
                                   else rotate_vector(direction, TAU / 2, _X_AXIS))
        Mobject.rotate(self, TAU / 2, _X_AXIS)  # the points, as VMobject.rotate goes on

    def _placed_glyphs(self) -> list | None:
        root = ET.parse(self.get_file_path()).getroot()
        symbols: dict[str, ET.Element] = {}
        uses: list[tuple[ET.Element, tuple]] = []

        def walk(element, styles: tuple, in_defs: bool) -> bool:
            for child in element:
                tag = _tag(child)
                if tag == "defs" or (in_defs and tag == "g"):
                    if not walk(child, styles, True):
                        return False
                elif in_defs and tag == "symbol":
                    if any(_tag(p) != "path" or len(p) for p in child):
                        return False
                    symbols[child.get("id")] = child
                elif not in_defs and tag == "g":
                    if not walk(child, styles + (_attrs(child),), False):
                        return False
                elif not in_defs and tag == "use":
                    uses.append((child, styles))
                else:
                    return False
            return True

        if not walk(root, (), False):
            return None
        root_key = _attrs(root)
        defaults = tuple(sorted(self.generate_config_style_dict().items()))
        self._parse_ahead(root, root_key, defaults, symbols, uses)
        placed, outlines, offsets = [], [], []
        for use, styles in uses:
            symbol = symbols.get((use.get(_XLINK) or "").lstrip("#"))
            if symbol is None or set(use.attrib) - {_XLINK, "x", "y"}:
                return None
            key = (root_key, styles, defaults)
            glyph = self._glyph(root, styles, key, symbol)
            if not glyph:  # a space: Manim adds no mobject for an empty outline
                continue
            axes = _maps.get(key)
            if axes is None:
                axes = _maps[key] = self._svg_axes(root, styles)
            offset = float(use.get("x", 0)) * axes[0] + float(use.get("y", 0)) * axes[1]
            for mob in glyph:
                copy = mob.copy()
                copy.points = copy.points + offset
                placed.append(copy)
                outlines.append(mob)
                offsets.append(offset)
        _LAYOUTS[self] = (outlines, offsets)
        return placed

    def _parse_ahead(self, root: ET.Element, root_key: tuple, defaults: tuple, symbols: dict, uses: list) -> None:
        """Parse the outlines of this string that no earlier string parsed in one document per style
        (Manim's import of a document costs about as much again as the outlines in it); a glyph
        without an outline (a space), or a document whose paths do not come back one mobject each,
        is left to ``_glyph``, which parses a glyph alone."""
        pending: dict[tuple, dict] = {}  # styles -> glyph key -> (symbol, paths, key, shape key)
        for use, styles in uses:
            symbol = symbols.get((use.get(_XLINK) or "").lstrip("#"))
            if symbol is None:
                continue
            paths, key, glyph_key, shape_key = _keys(root_key, styles, defaults, symbol)
            if (glyph_key in _glyphs or shape_key in _shapes or not paths
                    or not all(dict(path).get("d", "").strip() for path in paths)):
                continue
            pending.setdefault(styles, {})[glyph_key] = (symbol, paths, key, shape_key)
        for styles, batch in pending.items():
            if len(batch) < 2:
                continue
            mobjects = list(_OneGlyph(_document(root, styles, [b[0] for b in batch.values()]),
                                      self.svg_default).submobjects)
            if len(mobjects) != sum(len(b[1]) for b in batch.values()):
                continue
            for glyph_key, (_, paths, key, shape_key) in batch.items():
                glyph, mobjects = mobjects[:len(paths)], mobjects[len(paths):]
                _shapes[shape_key] = _glyphs[glyph_key] = glyph
                for path, mob in zip(paths, glyph):
                    _looks.setdefault(key + (_without(path, "d"),), mob)

    def _glyph(self, root: ET.Element, styles: tuple, key: tuple, symbol: ET.Element) -> list:
        """The glyph's mobjects at x = y = 0 in the style ``key``: its outline is parsed once for all
        styles (colours do not move points), its style is that of the first glyph parsed in it."""
        paths, _, glyph_key, shape_key = _keys(key[0], key[1], key[2], symbol)
        glyph = _glyphs.get(glyph_key)
        if glyph is not None:
            return glyph
        shape = _shapes.get(shape_key)
        looks = [_looks.get(key + (_without(path, "d"),)) for path in paths]
        if shape is not None and not shape:
            glyph = []  # a space: no outline in any style
        elif shape is not None and len(shape) == len(paths) and all(look is not None for look in looks):
            glyph = []
            for outline, look in zip(shape, looks):
                mob = look.copy()  # the style's exemplar, with this glyph's outline
                mob.points = outline.points.copy()
                mob.path_obj = outline.path_obj
                glyph.append(mob)
        else:
            glyph = list(_OneGlyph(_document(root, styles, [symbol]), self.svg_default).submobjects)
            if shape is None:
                _shapes[shape_key] = glyph
            if len(glyph) == len(paths):  # one mobject per path: each path's style can serve others
                for path, mob in zip(paths, glyph):
                    _looks.setdefault(key + (_without(path, "d"),), mob)
        _glyphs[glyph_key] = glyph
        return glyph

    def _svg_axes(self, root: ET.Element, styles: tuple) -> np.ndarray:
        """Where SVG's unit x and y vectors land: svgelements' root viewBox map, measured on a probe."""
        probe = _OneGlyph(_document(root, styles, [], probe="M 0 0 L 1 0 L 0 1"), self.svg_default)
        anchors = probe.submobjects[0].points[[0, 3, 7]]  # (0,0), (1,0), (0,1): the line ends
        return np.stack([anchors[1] - anchors[0], anchors[2] - anchors[0]])


# each GlyphText's glyphs as placed: the cached glyph at x = y = 0 and the vector added to its points
_LAYOUTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# fonts whose digits are tabular and kern with nothing, so that a string's other glyphs keep their places
# whatever its digits are (Pango's layout of the lecture's font: tests/test_render_speed.py)
TABULAR_DIGITS = frozenset({"Noto Sans CJK KR"})
DIGITS = "0123456789"
# strings whose last ten glyphs are DIGITS in each form Pango draws them in: alone, and after a Latin letter
REFERENCES = (DIGITS, "a" + DIGITS)
_PLAIN = frozenset({"font", "font_size", "color", "weight", "slant"})  # settings that keep Text's own steps


def _spaceless(text: str) -> str:
    return text.replace(" ", "").replace("\n", "")  # Text.text: a glyph per character left


def digit_pattern(text: str) -> str:
    """``text`` with every digit 0: strings of one pattern differ only in their digits."""
    return "".join("0" if "0" <= c <= "9" else c for c in text)


def pattern_of(text: str, settings: dict) -> str | None:
    """``digit_pattern(text)`` where ``GlyphText(text, **settings)`` can be made by ``with_digits`` from
    another string of its pattern (digits in a font of ``TABULAR_DIGITS``, plain settings); else None."""
    if (any("0" <= c <= "9" for c in text) and settings.keys() <= _PLAIN
            and settings.get("font") in TABULAR_DIGITS):
        return digit_pattern(text)
    return None


def with_digits(prototype: GlyphText, references: list[GlyphText], text: str) -> GlyphText | None:
    """``GlyphText(text, **settings)``, made from ``prototype``, a ``GlyphText`` of a string of the same
    ``digit_pattern`` in those settings, and ``references``, ``GlyphText``s of ``REFERENCES`` in them;
    None where it cannot be.

    In a font of ``TABULAR_DIGITS`` Pango places every glyph of such a string where it places it in the
    prototype; only the outlines of the digits that differ change.  Pango draws digits in one of a few
    forms, chosen by the characters around them (the form ``DIGITS`` takes alone, another after a Latin
    letter): a digit's outline is the one of the reference whose outline of the digit it replaces is the
    prototype's.  The glyphs so placed then go through Text's own steps, each with Manim's arithmetic, on
    all the points at once: turned about their centre (``_flip_y``), centred, closed (``closed_outline``)
    and scaled by ``TEXT_MOB_SCALE_FACTOR``, each centre found from the anchors as Manim finds it.  The
    result is ``GlyphText(text)`` number for number (tests compare every point and frames drawn), without
    the layout, the SVG file, its parse and Manim's passes over one glyph at a time: a counter's new value
    costs a copy of the prototype and a few array operations."""
    old = prototype.original_text
    layout = _LAYOUTS.get(prototype)
    if (layout is None or len(old) != len(text) or digit_pattern(old) != digit_pattern(text) or "\t" in text
            or prototype.disable_ligatures or prototype.n_points_per_curve != 4):
        return None
    outlines, offsets = list(layout[0]), layout[1]
    old_chars, chars = _spaceless(old), _spaceless(text)
    if not len(prototype.submobjects) == len(old_chars) == len(outlines):
        return None  # not one glyph per character (a ligature, a glyph of several paths)
    for k, (was, now) in enumerate(zip(old_chars, chars)):
        if was != now:
            form = _form_of(outlines[k].points, int(was), references)
            if form is None:
                return None
            outlines[k] = form[int(now)]
    placed = [glyph.points + offset for glyph, offset in zip(outlines, offsets)]  # as _placed_glyphs does
    if any(len(points) == 0 or len(points) % 4 for points in placed):
        return None
    points = np.concatenate(placed)
    about = _centre(points)  # _flip_y: Mobject.rotate about the centre
    points -= about
    points = np.dot(points, _FLIP.T)
    points += about
    points += -_centre(points)  # SVGMobject.move_into_position: Mobject.center
    ends = np.cumsum([len(p) for p in placed])[:-1]
    closed = [closed_outline(part) for part in np.split(points, ends)]  # GlyphText.move_into_position
    points = np.concatenate(closed)
    about = _centre(points)  # Text.__init__: self.scale(TEXT_MOB_SCALE_FACTOR)
    points -= about
    points = TEXT_MOB_SCALE_FACTOR * points
    points += about
    made = prototype.copy()
    for glyph, part, outline, before in zip(made.submobjects, np.split(points, np.cumsum([len(c) for c in closed])[:-1]),
                                            outlines, layout[0]):
        glyph.points = part.copy()  # an array of its own, as Text gives every glyph
        if outline is not before:
            glyph.path_obj = outline.path_obj
    made.original_text, made.text = text, chars
    made.initial_height = made.height
    return made


def _centre(points: np.ndarray) -> np.ndarray:
    """``get_center`` of glyphs whose points these are (their anchors' middle, as Manim computes it)."""
    anchors = np.concatenate([points[0::4], points[3::4]])
    return (np.min(anchors, axis=0) + np.max(anchors, axis=0)) / 2


def _form_of(outline: np.ndarray, digit: int, references: list[GlyphText]) -> list | None:
    """The cached glyphs of ``DIGITS`` in the reference whose outline of ``digit`` is ``outline``."""
    for reference in references:
        layout = _LAYOUTS.get(reference)
        if layout is None or not reference.original_text.endswith(DIGITS) or len(layout[0]) < 10:
            continue
        digits = layout[0][-10:]
        if digits[digit].points is outline or np.array_equal(digits[digit].points, outline):
            return digits
    return None


ACTIVE = False  # set by apply(): scenes make their text as GlyphText


def text_class() -> type:
    """The class the lecture's text is made with: ``GlyphText`` once applied, else Manim's ``Text``."""
    return GlyphText if ACTIVE else Text


def apply() -> None:
    from manim_speedups._patching import patch

    patch(sys.modules[__name__], "ACTIVE", True)
