"""Chapter 7 — gradient descent: four learning rates, local minima, GD vs SGD vs mini-batch."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import fmt, t

from .base import footnote, new_figure, provenance, style
from .paths import draw_path, mark_minimum

LR_ROLES = ("lr-slow", "lr-good", "lr-oscillating", "lr-diverging")
METHOD_ROLES = {"GD": "GD", "SGD": "SGD", "minibatch": "minibatch"}


def finite(a: np.ndarray) -> np.ndarray:
    return a[np.isfinite(a)]


def gd_learning_rates(results, lang: str):
    res = results["gd-parabola"]
    lrs, w, J = res["lrs"], res["w"], res["J"]
    with style():
        fig = new_figure()
        axes = fig.subplots(1, len(lrs), sharey=True)
        for k, ax in enumerate(axes):
            color = theme.color(LR_ROLES[k % len(LR_ROLES)])
            ws, js = finite(w[:, k]), finite(J[:, k])
            span = max(12.0, float(np.max(np.abs(ws))) * 1.08)
            cw = np.linspace(-span, span, 400)
            ax.plot(cw, cw ** 2, color="#5F6670", linewidth=1.6, gid="decor")  # J(w) = w², from its formula
            ax.plot(ws, js, "-o", color=color, markersize=6, linewidth=1.6,
                    gid=f"y=gd-parabola:J[:,{k}]|finite x=gd-parabola:w[:,{k}]|finite")
            ax.plot(ws[0], js[0], "s", color="black", markersize=7)
            ax.set_title(r"$\eta = $" + fmt(lrs[k]), color=color)
            ax.set_xlabel("w")
            if bool(res["diverged"][k]):
                verdict = t("gradient-descent.verdict.diverged", lang, step=int(res["last"][k]))
            else:
                verdict = t("gradient-descent.verdict.final", lang, steps=len(ws) - 1, w=fmt(ws[-1], 3))
            ax.text(0.5, 0.97, t(f"gradient-descent.lr_kind.{k}", lang) + "\n" + verdict, transform=ax.transAxes,
                    ha="center", va="top", fontsize=14,
                    bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="none", alpha=0.9))
            ax.set_ylim(-5, max(160.0, float(np.max(js)) * 1.35))
        axes[0].set_ylabel("J(w) = w²")
        fig.suptitle(t("gradient-descent.fig_lr_title", lang), fontsize=22, fontweight="bold")
        footnote(fig, t("gradient-descent.fig_lr_note", lang, start=fmt(res["w"][0, 0]), steps=w.shape[0] - 1,
                        factor=fmt(res.meta["settings"]["diverge_factor"])))
        provenance(fig, [res], lang)
    return fig


def gd_local_minima(results, lang: str):
    res = results["gd-local-minima"]
    lrs, starts = res["lrs"], res["starts"]
    palette = [theme.OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky")]
    with style():
        fig = new_figure()
        axes = fig.subplots(1, len(lrs), sharey=True)
        for i, ax in enumerate(np.atleast_1d(axes)):
            ax.plot(res["curve_x"], res["curve_f"], color="#5F6670", linewidth=1.8,
                    gid="y=gd-local-minima:curve_f x=gd-local-minima:curve_x")
            for j in range(len(starts)):
                c = palette[j % len(palette)]
                xs, fs = finite(res["x"][:, i, j]), finite(res["f"][:, i, j])
                ax.plot(xs, fs, "-", color=c, linewidth=1.0, alpha=0.6,
                        gid=f"y=gd-local-minima:f[:,{i},{j}]|finite x=gd-local-minima:x[:,{i},{j}]|finite")
                ax.plot(xs[0], fs[0], "o", color=c, markersize=8)
                ax.plot(xs[-1], fs[-1], "*", color=c, markersize=15, markeredgecolor="black", markeredgewidth=0.6)
            poor = int(np.sum(res["poor"][i]))
            ax.set_title(t("gradient-descent.fig_local_panel", lang, lr=fmt(lrs[i]), poor=poor, n=len(starts)))
            for mx, mf in zip(res["minima_x"], res["minima_f"]):
                best = np.isclose(mx, res.scalar("best_x"))
                key = "gradient-descent.best_minimum" if best else "gradient-descent.local_minimum"
                ax.annotate(t(key, lang, f=fmt(mf, 3)), (mx, mf), xytext=(0, -28), textcoords="offset points",
                            ha="center", fontsize=14, arrowprops=dict(arrowstyle="-", color="#5F6670"))
            ax.set_xlabel("x")
            ax.set_ylim(float(np.min(res["curve_f"])) - 3.5, float(np.max(res["curve_f"])) + 1.5)
        np.atleast_1d(axes)[0].set_ylabel(r"$f(x) = x\cos(0.15\pi x)$")
        fig.suptitle(t("gradient-descent.fig_local_title", lang), fontsize=22, fontweight="bold")
        footnote(fig, t("gradient-descent.fig_local_note", lang, steps=res["x"].shape[0] - 1))
        provenance(fig, [res], lang)
    return fig


def gd_sgd_paths(results, lang: str):
    res = results["gd-regression"]
    methods = [str(m) for m in res["methods"]]
    s = res.meta["settings"]
    with style():
        fig = new_figure()
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
        levels = res.scalar("J_ls") + np.geomspace(0.01, 8, 12)
        left.contour(res["grid_w0"], res["grid_w1"], res["grid_J"], levels=levels, colors="#9AA3AE", linewidths=0.9)
        for m in methods:
            draw_path(left, res[f"path/{m}"], theme.color(METHOD_ROLES[m]),
                      t(f"gradient-descent.method.{m}", lang), markersize=0 if m != "GD" else 3,
                      gid=f"xy=gd-regression:path/{m}|finite")
        mark_minimum(left, res["w_ls"], t("gradient-descent.least_squares", lang, w0=fmt(res["w_ls"][0], 3),
                                             w1=fmt(res["w_ls"][1], 3)))
        left.set_xlabel("$w_0$")
        left.set_ylabel("$w_1$")
        left.set_title(t("gradient-descent.fig_sgd_left", lang, updates=res["path/GD"].shape[0] - 1))
        left.legend(loc="upper right", fontsize=14)
        if "seeds/J_SGD" in res:  # SGD's other example orders: the spread the lecture's one is drawn from
            others = res["seeds/J_SGD"][1:]
            for k, curve in enumerate(others):
                right.plot(np.arange(len(curve)), curve, color=theme.color(METHOD_ROLES["SGD"]), alpha=0.25,
                           linewidth=1.0, label=t("gradient-descent.other_seeds", lang, n=len(others)) if k == 0 else None,
                           gid=f"y=gd-regression:seeds/J_SGD[{k + 1}]")
        for m in methods:
            right.plot(np.arange(len(res[f"J/{m}"])), res[f"J/{m}"], color=theme.color(METHOD_ROLES[m]),
                       label=t(f"gradient-descent.method.{m}", lang), gid=f"y=gd-regression:J/{m}")
        right.axhline(res.scalar("J_ls"), color="black", linestyle=":", linewidth=1.2,
                      label=t("gradient-descent.least_squares_J", lang, J=fmt(res.scalar("J_ls"), 3)))
        right.set_yscale("log")
        right.set_xlabel(t("gradient-descent.axis_updates", lang))
        right.set_ylabel("J(w)")
        right.set_title(t("gradient-descent.fig_sgd_right", lang))
        right.legend(fontsize=14)
        fig.suptitle(t("gradient-descent.fig_sgd_title", lang), fontsize=22, fontweight="bold")
        footnote(fig, t("gradient-descent.fig_sgd_note", lang, n=s["n"], lr=fmt(s["lr"]), batch=s["batch"],
                        w0=fmt(s["true_w0"]), w1=fmt(s["true_w1"]), sigma=fmt(s["sigma"])))
        provenance(fig, [res], lang)
    return fig
