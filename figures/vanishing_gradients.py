"""Chapter 11 — vanishing gradients: per-layer gradient norms (log scale) and the loss curves."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import accuracy, math_number, t

from .base import NOTE, new_figure, provenance, style
from .smoothing import centred_mean

SNAPSHOTS = 4  # iterations shown per activation, from the first to the last
SHADES = ("-", "--", "-.", ":")


def snapshot_iterations(iterations: int, count: int = SNAPSHOTS) -> list[int]:
    return [int(round(i)) for i in np.linspace(0, iterations - 1, count)]


def first_over_last(norms: np.ndarray) -> float:
    """How much of the last layer's gradient reaches the first layer."""
    return float(norms[0] / norms[-1])


def gradient_norms(results, lang: str):
    res = results["vanishing-gradients"]
    names = [str(n) for n in res["activations"]]
    settings = res.settings
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(1, len(names) + 1, width_ratios=[1.15] + [0.95] * (len(names) - 1) + [1.35])  # the first holds the longest ratio
        first = None
        for col, name in enumerate(names):
            ax = fig.add_subplot(grid[0, col], sharey=first)
            first = first or ax
            g = res[f"grad_norm/{name}"]
            layers = np.arange(1, g.shape[1] + 1)
            for shade, it in zip(SHADES, snapshot_iterations(len(g))):
                ax.semilogy(layers, g[it], SHADES[0] if shade == "-" else shade, marker="o", markersize=4,
                            color=theme.color(name), alpha=1.0 if it == 0 else 0.75,
                            label=t("vanishing-gradients.iteration", lang, n=it + 1),
                            gid=f"y=vanishing-gradients:grad_norm/{name}[{it}]")
            ax.set_title(t(f"vanishing-gradients.name.{name}", lang), color=theme.color(name), fontweight="bold")
            spread = [first_over_last(s[0]) for s in res[f"seeds/grad_norm/{name}"]]  # the first pass of every seed
            ax.text(0.96, 0.04, t("vanishing-gradients.ratio", lang, value=math_number(first_over_last(g[0]), 3),
                                  seeds=len(spread), lo=math_number(min(spread), 2), hi=math_number(max(spread), 2)),
                    transform=ax.transAxes, ha="right", va="bottom", fontsize=14,
                    bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="none", alpha=0.9))
            ax.set_xticks(layers)
            ax.set_xlabel(t("vanishing-gradients.axis_layer", lang))
            if col == 0:
                ax.legend(loc="upper left", fontsize=14)
                ax.set_ylabel(t("vanishing-gradients.axis_grad", lang) + f"  ${t('vanishing-gradients.grad_norm', lang)}$")
            else:
                ax.tick_params(labelleft=False)
        low = min(res[f"grad_norm/{n}"][snapshot_iterations(len(res[f"grad_norm/{n}"]))].min() for n in names)
        high = max(res[f"grad_norm/{n}"].max() for n in names)
        first.set_ylim(low / 60, high * 3)  # room below the curves for the ratios
        ax = fig.add_subplot(grid[0, -1])
        window = max(1, len(res[f"loss/{names[0]}"]) // 40)
        for name in names:
            loss = res[f"loss/{name}"]
            steps = np.arange(1, len(loss) + 1)
            ax.plot(steps, loss, color=theme.color(name), alpha=0.25, linewidth=1,
                    gid=f"y=vanishing-gradients:loss/{name}")
            ax.plot(steps, centred_mean(loss, window), color=theme.color(name),
                    gid=f"y=vanishing-gradients:loss/{name}|centred-mean({window})",
                    label=t("vanishing-gradients.final_acc", lang, name=t(f"vanishing-gradients.name.{name}", lang),
                            acc=accuracy(res.scalar(f"final_acc/{name}"))))
        ax.set_title(t("vanishing-gradients.loss_title", lang), fontweight="bold")
        ax.set_xlabel(t("vanishing-gradients.axis_iteration", lang))
        ax.set_ylabel(t("vanishing-gradients.axis_loss", lang))
        ax.set_ylim(0, 1.4 * max(float(res[f"loss/{n}"].max()) for n in names))  # room for the legend above
        # on a ground of its own: the raw losses' spikes reach up to it
        ax.legend(loc="upper right", fontsize=14, frameon=True, framealpha=0.9, facecolor="white", edgecolor="#D8DEE9")
        fig.suptitle(t("vanishing-gradients.figure_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("vanishing-gradients.figure_note", lang, depth=settings["hidden_layers"],
                                 width=settings["width"], lr=settings["lr"], batch=settings["batch"],
                                 iterations=settings["iterations"], seed=int(res["seed_values"][0]),
                                 seeds=len(res["seed_values"])), **NOTE)
        provenance(fig, [res], lang)
    return fig
