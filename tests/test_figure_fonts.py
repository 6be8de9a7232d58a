"""PDF figures subset the CJK font from a reduced copy (figures/fonts.py): less time, the same
glyphs, and TrueType outlines where matplotlib declares a TrueType font."""
from __future__ import annotations

import io
import re
import zlib

import pytest
from fontTools.pens.areaPen import AreaPen
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from figures import base  # noqa: F401  (installs figures.fonts)
from figures import fonts

pytestmark = pytest.mark.skipif(not fonts._SUPPORTED, reason="this matplotlib embeds fonts its own way")

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends import _backend_pdf_ps  # noqa: E402

TEXT = "학습률 η에 따른 경사하강법: 손실 0.0123, 정확도 98.7% (검증) → 수렴 · 배치 정규화 ×"


def glyphs_of(fontpath, text: str) -> set[int]:
    font = font_manager.get_font(fontpath)
    return {font.get_char_index(ord(c)) for c in set(text) if font.get_char_index(ord(c))}


def embedded(subset_cm) -> tuple[bytes, dict]:
    with subset_cm as subset:
        return _backend_pdf_ps.font_as_file(subset.font).getvalue(), dict(subset.glyph_index_map)


@pytest.fixture
def spy(monkeypatch):
    """The font files matplotlib's own subsetting is asked to read."""
    calls, matplotlibs = [], fonts._ORIGINAL

    def original(fontfile, glyphs):
        calls.append(fontfile.path)
        return matplotlibs(fontfile, glyphs)

    monkeypatch.setattr(fonts, "_ORIGINAL", original)
    return calls


def cjk(weight: str):
    return font_manager.findfont(font_manager.FontProperties(family="Noto Sans CJK KR", weight=weight))


def outline(font: TTFont, index: int) -> tuple:
    """A glyph's advance width, bounds and signed area (clockwise TrueType and counter-clockwise CFF
    contours have opposite signs)."""
    name = font.getGlyphOrder()[index]
    glyph = font.getGlyphSet()[name]
    bounds, area = BoundsPen(font.getGlyphSet()), AreaPen(font.getGlyphSet())
    glyph.draw(bounds)
    glyph.draw(area)
    return font["hmtx"][name][0], bounds.bounds, area.value


@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_the_cjk_subset_is_read_from_the_reduced_copy_and_is_truetype(weight, spy):
    assert _backend_pdf_ps.get_glyphs_subset is fonts.get_glyphs_subset
    fontpath = cjk(weight)
    assert "CJK" in fontpath.path and font_manager.get_font(fontpath).num_glyphs > fonts.LARGE
    glyphs = glyphs_of(fontpath, TEXT)
    assert len(glyphs) > 30
    ours_data, ours_map = embedded(fonts.get_glyphs_subset(fontpath, glyphs))
    assert spy[-1] != fontpath.path and spy[-1].endswith(".ttf")  # the copy was read, not the 19 MB file
    theirs_data, theirs_map = embedded(fonts._ORIGINAL(fontpath, glyphs))
    # every glyph matplotlib's own subset has (a TrueType subset keeps a few more: .null, CR)
    assert glyphs <= set(theirs_map) <= set(ours_map) and len(ours_map) <= len(theirs_map) + 4
    ours, theirs = TTFont(io.BytesIO(ours_data)), TTFont(io.BytesIO(theirs_data))
    assert theirs.sfntVersion == "OTTO" and "CFF " in theirs  # what matplotlib alone embeds as TrueType
    assert ours.sfntVersion == "\x00\x01\x00\x00" and "glyf" in ours and "CFF " not in ours
    drawn = 0
    for glyph in sorted(theirs_map):
        (width, box, area), (width_cff, box_cff, area_cff) = (outline(ours, ours_map[glyph]),
                                                               outline(theirs, theirs_map[glyph]))
        assert width == width_cff
        assert (box is None) == (box_cff is None)
        if box is not None:  # within the conversion's tolerance (and a unit of rounding)
            assert max(abs(a - b) for a, b in zip(box, box_cff)) <= fonts.MAX_ERROR + 1
            assert area == pytest.approx(-area_cff, rel=0.01, abs=200)
            drawn += 1
    assert drawn > 30


