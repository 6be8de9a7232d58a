"""Chapter 6 — linear regression: least squares, maximum likelihood (LBFGS) and gradient descent meet at one point.

Every number is read from the stored ``linreg`` result; paths are the stored iterates.
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
    Circle,
    Create,
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
from lecture.text import fixed, fmt, tex_number

from scenes.base import AXIS_NUMBERS, LectureScene, redraw_on_change
from scenes.contours import contour_lines
from scenes.coordinates import framed_axes
from scenes.traces import point_at, runner, trace


class LinearRegression(LectureScene):
    """Data and the closed form; the likelihood surface; LBFGS and gradient descent reach the same (w0, w1); one neuron."""

    chapter = 6
    title_key = "linear-regression.title"
    ml_seconds = 4.0
    gd_seconds = 5.0
    gd_frames = 150

    def typeset_ahead(self):
        """The least-squares estimates and the neuron's weights (typeset ahead in one run)."""
        w = self.result("linreg")["w_ls"]
        return [*self.estimate_texs(w), *self.weight_texs(w)]

    @staticmethod
    def estimate_texs(w) -> tuple[str, str]:
        return (r"\hat w_1 = \frac{\sum (x_i - \bar x)(y_i - \bar y)}{\sum (x_i - \bar x)^2} = "
                + tex_number(w[1], decimals=3),
                r"\hat w_0 = \bar y - \hat w_1 \bar x = " + tex_number(w[0], decimals=3))

    @staticmethod
    def weight_texs(w) -> tuple[str, str]:
        return r"w_0 = " + tex_number(w[0], decimals=3), r"w_1 = " + tex_number(w[1], decimals=3)

    def construct(self):
        res = self.result("linreg")
        x, y = res["x"], res["y"]
        w_ls = res["w_ls"]
        data_axes = Axes(x_range=(0, 4, 1), y_range=(0, 4.5, 1), x_length=5.4, y_length=4.4, tips=False,
                         axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        data_axes.move_to(LEFT * 3.5 + DOWN * 0.55)
        dots = VGroup(*(Dot(data_axes.c2p(a, b), radius=0.05, color=self.muted) for a, b in zip(x, y)))
        data_names = VGroup(self.tex("x", font_size=40).next_to(data_axes.x_axis, DOWN, buff=0.12),
                            self.tex("y", font_size=40).next_to(data_axes.y_axis, UP, buff=0.12))
        model = self.tex(r"y_i = w_0 + w_1 x_i + \varepsilon_i,\ \ \varepsilon_i \sim N(0, \sigma^2)", font_size=34)
        model.to_edge(UP, buff=1.0)
        with self.narration("linear-regression.sub.intro", n=len(x)):  # the data's axes come in as the card leaves
            self.park_title(self.title_card("linear-regression.subtitle"), Create(data_axes), FadeIn(data_names))
            self.play(FadeIn(dots, lag_ratio=0.03), Write(model), run_time=2.0)
            dots = self.settle(dots)
        ls_color = theme.color("least-squares")
        formulas = VGroup(*(self.tex(f, font_size=34, color=ls_color) for f in self.estimate_texs(w_ls))).arrange(DOWN, aligned_edge=LEFT, buff=0.3).move_to(RIGHT * 3.4 + UP * 0.3)
        ls_line = self.fit_line(data_axes, w_ls, ls_color, 6)
        with self.narration("linear-regression.sub.ls", w0=fmt(w_ls[0], decimals=3), w1=fmt(w_ls[1], decimals=3)):
            self.play(Write(formulas), run_time=2.0)
            self.play(Create(ls_line), run_time=1.0)

        g0, g1, S = res["grid_w0"], res["grid_w1"], res["loglik_grid"]
        surf, frame = framed_axes((float(g0[0]), float(g0[-1]), 1), (float(g1[0]), float(g1[-1]), 0.5), 5.6, 4.4,
                                  (-2, -1, 0, 1, 2, 3), (0, 0.5, 1, 1.5, 2), color=self.muted,
                                  font_size=AXIS_NUMBERS)
        VGroup(surf, frame).move_to(RIGHT * 3.5 + DOWN * 0.55)
        top = float(S.max())
        lines = contour_lines(surf, g0, g1, S, top - np.geomspace(0.5, 300, 10), color=self.muted)
        # each name beside its own panel's tick labels (the frame holds them), clear of the data plot
        axis_names = VGroup(self.tex("w_0", font_size=40).next_to(frame, DOWN, buff=0.12),
                            self.tex("w_1", font_size=40).next_to(frame, LEFT, buff=0.12))
        star = self.tex("+", font_size=54, color=theme.color("highlight")).move_to(surf.c2p(*w_ls))
        lik = self.tex(r"\log L(w_0, w_1, \hat\sigma)", font_size=30, color=self.muted).next_to(frame, UP, buff=0.12)
        with self.narration("linear-regression.sub.surface"):
            self.play(FadeOut(formulas), FadeOut(model), run_time=0.6)
            self.play(Create(frame), Create(lines), FadeIn(axis_names), FadeIn(lik), run_time=1.5)
            self.play(FadeIn(star, scale=0.5), run_time=0.6)

        # maximum likelihood: LBFGS's evaluations, one by one
        ml = res["ml_path"]
        ml_color = theme.color("max-likelihood")
        clip = (np.array([g0[0], g1[0]]), np.array([g0[-1], g1[-1]]))
        tracker = ValueTracker(0)
        path2 = ml[:, :2]
        ml_trace = trace(surf, path2, tracker, ml_color, width=3, clip=clip)
        ml_dot = runner(surf, path2, tracker, ml_color, radius=0.08, clip=clip)
        ml_line = always_redraw(lambda: self.fit_line(data_axes, point_at(path2, tracker.get_value()), ml_color, 3))
        loglik = res["ml_loglik"]
        counter = redraw_on_change(lambda: self.text(
            "linear-regression.ml_counter", font_size=22, color=ml_color, k=int(round(tracker.get_value())),
            total=len(ml) - 1, ll=fixed(loglik[int(round(tracker.get_value()))], 2)).move_to([3.5, 3.15, 0]),
            lambda: int(round(tracker.get_value())))
        w_ml, s_ml = res["w_ml"], res.scalar("sigma_ml")
        with self.narration("linear-regression.sub.ml", w0=fmt(w_ml[0], decimals=3), w1=fmt(w_ml[1], decimals=3),
                            sigma=fmt(s_ml, decimals=3)):
            self.add(ml_trace, ml_dot, ml_line, counter)
            self.play(tracker.animate.set_value(len(ml) - 1), run_time=self.ml_seconds, rate_func=linear)
            readout = self.text("linear-regression.readout", font_size=22, color=ml_color,
                                name=self.t("linear-regression.method.ml"), w0=fixed(w_ml[0], 3), w1=fixed(w_ml[1], 3))
            readout.move_to([3.5, 3.15, 0])
            self.play(FadeOut(counter), FadeIn(readout), run_time=0.5)
        for m in (ml_dot, ml_line, counter):
            m.clear_updaters()
        self.remove(ml_line)

        # gradient descent: the stored path, every k-th step
        gd = res["gd_path"]
        gd_color = theme.color("GD")
        idx = np.unique(np.round(np.geomspace(1, len(gd), self.gd_frames)).astype(int) - 1)
        thin = gd[idx]
        t2 = ValueTracker(0)
        gd_trace = trace(surf, thin, t2, gd_color, width=3, clip=clip)
        gd_dot = runner(surf, thin, t2, gd_color, radius=0.08, clip=clip)
        gd_line = always_redraw(lambda: self.fit_line(data_axes, point_at(thin, t2.get_value()), gd_color, 3))
        gd_counter = redraw_on_change(lambda: self.text(
            "linear-regression.gd_counter", font_size=22, color=gd_color,
            k=int(idx[int(round(t2.get_value()))]), total=len(gd) - 1).move_to([3.5, 2.7, 0]),
            lambda: int(round(t2.get_value())))
        w_gd = res["w_gd"]
        with self.narration("linear-regression.sub.gd", steps=len(gd) - 1, w0=fmt(w_gd[0], decimals=3),
                            w1=fmt(w_gd[1], decimals=3)):
            self.add(gd_trace, gd_dot, gd_line, gd_counter)
            self.play(t2.animate.set_value(len(thin) - 1), run_time=self.gd_seconds, rate_func=linear)
            gd_readout = self.text("linear-regression.readout", font_size=22, color=gd_color,
                                   name=self.t("linear-regression.method.gd"), w0=fixed(w_gd[0], 3),
                                   w1=fixed(w_gd[1], 3))
            gd_readout.move_to([3.5, 2.7, 0])
            self.play(FadeOut(gd_counter), FadeIn(gd_readout), run_time=0.5)
        for m in (gd_dot, gd_line, gd_counter):
            m.clear_updaters()

        with self.narration("linear-regression.sub.neuron"):
            neuron = self.neuron(w_ls).move_to(LEFT * 3.5 + DOWN * 0.4)
            self.play(FadeOut(VGroup(data_axes, data_names, dots, ls_line, gd_line)), run_time=0.6)
            self.play(FadeIn(neuron, lag_ratio=0.1), run_time=1.5)
            self.wait(1.0)

    def fit_line(self, axes, w, color, width):
        """y = w0 + w1·x where it lies inside the data plot (cut at its edges, never clamped onto them;
        invisible where it misses the plot)."""
        (x_lo, x_hi), (y_lo, y_hi) = axes.x_range[:2], axes.y_range[:2]
        lo, hi = float(x_lo), float(x_hi)
        w0, w1 = float(w[0]), float(w[1])
        if abs(w1) > 1e-12:
            a, b = sorted(((y_lo - w0) / w1, (y_hi - w0) / w1))
            lo, hi = max(lo, a), min(hi, b)
        elif not y_lo <= w0 <= y_hi:
            hi = lo - 1
        if hi <= lo:
            return Line(axes.c2p(x_lo, y_lo), axes.c2p(x_lo, y_lo), color=color, stroke_width=width).set_stroke(opacity=0)
        return Line(axes.c2p(lo, w0 + w1 * lo), axes.c2p(hi, w0 + w1 * hi), color=color, stroke_width=width)

    def neuron(self, w) -> VGroup:
        """ŷ = g(w0·1 + w1·x), g the identity, drawn with the least-squares weights."""
        color = theme.color("least-squares")
        one = VGroup(Circle(radius=0.4, color=self.ink), self.tex("1", font_size=34)).move_to(LEFT * 2.2 + UP * 1.1)
        xin = VGroup(Circle(radius=0.4, color=self.ink), self.tex("x", font_size=40)).move_to(LEFT * 2.2 + DOWN * 1.1)
        body = VGroup(Circle(radius=0.6, color=self.ink), self.tex(r"\Sigma \,|\, g", font_size=34))
        out = self.tex(r"\hat y", font_size=40).move_to(RIGHT * 2.4)
        a1 = Arrow(one.get_right(), body.get_left() + UP * 0.15, buff=0.1, color=self.muted)
        a2 = Arrow(xin.get_right(), body.get_left() + DOWN * 0.15, buff=0.1, color=self.muted)
        a3 = Arrow(body.get_right(), out.get_left(), buff=0.1, color=self.muted)
        w0_tex, w1_tex = self.weight_texs(w)
        l1 = self.tex(w0_tex, font_size=28, color=color).next_to(a1.get_center(), UP + RIGHT, buff=0.12)
        l2 = self.tex(w1_tex, font_size=28, color=color).next_to(a2.get_center(), DOWN + RIGHT, buff=0.12)
        formula = self.tex(r"\hat y = g(w_0 + w_1 x),\ \ g(u) = u", font_size=32).move_to(DOWN * 2.4)
        return VGroup(a1, a2, a3, one, xin, body, out, l1, l2, formula)
