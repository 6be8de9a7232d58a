"""The settings that come from the lecture, the textbook or a paper (``lecture/reference_settings.toml``).

``entries()`` reads the table; ``departures(experiment, settings)`` lists the published settings a run's
settings depart from (its defaults where the table says they do, or a ``--set``); ``describe`` words them
for a footer; ``paper_overrides()`` is what ``render.py --profile paper`` sets.  No torch, no numpy.
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TABLE = Path(__file__).with_name("reference_settings.toml")
PROFILES = ("lecture", "paper")


@dataclass(frozen=True)
class Entry:
    experiment: str
    setting: str
    value: Any              # the published value
    source: str
    default: Any = None     # what the lecture build uses, where it departs (None: it uses ``value``)
    why: str = ""

    @property
    def departs(self) -> bool:
        return self.default is not None


@functools.lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    with open(TABLE, "rb") as fh:
        data = tomllib.load(fh)
    out = []
    for experiment, settings in data.items():
        for setting, row in settings.items():
            out.append(Entry(experiment, setting, row["value"], row["source"], row.get("default"), row.get("why", "")))
    return tuple(out)


def same(a: Any, b: Any) -> bool:
    """Settings compare as numbers where both are numbers (10 == 10.0), else as given."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def departures(experiment: str, settings: dict[str, Any]) -> list[tuple[Entry, Any]]:
    """``(entry, value used)`` for every published setting of ``experiment`` that ``settings`` depart from."""
    return [(e, settings[e.setting]) for e in entries()
            if e.experiment == experiment and e.setting in settings and not same(settings[e.setting], e.value)]


def _short(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1:
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    return str(value)


def describe(found: list[tuple[Entry, Any]], lang: str) -> str:
    """``departs from the reference: steps 3000 (Ioffe & Szegedy 2015 …: 50 000)`` or '' when none."""
    if not found:
        return ""
    from lecture.text import t

    parts = [t("common.departure_item", lang, setting=e.setting, used=_short(used), value=_short(e.value),
               source=e.source.split(":")[0]) for e, used in found]
    return t("common.departures", lang, items="; ".join(parts))


def paper_overrides() -> dict[str, dict[str, Any]]:
    """``{experiment: {setting: published value}}`` for every setting the lecture build departs from."""
    out: dict[str, dict[str, Any]] = {}
    for e in entries():
        if e.departs:
            out.setdefault(e.experiment, {})[e.setting] = e.value
    return out
