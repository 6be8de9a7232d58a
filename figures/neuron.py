"""Chapter 2 — one trained neuron and the iris network drawn from its weights; the model-building loop's record."""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from lecture import theme
from lecture.text import fixed, t

from .base import footnote, new_figure, provenance, style

INK, MUTED = "#1B1F24", "#5F6670"


def weight_colour(w: float) -> str:
    return theme.color("weight-pos" if w >= 0 else "weight-neg")


def neuron_and_network(results, lang: str):
    res = results["neuron"]
    s = res.settings
    k = int(res["neuron/index"])
    sizes = [int(v) for v in res["sizes"]]
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(1, 3, width_ratios=[1.15, 1.25, 0.6])
        # (a) one neuron with its numbers
        ax = fig.add_subplot(grid[0, 0])
        ax.set_xlim(-3.4, 2.6)
        ax.set_ylim(-3.2, 2.4)
        ax.axis("off")
        x, w, terms = res["x"], res["neuron/w"], res["neuron/terms"]
        ys = np.linspace(1.7, -1.7, 4)
        for i in range(4):
            ax.plot([-1.6, 0.0], [ys[i], 0.0], color=weight_colour(w[i]), linewidth=1.5 + 1.6 * abs(w[i]),
                    solid_capstyle="round", zorder=1)
            ax.text(-1.7, ys[i] + 0.12, f"{t(f'neuron.feature.{i}', lang)}\n{fixed(x[i], 1)} cm", ha="right",
                    va="center", fontsize=14, color=INK)
            ax.text(-1.7, ys[i] - 0.45, f"w = {fixed(w[i], 2)}", ha="right", va="center", fontsize=14,
                    color=weight_colour(w[i]))
        ax.add_patch(Circle((0.35, 0), 0.48, facecolor="white", edgecolor=theme.color("highlight"), linewidth=2.5,
                            zorder=3))
        ax.text(0.35, 0, "Σ | σ", ha="center", va="center", fontsize=16, zorder=4)
        ax.add_patch(FancyArrowPatch((0.83, 0), (1.9, 0), arrowstyle="-|>", mutation_scale=18, color=INK, lw=2))
        ax.text(1.35, 0.25, fixed(res["neuron/out"], 3), ha="center", va="bottom", fontsize=16,
                color=theme.color("highlight"), fontweight="bold")
        ax.text(0.35, -3.15, f"z = {fixed(res['neuron/b'], 2)} + " + " + ".join(fixed(v, 2) for v in terms)
                .replace("+ −", "− ") + f"\n= {fixed(res['neuron/z'], 3)},  σ(z) = {fixed(res['neuron/out'], 3)}", ha="center", va="bottom", fontsize=14,
                color=INK)
        ax.set_title(t("neuron.figure.panel_neuron", lang, k=k + 1, z=fixed(res["neuron/z"], 3),
                       out=fixed(res["neuron/out"], 3)), fontsize=14)
        # (b) the network drawn from its weights
        ax = fig.add_subplot(grid[0, 1])
        ax.set_xlim(-0.6, 2.5)
        ax.set_ylim(-2.3, 2.1)
        ax.axis("off")
        cols = (0.0, 1.0, 2.0)

        def pos(l, j):
            n = sizes[l]
            return cols[l], (j - (n - 1) / 2) * -1.05

        for l, W in ((1, res["W1"]), (2, res["W2"])):
            wmax = np.abs(W).max()
            for i in range(sizes[l - 1]):
                for j in range(sizes[l]):
                    (x0, y0), (x1, y1) = pos(l - 1, i), pos(l, j)
                    ax.plot([x0, x1], [y0, y1], color=weight_colour(W[i, j]), linewidth=0.6 + 5 * abs(W[i, j]) / wmax,
                            alpha=0.7, zorder=1)
        values = [res["x"], res["h1"], res["z2"]]
        for l, n in enumerate(sizes):
            for j in range(n):
                cx, cy = pos(l, j)
                ax.add_patch(Circle((cx, cy), 0.26, facecolor="white", edgecolor=theme.color("highlight") if
                                    (l == 1 and j == k) else INK, linewidth=2.5 if (l == 1 and j == k) else 1.5, zorder=3))
                ax.text(cx, cy, fixed(values[l][j], 1 if l == 0 else 2), ha="center", va="center", fontsize=14, zorder=4)
        keys = ("input", "hidden", "output")
        for l in range(3):
            ax.text(cols[l], -2.25, t(f"neuron.layer.{keys[l]}", lang, n=sizes[l]), ha="center", va="bottom",
                    fontsize=14, color=MUTED)
        ax.set_title(t("neuron.figure.panel_network", lang, h=sizes[1]), fontsize=14)
        # (c) the class probabilities
        ax = fig.add_subplot(grid[0, 2])
        prob = res["prob"]
        names = [t(f"neuron.class.{j}", lang) for j in range(3)]
        ax.barh(np.arange(3), prob, color=[theme.color(f"class-{j}") for j in range(3)], gid="y=neuron:prob")
        ax.set_yticks(np.arange(3), names)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.45)
        ax.set_xticks([0, 0.5, 1])
        for j, p in enumerate(prob):
            ax.text(p + 0.04, j, fixed(p, 3), va="center", fontsize=14)
        ax.set_xlabel(t("neuron.truth", lang, name=t(f"neuron.class.{int(res['label'])}", lang)), fontsize=14)
        ax.set_title(t("neuron.figure.panel_prob", lang), fontsize=14)
        fig.suptitle(t("neuron.figure.neuron_title", lang), fontsize=20, fontweight="bold")
        footnote(fig, t("neuron.figure.note", lang, n_train=int(res["n_train"]), n_test=int(res["n_test"]),
                        h=sizes[1], lr=s["lr"]))
        provenance(fig, [res], lang)
    return fig


