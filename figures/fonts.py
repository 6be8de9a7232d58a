"""PDF font embedding for the CJK font: subset from a reduced copy with TrueType outlines.

A PDF figure embeds the subset of each font it uses (``pdf.fonttype: 42``: selectable text).
matplotlib makes that subset with fontTools from the font file, and Noto Sans CJK is a 19 MB
collection of 65,535 glyphs: reading its tables took ~0.3–0.5 s per font and PDF, about half the
time of the whole figure build.  Here each large font is first reduced, once per machine, to the
characters slides use (Latin, punctuation, symbols, Hangul: ~15,000 glyphs with the glyphs their
layout features reach), and cached next to matplotlib's own font cache; matplotlib's subsetting
then reads that copy.

matplotlib embeds every such font as a TrueType CID font (``CIDFontType2`` with ``FontFile2``), but
Noto Sans CJK's outlines are CFF, so the PDFs it writes from the original hold a font program other
than the one they declare (matplotlib issue #20870; poppler warns "Mismatch between font type and
embedded font file", stricter readers may refuse the font).  The reduced copy of a CFF font is
therefore given TrueType outlines (within half a font unit of the originals): the PDF then embeds
what it declares, with the same glyphs, widths and text placement (tested).  A figure that needs a
glyph outside the copy (a Hanja, say) is subset from the original file, and that subset of CFF
outlines is converted the same way (as is one of any other CFF font).
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import matplotlib
from matplotlib import font_manager

from engine.files import atomic_write_bytes

try:  # matplotlib ≥ 3.11: get_glyphs_subset(FontPath, glyph indices) -> SubsetResults
    from matplotlib.backends import _backend_pdf_ps
    _ORIGINAL = _backend_pdf_ps.get_glyphs_subset
    _SUPPORTED = hasattr(_backend_pdf_ps, "SubsetResults") and hasattr(font_manager, "FontPath")
except (ImportError, AttributeError):  # another matplotlib: it embeds fonts its own way
    _backend_pdf_ps, _ORIGINAL, _SUPPORTED = None, None, False

# what slide text is made of; a figure using anything else falls back to the full font
RANGES = ((0x0020, 0x024F),  # Latin
          (0x0370, 0x03FF),  # Greek
          (0x1100, 0x11FF),  # Hangul Jamo
          (0x2000, 0x2BFF),  # punctuation, super/subscripts, letterlike, arrows, math, shapes
          (0x3000, 0x303F),  # CJK symbols and punctuation
          (0x3130, 0x318F),  # Hangul compatibility Jamo
          (0xAC00, 0xD7A3),  # Hangul syllables
          (0xFF00, 0xFFEF))  # full-width forms
LARGE = 20_000  # glyphs: fonts with more are reduced
MAX_ERROR = 0.5  # font units (of 1000 per em): how far a converted outline may stray from the CFF one
_FORMAT = 2  # bump when the reduced copy is made differently


class Copy(NamedTuple):
    """A reduced copy: its file, and its glyphs as the original's indices (``kept[c]`` is the original
    index of the copy's glyph ``c``) with the inverse map."""
    path: str
    kept: list[int]
    index: dict[int, int]


_loaded: dict[tuple, Copy | None] = {}


def cache_dir() -> Path:
    """Where the reduced fonts live: beside matplotlib's font list (``LECTURE_FONT_CACHE`` overrides)."""
    return Path(os.environ.get("LECTURE_FONT_CACHE") or Path(matplotlib.get_cachedir()) / "lecture-fonts")


def _key(path: str, face_index: int) -> str:
    import fontTools

    stat = os.stat(path)
    spec = [os.path.realpath(path), face_index, stat.st_size, stat.st_mtime_ns, fontTools.version,
            matplotlib.__version__, RANGES, _FORMAT]
    return hashlib.sha256(json.dumps(spec).encode()).hexdigest()[:20]


def _build(path: str, face_index: int, font_file: Path, map_file: Path) -> None:
    """Reduce the font to ``RANGES`` (and what its layout features reach from them); write the copy and
    the list of original glyph indices it keeps, in order, each to a temporary name first."""
    from fontTools import subset

    options = subset.Options(glyph_names=True, recommended_glyphs=True)  # matplotlib's own options
    options.font_number = face_index
    font = subset.load_font(path, options)
    try:
        cmap = font.getBestCmap()
        subsetter = subset.Subsetter(options=options)
        subsetter.populate(unicodes=[u for lo, hi in RANGES for u in range(lo, hi + 1) if u in cmap])
        subsetter.subset(font)
        old_to_new = subsetter.glyph_index_map
        kept = sorted(old_to_new, key=old_to_new.get)
        if [old_to_new[g] for g in kept] != list(range(len(kept))):
            raise RuntimeError("the subsetter did not number the kept glyphs 0, 1, 2, …")
        if "CFF " in font:
            _to_truetype(font)
        data = _save(font)
    finally:
        font.close()
    atomic_write_bytes(font_file, data)
    atomic_write_bytes(map_file, json.dumps({"glyphs": kept, "sha256": hashlib.sha256(data).hexdigest()}).encode())


