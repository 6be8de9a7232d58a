"""Chapter 14 — 전이학습: few-/one-shot accuracy of three strategies, and the slides' two tables."""
from __future__ import annotations

import matplotlib.patches as mpatches
import numpy as np

from lecture import theme
from lecture.text import t, wrap_balanced

from .base import new_figure, provenance, style

NOTE = dict(ha="left", va="bottom", fontsize=14, color="#5F6670")
ROLES = {"head": "transfer-head", "all": "transfer-all", "scratch": "scratch"}
MARKERS = {"head": "o", "all": "s", "scratch": "^"}


def data_label(res) -> str:
    return str(res.meta.get("info", {}).get("data_label", "MNIST"))


def classes_text(values) -> str:
    values = [int(v) for v in values]
    if values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}–{values[-1]}"
    return ", ".join(str(v) for v in values)


def task_title(res, task: str, lang: str) -> str:
    classes = res["target_classes"] if task == "new" else res["source_classes"]
    return t(f"transfer-learning.task.{task}", lang, classes=classes_text(classes))


def row_label(k: int, first: bool, lang: str) -> str:
    return t("transfer-learning.row.one" if k == 1 else "transfer-learning.row.few", lang, k=k)


def transfer_accuracy(results, lang: str):
    res = results["transfer-learning"]
    s = res.settings
    tasks = [str(v) for v in res["tasks"]]
    strategies = [str(v) for v in res["strategies"]]
    shots = [int(k) for k in res["shots"]]
    mean, sd = res["mean"], res["sd"]
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(2, 2, height_ratios=[1.25, 1])
        for col, task in enumerate(tasks):
            ax = fig.add_subplot(grid[0, col])
            t_idx = tasks.index(task)
            for i, strategy in enumerate(strategies):
                ax.errorbar(shots, mean[t_idx, i], yerr=sd[t_idx, i], color=theme.color(ROLES[strategy]),
                            marker=MARKERS[strategy], capsize=3, label=t(f"transfer-learning.strategy.{strategy}", lang),
                            gid=f"y=transfer-learning:mean[{t_idx},{i}] x=transfer-learning:shots")
            ax.axhline(1 / len(res["target_classes"]), color="#999999", linestyle=":", linewidth=1.2)
            ax.text(shots[-1], 1 / len(res["target_classes"]) + 0.015, t("transfer-learning.chance", lang),
                    ha="right", va="bottom", fontsize=14, color="#5F6670")
            ax.set_xscale("log")
            ax.set_xticks(shots)
            ax.set_xticklabels([str(k) for k in shots])
            ax.minorticks_off()
            ax.set_ylim(0, 1.02)
            ax.set_xlabel(t("transfer-learning.axis_shots", lang))
            ax.set_ylabel(t("transfer-learning.axis_acc", lang))
            ax.set_title(task_title(res, task, lang), loc="left", fontsize=15)
            if col == 1:
                ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.3), fontsize=14)  # under the curves, over "chance"
        table_ax = fig.add_subplot(grid[1, :])
        table_ax.axis("off")
        cells = []
        for j, k in enumerate(shots):
            row = []
            for task in tasks:
                t_idx = tasks.index(task)
                best = int(np.argmax(mean[t_idx, :, j]))
                row += [f"{mean[t_idx, i, j]:.3f} ± {sd[t_idx, i, j]:.3f}" + (" ★" if i == best else "")
                        for i in range(len(strategies))]
            cells.append(row)
        col_labels = [t(f"transfer-learning.strategy_short.{st}", lang) for _ in tasks for st in strategies]  # the legend names them in full
        table = table_ax.table(cellText=cells, colLabels=col_labels,
                               rowLabels=[row_label(k, j == 0, lang) for j, k in enumerate(shots)],
                               cellLoc="center", bbox=[0.12, 0.08, 0.88, 0.72])
        table.auto_set_font_size(False)
        table.set_fontsize(14)
        for (r, c), cell in table.get_celld().items():
            cell.set_edgecolor("#D8DEE9")
            if r == 0 and c >= 0:
                cell.set_text_props(fontweight="bold", color=theme.color(ROLES[strategies[c % len(strategies)]]),
                                    fontsize=14)
            if c == -1:
                cell.set_text_props(fontweight="bold")
            if c >= len(strategies):
                cell.set_facecolor("#F2F4F8")
        # the task names above their three columns
        for n, task in enumerate(tasks):
            x0 = 0.12 + 0.88 * (n + 0.5) / len(tasks)
            table_ax.text(x0, 0.85, task_title(res, task, lang), ha="center", va="bottom", fontsize=14,
                          fontweight="bold", transform=table_ax.transAxes)
        fig.suptitle(t("transfer-learning.acc_title", lang, source=classes_text(res["source_classes"])),
                     fontsize=21, fontweight="bold")
        fig.text(0.005, 0.005, t("transfer-learning.acc_note", lang, source=classes_text(res["source_classes"]),
                                 n=int(res["pretrain_size"]), epochs=s["pretrain_epochs"],
                                 pre=f"{float(res['pretrain/holdout_acc']):.3f}", hidden=s["hidden"],
                                 layers=s["hidden_layers"], classes=len(res["target_classes"]), opt=s["optimizer"],
                                 lr=s["lr"], steps=s["steps"], seeds=s["seeds"], label=data_label(res))
                 .replace(" · ", "\n", 1), **NOTE)
        provenance(fig, [res], lang)
    return fig


