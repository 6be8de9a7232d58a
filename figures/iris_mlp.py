"""Chapter 11 — the lecture's iris table (sigmoid vs ReLU) beside the computed one, and the learning curves."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import fmt, t

from .base import new_figure, provenance, style

ROW_KINDS = ("lecture", "one_seed", "mean")


def table_cells(res, act: str, kind: str, lang: str) -> list[str]:
    """The four numbers of one table row as text: the lecture's, one seed's, or mean ± sd over the seeds."""
    if kind == "mean":
        return [f"{fmt(m, 3)} ± {fmt(s, 2)}" for m, s in zip(res[f"mean/{act}"], res[f"sd/{act}"])]
    return [f"{v:.4f}" for v in res[f"{kind}/{act}"]]


def row_label(res, act: str, kind: str, lang: str) -> str:
    return t(f"iris-mlp.row.{kind}", lang, name=t(f"vanishing-gradients.name.{act}", lang),
             seeds=res.settings["seeds"], seed=res.meta["seed"])


def iris_table(results, lang: str):
    res = results["iris-mlp"]
    acts = [str(a) for a in res["activations"]]
    columns = [str(c) for c in res["columns"]]
    settings = res.settings
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(2, 2, height_ratios=[1.2, 1])
        table_ax = fig.add_subplot(grid[0, :])
        table_ax.axis("off")
        cells, labels, colours = [], [], []
        for act in acts:
            for kind in ROW_KINDS:
                cells.append(table_cells(res, act, kind, lang))
                labels.append(row_label(res, act, kind, lang))
                colours.append(theme.color(act))
        table = table_ax.table(cellText=cells, rowLabels=labels,
                               colLabels=[t(f"iris-mlp.col.{c}", lang) for c in columns],
                               cellLoc="center", rowLoc="right", bbox=[0.36, 0.1, 0.64, 0.9])
        table_ax.set_in_layout(False)  # the row labels reach left of the bbox; keep the layout to the grid
        table.auto_set_font_size(False)
        table.set_fontsize(14)
        for (r, c), cell in table.get_celld().items():
            cell.set_edgecolor("#D8DEE9")
            if r == 0:
                cell.set_text_props(fontweight="bold")
            elif c == -1:
                cell.set_text_props(color=colours[r - 1], fontweight="bold")
            if r > 0 and ROW_KINDS[(r - 1) % len(ROW_KINDS)] == "lecture":
                cell.set_facecolor("#F2F4F8")
        curve_specs = (("loss", ("train_loss", "test_loss")), ("acc", ("train_acc", "test_acc")))
        epochs = res["epoch"]
        for col, (kind, names) in enumerate(curve_specs):
            ax = fig.add_subplot(grid[1, col])
            top = 0.0
            for act in acts:
                for name in names:
                    curves = res[f"curve/{act}/{name}"]
                    mean, sd = curves.mean(0), curves.std(0, ddof=1)
                    top = max(top, float(np.nanmax(mean)))
                    # the test curve (dashed, thinner) on top of the training curve (solid, wide, lighter): on
                    # iris the two means nearly coincide, and the test one must still be seen
                    train = name.startswith("train")
                    style_ = "-" if train else "--"
                    ax.plot(epochs, mean, style_, color=theme.color(act), linewidth=4.5 if train else 2.2,
                            alpha=0.45 if train else 1.0, zorder=2 if train else 3,
                            label=t("iris-mlp.curve_label", lang, name=t(f"vanishing-gradients.name.{act}", lang),
                                    split=t(f"iris-mlp.split.{name.split('_')[0]}", lang)),
                            gid=f"y=iris-mlp:curve/{act}/{name}|mean0 x=iris-mlp:epoch")
                    if name.startswith("test"):
                        ax.fill_between(epochs, mean - sd, mean + sd, color=theme.color(act), alpha=0.12, linewidth=0)
            ax.set_xlabel(t("iris-mlp.axis_epoch", lang))
            ax.set_ylabel(t(f"iris-mlp.axis_{kind}", lang))
            ax.set_ylim(0, top * 1.05 if kind == "loss" else 1.02)   # the whole curve: the ReLU loss starts high
            ax.legend(loc="best", fontsize=14, ncol=2)  # where the 20 runs' bands leave room
        fig.suptitle(t("iris-mlp.figure_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("iris-mlp.figure_note", lang, hidden=settings["hidden"], epochs=settings["epochs"],
                                 lr=settings["lr"], batch=settings["batch"], seeds=settings["seeds"]),
                 ha="left", va="bottom", fontsize=14, color="#5F6670")
        provenance(fig, [res], lang)
    return fig

