"""Chapter 14 — 하이퍼파라미터의 탐색: the best 20 trials' curves and the (η, λ) plane of all trials."""
from __future__ import annotations

import matplotlib.patches as mpatches
from matplotlib.colors import LinearSegmentedColormap

import numpy as np

from lecture import theme
from lecture.text import fmt, t

from .base import new_figure, provenance, style

NOTE = dict(ha="left", va="bottom", fontsize=14, color="#5F6670")
# a sequential scale from the Okabe–Ito palette: low accuracy blue → green → yellow (high)
ACC_CMAP = LinearSegmentedColormap.from_list(
    "okabe-ito-seq", [theme.OKABE_ITO["blue"], theme.OKABE_ITO["sky"], theme.OKABE_ITO["green"], theme.OKABE_ITO["yellow"]])


def data_label(res) -> str:
    return str(res.meta.get("info", {}).get("data_label", "MNIST"))


def note(res, lang: str) -> str:
    s = res.settings
    return t("hyperparameter-search.note", lang, train=s["train_size"], val=s["val_size"], hidden=s["hidden"],
             layers=s["hidden_layers"], batch=s["batch"], epochs=s["epochs"], label=data_label(res),
             fine=s["fine_trials"], seeds=len(res["seed_values"]), seed=int(res["seed_values"][0]))


def stage_summary(res, lang: str) -> str:
    """The lecture search's medians and bests, with the range over every seed of the search."""
    def span(name):
        v = np.asarray(res[f"seeds/{name}"])
        return f"{v.min():.2f}–{v.max():.2f}"

    coarse_best, fine_best = np.asarray(res["seeds/coarse_best_val"]), np.asarray(res["seeds/fine_best_val"])
    return t("hyperparameter-search.stage_summary", lang, coarse=f"{float(res['coarse_median_val']):.2f}",
             fine=f"{float(res['fine_median_val']):.2f}", seeds=len(coarse_best), coarse_range=span("coarse_median_val"),
             fine_range=span("fine_median_val"), coarse_best=f"{float(res['coarse_best_val']):.2f}",
             fine_best=f"{float(res['fine_best_val']):.2f}", higher=int(np.sum(fine_best >= coarse_best - 1e-9)))


SHOWN = 8  # the best trials drawn: as many panels as a slide shows at 14 pt


def best_grid(results, lang: str):
    res = results["hyperparameter-search"]
    best = [int(i) for i in res["best"]][:SHOWN]
    epochs = res["epoch"]
    rows, cols = 2, 4
    with style():
        fig = new_figure()
        axes = fig.subplots(rows, cols, sharex=True, sharey=True)
        for n, ax in enumerate(axes.flat):
            if n >= len(best):
                ax.axis("off")
                continue
            i = best[n]
            at = "x=hyperparameter-search:epoch"
            ax.plot(epochs, res["val_acc"][i], "-", color=theme.color("validation"), linewidth=2,
                    gid=f"y=hyperparameter-search:val_acc[{i}] {at}")
            ax.plot(epochs, res["train_acc"][i], "--", color=theme.color("train"), linewidth=1.6,
                    gid=f"y=hyperparameter-search:train_acc[{i}] {at}")
            ax.set_ylim(0, 1.02)
            ax.set_title(t("hyperparameter-search.panel", lang, rank=n + 1, acc=f"{res['final_val'][i]:.2f}"),
                         fontsize=15, pad=4, loc="left", fontweight="bold")
            tag = t("hyperparameter-search.panel_params", lang, lr=fmt(res["lr"][i], 2), wd=fmt(res["wd"][i], 2))
            tag = tag.replace(" · ", "\n")
            if int(res["stage"][i]) == 1:
                tag += "\n" + t("hyperparameter-search.fine_tag", lang)
            ax.text(0.96, 0.05, tag, transform=ax.transAxes, fontsize=14, va="bottom", ha="right", color="#5F6670")
            ax.tick_params(labelsize=14)
            if n % cols == 0:
                ax.set_ylabel(t("hyperparameter-search.axis_acc", lang), fontsize=15)
            if n // cols == rows - 1:
                ax.set_xlabel(t("hyperparameter-search.axis_epoch", lang), fontsize=15)
        fig.suptitle(t("hyperparameter-search.grid_title", lang, n=len(best)), fontsize=20, fontweight="bold")
        fig.text(0.005, 0.005, note(res, lang), **NOTE)
        provenance(fig, [res], lang)
    return fig


