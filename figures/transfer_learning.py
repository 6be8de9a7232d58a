"""Chapter 14 — 전이학습: few-/one-shot accuracy of three strategies, and the slides' two tables."""
from __future__ import annotations

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
    """The slides' 2 × 2 table of data size × similarity, each cell the computed accuracies: the three strategies
    and the nearest class mean on the pre-trained features, at the smallest k (small data) and the largest
    (more data), on new images of the pre-trained digits (high similarity) and on new digits (low)."""
    res = results["transfer-learning"]
    tasks = [str(v) for v in res["tasks"]]
    strategies = [str(v) for v in res["strategies"]]
    spaces = [str(v) for v in res["spaces"]]
    shots = [int(k) for k in res["shots"]]
    mean, sd, ncm, ncm_sd = res["mean"], res["sd"], res["ncm_mean"], res["ncm_sd"]
    f = spaces.index("features")
    methods = [*strategies, "ncm"]
    names = [*(t(f"transfer-learning.strategy.{st}", lang) for st in strategies),
             t("transfer-learning.scene.ncm_features", lang)]
    colours = [*(theme.color(ROLES[st]) for st in strategies), theme.color("ncm-features")]
    chance = 1 / len(res["target_classes"])
    rows = (("small", 0), ("large", len(shots) - 1))
    cols = (("high", "similar"), ("low", "new"))
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(2, 2)
        for r, (size, j) in enumerate(rows):
            for c, (sim, task) in enumerate(cols):
                ax = fig.add_subplot(grid[r, c])
                ti = tasks.index(task)
                values = [*(mean[ti, i, j] for i in range(len(strategies))), ncm[ti, f, j]]
                errors = [*(sd[ti, i, j] for i in range(len(strategies))), ncm_sd[ti, f, j]]
                tags = [*(f"y=transfer-learning:mean[{ti},{i},{j}]" for i in range(len(strategies))),
                        f"y=transfer-learning:ncm_mean[{ti},{f},{j}]"]
                best = int(np.argmax(values))
                for n, (value, error, colour, tag) in enumerate(zip(values, errors, colours, tags)):
                    y = len(methods) - 1 - n
                    ax.barh([y], [value], xerr=[error], height=0.7, color=colour, capsize=3, gid=tag,
                            error_kw=dict(ecolor="#5F6670", elinewidth=1.2))
                    ax.text(value + error + 0.015, y, f"{value:.2f}" + (" ★" if n == best else ""), va="center",
                            ha="left", fontsize=14, fontweight="bold" if n == best else "normal")
                ax.axvline(chance, color="#999999", linestyle=":", linewidth=1.2)
                ax.set_xlim(0, 1.18)
                ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
                ax.tick_params(labelsize=14)
                ax.set_yticks(range(len(methods)))
                ax.set_yticklabels(names[::-1] if c == 0 else [""] * len(methods), fontsize=14)
                ax.set_ylim(-0.6, len(methods) - 0.4)
                ax.set_title(t("transfer-learning.cell_title", lang, size=t(f"transfer-learning.table.{size}", lang),
                               k=shots[j], sim=t(f"transfer-learning.table.{sim}", lang),
                               slide=t(f"transfer-learning.table.{size}_{sim}", lang)), loc="left", fontsize=15)
                if r == 1:
                    ax.set_xlabel(t("transfer-learning.axis_acc", lang), fontsize=14)
        fig.suptitle(t("transfer-learning.strategies_title", lang), fontsize=21, fontweight="bold")
        fig.text(0.005, 0.005, t("transfer-learning.strategies_note", lang, source=classes_text(res["source_classes"]),
                                 target=classes_text(res["target_classes"]), small=shots[0], large=shots[-1],
                                 seeds=res.settings["seeds"], label=data_label(res)), **NOTE)
        provenance(fig, [res], lang)
    return fig


