"""Chapter 9 — the slides' 3-2-2-2 network with real weights: the diagram, every z and h, the outputs."""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from lecture import theme
from lecture.text import fixed, t

from .base import new_figure, provenance, style

INK, MUTED = "#1B1F24", "#5F6670"


def paren(v: float, digits: int = 1) -> str:
    """A factor of a formula: ``fixed`` with its negatives in parentheses, (−0.3)."""
    s = fixed(v, digits)
    return f"({s})" if float(v) < 0 else s


def layer_values(res) -> list[tuple[str, np.ndarray]]:
    """The value shown in each neuron: x, then h^(1), h^(2), then the output o (= z^(3) for an identity output)."""
    L = len(res["sizes"]) - 1
    return [("x", res["x"])] + [(f"h{l}", res[f"h{l}"]) for l in range(1, L)] + [("o", res[f"z{L}"])]


def node_xy(sizes, l: int, j: int, width: float = 1.0, height: float = 1.0):
    """Centre of neuron j (0-based) of layer l; index −1 is the bias unit (x0 = 1) above the layer."""
    x = l * width / (len(sizes) - 1)
    n = sizes[l]
    y = (-(j - (n - 1) / 2)) * height / 3.2 if j >= 0 else height * 0.62
    return x, y


def weighted_sum_tex(res, l: int, j: int, inputs_name: str) -> str:
    """z_j^(l) = w_0j + w_1j·v_1 + … = value, with the stored weights and the stored inputs (the slides' sum)."""
    W = res[f"W{l}"]
    prev = res["x"] if l == 1 else res[f"h{l - 1}"]
    terms = [paren(W[0, j])] + [f"{paren(W[i + 1, j])}\\cdot{paren(prev[i], 3 if l > 1 else 1)}" for i in range(len(prev))]
    return (rf"$z_{{{j + 1}}}^{{({l})}} = " + " + ".join(terms) + rf" = {fixed(res[f'z{l}'][j], 3)}$").replace("-", "−")


def network_3222(results, lang: str):
    res = results["nn-3222"]
    sizes = [int(s) for s in res["sizes"]]
    L = len(sizes) - 1
    hidden = res.meta["settings"]["hidden"]
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(1, 2, width_ratios=[1.05, 1])
        ax = fig.add_subplot(grid[0, 0])
        ax.set_xlim(-0.12, 1.12)
        ax.set_ylim(-0.62, 0.82)
        ax.set_aspect("equal")
        ax.axis("off")
        values = layer_values(res)
        # edges: colour = sign, width = |w|; the weight written a third of the way along
        for l in range(1, L + 1):
            W = res[f"W{l}"]
            for i in range(-1, sizes[l - 1]):
                for j in range(sizes[l]):
                    (x0, y0), (x1, y1) = node_xy(sizes, l - 1, i), node_xy(sizes, l, j)
                    w = W[i + 1, j]
                    color = theme.color("weight-pos" if w >= 0 else "weight-neg")
                    ax.plot([x0, x1], [y0, y1], color=color, linewidth=0.6 + 1.6 * abs(w), alpha=0.8, zorder=1,
                            linestyle=":" if i < 0 else "-")
                    f = 0.3 if i < 0 else 0.38  # before edges cross (at the middle)
                    ax.text(x0 + f * (x1 - x0), y0 + f * (y1 - y0), fixed(w, 1), fontsize=14,
                            color=color, ha="center", va="center", zorder=3,
                            bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.9))
        for l, n in enumerate(sizes):
            name, vals = values[l]
            if l < L:
                bx, by = node_xy(sizes, l, -1)
                ax.add_patch(FancyBboxPatch((bx - 0.028, by - 0.028), 0.056, 0.056, boxstyle="round,pad=0.005",
                                            fc="#F2F4F8", ec=MUTED, zorder=2))
                ax.text(bx, by, "1", ha="center", va="center", fontsize=14, color=MUTED, zorder=3)
            for j in range(n):
                cx, cy = node_xy(sizes, l, j)
                ax.add_patch(Circle((cx, cy), 0.094, fc="white", ec=INK, linewidth=1.6, zorder=2))
                sym = {"x": f"x_{j + 1}", "o": f"o_{j + 1}"}.get(name, f"h_{j + 1}^{{({name[1:]})}}")
                ax.text(cx, cy + 0.03, f"${sym}$", ha="center", va="center", fontsize=14, zorder=3)
                ax.text(cx, cy - 0.036, fixed(vals[j], 3), ha="center", va="center", fontsize=14, color=MUTED, zorder=3)
            label = t("neural-network.layer.input" if l == 0 else "neural-network.layer.output" if l == L
                      else "neural-network.layer.hidden", lang, n=l)
            ax.text(node_xy(sizes, l, 0)[0], -0.58, label, ha="center", va="bottom", fontsize=14, color=INK)
        # the computations as the slides write them
        tx = fig.add_subplot(grid[0, 1])
        tx.axis("off")
        lines = []
        for l in range(1, L + 1):
            lines.append((t("neural-network.layer_sum", lang, n=l) if l < L else t("neural-network.output_sum", lang),
                          "head"))
            for j in range(sizes[l]):
                lines.append((weighted_sum_tex(res, l, j, "x"), "sum"))
            if l < L:
                hs = ",\\ ".join(rf"h_{{{j + 1}}}^{{({l})}} = \sigma({fixed(res[f'z{l}'][j], 3)}) = {fixed(res[f'h{l}'][j], 3)}"
                                 for j in range(sizes[l]))
                lines.append(((f"${hs}$" if hidden == "sigmoid" else f"${hs}$".replace(r"\sigma", r"a")).replace("-", "−"),
                              "act"))
        lines.append((t("neural-network.outputs_head", lang), "head"))
        for kind, symbol in (("identity", "o"), ("sigmoid", r"\sigma(z)"), ("softmax", r"\mathrm{softmax}(z)")):
            # each number in braces: a minus after ",\ " is a sign, not an operator spaced on both sides
            vals = ",\\ ".join(f"{{{fixed(v, 3)}}}" for v in res[f"out/{kind}"])
            lines.append((t(f"neural-network.task.{kind}", lang) + f":  ${symbol} = ({vals})$".replace("-", "−"), "out"))
        y = 0.98
        for text, kind in lines:
            style_ = {"head": dict(fontsize=14, fontweight="bold", color=INK),
                      "sum": dict(fontsize=14, color=INK), "act": dict(fontsize=14, color=theme.color(hidden)),
                      "out": dict(fontsize=14, color=INK)}[kind]
            if kind == "head" and y < 0.97:
                y -= 0.02
            tx.text(0.0, y, text, transform=tx.transAxes, ha="left", va="top", **style_)
            y -= 0.062
        tx.text(0.0, y - 0.02, t("neural-network.composition", lang) + r"   $y = f^{(3)}(f^{(2)}(f^{(1)}(x)))$",
                transform=tx.transAxes, ha="left", va="top", fontsize=14, color=theme.color("highlight"))
        fig.suptitle(t("neural-network.figure_title", lang), fontsize=21, fontweight="bold")
        fig.text(0.005, 0.005, t("neural-network.figure_note", lang, act=t(f"neural-network.act.{hidden}", lang)),
                 ha="left", va="bottom", fontsize=14, color=MUTED)
        provenance(fig, [res], lang)
    return fig
