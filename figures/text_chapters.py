"""Chapters 1, 3, 4, 5 and 16 — the text chapters as slide figures: a timeline and tables.

Their content is the lecture's own (years, names, terms); there is nothing to compute.
"""
from __future__ import annotations

from lecture import theme
from lecture.text import rows, t, wrap_balanced

from .base import new_figure, style

INK, MUTED, LINE = "#1B1F24", "#5F6670", "#D8DEE9"


def _table(ax, header: list[str] | None, body: list[list[str]], widths: list[float], font_size: float = 14,
           wrap: int = 40) -> None:
    """Draw a clean table (no grid boxes, a rule under the header) filling the axes."""
    ax.set_axis_off()
    n = len(body) + (1 if header else 0)
    lefts = [sum(widths[:i]) for i in range(len(widths))]
    row_h = 1.0 / n
    y = 1.0
    if header:
        for x, cell in zip(lefts, header):
            ax.text(x + 0.01, y - row_h / 2, cell, ha="left", va="center", fontsize=font_size, fontweight="bold",
                    color=INK, transform=ax.transAxes)
        y -= row_h
        ax.plot([0, 1], [y, y], color=INK, linewidth=1.2, transform=ax.transAxes, clip_on=False)
    for i, row in enumerate(body):
        for j, (x, cell) in enumerate(zip(lefts, row)):
            limit = max(int(wrap * widths[j] / max(widths)), 8)
            ax.text(x + 0.01, y - row_h / 2, wrap_balanced(cell, limit), ha="left", va="center",
                    fontsize=font_size, color=theme.color("highlight") if j == 0 and not header else INK,
                    fontweight="bold" if j == 0 else "normal", transform=ax.transAxes)
        y -= row_h
        ax.plot([0, 1], [y, y], color=LINE, linewidth=0.8, transform=ax.transAxes, clip_on=False)


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
            ax.text(decade, -0.35, str(decade), ha="center", va="top", fontsize=12, color=MUTED)
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
                    fontsize=13, color=colour, linespacing=1.3)
        fig.suptitle(t("ai-era.figure_title", lang), fontsize=24, fontweight="bold")
    return fig


def ml_components(results, lang: str):
    with style():
        fig = new_figure()
        top, bottom = fig.subplots(2, 1, height_ratios=[5, 3])
        _table(top, None, rows("machine-learning.rows", lang), [0.3, 0.7], font_size=17)
        top.set_title(t("machine-learning.title", lang), fontsize=22, loc="left")
        _table(bottom, None, rows("machine-learning.kinds", lang), [0.3, 0.7], font_size=17)
        bottom.set_title(t("machine-learning.kinds_title", lang), fontsize=20, loc="left")
        fig.text(0.01, 0.005, t("machine-learning.learning", lang), fontsize=13, color=MUTED, ha="left", va="bottom")
    return fig


def history_table(results, lang: str):
    header = [c.strip() for c in t("dl-history.header", lang).split("|")]
    body = rows("dl-history.rows", lang)
    half = (len(body) + 1) // 2
    with style():
        fig = new_figure()
        left, right = fig.subplots(1, 2)
        _table(left, header, body[:half], [0.14, 0.46, 0.40], font_size=12.5, wrap=30)
        _table(right, header, body[half:], [0.14, 0.46, 0.40], font_size=12.5, wrap=30)
        fig.suptitle(t("dl-history.title", lang), fontsize=24, fontweight="bold")
    return fig


def stats_tables(results, lang: str):
    with style():
        fig = new_figure()
        left, right = fig.subplots(1, 2, width_ratios=[2, 3])
        _table(left, [c.strip() for c in t("stats-and-dl.terms_header", lang).split("|")],
               rows("stats-and-dl.terms", lang), [0.55, 0.45], font_size=13, wrap=22)
        left.set_title(t("stats-and-dl.terms_title", lang), fontsize=19, loc="left")
        _table(right, [c.strip() for c in t("stats-and-dl.models_header", lang).split("|")],
               rows("stats-and-dl.models", lang), [0.2, 0.4, 0.4], font_size=12.5, wrap=28)
        right.set_title(t("stats-and-dl.models_title", lang), fontsize=19, loc="left")
        fig.suptitle(t("stats-and-dl.title", lang), fontsize=24, fontweight="bold")
    return fig


def problems_list(results, lang: str):
    with style():
        fig = new_figure()
        ax = fig.add_subplot(111)
        _table(ax, None, rows("dl-problems.rows", lang), [0.42, 0.58], font_size=19)
        fig.suptitle(t("dl-problems.title", lang), fontsize=26, fontweight="bold")
    return fig
