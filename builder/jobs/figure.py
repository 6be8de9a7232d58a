"""A slide figure: drawn from stored results and saved in every format (figures.base.save)."""
from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def figure_job(*, target: str, needs: tuple[str, ...], results_dir: Path, lang: str, stem: Path) -> dict:
    """Runs in a worker process: draw one figure and save it in three formats; return the files and the
    figure's layout problems (texts leaving the figure or meeting: other settings than the lecture's,
    e.g. fewer epochs, can move a label onto another)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")  # a missing glyph is a failure
    from engine.store import load
    from figures.base import fit_footers, layout_problems, save

    module_name, func_name = target.split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    results = {need: load(need, Path(results_dir)) for need in needs}
    fig = func(results, lang)
    fit_footers(fig)  # as saving lays it out
    problems = layout_problems(fig)
    return {"paths": [str(p) for p in save(fig, Path(stem), footers_fitted=True)], "layout": problems}
