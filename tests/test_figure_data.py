"""Every figure of the lecture plots the results' arrays: each artist drawn from data names the array it
shows in its data tag (``gid``, see figures/base.py), and its data equal that array.  A figure that plots
the wrong array (a function where its derivative belongs, another seed's row, a curve off by a constant)
fails here, and so does an artist that draws data without saying which (lines and scatters of more than
``HANDFUL`` points, bars, histograms, images).

The figures are drawn in Korean (the data do not depend on the language) from the results the layout
test pins (tests/test_figure_layout.py: the frame tests' results and its own)."""
from __future__ import annotations

import importlib

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.image import AxesImage
from matplotlib.patches import StepPatch

from engine.store import Result, load
from figures.base import HANDFUL, new_figure, parse_tag, reference, style
from lecture import manifest
from tests.test_figure_layout import pinned_results  # noqa: F401  (the fixture: the pinned results)

FIGURES = [spec for topic in manifest.select(None) for spec in topic.figures]


def all_axes(fig):
    """Every axes of ``fig``, once: its own, its subfigures' (``fig.axes`` lists them too), and the axes
    inset in them."""
    found = {}

    def walk(figure):
        for ax in figure.axes:
            for each in (ax, *ax.child_axes):
                found.setdefault(id(each), each)
        for sub in figure.subfigs:
            walk(sub)

    walk(fig)
    return list(found.values())


def drawn_data(ax):
    """``(artist, kind, data, carries_data)`` for each artist of ``ax`` that may show data; ``data`` holds
    what a data tag's fields are compared with."""
    caps = {id(line) for c in ax.containers if isinstance(c, ErrorbarContainer) for line in c[1]}
    for line in ax.lines:
        if id(line) in caps:  # an error bar's caps: drawn from the line's error values
            continue
        x = np.asarray(line.get_xdata(), dtype=float).ravel()
        y = np.asarray(line.get_ydata(), dtype=float).ravel()
        yield line, "line", {"x": x, "y": y, "xy": np.column_stack([x, y])}, len(x) > HANDFUL
    for container in ax.containers:
        if isinstance(container, BarContainer):
            bars = list(container)
            horizontal = getattr(container, "orientation", None) == "horizontal"
            sizes = [b.get_width() if horizontal else b.get_height() for b in bars]
            centres = [b.get_y() + b.get_height() / 2 if horizontal else b.get_x() + b.get_width() / 2 for b in bars]
            yield bars, "bars", {"y": np.asarray(sizes, dtype=float), "x": np.asarray(centres, dtype=float)}, True
    for patch in ax.patches:
        if isinstance(patch, StepPatch):
            values, edges, _ = patch.get_data()
            yield patch, "stairs", {"y": np.asarray(values, dtype=float), "x": np.asarray(edges, dtype=float)}, True
    for points in ax.collections:
        if isinstance(points, PathCollection):
            xy = np.asarray(points.get_offsets(), dtype=float).reshape(-1, 2)
            yield points, "scatter", {"x": xy[:, 0], "y": xy[:, 1], "xy": xy}, len(xy) > HANDFUL
    for image in ax.images:
        if isinstance(image, AxesImage):
            yield image, "image", {"y": np.asarray(image.get_array(), dtype=float)}, True


def gid_of(artist) -> str | None:
    if isinstance(artist, list):  # the bars of one bar() call share its tag
        gids = {bar.get_gid() for bar in artist}
        return gids.pop() if len(gids) == 1 else f"different tags on one bar chart: {sorted(map(str, gids))}"
    return artist.get_gid()


def mismatch(field: str, kind: str, data: dict, expected: np.ndarray) -> str | None:
    """Why ``data`` (the artist's) is not ``expected`` for ``field``; None when it is."""
    expected = np.asarray(expected, dtype=float)
    if field in ("line", "zero", "l1", "l2"):
        if kind != "line":
            return f"'{field}' describes a line, not a {kind}"
        x, y = data["x"], data["y"]
        span = max(1.0, float(np.ptp(np.concatenate([x, y]))) if len(x) else 1.0)
        if field == "line":
            error = y - (expected.ravel()[0] + expected.ravel()[1] * x)
        elif field == "zero":
            w = expected.ravel()
            error = (w[0] + w[1] * x + w[2] * y) / np.hypot(w[1], w[2])
        else:
            error = (np.abs(x) + np.abs(y) if field == "l1" else np.hypot(x, y)) - expected.ravel()[0]
        worst = float(np.max(np.abs(error))) if len(error) else 0.0
        return None if worst <= 1e-5 * span else f"'{field}' misses the line's points by up to {worst:.3g}"
    if field not in data:
        return f"a {kind} has no '{field}'"
    drawn = data[field]
    if drawn.size != expected.size:
        return f"'{field}' has {drawn.size} values, the array {expected.size}"
    scale = float(np.nanmax(np.abs(expected), initial=1.0))  # float32 results: their rounding, to the data's size
    if not np.allclose(drawn.ravel(), expected.ravel(), rtol=1e-5, atol=1e-6 * scale, equal_nan=True):
        worst = np.nanmax(np.abs(drawn.ravel() - expected.ravel()))
        return f"'{field}' differs from the array (by up to {worst:.3g})"
    return None


