"""Checks shared by the tests: files that are valid and not blank."""
from __future__ import annotations

from pathlib import Path

import numpy as np


def assert_png_not_blank(path: Path, min_std: float = 5.0) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as im:
        im.verify()
    with Image.open(path) as im:
        pixels = np.asarray(im.convert("L"), dtype=float)
    assert pixels.std() > min_std, f"{path.name} looks blank (pixel std {pixels.std():.2f})"
    return pixels


def assert_svg_valid(path: Path) -> None:
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg"), f"{path.name} is not SVG"
    drawn = [el for el in root.iter() if el.tag.endswith(("path", "use", "text", "image"))]
    assert len(drawn) > 20, f"{path.name} draws almost nothing"


def assert_pdf_valid(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), f"{path.name} is not a PDF"
    assert b"%%EOF" in data[-1024:], f"{path.name} is truncated"
    assert len(data) > 5000, f"{path.name} is suspiciously small"


def assert_figure_files(stem: Path) -> None:
    assert_png_not_blank(stem.with_name(stem.name + ".png"))
    assert_svg_valid(stem.with_name(stem.name + ".svg"))
    assert_pdf_valid(stem.with_name(stem.name + ".pdf"))
