"""Chapter 10 — backpropagation on the computation graph of L = (σ(w·x + b) − y)²."""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle

from lecture import theme
from lecture.text import fixed, math_number, t

from .base import new_figure, provenance, style

NOTE = "#5F6670"
# where each node sits (the same layout as the video)
LAYOUT = {"w": (0.0, 1.0), "x": (0.0, -0.6), "u": (1.4, 0.2), "b": (1.4, -1.4), "z": (2.8, -0.4),
          "a": (4.2, -0.4), "y": (4.2, -2.0), "d": (5.6, -1.0), "L": (7.0, -1.0)}
SX = 1.3  # the figure spreads the layout horizontally to leave room for the edge labels


def pos(name: str) -> tuple[float, float]:
    x, y = LAYOUT[name]
    return x * SX, y


TEX = {"x": "x", "w": "w", "b": "b", "y": "y", "u": "u", "z": "z", "a": "a", "d": "d", "L": "L"}
OP_TEX = {"u": r"w\cdot x", "z": "u+b", "a": r"\sigma(z)", "d": "a-y", "L": "d^2"}


def computation_graph(results, lang: str):
    res = results["backprop"]
    nodes = [str(n) for n in res["nodes"]]
    value, grad, fd = res["value"], res["grad"], res["fd_grad"]
    fwd, bwd = theme.color("forward"), theme.color("backward")
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(1, 2, width_ratios=[2.2, 1])
        ax = fig.add_subplot(grid[0, 0])
        ax.set_axis_off()
        ax.set_xlim(-0.6, 7.6 * SX)
        ax.set_ylim(-3.15, 1.75)
        ax.set_aspect("equal")
        r = 0.36
        for e, (p, c) in enumerate(res["edges"]):
            (x0, y0), (x1, y1) = pos(nodes[p]), pos(nodes[c])
            d = np.hypot(x1 - x0, y1 - y0)
            ux, uy = (x1 - x0) / d, (y1 - y0) / d
            ax.annotate("", xy=(x1 - ux * r, y1 - uy * r), xytext=(x0 + ux * r, y0 + uy * r),
                        arrowprops=dict(arrowstyle="-|>", color="#8C93A1", lw=1.8))
            mx, my = (x0 + x1) / 2, (y0 + y1) / 2
            name = rf"$\partial {TEX[nodes[c]]}/\partial {TEX[nodes[p]]}$"
            if abs(uy) < 1e-9:   # horizontal edges: a two-line label just above the arrow, between the nodes' values
                ax.text(mx, my + 0.08, f"{name}\n= {fixed(res['local'][e], 2)}", ha="center", va="bottom", fontsize=14,
                        color=NOTE, linespacing=1.1)
            else:  # on the arrow itself, two lines on a white ground: clear of the nodes' values beside it
                ax.text(mx, my, f"{name}\n= {fixed(res['local'][e], 2)}", ha="center", va="center", fontsize=14,
                        color=NOTE, linespacing=1.05, zorder=3.5,  # over its arrow (an annotation: 3)
                        bbox=dict(boxstyle="round,pad=0.12", facecolor="white", edgecolor="none", alpha=0.92))
        for i, n in enumerate(nodes):
            x0, y0 = pos(n)
            leaf = n in ("x", "w", "b", "y")
            ax.add_patch(Circle(
                (x0, y0), r, facecolor="#F2F4F8" if leaf else "white", edgecolor="#1B1F24", lw=1.8, zorder=3))
            ax.text(x0, y0, f"${TEX[n]}$", ha="center", va="center", fontsize=17, zorder=4)
            ax.text(x0, y0 + r + 0.08, fixed(value[i], 3), ha="center", va="bottom", fontsize=14, color=fwd,
                    fontweight="bold", zorder=4)
            ax.text(x0, y0 - r - 0.08, fixed(grad[i], 3), ha="center", va="top", fontsize=14, color=bwd,
                    fontweight="bold", zorder=4)
        ax.text(pos("L")[0] / 2, 1.7, ",   ".join(f"${OP_TEX[n]}$" if n == "_" else f"${TEX[n]} = {OP_TEX[n]}$"
                                                 for n in OP_TEX), ha="center", va="top", fontsize=15)
        ax.text(-0.55, -2.35, t("backprop.legend_value", lang), color=fwd, fontsize=14, va="center", fontweight="bold")
        ax.text(-0.55, -2.7, t("backprop.legend_grad", lang), color=bwd, fontsize=14, va="center", fontweight="bold")
        ax.text(-0.55, -3.05, t("backprop.legend_local", lang), color=NOTE, fontsize=14, va="center")
        tab_ax = fig.add_subplot(grid[0, 1])
        tab_ax.set_axis_off()
        rows = [[f"${TEX[n]}$", fixed(grad[i], 4), fixed(fd[i], 4), math_number(abs(grad[i] - fd[i]), 2)]
                for i, n in enumerate(nodes)]   # the values are on the graph
        table = tab_ax.table(cellText=rows, colLabels=[t(f"backprop.col.{c}", lang) for c in
                                                       ("node", "autograd", "fd", "diff")],
                             cellLoc="center", bbox=[0.0, 0.12, 1.0, 0.82])
        table.auto_set_font_size(False)
        table.set_fontsize(14)
        widths = (0.16, 0.27, 0.27, 0.30)  # shares of the table: one letter, numbers, a power of ten
        for (rr, cc), cell in table.get_celld().items():
            cell.set_width(widths[cc])
            cell.set_edgecolor("#D8DEE9")
            if rr == 0:
                cell.set_text_props(fontweight="bold")
            elif cc in (1, 2):
                cell.set_text_props(color=bwd)
        tab_ax.set_title(t("backprop.table_title", lang))
        tab_ax.text(0.5, 0.05, t("backprop.table_note", lang, h=math_number(res.settings["fd_step"]),
                                 err=math_number(res["max_fd_error"], 2)),
                    transform=tab_ax.transAxes, ha="center", va="center", fontsize=14, color=NOTE)
        fig.suptitle(t("backprop.figure_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("backprop.figure_note", lang, **{k: res.settings[k] for k in ("x", "w", "b", "y")}),
                 ha="left", va="bottom", fontsize=14, color=NOTE)
        provenance(fig, [res], lang)
    return fig
