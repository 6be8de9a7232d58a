"""Chapter 11 — learning-rate decay η = η0·10^(−t/n) against a constant η: a surface and a training run."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import accuracy, fmt, t

from .base import footnote, new_figure, provenance, style
from .paths import draw_path, mark_minimum
from .training_panels import dress_training_panels, training_curves

ROLE = {"constant": "lr-constant", "decay": "lr-decay"}


def schedule_label(name: str, lr0, n, lang: str) -> str:
    return t(f"lr-decay.schedule.{name}", lang, lr0=fmt(lr0), n=fmt(n))


def lr_decay_surface(results, lang: str):
    res = results["lr-decay"]
    s = res.meta["settings"]
    names = [str(n) for n in res["schedules"]]
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(2, 2, width_ratios=[1.3, 1])
        paths = fig.add_subplot(grid[:, 0])
        rate = fig.add_subplot(grid[0, 1])
        loss = fig.add_subplot(grid[1, 1])
        zs = res["grid/zs"]
        paths.contour(res["grid/xs"], res["grid/ys"], zs, levels=np.geomspace(0.02, float(zs.max()), 14),
                      colors="#9AA3AE", linewidths=0.9)
        for name in names:
            c = theme.color(ROLE[name])
            label = schedule_label(name, s["lr0"], s["decay_n"], lang)
            draw_path(paths, res[f"path/{name}"], c, label, markersize=2.5, gid=f"xy=lr-decay:path/{name}|finite")
            rate.plot(np.arange(len(res[f"lr/{name}"])), res[f"lr/{name}"], color=c, label=label,
                      gid=f"y=lr-decay:lr/{name}")
            final = float(np.mean(res[f"final_loss/{name}"]))
            loss.plot(res["step"], res[f"mean_loss/{name}"], color=c,
                      label=t("lr-decay.final_mean", lang, value=fmt(final, 3)),
                      gid=f"y=lr-decay:mean_loss/{name} x=lr-decay:step")
        mark_minimum(paths, (0.0, 0.0))
        paths.set_xlim(-5.6, 1.2)
        paths.set_ylim(-2.6, 1.2)
        paths.set_aspect("equal", adjustable="box")
        paths.set_xlabel("$x_1$")
        paths.set_ylabel("$x_2$")
        paths.set_title(t("lr-decay.surface_panel", lang, steps=s["steps"], noise=fmt(s["grad_noise"])))
        paths.legend(loc="upper right", fontsize=14)
        rate.set_yscale("log")
        rate.set_ylabel("η")
        rate.set_title(t("lr-decay.rate_panel", lang))
        rate.legend(fontsize=14)
        loss.set_yscale("log")
        loss.set_xlabel(t("lr-decay.axis_step", lang))
        loss.set_ylabel("f")
        loss.set_title(t("lr-decay.mean_panel", lang, repeats=s["repeats"]))
        loss.legend(fontsize=14)
        fig.suptitle(t("lr-decay.fig_surface_title", lang), fontsize=22, fontweight="bold")
        footnote(fig, t("lr-decay.fig_surface_note", lang, start=s["start"]))
        provenance(fig, [res], lang)
    return fig


def lr_decay_training(results, lang: str):
    res = results["lr-decay-training"]
    s = res.meta["settings"]
    names = [str(n) for n in res["schedules"]]
    window = max(1, len(res["iteration"]) // 40)
    with style():
        fig = new_figure()
        left, right = fig.subplots(1, 2)
        for k, name in enumerate(names):
            c = theme.color(ROLE[name])
            label = schedule_label(name, s["lr0"], s["decay_n"], lang)
            training_curves(left, right, res, k, "test_acc", c, window, label,
                            t("lr-decay.final_acc", lang, value=accuracy(res["test_acc"][-1, k])))
        dress_training_panels(left, right, t("lr-decay.axis_iteration", lang), t("lr-decay.axis_loss", lang),
                              t("lr-decay.axis_accuracy", lang), t("lr-decay.train_panel", lang, window=window),
                              t("lr-decay.test_panel", lang))
        fig.suptitle(t("lr-decay.fig_training_title", lang), fontsize=22, fontweight="bold")
        footnote(fig, t("lr-decay.fig_training_note", lang, data=res.meta.get("info", {}).get("data", ""),
                        network=res.meta.get("info", {}).get("network", ""), batch=s["batch"]))
        provenance(fig, [res], lang)
    return fig
