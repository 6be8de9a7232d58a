"""Chapter 7 — gradient descent on a parabola, four learning rates, and SGD's jitter against GD.

Every number on screen is read from the stored ``gd-parabola`` and
``gd-regression`` results (torch.optim.SGD); nothing is trained here.
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Create,
    GrowArrow,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    linear,
)

from lecture import theme
from lecture.text import fmt, tex_number

from scenes.base import AXIS_NUMBERS, LectureScene, polyline, redraw_on_change
from scenes.contours import contour_lines
from scenes.coordinates import framed_axes
from scenes.traces import point_at, runner, swatch, trace

LR_ROLES = ("lr-slow", "lr-good", "lr-oscillating", "lr-diverging")


class GradientDescentParabola(LectureScene):
    """J(w) = w² from w = 10 with η = 0.2: the tangent and the update rule with each step's numbers."""

    chapter = 7
    title_key = "gradient-descent.title"
    lr_shown = 0.2
    steps_explained = 3

    def shown(self, res):
        """The learning rate the video explains: its index, value and path (w, J, ∂J/∂w)."""
        k = int(np.argmin(np.abs(res["lrs"] - self.lr_shown)))
        return k, float(res["lrs"][k]), res["w"][:, k], res["J"][:, k], res["grad"][:, k]

    @staticmethod
    def step_texs(w, g, lr: float, t: int) -> tuple[str, str]:
        return (rf"\frac{{\partial J}}{{\partial w}} = 2w = {tex_number(g[t], decimals=2)}",
                rf"w = {tex_number(w[t], decimals=2)} - {fmt(lr)} \times {tex_number(g[t], decimals=2)} = "
                rf"{tex_number(w[t + 1], decimals=2)}")

    @staticmethod
    def readout_tex(path, t: int) -> str:
        return rf"t = {int(t)},\quad w = {tex_number(point_at(path, t)[0], decimals=2)}"

    def typeset_ahead(self):
        """η, the explained steps and the readout of every later step (typeset ahead in one run)."""
        res = self.result("gd-parabola")
        k, lr, w, J, g = self.shown(res)
        path = np.column_stack([w, J])
        found = [r"\eta = " + fmt(lr)]
        for t in range(self.steps_explained):
            found += self.step_texs(w, g, lr, t)
        return found + [self.readout_tex(path, t) for t in range(self.steps_explained, int(res["last"][k]) + 1)]

    def construct(self):
        res = self.result("gd-parabola")
        k, lr, w, J, g = self.shown(res)
        color = theme.color(LR_ROLES[k % 4])
        axes = Axes(x_range=(-12, 12, 4), y_range=(0, 120, 20), x_length=6.6, y_length=5.0, tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        axes.move_to(LEFT * 3.2 + DOWN * 0.45)
        inside = res["curve_J"] <= axes.y_range[1]
        curve = polyline(axes, res["curve_w"][inside], res["curve_J"][inside], color=self.muted, stroke_width=4)
        label = self.tex(r"J(w) = w^2", font_size=34).move_to(axes.c2p(-5.5, 114))
        rule = self.tex(r"w := w - \eta\, \frac{\partial J}{\partial w}", font_size=44).to_edge(UP, buff=0.9)
        rule.set_x(3.4)
        eta = self.tex(r"\eta = " + fmt(lr), font_size=40, color=color).next_to(rule, DOWN, buff=0.3)
        dot = Dot(axes.c2p(w[0], J[0]), radius=0.1, color=color)
        downhill = Arrow(axes.c2p(w[0], J[0]), axes.c2p(0.6 * w[0], (0.6 * w[0]) ** 2), buff=0.2, color=color,
                         stroke_width=5)
        card = self.title_card("gradient-descent.subtitle")  # its sentence is read over the parabola
        with self.narration("gradient-descent.sub.intro"):  # where we start, and the way down
            self.park_title(card, Create(axes), Create(curve), FadeIn(label))
            self.play(FadeIn(dot, scale=0.5), run_time=0.6)
            self.play(GrowArrow(downhill), run_time=1.0)
        with self.narration("gradient-descent.sub.rule", lr=fmt(lr)):
            self.play(Write(rule), FadeIn(eta), FadeOut(downhill), run_time=1.5)
        work = VGroup()
        for t in range(self.steps_explained):
            tangent = self.tangent(axes, w[t], J[t], g[t], color)
            slope_tex, update_tex = self.step_texs(w, g, lr, t)
            slope = self.tex(slope_tex, font_size=34)
            update = self.tex(update_tex, font_size=34, color=color)
            lines = VGroup(slope, update).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
            lines.next_to(eta, DOWN, buff=0.5).set_x(3.4)
            with self.narration("gradient-descent.sub.step", t=t + 1, w=fmt(w[t], decimals=2), g=fmt(g[t], decimals=2),
                                new=fmt(w[t + 1], decimals=2)):
                self.play(FadeOut(work), Create(tangent), FadeIn(slope), run_time=1.0)
                self.play(Write(update), run_time=1.0)
                self.play(dot.animate.move_to(axes.c2p(w[t + 1], J[t + 1])), FadeOut(tangent), run_time=1.0)
            work = lines

        last = int(res["last"][k])
        tracker = ValueTracker(self.steps_explained)
        path = np.column_stack([w, J])
        dot.add_updater(lambda d: d.move_to(axes.c2p(*point_at(path, tracker.get_value()))))
        readout = redraw_on_change(lambda: self.tex(self.readout_tex(path, round(tracker.get_value())),
                                                    font_size=36, color=color).next_to(eta, DOWN, buff=0.5).set_x(3.4),
                                   lambda: round(tracker.get_value()))
        with self.narration("gradient-descent.sub.rest", steps=last, w=fmt(w[last], decimals=2)):
            self.play(FadeOut(work), FadeIn(readout), run_time=0.5)
            self.play(tracker.animate.set_value(last), run_time=3.0, rate_func=linear)
        dot.clear_updaters()
        readout.clear_updaters()
        with self.narration("gradient-descent.sub.takeaway"):
            note = self.text("gradient-descent.takeaway", font_size=28, color=theme.color("highlight"))
            note.to_edge(DOWN, buff=0.3)
            self.play(FadeIn(note, shift=0.2 * UP), run_time=0.8)
            self.wait(1.0)

    def tangent(self, axes, w0: float, j0: float, slope: float, color: str) -> Line:
        half = 3.0 / np.sqrt(1 + (slope * axes.y_length / 120 * 24 / axes.x_length) ** 2)
        a, b = w0 - half, w0 + half
        return Line(axes.c2p(a, j0 + slope * (a - w0)), axes.c2p(b, j0 + slope * (b - w0)), color=color,
                    stroke_width=4)


class LearningRates(LectureScene):
    """The four learning rates side by side: slow, good, oscillating, diverging (stopped and flagged)."""

    chapter = 7
    title_key = "gradient-descent.lr_title"
    run_seconds = 9.0

    def typeset_ahead(self):
        """Each panel's learning rate (typeset ahead in one run)."""
        return [r"\eta = " + fmt(lr) for lr in self.result("gd-parabola")["lrs"]]

    def construct(self):
        res = self.result("gd-parabola")
        lrs = res["lrs"]
        steps = res["w"].shape[0] - 1
        panels, paths, tracker = VGroup(), [], ValueTracker(0)
        for k in range(len(lrs)):
            w, J = res["w"][:, k], res["J"][:, k]
            span = max(12.0, float(np.nanmax(np.abs(w))) * 1.1)
            top = max(150.0, float(np.nanmax(J)) * 1.15)
            axes = Axes(x_range=(-span, span, span), y_range=(0, top, top), x_length=3.0, y_length=3.4, tips=False,
                        axis_config={"color": self.muted, "font_size": 16, "include_numbers": False})
            grid_w = np.linspace(-span, span, 200)
            curve = polyline(axes, grid_w, grid_w ** 2, color=self.muted, stroke_width=3)
            color = theme.color(LR_ROLES[k % 4])
            head = self.tex(r"\eta = " + fmt(lrs[k]), font_size=34, color=color).next_to(axes, UP, buff=0.2)
            # what the narration names each panel by: large enough to read, broken into lines to fit
            kind = self.wrapped(self.t(f"gradient-descent.lr_kind.{k}"), 3.1, font_size=22, color=color,
                                line_gap=0.08).next_to(axes, DOWN, buff=0.2)
            panels.add(VGroup(axes, curve, head, kind))
            paths.append((axes, np.column_stack([w, J]), color))
        panels.arrange(RIGHT, buff=0.35).move_to(DOWN * 0.2)
        if panels.width > 13.4:
            panels.scale_to_fit_width(13.4)
        traces = [trace(a, p, tracker, c, width=3) for a, p, c in paths]
        dots = [runner(a, p, tracker, c, radius=0.07) for a, p, c in paths]
        with self.narration("gradient-descent.sub.lr_intro"):  # the four parabolas come in as the card leaves
            self.park_title(self.title_card(), FadeIn(VGroup(*(VGroup(p[0], p[1]) for p in panels)), lag_ratio=0.1))
        with self.narration("gradient-descent.sub.lr_panels", start=fmt(res["w"][0, 0])):
            # the same start on every panel, then each panel's learning rate
            self.play(*(FadeIn(d, scale=0.5) for d in dots), run_time=0.8)
            self.play(FadeIn(VGroup(*(VGroup(p[2], p[3]) for p in panels)), lag_ratio=0.2), run_time=1.5)
        self.add(*traces)
        self.bring_to_front(*dots)
        with self.narration("gradient-descent.sub.lr_run", steps=steps):
            self.play(tracker.animate.set_value(steps), run_time=self.run_seconds, rate_func=linear)
        for d in dots:
            d.clear_updaters()
        verdicts = VGroup()
        for k, (axes, path, color) in enumerate(paths):
            if bool(res["diverged"][k]):
                v = self.text("gradient-descent.verdict.diverged", font_size=18, color=theme.color("highlight"),
                              step=int(res["last"][k]))
            else:
                v = self.text("gradient-descent.verdict.final", font_size=18, color=self.ink, steps=steps,
                              w=fmt(res["w"][-1, k], 3))
            verdicts.add(v.next_to(panels[k], DOWN, buff=0.15))
        with self.narration("gradient-descent.sub.lr_end", lr=fmt(lrs[-1])):  # panel by panel, as it is read
            for verdict in verdicts:
                self.play(FadeIn(verdict, shift=0.1 * UP), run_time=0.9)
            self.wait(1.0)


class SGDJitter(LectureScene):
    """GD's smooth path against SGD's jitter over the contours of J(w0, w1); the fitted lines move alongside."""

    chapter = 7
    title_key = "gradient-descent.sgd_title"
    run_seconds = 12.0

    @staticmethod
    def estimate_tex(w_ls) -> str:
        return rf"({tex_number(w_ls[0], decimals=3)},\ {tex_number(w_ls[1], decimals=3)})"

    def typeset_ahead(self):
        """The least-squares estimate beside its + (typeset ahead in one run)."""
        return [self.estimate_tex(self.result("gd-regression")["w_ls"])]

    def construct(self):
        res = self.result("gd-regression")
        updates = res["path/GD"].shape[0] - 1
        w0s, w1s = res["grid_w0"], res["grid_w1"]
        left, frame = framed_axes((float(w0s[0]), float(w0s[-1]), 1), (float(w1s[0]), float(w1s[-1]), 0.5), 6.0, 4.6,
                                  (-3, -2, -1, 0, 1, 2, 3), (-0.5, 0.5, 1.5, 2.5), color=self.muted)
        VGroup(left, frame).move_to(LEFT * 3.05 + DOWN * 0.35)
        levels = res.scalar("J_ls") + np.geomspace(0.02, 6, 9)
        lines = contour_lines(left, w0s, w1s, res["grid_J"], levels, color=self.muted)
        labels = VGroup(self.tex("w_0", font_size=40).next_to(frame, DOWN, buff=0.1),
                        self.tex("w_1", font_size=40).next_to(frame, LEFT, buff=0.1))
        w_ls = res["w_ls"]
        star = self.tex(r"+", font_size=48, color=self.ink).move_to(left.c2p(*w_ls))
        star_label = self.tex(self.estimate_tex(w_ls), font_size=30).next_to(star, UP + RIGHT, buff=0.05)
        x, y = res["x"], res["y"]
        right = Axes(x_range=(0, 4, 1), y_range=(-0.5, 4.5, 1), x_length=5.2, y_length=4.6, tips=False,
                     axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        right.move_to(RIGHT * 3.7 + DOWN * 0.35)
        dots = VGroup(*(Dot(right.c2p(a, b), radius=0.04, color=self.muted) for a, b in zip(x, y)))
        with self.narration("gradient-descent.sub.sgd_intro"):  # the loss's contours come in as the card leaves
            self.park_title(self.title_card(), Create(frame), Create(lines), FadeIn(labels))
        with self.narration("gradient-descent.sub.sgd_setup", w0=fmt(w_ls[0], 3), w1=fmt(w_ls[1], 3)):
            self.play(FadeIn(star, scale=3), run_time=1.0)
            self.play(FadeIn(star_label), run_time=0.8)
            self.play(Create(right), run_time=1.2)
            self.play(FadeIn(dots, lag_ratio=0.05), run_time=1.5)
            dots = self.settle(dots)

        tracker = ValueTracker(0)
        legend = VGroup()
        movers = []
        for name, role in (("GD", "GD"), ("SGD", "SGD")):
            path, color = res[f"path/{name}"], theme.color(role)
            movers += [trace(left, path, tracker, color, width=3), runner(left, path, tracker, color, radius=0.07)]
            movers.append(always_redraw(lambda path=path, color=color: self.fit_line(right, path, tracker, color)))
            legend.add(VGroup(swatch(color), self.text(f"gradient-descent.method.{name}", font_size=24, color=color))
                       .arrange(RIGHT, buff=0.12))
        legend.arrange(RIGHT, buff=0.5).to_edge(UP, buff=0.95)
        counter = redraw_on_change(lambda: self.text("gradient-descent.update_counter", font_size=22,
                                                     color=self.muted, t=int(round(tracker.get_value())),
                                                     total=updates).next_to(right, UP, buff=0.12),
                                   lambda: int(round(tracker.get_value())))
        self.add(*movers)
        with self.narration("gradient-descent.sub.sgd_run", updates=updates):
            self.play(FadeIn(legend), FadeIn(counter), FadeOut(star_label), run_time=0.6)
            self.play(tracker.animate.set_value(updates), run_time=self.run_seconds, rate_func=linear)
        counter.clear_updaters()
        J_gd, J_sgd = res["J/GD"][-1], res["J/SGD"][-1]
        with self.narration("gradient-descent.sub.sgd_end", gd=fmt(J_gd, 3), sgd=fmt(J_sgd, 3),
                            ls=fmt(res.scalar("J_ls"), 3)):
            note = self.text("gradient-descent.sgd_readout", font_size=24, color=self.ink, gd=fmt(J_gd, 3),
                             sgd=fmt(J_sgd, 3), ls=fmt(res.scalar("J_ls"), 3)).to_edge(DOWN, buff=0.25)
            self.play(FadeIn(note), run_time=0.8)
            self.wait(1.0)

    def fit_line(self, axes, path, tracker, color):
        w0, w1 = point_at(path, tracker.get_value())
        xs = np.linspace(0, 4, 81)
        ys = w0 + w1 * xs
        inside = (ys >= axes.y_range[0]) & (ys <= axes.y_range[1])
        if not inside.any():
            inside[:] = True
        xs, ys = xs[inside], ys[inside]
        return Line(axes.c2p(xs[0], ys[0]), axes.c2p(xs[-1], ys[-1]), color=color, stroke_width=4)
