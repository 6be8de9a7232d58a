"""``MathTex`` with each glyph's outline parsed once per process (``apply``).

dvisvgm writes a formula as an SVG of glyph outlines (``<path id= d=>`` in ``<defs>``, numbered per
document: ``g3-48``) placed by ``<use x= y=>``, with ``<rect>`` for fraction bars and root signs and
``<g id='uniqueNNN'>`` around the parts ``MathTex`` looks up.  Manim parses the whole file with
svgelements and builds a mobject per placed glyph, and a ``VGroup`` per element for
``id_to_vgroup_dict``, for every string again: ~6 ms per axis number or formula, most of it
re-reading the same few dozen outlines.  ``apply`` gives ``SingleStringMathTex`` (``MathTex``,
``Tex``, ``DecimalNumber``, the axes' numbers) a ``generate_mobject`` that runs Manim's own import
once per distinct outline and places copies.  An outline is keyed by its ``d``, the style attributes
of its enclosing groups and of the root, the ``svg_default`` style and the ``path_string_config``
(never by its id); the outlines and rects a string is the first to need are parsed together in one
small document (per group style), each outline used at x = y = 0 inside the same style groups, the
rects as they are (a ``<use>`` does not move them), and found again by their ids.

Placing is exact, not approximate.  Manim replaces the root element (``modify_xml_tree`` keeps only
its style attributes), so the viewBox maps nothing and a ``<use x y>`` is svgelements'
``translate(x, y)``: each point of the outline becomes ``px * 1 + py * 0 + x`` (``px + x``).  A glyph
keeps its outline's points (``anchors``) and how ``VMobjectFromSVGPath.handle_commands`` makes its
Bézier points of them (a point itself, or ``(a + b + c) / 3`` for the handles of lines and quadratic
curves: the same sums in the same order), checked against Manim's points at x = y = 0; a placed copy
takes those sums on ``anchors + (x, y)``, the very numbers Manim computes.  Whether a ``Z`` adds a
closing line (Manim: farther than 1e-4) is decided again on the moved points; where that decision or
the recipe differs, Manim's ``handle_commands`` makes the copy's points.  A copy's ``path_obj`` is
the outline moved with svgelements' arithmetic (``_moved``), with this file's id: the path Manim's
import keeps, number for number.  Colours and widths are the parsed outline's (the same styles).

``id_to_vgroup_dict`` is rebuilt in Manim's order: its walk over the elements (the svg element,
Manim's two style groups, then the file's groups, uses, glyphs and rects, each named by its id or
``numbered_group_N``), each group holding the shapes below it.  ``self.flip(RIGHT)`` and everything
``SingleStringMathTex`` does after are Manim's.  A file with anything else (another element or
attribute, a transform, a ``style``, a number with a unit) and the OpenGL renderer are imported by
Manim as usual.  tests/test_render_speed.py compares the result with Manim's import.
"""
from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

import numpy as np
import svgelements as se
from manim import RIGHT, Mobject, VGroup, config
from manim.constants import RendererType
from manim.mobject.svg.svg_mobject import SVGMobject, VMobjectFromSVGPath
from manim.mobject.text.tex_mobject import SingleStringMathTex

from manim_speedups._patching import patch
from manim_speedups.glyph_text import SHAPES, _XLINK, _attrs, _tag, parsed_as_manim

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
# style attributes a group may carry (inherited by its shapes, reproduced around the parsed
# outlines); Manim keeps these of the root (and ``style``, which is left to Manim)
_GROUP_STYLE = frozenset({"fill", "fill-opacity", "stroke", "stroke-opacity", "stroke-width", "color",
                          "fill-rule"})
_ROOT_STYLE = ("fill", "fill-opacity", "stroke", "stroke-opacity", "stroke-width")
_RECT = frozenset({"x", "y", "width", "height"})
_CLOSE = 0.0001  # VMobjectFromSVGPath.handle_commands: a Z farther than this adds a closing line

