"""Chapter 9 — the universal approximation theorem: one hidden layer of growing width, fits and errors."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import fmt, t

from .base import new_figure, provenance, style

NOTE = "#5F6670"
TAG = "universal-approximation:"  # the result each data tag names


def width_color(width: int) -> str:
    return theme.color(f"width-{int(width)}")


def universal_approximation(results, lang: str):
    res = results["universal-approximation"]
    widths = [int(w) for w in res["widths"]]
    x, f = res["x"], res["target"]
    s = res.settings
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(2, 2 * len(widths), height_ratios=[1, 1.15])
        for i, w in enumerate(widths):
            ax = fig.add_subplot(grid[0, 2 * i:2 * i + 2])
            ax.plot(x, f, color=theme.color("target-function"), linewidth=4.5, alpha=0.55,
                    label=t("universal-approximation.target_label", lang), gid=f"y={TAG}target x={TAG}x")
            ax.plot(x, res[f"fit/{w}"], color=width_color(w), linewidth=2.2,
                    label=t("universal-approximation.fit_label", lang), gid=f"y={TAG}fit/{w} x={TAG}x")
            ax.set_title(t("universal-approximation.panel", lang, width=w), color=width_color(w))
            ax.text(0.5, -0.16, t("universal-approximation.panel_err", lang, max=fmt(res["max_error"][i], 2),
                                 rms=fmt(res["rms_error"][i], 2)),
                    transform=ax.transAxes, fontsize=14, va="top", ha="center")
            ax.set_xlim(x[0], x[-1])
            ax.set_xticks([-1, 0, 1])
            ax.set_ylim(float(f.min()) - 0.25, float(f.max()) + 0.6)  # headroom: the legend above the peak
            if i:
                ax.tick_params(labelleft=False)
            else:
                ax.legend(loc="upper left", fontsize=14, handlelength=1.2, borderaxespad=0.3)
        err_ax = fig.add_subplot(grid[1, :len(widths)])
        err_ax.loglog(widths, res["max_error"], "-o", color=theme.color("highlight"), markersize=8,
                      label=t("universal-approximation.max_error", lang), gid=f"y={TAG}max_error x={TAG}widths")
        err_ax.loglog(widths, res["rms_error"], "-s", color=theme.color("forward"), markersize=8,
                      label=t("universal-approximation.rms_error", lang), gid=f"y={TAG}rms_error x={TAG}widths")
        # the other seeds (initial weights): a band from the smallest to the largest error at each width
        for key, role in (("max_error", "highlight"), ("rms_error", "forward")):
            spread = res[f"seeds/{key}"]
            err_ax.fill_between(widths, spread.min(0), spread.max(0), color=theme.color(role), alpha=0.15, linewidth=0)
        for w, m in zip(widths, res["max_error"]):
            err_ax.annotate(fmt(m, 2), (w, m), textcoords="offset points", xytext=(0, 9), ha="center", fontsize=14,
                            color=theme.color("highlight"))
        for w, r in zip(widths, res["rms_error"]):
            err_ax.annotate(fmt(r, 2), (w, r), textcoords="offset points", xytext=(0, -18), ha="center", fontsize=14,
                            color=theme.color("forward"))
        err_ax.set_xticks(widths)
        err_ax.set_xticklabels([str(w) for w in widths])
        err_ax.minorticks_off()
        err_ax.set_xlabel(t("universal-approximation.axis_width", lang))
        err_ax.set_ylabel(t("universal-approximation.axis_error", lang))
        err_ax.set_title(t("universal-approximation.error_title", lang))
        err_ax.legend(loc="lower left", fontsize=14)
        lo, hi = float(np.min(res["seeds/rms_error"])), float(np.max(res["seeds/max_error"]))
        err_ax.set_ylim(lo / 2.5, hi * 2.5)
        # the pieces: a narrow network's output is its hidden units' tanh steps added up
        w_show = widths[1] if len(widths) > 1 else widths[0]
        piece_ax = fig.add_subplot(grid[1, len(widths):])
        units = res[f"units/{w_show}"]
        for j, unit in enumerate(units):
            piece_ax.plot(x, unit, color=NOTE, linewidth=1.4, linestyle="--",
                          label=t("universal-approximation.unit_label", lang) if j == 0 else None,
                          gid=f"y={TAG}units/{w_show}[{j}] x={TAG}x")
        piece_ax.plot(x, f, color=theme.color("target-function"), linewidth=4.5, alpha=0.55, gid=f"y={TAG}target x={TAG}x")
        piece_ax.plot(x, units.sum(0) + float(res[f"bias_out/{w_show}"].reshape(-1)[0]), color=width_color(w_show),
                      linewidth=2.4, label=t("universal-approximation.sum_label", lang),
                      gid=f"y={TAG}units/{w_show}|sum0|plus(bias_out/{w_show}) x={TAG}x")
        piece_ax.set_title(t("universal-approximation.pieces_title", lang, width=w_show))
        piece_ax.set_xlabel("x")
        piece_ax.set_xlim(x[0], x[-1])
        # on a white ground: the dashed contributions cross every corner
        piece_ax.legend(loc="lower right", fontsize=14, frameon=True, framealpha=0.92, facecolor="white", edgecolor="none")
        fig.suptitle(t("universal-approximation.figure_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("universal-approximation.figure_note", lang, target=res.meta.get("info", {}).get("target", ""),
                                 n=s["train_points"], grid=s["grid_points"], opt=s["optimizer"], lr=s["lr"],
                                 steps=s["steps"], seed=int(res["seed_values"][0]), seeds=len(res["seed_values"])),
                 ha="left", va="bottom", fontsize=14, color=NOTE)
        provenance(fig, [res], lang)
    return fig
