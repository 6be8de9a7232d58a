"""Chapter 11 — initial weights: activation histograms, all-zero initialization, MNIST curves."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import accuracy, math_number, t

from .base import NOTE, new_figure, provenance, style
from .smoothing import centred_mean


def init_color(name: str) -> str:
    return theme.color(f"init-{name}")


def histogram_grid(results, lang: str, activation: str):
    """One row per initialization, one column per layer, as the textbook draws them."""
    res = results["weight-init-histograms"]
    inits = [str(n) for n in res["inits"]]
    edges = res[f"edges/{activation}"]
    layers = res[f"hist/{activation}/{inits[0]}"].shape[0]
    with style():
        fig = new_figure()
        axes = fig.subplots(len(inits), layers, sharex=True)
        for row, name in enumerate(inits):
            counts = res[f"hist/{activation}/{name}"]
            stds = res[f"std/{activation}/{name}"]
            for col in range(layers):
                ax = axes[row, col]
                ax.stairs(counts[col], edges, fill=True, color=init_color(name),  # one patch per histogram
                          gid=f"y=weight-init-histograms:hist/{activation}/{name}[{col}] "
                              f"x=weight-init-histograms:edges/{activation}")
                ax.set_yticks([])
                ax.text(0.97, 0.93, "sd " + math_number(stds[col], 2), transform=ax.transAxes, ha="right", va="top",
                        fontsize=14, bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none",
                                               alpha=0.85))
                if row == 0:
                    ax.set_title(t("weight-init.layer", lang, n=col + 1), fontsize=14)
                if col == 0:
                    ax.set_ylabel(t(f"weight-init.init.{name}", lang), color=init_color(name), fontsize=14,
                                  fontweight="bold", rotation=0, ha="right", va="center")
                if row == len(inits) - 1:
                    ax.set_xticks([edges[0], (edges[0] + edges[-1]) / 2, edges[-1]])
        fig.suptitle(t("weight-init.hist_title", lang, name=t(f"vanishing-gradients.name.{activation}", lang)),
                     fontsize=22, fontweight="bold")
        note = "hist_note_relu" if activation == "relu" else "hist_note"
        fig.text(0.005, 0.005, t(f"weight-init.{note}", lang, samples=res.settings["samples"],
                                 width=res.settings["width"], bins=res.settings["bins"],
                                 seed=int(res["seed_values"][0]), seeds=len(res["seed_values"]),
                                 pct=seed_spread_percent(res, activation)), **NOTE)
        provenance(fig, [res], lang)
    return fig


def seed_spread_percent(res, activation: str) -> str:
    """The largest relative spread of one panel's sd over the seeds, (max − min) / min, in whole percent (rounded up)."""
    worst = 0.0
    for name in res["inits"]:
        sd = res[f"seeds/std/{activation}/{name}"]
        worst = max(worst, float(((sd.max(0) - sd.min(0)) / sd.min(0)).max()))
    return str(int(np.ceil(100 * worst)))


def histograms_sigmoid(results, lang: str):
    return histogram_grid(results, lang, "sigmoid")


def histograms_tanh(results, lang: str):
    return histogram_grid(results, lang, "tanh")


def histograms_relu(results, lang: str):
    return histogram_grid(results, lang, "relu")


