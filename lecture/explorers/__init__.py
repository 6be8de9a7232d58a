"""Explorers: interactive views of the engine's computed runs on the course page.

Each explorer is plain JavaScript drawing SVG or canvas from a result exported as JSON beside the page
(no CDN, no server; it works from ``file://``). The page (``lecture/page.py``) uses two functions:

* ``write(out, results_dir) -> list[Path]``: export the explorers' data and scripts under
  ``out/explorers/`` from the stored results in ``results_dir`` and return the paths written;
* ``blocks(topic_id, lang, root="") -> str``: the HTML of the explorers that belong beside that topic's
  video ('' when it has none); ``root`` is the relative path from the page to ``out``.

Until explorers are added, both do nothing.
"""
from __future__ import annotations

from pathlib import Path


def write(out: Path, results_dir: Path) -> list[Path]:
    return []


def blocks(topic_id: str, lang: str, root: str = "") -> str:
    return ""
