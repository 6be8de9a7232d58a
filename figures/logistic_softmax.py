"""Chapter 8 — logistic and softmax regression as they train; the table distribution ↔ activation ↔ loss, checked."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, ListedColormap

from lecture import theme
from lecture.text import fixed, fmt, t

from .base import new_figure, provenance, style

INK, MUTED = "#1B1F24", "#5F6670"
CLASS_ROLES = ("class-0", "class-1", "class-2")


# π(x) = P(y = 1 | x): class 0's colour where π is near 0, white at π = 0.5, class 1's near 1 (as the video
# shades the plane: the predicted class's colour, stronger the farther π is from 0.5)
PROBABILITY = LinearSegmentedColormap.from_list(
    "class-probability", [theme.color(CLASS_ROLES[0]), "#FFFFFF", theme.color(CLASS_ROLES[1])])


def snapshot_indices(res, count: int = 3) -> list[int]:
    """Early, middle and last snapshots: the first after epoch 0, one near epochs/10, the last."""
    epochs = res["snap_epoch"]
    last = len(epochs) - 1
    early = 1
    middle = int(np.argmin(np.abs(epochs - epochs[-1] / 10)))
    return sorted({early, max(middle, early + 1), last})[:count]


def boundary(ax, w, x1, gid: str):
    """π = 0.5: w0 + w1 x1 + w2 x2 = 0 (weights in the data's units)."""
    if abs(w[2]) > 1e-12:
        ax.plot(x1, -(w[0] + w[1] * x1) / w[2], color=INK, linewidth=2.2, gid=gid)


def feature_label(res, axis: str, lang: str) -> str:
    return t(f"logistic-softmax.feature.{res.settings['feature_' + axis]}", lang)


def logistic_regression(results, lang: str):
    res = results["logistic"]
    x, y = res["x"], res["y"]
    g1, g2 = res["grid_x1"], res["grid_x2"]
    picks = snapshot_indices(res)
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(1, len(picks) + 1, width_ratios=[1] * len(picks) + [1.1])
        for k, s in enumerate(picks):
            ax = fig.add_subplot(grid[0, k])
            cf = ax.contourf(g1, g2, res["snap_prob"][s], levels=np.linspace(0, 1, 11), cmap=PROBABILITY, alpha=0.75)
            boundary(ax, res["snap_w"][s], g1, f"zero=logistic:snap_w[{s}]")
            for c in (0, 1):
                m = y == c
                ax.scatter(x[m, 0], x[m, 1], s=18, color=theme.color(CLASS_ROLES[c]), edgecolor="white", linewidth=0.5,
                           label=t(f"logistic-softmax.binary.{c}", lang), zorder=3, gid=f"xy=logistic:x[y=={c}]")
            ax.set_xlim(g1[0], g1[-1])
            ax.set_ylim(g2[0], g2[-1])
            ax.set_title(t("logistic-softmax.epoch_acc", lang, epoch=int(res["snap_epoch"][s]),
                           acc=fmt(100 * res["acc"][int(res["snap_epoch"][s])], 3)), fontsize=14)
            ax.set_xlabel(feature_label(res, "x", lang))
            if k == 0:
                ax.set_ylabel(feature_label(res, "y", lang))
                ax.legend(loc="upper left", fontsize=14)
        cb = fig.colorbar(cf, ax=fig.axes, location="bottom", shrink=0.35, pad=0.02, aspect=40)
        cb.set_label(r"$\pi(x) = P(y = 1 \mid x)$")
        ax = fig.add_subplot(grid[0, -1])
        ax.plot(np.arange(len(res["loss"])), res["loss"], color=theme.color("sigmoid"), linewidth=2.5,
                label=t("logistic-softmax.bce", lang), gid="y=logistic:loss")
        ax.set_xlabel(t("logistic-softmax.axis_epoch", lang))
        ax.set_ylabel(t("logistic-softmax.axis_loss", lang))
        ax.set_ylim(0, None)
        ax.set_title(t("logistic-softmax.loss_title", lang, loss=fmt(res["loss"][-1], 4)), fontsize=14)
        ax.legend(loc="center right", fontsize=14)   # the top right holds the ln 3 line's label
        fig.suptitle(t("logistic-softmax.logistic_figure_title", lang), fontsize=21, fontweight="bold")
        s = res.settings
        fig.text(0.005, 0.005, t("logistic-softmax.logistic_note", lang, lr=s["lr"], epochs=s["epochs"]),
                 ha="left", va="bottom", fontsize=14, color=MUTED)
        provenance(fig, [res], lang)
    return fig


def softmax_regression(results, lang: str):
    res = results["softmax"]
    x, y = res["x"], res["y"]
    g1, g2 = res["grid_x1"], res["grid_x2"]
    picks = snapshot_indices(res)
    cmap = ListedColormap([theme.color(r) for r in CLASS_ROLES])
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(1, len(picks) + 1, width_ratios=[1] * len(picks) + [1.1])
        for k, s in enumerate(picks):
            ax = fig.add_subplot(grid[0, k])
            ax.contourf(g1, g2, res["snap_class"][s], levels=[-0.5, 0.5, 1.5, 2.5], cmap=cmap, alpha=0.28)
            ax.contour(g1, g2, res["snap_class"][s], levels=[0.5, 1.5], colors=INK, linewidths=1.2)
            for c in range(3):
                m = y == c
                ax.scatter(x[m, 0], x[m, 1], s=16, color=theme.color(CLASS_ROLES[c]), edgecolor="white", linewidth=0.4,
                           label=t(f"logistic-softmax.species.{c}", lang), zorder=3, gid=f"xy=softmax:x[y=={c}]")
            ax.set_xlim(g1[0], g1[-1])
            ax.set_ylim(g2[0], g2[-1])
            e = int(res["snap_epoch"][s])
            ax.set_title(t("logistic-softmax.epoch_acc", lang, epoch=e, acc=fmt(100 * res["acc"][e], 3)), fontsize=14)
            ax.set_xlabel(feature_label(res, "x", lang))
            if k == 0:
                ax.set_ylabel(feature_label(res, "y", lang))
                ax.legend(loc="upper left", fontsize=14)
        ax = fig.add_subplot(grid[0, -1])
        ax.plot(np.arange(len(res["loss"])), res["loss"], color=theme.color("highlight"), linewidth=2.5,
                label=t("logistic-softmax.ce", lang), gid="y=softmax:loss")
        ax.axhline(np.log(3), color=MUTED, linestyle=":", linewidth=1.2)
        ax.text(len(res["loss"]) - 1, np.log(3), "ln 3", ha="right", va="bottom", color=MUTED, fontsize=14)
        ax.set_xlabel(t("logistic-softmax.axis_epoch", lang))
        ax.set_ylabel(t("logistic-softmax.axis_loss", lang))
        ax.set_ylim(0, 1.2)
        ax.set_title(t("logistic-softmax.loss_title", lang, loss=fmt(res["loss"][-1], 4)), fontsize=14)
        ax.legend(loc="center right", fontsize=14)   # the top right holds the ln 3 line's label
        fig.suptitle(t("logistic-softmax.softmax_figure_title", lang), fontsize=21, fontweight="bold")
        s = res.settings
        fig.text(0.005, 0.005, t("logistic-softmax.softmax_note", lang, lr=s["lr"], epochs=s["epochs"]),
                 ha="left", va="bottom", fontsize=14, color=MUTED)
        provenance(fig, [res], lang)
    return fig


def check_cells(results, lang: str) -> list[str]:
    """The computed check of each table row (Bernoulli, multinoulli, Gaussian — the slides' order)."""
    lo, so, ga = results["logistic"], results["softmax"], results["loss-table"]
    return [
        t("logistic-softmax.check.bern", lang, bce=f"{lo.scalar('bce'):.6f}", nll=f"{lo.scalar('bern_nll'):.6f}"),
        t("logistic-softmax.check.cat", lang, ce=f"{so.scalar('ce'):.6f}", nll=f"{so.scalar('cat_nll'):.6f}"),
        t("logistic-softmax.check.gauss", lang, mse=fixed(ga.scalar("mse"), 5), nll=fixed(ga.scalar("nll"), 5),
          const=fixed(ga.scalar("const"), 5), rest=fixed(ga.scalar("nll_minus_const"), 5)),
    ]


def loss_table(results, lang: str):
    rows = [[t(f"logistic-softmax.table.{r}.{c}", lang) for c in ("kind", "dist", "act", "loss")]
            for r in ("bern", "cat", "gauss")]
    checks = check_cells(results, lang)
    with style():
        fig = new_figure()
        ax = fig.add_subplot(1, 1, 1)
        ax.axis("off")
        cells = [r + [c] for r, c in zip(rows, checks)]
        cols = [t(f"logistic-softmax.table.col.{c}", lang) for c in ("kind", "dist", "act", "loss", "check")]
        table = ax.table(cellText=cells, colLabels=cols, cellLoc="center", bbox=[0.02, 0.25, 0.96, 0.65],
                         colWidths=[0.1, 0.13, 0.12, 0.19, 0.46])
        table.auto_set_font_size(False)
        table.set_fontsize(14)
        for (r, c), cell in table.get_celld().items():
            cell.set_edgecolor("#D8DEE9")
            if r == 0:
                cell.set_text_props(fontweight="bold")
                cell.set_facecolor("#F2F4F8")
            if c == 4 and r > 0:
                cell.set_text_props(color=theme.color("highlight"), fontsize=14)
        ax.text(0.0, 0.16, t("logistic-softmax.table_note", lang), transform=ax.transAxes, fontsize=14, color=INK,
                va="top")
        fig.suptitle(t("logistic-softmax.table_title", lang), fontsize=21, fontweight="bold")
        provenance(fig, [results["logistic"]], lang)
    return fig