def transfer_strategies(results, lang: str):
    res = results["transfer-learning"]
    tasks = [str(v) for v in res["tasks"]]
    strategies = [str(v) for v in res["strategies"]]
    k = int(res["shots"][0])
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(1, 2, width_ratios=[1, 1.25])
        ax = fig.add_subplot(grid[0, 0])
        ax.axis("off")
        ax.set_xlim(0, 3)
        ax.set_ylim(0, 3.2)
        ink, line = "#1B1F24", "#5F6670"
        # header cells
        ax.text(2.0, 2.95, t("transfer-learning.table.similarity", lang), ha="center", va="center", fontsize=15,
                fontweight="bold")
        ax.text(1.5, 2.5, t("transfer-learning.table.high", lang), ha="center", va="center", fontsize=14, fontweight="bold")
        ax.text(2.5, 2.5, t("transfer-learning.table.low", lang), ha="center", va="center", fontsize=14, fontweight="bold")
        ax.text(0.25, 1.25, t("transfer-learning.table.size", lang), ha="center", va="center", fontsize=15,
                fontweight="bold", rotation=90)
        ax.text(0.7, 1.75, t("transfer-learning.table.small", lang), ha="center", va="center", fontsize=14, fontweight="bold")
        ax.text(0.7, 0.75, t("transfer-learning.table.large", lang), ha="center", va="center", fontsize=14, fontweight="bold")
        cells = {("small", "high"): (1.5, 1.75), ("small", "low"): (2.5, 1.75), ("large", "high"): (1.5, 0.75),
                 ("large", "low"): (2.5, 0.75)}
        for (size, sim), (cx, cy) in cells.items():
            ax.add_patch(mpatches.Rectangle(
                (cx - 0.5, cy - 0.5), 1.0, 1.0, facecolor="#F2F4F8" if size == "small" else "white",
                edgecolor=line, linewidth=1.2))
            label = wrap_balanced(t(f"transfer-learning.table.{size}_{sim}", lang), 14)
            ax.text(cx, cy + (0.22 if size == "small" else 0), label,
                    ha="center", va="center", fontsize=14, color=ink, fontweight="bold")
        # the computed numbers in the two small-data cells
        for sim, task in (("high", "similar"), ("low", "new")):
            t_idx = tasks.index(task)
            head = res["mean"][t_idx, strategies.index("head"), 0]
            scratch = res["mean"][t_idx, strategies.index("scratch"), 0]
            cx, cy = cells[("small", sim)]
            ax.text(cx, cy - 0.2, t("transfer-learning.measured", lang, k=k, head=f"{head:.2f}", scratch=f"{scratch:.2f}"),
                    ha="center", va="center", fontsize=14, linespacing=1.3,
                    color=theme.color("transfer-head") if head > scratch else theme.color("highlight"))
        ax.set_title(wrap_balanced(t("transfer-learning.strategies_title", lang), 34), loc="left",
                     fontsize=15)
        # the zero/few/one-shot table
        tab_ax = fig.add_subplot(grid[0, 1])
        tab_ax.axis("off")
        header = [c.strip() for c in t("transfer-learning.shots.header", lang).split("|")]
        body = [[c.strip() for c in t(f"transfer-learning.shots.{kind}", lang).split("|")] for kind in ("zero", "few", "one")]
        width = 14 if lang == "ko" else 30
        body = [[row[0], wrap_balanced(row[1], width), wrap_balanced(row[2], width)] for row in body]
        table = tab_ax.table(cellText=body, colLabels=header, cellLoc="left", colLoc="left",
                             bbox=[0.0, 0.12, 1.0, 0.8], colWidths=[0.26, 0.34, 0.4])
        table.auto_set_font_size(False)
        table.set_fontsize(14)
        for (r, c), cell in table.get_celld().items():
            cell.set_edgecolor("#D8DEE9")
            cell.visible_edges = "B" if r > 0 else "TB"
            if r == 0 or c == 0:
                cell.set_text_props(fontweight="bold")
        tab_ax.set_title(t("transfer-learning.shots_title", lang), loc="left", fontsize=15)
        fig.suptitle(t("transfer-learning.title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("transfer-learning.strategies_note", lang, source=classes_text(res["source_classes"]),
                                 k=k, seeds=res.settings["seeds"], label=data_label(res)), **NOTE)
        provenance(fig, [res], lang)
    return fig
