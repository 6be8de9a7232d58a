"""Chapter 1 — the AI milestones as a timeline (positions by year).

The other text chapters (3, 4, 5, 16) have videos only: a typed table adds nothing over a slide.  The
content is the lecture's own (years, names); there is nothing to compute.
"""
from __future__ import annotations

from lecture import theme
from lecture.text import rows, t, wrap_balanced

from .base import new_figure, style

INK, MUTED = "#1B1F24", "#5F6670"


def ai_milestones(results, lang: str):
    items = rows("ai-era.rows", lang)
    years = [int(r[0]) for r in items]
    with style():
        fig = new_figure()
        ax = fig.add_subplot(111)
        ax.set_xlim(1945, 2035)
        ax.set_ylim(-3.2, 3.6)
        ax.axhline(0, color=INK, linewidth=2)
        ax.set_axis_off()
        for decade in range(1950, 2030, 10):
            ax.plot([decade, decade], [-0.12, 0.12], color=INK, linewidth=1.5)
            ax.text(decade, -0.35, str(decade), ha="center", va="top", fontsize=14, color=MUTED)
        colours = [theme.OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "purple")]
        last_on_side: dict[int, tuple[int, float]] = {}
        for i, ((year, name, what), colour) in enumerate(zip(items, colours)):
            up = 1 if i % 2 == 0 else -1
            # a label close to the previous one on the same side goes one level further out
            prev = last_on_side.get(up)
            level = prev[1] + 1.3 if prev and years[i] - prev[0] < 15 else 0.9
            last_on_side[up] = (years[i], level)
            ax.plot([years[i], years[i]], [0, up * level], color=colour, linewidth=2)
            ax.scatter([years[i]], [0], s=160, color=colour, zorder=3)
            label = f"{year} {name}\n" + wrap_balanced(what, 18)
            ax.text(years[i], up * (level + 0.1), label, ha="center", va="bottom" if up > 0 else "top",
                    fontsize=14, color=colour, linespacing=1.3)
        fig.suptitle(t("ai-era.figure_title", lang), fontsize=24, fontweight="bold")
    return fig
