"""Chapter 12 — 데이터 증식: real digits under the lecture's transformations; accuracy with and without."""
from __future__ import annotations

from lecture import theme
from lecture.text import fmt, t

from .base import NOTE, new_figure, provenance, style
from .run_curves import curve_panels, setup_note


def augmentation_grid(results, lang: str):
    res = results["augmentation"]
    grid = res["grid"]                        # (digit, kind, 28, 28)
    kinds = [str(k) for k in res["kinds"]]
    rows, cols = grid.shape[:2]
    with style():
        fig = new_figure()
        axes = fig.subplots(rows, cols, gridspec_kw={"wspace": 0.02, "hspace": 0.04})
        for r in range(rows):
            for c in range(cols):
                ax = axes[r, c]
                ax.imshow(grid[r, c], cmap="gray_r", vmin=0, vmax=1, interpolation="nearest",
                          gid=f"y=augmentation:grid[{r},{c}]")
                ax.set_xticks([])
                ax.set_yticks([])
                ax.grid(False)
                for spine in ax.spines.values():
                    spine.set_visible(c == 0)
                    spine.set_color(theme.color("highlight"))
                if r == 0:
                    ax.set_title(t(f"augmentation.kind.{kinds[c]}", lang), fontsize=14)
        s = res.settings
        fig.suptitle(t("augmentation.grid_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, t("augmentation.grid_note", lang, shift=fmt(s["show_shift"], 2),
                                 angle=fmt(s["show_angle"], 3), zoom=fmt(s["show_zoom"], 2),
                                 sigma=fmt(s["show_sigma"], 2), rate=fmt(s["show_rate"], 2)), **NOTE)
        provenance(fig, [res], lang)
    return fig


def last_val_ranges(res) -> dict[str, str]:
    """The range over the seeds of the validation accuracy averaged over the last 10 epochs, per run."""
    out = {}
    for run, key in (("plain", "p"), ("augmented", "a")):
        last = res[f"seeds/{run}/val_acc"][:, -10:].mean(1)
        out[f"{key}lo"], out[f"{key}hi"] = f"{last.min():.3f}", f"{last.max():.3f}"
    return out


def augmentation_accuracy(results, lang: str):
    res = results["augmentation"]
    runs = [("plain", t("augmentation.run.plain", lang), "no-augmentation"),
            ("augmented", t("augmentation.run.augmented", lang), "augmented")]
    s = res.settings
    with style():
        fig = new_figure()
        curve_panels(fig, res, runs, lang, metric="acc", test_accuracy=True)
        fig.suptitle(t("augmentation.acc_title", lang), fontsize=22, fontweight="bold")
        fig.text(0.005, 0.005, setup_note(res, lang) + "  ·  " + t(
            "augmentation.train_note", lang, shift=fmt(s["aug_shift"], 2), angle=fmt(s["aug_angle"], 3),
            zoom=fmt(s["aug_zoom"], 2), sigma=fmt(s["aug_sigma"], 2), seed=int(res["seed_values"][0]),
            seeds=len(res["seed_values"]), **last_val_ranges(res)), **NOTE)
        provenance(fig, [res], lang)
    return fig