def pdf_parts(pdf: bytes) -> tuple[list[bytes], list[bytes]]:
    """A PDF's embedded font programs and its page content streams (matplotlib compresses each)."""
    streams = []
    for raw in re.findall(rb"stream\n(.*?)\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    fonts_ = [s for s in streams if s[:4] in (b"\x00\x01\x00\x00", b"OTTO")]
    pages = [s for s in streams if b" Tf" in s and b"BT" in s]
    return fonts_, pages


def test_a_pdf_figure_declares_the_font_it_embeds_and_places_the_same_text(monkeypatch):
    import matplotlib.pyplot as plt

    def pdf() -> bytes:
        with base.style():
            fig = plt.figure(figsize=(4, 2))
            fig.suptitle("배치 정규화의 효과", fontweight="bold")
            fig.text(0.1, 0.4, TEXT, fontsize=8)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="pdf", metadata={"CreationDate": None, "Creator": None})
            plt.close(fig)
        return buffer.getvalue()

    ours = pdf()
    monkeypatch.setattr(_backend_pdf_ps, "get_glyphs_subset", fonts._ORIGINAL)
    theirs = pdf()
    assert b"/CIDFontType2" in ours and b"/FontFile2" in ours and b"NotoSansCJK" in ours
    ours_fonts, ours_pages = pdf_parts(ours)
    theirs_fonts, theirs_pages = pdf_parts(theirs)
    assert len(ours_fonts) == len(theirs_fonts) >= 2  # regular and bold
    assert all(f[:4] == b"\x00\x01\x00\x00" for f in ours_fonts)  # TrueType, as declared
    assert all(f[:4] == b"OTTO" for f in theirs_fonts)  # CFF declared as TrueType: matplotlib issue #20870
    assert ours_pages and ours_pages == theirs_pages  # the same glyphs at the same places
    widths = re.compile(rb"/W \[.*?\]\s*\]", re.S)
    assert widths.findall(ours) == widths.findall(theirs)


@pytest.fixture
def small_large_font(tmp_path, monkeypatch):
    """DejaVu Sans treated as a large font, with its reduced copy cached in a fresh folder."""
    monkeypatch.setenv("LECTURE_FONT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(fonts, "LARGE", 1000)
    monkeypatch.setattr(fonts, "_loaded", {})
    fontpath = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    assert font_manager.get_font(fontpath).num_glyphs > 1000
    return fontpath


def test_a_glyph_outside_the_copy_is_subset_from_the_original(small_large_font, spy):
    fontpath = small_large_font
    inside = glyphs_of(fontpath, "Loss 0.25 → minimum")
    outside = inside | glyphs_of(fontpath, "Ж")  # Cyrillic: not in fonts.RANGES
    embedded(fonts.get_glyphs_subset(fontpath, inside))
    assert spy[-1] != fontpath.path
    ours = embedded(fonts.get_glyphs_subset(fontpath, outside))
    assert spy[-1] == fontpath.path
    assert ours == embedded(fonts._ORIGINAL(fontpath, outside))


def test_a_hanja_is_subset_from_the_original_cjk_font_and_given_truetype_outlines(spy):
    fontpath = cjk("regular")
    glyphs = glyphs_of(fontpath, "學習率 학습률 η")  # Hanja: outside the reduced copy
    ours_data, ours_map = embedded(fonts.get_glyphs_subset(fontpath, glyphs))
    assert spy[-1] == fontpath.path  # the 19 MB original was read
    theirs_data, theirs_map = embedded(fonts._ORIGINAL(fontpath, glyphs))
    assert theirs_data[:4] == b"OTTO" and ours_data[:4] == b"\x00\x01\x00\x00"
    assert ours_map == theirs_map and glyphs <= set(ours_map)
    ours, theirs = TTFont(io.BytesIO(ours_data)), TTFont(io.BytesIO(theirs_data))
    assert "glyf" in ours and "CFF " not in ours
    drawn = 0
    for glyph in glyphs:
        (width, box, area), (width_cff, box_cff, area_cff) = (outline(ours, ours_map[glyph]),
                                                               outline(theirs, theirs_map[glyph]))
        assert width == width_cff and (box is None) == (box_cff is None)
        if box is not None:  # (the space has no outline)
            assert max(abs(a - b) for a, b in zip(box, box_cff)) <= fonts.MAX_ERROR + 1
            assert area == pytest.approx(-area_cff, rel=0.01)
            drawn += 1
    assert drawn == len(set("學習率학습률η"))


def test_a_corrupt_cached_copy_is_made_again(small_large_font, spy):
    fontpath = small_large_font
    glyphs = glyphs_of(fontpath, "Accuracy 97.5 %")
    first = embedded(fonts.get_glyphs_subset(fontpath, glyphs))
    (copy,) = (fonts.cache_dir()).glob("*.ttf")
    good = copy.read_bytes()
    copy.write_bytes(good[: len(good) // 2])  # a build killed while writing it by hand, say
    fonts._loaded.clear()  # a new process
    again = embedded(fonts.get_glyphs_subset(fontpath, glyphs))
    assert spy[-1] == str(copy) and copy.read_bytes() == good
    assert again == first == embedded(fonts._ORIGINAL(fontpath, glyphs))


def test_a_copy_made_for_other_ranges_is_replaced(small_large_font, monkeypatch):
    fontpath = small_large_font
    glyphs = glyphs_of(fontpath, "Loss")
    embedded(fonts.get_glyphs_subset(fontpath, glyphs))
    before = {p.name for p in fonts.cache_dir().glob("*.ttf")}
    monkeypatch.setattr(fonts, "RANGES", fonts.RANGES[:1])
    fonts._loaded.clear()
    embedded(fonts.get_glyphs_subset(fontpath, glyphs))
    after = {p.name for p in fonts.cache_dir().glob("*.ttf")}
    assert len(before) == len(after) == 1 and before != after
