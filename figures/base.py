"""Shared helpers for slide figures: the style, the note and provenance footers, atomic saving, and the
data tags that say which result array each plotted artist shows.

Data tags
---------
Every artist a figure draws from the results names what it shows in its ``gid`` (``gid=`` to ``plot``,
``bar``, ``scatter``, ``imshow``, ``stairs``; ``artist.set_gid``), and tests/test_figure_data.py draws
every figure of the manifest and checks each tagged artist's data against the arrays named.  A tag is
``"decor"`` or one or more ``field=reference`` separated by spaces::

    ax.plot(x, res["df/sigmoid"], gid="y=activations:df/sigmoid x=activations:x")
    ax.imshow(grid[r, c], gid=f"y=augmentation:grid[{r},{c}]")
    draw_path(ax, path, colour, gid="xy=optimizers:textbook/Adam|finite")

A *reference* is ``result:key`` (a result id the figure ``needs`` and one of its arrays), then an
optional index in brackets, ``[3]``, ``[:,2]``, ``[-1,4]``, or a mask, ``[y==0]``, ``[stage==1,0]`` (an
array of the same result compared with an integer); several keys joined by commas are one array, their
values one after another (``xor:mlp/b2,mlp/W2``).  Then transforms, each after a ``|``, applied in
order: ``finite`` (drop non-finite values; of pairs, the rows with one), ``clip(c)`` (to [−c, c]),
``mean0``/``sum0`` (over the first axis), ``share`` (divided by its sum), ``plus(key)`` (add another
array or scalar of the result), ``trailing-mean(n)``/``centred-mean(n)`` (figures/smoothing.py).

The *fields* say what the reference is compared with:

* ``y``: what the artist shows: a line's y values, a scatter's y, bar heights (a horizontal bar's
  widths), a histogram's (``stairs``) values, an image's pixels;
* ``x``: where: a line's x values, a scatter's x, bar centres, a histogram's edges;
* ``xy``: a line's or a scatter's points as (x, y) pairs;
* ``line``: (a, b), the line runs along y = a + b·x;  ``zero``: (w0, w1, w2), w0 + w1·x + w2·y = 0;
* ``l1``/``l2``: the line's points lie at this distance from the origin (a constraint's diamond, circle).

The rule for untagged artists: images, histograms and bars are data, always; a line or a scatter is
data when it has more than ``HANDFUL`` (5) points, and then it needs a tag.  Fewer points (a marker on
a minimum, a guide through two points, ``axhline``/``axvline``) need none.  An artist with more points
that the results do not draw (a function drawn from its formula, an input plane's coordinates) is tagged
``"decor"``.  Contours, fills, patches, tables and texts are not checked.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from engine.files import atomic_path  # noqa: E402
from figures import fonts  # noqa: E402
from lecture import theme  # noqa: E402
from lecture.text import t  # noqa: E402

fonts.install()  # PDFs subset the CJK font from a reduced copy (see figures/fonts.py)

FORMATS = ("png", "svg", "pdf")
logging.getLogger("fontTools").setLevel(logging.ERROR)  # font subsetting chatter when writing PDF
NOTE = dict(ha="left", va="bottom", fontsize=14, color="#5F6670")  # the note at the bottom left
MIN_POINTS = 14.0  # the least text size on a 16:9 slide the figure fills: legible from the back of a lecture hall
HANDFUL = 5  # a line or a scatter with more points than this draws data: it needs a data tag


def style():
    """The lecture's matplotlib style as a context manager."""
    return plt.style.context(str(theme.MPL_STYLE))


def new_figure(**kwargs):
    kwargs.setdefault("figsize", theme.FIGSIZE)
    fig = plt.figure(**kwargs)
    # leave a strip at the bottom for the note and provenance footers
    fig.set_layout_engine("constrained", rect=(0, 0.035, 1, 0.965))
    return fig


def provenance(fig, results: Iterable, lang: str) -> None:
    """A small footer naming how the numbers were computed, and the published settings they depart from."""
    from lecture import reference

    results = list(results)
    meta = results[0].meta
    text = t("common.computed_by", lang, torch=meta["versions"]["torch"], device=meta["device"], seed=meta["seed"])
    # every published setting the drawn results depart from (lecture/reference_settings.toml), named
    found = [d for r in results for d in reference.departures(r.meta.get("experiment", r.id), r.settings)]
    if found:
        text = reference.describe(found, lang) + "\n" + text
    fig.text(0.995, 0.005, text, ha="right", va="bottom", fontsize=14, color="#5F6670", multialignment="right")


def footnote(fig, text: str) -> None:
    """The note at the bottom left: how the results were computed (settings, data)."""
    fig.text(0.005, 0.005, text, **NOTE)


