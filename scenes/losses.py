"""Chapter 10 — MSE and cross-entropy: the losses and their gradients against the probability of the correct label,
then one classifier trained with each from the same start, and how fast its confident mistakes are corrected.

Every curve and number is read from the ``losses`` result (autograd curves; the stacked training runs).
"""
from __future__ import annotations

import numpy as np
from manim import (DOWN, DR, LEFT, RIGHT, UP, Axes, Circle, Create, DashedLine, FadeIn, FadeOut, GrowFromEdge, Line,
                   Rectangle, VGroup, config)

from lecture import theme
from lecture.text import fmt

from scenes.base import AXIS_NUMBERS, LectureScene, formulas_of, polyline

SLIDE = {
    "mse": r"J(w) = \frac{1}{2n} \sum_{i=1}^{n} (y_i - o_i)^2",
    "ce": r"J(w) = -\frac{1}{n} \sum_{i=1}^{n} \sum_{k=1}^{K} y_{ik} \log(o_{ik})",
}
ONE = {"mse": r"\tfrac{1}{2}(1 - p)^2", "ce": r"-\log p"}
LOSSES = ("mse", "ce")


class MSEvsCrossEntropy(LectureScene):
    """The slide's two losses; loss and |∂L/∂z| against p; the initial p of the digits; the race of the two losses."""

    chapter = 10
    title_key = "losses.title"
    race_seconds = 9.0
    loss_top = 4.0

    def typeset_ahead(self):
        return [*SLIDE.values(), *ONE.values(), *formulas_of(self.t("losses.one_sample"))]

    def colour(self, name: str) -> str:
        return theme.color("mse" if name == "mse" else "cross-entropy")

    def plot(self, x_range, y_range, x_length, y_length, x_key, y_key, x_size=20):
        axes = Axes(x_range=x_range, y_range=y_range, x_length=x_length, y_length=y_length, tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        x_name = self.text(x_key, font_size=x_size, color=self.muted).next_to(axes.x_axis, DOWN, buff=0.5)
        y_name = self.text(y_key, font_size=20, color=self.muted).next_to(axes, UP, buff=0.15).align_to(axes, LEFT)
        return axes, x_name, y_name

    def construct(self):
        res = self.result("losses")
        s = res.settings
        heads = VGroup()
        for name in LOSSES:
            head = VGroup(self.text(f"losses.name.{name}", font_size=28, color=self.colour(name), weight="BOLD"),
                          self.tex(SLIDE[name], font_size=36)).arrange(DOWN, buff=0.2)
            heads.add(head)
        heads.arrange(RIGHT, buff=1.2).move_to(UP * 1.6)
        with self.narration("losses.sub.intro"):
            card = self.title_card("losses.subtitle")
            self.park_title(card, FadeIn(heads[0], shift=0.1 * UP))
            self.play(FadeIn(heads[1], shift=0.1 * UP), run_time=0.8)
        ones = VGroup(*(self.tex(ONE[name], font_size=44, color=self.colour(name)).next_to(head, DOWN, buff=0.6)
                        for name, head in zip(LOSSES, heads)))
        target = self.mixed("losses.one_sample", font_size=26, color=self.ink).next_to(ones, DOWN, buff=0.6)
        with self.narration("losses.sub.formulas"):
            self.play(FadeIn(target), run_time=0.8)
            self.play(FadeIn(ones[0], shift=0.1 * DOWN), run_time=0.8)
            self.play(FadeIn(ones[1], shift=0.1 * DOWN), run_time=0.8)

        # --- the loss and its gradient against p
        p = res["p"]
        left = self.plot((0, 1, 0.25), (0, self.loss_top, 1), 5.4, 3.3, "losses.axis_p", "losses.axis_loss")
        right = self.plot((0, 1, 0.25), (0, 1, 0.25), 5.4, 3.3, "losses.axis_p", "losses.axis_grad_short")
        for (axes, x_name, y_name), x in zip((left, right), (-3.4, 3.4)):
            axes.move_to([x, -0.9, 0])
            x_name.next_to(axes.x_axis, DOWN, buff=0.5)
            y_name.next_to(axes, UP, buff=0.15).align_to(axes, LEFT)
        zones = VGroup()
        for axes, top in ((left[0], self.loss_top), (right[0], 1.0)):
            lo, hi = axes.c2p(0, 0), axes.c2p(float(s["confident_below"]), top)
            zones.add(Rectangle(width=hi[0] - lo[0], height=hi[1] - lo[1], stroke_width=0,
                                fill_color=theme.color("highlight"), fill_opacity=0.18).move_to((lo + hi) / 2))
        loss_curves = VGroup(*(polyline(left[0], p, res[f"curve/{name}"], color=self.colour(name), stroke_width=5)
                               for name in LOSSES))
        grad_curves = VGroup(*(polyline(right[0], p, res[f"curve/grad_size/{name}"], color=self.colour(name),
                                        stroke_width=5) for name in LOSSES))
        labels = VGroup()
        for name, y in (("ce", 2.2), ("mse", 0.75)):
            labels.add(self.text(f"losses.name.{name}", font_size=26, color=self.colour(name))
                       .next_to(left[0].c2p(0.3, y), RIGHT, buff=0.1))
        zone_label = self.text("losses.confident_zone", font_size=20, color=theme.color("highlight"))
        zone_label.next_to(left[0].c2p(float(s["confident_below"]), self.loss_top * 0.93), RIGHT, buff=0.12)
        with self.narration("losses.sub.loss_curves"):
            self.play(FadeOut(heads), FadeOut(target), FadeOut(ones), Create(left[0]), FadeIn(left[1]), FadeIn(left[2]),
                      FadeIn(zones[0]), FadeIn(zone_label), run_time=1.2)
            self.play(Create(loss_curves[0]), Create(loss_curves[1]), FadeIn(labels), run_time=2.0)
        # the gradients at the edge of the confident-mistake zone
        k = int(np.argmin(np.abs(p - float(s["confident_below"]))))
        marks, reads = VGroup(), VGroup()
        for name in LOSSES:
            g = abs(float(res[f"curve/grad/{name}"][k]))
            marks.add(Circle(0.09, color=self.colour(name), fill_opacity=1, stroke_width=0).move_to(right[0].c2p(p[k], g)))
            reads.add(self.plain(f"{self.t(f'losses.name.{name}')}: {fmt(g, 2)}", font_size=22, color=self.colour(name)))
        head = self.plain(f"p = {fmt(p[k], 2)}", font_size=22, color=self.ink)
        reads = VGroup(head, *reads[::-1]).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        reads.next_to(right[0].c2p(0.42, 0.98), DR, buff=0)
        with self.narration("losses.sub.grad_curves"):
            self.play(Create(right[0]), FadeIn(right[1]), FadeIn(right[2]), FadeIn(zones[1]), run_time=1.0)
            self.play(Create(grad_curves[0]), Create(grad_curves[1]), run_time=2.0)
            self.play(FadeIn(marks, scale=0.5), FadeIn(reads), run_time=1.0)

        # --- the training race: the start, then the share still wrong
        count, n = int(res["start_count"]), int(res["n"])
        setup = self.text("losses.setup", font_size=24, color=self.ink, lr=fmt(s["lr"]))
        setup.move_to(UP * 2.5)
        self.on_screen(setup)
        start = self.text("losses.start_line", font_size=24, color=theme.color("highlight"), c=fmt(s["confident_below"]),
                          count=count, n=n).next_to(setup, DOWN, buff=0.25)
        hist = self.start_histogram(res).move_to(DOWN * 1.0)
        bars, frame = hist[0], VGroup(*hist[1:])
        with self.narration("losses.sub.setup", count=count):
            self.play(FadeOut(VGroup(*left, *right, zones, loss_curves, grad_curves, labels, marks, reads, zone_label)),
                      FadeIn(setup), run_time=1.0)
            self.play(Create(frame), run_time=1.0)
            self.play(*(GrowFromEdge(bar, DOWN) for bar in bars), run_time=2.0)
            self.play(FadeIn(start, shift=0.1 * UP), bars[0].animate.set_fill(theme.color("highlight"), opacity=1),
                      run_time=1.2)
        self.race(res, setup, start, hist)

    def start_histogram(self, res) -> VGroup:
        """The probability of the correct label at the start, lecture seed: ten bins over [0, 1]."""
        pc = res["start/p_correct"]
        counts, _ = np.histogram(pc, bins=20, range=(0, 1))   # the first bin: p < 0.05
        axes = Axes(x_range=(0, 1, 0.1), y_range=(0, float(counts.max()), float(counts.max())), x_length=7.0,
                    y_length=3.0, tips=False, axis_config={"color": self.muted, "font_size": AXIS_NUMBERS},
                    x_axis_config={"include_numbers": True, "numbers_to_include": [0, 0.5, 1]})
        bars = VGroup()
        for i, c in enumerate(counts):
            lo, hi = axes.c2p(i / 20, 0), axes.c2p((i + 1) / 20, c)
            bars.add(Rectangle(width=(hi[0] - lo[0]) * 0.9, height=max(hi[1] - lo[1], 1e-3), stroke_width=0,
                               fill_color=self.muted, fill_opacity=0.8).move_to((lo + hi) / 2))
        x_name = self.text("losses.axis_p", font_size=20, color=self.muted).next_to(axes.x_axis, DOWN, buff=0.5)
        return VGroup(bars, axes, x_name)

    def race(self, res, setup, start, hist):
        epochs = res["epoch"]
        last = int(epochs[-1])
        axes, x_name, y_name = self.plot((0, last, 5), (0, 1, 0.25), 7.0, 3.4, "losses.axis_epoch",
                                         "losses.axis_still_short", x_size=26)   # the narration names the epochs
        axes.move_to(DOWN * 0.85 + LEFT * 2.7)
        x_name.next_to(axes.x_axis, DOWN, buff=0.5)
        y_name.next_to(axes, UP, buff=0.15).align_to(axes, LEFT)
        legend = VGroup(*(VGroup(Line(LEFT * 0.25, RIGHT * 0.25, color=self.colour(name), stroke_width=6),
                                 self.text(f"losses.name.{name}", font_size=26, color=self.colour(name)))
                          .arrange(RIGHT, buff=0.15) for name in LOSSES)).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        legend.next_to(axes, RIGHT, buff=0.6).align_to(axes, UP)
        counter_at = lambda e: self.text("losses.epoch_counter", font_size=24, color=self.ink, epoch=e, epochs=last
                                         ).next_to(legend, DOWN, buff=0.35).align_to(legend, LEFT)
        curves = [polyline(axes, epochs[:2], res[f"still_wrong/{name}"][:2], color=self.colour(name), stroke_width=5)
                  for name in LOSSES]
        counter = counter_at(0)

        def show(i):
            k = max(i + 1, 2)
            for c, name in zip(curves, LOSSES):
                c.become(polyline(axes, epochs[:k], res[f"still_wrong/{name}"][:k], color=self.colour(name),
                                  stroke_width=5))
            counter.become(counter_at(i))

        half = {name: int(res[f"half_epoch/{name}"]) for name in LOSSES}
        with self.narration("losses.sub.race", ce=half["ce"], mse=half["mse"]):
            self.play(FadeOut(hist), FadeOut(setup), start.animate.scale(0.9).move_to(UP * 2.55), run_time=0.6)
            self.play(Create(axes), FadeIn(x_name), FadeIn(y_name), FadeIn(legend), run_time=1.0)
            self.add(*curves, counter)
            self.step_through(last + 1, self.race_seconds, show)
            half_line = DashedLine(axes.c2p(0, 0.5), axes.c2p(last, 0.5), color=self.muted, stroke_width=2)
            dots = VGroup(*(Circle(0.09, color=self.colour(name), fill_opacity=1, stroke_width=0)
                            .move_to(axes.c2p(half[name], res[f"still_wrong/{name}"][half[name]]))
                            for name in LOSSES if half[name] <= last))
            self.play(Create(half_line), FadeIn(dots, scale=0.5), run_time=1.0)
        # the other seeds, thin, and the numbers after the last epoch
        others = VGroup()
        for name in LOSSES:
            for row in res[f"seeds/still_wrong/{name}"][1:]:
                others.add(polyline(axes, epochs, row, color=self.colour(name), stroke_width=1.5).set_stroke(opacity=0.5))
        seeds_note = self.text("losses.seeds_note", font_size=20, color=self.muted, k=len(res["seed_values"]) - 1)
        seeds_note.next_to(counter, DOWN, buff=0.3).align_to(legend, LEFT)
        pct = {name: fmt(100 * float(res[f"still_wrong/{name}"][-1]), 3) for name in LOSSES}
        lines = VGroup(self.text("losses.last_head", font_size=24, color=self.ink, epochs=last),
                       *(self.plain(f"{self.t(f'losses.name.{name}')} {pct[name]}%", font_size=26, color=self.colour(name))
                         for name in LOSSES))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.15).next_to(seeds_note, DOWN, buff=0.35).align_to(legend, LEFT)
        room = config.frame_width / 2 - self.margin - lines.get_left()[0]
        if lines.width > room:
            lines.scale_to_fit_width(room).align_to(legend, LEFT)
        with self.narration("losses.sub.seeds", seeds=len(res["seed_values"]), epochs=last, mse=pct["mse"], ce=pct["ce"]):
            self.play(FadeIn(others), FadeIn(seeds_note), run_time=1.5)
            self.play(FadeIn(lines, shift=0.1 * UP), run_time=1.0)
            self.wait(1.0)
