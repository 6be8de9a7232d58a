"""Chapter 10 — forward and backward on an iris network: the gradients by hand, by autograd and by finite
differences of one mini-batch; the mini-batch loss of every iteration with the epochs marked."""
from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from lecture import theme
from lecture.text import fixed, fmt, t

from .base import new_figure, provenance, style

MUTED = "#5F6670"
LAYERS = ("W1", "b1", "W2", "b2")


def forward_backward(results, lang: str):
    res = results["forward-backward"]
    s = res.settings
    per, epochs, iters = int(res["iterations_per_epoch"]), int(res["epochs"]), int(res["iterations"])
    with style():
        fig = new_figure()
        fig.get_layout_engine().set(rect=(0, 0.05, 1, 0.95))
        grid = fig.add_gridspec(1, 2, width_ratios=[1, 1.7])
        # (a) every weight's and bias's gradient: by hand and by finite differences against autograd
        ax = fig.add_subplot(grid[0, 0])
        auto = np.concatenate([res[f"autograd/{k}"].ravel() for k in LAYERS])
        hand = np.concatenate([res[f"hand/{k}"].ravel() for k in LAYERS])
        fd = np.concatenate([res[f"fd/{k}"].ravel() for k in LAYERS])
        keys = ",".join(f"autograd/{k}" for k in LAYERS)
        lim = 1.1 * float(np.abs(auto).max())
        ax.plot([-lim, lim], [-lim, lim], color=MUTED, linewidth=1, zorder=1)
        ax.scatter(auto, hand, s=110, facecolor="none", edgecolor=theme.color("backward"), linewidth=1.8, zorder=3,
                   label=t("forward-backward.legend_hand", lang),
                   gid=f"x=forward-backward:{keys} y=forward-backward:{','.join(f'hand/{k}' for k in LAYERS)}")
        ax.scatter(auto, fd, s=22, color=theme.color("forward"), zorder=4, label=t("forward-backward.legend_fd", lang),
                   gid=f"x=forward-backward:{keys} y=forward-backward:{','.join(f'fd/{k}' for k in LAYERS)}")
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel(t("forward-backward.axis_autograd", lang))
        ax.xaxis.set_major_locator(MaxNLocator(5))  # 14 pt numbers need room
        ax.set_ylabel(t("forward-backward.axis_other", lang))
        ax.legend(loc="upper left", fontsize=14, framealpha=0.95)
        ax.text(0.97, 0.03, t("forward-backward.fig_hand", lang, diff=fmt(np.abs(hand - auto).max(), 2))
                + "\n" + t("forward-backward.fig_fd", lang, fd=fmt(np.abs(fd - auto).max(), 2)),
                transform=ax.transAxes, ha="right", va="bottom", fontsize=14, color=MUTED)
        ax.set_title(t("forward-backward.panel_gradients", lang), fontsize=14)
        # (b) the mini-batch loss of every iteration, the epochs' boundaries and the loss on all training flowers
        ax = fig.add_subplot(grid[0, 1])
        for e in range(1, epochs + 1):
            ax.axvline(e * per, color="#BBBBBB", linewidth=0.8, zorder=1)
        ax.plot(res["iteration"], res["iter_loss"], color=theme.color("train"), linewidth=1.4, zorder=2,
                label=t("forward-backward.legend_batch", lang),
                gid="x=forward-backward:iteration y=forward-backward:iter_loss")
        ax.plot(res["epoch"] * per, res["epoch_loss"], color=theme.color("epoch-loss"), linewidth=2.6, marker="o",
                markersize=4, zorder=3, label=t("forward-backward.legend_epoch", lang),
                gid="y=forward-backward:epoch_loss")
        ax.set_xlim(0, iters)
        ax.set_ylim(0, None)
        ax.set_xticks(np.arange(0, iters + 1, 5 * per if epochs > 10 else per))
        ax.set_xlabel(t("forward-backward.axis_iteration", lang))
        ax.set_ylabel(t("forward-backward.axis_loss", lang))
        ax.legend(loc="upper right", fontsize=14, framealpha=0.95)
        ax.text(0.97, 0.62, t("forward-backward.final_line", lang, epochs=epochs, first=fixed(res["epoch_loss"][0], 3),
                              last=fixed(res["epoch_loss"][-1], 3), acc=fmt(100 * float(res["epoch_acc"][-1]), 3)),
                transform=ax.transAxes, ha="right", va="top", fontsize=14, color=theme.color("epoch-loss"))
        ax.set_title(t("forward-backward.panel_epochs", lang, epochs=epochs, per=per), fontsize=14)
        fig.suptitle(t("forward-backward.figure_title", lang), fontsize=21, fontweight="bold")
        fig.text(0.005, 0.005, t("forward-backward.figure_note", lang, n=int(res["n_train"]), lr=fmt(s["lr"]),
                                 b=int(s["batch"])), ha="left", va="bottom", fontsize=14, color=MUTED)
        provenance(fig, [res], lang)
    return fig
