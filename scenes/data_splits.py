"""Chapter 10 — the data cut 60/20/20 into training, validation and test, the train and validation loss of one run, and its test loss, measured once.

The sizes, curves and the chosen epoch are read from the ``data-splits`` result; nothing is trained here.
"""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, PI, RIGHT, UP, Axes, Create, DashedLine, Dot, FadeIn, FadeOut, Line, Rectangle, Square,
                   VGroup, config)

from lecture import theme
from lecture.text import fmt

from scenes.base import AXIS_NUMBERS, LectureScene, polyline, power_tex

SPLITS = ("train", "validation", "test")


class DataSplits(LectureScene):
    """The bar of all the data cut in three; the loss of each part while one network trains; the chosen epoch."""

    chapter = 10
    title_key = "data-splits.title"
    bar_width = 11.0
    grow_seconds = 6.0

    def lines(self, content: str, **style) -> VGroup:
        """Text on several lines (split at newlines), each line centred."""
        return VGroup(*(self.plain(line, **style) for line in content.split("\n"))).arrange(DOWN, buff=0.08)

    @staticmethod
    def loss_decades(res) -> tuple[float, float]:
        """The loss axis's ends in decades: the lowest loss's decade, the highest's half-decade above."""
        losses = [res["loss/train"], res["loss/validation"], np.atleast_1d(res["best/loss/test"])]
        lo = float(np.floor(np.log10(min(float(v.min()) for v in losses))))
        hi = float(np.ceil(np.log10(max(float(v.max()) for v in losses)) * 2) / 2)
        return lo, hi

    @staticmethod
    def powers(lo: float, hi: float) -> list[int]:
        """The loss axis's labelled powers of ten: each whole one between the ends."""
        return [int(p) for p in np.arange(np.ceil(lo), hi + 0.01)]

    def typeset_ahead(self):
        return [power_tex(p) for p in self.powers(*self.loss_decades(self.result("data-splits")))]

    def construct(self):
        res = self.result("data-splits")
        sizes = [int(v) for v in res["sizes"]]
        n = int(res["n"])
        epochs = res["epoch"]
        best = int(res["best_epoch"])
        bar, left = VGroup(), -self.bar_width / 2
        for name, size in zip(SPLITS, sizes):
            w = self.bar_width * size / n
            rect = Rectangle(width=w, height=1.0, stroke_width=2, stroke_color=self.colors["background"],
                             fill_color=theme.color(name), fill_opacity=1).move_to([left + w / 2, 2.3, 0])
            label = self.lines(self.t("data-splits.bar_label", name=self.t(f"data-splits.split.{name}"),
                                      pct=round(100 * size / n), n=size), font_size=25, color="#FFFFFF", weight="BOLD")
            if label.width > w - 0.15:
                label.scale_to_fit_width(w - 0.15)
            label.move_to(rect)
            role = self.lines(self.t(f"data-splits.role.{name}"), font_size=25, color=theme.color(name))
            if role.width > w - 0.1:
                role.scale_to_fit_width(w - 0.1)
            role.next_to(rect, DOWN, 0.15)
            bar.add(VGroup(rect, label, role))
            left += w
        with self.narration("data-splits.sub.intro", n=n):  # the data cut in three while the sentence says so
            self.park_title(self.title_card("data-splits.subtitle"))
            self.play(FadeIn(VGroup(*(VGroup(rect, label) for rect, label, _ in bar)), lag_ratio=0.3), run_time=1.2)
        with self.narration("data-splits.sub.split", train=sizes[0], val=sizes[1], test=sizes[2]):
            for _, _, role in bar:  # what each part is for
                self.play(FadeIn(role, shift=0.1 * DOWN), run_time=0.7)

        lo, hi = self.loss_decades(res)
        last = int(epochs[-1])
        # the y axis is log10(loss) − lo, so that the epoch axis sits at the bottom
        axes = Axes(x_range=(0, last, 10), y_range=(0, hi - lo, 1), x_length=8.4, y_length=3.6, tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS},
                    x_axis_config={"include_numbers": True})
        axes.move_to(DOWN * 1.25 + LEFT * 1.4)
        y_labels = VGroup(*(self.tex(power_tex(p), font_size=AXIS_NUMBERS + 2, color=self.muted).next_to(axes.c2p(0, p - lo), LEFT, 0.12)
                            for p in self.powers(lo, hi)))
        # the parts' names, the epoch and the loss are named by the narration as they come in: 3 % of the frame
        x_name = self.text("data-splits.axis_epoch", font_size=25, color=self.muted).next_to(axes, DOWN, 0.1)
        x_name.align_to(axes, RIGHT)
        y_name = self.text("data-splits.axis_loss", font_size=25, color=self.muted).next_to(axes, UP, 0.1)
        y_name.align_to(axes, LEFT)
        # train and validation are curves (every epoch); the test is one point (measured once)
        legend = VGroup(*(VGroup(Line(LEFT * 0.25, RIGHT * 0.25, color=theme.color(s), stroke_width=6),
                                 self.text(f"data-splits.split.{s}", font_size=25, color=theme.color(s)))
                          .arrange(RIGHT, buff=0.15) for s in SPLITS[:2]),
                        VGroup(Square(0.2, color=theme.color("test"), fill_opacity=1, stroke_width=0).rotate(PI / 4)
                               .scale(1.0), self.text("data-splits.test_once", font_size=25, color=theme.color("test")))
                        .arrange(RIGHT, buff=0.15)).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        legend.next_to(axes, RIGHT, buff=0.4).shift(UP * 1.0)

        def curve(name, epoch):
            k = max(2, epoch + 1)
            return polyline(axes, epochs[:k], np.log10(res[f"loss/{name}"][:k]) - lo, color=theme.color(name),
                            stroke_width=4)

        def counter_at(epoch):
            return self.text("data-splits.epoch_counter", font_size=22, color=self.ink, epoch=epoch, total=last
                             ).next_to(legend, DOWN, buff=0.4, aligned_edge=LEFT)

        curves, counter = [curve(name, 1) for name in SPLITS[:2]], counter_at(1)

        def show(i):  # epoch i + 1: the train and validation curves so far and the counter
            for c, name in zip(curves, SPLITS[:2]):
                c.become(curve(name, i + 1))
            counter.become(counter_at(i + 1))

        with self.narration("data-splits.sub.train"):
            # the parts' roles have been said: they make room for the loss curves (the coloured parts stay)
            self.play(FadeOut(VGroup(*(role for _, _, role in bar))), Create(axes), FadeIn(y_labels), FadeIn(x_name),
                      FadeIn(y_name), FadeIn(legend), run_time=1.0)
            self.add(*curves, counter)
            self.step_through(last, self.grow_seconds, show)

        hl = theme.color("validation")
        v_best = float(res["best/loss/validation"])
        with self.narration("data-splits.sub.select", epoch=best, val=fmt(v_best, 3)):
            line = DashedLine(axes.c2p(best, 0), axes.c2p(best, hi - lo), color=self.ink, stroke_width=3)
            dot = Dot(axes.c2p(best, np.log10(v_best) - lo), radius=0.1, color=hl)
            self.play(Create(line), FadeIn(dot, scale=0.5), run_time=1.0)
        test_acc = fmt(100 * float(res["best/acc/test"]), 3)
        with self.narration("data-splits.sub.report", epoch=best, loss=fmt(res["best/loss/test"], 3), acc=test_acc):
            note = self.text("data-splits.report_line", font_size=24, epoch=best, loss=fmt(res["best/loss/test"], 3),
                             acc=test_acc)
            note.next_to(counter, DOWN, buff=0.3, aligned_edge=LEFT)
            room = config.frame_width / 2 - self.margin - note.get_left()[0]
            if note.width > room:
                note.scale_to_fit_width(room).align_to(counter, LEFT)
            t_loss = float(res["best/loss/test"])
            mark = Square(0.22, color=theme.color("test"), fill_opacity=1, stroke_color=self.colors["background"],
                          stroke_width=2).rotate(PI / 4).move_to(axes.c2p(best, np.log10(t_loss) - lo))
            self.play(FadeIn(mark, scale=0.5), run_time=0.8)  # the test loss, one point
            self.play(FadeIn(note), run_time=0.8)
