"""Chapter 4 — ImageNet classification error by year (ILSVRC winners, human reference) and the training compute
of notable systems on a log scale with its least-squares doubling time."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import fmt, t

from .base import footnote, new_figure, provenance, style

INK, MUTED = "#1B1F24", "#5F6670"


def imagenet_error(results, lang: str):
    res = results["dl-history"]
    years, error, systems = res["imagenet/year"], res["imagenet/error"], res["imagenet/system"]
    human = float(res["imagenet/human"])
    deep = years >= 2012
    with style():
        fig = new_figure()
        ax = fig.add_subplot(111)
        colours = [theme.color("highlight") if d else MUTED for d in deep]
        ax.bar(years, error, width=0.7, color=colours, gid="x=dl-history:imagenet/year y=dl-history:imagenet/error")
        for year, value, name in zip(years, error, systems):
            ax.text(year, value + 0.5, f"{fmt(value)}%\n{name}", ha="center", va="bottom", fontsize=14, color=INK)
        ax.axhline(human, color=theme.OKABE_ITO["blue"], linestyle="--", linewidth=2)
        ax.text(2017.45, human + 0.4, t("dl-history.human", lang, human=fmt(human)), ha="right", va="bottom",
                fontsize=14, color=theme.OKABE_ITO["blue"])
        ax.set_xticks(years)
        ax.set_xticklabels([str(int(y)) for y in years])
        ax.set_ylim(0, 36)
        ax.set_xlabel(t("dl-history.axis_year", lang))
        ax.set_ylabel(t("dl-history.axis_error", lang))
        ax.set_title(t("dl-history.imagenet_title", lang), fontsize=20, fontweight="bold")
        cites = sorted(set(res["imagenet/cite"]) | {str(res["imagenet/human_cite"])})
        footnote(fig, t("dl-history.source", lang, cites="; ".join(cites)))
        provenance(fig, [res], lang)
    return fig


def training_compute(results, lang: str):
    res = results["dl-history"]
    years, flop, systems = res["compute/year"], res["compute/flop"], res["compute/system"]
    months = float(res["fit/doubling_months"])
    with style():
        fig = new_figure()
        ax = fig.add_subplot(111)
        ax.set_yscale("log")
        ax.plot(res["fit/year"], res["fit/flop"], color=MUTED, linewidth=2, linestyle="--",
                gid="x=dl-history:fit/year y=dl-history:fit/flop")
        ax.scatter(years, flop, s=110, color=theme.color("highlight"), edgecolor=INK, zorder=3,
                   gid="x=dl-history:compute/year y=dl-history:compute/flop")
        # labels on the left; of two systems in one year, the higher one's above its point, the lower one's below
        for i, (year, value, name) in enumerate(zip(years, flop, systems)):
            same = (years == year) & (np.arange(len(years)) != i)
            below = bool(np.any(flop[same] > value))
            ax.annotate(name, (year, value), xytext=(-12, -8 if below else 8), textcoords="offset points",
                        ha="right", va="top" if below else "bottom", fontsize=14, color=INK)
        mid = len(res["fit/year"]) // 2
        ax.annotate(t("dl-history.fit", lang, months=fmt(months, 2)), (res["fit/year"][mid], res["fit/flop"][mid]),
                    xytext=(30, -30), textcoords="offset points", fontsize=14, color=MUTED, ha="left", va="top")
        ax.set_xlim(years.min() - 1.5, years.max() + 1.5)
        ax.set_ylim(1e16, 1e27)
        ax.set_xlabel(t("dl-history.axis_year", lang))
        ax.set_ylabel(t("dl-history.axis_flop", lang))
        ax.set_title(t("dl-history.compute_title", lang), fontsize=20, fontweight="bold")
        note = t("dl-history.compute_note", lang, utilization=fmt(res.settings["utilization"]))
        footnote(fig, note + "\n" + t("dl-history.source", lang, cites="; ".join(dict.fromkeys(res["compute/cite"]))))
        provenance(fig, [res], lang)
    return fig