def few_shot(results, lang: str):
    """One-shot and few-shot by nearest class mean: the one-shot sample of the new digits (all the training data
    there is), and the accuracy of the nearest class mean on the pre-trained features and on the pixels against
    k, on both tasks; zero-shot in words (nothing computed)."""
    res = results["transfer-learning"]
    tasks = [str(v) for v in res["tasks"]]
    spaces = [str(v) for v in res["spaces"]]
    shots = [int(k) for k in res["shots"]]
    ncm, ncm_sd = res["ncm_mean"], res["ncm_sd"]
    one, one_y = res["oneshot/x"], res["oneshot/y"]
    with style():
        fig = new_figure()
        outer = fig.add_gridspec(2, 3, height_ratios=[1, 2.6], width_ratios=[1, 1, 0.9])
        strip = outer[0, :].subgridspec(1, len(one) + 1, width_ratios=[2.2] + [1] * len(one))
        label_ax = fig.add_subplot(strip[0, 0])
        label_ax.axis("off")
        label_ax.text(0.0, 0.5, wrap_balanced(t("transfer-learning.few.one_shot", lang,
                                                 target=classes_text(res["target_classes"])), 22),
                      ha="left", va="center", fontsize=15, transform=label_ax.transAxes)
        for n, (img, label) in enumerate(zip(one, one_y)):
            ax = fig.add_subplot(strip[0, n + 1])
            ax.imshow(img, cmap="Greys", vmin=0, vmax=1, gid=f"y=transfer-learning:oneshot/x[{n}]")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(str(int(label)), fontsize=15)
        ax0 = None
        for col, task in enumerate(("similar", "new")):
            ax = fig.add_subplot(outer[1, col], sharey=ax0)
            ax0 = ax0 or ax
            ti = tasks.index(task)
            for m, space in enumerate(spaces):
                ax.errorbar(shots, ncm[ti, m], yerr=ncm_sd[ti, m], color=theme.color(f"ncm-{space}"),
                            marker="o" if space == "features" else "s", capsize=3,
                            linestyle="-" if space == "features" else "--",
                            label=t(f"transfer-learning.scene.ncm_{space}", lang),
                            gid=f"y=transfer-learning:ncm_mean[{ti},{m}] x=transfer-learning:shots")
            ax.axhline(1 / len(res["target_classes"]), color="#999999", linestyle=":", linewidth=1.2)
            ax.set_xscale("log")
            ax.set_xticks(shots)
            ax.set_xticklabels([str(k) for k in shots])
            ax.minorticks_off()
            ax.set_ylim(0, 1.02)
            ax.tick_params(labelsize=14)
            ax.set_xlabel(t("transfer-learning.axis_shots", lang), fontsize=14)
            if col == 0:
                ax.set_ylabel(t("transfer-learning.axis_acc", lang), fontsize=14)
                ax.legend(loc="lower right", fontsize=14)
            ax.set_title(wrap_balanced(task_title(res, task, lang), 40), loc="left", fontsize=15)
        zero_ax = fig.add_subplot(outer[1, 2])
        zero_ax.axis("off")
        zero_ax.text(0.0, 1.0, t("transfer-learning.scene.zero_title", lang), ha="left", va="top", fontsize=16,
                     fontweight="bold", transform=zero_ax.transAxes)
        zero_ax.text(0.0, 0.86, wrap_balanced(t("transfer-learning.scene.zero_body", lang), 17 if lang == "ko" else 32),
                     ha="left", va="top", fontsize=14, linespacing=1.4, transform=zero_ax.transAxes)
        fig.suptitle(t("transfer-learning.few.title", lang), fontsize=21, fontweight="bold")
        fig.text(0.005, 0.005, t("transfer-learning.few.note", lang, source=classes_text(res["source_classes"]),
                                 seeds=res.settings["seeds"], label=data_label(res)), **NOTE)
        provenance(fig, [res], lang)
    return fig
