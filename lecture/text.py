"""On-screen text in Korean and English, looked up by key.

The strings live in ``lecture/strings/*.toml``: ``common.toml`` plus one file per
topic (``<topic>.toml``, keys starting with the topic id).  A key defined in two
files is an error.
"""
from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

from lecture import settings

LANGS = ("ko", "en")
STRINGS_DIR = Path(__file__).with_name("strings")


@functools.lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """Flatten the TOML tables into ``{"a.b.c": {"ko": ..., "en": ...}}``."""
    flat: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any], source: str) -> None:
        langs = {k: v for k, v in node.items() if k in LANGS and isinstance(v, str)}
        if langs:
            if prefix in flat:
                raise ValueError(f"text key '{prefix}' is defined in both {origin[prefix]} and {source}")
            flat[prefix] = langs
            origin[prefix] = source
        for key, value in node.items():
            if isinstance(value, dict):
                walk(f"{prefix}.{key}" if prefix else key, value, source)

    for path in sorted(STRINGS_DIR.glob("*.toml")):
        with open(path, "rb") as fh:
            walk("", tomllib.load(fh), path.name)
    return flat


@functools.lru_cache(maxsize=1)
def colour_declarations() -> dict[str, dict[str, Any]]:
    """``{key: {"colours": [...], "idiom": bool}}`` for the strings whose TOML entry declares the colours its
    colour words name (see ``lecture.theme.COLOUR_WORDS``)."""
    found: dict[str, dict[str, Any]] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        if any(k in node for k in ("colours", "idiom")):
            found[prefix] = {"colours": list(node.get("colours", [])), "idiom": bool(node.get("idiom", False))}
        for key, value in node.items():
            if isinstance(value, dict):
                walk(f"{prefix}.{key}" if prefix else key, value)

    for path in sorted(STRINGS_DIR.glob("*.toml")):
        with open(path, "rb") as fh:
            walk("", tomllib.load(fh))
    return found


