"""The manifest, the text table and the theme."""
from __future__ import annotations

import importlib
import re
import string
from pathlib import Path

import numpy as np
import pytest

from lecture import manifest, text, theme

ROOT = Path(__file__).resolve().parents[1]


def test_manifest_is_consistent():
    assert manifest.validate() == []
    assert [c.number for c in manifest.CHAPTERS] == list(range(1, 17))
    assert manifest.CHAPTERS[1].ko == "신경망" and manifest.CHAPTERS[12].en == "Batch normalization"


def test_manifest_targets_exist_and_experiments_are_registered():
    import engine

    registry = engine.load_experiments()
    for topic in manifest.TOPICS:
        for exp in topic.experiments:
            assert exp in registry, exp
            assert registry[exp].topic == topic.id, exp
        for item in (*topic.figures, *topic.scenes):
            module, attr = item.target.split(":")
            assert hasattr(importlib.import_module(module), attr), item.target
        for scene in topic.scenes:
            assert scene.id == scene.target.split(":")[1]


def test_select():
    assert [t.id for t in manifest.select("activations")] == ["activations"]
    assert "activations" in [t.id for t in manifest.select("2")]
    assert manifest.select(None) == list(manifest.TOPICS)
    with pytest.raises(ValueError, match="unknown topic"):
        manifest.select("activations,nope")
    with pytest.raises(ValueError, match="chapter 17"):
        manifest.select("17")


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_every_string_has_both_languages_with_the_same_placeholders():
    table = text.table()
    assert table
    for key, entry in table.items():
        assert set(entry) == {"ko", "en"}, f"{key} lacks a language"
        assert placeholders(entry["ko"]) == placeholders(entry["en"]), key
        assert entry["ko"].strip() and entry["en"].strip(), key


def test_keys_used_in_code_exist():
    table = text.table()
    prefixes = {key.split(".")[0] for key in table}
    literal = re.compile(r"""["']((?:%s)\.[a-z0-9_.\-]+)["']""" % "|".join(map(re.escape, prefixes)))
    used = set()
    for folder in ("scenes", "figures"):
        for path in (ROOT / folder).glob("*.py"):
            used |= {m.group(1) for m in literal.finditer(path.read_text())}
    prefixes_of_keys = {k.rsplit(".", 1)[0] for k in table}  # e.g. "dl-history.rows" for text.rows()
    missing = sorted(k for k in used if k not in table and k not in prefixes_of_keys and not k.endswith("."))
    assert not missing, f"keys used in code but not in lecture/strings: {missing}"


def test_lookup_and_errors():
    assert text.t("activations.title", "ko") == "활성화 함수"
    assert text.t("activations.title", "en") == "Activation functions"
    with pytest.raises(KeyError):
        text.t("activations.nope", "ko")
    with pytest.raises(ValueError):
        text.t("activations.title", "fr")


def test_number_format():
    assert text.fmt(0.25, 3) == "0.25"
    assert text.fmt(1.0, 3) == "1"
    assert text.fmt(0.25 ** 10, 3) == "9.5×10⁻⁷"
    assert text.fmt(310.4, 2) == "310" and text.fmt(99.7, 2) == "100"  # never %g's 3.1e+02
    assert text.fmt(-2.5e5 - 0.5, 3) == "-2.5×10⁵"
    assert text.fmt(407050, 4) == "407,050"  # counts are written out
    # in a label set in the lecture's font, a minus is a minus (−), as the scenes' counters write it
    assert text.signed(-0.29634, 3) == "−0.296" and text.signed(0.581, 3) == "0.581"
    assert text.signed(-2.5e5 - 0.5, 3) == "−2.5×10⁵" and text.signed(-1e-10) == "−10⁻¹⁰"
    # the same numbers for LaTeX (MathTex) and matplotlib's mathtext; plain numbers stay plain
    assert text.tex_number(0.25 ** 10, 3) == r"9.5\times 10^{-7}"
    assert text.math_number(0.25 ** 10, 3) == r"$\mathregular{9.5\times 10^{-7}}$"
    assert text.math_number(0.25, 3) == text.tex_number(0.25, 3) == "0.25"
    # a power of ten itself is written as one (a step h = 10⁻⁶, not 1.00×10⁻⁶); only an exact one
    assert text.fmt(1e-6) == "10⁻⁶" and text.fmt(-1e-10) == "-10⁻¹⁰" and text.fmt(1.0004e-6) == "1.00×10⁻⁶"
    assert text.fmt(np.float32(1e-5)) == "10⁻⁵"  # as a float32 setting comes back (9.99999974738e-06)
    assert text.tex_number(1e-6) == "10^{-6}" and text.math_number(1e-10) == r"$\mathregular{10^{-10}}$"
    # a mantissa with the digits 10 in it, and numbers that merely contain 10, are read correctly
    assert text.tex_number(1.1e-5, 3) == r"1.1\times 10^{-5}" and text.tex_number(1.10e-5) == r"1.10\times 10^{-5}"
    assert text.tex_number(110) == text.math_number(110) == "110" and text.tex_number(10.5) == "10.5"
    # accuracies set side by side keep their decimals (fmt would drop the zero of 0.810 and write 1)
    assert [text.accuracy(v) for v in (0.81, 0.8809, 1.0, np.float32(0.0991))] == ["0.810", "0.881", "1.000", "0.099"]
    assert text.fixed(-0.22071, 4) == "\u22120.2207" and text.fixed(0.5, 2) == "0.50"  # a column's numbers, true minus


