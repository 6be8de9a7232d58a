"""Chapter 16 — the problems of deep learning: the lecture's six, each with a sourced fact or a computation.

Manipulation is computed: FGSM on a test digit of a small trained network (the ``fgsm`` result: the digit, the
perturbation ε·sign(∇ₓ loss), the perturbed digit and both answers); energy is chapter 4's training compute
turned into electricity under a stated assumption (the ``dl-problems`` result).  Facts are read from
``lecture/data/dl_problems.csv`` and cited on screen.
"""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Circumscribe, FadeIn, FadeOut, GrowFromEdge, Indicate,
                   LaggedStart, Rectangle, Square, VGroup)

from lecture import theme
from lecture.text import fmt, rows

from scenes.base import LectureScene

HIGHLIGHT = theme.color("highlight")
BLUE = theme.OKABE_ITO["blue"]


def grey(value: float) -> str:
    """A pixel value in [0, 1] as a grey (0: black background, 1: white ink)."""
    v = int(round(255 * float(np.clip(value, 0, 1))))
    return f"#{v:02x}{v:02x}{v:02x}"


class DLProblems(LectureScene):
    """Six problems; a fact for each; FGSM flips a digit; training compute as energy."""

    chapter = 16
    title_key = "dl-problems.title"
    panel_x = 2.4       # centre of the right-hand panel

    def construct(self):
        facts_res, attack = self.result("dl-problems"), self.result("fgsm")
        fact = dict(zip(facts_res["facts/key"], facts_res["facts/value"]))
        cite = dict(zip(facts_res["facts/key"], facts_res["facts/cite"]))
        names = VGroup(*(self.wrapped(r[0], 3.6, font_size=26, color=self.ink, aligned_edge=LEFT)
                         for r in rows("dl-problems.rows", self.lang)))
        names.arrange(DOWN, buff=0.45, aligned_edge=LEFT).to_edge(LEFT, buff=0.5).shift(DOWN * 0.3)
        card = self.title_card()
        with self.narration("dl-problems.sub.intro"):
            self.park_title(card, LaggedStart(*(FadeIn(n, shift=0.15 * RIGHT) for n in names), lag_ratio=0.2))
            self.play(LaggedStart(*(Indicate(n, color=HIGHLIGHT, scale_factor=1.05) for n in names), lag_ratio=0.15),
                      run_time=2.0)
        self.panel = None
        self.names = names

        # 1 jobs
        big = self.plain(f"{fmt(fact['jobs_at_risk'])}%", font_size=96, color=HIGHLIGHT, weight="BOLD")
        label = self.wrapped(self.t("dl-problems.jobs_label"), 7.0, font_size=30)
        self.show(0, "dl-problems.sub.p1", VGroup(big, label).arrange(DOWN, buff=0.3), [cite["jobs_at_risk"]],
                  value=fmt(fact["jobs_at_risk"]))
        # 2 surveillance: two error rates as bars
        dark, light = fact["face_error_darker_female"], fact["face_error_lighter_male"]
        bars = VGroup()
        for value, key, colour in ((dark, "dl-problems.face_dark", HIGHLIGHT), (light, "dl-problems.face_light", BLUE)):
            bar = Rectangle(width=max(4.0 * value / max(dark, light), 0.05), height=0.55, stroke_width=0,
                            fill_color=colour, fill_opacity=0.95)
            row = VGroup(self.text(key, font_size=26, color=self.ink), bar,
                         self.plain(f"{fmt(value)}%", font_size=30, color=colour, weight="BOLD"))
            bars.add(row)
        for row in bars:
            row[0].move_to([self.panel_x - 1.2, 0, 0], aligned_edge=RIGHT)
            row[1].next_to(row[0], RIGHT, buff=0.25)
            row[2].next_to(row[1], RIGHT, buff=0.2)
        bars.arrange(DOWN, buff=0.6, aligned_edge=LEFT)
        start = max(row[0].get_right()[0] for row in bars) + 0.25       # every bar starts at the same x
        for row in bars:
            row[0].shift(RIGHT * (start - 0.25 - row[0].get_right()[0]))
            row[1].shift(RIGHT * (start - row[1].get_left()[0]))
            row[2].next_to(row[1], RIGHT, buff=0.2)
        axis_name = self.text("dl-problems.face_axis", font_size=24, color=self.muted)
        self.show(1, "dl-problems.sub.p2", VGroup(axis_name, bars).arrange(DOWN, buff=0.4),
                  [cite["face_error_darker_female"]], dark=fmt(dark), light=fmt(light))
        # 3 manipulation: FGSM computed
        self.manipulation(attack, fact, cite)
        # 4 energy
        self.energy(facts_res)
        # 5 copyright
        pairs = fact["laion_pairs"]
        count = fmt(pairs / 1e8, 3) if self.lang == "ko" else fmt(pairs / 1e9, 3)
        count_text = self.t("dl-problems.pairs_ko", n=count)
        big = self.plain(count_text, font_size=88, color=HIGHLIGHT, weight="BOLD")
        label = self.wrapped(self.t("dl-problems.laion_label") + " (LAION-5B)", 7.0, font_size=30)
        self.show(4, "dl-problems.sub.p5", VGroup(big, label).arrange(DOWN, buff=0.3), [cite["laion_pairs"]],
                  pairs=count_text)
        # 6 autonomous weapons
        year = int(fact["kargu_libya"])
        big = self.plain(str(year), font_size=88, color=HIGHLIGHT, weight="BOLD")
        label = self.wrapped(self.t("dl-problems.kargu", year=year), 7.0, font_size=30)
        self.show(5, "dl-problems.sub.p6", VGroup(big, label).arrange(DOWN, buff=0.3), [cite["kargu_libya"]], year=year)
        with self.narration("dl-problems.sub.end"):
            self.play(FadeOut(self.panel), *(n.animate.set_color(self.ink) for n in names), run_time=0.8)
            self.play(LaggedStart(*(Indicate(n, color=HIGHLIGHT, scale_factor=1.05) for n in names), lag_ratio=0.2),
                      run_time=2.4)

    def focus(self, index: int):
        """The problem ``index`` in the highlight colour, the others muted."""
        return [n.animate.set_color(HIGHLIGHT if i == index else self.muted) for i, n in enumerate(self.names)]

    def source(self, cites) -> VGroup:
        return self.wrapped(self.t("dl-problems.source", cites="; ".join(dict.fromkeys(cites))), 8.4, font_size=18,
                            color=self.muted).move_to([self.panel_x, -3.3, 0])

    def show(self, index: int, key: str, content, cites, **values):
        """Under cue ``key``: problem ``index`` highlighted, the last panel out, ``content`` and its sources in."""
        content.move_to([self.panel_x, 0.1, 0])
        if content.width > 8.4:
            content.scale_to_fit_width(8.4)
        self.on_screen(content)
        panel = VGroup(content, self.source(cites))
        with self.narration(key, **values):
            out = [FadeOut(self.panel)] if self.panel is not None else []
            self.play(*out, *self.focus(index), run_time=0.6)
            self.play(LaggedStart(*(FadeIn(m, shift=0.2 * UP) for m in content), lag_ratio=0.4), FadeIn(panel[1]),
                      run_time=1.6)
            self.play(Circumscribe(content[0], color=HIGHLIGHT, buff=0.1), run_time=1.2)
        self.panel = panel

    # --- manipulation: the digit, the perturbation, the perturbed digit ----------------------------------------
    def digit(self, pixels, low: float = 0.0, high: float = 1.0, signed: bool = False, size: float = 0.27) -> VGroup:
        group = VGroup()
        for k, v in enumerate(pixels):
            if signed:
                colour = HIGHLIGHT if v > 0 else BLUE
                opacity = 0.95 if v != 0 else 0.0
            else:
                colour, opacity = grey((v - low) / (high - low)), 1.0
            sq = Square(side_length=size, stroke_width=0, fill_color=colour, fill_opacity=opacity)
            sq.move_to([(k % 8) * size, -(k // 8) * size, 0])
            group.add(sq)
        frame = Rectangle(width=8 * size, height=8 * size, stroke_color=self.muted, stroke_width=2).move_to(group)
        return VGroup(frame, group)

    def manipulation(self, res, fact, cite):
        eps = float(res["eps"])
        label, clean, adv = int(res["shown/label"]), int(res["shown/clean_pred"]), int(res["shown/adv_pred"])
        p_clean, p_adv = float(res["shown/p_clean"][clean]), float(res["shown/p_adv"][adv])
        clean_acc, adv_acc = res["seeds/clean_acc"], res["seeds/adv_acc"]
        images = [self.digit(res["shown/x"]), self.digit(res["shown/perturbation"], signed=True),
                  self.digit(res["shown/adv"])]
        titles = [self.text("dl-problems.original", font_size=24), self.text("dl-problems.perturbation", font_size=24),
                  self.text("dl-problems.adversarial", font_size=24)]
        answers = [self.text("dl-problems.answer", font_size=26, digit=clean, p=fmt(100 * p_clean, 4)),
                   self.plain(f"ε = {fmt(eps)}", font_size=26, color=self.ink),
                   self.text("dl-problems.answer", font_size=26, color=HIGHLIGHT, weight="BOLD", digit=adv,
                             p=fmt(100 * p_adv, 3))]
        columns = VGroup(*(VGroup(t, i, a).arrange(DOWN, buff=0.2) for t, i, a in zip(titles, images, answers)))
        columns.arrange(RIGHT, buff=0.55).move_to([self.panel_x, 0.6, 0])
        if columns.width > 8.6:
            columns.scale_to_fit_width(8.6)
        self.on_screen(columns)
        plus = self.plain("+", font_size=40, color=self.ink).move_to((images[0].get_right() + images[1].get_left()) / 2)
        equals = self.plain("=", font_size=40, color=self.ink).move_to((images[1].get_right() + images[2].get_left()) / 2)
        source = self.source(["scikit-learn digits", cite["panda_confidence"]])
        with self.narration("dl-problems.sub.p3", acc=fmt(100 * float(clean_acc[0]), 3)):
            self.play(FadeOut(self.panel), *self.focus(2), run_time=0.6)
            self.play(FadeIn(columns[0]), FadeIn(source), run_time=1.2)
            self.play(Indicate(answers[0], color=HIGHLIGHT), run_time=1.0)
            self.play(FadeIn(plus), FadeIn(columns[1]), run_time=1.2)        # the gradient's sign, times ε
            self.play(Circumscribe(images[1], color=HIGHLIGHT, buff=0.06), run_time=1.2)
        with self.narration("dl-problems.sub.fgsm", eps=fmt(eps), label=label, p_clean=fmt(100 * p_clean, 4), adv=adv,
                            p_adv=fmt(100 * p_adv, 3)):
            self.play(FadeIn(equals), FadeIn(columns[2]), run_time=1.2)
            self.play(Circumscribe(answers[2], color=HIGHLIGHT, buff=0.08), run_time=1.0)
            self.play(Indicate(images[2], color=HIGHLIGHT, scale_factor=1.05), run_time=1.0)
        drop = self.text("dl-problems.accuracy_drop", font_size=30, color=HIGHLIGHT, weight="BOLD",
                         clean=fmt(100 * float(clean_acc[0]), 3), adv=fmt(100 * float(adv_acc[0]), 3))
        panda = self.wrapped(self.t("dl-problems.panda", panda=fmt(fact["panda_confidence"]),
                                    gibbon=fmt(fact["gibbon_confidence"])), 8.2, font_size=24, color=self.ink)
        VGroup(drop, panda).arrange(DOWN, buff=0.25).next_to(columns, DOWN, buff=0.4)
        with self.narration("dl-problems.sub.fgsm_all", clean=fmt(100 * float(clean_acc[0]), 3),
                            adv=fmt(100 * float(adv_acc[0]), 3), panda=fmt(fact["panda_confidence"]),
                            gibbon=fmt(fact["gibbon_confidence"])):
            self.play(FadeIn(drop, shift=0.2 * UP), run_time=1.0)
            self.play(Circumscribe(drop, color=HIGHLIGHT, buff=0.08), run_time=1.2)
            self.play(FadeIn(panda, shift=0.2 * UP), run_time=1.0)
            self.play(Indicate(panda, color=HIGHLIGHT, scale_factor=1.03), run_time=1.2)
        self.panel = VGroup(columns, plus, equals, drop, panda, source)

    # --- energy: compute as electricity under a stated assumption --------------------------------------------
    def energy(self, res):
        systems = list(res["compute/system"])
        mwh, homes = res["energy/mwh"], res["energy/households"]
        g3, g4 = systems.index("GPT-3"), systems.index("GPT-4")
        published = float(res["energy/published_mwh"])
        util = 100 * res.settings["utilization"]
        tflops, watts = float(res["energy/peak_flops"]) / 1e12, float(res["energy/power_w"])
        assumption = self.wrapped(self.t("dl-problems.assumption", tflops=fmt(tflops), watts=fmt(watts), util=fmt(util),
                                         per_joule=f"{fmt(float(res['energy/flop_per_joule']) / 1e11, 3)}×10¹¹"),
                                  8.4, font_size=24, color=self.ink).move_to([self.panel_x, 2.3, 0])
        source = self.source(list(res["energy/cite"]))
        with self.narration("dl-problems.sub.p4", tflops=fmt(tflops), watts=fmt(watts), util=fmt(util)):
            self.play(FadeOut(self.panel), *self.focus(3), run_time=0.6)
            self.play(FadeIn(assumption), FadeIn(source), run_time=1.2)
            self.play(Circumscribe(assumption, color=HIGHLIGHT, buff=0.08), run_time=1.2)
        # bars on a log scale from 10 MWh: GPT-3 computed, GPT-3 published, GPT-4 computed
        entries = [("GPT-3", float(mwh[g3]), HIGHLIGHT, self.t("dl-problems.homes", n=fmt(float(homes[g3]), 2))),
                   ("GPT-3", published, BLUE, self.t("dl-problems.published", mwh=fmt(published, 4))),
                   ("GPT-4", float(mwh[g4]), HIGHLIGHT, self.t("dl-problems.homes", n=fmt(float(homes[g4]), 3)))]
        top = np.log10(max(e[1] for e in entries))
        bars = VGroup()
        for name, value, colour, note in entries:
            width = 4.2 * (np.log10(value) - 1) / (top - 1)
            bar = Rectangle(width=width, height=0.5, stroke_width=0, fill_color=colour, fill_opacity=0.95)
            head = self.plain(name, font_size=26, color=self.ink, weight="BOLD")
            text = VGroup(self.plain(f"{fmt(value, 3 if colour == HIGHLIGHT else 4)} MWh", font_size=26, color=colour, weight="BOLD"),
                          self.plain(note, font_size=20, color=self.ink)).arrange(DOWN, buff=0.05, aligned_edge=LEFT)
            bars.add(VGroup(head, bar, text))
        for row in bars:
            row[0].move_to([-0.7, 0, 0], aligned_edge=RIGHT)
            row[1].next_to(row[0], RIGHT, buff=0.2)
            row[2].next_to(row[1], RIGHT, buff=0.15)
        bars.arrange(DOWN, buff=0.45, aligned_edge=LEFT).next_to(assumption, DOWN, buff=0.5)
        self.on_screen(bars)
        scale = self.text("dl-problems.energy_axis", font_size=20, color=self.muted).next_to(bars, DOWN, buff=0.25)
        with self.narration("dl-problems.sub.energy", gpt3=fmt(float(mwh[g3]), 3), homes3=fmt(float(homes[g3]), 2),
                            published=fmt(published, 4), gpt4=fmt(float(mwh[g4]), 3)):
            for row in bars:
                self.play(GrowFromEdge(row[1], LEFT), FadeIn(row[0]), FadeIn(row[2]), run_time=1.0)
            self.play(FadeIn(scale), run_time=0.5)
        self.panel = VGroup(assumption, bars, scale, source)
