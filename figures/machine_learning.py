"""Chapter 3 — machine learning: a hand-written rule vs a classifier learned from data (iris petals), the
learning curve, k-means clusters found without labels, and Q-learning's values and policy on a grid world."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Rectangle

from lecture import theme
from lecture.text import t

from .base import new_figure, provenance, style

INK, MUTED = "#1B1F24", "#5F6670"
ARROWS = ((0, 1), (1, 0), (0, -1), (-1, 0))          # up, right, down, left as (dx, dy) on the drawn grid


def species(ax, res, xkey: str, ykey: str, lang: str, size: float = 60, label: str = "machine-learning.species_label"):
    """The flowers ``res[xkey]`` coloured by ``res[ykey]`` (species, or clusters named by species)."""
    pts, lab = res[xkey], res[ykey]
    for c in range(3):
        m = lab == c
        ax.scatter(pts[m, 0], pts[m, 1], s=size, color=theme.color(f"class-{c}"), edgecolor=INK, linewidth=0.6,
                   zorder=4, label=t(label, lang, name=t(f"machine-learning.species.{c}", lang)),
                   gid=f"xy=machine-learning:{xkey}[{ykey}=={c}]")


def rings(ax, res, xkey: str, rightkey: str, size: float, colour: str):
    """Open circles around the flowers ``res[xkey]`` where ``res[rightkey]`` is 0 (the ones a classifier gets
    wrong)."""
    which = res[rightkey] == 0
    if which.any():
        ax.scatter(res[xkey][which, 0], res[xkey][which, 1], s=size, facecolor="none", edgecolor=colour,
                   linewidth=1.8, zorder=5, gid=f"xy=machine-learning:{xkey}[{rightkey}==0]")


def petal_axes(ax, lang: str):
    ax.set_xlim(0.5, 7.5)
    ax.set_ylim(0.0, 2.75)
    ax.set_xlabel(t("machine-learning.axis_length", lang))
    ax.set_ylabel(t("machine-learning.axis_width", lang))


def rules_and_learning(results, lang: str):
    res = results["machine-learning"]
    s = res.settings
    pct = lambda v: f"{100 * float(v):.0f}"            # noqa: E731
    with style():
        fig = new_figure()
        fig.get_layout_engine().set(rect=(0, 0.07, 1, 0.93))  # room for the two-line note
        grid = fig.add_gridspec(2, 3, width_ratios=[1.25, 1.25, 0.9])
        # (a) the rule's lines and the learned regions, on the lecture seed's test flowers
        ax = fig.add_subplot(grid[0, 0])
        gx, gy, region = res["plane/x"], res["plane/y"], res["plane/region"]
        ax.contourf(gx, gy, region, levels=[-0.5, 0.5, 1.5, 2.5], alpha=0.16,
                    cmap=ListedColormap([theme.color(f"class-{c}") for c in range(3)]))
        ax.contour(gx, gy, region, levels=[0.5, 1.5], colors=theme.color("learned"), linewidths=2.2)
        for v in (s["rule_setosa"], s["rule_versicolor"]):
            ax.axvline(v, color=theme.color("rule"), linewidth=2.2, linestyle=(0, (5, 3)))
        species(ax, res, "one_seed/test_x", "one_seed/test_y", lang, size=55)
        rings(ax, res, "one_seed/test_x", "one_seed/rule_right", 170, theme.color("rule"))
        rings(ax, res, "one_seed/test_x", "one_seed/learned_right", 330, theme.color("learned"))
        petal_axes(ax, lang)
        ax.legend(loc="upper left", fontsize=14, framealpha=0.9, handletextpad=0.2, borderaxespad=0.3)
        ax.set_title(t("machine-learning.panel_rule", lang, n=len(res["one_seed/test_y"]),
                       rule=pct(res["rule/test_acc"][0]), learned=pct(res["learned/test_acc"][0])), fontsize=15)
        # (b) the training loss of every seed
        ax = fig.add_subplot(grid[1, 0])
        loss = res["learned/loss"]
        steps = np.arange(loss.shape[1])
        for k in range(len(loss)):
            ax.plot(steps, loss[k], color=theme.color("learned"), linewidth=2.4 if k == 0 else 1.0,
                    alpha=1.0 if k == 0 else 0.45, gid=f"y=machine-learning:learned/loss[{k}]")
        ax.set_ylim(0, 1.2)
        ax.set_xlabel(t("machine-learning.axis_step", lang))
        ax.set_ylabel(t("machine-learning.axis_loss", lang), fontsize=14)
        ax.set_title(t("machine-learning.panel_loss", lang, k=len(loss)), fontsize=15)
        # (c) k-means without the labels: clusters named by the species they match best; mismatches ringed
        ax = fig.add_subplot(grid[:, 1])
        species(ax, res, "x", "one_seed/clusters", lang, size=45, label="machine-learning.cluster_of")
        rings(ax, res, "x", "one_seed/cluster_right", 150, INK)
        centres = res["kmeans/path"][0, -1]
        ax.scatter(centres[:, 0], centres[:, 1], marker="X", s=320, color=INK, edgecolor="white", linewidth=1.5, zorder=6)
        petal_axes(ax, lang)
        ax.legend(loc="upper left", fontsize=14, framealpha=0.9, handletextpad=0.2)
        ax.set_title(t("machine-learning.panel_kmeans", lang, pct=pct(res["one_seed/agreement"])), fontsize=15)
        # (d) the grid world: Q-learning's values max_a Q and its greedy policy
        ax = fig.add_subplot(grid[:, 2])
        v = res["one_seed/v_grid"]
        rows, cols = v.shape
        terminal, wall = res["rl/terminal"].reshape(rows, cols), res["rl/wall"].reshape(rows, cols)
        shown = np.where(terminal | wall, np.nan, v)
        ax.imshow(shown, cmap="Greens", vmin=0, vmax=1.15, extent=(-0.5, cols - 0.5, rows - 0.5, -0.5),
                  gid="decor")
        policy = res["rl/greedy"][0].reshape(rows, cols)
        reward = res["rl/reward"].reshape(rows, cols)
        for r in range(rows):
            for c in range(cols):
                if wall[r, c]:
                    ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, color="#9AA0A6"))
                elif terminal[r, c]:
                    goal = reward[r, c] > 0
                    ax.text(c, r, t("machine-learning.goal" if goal else "machine-learning.pit", lang)
                            + f"\n{reward[r, c]:+.0f}".replace("-", "−"), ha="center", va="center", fontsize=14,
                            color=INK if goal else theme.color("highlight"), fontweight="bold")
                else:
                    dx, dy = ARROWS[int(policy[r, c])]
                    ax.annotate("", xy=(c + 0.3 * dx, r - 0.3 * dy + 0.18), xytext=(c - 0.05 * dx, r + 0.05 * dy + 0.18),
                                arrowprops=dict(arrowstyle="-|>", color=INK, linewidth=1.8, mutation_scale=16))
                    ax.text(c, r - 0.22, f"{v[r, c]:.2f}", ha="center", va="center", fontsize=14, color=INK)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.set_aspect("equal")
        ax.set_title(t("machine-learning.panel_rl", lang), fontsize=15)
        fig.suptitle(t("machine-learning.figure_title", lang), fontsize=20, fontweight="bold")
        fig.text(0.005, 0.005, t("machine-learning.figure_note", lang, lr=s["lr"], steps=s["steps"],
                                 restarts=s["restarts"], gamma=s["gamma"], rl_steps=s["rl_steps"]),
                 ha="left", va="bottom", fontsize=14, color=MUTED)
        provenance(fig, [res], lang)
    return fig
