"""Shared helpers for slide figures: the style, provenance footers and atomic saving."""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Iterable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from figures import fonts  # noqa: E402
from lecture import theme  # noqa: E402
from lecture.text import t  # noqa: E402

fonts.install()  # PDFs subset the CJK font from a reduced copy (see figures/fonts.py)

FORMATS = ("png", "svg", "pdf")
logging.getLogger("fontTools").setLevel(logging.ERROR)  # font subsetting chatter when writing PDF


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
    """A small footer naming how the numbers were computed."""
    first = next(iter(results))
    meta = first.meta
    text = t("common.computed_by", lang, torch=meta["versions"]["torch"], device=meta["device"], seed=meta["seed"])
    fig.text(0.995, 0.005, text, ha="right", va="bottom", fontsize=9, color="#5F6670")


def save(fig, stem: Path, formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write ``stem.png``/``.svg``/``.pdf``, each to a temporary name first, then rename."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    fit_footers(fig)
    written = []
    for fmt in formats:
        target = stem.with_name(f"{stem.name}.{fmt}")
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".{fmt}", dir=target.parent)
        os.close(fd)
        try:
            with style():  # generic font families resolve at draw time
                fig.savefig(tmp, format=fmt, dpi=theme.DPI, metadata=_metadata(fmt))
            _keep_layout(fig)
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    plt.close(fig)
    return written


_FOOTER_GAP_PT = 12  # the least room between the note and the provenance footer


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
    else at spaces; then give the footer strip below the layout the height of the note's lines."""
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
        left, low, span, height = engine.get()["rect"]
        box = note.get_window_extent(renderer)
        needed = (box.y1 + 2 * fig.dpi / 72) / fig.bbox.height  # the note's top and 2 points above it
        if needed > low:
            engine.set(rect=(left, needed, span, height - (needed - low)))


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