def check(fig, results) -> list[str]:
    """What is wrong with the data ``fig`` draws from ``results`` ({id: Result}): untagged data, tags that
    do not parse or name no array, data unlike the arrays named."""
    problems = []
    for number, ax in enumerate(all_axes(fig)):
        where = f"axes {number} '{ax.get_title()}'"
        for artist, kind, data, carries in drawn_data(ax):
            gid = gid_of(artist)
            if gid is None:
                if carries:
                    problems.append(f"{where}: a {kind} of {data['y'].size} values has no data tag")
                continue
            try:
                fields = parse_tag(gid)
                for field, ref in fields.items():
                    why = mismatch(field, kind, data, reference(ref, results))
                    if why:
                        problems.append(f"{where}: {kind} tagged '{gid}': {why}")
            except (KeyError, ValueError, IndexError) as error:
                problems.append(f"{where}: {kind} tagged '{gid}': {error}")
    return problems


@pytest.mark.parametrize("spec", FIGURES, ids=[spec.id for spec in FIGURES])
def test_every_figure_plots_the_arrays_its_artists_name(spec, pinned_results):
    module_name, func_name = spec.target.split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    results = {need: load(need, pinned_results) for need in spec.needs}
    fig = func(results, "ko")
    try:
        problems = check(fig, results)
    finally:
        plt.close(fig)
    assert not problems, f"{spec.id}: " + "; ".join(problems[:6])


def test_the_check_finds_wrong_and_untagged_data():
    toy = dict(x=np.linspace(0, 1, 20), f=np.linspace(0, 1, 20) ** 2, df=2 * np.linspace(0, 1, 20),
                  rows=np.arange(12.0).reshape(3, 4), y=np.array([0, 1, 1, 0]), w=np.array([1.0, 2.0, -1.0]),
                  pts=np.arange(8.0).reshape(4, 2))
    results = {"toy": Result("toy", toy, {})}
    with style():
        fig = new_figure()
        ax = fig.add_subplot()
        ax.plot(toy["x"], toy["df"], gid="y=toy:df x=toy:x")               # right
        ax.plot(toy["x"], toy["f"], gid="y=toy:df x=toy:x")                # the function, not the derivative
        ax.plot(toy["x"], toy["f"] + 0.1, gid="y=toy:f")                   # off by a constant
        ax.plot(toy["x"], 1 + 2 * toy["x"], gid="zero=toy:w")              # w0 + w1 x + w2 y = 0: right
        ax.bar(range(4), toy["rows"][2], gid="y=toy:rows[1]")              # another row
        ax.bar(range(4), toy["rows"][:, 1][:4 - 1].tolist() + [9], gid="y=toy:rows[:,1]")  # three values, four bars
        ax.scatter(*toy["pts"][toy["y"] == 1].T, gid="xy=toy:pts[y==1]")   # right: the points of class 1
        ax.plot(toy["x"], toy["x"])                                       # data without a tag
        ax.plot([0, 1], [0, 0])                                           # a guide: needs none
        ax.plot(toy["x"], toy["x"], gid="y=toy:nothing")                  # no such array
        ax.plot(toy["x"], toy["x"], gid="y=other:x")                      # a result the figure does not need
    try:
        problems = check(fig, results)
    finally:
        plt.close(fig)
    assert len(problems) == 7, problems
    assert "line tagged 'y=toy:df x=toy:x': 'y' differs" in problems[0]
    assert "line tagged 'y=toy:f': 'y' differs from the array (by up to 0.1)" in problems[1]
    assert "line of 20 values has no data tag" in problems[2]
    assert "has no array 'nothing'" in problems[3]
    assert "names result 'other'" in problems[4]
    assert "bars tagged 'y=toy:rows[1]'" in problems[5]
    assert "'y' has 4 values, the array 3" in problems[6]