_glyphs: dict[tuple, "_Glyph"] = {}  # (style key, d) -> the outline as Manim imports it at x = y = 0
_rects: dict[tuple, "_Shape"] = {}   # (style key, rect attributes) -> Manim's rect mobject
_empty_group: list = []              # a VGroup() to copy (Manim makes one per element)
_manims_generate = SVGMobject.generate_mobject

# SVGMobject's methods the import goes through: a class that overrides one is left to Manim
_IMPORTER = ("modify_xml_tree", "generate_config_style_dict", "get_mobjects_from",
             "get_mob_from_shape_element", "path_to_mobject", "rect_to_mobject", "apply_style_to_mobject",
             "handle_transform")


class _Fallback(Exception):
    pass


class _Shape:
    """An element as Manim imports it: ``present`` (svgelements keeps it: a degenerate one is
    dropped, and gets no group) and its mobject (None: no points, Manim adds nothing)."""

    __slots__ = ("present", "mob")

    def __init__(self, present: bool, mob):
        self.present, self.mob = present, mob


class _Glyph(_Shape):
    """An outline at x = y = 0, with the recipe of its points (see the module docstring)."""

    __slots__ = ("path", "anchors", "size", "direct", "sources", "derived", "triples", "closes", "closing")

    def __init__(self, present: bool, mob):
        super().__init__(present, mob)
        self.path = getattr(mob, "path_obj", None)
        self.anchors = None  # no recipe: points by Manim's handle_commands
        if type(mob) is VMobjectFromSVGPath and isinstance(self.path, se.Path):
            self._read_recipe()

    def _read_recipe(self) -> None:
        """Walk the outline as ``handle_commands`` (four points per curve) does, noting for each point
        it appends which anchors it is made of; kept only if it gives the template's very points."""
        anchors: list = []
        rows: list = []  # (anchor,) or (a, b, c): (T[a] + T[b] + T[c]) / 3
        closes: list = []
        move = true_move = None

        def anchor(point) -> int:
            anchors.append((point[0], point[1], 0.0))
            return len(anchors) - 1

        def line(start, end):
            rows.extend([(start,), (start, start, end), (start, end, end), (end,)])

        for segment in self.path:
            kind = segment.__class__
            if kind is se.Move:
                move = true_move = anchor(segment.end)
            elif move is None:
                return
            elif kind is se.Line:
                end = anchor(segment.end)
                line(move, end)
                move = end
            elif kind is se.QuadraticBezier:
                control, end = anchor(segment.control), anchor(segment.end)
                rows.extend([(move,), (move, control, control), (control, control, end), (end,)])
                move = end
            elif kind is se.CubicBezier:
                first, second, end = anchor(segment.control1), anchor(segment.control2), anchor(segment.end)
                rows.extend([(move,), (first,), (second,), (end,)])
                move = end
            elif kind is se.Close:
                if true_move is None:
                    return
                at = np.array(anchors[move]) - np.array(anchors[true_move])
                closing = abs(np.linalg.norm(at)) > _CLOSE
                closes.append((move, true_move, closing))
                if closing:
                    line(move, true_move)
                    move = true_move
            else:  # an arc: left to Manim's own loop
                return
        if not rows:
            return
        self.anchors = np.array(anchors, dtype=float)
        direct = [(row, index[0]) for row, index in enumerate(rows) if len(index) == 1]
        derived = [(row, index) for row, index in enumerate(rows) if len(index) == 3]
        self.direct = np.array([row for row, _ in direct], dtype=np.intp)
        self.sources = np.array([index for _, index in direct], dtype=np.intp)
        self.derived = np.array([row for row, _ in derived], dtype=np.intp)
        self.triples = np.array([index for _, index in derived], dtype=np.intp).reshape(-1, 3).T
        self.closes = np.array([(a, b) for a, b, _ in closes], dtype=np.intp).reshape(-1, 2).T
        self.closing = np.array([c for _, _, c in closes], dtype=bool)
        self.size = len(rows)
        at_origin = self.points_at(0.0, 0.0)
        if at_origin is None or at_origin.shape != self.mob.points.shape or not np.array_equal(at_origin, self.mob.points):
            self.anchors = None

    def points_at(self, x: float, y: float):
        """The points ``handle_commands`` makes of the outline moved by (x, y), or None where a closing
        line's decision differs from the template's (then Manim's loop makes them)."""
        moved = self.anchors + np.array([x, y, 0.0])
        if len(self.closing):
            gaps = moved[self.closes[0]] - moved[self.closes[1]]
            lengths = np.sqrt(np.einsum("ij,ij->i", gaps, gaps))
            closing = lengths > _CLOSE
            for k in np.flatnonzero(np.abs(lengths - _CLOSE) < 1e-9):  # Manim's own test where it is close
                closing[k] = abs(np.linalg.norm(gaps[k])) > _CLOSE
            if not np.array_equal(closing, self.closing):
                return None
        points = np.empty((self.size, 3))
        points[self.direct] = moved[self.sources]
        a, b, c = self.triples
        points[self.derived] = (moved[a] + moved[b] + moved[c]) / 3
        return points

    def placed(self, x: float, y: float, name: str):
        """A copy of the glyph's mobject where a ``<use x y xlink:href=#name>`` puts it."""
        path = _moved(self.path, x, y, name)
        points = None if self.anchors is None else self.points_at(x, y)
        mob = _copy(self.mob, {id(self.path): path, id(self.mob.points): points})
        mob.path_obj = path  # (a deep copy that shares the parsed path may have put the template's)
        if points is None:
            VMobjectFromSVGPath.handle_commands(mob)
        return mob


