"""Chapter 10 — training, validation and test data (60/20/20) and the three loss curves of one run."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import fmt, t

from .base import new_figure, provenance, style

NOTE = "#5F6670"
SPLITS = ("train", "validation", "test")


def data_splits(results, lang: str):
    res = results["data-splits"]
    sizes = [int(v) for v in res["sizes"]]
    n = int(res["n"])
    epochs = res["epoch"]
    best = int(res["best_epoch"])
    s = res.settings
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(2, 2, width_ratios=[1, 1.45], height_ratios=[0.8, 1.2])
        bar = fig.add_subplot(grid[0, 0])
        left = 0
        for name, size in zip(SPLITS, sizes):
            bar.barh(0, size, left=left, color=theme.color(name), height=0.6, edgecolor="white", linewidth=2,
                     gid=f"y=data-splits:sizes[{SPLITS.index(name)}]")
            bar.text(left + size / 2, 0, t("data-splits.bar_label", lang, name=t(f"data-splits.split.{name}", lang),
                                          pct=round(100 * size / n), n=size),
                     ha="center", va="center", color="white", fontsize=14, fontweight="bold", linespacing=1.2)
            bar.text(left + size / 2, -0.48, t(f"data-splits.role.{name}", lang), ha="center", va="top", fontsize=14,
                     color=theme.color(name), linespacing=1.15)
            left += size
        bar.set_xlim(0, n)
        bar.set_ylim(-0.9, 0.45)
        bar.set_axis_off()
        bar.set_title(t("data-splits.bar_title", lang, n=n))
        # eight example images of each part
        sample = fig.add_subplot(grid[1, 0])
        sample.set_axis_off()
        images = res["images"]
        per = len(images) // len(SPLITS)
        for k, name in enumerate(SPLITS):
            for j in range(per):
                sub = sample.inset_axes([j / per + 0.01, 0.68 - k * 0.33, 1 / per - 0.02, 0.27])
                sub.imshow(images[k * per + j], cmap="Greys", vmin=0, vmax=1, gid=f"y=data-splits:images[{k * per + j}]")
                sub.set_xticks([])
                sub.set_yticks([])
                for spine in sub.spines.values():
                    spine.set_visible(True)
                    spine.set_color(theme.color(name))
                    spine.set_linewidth(2.5)
        sample.set_title(t("data-splits.samples_title", lang), fontsize=14)
        ax = fig.add_subplot(grid[:, 1])
        # the other seeds' runs, faint, under the lecture's
        for name in SPLITS[:2]:
            for k in range(1, len(res["seed_values"])):
                ax.plot(epochs, res[f"seeds/loss/{name}"][k], color=theme.color(name), linewidth=1.0, alpha=0.3,
                        gid=f"y=data-splits:seeds/loss/{name}[{k}] x=data-splits:epoch")
        for name in SPLITS[:2]:
            ax.plot(epochs, res[f"loss/{name}"], color=theme.color(name), linewidth=2.4,
                    label=t("data-splits.curve_label", lang, name=t(f"data-splits.split.{name}", lang),
                            loss=fmt(res[f"best/loss/{name}"], 3)),
                    gid=f"y=data-splits:loss/{name} x=data-splits:epoch")
        ax.axvline(best, color=NOTE, linestyle="--", linewidth=1.5)
        ax.plot(best, res["best/loss/validation"], "o", color=theme.color("validation"), markersize=10)
        # the test data, used once: one point, the chosen epoch's network
        ax.plot(best, res["best/loss/test"], "D", color=theme.color("test"), markersize=11, markeredgecolor="white",
                linestyle="none", zorder=5, label=t("data-splits.test_label", lang, loss=fmt(res["best/loss/test"], 3)),
                gid="y=data-splits:best/loss/test x=data-splits:best_epoch")
        # beside the line, on the side with room (a run chosen at its last epoch has none on the right)
        right = best <= 0.6 * int(epochs[-1])
        ax.annotate(t("data-splits.best_label", lang, epoch=best, acc=fmt(100 * float(res["best/acc/test"]), 3)),
                    (best, 0.92), xycoords=ax.get_xaxis_transform(), xytext=(6 if right else -6, 0),
                    textcoords="offset points", ha="left" if right else "right", va="top", fontsize=14)
        ax.set_yscale("log")
        ax.set_xlim(0, int(epochs[-1]))
        ax.set_xlabel(t("data-splits.axis_epoch", lang))
        ax.set_ylabel(t("data-splits.axis_loss", lang))
        # the legend below the curves: room made under the lowest loss (the annotation has the top)
        lowest = min(float(np.min(res[f"seeds/loss/{name}"])) for name in SPLITS[:2])
        ax.set_ylim(bottom=lowest / 12)
        ax.legend(loc="lower left", fontsize=14, title=t("data-splits.legend_title", lang, epoch=best),
                  title_fontsize=14)
        ax.set_title(t("data-splits.curves_title", lang, others=len(res["seed_values"]) - 1))
        fig.suptitle(t("data-splits.figure_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("data-splits.figure_note", lang, hidden=" → ".join(str(h) for h in s["hidden"]),
                                 act=s["activation"], opt=s["optimizer"], lr=s["lr"], m=s["momentum"],
                                 batch=s["batch"], epochs=s["epochs"], seed=res.meta["seed"]),
                 ha="left", va="bottom", fontsize=14, color=NOTE)
        provenance(fig, [res], lang)
    return fig
