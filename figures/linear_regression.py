"""Chapter 6 — least squares, maximum likelihood and gradient descent agree; the likelihood surface; one linear neuron."""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from lecture import theme
from lecture.text import fmt, t

from .base import new_figure, provenance, style

INK, MUTED = "#1B1F24", "#5F6670"
METHODS = (("ls", "least-squares"), ("ml", "max-likelihood"), ("gd", "GD"))


def estimates(res) -> dict[str, tuple[float, float, float]]:
    """(w0, w1, σ) of each method; σ for least squares and GD is √(RSS/n) at their (w0, w1)."""
    x, y = res["x"], res["y"]

    def sigma(w):
        return float(np.sqrt(np.mean((y - w[0] - w[1] * x) ** 2)))

    w_ls, w_gd = res["w_ls"], res["w_gd"]
    return {"ls": (float(w_ls[0]), float(w_ls[1]), sigma(w_ls)),
            "ml": (float(res["w_ml"][0]), float(res["w_ml"][1]), res.scalar("sigma_ml")),
            "gd": (float(w_gd[0]), float(w_gd[1]), sigma(w_gd))}


def _ml_inside_tag(res) -> str:
    """The data tag of the ML evaluations inside the surface's grid: the rows of ``ml_path`` from the first
    inside to the last (the search starts outside and stays in once it has come in), its (w0, w1)."""
    ml, g0, g1 = res["ml_path"], res["grid_w0"], res["grid_w1"]
    inside = np.flatnonzero((ml[:, 0] >= g0[0]) & (ml[:, 0] <= g0[-1]) & (ml[:, 1] >= g1[0]) & (ml[:, 1] <= g1[-1]))
    return f"xy=linreg:ml_path[{inside[0]}:{inside[-1] + 1},0:2]" if len(inside) else "decor"


def draw_neuron(ax, w0: float, w1: float, lang: str) -> None:
    """ŷ = g(w0·1 + w1·x) with g the identity: the regression line as one linear neuron."""
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.1, 1)
    ax.set_aspect("equal")
    ax.axis("off")
    inputs = (("1", 0.78, w0, "w_0"), ("x", 0.38, w1, "w_1"))
    for label, y, w, name in inputs:
        ax.add_patch(Circle((0.12, y), 0.07, fc="white", ec=INK, lw=1.5))
        ax.text(0.12, y, f"${label}$", ha="center", va="center", fontsize=15)
        ax.add_patch(FancyArrowPatch((0.19, y), (0.47, 0.58), arrowstyle="-|>", mutation_scale=14, color=MUTED, lw=1.5))
        above = y > 0.58
        ax.text(0.26, (y + 0.58) / 2 + (0.08 if above else -0.13), f"${name} = {w:.3f}$", ha="left", fontsize=14,
                color=theme.color("least-squares"))
    ax.add_patch(Circle((0.56, 0.58), 0.09, fc="#F2F4F8", ec=INK, lw=1.5))
    ax.text(0.56, 0.58, r"$\Sigma \,|\, g$", ha="center", va="center", fontsize=14)
    ax.add_patch(FancyArrowPatch((0.65, 0.58), (0.86, 0.58), arrowstyle="-|>", mutation_scale=14, color=MUTED, lw=1.5))
    ax.text(0.92, 0.58, r"$\hat y$", ha="center", va="center", fontsize=16)
    ax.text(0.5, 0.12, r"$\hat y = g(w_0 + w_1 x),\ \ g(u) = u$", ha="center", fontsize=14)
    ax.text(0.5, -0.04, t("linear-regression.neuron_caption", lang), ha="center", va="top", fontsize=14, color=MUTED)


