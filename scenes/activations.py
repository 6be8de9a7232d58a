"""Chapter 2 — activation functions, their derivatives, and why sigmoid' ≤ 0.25 matters.

Every curve and number comes from the stored ``activations`` result (torch
functions, derivatives by autograd).
"""
from __future__ import annotations

import numpy as np
from manim import (
    SingleStringMathTex,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    LogBase,
    VGroup,
    Write,
)

from lecture import theme
from lecture.text import fmt

from scenes.base import AXIS_NUMBERS, LectureScene, Reaxes, numbers_at_edges, polyline

FORMULA = {
    "identity": r"a(x) = x",
    "sigmoid": r"a(x) = \frac{1}{1 + e^{-x}}",
    "tanh": r"a(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    "relu": r"a(x) = \max(x, 0)",
}
# the panels' numbers: the derivative panel is shrunk to 0.84 beside the chain's plot, and its numbers
# stay at AXIS_NUMBERS there
PANEL_NUMBERS = 31
Y_RANGE = {"identity": (-4, 4, 2), "sigmoid": (-1.5, 1.5, 0.5), "tanh": (-1.5, 1.5, 0.5), "relu": (-4, 4, 2)}


class ActivationFunctions(LectureScene):
    """Each function with its formula, then its derivative; ends on sigmoid' ≤ 0.25."""

    chapter = 2
    title_key = "activations.title"
    x_range = (-4, 4, 2)
    panel_size = (5.4, 3.6)
    chain_layers_shown = 10

    def typeset_ahead(self):
        """The bound, the chain's product and the log axis's exponents (typeset ahead in one run)."""
        res = self.result("activations")
        sig_peak = res.scalar("max_df/sigmoid")
        return [self.bound_tex(sig_peak), self.product_tex(sig_peak)] + [
            (SingleStringMathTex, f"^{{{p}}}") for p in range(self.log_floor(res), 1)]  # LogBase's labels

    @staticmethod
    def bound_tex(peak: float) -> str:
        return r"\sigma'(x) \le " + fmt(peak, 3)

    @staticmethod
    def product_tex(peak: float) -> str:
        return r"\prod_{l=1}^{k} \sigma'(z_l) \le (" + fmt(peak, 3) + r")^{k}"

    def log_floor(self, res) -> int:
        k_max = min(self.chain_layers_shown, len(res["layers"]))
        return int(np.floor(np.log10(float(res["chain/sigmoid"][:k_max][-1]))))

    def construct(self):
        res = self.result("activations")
        self.res = res
        names = [str(n) for n in res["names"]]

        fn_axes = self.function_axes("identity")
        d_axes = self.d_axes = self.derivative_axes()
        fn_label = self.text("common.function", font_size=24, color=self.muted).next_to(fn_axes, UP, buff=0.15)
        d_label = self.plain("a′(x)  ·  " + self.t("common.derivative"), font_size=24, color=self.muted)
        d_label.next_to(d_axes, UP, buff=0.15)
        with self.narration("activations.sub.intro"):  # the two panels come in as the card leaves
            title = self.park_title(self.title_card("activations.subtitle"), Create(fn_axes), Create(d_axes),
                                    FadeIn(fn_label), FadeIn(d_label))

        ghosts = []
        for name in names:
            fn_axes, ghost = self.show_function(name, fn_axes)
            ghosts.append(ghost)

        self.compare(title, fn_axes, fn_label, d_axes, d_label, ghosts, names)

    # --- pieces -------------------------------------------------------------
    def function_axes(self, name: str) -> Axes:
        axes = Axes(x_range=self.x_range, y_range=Y_RANGE[name], x_length=self.panel_size[0],
                    y_length=self.panel_size[1], tips=False,
                    axis_config={"color": self.muted, "include_numbers": True, "font_size": PANEL_NUMBERS})
        return numbers_at_edges(axes.move_to(LEFT * 3.5 + DOWN * 0.9))  # the curves cross the axes at zero

    def derivative_axes(self) -> Axes:
        axes = Axes(x_range=self.x_range, y_range=(0, 1.25, 0.25), x_length=self.panel_size[0],
                    y_length=self.panel_size[1], tips=False,
                    axis_config={"color": self.muted, "font_size": PANEL_NUMBERS},
                    y_axis_config={"include_numbers": True, "decimal_number_config": {"num_decimal_places": 2}},
                    x_axis_config={"include_numbers": True})
        return numbers_at_edges(axes.move_to(RIGHT * 3.5 + DOWN * 0.9))  # the derivatives peak on the y axis

    def visible(self, name: str, key: str, axes: Axes):
        x = self.res["x"]
        y = self.res[f"{key}/{name}"]
        lo, hi = axes.x_range[0], axes.x_range[1]
        y_lo, y_hi = axes.y_range[0], axes.y_range[1]
        keep = (x >= lo) & (x <= hi) & (y >= y_lo - 1e-9) & (y <= y_hi + 1e-9)
        return x[keep], y[keep]

    def show_function(self, name: str, fn_axes: Axes):
        res, color = self.res, theme.color(name)
        peak = res.scalar(f"max_df/{name}")
        new_axes = self.function_axes(name)
        heading = VGroup(
            self.text(f"activations.name.{name}", font_size=34, color=color, weight="BOLD"),
            self.tex(FORMULA[name], font_size=40),
        ).arrange(RIGHT, buff=0.5).to_edge(UP, buff=0.95)

        with self.narration(f"activations.sub.{name}", value=fmt(peak, 3)):
            anims = [FadeIn(heading, shift=0.2 * DOWN)]
            if new_axes.y_range[:2] != fn_axes.y_range[:2]:
                anims.append(Reaxes(fn_axes, new_axes))
            else:
                new_axes = fn_axes
            self.play(*anims, run_time=1.0)
            curve = polyline(new_axes, *self.visible(name, "f", new_axes), color=color)
            self.play(Create(curve), run_time=1.5)
            d_axes = self.d_axes
            d_curve = polyline(d_axes, *self.visible(name, "df", d_axes), color=color)
            self.play(Create(d_curve), run_time=1.5)
            x = res["x"]
            flat = x[(res[f"df/{name}"] >= peak - 1e-9) & (np.abs(x) <= self.x_range[1])]
            at = float(np.clip(np.mean(flat), self.x_range[0] + 0.5, self.x_range[1] - 0.5))
            dot = Dot(d_axes.c2p(at, peak), color=color)
            label = self.text("activations.max_label", font_size=24, color=color, value=fmt(peak, 3))
            label.next_to(dot, UP, buff=0.12)
            self.play(FadeIn(dot, scale=0.5), FadeIn(label), run_time=0.6)
            self.wait(1.0)
        self.play(FadeOut(heading), FadeOut(curve), FadeOut(dot), FadeOut(label),
                  d_curve.animate.set_stroke(opacity=0.3), run_time=0.7)
        return new_axes, d_curve

    def compare(self, title, fn_axes, fn_label, d_axes, d_label, ghosts, names):
        res = self.res
        sig_peak = res.scalar("max_df/sigmoid")
        board = VGroup(d_axes, *ghosts)
        with self.narration("activations.sub.compare", value=fmt(sig_peak, 3)):
            self.play(FadeOut(fn_axes), FadeOut(fn_label), FadeOut(d_label),
                      board.animate.scale(1.05).move_to(LEFT * 3.0 + DOWN * 0.5).set_stroke(opacity=1.0),
                      run_time=1.2)
            heading = self.text("activations.compare_title", font_size=34, weight="BOLD").to_edge(UP, buff=0.95)
            legend = VGroup(*(
                VGroup(polyline_swatch(theme.color(n)), self.text(f"activations.name.{n}", font_size=22,
                                                                  color=theme.color(n))).arrange(RIGHT, buff=0.15)
                for n in names
            )).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            legend.next_to(board, RIGHT, buff=0.2).align_to(board, UP)
            line = DashedLine(d_axes.c2p(self.x_range[0], sig_peak), d_axes.c2p(self.x_range[1], sig_peak),
                              color=theme.color("highlight"), stroke_width=3)
            bound = self.tex(self.bound_tex(sig_peak), font_size=36, color=theme.color("highlight"))
            bound.next_to(line, UP, buff=0.1).align_to(line, RIGHT)
            self.play(FadeIn(heading), FadeIn(legend), run_time=0.8)
            self.play(Create(line), Write(bound), run_time=1.2)
            self.wait(0.5)

        # the chain rule through k layers: one factor ≤ 0.25 per sigmoid layer
        k_max = min(self.chain_layers_shown, len(res["layers"]))
        layers = res["layers"][:k_max]
        chain = res["chain/sigmoid"][:k_max]
        last = float(chain[-1])
        log_axes = Axes(x_range=(0, k_max, 1), y_range=(self.log_floor(res), 0, 1),
                        x_length=5.4, y_length=3.0, tips=False,
                        axis_config={"color": self.muted, "font_size": AXIS_NUMBERS},
                        x_axis_config={"include_numbers": True},
                        y_axis_config={"scaling": LogBase(custom_labels=True), "include_numbers": True})
        log_axes.move_to(RIGHT * 3.6 + DOWN * 0.45)
        with self.narration("activations.sub.chain", k=k_max, value=fmt(last, 3)):
            self.play(FadeOut(legend), FadeOut(heading),
                      VGroup(board, line, bound).animate.scale(0.8).move_to(LEFT * 3.6 + DOWN * 0.45), run_time=1.0)
            chain_title = self.text("activations.chain_title", font_size=30, weight="BOLD").to_edge(UP, buff=0.95)
            product = self.tex(self.product_tex(sig_peak), font_size=36)
            product.next_to(chain_title, DOWN, buff=0.2)
            self.play(FadeIn(chain_title), Write(product), Create(log_axes), run_time=1.4)
            flat_one = VGroup(*(Dot(log_axes.c2p(float(k), float(v)), radius=0.06, color=theme.color("relu"))
                                for k, v in zip(layers, res["chain/relu"][:k_max])))
            dots = VGroup(*(Dot(log_axes.c2p(float(k), float(v)), radius=0.07, color=theme.color("sigmoid"))
                            for k, v in zip(layers, chain)))
            self.play(FadeIn(flat_one, lag_ratio=0.1), run_time=0.8)
            self.play(FadeIn(dots, lag_ratio=0.25), run_time=2.0)
            readout = self.text("activations.chain_line", font_size=24, color=theme.color("sigmoid"),
                                k=int(layers[-1]), value=fmt(last, 3))
            readout.next_to(log_axes, DOWN, buff=0.25)
            relu_note = self.plain("ReLU′ = " + fmt(res.scalar("max_df/relu"), 3), font_size=22,
                                   color=theme.color("relu")).next_to(log_axes.c2p(k_max, 1.0), DOWN + LEFT * 0.1,
                                                                     buff=0.15)
            self.play(FadeIn(readout), FadeIn(relu_note), run_time=0.8)

        with self.narration("activations.sub.takeaway"):
            takeaway = self.text("activations.takeaway", font_size=30, color=theme.color("highlight"), value=fmt(sig_peak, 3),
                                 weight="BOLD").to_edge(DOWN, buff=0.3)
            self.play(FadeIn(takeaway, shift=0.2 * UP), run_time=1.0)
            self.wait(1.5)


def polyline_swatch(color: str):
    from manim import Line

    return Line(LEFT * 0.25, RIGHT * 0.25, color=color, stroke_width=6)