_POINTS = ("start", "end", "control", "control1", "control2")


def _moved(path: se.Path, x: float, y: float, name: str) -> se.Path:
    """The parsed outline as svgelements parses it in a ``<use x y xlink:href=#name>``: each point
    ``px * a + py * c + 1 * e`` (``translate(x, y)``: a = 1, c = 0, e = x), the path's other attributes
    as the outline's, this file's id.  Made directly (as ``Path.__copy__`` and ``reify`` would, at a
    fraction of their time): the test compares every number and attribute with svgelements' own."""
    moving = x != 0 or y != 0  # svgelements: a use at 0, 0 adds no translate
    segments = []
    for segment in path._segments:
        moved = object.__new__(segment.__class__)
        attributes = moved.__dict__
        attributes.update(segment.__dict__)
        for key in _POINTS:
            point = attributes.get(key)
            if point is not None:
                attributes[key] = new = object.__new__(se.Point)
                new.x, new.y = ((point.x * 1.0 + point.y * 0.0 + 1 * x, point.x * 0.0 + point.y * 1.0 + 1 * y)
                                if moving else (point.x, point.y))
        segments.append(moved)
    result = object.__new__(se.Path)
    attributes = result.__dict__
    attributes.update(path.__dict__)
    values = attributes["values"] = dict(path.values)
    if moving:
        values[se.SVG_ATTR_TRANSFORM] = "translate(%s, %s)" % (x, y)
    values.update({se.SVG_ATTR_ID: name, _XLINK: "#" + name, "attributes": dict(values["attributes"], id=name)})
    attributes.update(_segments=segments, id=name, transform=se.Matrix(path.transform), stroke=se.Color(path.stroke),
                      fill=se.Color(path.fill))
    return result


def _copy(mob, memo: dict | None = None):
    """``mob.copy()`` (Manim's deep copy) without the ``original_id`` a copy gets (and the mobjects in
    it: a rect's ``grid_lines``): as Manim made it.  ``memo`` maps values of ``mob`` to what the copy
    takes instead."""
    memo = {k: v for k, v in (memo or {}).items() if v is not None}
    result = copy.deepcopy(mob, memo)
    for value in memo.values():
        if isinstance(value, Mobject):
            value.__dict__.pop("original_id", None)
    return result


