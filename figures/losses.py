"""Chapter 10 — MSE and cross-entropy: the losses and their gradients against p, and how fast one classifier's
confident mistakes are corrected under each."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import fmt, t

from .base import new_figure, provenance, style

MUTED = "#5F6670"
LOSSES = ("mse", "ce")


def colour(name: str) -> str:
    return theme.color("mse" if name == "mse" else "cross-entropy")


def losses(results, lang: str):
    res = results["losses"]
    s = res.settings
    p = res["p"]
    c = float(s["confident_below"])
    epochs = res["epoch"]
    with style():
        fig = new_figure()
        fig.get_layout_engine().set(rect=(0, 0.08, 1, 0.91))
        grid = fig.add_gridspec(1, 3, width_ratios=[1, 1, 1.35])
        # (a) the losses, (b) their gradients w.r.t. z, against p
        for col, (kind, top, ylabel, title) in enumerate((("curve", 4.3, "losses.axis_loss", "losses.panel_loss"),
                                                         ("curve/grad_size", 1.05, "losses.axis_grad_short",
                                                          "losses.panel_grad"))):
            ax = fig.add_subplot(grid[0, col])
            ax.axvspan(0, c, color=theme.color("highlight"), alpha=0.15, linewidth=0)
            for name in LOSSES:
                # drawn whole: where the cross-entropy leaves the window it runs out of the top
                ax.plot(p, res[f"{kind}/{name}"], color=colour(name), linewidth=2.6, label=t(f"losses.name.{name}", lang),
                        gid=f"x=losses:p y=losses:{kind}/{name}")
            ax.set_xlim(0, 1)
            ax.set_ylim(0, top)
            ax.set_yticks([v for v in ax.get_yticks() if 0 < v <= int(top)])   # the corner is the x axis's 0
            ax.set_xlabel(t("losses.axis_p", lang), fontsize=14)
            ax.set_ylabel(t(ylabel, lang))
            ax.set_title(t(title, lang), fontsize=14)
            ax.legend(loc="upper right", fontsize=14, framealpha=0.95)
            if col == 1:   # where no curve runs: below the cross-entropy's line, above the MSE's hump
                ax.text(c + 0.01, 0.45, t("losses.confident_zone", lang) + f" (p < {fmt(c)})",
                        transform=ax.get_xaxis_transform(), ha="left", va="center", fontsize=14,
                        color=theme.color("highlight"))
        # (c) the share of the wrong-and-confident samples still wrong, every seed
        ax = fig.add_subplot(grid[0, 2])
        for name in LOSSES:
            rows = res[f"seeds/still_wrong/{name}"]
            for k, row in enumerate(rows[1:], start=1):
                ax.plot(epochs, row, color=colour(name), linewidth=1, alpha=0.45,
                        gid=f"y=losses:seeds/still_wrong/{name}[{k}]")
            label = t("losses.legend_half", lang, name=t(f"losses.name.{name}", lang), e=int(res[f"half_epoch/{name}"]))
            ax.plot(epochs, rows[0], color=colour(name), linewidth=2.8, label=label,
                    gid=f"y=losses:still_wrong/{name}")
        ax.axhline(0.5, color=MUTED, linewidth=1, linestyle="--")
        ax.set_xlim(0, int(epochs[-1]))
        ax.set_ylim(0, 1.02)
        ax.set_yticks([0.25, 0.5, 0.75, 1.0])
        ax.set_xlabel(t("losses.axis_epoch", lang))
        ax.set_ylabel(t("losses.axis_still_short", lang))
        ax.set_title(t("losses.panel_race", lang), fontsize=14)
        ax.legend(loc="upper right", fontsize=14, framealpha=0.95)
        lines = [t("losses.start_two_lines", lang, c=fmt(c), count=int(res["start_count"]), n=int(res["n"]))]
        lines.append(t("losses.seeds_note", lang, k=len(res["seed_values"]) - 1))
        ax.text(0.97, 0.11, "\n".join(lines), transform=ax.transAxes, ha="right", va="bottom", fontsize=14, color=MUTED,
                linespacing=1.4)
        fig.suptitle(t("losses.figure_title", lang), fontsize=21, fontweight="bold")
        fig.text(0.005, 0.005, t("losses.figure_note", lang, std=fmt(s["init_std"]), lr=fmt(s["lr"]), b=int(s["batch"]),
                                 c=fmt(c)), ha="left", va="bottom", fontsize=14, color=MUTED, wrap=True)
        provenance(fig, [res], lang)
    return fig
