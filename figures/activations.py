"""Chapter 2 — the four activation functions (top) and their autograd derivatives (bottom)."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import fmt, t

from .base import clear_corner, new_figure, provenance, style

# The slides' formulas (mathtext, Computer Modern).
FORMULA = {
    "identity": r"$a(x) = x$",
    "sigmoid": r"$a(x) = \dfrac{1}{1 + e^{-x}}$",
    "tanh": r"$a(x) = \dfrac{e^{x} - e^{-x}}{e^{x} + e^{-x}}$",
    "relu": r"$a(x) = \max(x,\, 0)$",
}


def activation_functions(results, lang: str):
    res = results["activations"]
    x = res["x"]
    names = [str(n) for n in res["names"]]
    with style():
        fig = new_figure()
        axes = fig.subplots(2, len(names), sharex=True)
        formulas = []
        for col, name in enumerate(names):
            c = theme.color(name)
            top, bottom = axes[0, col], axes[1, col]
            top.plot(x, res[f"f/{name}"], color=c, gid=f"y=activations:f/{name} x=activations:x")
            top.set_title(t(f"activations.name.{name}", lang))
            formulas.append(top.text(0, 0, FORMULA[name], transform=top.transAxes, fontsize=15,
                                     bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="none",
                                               alpha=0.9)))
            bottom.plot(x, res[f"df/{name}"], color=c, linestyle="--", gid=f"y=activations:df/{name} x=activations:x")
            peak = res.scalar(f"max_df/{name}")
            at = float(np.mean(x[res[f"df/{name}"] >= peak - 1e-9]))  # the middle of a flat maximum
            bottom.axhline(peak, color=theme.OKABE_ITO["grey"], linewidth=1, linestyle=":")
            bottom.annotate(t("activations.max_label", lang, value=fmt(peak, 3)), (at, peak),
                            xytext=(0, 6), textcoords="offset points", ha="center", va="bottom", fontsize=14)
            bottom.set_xlabel(t("activations.axis_x", lang))
            top.set_ylim(-1.4, 2.0) if name in ("sigmoid", "tanh") else top.set_ylim(-6.5, 6.5)
            bottom.set_ylim(-0.1, 1.3)
            top.axhline(0, color="#999999", linewidth=0.8)
            top.axvline(0, color="#999999", linewidth=0.8)
        axes[0, 0].set_ylabel("a(x)")
        axes[1, 0].set_ylabel("a′(x)")
        fig.suptitle(t("activations.figure_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("activations.figure_note", lang), ha="left", va="bottom", fontsize=14, color="#5F6670")
        provenance(fig, [res], lang)
        for top, formula in zip(axes[0], formulas):
            clear_corner(top, formula, ("upper left", "lower right"))  # where the curve leaves room
    return fig
