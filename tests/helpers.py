"""Checks shared by the tests: files that are valid and not blank, legends off the data, encoder settings;
and pinning results (copying them beside the control data)."""
from __future__ import annotations

from pathlib import Path

import numpy as np


def copy_results(ids, source: Path, target: Path) -> None:
    """Copy the stored results ``ids`` (each a .npz and a .json) from folder ``source`` into ``target``."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for result_id in ids:
        for suffix in (".npz", ".json"):
            shutil.copyfile(Path(source) / f"{result_id}{suffix}", Path(target) / f"{result_id}{suffix}")


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


def assert_legends_cover_no_points(fig) -> None:
    """No legend of the figure lies over a scatter point's marker (in any of its axes)."""
    from matplotlib.collections import PathCollection

    from figures.base import style

    with style():
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
        assert legends, "the figure has no legend to check"
        for legend in legends:
            box = legend.get_window_extent(renderer)
            for ax in fig.axes:
                for points in ax.collections:
                    if not isinstance(points, PathCollection) or not len(points.get_offsets()):
                        continue  # scatter points only
                    centres = points.get_offset_transform().transform(points.get_offsets())
                    radius = np.sqrt(points.get_sizes().max()) / 2 * fig.dpi / 72  # marker size: points²
                    near = ((centres[:, 0] > box.x0 - radius) & (centres[:, 0] < box.x1 + radius)
                            & (centres[:, 1] > box.y0 - radius) & (centres[:, 1] < box.y1 + radius))
                    assert not near.any(), f"a legend covers {int(near.sum())} point(s) of '{ax.get_title()}'"


def assert_legends_inside_their_axes(fig) -> None:
    """Every legend drawn inside an axes lies wholly within that axes' box (not over a colour bar or
    the next panel)."""
    from figures.base import style

    with style():
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        checked = 0
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is None:
                continue
            box, frame = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
            assert (box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1 and box.y0 >= frame.y0 - 1
                    and box.y1 <= frame.y1 + 1), (f"the legend of '{ax.get_title()}' reaches out of its axes: "
                                                   f"{box.bounds} against {frame.bounds}")
            checked += 1
        assert checked, "the figure has no legend to check"


def x264_settings(path: Path) -> set[str]:
    """The settings libx264 wrote into a video's stream ("subme=0", "bframes=0", …)."""
    video = Path(path).read_bytes()
    return set(video[video.index(b"x264 - core"):].split(b"\x00")[0].decode().split())


def use_settings(monkeypatch, **changes) -> None:
    """Draw with these scene settings (``lecture.settings``: lang, theme, results) for the rest of the test."""
    from lecture import settings

    monkeypatch.setattr(settings, "_current", settings.current().replace(**changes))
