"""The settings a scene is drawn with: its language, its video theme and the folder of the engine's results.

The build hands them to the render worker, which draws each scene inside ``using(Settings(...))``;
``LectureScene``, ``lecture.text.t`` and ``lecture.theme.video_theme`` read ``current()``.  Nothing
reaches a scene through the environment.  Outside ``using`` the defaults hold: Korean, the dark theme,
``build/results``.
"""
from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

LANGS = ("ko", "en")
THEMES = ("dark", "light")


@dataclass(frozen=True)
class Settings:
    lang: str = "ko"
    theme: str = "dark"
    results: Path = Path("build/results")

    def __post_init__(self):
        if self.lang not in LANGS:
            raise ValueError(f"unknown language '{self.lang}' (use {' or '.join(LANGS)})")
        if self.theme not in THEMES:
            raise ValueError(f"unknown theme '{self.theme}' (use {' or '.join(THEMES)})")
        object.__setattr__(self, "results", Path(self.results))

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)


_current = Settings()


def current() -> Settings:
    """The settings in force (``using``'s, else the defaults)."""
    return _current


@contextlib.contextmanager
def using(settings: Settings | None = None, **changes) -> Iterator[Settings]:
    """Draw with ``settings`` (or the current ones with ``changes``) inside the block."""
    global _current
    before = _current
    _current = (settings or _current).replace(**changes) if changes else (settings or _current)
    try:
        yield _current
    finally:
        _current = before
