"""Chapter 11 — deep belief nets: the RBM's filters, reconstructions and error; pre-trained vs random starts."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from lecture import theme
from lecture.text import t

from .base import footnote, new_figure, provenance, style

MUTED = "#5F6670"


def weight_cmap() -> LinearSegmentedColormap:
    """Negative weights vermilion, zero white, positive blue (the lecture's weight-sign colours)."""
    return LinearSegmentedColormap.from_list("weights", [theme.color("weight-neg"), "#FFFFFF", theme.color("weight-pos")])


def side(n: int) -> int:
    return int(round(np.sqrt(n)))


def rbm_filters(results, lang: str):
    res = results["rbm"]
    s = res.settings
    filters = res["filters"][-1]                        # (units, 64): the last snapshot
    units = len(filters)
    cols = side(units)
    rows = int(np.ceil(units / cols))
    px = side(filters.shape[1])
    limit = float(np.abs(filters).max())
    cmap = weight_cmap()
    seeds = len(res["seed_values"])
    with style():
        fig = new_figure()
        fig.get_layout_engine().set(rect=(0, 0.07, 1, 0.93))
        outer = fig.add_gridspec(2, 2, width_ratios=[1.0, 1.25], height_ratios=[1.0, 1.0])
        # (a) the filters
        sub = fig.add_subfigure(outer[:, 0])
        sub.suptitle(t("rbm.panel_filters", lang, n=units, updates=int(res["filter_steps"][-1])) + "\n"
                     + t("rbm.weight_sign", lang), fontsize=14)
        axes = sub.subplots(rows, cols, gridspec_kw=dict(wspace=0.08, hspace=0.08))
        for k, ax in enumerate(np.ravel(axes)):
            ax.set_axis_off()
            if k < units:
                ax.imshow(filters[k].reshape(px, px), cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest",
                          gid=f"y=rbm:filters[-1,{k}]")
        # (b) held-out digits and their reconstructions
        sub = fig.add_subfigure(outer[0, 1])
        sub.suptitle(t("rbm.panel_recon", lang), fontsize=14)
        samples, recon = res["samples"], res["samples/recon"]
        axes = sub.subplots(2, len(samples), gridspec_kw=dict(wspace=0.08, hspace=0.1))
        for k in range(len(samples)):
            for r, (key, image) in enumerate((("samples", samples[k]), ("samples/recon", recon[k]))):
                ax = axes[r, k]
                ax.set_axis_off()
                ax.imshow(image.reshape(px, px), cmap="Greys", vmin=0, vmax=1, interpolation="nearest",
                          gid=f"y=rbm:{key}[{k}]")
        # (c) the reconstruction error per epoch, every seed
        ax = fig.add_subplot(outer[1, 1])
        epoch = res["epoch"]
        for split, key in (("train", "seeds/recon"), ("test", "seeds/test_recon")):
            colour = theme.color(split)
            for k in range(1, seeds):
                ax.plot(epoch, res[key][k], color=colour, linewidth=0.8, alpha=0.45, gid=f"y=rbm:{key}[{k}]")
            ax.plot(epoch, res[key][0], color=colour, linewidth=2.4, label=t(f"rbm.split.{split}", lang),
                    gid=f"y=rbm:{key}[0] x=rbm:epoch")
        ax.set_xlabel(t("rbm.axis_epoch", lang))
        ax.set_ylabel(t("rbm.axis_recon", lang))
        ax.set_ylim(0, None)
        ax.set_title(t("rbm.panel_error", lang, seeds=seeds), fontsize=14)
        ax.legend(loc="upper right", fontsize=14)
        fig.suptitle(t("rbm.figure_filters_title", lang), fontsize=21, fontweight="bold")
        footnote(fig, t("rbm.figure_filters_note", lang, threshold=s["threshold"], train=int(res["train_size"]),
                        test=int(res["test_size"]), hidden=s["hidden"], batch=s["batch"], lr=s["lr"],
                        momentum=s["momentum"], epochs=s["epochs"]))
        provenance(fig, [res], lang)
    return fig


def pretraining_curves(results, lang: str):
    res = results["rbm-pretraining"]
    s = res.settings
    epoch = res["epoch"]
    seeds = len(res["seed_values"])
    sizes = " → ".join(str(n) for n in [64] + [s["hidden"]] * s["layers"] + [10])
    with style():
        fig = new_figure()
        fig.get_layout_engine().set(rect=(0, 0.07, 1, 0.93))
        grid = fig.add_gridspec(1, 2)
        for panel, (key, label) in enumerate((("test_acc", "rbm.axis_test_acc"), ("train_loss", "rbm.axis_train_loss"))):
            ax = fig.add_subplot(grid[0, panel])
            for net, role in (("random", "scratch"), ("pretrained", "rbm-pretrained")):
                colour = theme.color(role)
                values = res[f"{net}/{key}"]
                for k in range(1, seeds):
                    ax.plot(epoch, values[k], color=colour, linewidth=0.8, alpha=0.5, gid=f"y=rbm-pretraining:{net}/{key}[{k}]")
                ax.plot(epoch, values[0], color=colour, linewidth=2.6, label=t(f"rbm.net.{net}", lang),
                        gid=f"y=rbm-pretraining:{net}/{key}[0] x=rbm-pretraining:epoch")
            if key == "test_acc":
                ax.axhline(0.1, color=MUTED, linestyle="--", linewidth=1)
                ax.text(epoch[-1], 0.12, t("rbm.chance", lang), ha="right", va="bottom", fontsize=14, color=MUTED)
                ax.set_ylim(0, 1)
                ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.13), fontsize=14)
                e = int(res["early"])
                ax.axvline(e, color=MUTED, linestyle=":", linewidth=1)
            else:
                ax.axhline(np.log(10), color=MUTED, linestyle="--", linewidth=1)
                ax.text(epoch[-1], np.log(10) + 0.05, "ln 10", ha="right", va="bottom", fontsize=14, color=MUTED)
                ax.set_ylim(0, None)
            ax.set_xlabel(t("rbm.axis_epoch", lang))
            ax.set_ylabel(t(label, lang))
            ax.set_xlim(0, epoch[-1])
            ax.set_title(t(label, lang) + " · " + t("rbm.seeds_note", lang, seed=int(res["seed_values"][0]),
                                                    others=seeds - 1), fontsize=14)
        fig.suptitle(t("rbm.figure_pretraining_title", lang), fontsize=21, fontweight="bold")
        footnote(fig, t("rbm.figure_pretraining_note", lang, sizes=sizes, pre=s["pretrain_epochs"],
                        train=int(res["train_size"]), labelled=s["labelled"], lr=s["lr"], batch=s["batch"],
                        test=int(res["test_size"])))
        provenance(fig, [res], lang)
    return fig

