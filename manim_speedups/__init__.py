"""Measured speed-ups for Manim Community 0.22, one module each, off until ``enable`` is called.

Importing this package, or any of its modules, changes nothing in Manim.  ``enable()`` checks Manim's
version (``ManimVersionError`` for another series: these modules replace methods of Manim 0.22 and
read its private names) and applies every speed-up (or every one but those named in ``without``);
``disable()`` puts Manim's own attributes back.  The lecture's render worker enables them
(``scenes.runner.render``); ``render.py --stock-manim`` renders with none of the speed-ups, only the
two ``BUG_FIXES`` (``enable_fixes``).

Each module replaces one thing Manim does and says what and why in its docstring; what each saves on
the lecture is measured by ``bench/speedups.py`` (docs/performance.md).  ``BUG_FIXES`` are the ones that
change what Manim computes because Manim's own result is wrong or wasteful by mistake; each is written
up for upstream in docs/upstream.md.  tests/test_render_speed.py checks each against Manim's own code,
and the frame tests draw the lecture's scenes with and without them (``pytest --stock-manim``).
"""
from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version as _version
from typing import Iterable

__version__ = "1.0.0"
MANIM_SERIES = "0.22"

# in the order they are applied
SPEEDUPS = (
    "copies", "become", "family", "cairo_paths", "three_d", "frame_conversion", "one_stream",
    "text_cache_name", "glyph_text", "glyph_tex", "tex_batch",
)
BUG_FIXES = frozenset({"become", "text_cache_name"})


class ManimVersionError(RuntimeError):
    """The installed Manim is not the series these speed-ups were written for."""


def manim_version() -> str:
    try:
        return _version("manim")
    except PackageNotFoundError:
        return "not installed"


def check_manim(found: str | None = None) -> None:
    """Raise ``ManimVersionError`` (one line) unless Manim ``MANIM_SERIES``.* is installed."""
    found = found or manim_version()
    if found.split(".")[:2] != MANIM_SERIES.split("."):
        raise ManimVersionError(
            f"manim_speedups {__version__} is written for Manim {MANIM_SERIES}.*, found Manim {found}: "
            f"install manim=={MANIM_SERIES}.* or render with --stock-manim")


_enabled: list[str] = []


def enable(without: Iterable[str] = (), only: Iterable[str] | None = None) -> tuple[str, ...]:
    """Apply every speed-up (or those in ``only``) but those in ``without`` (once: a second call with
    the same choice does nothing; another choice first puts Manim back).  Returns the names applied."""
    without = set(without)
    chosen = set(SPEEDUPS) if only is None else set(only)
    unknown = (without | chosen) - set(SPEEDUPS)
    if unknown:
        raise ValueError(f"no speed-up named {', '.join(sorted(unknown))} (there are: {', '.join(SPEEDUPS)})")
    wanted = [name for name in SPEEDUPS if name in chosen and name not in without]
    if _enabled == wanted:
        return tuple(_enabled)
    check_manim()
    disable()
    # every module first (each keeps Manim's own methods as it finds them on import), then each applied
    modules = [importlib.import_module(f"{__name__}.{name}") for name in wanted]
    for name, module in zip(wanted, modules):
        module.apply()
        _enabled.append(name)
    return tuple(_enabled)


def enable_fixes() -> tuple[str, ...]:
    """Stock Manim with only the ``BUG_FIXES`` (``render.py --stock-manim``): Manim's own code draws
    everything, without the fixed bugs' wrong output."""
    return enable(only=BUG_FIXES)


def disable() -> None:
    """Put back every attribute of Manim the speed-ups replaced."""
    from manim_speedups import _patching

    _patching.restore()
    _enabled.clear()


def enabled() -> tuple[str, ...]:
    """The speed-ups applied in this process."""
    return tuple(_enabled)


def is_enabled(name: str) -> bool:
    return name in _enabled
