"""PDF figures subset the CJK font from a reduced copy (figures/fonts.py): same bytes, less time."""
from __future__ import annotations

import io

import pytest

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


@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_the_cjk_subset_embedded_is_byte_identical_and_read_from_the_reduced_copy(weight, spy):
    assert _backend_pdf_ps.get_glyphs_subset is fonts.get_glyphs_subset
    fontpath = cjk(weight)
    assert "CJK" in fontpath.path and font_manager.get_font(fontpath).num_glyphs > fonts.LARGE
    glyphs = glyphs_of(fontpath, TEXT)
    assert len(glyphs) > 30
    ours = embedded(fonts.get_glyphs_subset(fontpath, glyphs))
    assert spy[-1] != fontpath.path and spy[-1].endswith(".otf")  # the copy was read, not the 19 MB file
    theirs = embedded(fonts._ORIGINAL(fontpath, glyphs))
    assert ours[1] == theirs[1] and glyphs <= set(ours[1])
    assert ours[0] == theirs[0]


def test_a_pdf_figure_is_the_same_file_with_the_reduced_copy(monkeypatch):
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
    assert b"FontFile2" in ours and b"NotoSansCJK" in ours
    assert ours == theirs


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


def test_a_corrupt_cached_copy_is_made_again(small_large_font, spy):
    fontpath = small_large_font
    glyphs = glyphs_of(fontpath, "Accuracy 97.5 %")
    first = embedded(fonts.get_glyphs_subset(fontpath, glyphs))
    (copy,) = (fonts.cache_dir()).glob("*.otf")
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
    before = {p.name for p in fonts.cache_dir().glob("*.otf")}
    monkeypatch.setattr(fonts, "RANGES", fonts.RANGES[:1])
    fonts._loaded.clear()
    embedded(fonts.get_glyphs_subset(fontpath, glyphs))
    after = {p.name for p in fonts.cache_dir().glob("*.otf")}
    assert len(before) == len(after) == 1 and before != after
