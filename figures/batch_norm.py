"""Chapter 13 — batch normalization: training with and without it, the histograms it steadies,
the four steps on one mini-batch, and the dependence on the initial weight scale."""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch

from lecture import theme
from lecture.text import accuracy, fmt, math_number, signed, t

from .base import NOTE, new_figure, provenance, style, wrap_to_width
# The slides' formulas (mathtext).
STEP_FORMULA = {
    "z": r"$z_i$",
    "mu": r"$\hat{\mu} = \frac{1}{m}\sum_i z_i,\ \ \hat{\sigma}^2 = \frac{1}{m}\sum_i (z_i - \hat{\mu})^2$",
    "z_norm": r"$z_{\mathrm{norm}} = \dfrac{z - \hat{\mu}}{\sqrt{\hat{\sigma}^2 + \epsilon}}$",
    "z_tilde": r"$\tilde{z} = \gamma\, z_{\mathrm{norm}} + \beta$",
}

# Greek letters as mathtext: the CJK font has no Greek glyphs.
SYM = dict(mu_sym=r"$\hat{\mu}$", var_sym=r"$\hat{\sigma}^2$", gamma_sym=r"$\gamma$", beta_sym=r"$\beta$",
           eps_sym=r"$\epsilon$")


def _init(init: str) -> str:
    """``std:1`` → ``1`` (the standard deviation in N(0, s²)); other names unchanged."""
    return init[4:] if init.startswith("std:") else init


def _figure():
    """``new_figure`` with room at the bottom for two footer lines (settings and data)."""
    fig = new_figure()
    fig.set_layout_engine("constrained", rect=(0, 0.055, 1, 0.945))
    return fig


def note(fig, text: str, lang: str, extra: str = "") -> None:
    """The settings line, and under it where the data came from (and ``extra``)."""
    fig.text(0.005, 0.005, text + "\n" + t("batch-norm.data", lang) + (f" · {extra}" if extra else ""), **NOTE)


def _label(variant: str, lang: str) -> str:
    return t(f"batch-norm.variant.{variant}", lang)


def band_axes(ax, res, variant: str, color, lang):
    """The 15/50/85th percentiles over training: the median as a line, the 15–85 band shaded."""
    steps, pct, levels = res["steps"], res[f"percentiles/{variant}"], res["percentile_levels"]
    ax.fill_between(steps, pct[:, 0], pct[:, 2], color=color, alpha=0.22, linewidth=0)
    for j, style_ in zip(range(3), (":", "-", ":")):
        ax.plot(steps, pct[:, j], color=color, linestyle=style_, linewidth=2.6 if j == 1 else 1.8,
                label=t("batch-norm.percentile", lang, p=fmt(levels[j], 3)),
                gid=f"y=batch-norm:percentiles/{variant}[:,{j}] x=batch-norm:steps")
    ax.axhline(0, color="#999999", linewidth=0.8)