def search_plane(results, lang: str):
    res = results["hyperparameter-search"]
    lr, wd, acc, stage = res["lr"], res["wd"], res["final_val"], res["stage"]
    region = res["region"]
    s = res.settings
    with style():
        fig = new_figure()
        ax = fig.add_subplot()
        coarse, fine = stage == 0, stage == 1
        vmin, vmax = 0.0, max(float(acc.max()), 0.1)
        ax.scatter(lr[coarse], wd[coarse], c=acc[coarse], cmap=ACC_CMAP, vmin=vmin, vmax=vmax, s=70, marker="o",
                   edgecolors=theme.color("search-coarse"), linewidths=0.8,
                   label=t("hyperparameter-search.legend_coarse", lang, n=int(coarse.sum())),
                   gid="x=hyperparameter-search:lr[stage==0] y=hyperparameter-search:wd[stage==0]")
        sc = ax.scatter(lr[fine], wd[fine], c=acc[fine], cmap=ACC_CMAP, vmin=vmin, vmax=vmax, s=70, marker="^",
                        edgecolors=theme.color("search-fine"), linewidths=0.8,
                        label=t("hyperparameter-search.legend_fine", lang, n=int(fine.sum())),
                        gid="x=hyperparameter-search:lr[stage==1] y=hyperparameter-search:wd[stage==1]")
        box = mpatches.Rectangle((10 ** region[0], 10 ** region[2]), 10 ** region[1] - 10 ** region[0],
                                 10 ** region[3] - 10 ** region[2], fill=False, linewidth=2.2, linestyle="--",
                                 edgecolor=theme.color("search-fine"),
                                 label=t("hyperparameter-search.legend_region", lang, n=len(res["coarse_best"])))
        ax.add_patch(box)
        b = int(res["ranking"][0])
        ax.scatter([lr[b]], [wd[b]], s=320, marker="*", color=theme.color("highlight"), edgecolors="black", zorder=5,
                   label=t("hyperparameter-search.legend_best", lang, lr=fmt(lr[b], 3), wd=fmt(wd[b], 3),
                           acc=f"{acc[b]:.2f}"), gid=f"x=hyperparameter-search:lr[{b}] y=hyperparameter-search:wd[{b}]")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(10 ** s["lr_range"][0] / 1.5, 10 ** s["lr_range"][1] * 1.5)
        ax.set_ylim(10 ** s["wd_range"][0] / 1.5, 10 ** s["wd_range"][1] * 1.5)
        ax.set_xlabel(t("hyperparameter-search.axis_lr", lang))
        ax.set_ylabel(t("hyperparameter-search.axis_wd", lang))
        bar = fig.colorbar(sc, ax=ax, pad=0.01)
        bar.set_label(t("hyperparameter-search.colorbar", lang, epochs=s["epochs"]))
        # above the plane, not on it: the trials fill every corner
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.01), ncol=2, fontsize=14, frameon=False)
        ax.text(0.01, 0.02, stage_summary(res, lang), transform=ax.transAxes, fontsize=14, color="#1B1F24",
                bbox=dict(boxstyle="round,pad=0.25", facecolor="white", edgecolor="none", alpha=0.85))
        fig.suptitle(t("hyperparameter-search.plane_title", lang), fontsize=21, fontweight="bold")
        fig.text(0.005, 0.005, note(res, lang), **NOTE)
        provenance(fig, [res], lang)
    return fig
