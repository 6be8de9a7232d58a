"""Every colour word on screen or in the narration names the colour its element is drawn in.

A string with a colour word declares the roles (``lecture.theme.ROLE``) or colours its words refer to in its
TOML entry (``colours = [...]``, or ``idiom = true`` for a name such as "Deep Blue"); the words of both
languages must name exactly the colours of those roles, and the code that shows the string must draw with
the declared roles.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lecture import theme
from lecture.text import colour_declarations, table

ROOT = Path(__file__).resolve().parents[1]


def colours_named(text: str, lang: str) -> set:
    """The palette colours the words of ``text`` name (None for a word no palette colour answers to)."""
    found = set()
    index = 0 if lang == "en" else 1
    rest = text
    # longer words first ("sky blue" before "blue")
    words = sorted(((w, name) for name, pair in theme.COLOUR_WORDS.items() for w in pair[index]),
                   key=lambda item: -len(item[0]))
    for word, name in words:
        pattern = rf"\b{re.escape(word)}\b" if lang == "en" else re.escape(word)
        if re.search(pattern, rest, flags=re.IGNORECASE):
            found.add(name)
            rest = re.sub(pattern, " ", rest, flags=re.IGNORECASE)
    return found


def strings_with_colour_words(strings=None) -> dict[str, dict[str, set]]:
    out = {}
    for key, entry in (strings or table()).items():
        named = {lang: colours_named(entry.get(lang, ""), lang) for lang in ("en", "ko")}
        if named["en"] or named["ko"]:
            out[key] = named
    return out


def users_of(key: str) -> list[Path]:
    """The scene and figure modules that name ``key`` (whole, or its last part in an f-string)."""
    last = key.rsplit(".", 1)[-1]
    found = []
    for path in sorted((ROOT / "scenes").glob("*.py")) + sorted((ROOT / "figures").glob("*.py")):
        code = path.read_text(encoding="utf-8")
        if key in code or (f".{last}" in code and key.split(".", 1)[0] in code):
            found.append(path)
    return found


def check(key: str, strings=None) -> None:
    named = strings_with_colour_words(strings)[key]
    declared = colour_declarations().get(key)
    assert declared is not None, (f"'{key}' names colours {named} but its TOML entry does not declare the roles they "
                                  "refer to (colours = [...], or idiom = true for a name)")
    if declared["idiom"]:
        return
    drawn = {theme.colour_name(c) for c in declared["colours"]}
    for lang in ("en", "ko"):
        assert None not in named[lang], f"'{key}' ({lang}) names a colour no element is drawn in (red?)"
        assert named[lang] == drawn, f"'{key}' ({lang}) names {named[lang]}, its elements are drawn {drawn}"
    roles = [c for c in declared["colours"] if c in theme.ROLE]
    if roles:
        users = users_of(key)
        assert users, f"no scene or figure shows '{key}'"
        for role in roles:
            assert any(f'"{role}"' in p.read_text(encoding="utf-8") for p in users), \
                f"'{key}' says {role}'s colour, but the code that shows it never draws with the role '{role}'"


def test_the_colour_words_are_found():
    assert colours_named("blue positive, vermilion negative", "en") == {"blue", "vermillion"}
    assert colours_named("light blue band", "en") == {"sky"}
    assert colours_named("파란 선은 양수, 주홍 선은 음수", "ko") == {"blue", "vermillion"}
    assert colours_named("the red contour", "en") == {None}
    assert colours_named("Deep Blue", "en") == {"blue"}
    assert colours_named("no colour here", "en") == set()


@pytest.mark.parametrize("key", sorted(strings_with_colour_words()))
def test_a_colour_word_names_the_colour_drawn(key):
    check(key)


@pytest.mark.parametrize("wrong", ["red", "orange", "green"])
def test_a_wrong_colour_word_is_caught(wrong):
    """Break it on purpose: the vermilion negative weights called red, orange or green."""
    strings = dict(table())
    entry = strings["neural-network.sub.weights"]
    check("neural-network.sub.weights", strings)            # as written, it passes
    strings["neural-network.sub.weights"] = {**entry, "en": entry["en"].replace("vermilion", wrong)}
    with pytest.raises(AssertionError):
        check("neural-network.sub.weights", strings)


def test_an_undeclared_colour_word_is_caught():
    strings = dict(table())
    strings["activations.sub.intro"] = {"en": "the blue curve", "ko": "파란 곡선"}
    with pytest.raises(AssertionError, match="does not declare"):
        check("activations.sub.intro", strings)