def training(results, lang: str):
    """Ioffe & Szegedy's Figure 1 as three panels: test accuracy; the percentiles without and with BN."""
    res = results["batch-norm"]
    steps = res["steps"]
    with style():
        fig = _figure()
        axes = fig.subplots(1, 3)
        acc = axes[0]
        seeds = len(res["seed_values"])
        for variant, dash in (("plain", "--"), ("bn", "-")):
            _seed_band(acc, steps, res[f"seeds/test_acc/{variant}"], theme.color(variant),
                       gid=f"y=batch-norm:seeds/test_acc/{variant}|minmax x=batch-norm:steps")
            acc.plot(steps, res[f"test_acc/{variant}"], color=theme.color(variant), linestyle=dash,
                     label=t("batch-norm.final_acc", lang, name=t(f"batch-norm.short.{variant}", lang),
                             value=accuracy(res[f"test_acc/{variant}"][-1])),
                     gid=f"y=batch-norm:test_acc/{variant} x=batch-norm:steps")
        acc.set_ylim(0, 1)
        acc.set_title(t("batch-norm.panel.accuracy", lang))
        acc.set_xlabel(t("batch-norm.axis.steps", lang))
        acc.set_ylabel(t("batch-norm.axis.test_acc", lang))
        acc.legend(loc="lower right", fontsize=14)
        lo = min(res["percentiles/plain"].min(), res["percentiles/bn"].min())
        hi = max(res["percentiles/plain"].max(), res["percentiles/bn"].max())
        pad = 0.08 * (hi - lo)
        for ax, variant in zip(axes[1:], ("plain", "bn")):
            band_axes(ax, res, variant, theme.color(variant), lang)
            ax.set_ylim(lo - pad, hi + pad)
            ax.set_title(_label(variant, lang))
            ax.set_xlabel(t("batch-norm.axis.steps", lang))
            ax.set_ylabel(t("batch-norm.axis.sigmoid_input", lang))
            spread = res[f"seeds/drift/{variant}"]
            ax.text(0.03, 0.03, t("batch-norm.scene.drift", lang, value=fmt(res.scalar(f"drift/{variant}"), 3)) + "\n"
                    + t("batch-norm.seed_range", lang, n=seeds, lo=fmt(spread.min(), 3), hi=fmt(spread.max(), 3)),
                    transform=ax.transAxes, ha="left", va="bottom", fontsize=14,
                    bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="none", alpha=0.9))
        axes[1].legend(loc="upper right", fontsize=14)
        fig.suptitle(t("batch-norm.figure.training", lang), fontsize=22, fontweight="bold")
        s = res.settings
        note(fig, t("batch-norm.note.training", lang, init=_init(s["init"]),
                                 opt=s["optimizer"], lr=fmt(s["lr"], 3), batch=s["batch_size"],
                                 neuron=int(res.scalar("neuron")) + 1, steps=int(steps[-1]),
                                 seed=int(res["seed_values"][0]), seeds=seeds), lang,
             t("batch-norm.note.movement", lang))
        provenance(fig, [res], lang)
    return fig