def zero_init(results, lang: str):
    res = results["weight-init-zero"]
    inits = [str(n) for n in res["inits"]]
    keys = ["zero", inits[1].replace("std:", "std")]
    settings = res.settings
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(2, 3)
        spread_ax = fig.add_subplot(grid[0, 0:2])
        acc_ax = fig.add_subplot(grid[1, 0:2])
        steps = np.arange(res["unit_spread"].shape[1])
        for r, key in enumerate(keys):
            label = t(f"weight-init.init.{key}", lang)
            for layer in range(res["unit_spread"].shape[2]):
                spread_ax.plot(steps, res["unit_spread"][r, :, layer], color=init_color(key),
                               linestyle="-" if layer == 0 else "--",
                               label=t("weight-init.spread_label", lang, init=label, n=layer + 1),
                               gid=f"y=weight-init-zero:unit_spread[{r},:,{layer}]")
            acc_ax.plot(res["checkpoints"], res["acc"][r], marker="o", color=init_color(key), label=label,
                        gid=f"y=weight-init-zero:acc[{r}] x=weight-init-zero:checkpoints")
        spread_ax.set_ylabel(t("weight-init.axis_spread", lang))
        spread_ax.set_title(t("weight-init.spread_title", lang), fontweight="bold")
        spread_ax.legend(loc="upper left", fontsize=14)
        acc_ax.set_ylabel(t("weight-init.axis_acc", lang))
        acc_ax.set_xlabel(t("weight-init.axis_step", lang))
        acc_ax.set_ylim(0, 1)
        acc_ax.legend(loc="upper left", fontsize=14)
        for row, key in enumerate(keys):
            ax = fig.add_subplot(grid[row, 2])
            layer_key = f"first_layer/{'zero' if key == 'zero' else 'normal'}"
            w = res[layer_key]
            bound = max(float(np.abs(w).max()), 1e-12)
            ax.imshow(w, cmap="RdBu_r", vmin=-bound, vmax=bound, aspect="auto", interpolation="nearest",
                      gid=f"y=weight-init-zero:{layer_key}")
            ax.set_title(t("weight-init.heatmap_title", lang, init=t(f"weight-init.init.{key}", lang)),
                         fontsize=14, color=init_color(key), fontweight="bold")
            ax.set_ylabel(t("weight-init.axis_unit", lang))
            ax.set_xlabel(t("weight-init.axis_input", lang))
            ax.grid(False)
        fig.suptitle(t("weight-init.zero_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("weight-init.zero_note", lang, act=settings["activation"], hidden=settings["hidden"],
                                 layers=settings["hidden_layers"], lr=settings["lr"], batch=settings["batch"],
                                 steps=settings["steps"]), **NOTE)
        provenance(fig, [res], lang)
    return fig


def mnist_curves(results, lang: str):
    res = results["weight-init-mnist"]
    inits = [str(n) for n in res["inits"]]
    settings = res.settings
    with style():
        fig = new_figure()
        loss_ax, acc_ax = fig.subplots(1, 2, width_ratios=[1.6, 1])
        loss = res["loss"]
        steps = np.arange(1, loss.shape[1] + 1)
        for r, name in enumerate(inits):
            c = init_color(name)
            label = t(f"weight-init.init.{name}", lang)
            loss_ax.plot(steps, loss[r], color=c, alpha=0.2, linewidth=1, gid=f"y=weight-init-mnist:loss[{r}]")
            loss_ax.plot(steps, centred_mean(loss[r], 25), color=c, label=label,
                         gid=f"y=weight-init-mnist:loss[{r}]|centred-mean(25)")
            acc_ax.plot(res["checkpoints"], res["test_acc"][r], marker="o", color=c,
                        gid=f"y=weight-init-mnist:test_acc[{r}] x=weight-init-mnist:checkpoints",
                        label=t("weight-init.final_acc", lang, init=label, acc=accuracy(res["test_acc"][r][-1])))
        loss_ax.set_xlabel(t("vanishing-gradients.axis_iteration", lang))
        loss_ax.set_ylabel(t("vanishing-gradients.axis_loss", lang))
        loss_ax.set_title(t("weight-init.mnist_loss_title", lang), fontweight="bold")
        loss_ax.set_ylim(bottom=0)
        loss_ax.legend(loc="lower left")
        acc_ax.set_xlabel(t("vanishing-gradients.axis_iteration", lang))
        acc_ax.set_ylabel(t("weight-init.axis_acc", lang))
        acc_ax.set_title(t("weight-init.mnist_acc_title", lang), fontweight="bold")
        acc_ax.set_ylim(0, 1)
        acc_ax.legend(loc="center right", fontsize=14)
        fig.suptitle(t("weight-init.mnist_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("weight-init.mnist_note", lang, layers=settings["hidden_layers"],
                                 hidden=settings["hidden"], lr=settings["lr"], batch=settings["batch"],
                                 iterations=settings["iterations"]), **NOTE)
        provenance(fig, [res], lang)
    return fig
