"""figures/base.save writes every format from one layout."""
from __future__ import annotations

import numpy as np
from matplotlib.layout_engine import ConstrainedLayoutEngine

from figures import base
from tests.helpers import assert_figure_files


def test_the_formats_share_the_layout_of_the_first(tmp_path, monkeypatch):
    runs = []
    execute = ConstrainedLayoutEngine.execute
    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", lambda self, fig: runs.append(1) or execute(self, fig))
    positions = []
    savefig = base.plt.Figure.savefig

    def recording(fig, *args, **kwargs):
        savefig(fig, *args, **kwargs)
        positions.append([ax.get_position().bounds for ax in fig.axes])

    monkeypatch.setattr(base.plt.Figure, "savefig", recording)
    with base.style():
        fig = base.new_figure()
        left, right = fig.subplots(1, 2)
        left.plot([0, 1], [0, 1])
        left.set_ylabel("손실 (검증)")
        right.set_title("학습률 η = 0.1", fontsize=30)
        written = base.save(fig, tmp_path / "f")
    assert [p.suffix for p in written] == [".png", ".svg", ".pdf"]
    assert_figure_files(tmp_path / "f")
    assert len(runs) == 1  # laid out once, for the PNG
    assert len(positions) == 3 and positions[1] == positions[2] == positions[0]
    # the layout did run: the long label and big title moved the axes from their default place
    assert not np.allclose(positions[0][0], (0.125, 0.11, 0.352, 0.77), atol=0.01)


def _footer_figure(note: str):
    fig = base.new_figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("epoch")
    fig.text(0.005, 0.005, note, ha="left", va="bottom", fontsize=10, color="#5F6670")
    fig.text(0.995, 0.005, "Computed with PyTorch 2.13.0+cpu · cpu · seed 12", ha="right", va="bottom", fontsize=9)
    return fig


def _extents(fig):
    with base.style():
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        note, stamp = fig.texts
        return (note.get_window_extent(renderer), stamp.get_window_extent(renderer),
                fig.axes[0].get_tightbbox(renderer))


def test_a_long_note_is_broken_at_its_separators_clear_of_the_provenance_and_the_axes():
    phrases = ["MNIST: 300 training, 500 validation images", "784 → 6 × 100 ReLU → 10, He init",
               "SGD η = 0.01, batch 100, 200 epochs", "augmentation per mini-batch: shift ±2 px, rotation ±15°",
               "zoom 1 ± 0.1, noise σ = 0.1 (no flips)"]
    fig = _footer_figure(" · ".join(phrases))
    note, stamp, axes = _extents(fig)
    assert note.x1 > stamp.x0  # as drawn by the figure: the two footers meet
    base.fit_footers(fig)
    note, stamp, axes = _extents(fig)
    lines = fig.texts[0].get_text().split("\n")
    assert len(lines) >= 2 and all(" · ".join(phrases).find(line) >= 0 for line in lines)  # whole phrases
    assert sum(len(line.split(" · ")) for line in lines) == len(phrases)
    assert note.x1 < stamp.x0  # clear of the provenance footer
    assert note.y1 < axes.y0   # the layout left room above it: the axis label is not covered


def test_a_short_note_is_left_as_it_is():
    fig = _footer_figure("x = 1.5, w = 0.8")
    before = fig.get_layout_engine().get()["rect"]
    base.fit_footers(fig)
    assert fig.texts[0].get_text() == "x = 1.5, w = 0.8"
    assert fig.get_layout_engine().get()["rect"] == before


def _box_in_axes(ax, text):
    renderer = ax.figure.canvas.get_renderer()
    return text.get_window_extent(renderer).transformed(ax.transAxes.inverted())


def test_clear_corner_puts_a_text_where_no_curve_runs():
    with base.style():
        fig = base.new_figure()
        ax = fig.add_subplot()
        x = np.linspace(-6, 6, 200)
        ax.plot(x, np.where(x < 0, 2.3, 1.0))  # along the top on the left, through the middle on the right
        ax.axvline(0)  # spans the axes: not a curve to keep clear of
        ax.set_ylim(-1.5, 2.5)
        text = ax.text(0, 0, "a long formula a(x) = something", transform=ax.transAxes, fontsize=16)
        corner = base.clear_corner(ax, text, ("upper left", "lower right"))
        box = _box_in_axes(ax, text)
    assert corner == "lower right"
    assert box.x1 > 0.9 and box.y0 < 0.1
    base.plt.close(fig)


def test_clear_corner_takes_the_least_crossed_corner_when_none_is_clear():
    with base.style():
        fig = base.new_figure()
        ax = fig.add_subplot()
        ax.plot([0, 1], [0.955, 0.955])  # along the top: through any upper corner
        ax.plot([0.93, 1], [0.045, 0.045])  # through the lower right, near its edge only
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        text = ax.text(0, 0, "numbers", transform=ax.transAxes, fontsize=14)
        corner = base.clear_corner(ax, text, ("upper left", "lower right"))
    assert corner == "lower right"
    base.plt.close(fig)


def test_a_table_cell_too_narrow_for_its_text_is_reported():
    with base.style():
        fig = base.new_figure()
        ax = fig.add_subplot()
        ax.set_axis_off()
        table = ax.table(cellText=[["1", r"$\mathregular{2.8\times 10^{-11}}$"]], bbox=[0.0, 0.4, 0.12, 0.2])
        table.auto_set_font_size(False)
        table.set_fontsize(14)
        found = base.layout_problems(fig)
        assert any("leaves its table cell (0, 1)" in problem for problem in found)
        assert not any("table cell (0, 0)" in problem for problem in found)
        table[0, 0].set_width(0.1)  # the short number's share goes to the long one
        table[0, 1].set_width(0.9)
        assert base.layout_problems(fig) == []
    base.plt.close(fig)


def test_a_text_below_14_pt_on_the_slide_is_reported():
    """Legible from the back of a lecture hall: nothing below 14 pt when the figure fills a 16:9 slide; a
    figure drawn narrower than the slide is scaled up with it, and its text with it."""
    with base.style():
        fig = base.new_figure()
        fig.text(0.5, 0.5, "tick 0.5", fontsize=12)
        assert any("'tick 0.5' is set at 12.0 pt on a slide, below 14 pt" in p for p in base.layout_problems(fig))
        fig.texts[0].set_fontsize(14)
        assert base.layout_problems(fig) == []
        half = base.plt.figure(figsize=(base.theme.FIGSIZE[0] / 2, base.theme.FIGSIZE[1] / 2))
        half.text(0.5, 0.5, "tick 0.5", fontsize=8)       # 16 pt once the half-size figure fills the slide
        assert base.layout_problems(half) == []
    base.plt.close(fig)
    base.plt.close(half)
