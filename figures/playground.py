"""Chapter 14 — TensorFlow-Playground-style panels: data, every neuron's heat-map, output, loss curves."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import ConnectionPatch

from lecture import theme
from lecture.text import fmt, t

from .base import new_figure, provenance, style

NOTE = "#5F6670"


def colormap() -> LinearSegmentedColormap:
    """−1 orange … 0 white … +1 blue, the Playground's convention."""
    return LinearSegmentedColormap.from_list("playground", [theme.color("class-negative"), "#FFFFFF",
                                                            theme.color("class-positive")])


def _heat(ax, image, extent, cmap, gid: str):
    ax.imshow(image, extent=(-extent, extent, -extent, extent), cmap=cmap, vmin=-1, vmax=1, interpolation="bilinear",
              gid=gid)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("#B0B7C3")


def playground_panel(results, lang: str, name: str):
    res = results["playground"]
    s = res.settings
    sizes = [int(v) for v in res["layer_sizes"]]
    ext = float(s["domain"])
    cmap = colormap()
    maps = res[f"{name}/maps"][-1]               # the last snapshot: (neurons, g, g)
    axis = res["grid_axis"]
    gx, gy = np.meshgrid(axis, axis[::-1])
    hidden = sizes[1:-1]
    rows = max(hidden + [2])
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(rows, 3 + len(hidden), width_ratios=[0.8] * (1 + len(hidden)) + [2.2, 0.08],
                                height_ratios=[1] * rows)
        columns = []
        # inputs x1, x2 as the Playground draws them
        inputs = []
        for k, feature in enumerate((gx, gy)):
            ax = fig.add_subplot(grid[(rows - 2) // 2 + k, 0])
            _heat(ax, np.clip(feature / ext, -1, 1), ext, cmap, "decor")  # the input plane's coordinates
            ax.set_title(f"$x_{k + 1}$", fontsize=14)
            inputs.append(ax)
        columns.append(inputs)
        start = 0
        for layer, width in enumerate(hidden):
            col = []
            for j in range(width):
                ax = fig.add_subplot(grid[(rows - width) // 2 + j, 1 + layer])
                _heat(ax, maps[start + j], ext, cmap, f"y=playground:{name}/maps[-1,{start + j}]")
                ax.set_title(t("playground.neuron", lang, layer=layer + 1, j=j + 1), fontsize=14)
                col.append(ax)
            columns.append(col)
            start += width
        out_ax = fig.add_subplot(grid[: max(1, rows - 1) if rows > 2 else rows, 1 + len(hidden)])
        image = out_ax.imshow(maps[start], extent=(-ext, ext, -ext, ext), cmap=cmap, vmin=-1, vmax=1,
                              interpolation="bilinear", alpha=0.65, gid=f"y=playground:{name}/maps[-1,{start}]")
        for split in ("train", "test"):
            x, y = res[f"{name}/x_{split}"], res[f"{name}/y_{split}"]
            colours = np.where(y > 0, theme.color("class-positive"), theme.color("class-negative"))
            # as the Playground draws them: training points with a white rim, test points with a dark one
            out_ax.scatter(x[:, 0], x[:, 1], c=colours, s=18, edgecolors="white" if split == "train" else "#1B1F24",
                           linewidths=0.9, label=t(f"playground.{split}_points", lang), gid=f"xy=playground:{name}/x_{split}")
        out_ax.set_xlim(-ext, ext)
        out_ax.set_ylim(-ext, ext)
        out_ax.set_aspect("equal")
        out_ax.grid(False)
        out_ax.set_title(t("playground.output_title", lang, epoch=int(res["snapshot_epochs"][-1])), loc="left")
        # beside the title, not on the points; the split is the rim, the same in every panel (the fill is the
        # label's colour, read off the colour bar): the handles are drawn grey, not the first point's colour
        handles = [Line2D([], [], linestyle="none", marker="o", markersize=7, markerfacecolor="#9AA3AE",
                          markeredgecolor="white" if split == "train" else "#1B1F24", markeredgewidth=1.4,
                          label=t(f"playground.{split}_points", lang)) for split in ("train", "test")]
        out_ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=14,
                      frameon=False, handletextpad=0.2, columnspacing=0.8, borderaxespad=0.2)
        columns.append([out_ax])
        cax = fig.add_subplot(grid[: max(1, rows - 1) if rows > 2 else rows, 2 + len(hidden)])
        fig.colorbar(image, cax=cax, ticks=[-1, 0, 1])
        # the weights as links: width ∝ |w|, colour by sign
        for layer in range(len(columns) - 1):
            w = res[f"{name}/weights/{layer}"]
            scale = float(np.max(np.abs(w))) or 1.0
            for i, src in enumerate(columns[layer]):
                for j, dst in enumerate(columns[layer + 1]):
                    value = float(w[i, j])
                    link = ConnectionPatch(xyA=(1.0, 0.5), coordsA="axes fraction", axesA=src, xyB=(0.0, 0.5),
                                           coordsB="axes fraction", axesB=dst,
                                           color=theme.color("class-positive" if value > 0 else "class-negative"),
                                           linewidth=0.4 + 3.2 * abs(value) / scale, alpha=0.7, zorder=0)
                    fig.add_artist(link)
        if rows > 2:
            loss_ax = fig.add_subplot(grid[rows - 1, 1 + len(hidden):])
        else:  # pragma: no cover - the default network has a layer of 4
            loss_ax = fig.add_axes([0.6, 0.08, 0.3, 0.2])
        epochs = res["epoch"]
        for split in ("train", "test"):
            loss_ax.plot(epochs, res[f"{name}/{split}_loss"], color=theme.color(split), linewidth=2,
                         label=t("playground.loss_label", lang, split=t(f"playground.split.{split}", lang),
                                 loss=fmt(res[f"{name}/{split}_loss"][-1], 3)),
                         gid=f"y=playground:{name}/{split}_loss x=playground:epoch")
        loss_ax.set_xlabel(t("playground.axis_epoch", lang), fontsize=14)
        loss_ax.set_ylabel(t("playground.axis_loss", lang), fontsize=14)
        loss_ax.set_ylim(0, max(0.6, float(np.max(res[f"{name}/train_loss"])) * 1.05))
        loss_ax.tick_params(labelsize=14)
        loss_ax.legend(loc="best", fontsize=14)  # a loss that does not fall (spiral) keeps the top
        fig.suptitle(t("playground.figure_title", lang, data=t(f"playground.data.{name}", lang)), fontsize=22,
                     fontweight="bold")
        fig.text(0.005, 0.005, t("playground.figure_note", lang, hidden=", ".join(str(h) for h in hidden),
                                 act=s["activation"], lr=s["lr"], batch=s["batch"], share=round(100 * s["train_share"]),
                                 noise=round(100 * s["noise"]), n=s["samples"], epochs=s["epochs"],
                                 acc=fmt(100 * float(res[f"{name}/test_accuracy"]), 3)),
                 ha="left", va="bottom", fontsize=14, color=NOTE)
        provenance(fig, [res], lang)
    return fig


def playground_circle(results, lang: str):
    return playground_panel(results, lang, "circle")


def playground_xor(results, lang: str):
    return playground_panel(results, lang, "xor")


def playground_gauss(results, lang: str):
    return playground_panel(results, lang, "gauss")


def playground_spiral(results, lang: str):
    return playground_panel(results, lang, "spiral")
