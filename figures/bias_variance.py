"""Chapter 12 — 편의와 분산: polynomial fits, the U-shaped validation error, bias² + variance, the diagnosis table."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import fmt, math_number, t

from .base import new_figure, provenance, style

FIT_COLOR = {1: "underfit", 5: "goodfit", 15: "overfit"}


def fit_color(degree: int) -> str:
    return theme.color(FIT_COLOR.get(int(degree), "highlight"))


def polynomial_fits(results, lang: str):
    res = results["bias-variance"]
    grid, truth = res["grid"], res["truth"]
    degrees = [int(p) for p in res["shown_degrees"]]
    with style():
        fig = new_figure()
        axes = fig.subplots(1, len(degrees), sharey=True)
        for ax, p in zip(axes, degrees):
            ax.plot(grid, truth, color=theme.OKABE_ITO["grey"], linestyle="--", linewidth=2,
                    label=t("bias-variance.truth", lang), gid="y=bias-variance:truth x=bias-variance:grid")
            ax.plot(grid, res[f"fit/{p}"], color=fit_color(p), label=t("bias-variance.fit", lang, p=p),
                    gid=f"y=bias-variance:fit/{p} x=bias-variance:grid")
            ax.scatter(res["x_train"], res["y_train"], s=28, color=theme.color("train"), zorder=3,
                       label=t("bias-variance.train_points", lang, n=len(res["x_train"])),
                       gid="x=bias-variance:x_train y=bias-variance:y_train")
            ax.set_ylim(-1.8, 1.8)
            ax.set_xlim(0, 1)
            ax.set_title(t("bias-variance.degree_title", lang, p=p))
            ax.set_xlabel("x")
            mse = t("bias-variance.mse_pair", lang, train=fmt(res["train_mse"][p - 1], 3),
                    val=fmt(res["val_mse"][p - 1], 3))
            ax.text(0.03, 0.03, mse, transform=ax.transAxes, ha="left", va="bottom", fontsize=14,
                    bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="none", alpha=0.9))
            ax.legend(loc="upper right", fontsize=14)
        axes[0].set_ylabel("y")
        fig.suptitle(t("bias-variance.fits_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("bias-variance.fits_note", lang, n=len(res["x_train"]),
                                 sigma=fmt(res.settings["noise"], 2)),
                 ha="left", va="bottom", fontsize=14, color="#5F6670")
        provenance(fig, [res], lang)
    return fig


def error_curves(results, lang: str):
    res = results["bias-variance"]
    deg = res["degrees"]
    with style():
        fig = new_figure()
        left, right = fig.subplots(1, 2)
        at = "x=bias-variance:degrees"
        left.semilogy(deg, res["train_mse"], "o-", color=theme.color("train"), label=t("bias-variance.train_error", lang),
                      gid=f"y=bias-variance:train_mse {at}")
        left.semilogy(deg, res["val_mse"], "o-", color=theme.color("validation"), label=t("bias-variance.val_error", lang),
                      gid=f"y=bias-variance:val_mse {at}")
        best = int(np.argmin(res["val_mse"]))
        left.scatter([deg[best]], [res["val_mse"][best]], s=180, facecolor="none", edgecolor=theme.color("highlight"),
                     linewidth=2.5, zorder=4, gid=f"x=bias-variance:degrees[{best}] y=bias-variance:val_mse[{best}]")
        # below the training curve (room made under it), pointing up at the marker: between the two curves
        # a label would lie on the training error
        low = float(np.min(res["train_mse"]))
        left.set_ylim(bottom=low / 30)
        left.annotate(t("bias-variance.best_degree", lang, p=int(deg[best])), (deg[best], res["val_mse"][best]),
                      xytext=(deg[best], low / 4), textcoords="data", ha="center", va="top", fontsize=14,
                      color=theme.color("highlight"),
                      arrowprops=dict(arrowstyle="->", color=theme.color("highlight"), lw=1.3, shrinkB=9))
        left.set_xlabel(t("bias-variance.axis_degree", lang))
        left.set_ylabel(t("bias-variance.axis_mse", lang))
        left.set_title(t("bias-variance.u_title", lang))
        left.set_xticks(deg)
        left.legend(loc="upper left")

        total = res["bias2"] + res["variance"] + res.scalar("noise_var")
        right.semilogy(deg, res["bias2"], "s-", color=theme.color("bias"), label=t("bias-variance.bias2", lang),
                       gid=f"y=bias-variance:bias2 {at}")
        right.semilogy(deg, res["variance"], "^-", color=theme.color("variance"), label=t("bias-variance.variance", lang),
                       gid=f"y=bias-variance:variance {at}")
        right.axhline(res.scalar("noise_var"), color=theme.OKABE_ITO["grey"], linestyle=":",
                      label=t("bias-variance.noise", lang, value=fmt(res.scalar("noise_var"), 2)))
        right.semilogy(deg, total, "-", color=theme.OKABE_ITO["black"], linewidth=4, alpha=0.35,
                       label=t("bias-variance.sum", lang), gid=f"y=bias-variance:bias2|plus(variance)|plus(noise_var) {at}")
        right.semilogy(deg, res["test_mse"], "o", color=theme.color("test"), markersize=7,
                       label=t("bias-variance.measured", lang), gid=f"y=bias-variance:test_mse {at}")
        right.set_ylim(max(1e-6, float(np.min(res["bias2"])) * 0.5), None)
        right.set_xlabel(t("bias-variance.axis_degree", lang))
        right.set_title(t("bias-variance.decomp_title", lang, R=res.settings["datasets"]))
        right.set_xticks(deg)
        right.legend(loc="upper left", fontsize=14)
        worst = float(np.max(np.abs(total - res["test_mse"]) / res["test_se"]))
        fig.suptitle(t("bias-variance.curves_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("bias-variance.curves_note", lang, se=fmt(worst, 2)),
                 ha="left", va="bottom", fontsize=14, color="#5F6670")
        provenance(fig, [res], lang)
    return fig


def diagnosis_table(results, lang: str):
    res = results["bias-variance"]
    sigma2 = res.scalar("noise_var")
    settings = res.settings
    header = [t(f"bias-variance.col.{c}", lang) for c in ("model", "train", "val", "bias2", "variance", "verdict")]
    rows = []
    for i, label in enumerate(res["table_label"]):
        rows.append([t("bias-variance.model_row", lang, p=int(res["table_degree"][i]), n=int(res["table_n"][i])),
                     math_number(res["table_train"][i], 3), math_number(res["table_val"][i], 3),
                     math_number(res["table_bias2"][i], 3), math_number(res["table_variance"][i], 3),
                     t(f"bias-variance.verdict.{label}", lang)])
    with style():
        fig = new_figure()
        ax = fig.subplots()
        ax.axis("off")
        table = ax.table(cellText=rows, colLabels=header, cellLoc="center", bbox=[0.0, 0.12, 1.0, 0.72],
                         colWidths=[0.13, 0.13, 0.14, 0.12, 0.12, 0.26])
        table.auto_set_font_size(False)
        table.set_fontsize(16)
        for (r, c), box in table.get_celld().items():
            box.set_edgecolor("#D8DEE9")
            if r == 0:
                box.set_text_props(fontweight="bold")
                box.set_facecolor("#EEF1F5")
            elif c == len(header) - 1:
                box.set_text_props(color=theme.color(VERDICT_ROLE[str(res["table_label"][r - 1])]), fontweight="bold")
        ax.set_title(t("bias-variance.table_title", lang), fontsize=22, fontweight="bold", pad=20)
        fig.text(0.005, 0.005, t("bias-variance.table_note", lang, R=settings["datasets"],
                                 bias=fmt(settings["bias_factor"] * sigma2, 3),
                                 factor=fmt(settings["variance_factor"], 2)),
                 ha="left", va="bottom", fontsize=14, color="#5F6670")
        provenance(fig, [res], lang)
    return fig


VERDICT_ROLE = {"overfit": "overfit", "underfit": "underfit", "both": "highlight", "neither": "goodfit"}