def default_lang() -> str:
    """The language of the settings in force (``lecture.settings``)."""
    return settings.current().lang


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The string ``key`` in ``lang`` (default: the settings' language, ``lecture.settings``), formatted with ``values``."""
    lang = lang or default_lang()
    if lang not in LANGS:
        raise ValueError(f"unknown language '{lang}' (use {' or '.join(LANGS)})")
    try:
        entry = table()[key]
    except KeyError:
        raise KeyError(f"no text for key '{key}' in lecture/strings/") from None
    if lang not in entry:
        raise KeyError(f"text '{key}' has no '{lang}' version in lecture/strings/")
    return entry[lang].format(**values) if values else entry[lang]


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_PLAIN_DIGITS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
_SUPERSCRIPT_CHARS = frozenset("⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def fmt(value: float, digits: int = 4, *, decimals: int | None = None, grouping: bool = False) -> str:
    """A number as the lecture shows it: plain for ordinary sizes, 9.54×10⁻⁷ style for tiny ones.

    ``digits`` significant digits; ``decimals=n`` instead writes exactly n decimals and never a
    power of ten (0.2207, -1.500: numbers read down a column or worked through a formula).
    ``grouping`` writes whole numbers from 1,000 with thousands separators (2,288), as counts from
    100,000 always are.  The minus is ASCII (LaTeX and subtitles); ``signed`` and ``fixed`` give
    the typographic one.
    """
    value = float(value)
    if decimals is not None:
        return f"{value:.{decimals}f}"
    if 1e5 <= abs(value) < 1e15 and value.is_integer():  # a count, e.g. parameters: 407,050
        return f"{int(value):,}"
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        mantissa, exponent = f"{value:.{max(digits - 2, 1)}e}".split("e")
        power = "10" + str(int(exponent)).translate(_SUPERSCRIPTS)
        # a power of ten itself (a step h = 10⁻⁶, ε = 10⁻⁵ stored as float32): no "1.00×"
        if abs(abs(value) / float(f"1e{int(exponent)}") - 1) < 1e-6:
            return ("-" if value < 0 else "") + power
        return f"{mantissa}×{power}"
    text = f"{value:.{digits}g}"
    if "e+" in text:  # %g switches to 3.1e+02 for whole numbers longer than `digits`
        text = f"{value:.0f}"
    if grouping and text.lstrip("-").isdigit() and abs(int(text)) >= 1000:
        text = f"{int(text):,}"
    return text


def signed(value: float, digits: int = 4) -> str:
    """``fmt`` with a typographic minus (−0.296, not -0.296), for text set in the lecture's font (a
    figure's labels); LaTeX and mathtext take ``tex_number`` and ``math_number``."""
    return fmt(value, digits).replace("-", "\u2212")


def fixed(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals and a typographic minus (−0.2207): numbers read down a column."""
    return fmt(value, decimals=digits).replace("-", "\u2212")


def accuracy(value: float) -> str:
    """An accuracy (a fraction) as the lecture sets them side by side: three decimals, 0.810 beside 0.881
    (``fmt`` would write 0.81), 1.000 beside 0.798."""
    return fixed(value, 3)


def tex_number(value: float, digits: int = 4, *, decimals: int | None = None, bracket_negative: bool = False) -> str:
    """``fmt`` written for LaTeX (MathTex): 1.26×10⁻⁵ → ``1.26\\times 10^{-5}``, 10⁻⁶ → ``10^{-6}``.

    ``decimals`` as for ``fmt``; ``bracket_negative`` puts a negative number in parentheses, as a
    factor or a term written out in a formula: ``0.5 \\times (-1.2000)``.
    """
    text = fmt(value, digits, decimals=decimals)
    head, _, power = text.rpartition("10")
    if power and all(ch in _SUPERSCRIPT_CHARS for ch in power):  # else no power of ten (10, 0.0105)
        head = head.replace("×", r"\times ")
        text = rf"{head}10^{{{power.translate(_PLAIN_DIGITS)}}}"
    return f"({text})" if bracket_negative and float(value) < 0 else text


def math_number(value: float, digits: int = 4) -> str:
    """``fmt`` for matplotlib: a 10-power set by mathtext, ``$\\mathregular{a\\times 10^{b}}$``, in the
    text's own font (the CJK font has ×, − and the digits, but not ⁻ ⁰ ⁵–⁹ to write the power as text;
    ``\\mathregular`` lays out the superscript without switching to Computer Modern)."""
    text = tex_number(value, digits)
    return rf"$\mathregular{{{text}}}$" if "10^{" in text else text


def rows(prefix: str, lang: str | None = None) -> list[list[str]]:
    """The table rows stored under ``prefix`` (keys ``prefix.<name>``, cells separated by " | "), in file order."""
    keys = [k for k in table() if k.startswith(prefix + ".")]
    if not keys:
        raise KeyError(f"no rows under '{prefix}' in lecture/strings/")
    return [[cell.strip() for cell in t(k, lang).split("|")] for k in keys]


_SEPARATORS = ("·", "→", "—", "|")
_DROPPED_AT_BREAKS = ("·", "|")  # pure separators; an arrow or a dash keeps its meaning at a line's end


def balanced_lines(content: str, count: int) -> list[str]:
    """``content`` broken at spaces into ``count`` lines (fewer if it has fewer words) of about equal
    length.  A break after a separator (`` · `` or ``|``, then left out; ``→``, ``—``, kept) or after a word
    ending in ``:``, ``,`` or ``;`` is preferred to one inside a phrase, unless the lines would be much
    less even."""
    words = content.split()
    slack = len(content) / count / 3  # how much less even a break at a separator may make the lines

    def cost(i: int, target: float) -> float:
        before = words[i - 1]
        natural = before in _SEPARATORS or before[-1] in ":,;"
        return abs(len(" ".join(words[:i])) - target) - (slack if natural else 0.0)

    lines, start = [], 0
    for k in range(1, count):
        choices = range(start + 1, len(words) - (count - k) + 1)
        if not choices:
            break
        best = min(choices, key=lambda i: cost(i, len(content) * k / count))
        lines.append(" ".join(words[start:best]))
        start = best
    lines.append(" ".join(words[start:]))
    cleaned = []
    for line in lines:
        parts = line.split()
        while parts and parts[-1] in _DROPPED_AT_BREAKS:
            parts.pop()
        while parts and parts[0] in _DROPPED_AT_BREAKS:
            parts.pop(0)
        if parts:
            cleaned.append(" ".join(parts))
    return cleaned


def wrap_balanced(content: str, limit: int) -> str:
    """``content`` in as few balanced lines (:func:`balanced_lines`) as keep each within ``limit``
    characters, joined by newlines; where one word is longer, a word per line."""
    words = len(content.split())
    for count in range(1, words + 1):
        lines = balanced_lines(content, count)
        if max(len(line) for line in lines) <= limit:
            return "\n".join(lines)
    return "\n".join(content.split())