def save(fig, stem: Path, formats: Iterable[str] = FORMATS, *, footers_fitted: bool = False) -> list[Path]:
    """Write ``stem.png``/``.svg``/``.pdf``, each to a temporary name first, then rename; the footers are
    fitted first unless the caller did (``footers_fitted``: render.py fits them to check the layout).  The
    data tags (``gid``) are dropped first: the files are as they were without them."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    for artist in fig.findobj(lambda a: a.get_gid() is not None):
        artist.set_gid(None)  # the data tags are for the tests: an SVG would write them as ids
    if not footers_fitted:
        fit_footers(fig)
    written = []
    for fmt in formats:
        target = stem.with_name(f"{stem.name}.{fmt}")
        with atomic_path(target, suffix=f".{fmt}") as tmp, style():  # generic font families resolve at draw time
            fig.savefig(tmp, format=fmt, dpi=theme.DPI, metadata=_metadata(fmt))
            _keep_layout(fig)
        written.append(target)
    plt.close(fig)
    return written


def clear_corner(ax, text, corners=("upper left", "lower right", "upper right", "lower left"), inset: float = 0.03):
    """Put ``text`` (an artist placed in ``ax``'s axes coordinates) in the first of ``corners`` where no
    curve plotted in ``ax`` runs through it (when none is clear, the one they cross least); return that
    corner.  For a formula or a box of numbers whose best place depends on the curve the results drew.
    Call it when the figure is complete (limits, titles, notes): it lays the figure out to measure."""
    ax.figure.draw_without_rendering()  # limits and layout as they will be drawn
    to_axes = ax.transData + ax.transAxes.inverted()
    points = []
    for line in ax.get_lines():  # the plotted curves: not axhline/axvline, which span the axes
        if line.get_visible() and line.get_transform() == ax.transData and len(line.get_xydata()) > 1:
            xy = to_axes.transform(np.asarray(line.get_xydata(), dtype=float))
            xy = xy[np.all(np.isfinite(xy), axis=1)]
            if len(xy) < 2:
                continue
            # every 0.004 of the axes along the line (a straight line has two vertices)
            along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
            at = np.linspace(0.0, along[-1], max(2, int(along[-1] / 0.004) + 1))
            points.append(np.column_stack([np.interp(at, along, xy[:, 0]), np.interp(at, along, xy[:, 1])]))
    points = np.concatenate(points) if points else np.empty((0, 2))
    renderer = ax.figure.canvas.get_renderer()

    def place(corner: str) -> int:  # the curves' points under the text there
        vertical, horizontal = corner.split()
        text.set_position((inset if horizontal == "left" else 1 - inset, 1 - inset if vertical == "upper" else inset))
        text.set_ha(horizontal)
        text.set_va("top" if vertical == "upper" else "bottom")
        text.update_bbox_position_size(renderer)
        patch = text.get_bbox_patch()  # the text's ground, where it has one, covers more than its glyphs
        extent = patch.get_window_extent(renderer) if patch is not None else text.get_window_extent(renderer)
        box = extent.transformed(ax.transAxes.inverted()).expanded(1.1, 1.15)
        return int(np.sum((points[:, 0] > box.x0) & (points[:, 0] < box.x1) & (points[:, 1] > box.y0)
                          & (points[:, 1] < box.y1)))

    crossed = {}
    for corner in corners:
        crossed[corner] = place(corner)
        if not crossed[corner]:
            return corner
    best = min(corners, key=crossed.get)  # none is clear: the one the curves cross least
    place(best)
    return best


_SHARE_PX = 2.0  # pixels (at the figure's dpi) two text boxes may share in both directions: glyph boxes have margins
_GAP_PT = 2.0    # points: the least room between two texts side by side or one above the other
_REACH_PX = 1.0  # pixels a text's box may reach past the figure's edge


def drawn_texts(fig) -> list:
    """Draw ``fig`` as saving draws it; the visible, non-empty texts drawn, with their boxes in pixels."""
    from matplotlib.text import Text

    drawn = []
    original = Text.draw

    def draw(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            box = self.get_window_extent(renderer)
            if box.width > 0 and box.height > 0:
                drawn.append((self, box))

    Text.draw = draw
    try:
        with style():
            fig.canvas.draw()
    finally:
        Text.draw = original
    return drawn


def layout_problems(fig) -> list[str]:
    """The texts of ``fig`` set below ``MIN_POINTS`` on the slide it fills, those that leave the figure or
    their table's cell, and the pairs that overlap or lie closer than 2 points (render.py reports them for each figure it builds; tests/test_figure_layout.py
    requires none)."""
    boxes = drawn_texts(fig)
    width, height = fig.bbox.width, fig.bbox.height
    gap = _GAP_PT * fig.dpi / 72
    found = []
    on_slide = theme.FIGSIZE[0] / fig.get_figwidth()  # a figure is shown filling a 16:9 slide's width
    for text, _ in boxes:
        points = text.get_fontsize() * on_slide
        if points < MIN_POINTS - 0.05:
            found.append(f"{text.get_text()[:40]!r} is set at {points:.1f} pt on a slide, below {MIN_POINTS:g} pt")
    for text, box in boxes:
        if box.x0 < -_REACH_PX or box.y0 < -_REACH_PX or box.x1 > width + _REACH_PX or box.y1 > height + _REACH_PX:
            found.append(f"{text.get_text()[:40]!r} leaves the figure ({[round(v) for v in box.extents]})")
    drawn = dict((id(text), box) for text, box in boxes)
    for ax in fig.axes:
        for table in ax.tables:
            for (row, column), cell in table.get_celld().items():
                box = drawn.get(id(cell.get_text()))
                if box is None:
                    continue
                edges = cell.get_window_extent(fig.canvas.get_renderer())
                if box.x0 < edges.x0 - _REACH_PX or box.x1 > edges.x1 + _REACH_PX:
                    found.append(f"{cell.get_text().get_text()[:40]!r} leaves its table cell ({row}, {column}): "
                                 f"{box.width:.0f} px in a cell {edges.width:.0f} px wide")
    for index, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[index + 1:]:
            across = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
            up = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
            if (across > -gap and up > _SHARE_PX) or (up > -gap and across > _SHARE_PX):
                found.append(f"{a.get_text()[:30]!r} and {b.get_text()[:30]!r} meet "
                             f"({across:.0f} px across, {up:.0f} px up)")
    return found


_FOOTER_GAP_PT = 12  # the least room between the note and the provenance footer


def wrap_to_width(text, width: float) -> None:
    """Break ``text`` (a figure text) into lines no wider than ``width``, a share of the figure's width, at
    `` · `` separators or else at spaces; its existing line breaks stay."""
    fig = text.get_figure()
    with style():
        renderer = fig.canvas.get_renderer()
        room = width * fig.bbox.width
        lines = []
        for line in text.get_text().split("\n"):
            lines.extend(_break_to_width(text, line, room, renderer))
        text.set_text("\n".join(lines))


def _footers(fig):
    """The note at the bottom left and the provenance footer at the bottom right, where both exist."""
    bottom = [text for text in fig.texts if text.get_position()[1] <= 0.01 and text.get_va() == "bottom"
              and text.get_text().strip()]
    left = [text for text in bottom if text.get_ha() == "left"]
    right = [text for text in bottom if text.get_ha() == "right"]
    return (left[0], right[0]) if left and right else (None, None)


def fit_footers(fig) -> None:
    """Break the note at the bottom left into more lines where it would run into the provenance footer
    at the bottom right (long notes, or a language whose note is longer), at its ``·`` separators or
    else at spaces; then give the footer strip below the layout the height of the taller footer."""
    note, stamp = _footers(fig)
    if note is None:
        return
    with style():
        renderer = fig.canvas.get_renderer()
        gap = _FOOTER_GAP_PT * fig.dpi / 72
        room = stamp.get_window_extent(renderer).x0 - note.get_window_extent(renderer).x0 - gap
        if note.get_window_extent(renderer).width > room > 0:
            lines = []
            for line in note.get_text().split("\n"):
                lines.extend(_break_to_width(note, line, room, renderer))
            note.set_text("\n".join(lines))
        engine = fig.get_layout_engine()
        if engine is None or "rect" not in engine.get():
            return
        margin = 2 * fig.dpi / 72
        left, low, span, height = engine.get()["rect"]
        # the footers' top (the note's, or the provenance stamp's when it has more lines) and 2 points above it
        top_of = lambda: max(note.get_window_extent(renderer).y1, stamp.get_window_extent(renderer).y1)  # noqa: E731
        needed = (top_of() + margin) / fig.bbox.height
        if needed > low:
            engine.set(rect=(left, needed, span, height - (needed - low)))
        # the layout may still set an axis's lowest texts (a formula's descent, an axes of fixed aspect)
        # lower than the strip: raise the strip by what they reach into it
        for _ in range(3):
            fig.draw_without_rendering()
            lowest = min((text.get_window_extent(renderer).y0 for text in _lowest_texts(fig)), default=None)
            top = top_of() + margin
            if lowest is None or lowest >= top - 0.5:
                break
            left, low, span, height = engine.get()["rect"]
            step = (top - lowest + 1) / fig.bbox.height
            engine.set(rect=(left, low + step, span, height - step))


def _lowest_texts(fig):
    """The texts at the bottom of each axes: its x axis's name and the tick labels it draws."""
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison:
            continue
        label = ax.xaxis.label
        if label.get_visible() and label.get_text().strip():
            yield label
        low, high = sorted(ax.get_xlim())
        for tick in ax.xaxis.get_major_ticks():
            if tick.label1.get_visible() and tick.label1.get_text().strip() and low <= tick.get_loc() <= high:
                yield tick.label1


