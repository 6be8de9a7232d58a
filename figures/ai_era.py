"""Chapter 1 — the milestones of AI at their years, and the same time line against ImageNet's winning error."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import fmt, rows, t, wrap_balanced

from .base import footnote, new_figure, provenance, style

INK, MUTED = "#1B1F24", "#5F6670"
COLOURS = [theme.OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "purple")]


def ai_era_timeline(results, lang: str):
    res = results["ai-era"]
    years = res["milestones/year"]
    keys = list(res["milestones/key"])
    names = dict(zip([f"m{i + 1}" for i in range(len(rows("ai-era.rows", lang)))], rows("ai-era.rows", lang)))
    err_years, error, human = res["imagenet/year"], res["imagenet/error"], float(res["imagenet/human"])
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(2, 1, height_ratios=[1.6, 1.0])
        # (a) the milestones at their years
        ax = fig.add_subplot(grid[0])
        ax.set_xlim(1945, 2032)
        ax.set_ylim(-0.75, 1.25)
        ax.axhline(0, color=INK, linewidth=2)
        ax.set_axis_off()
        for decade in range(1950, 2030, 10):
            ax.plot([decade, decade], [-0.03, 0.03], color=INK, linewidth=1.5)
            ax.annotate(str(decade), (decade, 0), xytext=(0, -6), textcoords="offset points", ha="center", va="top",
                        fontsize=14, color=MUTED)
        # labels alternate above and below the line; one that would meet the last on its side goes a level out
        last_on_side: dict[int, tuple[float, int]] = {}
        for i, (key, year) in enumerate(zip(keys, years)):
            colour = COLOURS[i % len(COLOURS)]
            up = 1 if i % 2 == 0 else -1
            prev = last_on_side.get(up)
            level = prev[1] + 1 if prev and year - prev[0] < 12 else 0
            last_on_side[up] = (year, level)
            ax.scatter([year], [0], s=140, color=colour, zorder=3)
            name, what = names[key]
            offset = 22 + 90 * level if up > 0 else -(48 + 90 * level)
            ax.annotate("", (year, 0), xytext=(0, offset), textcoords="offset points",       # the stem
                        arrowprops=dict(arrowstyle="-", color=colour, linewidth=2, shrinkA=2, shrinkB=6))
            ax.annotate(f"{int(year)} {name}\n" + wrap_balanced(what, 16 if lang == "ko" else 24), (year, 0),
                        xytext=(0, offset), textcoords="offset points", ha="center", va="bottom" if up > 0 else "top",
                        fontsize=14, color=colour, linespacing=1.2)
        ax.set_title(t("ai-era.panel_timeline", lang), fontsize=16, loc="left")
        # (b) ImageNet error against the years, the milestones since 2010 marked
        ax = fig.add_subplot(grid[1])
        ax.plot(err_years, error, "-o", color=INK, linewidth=2.5, markersize=8,
                gid="x=ai-era:imagenet/year y=ai-era:imagenet/error")
        ax.axhline(human, color=MUTED, linestyle="--", linewidth=1.5)
        ax.text(2008.7, human + 0.8, t("ai-era.human", lang, human=fmt(human)), fontsize=14, color=MUTED, va="bottom")
        for year, value in zip(err_years, error):
            ax.text(year + 0.15, value + 0.8, fmt(value), fontsize=14, color=INK, va="bottom")
        for i, (key, year) in enumerate(zip(keys, years)):
            if year >= 2008:
                ax.axvline(year, color=COLOURS[i % len(COLOURS)], linewidth=2, linestyle=":")
                ax.text(year + 0.15, 35.5, names[key][0], fontsize=14, color=COLOURS[i % len(COLOURS)], va="top")
        ax.set_xlim(2008.5, 2024.5)
        ax.set_ylim(0, 37)
        ax.set_xticks(np.arange(2010, 2025, 2))
        ax.set_ylabel(t("ai-era.axis_error", lang))
        ax.set_title(t("ai-era.panel_error", lang), fontsize=16, loc="left")
        fig.suptitle(t("ai-era.figure_title", lang), fontsize=22, fontweight="bold")
        cites = list(dict.fromkeys([*res["milestones/cite"], *res["imagenet/cite"], str(res["imagenet/human_cite"])]))
        footnote(fig, t("ai-era.source", lang, cites="; ".join(cites)))
        provenance(fig, [res], lang)
    return fig
