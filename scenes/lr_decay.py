"""Chapter 11 — learning-rate decay η = η0·10^(−t/n): the rate shrinks and the path settles.

Reads the stored ``lr-decay`` result (torch.optim.SGD with LambdaLR on noisy
gradients of x1² + 2x2²); nothing is trained here.
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    ValueTracker,
    VGroup,
    Write,
    linear,
)

from lecture import theme
from lecture.text import fmt

from scenes.base import LectureScene
from scenes.contours import contour_lines
from scenes.coordinates import framed_axes
from scenes.traces import runner, swatch, trace

ROLE = {"constant": "lr-constant", "decay": "lr-decay"}


class LRDecay(LectureScene):
    """Constant η against η0·10^(−t/n): the schedule on the right, the two paths on the left."""

    chapter = 11
    title_key = "lr-decay.title"
    run_seconds = 12.0

    def typeset_ahead(self):
        """The settings' values and the decaying schedule's label (typeset ahead in one run)."""
        s = self.result("lr-decay").meta["settings"]
        return [self.values_tex(s), self.schedule_tex(s)]

    @staticmethod
    def values_tex(s) -> str:
        return rf"\eta_0 = {fmt(s['lr0'])},\quad n = {fmt(s['decay_n'])}"

    @staticmethod
    def schedule_tex(s) -> str:  # the power as a formula, not 10^(−t/n)
        return rf"\eta = {fmt(s['lr0'])} \cdot 10^{{-t/{fmt(s['decay_n'])}}}"

    def construct(self):
        res = self.result("lr-decay")
        s = res.meta["settings"]
        steps = int(s["steps"])
        formula = self.tex(r"\eta = \eta_0 \cdot 10^{-t/n}", font_size=44)
        values = self.tex(self.values_tex(s), font_size=34, color=theme.color("lr-decay"))
        VGroup(formula, values).arrange(RIGHT, buff=0.6).to_edge(UP, buff=0.85)
        rate_axes, rate_frame = framed_axes((0, steps, steps // 4), (-3.25, -0.75, 1), 4.6, 3.2,
                                            tuple(range(0, steps + 1, steps // 4)), (-3, -2, -1), color=self.muted)
        VGroup(rate_axes, rate_frame).move_to(RIGHT * 4.0 + DOWN * 0.9)
        rate_label = self.tex(r"\log_{10}\eta", font_size=30).next_to(rate_frame, UP, buff=0.15)
        t_axis = self.tex("t", font_size=30).next_to(rate_frame, RIGHT, buff=0.12).align_to(rate_frame, DOWN)
        with self.narration("lr-decay.sub.intro"):  # the rate over the updates, while the sentence says it shrinks
            self.park_title(self.title_card(), Create(rate_frame), FadeIn(rate_label), FadeIn(t_axis))
        with self.narration("lr-decay.sub.formula", lr0=fmt(s["lr0"]), n=fmt(s["decay_n"])):
            self.play(Write(formula), run_time=1.2)
            self.play(FadeIn(values), run_time=0.8)

        paths_axes, frame = framed_axes((-5.5, 1, 1), (-2.5, 1, 1), 6.4, 3.45, (-5, -4, -3, -2, -1, 0, 1),
                                        (-2, -1, 0, 1), color=self.muted)
        VGroup(paths_axes, frame).move_to(LEFT * 3.0 + DOWN * 0.9)
        levels = np.geomspace(0.05, 30, 10)
        lines = contour_lines(paths_axes, res["grid/xs"], res["grid/ys"], res["grid/zs"], levels, color=self.muted)
        surface = self.tex(r"f = x_1^2 + 2x_2^2", font_size=30).next_to(frame, UP, buff=0.15).align_to(frame, RIGHT)
        names = {"constant": self.text("lr-decay.schedule.constant", font_size=22, color=theme.color(ROLE["constant"]),
                                       lr0=fmt(s["lr0"])),
                 "decay": self.tex(self.schedule_tex(s), font_size=30, color=theme.color(ROLE["decay"]))}
        legend = VGroup(*(VGroup(swatch(theme.color(ROLE[n])), names[n]).arrange(RIGHT, buff=0.12)
                          for n in ("constant", "decay"))).arrange(DOWN, aligned_edge=LEFT)
        legend.next_to(frame, UP, buff=0.15).align_to(frame, LEFT)
        with self.narration("lr-decay.sub.surface", noise=fmt(s["grad_noise"])):
            self.play(Create(frame), Create(lines), FadeIn(surface), FadeIn(legend), run_time=1.5)

        tracker = ValueTracker(0)
        movers = []
        for name in ("constant", "decay"):
            color = theme.color(ROLE[name])
            path = res[f"path/{name}"]
            movers += [trace(paths_axes, path, tracker, color, width=3), runner(paths_axes, path, tracker, color)]
            lr = res[f"lr/{name}"]
            curve = np.column_stack([np.arange(len(lr)), np.log10(lr)])
            movers += [trace(rate_axes, curve, tracker, color, width=4), runner(rate_axes, curve, tracker, color)]
        self.add(*movers)
        with self.narration("lr-decay.sub.run", steps=steps):
            self.play(tracker.animate.set_value(steps - 1), run_time=self.run_seconds, rate_func=linear)
            self.play(tracker.animate.set_value(steps), run_time=0.3, rate_func=linear)
        for m in movers:
            m.clear_updaters()

        const = float(np.mean(res["final_loss/constant"]))
        decay = float(np.mean(res["final_loss/decay"]))
        with self.narration("lr-decay.sub.end", repeats=s["repeats"], const=fmt(const, 3), decay=fmt(decay, 3)):
            note = self.text("lr-decay.readout", font_size=24, color=self.ink, repeats=s["repeats"],
                             const=fmt(const, 3), decay=fmt(decay, 3)).to_edge(DOWN, buff=0.25)
            self.play(FadeIn(note, shift=0.2 * UP), run_time=0.8)
            self.wait(1.0)