def _break_to_width(text, line: str, room: float, renderer) -> list[str]:
    """``line`` as lines no wider than ``room`` pixels in ``text``'s font: whole `` · ``-separated
    phrases first, words where a phrase alone is too wide."""
    def width(content: str) -> float:
        text.set_text(content)
        return text.get_window_extent(renderer).width

    out: list[str] = []
    for separator in ("  ·  ", " · ", " "):
        pieces = line.split(separator)
        if len(pieces) < 2:
            continue
        current = pieces[0]
        out = []
        for piece in pieces[1:]:
            joined = current + separator + piece
            if width(joined) <= room:
                current = joined
            else:
                out.append(current)
                current = piece
        out.append(current)
        if all(width(part) <= room for part in out):
            return out
    return out or [line]


def _keep_layout(fig) -> None:
    """After the first format: the other formats keep the layout it was drawn with.  A layout engine
    lays the figure out again on every ``savefig`` (constrained layout, three formats per figure: the
    lecture's figure build took 108 s instead of 99 s), starting from the last layout and with each
    backend's own text metrics, so the PNG, SVG and PDF differed in where their axes sat (rasterized,
    a PDF differed from its PNG in up to a tenth of its pixels)."""
    if fig.get_layout_engine() is not None:
        fig.set_layout_engine("none")


