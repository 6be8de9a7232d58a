"""Chapter 11 — the five optimizers: the textbook comparison, Beale and the saddle, MNIST loss curves.

Every optimizer keeps its palette colour (``theme.color(name)``) in every panel.
"""
from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator, MultipleLocator

from lecture import theme
from lecture.text import accuracy, fmt, math_number, t

from .base import footnote, new_figure, provenance, style
from .paths import draw_path, mark_minimum
from .training_panels import dress_training_panels, training_curves


def contours(ax, res, prefix: str, levels) -> None:
    ax.contour(res[f"{prefix}_grid/xs"], res[f"{prefix}_grid/ys"], res[f"{prefix}_grid/zs"], levels=levels,
               colors="#9AA3AE", linewidths=0.9)


def lr_label(res, prefix: str, name: str, lang: str) -> str:
    return t("optimizers.legend", lang, name=name, lr=fmt(res.scalar(f"{prefix}_lr/{name}")))


def optimizer_paths_textbook(results, lang: str):
    res = results["optimizers"]
    names = [str(n) for n in res["names"]]
    s = res.meta["settings"]
    levels = np.array([0.1, 0.5, 1, 2, 4, 7, 11, 16, 22, 29])
    with style():
        fig = new_figure()
        axes = fig.subplots(2, 3, sharex=True, sharey=True).ravel()
        for ax, name in zip(axes, names):
            contours(ax, res, "textbook", levels)
            draw_path(ax, res[f"textbook/{name}"], theme.color(name), gid=f"xy=optimizers:textbook/{name}|finite")
            mark_minimum(ax, (0.0, 0.0))
            end = res[f"textbook/{name}"][-1]
            ax.set_title(lr_label(res, "textbook", name, lang), color=theme.color(name))
            ax.text(0.02, 0.03, t("optimizers.end_point", lang, x=math_number(end[0], 3), y=math_number(end[1], 3),
                                  f=math_number(res[f"textbook_loss/{name}"][-1], 3)),
                    transform=ax.transAxes, fontsize=14, va="bottom",
                    bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="none", alpha=0.85))
        overlay = axes[len(names)]
        contours(overlay, res, "textbook", levels)
        for name in names:
            draw_path(overlay, res[f"textbook/{name}"], theme.color(name), name, markersize=2.5,
                      gid=f"xy=optimizers:textbook/{name}|finite")
        mark_minimum(overlay, (0.0, 0.0))
        overlay.set_title(t("optimizers.all_five", lang))
        overlay.legend(loc="upper right", fontsize=14, ncol=2)
        for ax in axes:
            ax.set_xlim(-10, 10)
            ax.set_ylim(-5, 5)
        for ax in axes[3:]:
            ax.set_xlabel("x")
        for ax in axes[::3]:
            ax.set_ylabel("y")
        fig.suptitle(t("optimizers.fig_textbook_title", lang), fontsize=22, fontweight="bold")
        footnote(fig, t("optimizers.fig_textbook_note", lang, start=s["textbook_start"], steps=s["textbook_steps"],
                        alpha=fmt(s["rmsprop_alpha"]), beta=fmt(s["momentum"])))
        provenance(fig, [res], lang)
    return fig


def optimizer_paths_beale_saddle(results, lang: str):
    res = results["optimizers"]
    names = [str(n) for n in res["names"]]
    s = res.meta["settings"]
    with style():
        fig = new_figure()
        beale, saddle = fig.subplots(1, 2)
        zs = res["beale_grid/zs"]
        levels = np.logspace(np.log10(max(float(zs.min()), 1e-3)), np.log10(float(zs.max())), 28)
        contours(beale, res, "beale", levels)
        for name in names:
            draw_path(beale, res[f"beale/{name}"], theme.color(name), lr_label(res, "beale", name, lang),
                      markersize=0, gid=f"xy=optimizers:beale/{name}|finite")
        mark_minimum(beale, (3.0, 0.5), t("optimizers.minimum_at", lang, x="3", y="0.5"))
        beale.set_xlim(-4.5, 4.5)
        beale.set_ylim(-4.5, 4.5)
        beale.set_title(t("optimizers.beale_panel", lang, steps=s["beale_steps"]))
        beale.legend(loc="lower left", fontsize=14)
        beale.set_xlabel("x")
        beale.set_ylabel("y")

        levels = np.linspace(-1, 1, 17)
        contours(saddle, res, "saddle", levels)
        box = float(s["saddle_box"])
        for name in names:
            label = lr_label(res, "saddle", name, lang)
            if bool(res[f"saddle_stopped/{name}"]):
                label += " · " + t("optimizers.escaped_at", lang, step=int(res[f"saddle_last/{name}"]))
            elif np.linalg.norm(res[f"saddle/{name}"][-1]) < 0.1:
                label += " · " + t("optimizers.stuck", lang, steps=s["saddle_steps"])
            else:
                label += " · " + t("optimizers.inside", lang, steps=s["saddle_steps"])
            # SGD stays on the ridge y = 0 that Momentum also runs along: draw it on top
            draw_path(saddle, np.clip(res[f"saddle/{name}"], -box, box), theme.color(name), label, markersize=0,
                      zorder=4 if name == "SGD" else 2, gid=f"xy=optimizers:saddle/{name}|clip({box!r})|finite")
        saddle.plot(0, 0, "x", color="black", markersize=12, markeredgewidth=2)
        saddle.set_xlim(-box, box)
        saddle.set_ylim(-box, box)
        # ticks every half: the y axis leaves its lowest to the x axis's at the corner they share
        saddle.xaxis.set_major_locator(MultipleLocator(box / 2))
        saddle.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10], prune="lower"))
        saddle.set_title(t("optimizers.saddle_panel", lang, steps=s["saddle_steps"]))
        saddle.legend(loc="upper right", fontsize=14)
        saddle.set_xlabel("x")
        fig.suptitle(t("optimizers.fig_beale_title", lang), fontsize=22, fontweight="bold")
        footnote(fig, t("optimizers.fig_beale_note", lang, beale=s["beale_start"], saddle=s["saddle_start"]))
        provenance(fig, [res], lang)
    return fig


def optimizer_mnist_loss(results, lang: str):
    res = results["optimizers-mnist"]
    names = [str(n) for n in res["names"]]
    s = res.meta["settings"]
    window = max(1, len(res["iteration"]) // 30)
    with style():
        fig = new_figure()
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1]})
        for j, name in enumerate(names):
            c = theme.color(name)
            training_curves(left, right, res, j, "full_acc", c, window,
                            t("optimizers.legend", lang, name=name, lr=fmt(s[f"lr_{name}"])),
                            t("optimizers.final_acc", lang, name=name, value=accuracy(res["full_acc"][-1, j])))
        dress_training_panels(left, right, t("optimizers.axis_iteration", lang), t("optimizers.axis_loss", lang),
                              t("optimizers.axis_accuracy", lang),
                              t("optimizers.mnist_loss_panel", lang, window=window), t("optimizers.mnist_acc_panel", lang))
        fig.suptitle(t("optimizers.fig_mnist_title", lang, iterations=len(res["iteration"])), fontsize=22,
                     fontweight="bold")
        footnote(fig, t("optimizers.fig_mnist_note", lang, data=res.meta.get("info", {}).get("data", ""),
                        batch=s["batch"], iterations=s["iterations"]))
        provenance(fig, [res], lang)
    return fig