def _to_truetype(font) -> None:
    """Give a CFF-flavoured font TrueType outlines, in place: every glyph's cubic curves as quadratic
    ones within ``MAX_ERROR`` font units (fontTools' cu2qu), same glyph order, metrics and layout
    tables, no hints.  matplotlib embeds a font for ``pdf.fonttype: 42`` as a TrueType CID font
    (``CIDFontType2``, ``FontFile2``) whatever its outlines; Noto Sans CJK's are CFF, which viewers
    then read as a mismatch (matplotlib issue #20870).  Converted, the embedded font is what the PDF
    declares."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    outlines = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(None)
        outlines[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))  # TrueType winds clockwise
        glyf[name] = pen.glyph()
    for tag in ("CFF ", "VORG"):  # VORG: vertical origins, CFF fonts only
        if tag in font:
            del font[tag]
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names: a CID-keyed font's are only "cid01234"
    font.recalcBBoxes = True  # glyph, head, hhea and maxp bounds and counts from the new outlines
    font.sfntVersion = "\x00\x01\x00\x00"


def _save(font) -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    font.save(buffer, reorderTables=False)  # as matplotlib saves a subset: the tables keep their order
    return buffer.getvalue()


def _read(font_file: Path, map_file: Path) -> Copy | None:
    """The cached copy, or None when the entry is missing or corrupt."""
    try:
        entry = json.loads(map_file.read_text())
        if hashlib.sha256(font_file.read_bytes()).hexdigest() != entry["sha256"]:
            return None
        kept = [int(old) for old in entry["glyphs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Copy(str(font_file), kept, {old: new for new, old in enumerate(kept)})


def reduced(path: str, face_index: int = 0) -> Copy | None:
    """The reduced copy of a large font, made on first use; None for a font small enough to subset
    directly, or when no copy can be made."""
    key = (path, face_index)
    if key not in _loaded:
        _loaded[key] = None
        if font_manager.get_font(font_manager.FontPath(path, face_index)).num_glyphs > LARGE:
            try:
                _loaded[key] = _find_or_build(path, face_index)
            except Exception:  # the full font still works; only slower
                pass
    return _loaded[key]


def _find_or_build(path: str, face_index: int) -> Copy:
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{Path(path).stem}-{face_index}-{_key(path, face_index)}"
    font_file, map_file = folder / f"{stem}.ttf", folder / f"{stem}.json"
    copy = _read(font_file, map_file)
    if copy is None:
        with open(folder / f"{stem}.lock", "w") as lock:  # parallel workers: one builds, the others wait
            fcntl.flock(lock, fcntl.LOCK_EX)
            copy = _read(font_file, map_file)
            if copy is None:  # missing or corrupt: (re)made
                _build(path, face_index, font_file, map_file)
                copy = _read(font_file, map_file)
                if copy is None:
                    raise RuntimeError(f"could not cache a reduced copy of {path}")
                for stale in folder.glob(f"{Path(path).stem}-{face_index}-*"):  # made by an earlier version
                    if not stale.name.startswith(stem):
                        stale.unlink(missing_ok=True)
    return copy


def get_glyphs_subset(fontfile, glyphs):
    """matplotlib's ``get_glyphs_subset``, reading a large font's reduced copy when it has every glyph;
    a subset of CFF outlines made from the original file is given TrueType ones (see ``_to_truetype``)."""
    glyphs = set(glyphs)
    copy = reduced(fontfile.path, fontfile.face_index)
    if copy is None or not all(g in copy.index for g in glyphs):
        return _truetype(_ORIGINAL(fontfile, glyphs))
    return _from_copy(copy, glyphs)


@contextmanager
def _truetype(subsetting):
    with subsetting as subset:
        if "CFF " in subset.font:  # a few glyphs: converted in milliseconds
            _to_truetype(subset.font)
        yield subset


@contextmanager
def _from_copy(copy: Copy, glyphs):
    with _ORIGINAL(font_manager.FontPath(copy.path, 0), {copy.index[g] for g in glyphs}) as subset:
        # the map matplotlib gets is from the original font's glyph indices
        yield _backend_pdf_ps.SubsetResults(subset.font, {copy.kept[c]: s for c, s in subset.glyph_index_map.items()})


def install() -> bool:
    """Make matplotlib's PDF (and PS) backend subset large fonts from their reduced copy."""
    if not _SUPPORTED:
        return False
    _backend_pdf_ps.get_glyphs_subset = get_glyphs_subset
    return True