def _element(tag: str, attrs: tuple, inner: str | None = None) -> str:
    head = tag + "".join(f" {k}={quoteattr(v)}" for k, v in attrs)
    return f"<{head}/>" if inner is None else f"<{head}>{inner}</{tag}>"


def _number(value: str | None) -> float:
    if value is None:
        return 0.0
    if not _NUMBER.fullmatch(value):
        raise _Fallback
    return float(value)


class _Plan:
    """The file read in Manim's order: what each element becomes."""

    def __init__(self, root: ET.Element):
        if _tag(root) != "svg" or "style" in root.attrib:
            raise _Fallback
        self.root_style = tuple((k, root.get(k)) for k in _ROOT_STYLE if k in root.attrib)
        self.defs: dict[str, str] = {}  # glyph id -> d
        self.items: list = []           # (depth, name or None, kind, styles, attributes)
        for child in root:
            if _tag(child) == "defs":
                self._defs(child)
        self._walk(root, 4, ())  # below the root, Manim's two style groups and the svg element

    def _defs(self, defs: ET.Element) -> None:
        if defs.attrib:
            raise _Fallback
        for path in defs:
            if _tag(path) != "path" or set(path.attrib) != {"id", "d"} or len(path) or path.get("id") in self.defs:
                raise _Fallback
            self.defs[path.get("id")] = path.get("d")

    def _walk(self, parent: ET.Element, depth: int, styles: tuple) -> None:
        for child in parent:
            tag = _tag(child)
            if tag == "defs" and depth == 4:
                continue
            if len(child) and tag != "g":
                raise _Fallback
            if tag == "g":
                if set(child.attrib) - _GROUP_STYLE - {"id"}:
                    raise _Fallback
                self.items.append((depth, child.get("id"), "g", styles, None))
                style = _attrs(child)
                self._walk(child, depth + 1, styles + (style,) if style else styles)
            elif tag == "use":
                href = child.get(_XLINK) or ""
                if set(child.attrib) - {"x", "y", _XLINK} or href[1:] not in self.defs or href[:1] != "#":
                    raise _Fallback
                self.items.append((depth, None, "use", styles, (_number(child.get("x")), _number(child.get("y")),
                                                               href[1:])))
            elif tag == "rect":
                if not set(child.attrib) <= _RECT:
                    raise _Fallback
                for k in child.attrib:
                    _number(child.get(k))
                self.items.append((depth, None, "rect", styles, tuple(sorted(child.attrib.items()))))
            else:
                raise _Fallback


def _handles(mob) -> bool:
    cls = type(mob)
    return (config.renderer == RendererType.CAIRO and mob.n_points_per_curve == 4
            and all(getattr(cls, name) is getattr(SVGMobject, name) for name in _IMPORTER))


def _empty() -> VGroup:
    if not _empty_group:
        _empty_group.append(VGroup())
    return _copy(_empty_group[0])


def generate_mobject(self):
    """``SVGMobject.generate_mobject`` from glyphs parsed once (see the module docstring)."""
    if not _handles(self):
        return _manims_generate(self)
    try:
        plan = _Plan(ET.parse(self.get_file_path()).getroot())
        shapes = _shapes(self, plan)
    except _Fallback:
        return _manims_generate(self)
    result: list = []
    groups: dict[str, list] = {"root": []}
    stack = ["root"]
    numbered = 0

    def visit(depth: int, name: str | None, mob=None) -> None:
        nonlocal stack, numbered
        stack = stack[:depth]
        if name is None:
            name = f"numbered_group_{numbered}"
            numbered += 1
        groups[name] = []
        stack.append(name)
        if mob is not None:
            result.append(mob)
            for parent in stack[:-1]:
                members = groups[parent]
                if not (members and members[-1] is mob):  # Mobject.add keeps one
                    members.append(mob)

    for depth in (1, 2, 3):  # the svg element, Manim's style groups (config, root)
        visit(depth, None)
    for (depth, name, kind, _, data), shape in zip(plan.items, shapes):
        if kind == "g":
            visit(depth, name)
        elif kind == "use":
            visit(depth, None)
            if shape.present:
                visit(depth + 1, data[2], None if shape.mob is None else shape.placed(*data))
        elif shape.present:
            visit(depth, None, None if shape.mob is None else _copy(shape.mob))
    self.add(*result)
    vgroups = {}
    for name, members in groups.items():
        vgroups[name] = group = _empty()
        if members:
            group.add(*members)
    self.id_to_vgroup_dict = vgroups
    self.flip(RIGHT)  # Flip y
    return self