def _metadata(fmt: str) -> dict:
    if fmt == "png":
        return {"Software": "lecture figures (matplotlib)"}
    if fmt == "pdf":
        return {"Creator": "lecture figures (matplotlib)"}
    return {}


# --------------------------------------------------------------------------- data tags (see the docstring)
TAG_FIELDS = ("y", "x", "xy", "line", "zero", "l1", "l2")


def _split_top(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside brackets and parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _index(res, inside: str):
    items = []
    for item in _split_top(inside, ","):
        item = item.strip()
        if "==" in item:
            name, value = item.split("==")
            items.append(np.asarray(res[name.strip()]) == int(value))
        elif ":" in item:
            items.append(slice(*(int(v) if v.strip() else None for v in item.split(":"))))
        else:
            items.append(int(item))
    return tuple(items)


def _array(res, term: str) -> np.ndarray:
    """``key`` or ``key[index]`` of one result."""
    key, bracket, inside = term.partition("[")
    value = np.asarray(res[key.strip()])
    if bracket:
        value = value[_index(res, inside.rstrip()[:-1])]
    return np.asarray(value, dtype=float)


def _transform(value: np.ndarray, step: str, res) -> np.ndarray:
    from figures.smoothing import centred_mean, trailing_mean

    name, _, arg = step.partition("(")
    arg = arg[:-1] if arg else ""
    if name == "finite":
        return value[np.isfinite(value).all(axis=1)] if value.ndim == 2 else value[np.isfinite(value)]
    if name == "clip":
        return np.clip(value, -float(arg), float(arg))
    if name == "mean0":
        return value.mean(0)
    if name == "sum0":
        return value.sum(0)
    if name == "share":
        return value / value.sum()
    if name == "plus":
        return value + _array(res, arg)
    if name == "trailing-mean":
        return trailing_mean(value, int(arg))
    if name == "centred-mean":
        return centred_mean(value, int(arg))
    raise ValueError(f"unknown transform '{step}' in a data tag")


def reference(text: str, results) -> np.ndarray:
    """The array a tag's reference names (``result:key[index]|transform…``), from ``results`` ({id: Result})."""
    source, _, rest = text.partition(":")
    if source not in results:
        raise KeyError(f"data tag '{text}' names result '{source}', which the figure does not need")
    res = results[source]
    head, *steps = _split_top(rest, "|")
    terms = _split_top(head, ",")
    value = np.concatenate([_array(res, term).ravel() for term in terms]) if len(terms) > 1 else _array(res, head)
    for step in steps:
        value = _transform(value, step.strip(), res)
    return value


def parse_tag(gid: str) -> dict[str, str]:
    """``"y=a:b x=a:c"`` → ``{"y": "a:b", "x": "a:c"}``; ``"decor"`` → ``{}``."""
    if gid.strip() == "decor":
        return {}
    fields = {}
    for part in gid.split():
        name, eq, ref = part.partition("=")
        if not eq or name not in TAG_FIELDS or ":" not in ref or name in fields:
            raise ValueError(f"'{part}' in data tag '{gid}' is not field=result:key (fields: {', '.join(TAG_FIELDS)})")
        fields[name] = ref
    return fields