def test_number_format_options():
    """The options the scenes' formulas, subtitles and labels use instead of formatters of their own."""
    # decimals: exactly that many, never a power of ten; ASCII minus (LaTeX, subtitles), fixed has the true one
    assert text.fmt(-1.5, decimals=3) == "-1.500" and text.fmt(2.5e-7, decimals=2) == "0.00"
    assert text.fmt(123456.0, decimals=1) == "123456.0" and text.fixed(-1.5, 3) == "\u22121.500"
    assert text.tex_number(-0.12345, decimals=4) == "-0.1235"
    # a negative factor or term written out in a formula, in parentheses
    assert text.tex_number(-0.12345, decimals=4, bracket_negative=True) == "(-0.1235)"
    assert text.tex_number(0.5, decimals=1, bracket_negative=True) == "0.5"
    assert text.tex_number(-1.1e-5, 3, bracket_negative=True) == r"(-1.1\times 10^{-5})"
    # grouping: whole numbers from 1,000 with separators (a standard deviation grown through layers)
    assert [text.fmt(v, 2, grouping=True) for v in (16481.97, 2287.7, 999.7, 311.3, 5.79)] == \
        ["16,482", "2,288", "1,000", "311", "5.8"]
    assert text.fmt(-2287.7, 2, grouping=True) == "-2,288" and text.fmt(2287.7, 2) == "2288"
    assert text.fmt(1.5e5 + 0.5, 2, grouping=True) == "1.5×10⁵"  # a power of ten stays one


def test_figure_numbers_with_a_power_of_ten_are_set_in_the_figures_font():
    """mathtext lays out the power, in the text's font (Noto Sans CJK has ×, − and the digits), not
    Computer Modern beside Noto Sans words."""
    import matplotlib
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    from figures.base import style

    with style():
        prop = FontProperties(family=matplotlib.rcParams["font.family"])
        for value in (6.3e-4, -2.5e5 - 0.5, 1.26e-5):
            parsed = MathTextParser("path").parse(text.math_number(value, 2), prop=prop)
            assert {glyph[0].family_name for glyph in parsed.glyphs} == {theme.FONT}
            assert len(parsed.glyphs) >= 6  # mantissa, ×, 10, the signed power
            superscript = [glyph for glyph in parsed.glyphs if glyph[1] < prop.get_size_in_points()]
            assert len(superscript) >= 1  # the power is set smaller, as a superscript


def test_palette_is_okabe_ito_and_roles_resolve():
    allowed = {v.upper() for v in theme.OKABE_ITO.values()}
    for role, colour in theme.ROLE.items():
        assert colour.upper() in allowed, role
    assert theme.FIGSIZE[0] / theme.FIGSIZE[1] == pytest.approx(16 / 9, rel=1e-3)
    assert theme.MPL_STYLE.exists()


def test_one_word_per_concept():
    """The test set is 시험 in every Korean string (never 테스트), as the lecture's notes say."""
    offending = [key for key, entry in text.table().items() if "테스트" in entry.get("ko", "")]
    assert not offending, offending