def _shapes(self, plan: _Plan) -> list:
    """For each item of the plan its parsed shape (None for groups); what no earlier string parsed
    is parsed now, in one document per style chain."""
    base = (tuple(sorted(self.generate_config_style_dict().items())),
            tuple(sorted((k, repr(v)) for k, v in self.path_string_config.items())), plan.root_style)
    keys = []
    pending: dict[tuple, dict] = {}  # styles -> key -> ("use", glyph id) / ("rect", attributes)
    for _, _, kind, styles, data in plan.items:
        if kind == "use":
            key = (base, styles, "use", plan.defs[data[2]])
            cache = _glyphs
        elif kind == "rect":
            key = (base, styles, "rect", data)
            cache = _rects
        else:
            keys.append(None)
            continue
        keys.append(key)
        if key not in cache:
            pending.setdefault(styles, {})[key] = data[2] if kind == "use" else data
    for styles, batch in pending.items():
        _parse(self, plan, styles, batch)
    return [None if key is None else (_glyphs if key[2] == "use" else _rects)[key] for key in keys]


def _parse(self, plan: _Plan, styles: tuple, batch: dict) -> None:
    """Manim's import of a document of the batch's outlines (each used at x = y = 0) and rects, in
    the file's root and group styles; the shapes are found again by their ids."""
    defs, body, ids = [], [], {}
    for n, (key, data) in enumerate(batch.items()):
        if key[2] == "use":
            ids[key] = data
            defs.append(_element("path", (("id", data), ("d", plan.defs[data]))))
            body.append(_element("use", (("xlink:href", "#" + data),)))
        else:
            ids[key] = name = f"glyph-tex-rect-{n}"
            body.append(_element("rect", data + (("id", name),)))
    inner = "".join(body)
    for attrs in reversed(styles):
        inner = _element("g", attrs, inner)
    source = _element("svg", (("xmlns", "http://www.w3.org/2000/svg"), ("xmlns:xlink", "http://www.w3.org/1999/xlink"))
                      + plan.root_style, _element("defs", (), "".join(defs)) + inner)
    svg = parsed_as_manim(self, source)
    found: dict[str, object] = {}
    names = set(ids.values())
    stack = [svg]
    while stack:  # as SVGMobject.get_mobjects_from walks
        element = stack.pop()
        if isinstance(element, (se.Group, se.Use)):
            stack.extend(element[::-1])
        if isinstance(element, SHAPES):
            name = element.values.get("id")
            if name not in names or name in found:
                raise _Fallback
            try:  # Manim logs a shape it cannot import and leaves it out: left to Manim
                found[name] = self.get_mob_from_shape_element(element)
            except Exception:
                raise _Fallback
    for key, name in ids.items():
        present = name in found
        if key[2] == "use":
            glyph = _Glyph(present, found.get(name))
            if glyph.mob is not None and glyph.path is None:
                raise _Fallback
            _glyphs[key] = glyph
        else:
            _rects[key] = _Shape(present, found.get(name))


def apply() -> None:
    """``SingleStringMathTex`` (and ``MathTex``, ``Tex``, Manim's numbers) imports glyphs once."""
    patch(SingleStringMathTex, "generate_mobject", generate_mobject)