def regression_estimates(results, lang: str):
    res = results["linreg"]
    x, y = res["x"], res["y"]
    est = estimates(res)
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(2, 3, width_ratios=[1, 1.05, 1.45], height_ratios=[1, 0.85])
        # (a) the data and the three lines (they coincide)
        ax = fig.add_subplot(grid[:, 0])
        ax.scatter(x, y, s=28, color=MUTED, zorder=3, label=t("linear-regression.data", lang, n=len(x)),
                   gid="x=linreg:x y=linreg:y")
        xs = np.linspace(float(x.min()) - 0.2, float(x.max()) + 0.2, 50)
        for (key, role), ls, lw in zip(METHODS, ("-", "--", ":"), (5, 3, 2.5)):
            w0, w1, _ = est[key]
            ax.plot(xs, w0 + w1 * xs, ls, color=theme.color(role), linewidth=lw,
                    gid=f"line=linreg:w_{key}")   # named by the table's coloured rows
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title(t("linear-regression.panel_data", lang))
        ax.legend(loc="lower right", fontsize=14)
        # (b) the log-likelihood surface at the ML σ, the ML evaluations and the GD path
        ax = fig.add_subplot(grid[:, 1])
        g0, g1, S = res["grid_w0"], res["grid_w1"], res["loglik_grid"]
        top = float(S.max())
        levels = top - np.geomspace(0.25, 400, 14)[::-1]
        cf = ax.contourf(g0, g1, S, levels=np.append(levels, top + 1e-9), cmap="Blues", extend="min")
        ax.contour(g0, g1, S, levels=levels, colors="white", linewidths=0.5)
        gd = res["gd_path"]
        ax.plot(gd[:, 0], gd[:, 1], "-", color=theme.color("GD"), linewidth=2.2,
                label=t("linear-regression.path.gd", lang, steps=len(gd) - 1), gid="xy=linreg:gd_path")
        ml = res["ml_path"]
        inside = (ml[:, 0] >= g0[0]) & (ml[:, 0] <= g0[-1]) & (ml[:, 1] >= g1[0]) & (ml[:, 1] <= g1[-1])
        ax.plot(ml[inside, 0], ml[inside, 1], "o-", color=theme.color("max-likelihood"), markersize=4, linewidth=1.6,
                label=t("linear-regression.path.ml", lang, evals=len(ml)), gid=_ml_inside_tag(res))
        ax.plot(*est["ls"][:2], "P", color=theme.color("highlight"), markersize=13, markeredgecolor="white",
                label=t("linear-regression.method.ls", lang), zorder=5)
        ax.set_xlim(g0[0], g0[-1])
        ax.set_ylim(g1[0], g1[-1])
        ax.set_xlabel(r"$w_0$")
        ax.set_ylabel(r"$w_1$")
        ax.set_title(t("linear-regression.panel_surface", lang, sigma=f"{res.scalar('sigma_ml'):.3f}"), pad=12)
        ax.legend(loc="lower left", fontsize=14)
        cb = fig.colorbar(cf, ax=ax, shrink=0.8, pad=0.02)
        cb.set_label(r"$\log L(w_0, w_1, \hat\sigma)$")
        ticks = [float(v) for v in levels[::3]]
        cb.set_ticks(ticks)
        cb.ax.set_yticklabels([fmt(v, 3) for v in ticks])
        # (c) the table of estimates and the neuron
        tab = fig.add_subplot(grid[0, 2])
        tab.axis("off")
        cells = [[f"{v:.4f}" for v in est[k]] for k, _ in METHODS]
        table = tab.table(cellText=cells, rowLabels=[t(f"linear-regression.method.{k}", lang) for k, _ in METHODS],
                          colLabels=[r"$\hat w_0$", r"$\hat w_1$", r"$\hat\sigma$"], cellLoc="center",
                          bbox=[0.46, 0.25, 0.54, 0.7])
        table.auto_set_font_size(False)
        table.set_fontsize(14)
        for (r, c), cell in table.get_celld().items():
            cell.set_edgecolor("#D8DEE9")
            if c == -1 and r > 0:
                cell.set_text_props(color=theme.color(METHODS[r - 1][1]), fontweight="bold")
        gap = max(np.max(np.abs(np.array(est["ml"][:2]) - est["ls"][:2])), np.max(np.abs(np.array(est["gd"][:2]) - est["ls"][:2])))
        tab.text(1.0, 0.02, t("linear-regression.agree", lang, gap=fmt(gap, 2)), ha="right", transform=tab.transAxes,
                 fontsize=14, color=theme.color("highlight"))
        draw_neuron(fig.add_subplot(grid[1, 2]), est["ls"][0], est["ls"][1], lang)
        fig.suptitle(t("linear-regression.figure_title", lang), fontsize=21, fontweight="bold")
        s = res.settings
        fig.text(0.005, 0.005, t("linear-regression.figure_note", lang, n=s["n"], w0=s["true_w0"], w1=s["true_w1"],
                                 sigma=s["sigma"], lr=s["gd_lr"], steps=s["gd_steps"]),
                 ha="left", va="bottom", fontsize=14, color=MUTED)
        provenance(fig, [res], lang)
    return fig
