"""Chapter 5 — the terminology pairs on chapter 6's fitted regression; the regression against the MNIST network."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from lecture import theme
from lecture.text import fixed, fmt, t

from .base import footnote, new_figure, provenance, style

INK, MUTED = "#1B1F24", "#5F6670"
STAT, DEEP = "least-squares", "mlp"


def stats_and_dl(results, lang: str):
    res = results["stats-and-dl"]
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(2, 2, width_ratios=[1.1, 1.0], height_ratios=[1.0, 0.8])
        # (a) the fitted model, each pair of names on its element
        ax = fig.add_subplot(grid[:, 0])
        x, y = res["x"], res["y"]
        ax.scatter(x, y, s=30, color=theme.color(STAT), gid="x=stats-and-dl:x y=stats-and-dl:y")
        path = res["learn/path"]
        xs = np.array([0.0, 4.0])
        for k in (1, 3, 10):
            ax.plot(xs, path[k, 0] + path[k, 1] * xs, color=theme.color("highlight"), alpha=0.35, linewidth=1.2)
        w0, w1 = res["w_learned"]
        ax.plot(xs, w0 + w1 * xs, color=theme.color("highlight"), linewidth=2.5, label=t("stats-and-dl.figure.learned", lang))
        ax.plot(xs, res["w_ls"][0] + res["w_ls"][1] * xs, color=MUTED, linewidth=1, linestyle=(0, (1, 3)),
                label=t("stats-and-dl.ls_line", lang))
        xn, yn = float(res["new_x"]), float(res["prediction"])
        ax.plot([xn], [yn], "o", color=theme.color("highlight"), markersize=9)
        box = dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor=theme.color("highlight"))
        ax.annotate(f"{t('stats-and-dl.pair.prediction', lang)}\nŷ({fixed(xn, 1)}) = {fixed(yn, 3)}", (xn, yn),
                    xytext=(xn - 0.2, yn - 1.5), ha="center", fontsize=14, bbox=box,
                    arrowprops=dict(arrowstyle="-", color=theme.color("highlight")))
        ax.text(0.04, 0.96, f"{t('stats-and-dl.pair.parameter', lang)}: w₁ = {fixed(w1, 3)}, w₀ = {fixed(w0, 3)}\n"
                f"{t('stats-and-dl.pair.estimation', lang)}", transform=ax.transAxes, ha="left", va="top",
                fontsize=14, bbox=box)
        ax.set_xlabel(t("stats-and-dl.pair.feature", lang))
        ax.set_ylabel(t("stats-and-dl.pair.label", lang))
        ax.legend(loc="lower right", fontsize=14)
        ax.set_title(t("stats-and-dl.figure.panel_fit", lang), fontsize=14)
        # (b) parameters and training data on a log scale
        ax = fig.add_subplot(grid[0, 1])
        p, n = res["params"], res["data_n"]
        ypos = np.array([3, 2.2, 1, 0.2])
        bars = []
        for yy, (key, i) in zip(ypos, (("params", 0), ("params", 1), ("data_n", 0), ("data_n", 1))):
            bars.append(ax.barh([yy], [res[key][i]], height=0.7, color=theme.color(STAT if i == 0 else DEEP),
                                gid=f"y=stats-and-dl:{key}[{i}]"))
        for yy, v in zip(ypos, [p[0], p[1], n[0], n[1]]):
            ax.text(v * 1.3, yy, f"{int(v):,}", va="center", fontsize=14)
        ax.set_xscale("log")
        ax.set_xlim(1, 1e8)
        ax.set_yticks([2.6, 0.6], [t("stats-and-dl.row.params", lang), t("stats-and-dl.row.data", lang)])
        ax.set_title(t("stats-and-dl.figure.panel_size", lang), fontsize=14)
        ax.legend(handles=[bars[0], bars[1]], labels=[t("stats-and-dl.col.stat", lang),
                                                                  t("stats-and-dl.col.deep", lang)],
                  loc="upper right", fontsize=14, frameon=False)
        ax.set_ylim(-0.3, 5.0)
        # (c) the network's first-layer weights
        units = len(res["mnist/unit_weights"])
        sub = grid[1, 1].subgridspec(2, units, height_ratios=[0.18, 1])
        head = fig.add_subplot(sub[0, :])
        head.axis("off")
        head.text(0.0, 0.0, t("stats-and-dl.figure.panel_units", lang, k=units), ha="left", va="bottom", fontsize=14,
                  fontweight="bold", transform=head.transAxes)
        cmap = LinearSegmentedColormap.from_list("w", [theme.color("weight-neg"), "#FFFFFF", theme.color("weight-pos")])
        for i, img in enumerate(res["mnist/unit_weights"]):
            a = fig.add_subplot(sub[1, i])
            m = np.abs(img).max()
            a.imshow(img, cmap=cmap, vmin=-m, vmax=m, gid=f"y=stats-and-dl:mnist/unit_weights[{i}]")
            a.set_xticks([])
            a.set_yticks([])
        fig.suptitle(t("stats-and-dl.figure.title", lang), fontsize=20, fontweight="bold")
        ratio = res["data_n"] / res["params"]
        footnote(fig, t("stats-and-dl.figure.note", lang, r2=fixed(res["r2"], 2), se=fixed(res["se_w1"], 3),
                        r0=fmt(ratio[0], 3), r1=fmt(ratio[1], 2), n=f"{int(res['mnist/n_holdout']):,}",
                        acc=f"{100 * float(res['mnist/holdout_acc']):.1f}", epochs=res.settings["mnist_epochs"]))
        provenance(fig, [res], lang)
    return fig
