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
