"""Chapter 16 — an adversarial perturbation (FGSM) that flips a digit, and training compute as energy."""
from __future__ import annotations

import numpy as np

from lecture import theme
from lecture.text import fmt, t

from .base import footnote, new_figure, provenance, style

INK, MUTED = "#1B1F24", "#5F6670"
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def scientific(value: float, digits: int = 3) -> str:
    """3.12×10¹¹."""
    exponent = int(np.floor(np.log10(abs(value))))
    return f"{fmt(value / 10 ** exponent, digits)}×10" + str(exponent).translate(SUPERSCRIPT)


def fgsm_digit(results, lang: str):
    res, facts = results["fgsm"], results["dl-problems"]
    eps = float(res["eps"])
    label, clean_pred, adv_pred = int(res["shown/label"]), int(res["shown/clean_pred"]), int(res["shown/adv_pred"])
    p_clean, p_adv = res["shown/p_clean"], res["shown/p_adv"]
    fact = dict(zip(facts["facts/key"], facts["facts/value"]))
    with style():
        fig = new_figure()
        grid = fig.add_gridspec(1, 4, width_ratios=[1, 1, 1, 1.5])
        panels = [("shown/x", t("dl-problems.original", lang), "gray_r", (0, 1),
                   t("dl-problems.answer", lang, digit=clean_pred, p=fmt(100 * p_clean[clean_pred], 4))),
                  ("shown/perturbation", t("dl-problems.perturbation", lang), "PuOr", (-eps, eps), f"ε = {fmt(eps)}"),
                  ("shown/adv", t("dl-problems.adversarial", lang), "gray_r", (0, 1),
                   t("dl-problems.answer", lang, digit=adv_pred, p=fmt(100 * p_adv[adv_pred], 3)))]
        for k, (key, title, cmap, (lo, hi), caption) in enumerate(panels):
            ax = fig.add_subplot(grid[k])
            ax.imshow(res[key].reshape(8, 8), cmap=cmap, vmin=lo, vmax=hi, gid=f"y=fgsm:{key}")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(title, fontsize=16)
            colour = theme.color("highlight") if k == 2 else INK
            ax.set_xlabel(caption, fontsize=16, color=colour)
        ax = fig.add_subplot(grid[3])
        grid_eps, acc = res["eps_grid"], res["seeds/acc_by_eps"]
        for s in range(1, len(acc)):
            ax.plot(grid_eps, acc[s], color=MUTED, linewidth=1, alpha=0.6, gid=f"x=fgsm:eps_grid y=fgsm:seeds/acc_by_eps[{s}]")
        ax.plot(grid_eps, acc[0], color=theme.color("highlight"), linewidth=2.5, marker="o",
                gid="x=fgsm:eps_grid y=fgsm:seeds/acc_by_eps[0]")
        ax.axvline(eps, color=INK, linestyle=":", linewidth=1.5)
        ax.set_ylim(0, 1.05)
        ax.set_xlabel(t("dl-problems.axis_eps", lang))
        ax.set_ylabel(t("dl-problems.axis_accuracy", lang))
        ax.set_title(t("dl-problems.fgsm_curve", lang), fontsize=16)
        fig.suptitle(t("dl-problems.fgsm_title", lang), fontsize=22, fontweight="bold")
        footnote(fig, t("dl-problems.panda", lang, panda=fmt(fact["panda_confidence"]),
                        gibbon=fmt(fact["gibbon_confidence"])))
        provenance(fig, [res], lang)
    return fig


def training_energy(results, lang: str):
    res = results["dl-problems"]
    systems, mwh, homes = res["compute/system"], res["energy/mwh"], res["energy/households"]
    util = 100 * res.settings["utilization"]
    with style():
        fig = new_figure()
        ax = fig.add_subplot(111)
        ax.set_xscale("log")
        gpt3 = list(systems).index("GPT-3")
        # one row per system, and below GPT-3 a row for the published estimate
        ypos = np.arange(len(systems) + 1)[::-1].astype(float)
        rows_y = np.delete(ypos, gpt3 + 1)
        ax.barh(rows_y, mwh, color=theme.color("highlight"), height=0.6, gid="y=dl-problems:energy/mwh")
        for y, value, n in zip(rows_y, mwh, homes):
            label = f"{fmt(value, 3)} MWh" + (f" · {t('dl-problems.homes', lang, n=fmt(n, 3))}" if n >= 1 else "")
            ax.text(value * 1.3, y, label, va="center", fontsize=14, color=INK)
        published = float(res["energy/published_mwh"])
        ax.barh([ypos[gpt3 + 1]], [published], color=theme.OKABE_ITO["blue"], height=0.6,
                gid="y=dl-problems:energy/published_mwh")
        ax.text(published * 1.3, ypos[gpt3 + 1], t("dl-problems.published", lang, mwh=fmt(published, 4)),
                va="center", fontsize=14, color=theme.OKABE_ITO["blue"])
        labels = list(systems)
        labels.insert(gpt3 + 1, "GPT-3")
        ypos_labels = ypos
        ax.set_yticks(ypos_labels)
        ax.set_yticklabels(labels)
        ax.set_xlim(1e-4, 1e7)
        ax.set_xlabel(t("dl-problems.energy_axis", lang))
        ax.set_title(t("dl-problems.energy_title", lang), fontsize=20, fontweight="bold")
        note = t("dl-problems.assumption", lang, tflops=fmt(res["energy/peak_flops"] / 1e12), watts=fmt(res["energy/power_w"]),
                 util=fmt(util), per_joule=scientific(float(res["energy/flop_per_joule"])))
        footnote(fig, note + "\n" + t("dl-problems.source", lang, cites="; ".join(res["energy/cite"])))
        provenance(fig, [res], lang)
    return fig