def model_building_loop(results, lang: str):
    res = results["neuron"]
    s = res.settings
    seeds = res["seeds/train_loss"].shape[0]
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(1, 3, width_ratios=[1.45, 1.0, 1.0])
        # (a) the loop
        ax = fig.add_subplot(grid[0, 0])
        ax.set_xlim(-2.7, 2.7)
        ax.set_ylim(-2.0, 2.0)
        ax.set_aspect("equal")
        ax.axis("off")
        names = ("data", "model", "loss", "optimizer", "evaluate")
        values = {"data": t("neuron.val.data", lang, n=int(res["n_train"])),
                  "model": t("neuron.val.model", lang, h=int(s["hidden"])),
                  "loss": f"{fixed(res['curve/train_loss'][0], 3)} → {fixed(res['curve/train_loss'][-1], 3)}",
                  "optimizer": t("neuron.val.optimizer", lang, lr=s["lr"]),
                  "evaluate": f"{t('neuron.read.test_acc', lang)} {100 * res['curve/test_acc'][-1]:.1f} %"}
        centres = []
        for i, name in enumerate(names):
            a = np.pi / 2 - 2 * np.pi * i / 5
            cx, cy = 1.75 * np.cos(a), 1.55 * np.sin(a)
            centres.append((cx, cy))
            ax.add_patch(FancyBboxPatch((cx - 0.9, cy - 0.36), 1.8, 0.72, boxstyle="round,pad=0.02",
                                        facecolor="#FFF4EC", edgecolor=theme.color("highlight"), linewidth=1.8,
                                        zorder=3))
            ax.text(cx, cy + 0.17, t(f"neuron.box.{name}", lang), ha="center", va="center", fontsize=15,
                    fontweight="bold", zorder=4)
            ax.text(cx, cy - 0.18, values[name], ha="center", va="center", fontsize=14, color=MUTED, zorder=4)
        for i in range(5):
            (x0, y0), (x1, y1) = centres[i], centres[(i + 1) % 5]
            ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=14, color=MUTED,
                                         lw=1.8, shrinkA=34, shrinkB=34, connectionstyle="arc3,rad=-0.2", zorder=1))
        ax.set_title(t("neuron.figure.panel_loop", lang), fontsize=14)
        # (b) training loss over the seeds
        ax = fig.add_subplot(grid[0, 1])
        ep = res["epoch"]
        for k in range(seeds):
            ax.plot(ep, res["seeds/train_loss"][k], color=theme.color("train"), linewidth=2.5 if k == 0 else 1,
                    alpha=1 if k == 0 else 0.45, gid=f"y=neuron:seeds/train_loss[{k}] x=neuron:epoch")
        ax.set_xlabel(t("neuron.axis.epoch", lang))
        ax.set_ylabel(t("neuron.axis.loss", lang))
        ax.set_ylim(0, None)
        ax.set_title(t("neuron.figure.panel_loss", lang, k=seeds), fontsize=14)
        # (c) training and test accuracy
        ax = fig.add_subplot(grid[0, 2])
        for key, role in (("train_acc", "train"), ("test_acc", "test")):
            for k in range(seeds):
                ax.plot(ep, res[f"seeds/{key}"][k], color=theme.color(role), linewidth=2.5 if k == 0 else 1,
                        alpha=1 if k == 0 else 0.45, gid=f"y=neuron:seeds/{key}[{k}] x=neuron:epoch",
                        label=t(f"neuron.read.{key}", lang) if k == 0 else None)
        ax.set_ylim(0, 1.05)
        ax.set_xlabel(t("neuron.axis.epoch", lang))
        ax.set_ylabel(t("neuron.axis.acc", lang))
        ax.legend(loc="lower right", fontsize=14)
        ax.set_title(t("neuron.figure.panel_acc", lang), fontsize=14)
        fig.suptitle(t("neuron.figure.loop_title", lang), fontsize=20, fontweight="bold")
        footnote(fig, t("neuron.figure.note", lang, n_train=int(res["n_train"]), n_test=int(res["n_test"]),
                        h=int(s["hidden"]), lr=s["lr"]))
        provenance(fig, [res], lang)
    return fig