def histograms(results, lang: str):
    """Rows: points of training; columns: hidden layers; each panel: without BN and with BN."""
    res = results["batch-norm-histograms"]
    edges = res["edges"]
    snaps = res["snapshot_steps"]
    layers = res["layers"]
    sat = res.scalar("saturation")
    with style():
        fig = _figure()
        axes = fig.subplots(len(snaps), len(layers), sharex=True, squeeze=False)
        for r, step in enumerate(snaps):
            for c, layer in enumerate(layers):
                ax = axes[r, c]
                for variant in ("plain", "bn"):
                    counts = res[f"hist/{variant}"][r, c]
                    share = counts / counts.sum()
                    tag = f"y=batch-norm-histograms:hist/{variant}[{r},{c}]|share x=batch-norm-histograms:edges"
                    ax.stairs(share, edges, color=theme.color(variant), fill=True, alpha=0.35, gid=tag)
                    ax.stairs(share, edges, color=theme.color(variant), linewidth=1.6, gid=tag)
                ax.axvspan(edges[0], -sat, color="#999999", alpha=0.12, linewidth=0)
                ax.axvspan(sat, edges[-1], color="#999999", alpha=0.12, linewidth=0)
                top = max(res["hist/plain"][r, c].max() / res["hist/plain"][r, c].sum(),
                          res["hist/bn"][r, c].max() / res["hist/bn"][r, c].sum())
                ax.set_ylim(0, 1.3 * top)
                ax.text(0.98, 0.97, t("batch-norm.extreme_pair", lang,
                                      plain=fmt(100 * res["extreme/plain"][r, c], 2),
                                      bn=fmt(100 * res["extreme/bn"][r, c], 2)),
                        transform=ax.transAxes, ha="right", va="top", fontsize=14)
                ax.set_yticks([])
                ax.grid(False)
                if r == 0:
                    ax.set_title(t("batch-norm.layer", lang, n=int(layer)), fontsize=15)
                if c == 0:
                    ax.set_ylabel(t("batch-norm.at_step", lang, step=int(step)), fontsize=14)
        axes[-1, len(layers) // 2].set_xlabel(t("batch-norm.axis.sigmoid_input_short", lang), fontsize=14)
        handles = [Patch(facecolor=theme.color(v), edgecolor=theme.color(v), alpha=0.6) for v in ("plain", "bn")]
        fig.legend(handles, [_label("plain", lang), _label("bn", lang)], loc="upper right", ncols=2, fontsize=14)
        fig.suptitle(t("batch-norm.figure.histograms", lang), fontsize=22, fontweight="bold", x=0.01, ha="left")
        s = res.settings
        note(fig, t("batch-norm.note.histograms", lang, sat=fmt(sat, 2), rng=fmt(edges[-1], 3),
                                 init=_init(s["init"]), opt=s["optimizer"], lr=fmt(s["lr"], 3)), lang)
        provenance(fig, [res], lang)
    return fig


def four_steps(results, lang: str):
    """One feature of one real mini-batch through μ, σ², z_norm and γ·z_norm + β."""
    res = results["batch-norm-histograms"]
    f = int(res.scalar("batch/feature"))
    z = res["batch/z"][:, f]
    mu, var = float(res["batch/mu"][f]), float(res["batch/var"][f])
    gamma, beta = float(res["batch/gamma"][f]), float(res["batch/beta"][f])
    rows = [
        ("z", "batch/z", t("batch-norm.step.z", lang, m=len(z))),
        ("mu", "batch/z", t("batch-norm.step.mu", lang, mu=signed(mu, 3), var=signed(var, 3), **SYM)),
        ("z_norm", "batch/z_norm", t("batch-norm.step.z_norm", lang)),
        ("z_tilde", "batch/z_tilde", t("batch-norm.step.z_tilde", lang, gamma=signed(gamma, 3),
                                       beta=signed(beta, 3), **SYM)),
    ]
    jitter = np.random.default_rng(0).uniform(-0.3, 0.3, len(z))
    lim = 1.08 * max(np.abs(z).max(), 3.5)
    with style():
        fig = _figure()
        axes = fig.subplots(len(rows), 1, sharex=True)
        for i, (ax, (key, array, caption)) in enumerate(zip(axes, rows)):
            color = theme.color("plain") if i < 2 else theme.color("bn")
            values = res[array][:, f]
            # the height is a random jitter that spreads the points: only x is data
            ax.scatter(values, jitter, s=28, color=color, alpha=0.85, edgecolors="none",
                       gid=f"x=batch-norm-histograms:{array}[:,{f}]")
            m_, s_ = float(np.mean(values)), float(np.std(values))
            if key == "mu":
                m_, s_ = mu, np.sqrt(var)
                ax.axvline(mu, color=theme.color("highlight"), linewidth=2.4)
                ax.axvspan(mu - s_, mu + s_, color=theme.color("highlight"), alpha=0.12, linewidth=0)
            elif key != "z":
                ax.axvline(m_, color="#5F6670", linewidth=1.2, linestyle="--")
            ax.set_ylim(-0.6, 0.6)
            ax.set_xlim(-lim, lim)
            ax.set_yticks([])
            ax.grid(axis="y", visible=False)
            ax.spines["left"].set_visible(False)
            ax.set_title(f"{'①②③④'[i]}  {caption}", loc="left", fontsize=15)
            ax.text(1.0, 1.02, STEP_FORMULA[key], transform=ax.transAxes, ha="right", va="bottom", fontsize=18)
        axes[-1].set_xlabel(t("batch-norm.axis.value", lang))
        fig.suptitle(t("batch-norm.figure.steps", lang), fontsize=22, fontweight="bold")
        note(fig, t("batch-norm.note.steps", lang, m=len(z), feature=f + 1,
                                 eps=math_number(res.scalar("batch/eps"), 2), **SYM), lang)
        provenance(fig, [res], lang)
    return fig


def _weight_moves(res, near: float = 0.01):
    """With BN, how far training moved the hidden weights (‖W − W₀‖/‖W₀‖), per seed, at the largest scale and
    at the scale nearest ``near``, and that scale's index (as ``engine.batch_norm.weight_moves``, which the
    claim ``scales_bn_large_weights_barely_move`` judges)."""
    scales = np.asarray(res["scales"], dtype=float)
    moved = np.asarray(res["seeds/weight_change/bn"], dtype=float)
    small = int(np.argmin(np.abs(np.log(scales) - np.log(near))))
    return moved[:, int(np.argmax(scales))], moved[:, small], small


def _seed_band(ax, x, curves, color, gid: str):
    """The other seeds' spread: min–max over the seed axis of ``curves`` (seeds, points), shaded."""
    ax.fill_between(x, curves.min(axis=0), curves.max(axis=0), color=color, alpha=0.2, linewidth=0, gid=gid)


def scales(results, lang: str):
    """The 4 × 4 grid of accuracy curves over epochs: solid with BN, dashed without; the lecture's seed as
    lines, every seed's min–max as a band."""
    res = results["batch-norm-scales"]
    epochs = res["epochs"]
    weight_scales = res["scales"]
    seeds = len(res["seed_values"])
    n = len(weight_scales)
    cols = int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    final = {v: res[f"seeds/train_acc/{v}"][:, :, -1] for v in ("bn", "plain")}
    wins = (final["bn"] > final["plain"]).sum(axis=1)
    with style():
        fig = _figure()
        fig.set_layout_engine("constrained", rect=(0, 0.17, 0.63, 0.83))  # the right third holds the findings
        axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
        for i, ax in enumerate(axes.flat):
            if i >= n:
                ax.set_visible(False)
                continue
            for v, dash in (("bn", "-"), ("plain", "--")):
                _seed_band(ax, epochs, res[f"seeds/train_acc/{v}"][:, i], theme.color(v),
                           gid=f"y=batch-norm-scales:seeds/train_acc/{v}[:,{i}]|minmax x=batch-norm-scales:epochs")
                ax.plot(epochs, res[f"train_acc/{v}"][i], color=theme.color(v), linestyle=dash, linewidth=2.2,
                        gid=f"y=batch-norm-scales:train_acc/{v}[{i}] x=batch-norm-scales:epochs")
            better = int((final["bn"][:, i] > final["plain"][:, i]).sum())
            ax.set_title(t("batch-norm.scale_title", lang, scale=math_number(weight_scales[i], 2)), fontsize=14,
                         fontweight="normal")
            ax.text(0.98, 0.17, t("batch-norm.scale_wins", lang, k=better, n=seeds), transform=ax.transAxes,
                    ha="right", va="bottom", fontsize=14,
                    color=theme.color("bn") if better * 2 > seeds else theme.color("plain"))
            ax.set_ylim(0, 1.02)
            ax.tick_params(labelsize=14)
            if i % cols == 0:
                ax.set_ylabel(t("batch-norm.axis.acc_short", lang), fontsize=14)
            if i // cols == rows - 1:
                ax.set_xlabel(t("batch-norm.axis.epochs", lang), fontsize=14)
        seed = int(res["seed_values"][0])
        fig.legend([axes[0, 0].lines[0], axes[0, 0].lines[1]],
                   [t("batch-norm.legend.seed_line", lang, name=_label(v, lang), seed=seed, seeds=seeds)
                    for v in ("bn", "plain")], loc="upper left", bbox_to_anchor=(0.645, 0.93), ncols=1, fontsize=14)
        fig.suptitle(t("batch-norm.figure.scales", lang), fontsize=22, fontweight="bold", x=0.01, ha="left")
        s = res.settings
        at_large, at_small, small = _weight_moves(res)
        pct = lambda v: f"{fmt(100 * v.min(), 2)}–{fmt(100 * v.max(), 2)}%"  # noqa: E731  (over the seeds)
        k = str(int(wins.min())) if wins.min() == wins.max() else f"{int(wins.min())}–{int(wins.max())}"
        findings = fig.text(0.655, 0.72, t("batch-norm.scales_finding", lang, k=k, n=n, seeds=seeds) + "\n" +
                            t("batch-norm.scales_why", lang, lr=fmt(s["lr"], 3), epochs=int(epochs[-1]),
                              large=pct(at_large), small=pct(at_small),
                              small_scale=math_number(weight_scales[small], 2), seeds=seeds),
                            ha="left", va="top", fontsize=14, linespacing=1.3)
        wrap_to_width(findings, 0.335)
        note(fig, t("batch-norm.note.scales", lang, train=s["train_size"], opt=s["optimizer"], lr=fmt(s["lr"], 3),
                    batch=s["batch_size"], epochs=int(epochs[-1]), eps=math_number(s["eps"], 2),
                    momentum=fmt(s["momentum"], 2)) + "\n" + t("batch-norm.note.scales_departures", lang), lang)
        provenance(fig, [res], lang)
    return fig
