"""Chapter 4 — the XOR problem: the perceptron never converges; two hidden units transform the plane and solve it."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from lecture import theme
from lecture.text import t

from .base import new_figure, provenance, style

INK, MUTED = "#1B1F24", "#5F6670"


def points(ax, res, key: str, lang: str, size: float = 140, legend: bool = False):
    """The points ``res[key]`` (inputs or their hidden images), by the class ``res["y"]``."""
    pts, y = res[key], res["y"]
    for c in (0, 1):
        m = y == c
        ax.scatter(pts[m, 0], pts[m, 1], s=size, color=theme.color(f"class-{c}"), edgecolor=INK, linewidth=1.2,
                   marker="o" if c == 0 else "s", zorder=4, label=t(f"xor.class.{c}", lang),
                   gid=f"xy=xor:{key}[y=={c}]")
    if legend:
        ax.legend(loc="upper left", fontsize=14, framealpha=0.9)


def line_through(ax, w0: float, w1: float, w2: float, lo: float, hi: float, **kw):
    """w0 + w1 u + w2 v = 0 inside [lo, hi]²."""
    u = np.linspace(lo, hi, 200)
    if abs(w2) > 1e-12:
        v = -(w0 + w1 * u) / w2
        keep = (v >= lo) & (v <= hi)
        ax.plot(u[keep], v[keep], **kw)
    elif abs(w1) > 1e-12:
        ax.plot([-w0 / w1] * 2, [lo, hi], **kw)


def xor_problem(results, lang: str):
    res = results["xor"]
    lines_in, lines_h = res["input/lines"], res["hidden/lines"]
    g = res["grid"]
    lo, hi = float(g[0]), float(g[-1])
    mistakes = res["perceptron/mistakes"]
    path = res["perceptron/path"]
    s = res.settings
    with style():
        fig = new_figure()
        fig.get_layout_engine().set(rect=(0, 0.06, 1, 0.94))  # room for the two-line note
        grid = fig.add_gridspec(2, 3, width_ratios=[0.8, 1.1, 1.1])
        # (a) mistakes per epoch
        ax = fig.add_subplot(grid[0, 0])
        epochs = np.arange(1, len(mistakes) + 1)
        ax.bar(epochs, mistakes, color=theme.color("perceptron"), width=0.7, gid="y=xor:perceptron/mistakes")
        ax.set_ylim(0, 4.5)
        ax.set_yticks(range(5))
        ax.set_xlabel(t("xor.axis_epoch", lang))
        ax.set_ylabel(t("xor.axis_mistakes", lang))
        ax.set_title(t("xor.panel_mistakes", lang, least=int(mistakes.min())), fontsize=14)
        # (b) the perceptron's lines in the last epoch: it keeps cycling
        ax = fig.add_subplot(grid[1, 0])
        last = path[-5:]
        for k, w in enumerate(last):
            line_through(ax, *w, lo, hi, color=theme.color("perceptron"), alpha=0.3 + 0.7 * k / (len(last) - 1),
                         linewidth=2, gid=f"zero=xor:perceptron/path[{k - len(last)}]")
        points(ax, res, "x", lang, size=70)
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_aspect("equal")
        ax.set_xlabel(r"$x_1$")
        ax.set_ylabel(r"$x_2$")
        ax.set_title(t("xor.panel_perceptron", lang, epochs=len(mistakes)), fontsize=14)
        # (c) the MLP's decision region over the input plane, with the grid lines
        cmap = LinearSegmentedColormap.from_list("xor", [theme.color("class-0"), "#FFFFFF", theme.color("class-1")])
        ax = fig.add_subplot(grid[:, 1])
        ax.contourf(g, g, res["mlp/region"], levels=np.linspace(0, 1, 11), cmap=cmap, alpha=0.45)
        ax.contour(g, g, res["mlp/region"], levels=[0.5], colors=theme.color("mlp"), linewidths=2.5)
        for k, line in enumerate(lines_in):
            ax.plot(line[:, 0], line[:, 1], color=MUTED, linewidth=0.6, alpha=0.6, gid=f"xy=xor:input/lines[{k}]")
        points(ax, res, "x", lang)
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_aspect("equal")
        ax.set_xlabel(r"$x_1$")
        ax.set_ylabel(r"$x_2$")
        # below the panel: inside, any corner holds one of the four points
        ax.legend(*ax.get_legend_handles_labels(), loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2,
                  fontsize=14, frameon=False, handletextpad=0.3, columnspacing=1.5)
        ax.set_title(t("xor.panel_input", lang, acc=f"{100 * res['mlp/acc'][-1]:.0f}"), fontsize=14)
        # (d) the hidden space: the same lines after h = tanh(W x + b), separated by one straight line
        ax = fig.add_subplot(grid[:, 2])
        for k, line in enumerate(lines_h):
            ax.plot(line[:, 0], line[:, 1], color=MUTED, linewidth=0.6, alpha=0.6, gid=f"xy=xor:hidden/lines[{k}]")
        w2, b2 = res["mlp/W2"], float(res["mlp/b2"])
        line_through(ax, b2, w2[0], w2[1], -1.1, 1.1, color=theme.color("mlp"), linewidth=2.5,
                     gid="zero=xor:mlp/b2,mlp/W2")
        points(ax, res, "hidden/points", lang)
        ax.set_xlim(-1.05, 1.05)
        ax.set_ylim(-1.05, 1.05)
        ax.set_aspect("equal")
        ax.set_xlabel(r"$h_1$")
        ax.set_ylabel(r"$h_2$")
        ax.set_title(t("xor.panel_hidden", lang), fontsize=14)
        fig.suptitle(t("xor.figure_title", lang), fontsize=21, fontweight="bold")
        fig.text(0.005, 0.005, t("xor.figure_note", lang, lr=s["lr"], stop=s["stop_loss"], act=s["activation"],
                                 plr=s["perceptron_lr"], restarts=s["restarts"], n=res["starts/final_acc"].size,
                                 ok=int((res["starts/final_acc"] == 1).sum())), ha="left", va="bottom", fontsize=14, color=MUTED)
        provenance(fig, [res], lang)
    return fig
