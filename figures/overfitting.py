"""Chapter 12 — 조기 학습종료, 정칙화, 드롭아웃 on the over-fitting MNIST network (300 training images)."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import accuracy, fixed, fmt, t

from .base import NOTE, new_figure, provenance, style
from .run_curves import BOX, curve_panels, setup_note

LABEL_GROUND = dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85)


# --------------------------------------------------------------------------- early stopping
def seed_note(res, lang: str) -> str:
    return t("regularization.seed_note", lang, seeds=len(res["seed_values"]), seed=int(res["seed_values"][0]))


def spread(values) -> str:
    """``0.616–0.750``: the range of a per-seed array, three decimals."""
    return f"{fixed(np.min(values), 3)}–{fixed(np.max(values), 3)}"


def early_stopping_curves(results, lang: str):
    res = results["early-stopping"]
    epoch = res["epoch"]
    best, stop = int(res.scalar("best_epoch")), int(res.scalar("stop_epoch"))
    seeds = len(res["seed_values"])
    hl = theme.color("highlight")
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(2, 2, width_ratios=[1.6, 1], height_ratios=[4.2, 1])
        loss_ax, acc_ax = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
        table_ax = fig.add_subplot(grid[1, :])   # the test numbers, under both panels
        table_ax.axis("off")
        for ax, metric in ((loss_ax, "loss"), (acc_ax, "acc")):
            for split, role in (("train", "train"), ("val", "validation")):
                band = res[f"seeds/{split}_{metric}"]
                ax.fill_between(epoch, band.min(axis=0), band.max(axis=0), color=theme.color(role), alpha=0.18,
                                linewidth=0, gid=f"y=early-stopping:seeds/{split}_{metric} x=early-stopping:epoch")
                ax.plot(epoch, res[f"{split}_{metric}"], color=theme.color(role), label=t(f"early-stopping.{split}", lang),
                        gid=f"y=early-stopping:{split}_{metric} x=early-stopping:epoch")
            ax.axvspan(stop, epoch[-1], color="#EEF1F5", zorder=0)
            ax.axvline(stop, color=hl, linestyle="--", linewidth=1.8)
            ax.axvline(best, color=theme.OKABE_ITO["black"], linestyle=":", linewidth=1.5)
            ax.set_xlabel(t("early-stopping.axis_epoch", lang))
            ax.set_ylabel(t(f"early-stopping.axis_{metric}", lang))
            ax.set_xlim(0, epoch[-1])
        val_best = res["val_loss"][best - 1]
        loss_ax.scatter([best], [val_best], s=140, color=hl, zorder=5, gid=f"y=early-stopping:val_loss[{best - 1}]")
        loss_ax.annotate(t("early-stopping.best_label", lang, epoch=best, value=fmt(val_best, 3)), (best, val_best),
                         xytext=(60, -45), textcoords="offset points", ha="left", fontsize=14, color=hl,  # between the curves
                         arrowprops=dict(arrowstyle="->", color=hl))
        loss_ax.text(stop + 3, 0.97, t("early-stopping.stop_label", lang, epoch=stop,
                                         patience=res.settings["patience"]),
                     transform=loss_ax.get_xaxis_transform(), ha="left", va="top", fontsize=14, color=hl)
        loss_ax.text(0.99, 0.55, t("early-stopping.after_stop", lang) + "\n" + t("early-stopping.seed_band", lang, seeds=seeds),
                     transform=loss_ax.transAxes, ha="right", fontsize=14, color="#5F6670")
        loss_ax.set_ylim(0, float(max(res["seeds/val_loss"].max(), res["seeds/train_loss"].max())) * 1.05)
        loss_ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.9))
        loss_ax.set_title(t("early-stopping.loss_title", lang))
        acc_ax.set_ylim(0, 1.02)
        acc_ax.set_title(t("early-stopping.acc_title", lang))
        table_ax.text(0.0, 0.5, t("early-stopping.test_table", lang, seed=int(res["seed_values"][0]), seeds=seeds,
                                  r_loss=fixed(res.scalar("restored_test_loss"), 3),
                                  r_loss_range=spread(res["seeds/restored_test_loss"]),
                                  f_loss=fixed(res.scalar("final_test_loss"), 3),
                                  f_loss_range=spread(res["seeds/final_test_loss"]),
                                  r_acc=accuracy(res.scalar("restored_test_acc")),
                                  r_acc_range=spread(res["seeds/restored_test_acc"]),
                                  f_acc=accuracy(res.scalar("final_test_acc")),
                                  f_acc_range=spread(res["seeds/final_test_acc"])),
                      transform=table_ax.transAxes, ha="left", va="center", fontsize=14, bbox=BOX)
        wrong = res["val_wrong_loss"]
        table_ax.text(1.0, 0.5, t("early-stopping.why_box", lang, seeds=seeds, best=best, last=int(epoch[-1]),
                                  at_best=fixed(wrong[best - 1], 2), at_last=fixed(wrong[-1], 2)),
                      transform=table_ax.transAxes, ha="right", va="center", fontsize=14, bbox=BOX, multialignment="left")
        fig.suptitle(t("early-stopping.figure_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, setup_note(res, lang), **NOTE)
        provenance(fig, [res], lang)
    return fig


# --------------------------------------------------------------------------- regularization
def penalty_runs(res, lang: str) -> list[tuple[str, str, str]]:
    lams = res["lambdas"]
    return [(kind, t(f"regularization.run.{kind}", lang, lam=fmt(lam, 3)), "no-penalty" if kind == "none" else kind)
            for kind, lam in zip(map(str, res["penalties"]), lams)]


def regularization_curves(results, lang: str):
    res = results["regularization"]
    with style():
        fig = new_figure()
        axes = curve_panels(fig, res, penalty_runs(res, lang), lang, metric="loss")
        axes[0].set_ylim(0, 2.5)
        fig.suptitle(t("regularization.curves_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, setup_note(res, lang) + "\n" + seed_note(res, lang), **NOTE)
        provenance(fig, [res], lang)
    return fig


def weight_histograms(results, lang: str):
    res = results["regularization"]
    edges = res["hist_edges"]
    centers = (edges[:-1] + edges[1:]) / 2
    width = edges[1] - edges[0]
    with style():
        fig = new_figure()
        axes = fig.subplots(1, 3, sharey=True)
        for ax, (kind, title, role) in zip(axes, penalty_runs(res, lang)):
            ax.bar(centers, res["init/weight_hist"], width=width, color="#D8DEE9", label=t("regularization.initial", lang),
                   gid="y=regularization:init/weight_hist")
            ax.bar(centers, res[f"{kind}/weight_hist"], width=width, color=theme.color(role), alpha=0.85,
                   label=t("regularization.trained", lang), gid=f"y=regularization:{kind}/weight_hist")
            ax.set_xlim(-res.settings["hist_limit"], res.settings["hist_limit"])
            ax.set_title(title, color=theme.color(role))
            ax.set_xlabel(t("regularization.axis_weight", lang))
            shares, norms = 100 * res[f"seeds/{kind}/near_zero"], res[f"seeds/{kind}/weight_l2"]
            ax.text(0.03, 0.97, t("regularization.near_zero", lang, share=fmt(100 * res.scalar(f"{kind}/near_zero"), 3),
                                  eps=fmt(res.settings["near_zero"], 2), norm=fixed(res.scalar(f"{kind}/weight_l2"), 1),
                                  seeds=len(shares), shares=f"{fmt(shares.min(), 3)}–{fmt(shares.max(), 3)}",
                                  norms=f"{fixed(norms.min(), 1)}–{fixed(norms.max(), 1)}"),
                    transform=ax.transAxes, ha="left", va="top", fontsize=14, bbox=BOX)
            ax.legend(loc="upper right", fontsize=14)
        axes[0].set_ylabel(t("regularization.axis_count", lang))
        fig.suptitle(t("regularization.hist_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("regularization.hist_note", lang, zoom=fmt(res.settings["hist_limit"], 2)), **NOTE)
        provenance(fig, [res], lang)
    return fig


def l1_l2_geometry(results, lang: str):
    res = results["regularization"]
    axis = res["toy/axis"]
    loss = res["toy/loss"]
    w_star = res["toy/w_star"]
    with style():
        fig = new_figure()
        axes = fig.subplots(1, 2)
        for ax, kind in zip(axes, ("l2", "l1")):
            w = res[f"toy/w_{kind}"]
            r = res.scalar(f"toy/radius_{kind}")
            level = res.scalar(f"toy/loss_{kind}")
            levels = sorted({level * f for f in (0.1, 0.3, 1.0, 2.0, 3.5)})
            ax.contour(axis, axis, loss, levels=levels, colors=theme.OKABE_ITO["grey"], linewidths=1.2)
            ax.contour(axis, axis, loss, levels=[level], colors=theme.color("highlight"), linewidths=2.4)
            if kind == "l2":
                angle = np.linspace(0, 2 * np.pi, 400)
                ax.fill(r * np.cos(angle), r * np.sin(angle), color=theme.color(kind), alpha=0.25)
                ax.plot(r * np.cos(angle), r * np.sin(angle), color=theme.color(kind), gid="l2=regularization:toy/radius_l2")
            else:
                xs, ys = [r, 0, -r, 0, r], [0, r, 0, -r, 0]
                ax.fill(xs, ys, color=theme.color(kind), alpha=0.25)
                ax.plot(xs, ys, color=theme.color(kind), gid="l1=regularization:toy/radius_l1")
            ax.scatter(*w_star, s=90, color=theme.OKABE_ITO["black"], zorder=5, gid="xy=regularization:toy/w_star")
            # the labels sit among the contours: on a light ground, above them
            ax.annotate(t("regularization.w_star", lang), w_star, xytext=(-8, 8), textcoords="offset points", fontsize=14,
                        ha="right", va="bottom", bbox=LABEL_GROUND, zorder=7)
            ax.scatter(*w, s=110, color=theme.color("highlight"), zorder=6, gid=f"xy=regularization:toy/w_{kind}")
            ax.annotate(t("regularization.w_hat", lang, w1=fmt(w[0], 2), w2=fmt(w[1], 2)), w, xytext=(0, -12),
                        textcoords="offset points", fontsize=14, color=theme.color("highlight"), ha="center", va="top",
                        bbox=LABEL_GROUND, zorder=7)
            ax.axhline(0, color="#999999", linewidth=0.8)
            ax.axvline(0, color="#999999", linewidth=0.8)
            ax.set_aspect("equal", anchor="S")  # the slack of a square panel above it, under the titles
            ax.set_xlim(axis[0], axis[-1])
            ax.set_ylim(axis[0], axis[-1])
            ax.set_xlabel("$w_1$")
            ax.set_ylabel("$w_2$")
            ax.set_title(t(f"regularization.geometry.{kind}", lang, lam=fmt(res.settings[f"toy_lambda_{kind}"], 2)),
                         color=theme.color(kind))
        fig.suptitle(t("regularization.geometry_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("regularization.geometry_note", lang), **NOTE)
        provenance(fig, [res], lang)
    return fig


# --------------------------------------------------------------------------- dropout
def dropout_curves(results, lang: str):
    res = results["dropout"]
    rates = [float(p) for p in res["rates"]]
    runs = [(f"p{i}", t("dropout.run", lang, p=fmt(p, 2)), f"dropout-{fmt(p, 2)}") for i, p in enumerate(rates)]
    with style():
        fig = new_figure()
        curve_panels(fig, res, runs, lang, metric="acc", test_accuracy=True)
        fig.suptitle(t("dropout.curves_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, setup_note(res, lang) + "\n" + t("dropout.departure", lang, epochs=res.settings["epochs"],
                 seeds=len(res["seed_values"]), seed=int(res["seed_values"][0])), **NOTE)
        provenance(fig, [res], lang)
    return fig


# --------------------------------------------------------------------------- regularization: the λ paths
def regularization_path(results, lang: str):
    """Along each λ path (L2 left, L1 right): training and validation accuracy (top), and what the penalty does
    to the weights (bottom: the Euclidean norm for L2, the share of near-zero weights for L1); the lecture's
    seed as lines, every seed's min–max as bands."""
    res = results["regularization-path"]
    with style():
        fig = new_figure()
        fig.set_layout_engine("constrained", rect=(0, 0.07, 1, 0.93))   # room for the two-line note
        axes = fig.subplots(2, 2, sharex="col", gridspec_kw={"height_ratios": [1.4, 1]})
        for col, kind in enumerate(("l2", "l1")):
            lams = res[f"{kind}/lambdas"]
            x = np.arange(len(lams))
            c = theme.color(kind)
            top, bottom = axes[0, col], axes[1, col]
            for split, role, width in (("train", "train", 1.6), ("val", "validation", 3.0)):
                band = res[f"seeds/{kind}/{split}_acc"]
                top.fill_between(x, band.min(axis=0), band.max(axis=0), color=theme.color(role), alpha=0.18,
                                 linewidth=0, gid=f"y=regularization-path:seeds/{kind}/{split}_acc")
                top.plot(x, res[f"{kind}/{split}_acc"], color=theme.color(role), linewidth=width, marker="o",
                         label=t(f"early-stopping.{split}", lang), gid=f"y=regularization-path:{kind}/{split}_acc")
            top.set_ylim(0, 1.05)
            top.set_title(t(f"regularization.path.head_{kind}", lang), color=c)
            top.legend(loc="lower left", fontsize=14)
            what = "weight_l2" if kind == "l2" else "near_zero"
            band = res[f"seeds/{kind}/{what}"]
            bottom.fill_between(x, band.min(axis=0), band.max(axis=0), color=c, alpha=0.2, linewidth=0,
                                gid=f"y=regularization-path:seeds/{kind}/{what}")
            bottom.plot(x, res[f"{kind}/{what}"], color=c, linewidth=2.5, marker="o",
                        gid=f"y=regularization-path:{kind}/{what}")
            bottom.set_ylabel(t(f"regularization.path.axis_{what}", lang, eps=fmt(res.settings["near_zero"], 2)))
            bottom.set_xticks(x, [f"λ = {fmt(v, 2)}" for v in lams])
        axes[0, 0].set_ylabel(t("early-stopping.axis_acc", lang))
        fig.suptitle(t("regularization.path.figure_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, setup_note(res, lang) + "\n" + seed_note(res, lang), **NOTE)
        provenance(fig, [res], lang)
    return fig
