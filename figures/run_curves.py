"""Training against validation curves, one panel per run, and the settings line of the runs: the small
MNIST network that over-fits 300 training images, shared by the figures of early stopping,
regularization, dropout and data augmentation."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import accuracy, fmt, t

from .base import clear_corner

BOX = dict(boxstyle="round,pad=0.35", facecolor="white", edgecolor="#D8DEE9", alpha=0.95)


def setup_note(res, lang: str) -> str:
    s = res.settings
    return t("early-stopping.setup_note", lang, n=s["train_size"], val=s["val_size"], layers=s["hidden_layers"],
             width=s["hidden"], lr=fmt(s["lr"], 3), batch=s["batch"], epochs=s["epochs"])


def curve_panels(fig, res, runs: list[tuple[str, str, str]], lang: str, metric: str = "acc",
                 test_accuracy: bool = False):
    """One panel per run: training (solid) vs validation (dashed) ``metric`` per epoch.

    ``runs`` is ``[(prefix, title, colour role)]``; arrays are ``<prefix>/train_<metric>`` etc.
    With ``test_accuracy`` each panel also states ``<prefix>/test_acc``.  Returns the axes.
    """
    axes = np.atleast_1d(fig.subplots(1, len(runs), sharey=True))
    epoch = res["epoch"]
    for ax, (prefix, title, role) in zip(axes, runs):
        c = theme.color(role)
        train, val = f"{prefix}/train_{metric}", f"{prefix}/val_{metric}"
        if f"seeds/{train}" in res:   # the other seeds' spread: a light band around each curve
            for name in (train, val):
                band = res[f"seeds/{name}"]
                ax.fill_between(epoch, band.min(axis=0), band.max(axis=0), color=c, alpha=0.15, linewidth=0,
                                gid=f"y={res.id}:seeds/{name} x={res.id}:epoch")
        ax.plot(epoch, res[train], color=c, label=t("early-stopping.train", lang),
                gid=f"y={res.id}:{train} x={res.id}:epoch")
        ax.plot(epoch, res[val], color=c, linestyle="--", label=t("early-stopping.val", lang),
                gid=f"y={res.id}:{val} x={res.id}:epoch")
        ax.set_title(title, color=c)
        ax.set_xlabel(t("early-stopping.axis_epoch", lang))
        ax.legend(loc="center right", fontsize=14)
    axes[0].set_ylabel(t(f"early-stopping.axis_{metric}", lang))
    if metric == "acc":
        axes[0].set_ylim(0, 1.02)
    for ax, (prefix, _, _) in zip(axes, runs):
        tr, va = res[f"{prefix}/train_{metric}"], res[f"{prefix}/val_{metric}"]
        # accuracies, read against each other, with three decimals each (1.000, 0.798, 0.202); losses, which
        # reach 0.004 and 2.3, with three significant digits
        number = accuracy if metric == "acc" else (lambda v: fmt(v, 3))
        numbers = t("early-stopping.final_pair", lang, train=number(tr[-1]), val=number(va[-1]),
                    gap=number(abs(float(tr[-1] - va[-1]))))
        if f"seeds/{prefix}/train_{metric}" in res:
            gaps = np.abs(res[f"seeds/{prefix}/train_{metric}"][:, -1] - res[f"seeds/{prefix}/val_{metric}"][:, -1])
            numbers += "\n" + t("early-stopping.gap_range", lang, seeds=len(gaps), low=number(gaps.min()),
                                 high=number(gaps.max()))
        if test_accuracy:
            numbers = t("dropout.test_acc", lang, acc=number(res.scalar(f"{prefix}/test_acc"))) + "\n" + numbers
            if f"seeds/{prefix}/test_acc" in res:
                accs = res[f"seeds/{prefix}/test_acc"]
                numbers += "\n" + t("dropout.test_range", lang, seeds=len(accs), low=number(accs.min()),
                                     high=number(accs.max()))
        box = ax.text(0, 0, numbers, transform=ax.transAxes, fontsize=14, bbox=BOX, multialignment="right")
        # above or below the curves' ends, as the results fall (a loss ends low, an accuracy high, a run that
        # does not learn stays low); the callers' titles and notes change the axes' size only slightly
        clear_corner(ax, box, ("upper right", "lower right"))
    return axes
