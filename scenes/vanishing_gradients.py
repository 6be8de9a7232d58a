"""Chapter 11 — vanishing gradients: the backward pass lights the network up with measured gradients.

Every brightness, bar and number comes from the stored ``vanishing-gradients``
result: the norm of each layer's weight gradient in the first backward pass, and
the mean sigmoid derivative σ'(z) of each hidden layer (the chain rule's factors).
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    Rectangle,
    VGroup,
    Write,
    config,
)

from lecture import theme
from lecture.text import fmt, tex_number

from scenes.base import AXIS_NUMBERS, LectureScene, Retext, fit_width, power_tex


class VanishingGradients(LectureScene):
    """A deep network; the backward pass sweeps from output to input for sigmoid, tanh and ReLU."""

    chapter = 11
    title_key = "vanishing-gradients.title"
    nodes_per_layer = 4
    net_width = 11.6
    net_height = 2.0
    net_center = UP * 0.75
    log_floor = -6.0       # log10 of the faintest gradient drawn
    log_ceiling = 0.5
    bar_height = 1.9
    sweep_time = 5.0

    def construct(self):
        res = self.res = self.result("vanishing-gradients")
        depth = int(res.settings["hidden_layers"])
        with self.narration("vanishing-gradients.sub.intro", depth=depth):
            columns, edges = self.network(depth + 2)
            labels = VGroup(
                self.text("vanishing-gradients.input", font_size=22, color=self.muted).next_to(columns[0], UP, 0.15),
                self.text("vanishing-gradients.output", font_size=22, color=self.muted).next_to(columns[-1], UP, 0.15),
            )
            # the layers as the card leaves, then their links
            self.park_title(self.title_card("vanishing-gradients.subtitle"), FadeIn(columns), FadeIn(labels))
            self.play(Create(edges), run_time=1.4)
            for layer in list(edges):  # each layer's lines share one style: one path per layer from now on
                self.settle(layer)
        self.columns, self.edges = columns, edges
        scale = self.bar_scale()
        self.play(FadeIn(scale), run_time=0.5)
        heading = None
        bars = None
        for name in ("sigmoid", "tanh", "relu"):
            heading, bars = self.sweep(name, heading, bars)
        self.play(FadeOut(VGroup(columns, edges, labels, heading, bars, self.caption, scale)), run_time=0.8)
        self.chain_rule()

    # --- the network ----------------------------------------------------------
    def column_x(self, i: int, count: int) -> float:
        return -self.net_width / 2 + self.net_width * i / (count - 1)

    def network(self, count: int):
        columns = VGroup()
        for i in range(count):
            ys = np.linspace(self.net_height / 2, -self.net_height / 2, self.nodes_per_layer)
            column = VGroup(*(Circle(radius=0.11, color=self.muted, stroke_width=2).move_to(
                [self.column_x(i, count), y, 0] + self.net_center) for y in ys))
            columns.add(column)
        edges = VGroup()
        for a, b in zip(columns[:-1], columns[1:]):
            edges.add(VGroup(*(Line(p.get_center(), q.get_center(), stroke_width=1.5, color=self.muted,
                                    stroke_opacity=0.25) for p in a for q in b)))
        return columns, edges

    def strength(self, value: float) -> float:
        return float(np.clip((np.log10(value) - self.log_floor) / (self.log_ceiling - self.log_floor), 0.0, 1.0))

    def gradient_bars(self, norms: np.ndarray, color: str) -> VGroup:
        """One bar per weight layer, under its edges; height ∝ log10 of the gradient norm."""
        bars = VGroup()
        base_y = self.net_center[1] - self.net_height / 2 - 0.75
        for layer, value in enumerate(norms):
            x = (self.column_x(layer, len(norms) + 1) + self.column_x(layer + 1, len(norms) + 1)) / 2
            height = max(self.bar_height * self.strength(value), 0.04)
            bar = Rectangle(width=0.5, height=height, stroke_width=0, fill_color=color, fill_opacity=0.85)
            bar.move_to([x, base_y - self.bar_height + height / 2, 0])
            bars.add(bar)
        return bars

    def scale_powers(self) -> range:
        return range(int(self.log_floor), 1, 2)

    def typeset_ahead(self):
        """The scale's powers and the chain rule's formulas (typeset ahead in one run)."""
        self.res = self.result("vanishing-gradients")
        symbols, numbers, bound, result = self.chain_texs()
        return ([power_tex(p) for p in self.scale_powers()] + [*symbols, *numbers, bound, result]
                + [self.t("vanishing-gradients.grad_norm")])

    def chain_texs(self) -> tuple[list[str], list[str], str, str]:
        """The factors' symbols and measured values, the bound and the product, as TeX."""
        res = self.res
        factors = res["dact/sigmoid"][0][::-1]  # from the last hidden layer back to the first
        product = float(np.prod(factors))
        k = len(factors)
        peak = res.scalar("max_dact/sigmoid")  # computed by autograd in the engine
        symbols = [rf"\sigma'(z_{{{k - i}}})" for i in range(k)]
        numbers = [tex_number(f, 3) for f in factors]
        bound = r"\sigma'(z) \le " + tex_number(peak, 3)
        result = (r"=\;" + tex_number(product, 3) + r"\;\le\; " + tex_number(peak, 3) + "^{" + str(k) + "} = "
                  + tex_number(peak ** k, 3))
        return symbols, numbers, bound, result

    def bar_scale(self) -> VGroup:
        """Tick labels 10^0 … 10^floor at the left of the bars (log scale) and the axis name."""
        base_y = self.net_center[1] - self.net_height / 2 - 0.75 - self.bar_height
        x = -self.net_width / 2 - 0.2
        group = VGroup()
        for power in self.scale_powers():
            y = base_y + self.bar_height * (power - self.log_floor) / (self.log_ceiling - self.log_floor)
            label = self.tex(power_tex(power), font_size=AXIS_NUMBERS + 2, color=self.muted).move_to([x, y, 0])
            tick = Line([x + 0.3, y, 0], [self.net_width / 2 + 0.3, y, 0], stroke_width=1, color=self.muted,
                        stroke_opacity=0.35)
            group.add(label, tick)
        name = VGroup(self.text("vanishing-gradients.axis_grad", font_size=20, color=self.muted),
                      self.tex(self.t("vanishing-gradients.grad_norm"), font_size=AXIS_NUMBERS, color=self.muted)
                      ).arrange(RIGHT, buff=0.12)
        name.next_to(group, UP, buff=0.1).align_to(group, LEFT)
        return group.add(name)

    def sweep(self, name: str, heading, bars):
        res, color = self.res, theme.color(name)
        norms = res[f"grad_norm/{name}"][0]
        ratio = float(norms[0] / norms[-1])
        new_heading = self.text(f"vanishing-gradients.name.{name}", font_size=34, color=color, weight="BOLD")
        new_heading.to_edge(UP, buff=0.35)
        arrow = Arrow(RIGHT * 3.0, LEFT * 3.0, color=self.muted, stroke_width=3, buff=0)
        hint = self.text("vanishing-gradients.backward", font_size=22, color=self.muted)
        VGroup(hint, arrow.scale(0.5)).arrange(RIGHT, buff=0.3).next_to(new_heading, DOWN, buff=0.15)
        new_bars = self.gradient_bars(norms, color)
        caption = self.text("vanishing-gradients.first_last", font_size=24, color=color,
                            first=fmt(norms[0], 3), last=fmt(norms[-1], 3))
        caption.to_edge(DOWN, buff=0.25)
        with self.narration(f"vanishing-gradients.sub.{name}", ratio=fmt(ratio, 3), seeds=len(res["seed_values"])):
            reset = [edge.animate.set_stroke(color=self.muted, opacity=0.25, width=1.5) for edge in self.edges]
            if heading is None:
                self.play(FadeIn(new_heading), FadeIn(hint), Create(arrow), run_time=0.8)
            else:
                self.play(Retext(heading, new_heading), FadeOut(bars), FadeOut(self.caption),
                          FadeIn(hint), Create(arrow), *reset, run_time=1.0)
            step = self.sweep_time / len(norms)
            for layer in range(len(norms) - 1, -1, -1):  # output → input
                s = self.strength(norms[layer])
                self.play(self.edges[layer].animate.set_stroke(color=color, opacity=0.08 + 0.92 * s,
                                                               width=0.6 + 3.4 * s),
                          FadeIn(new_bars[layer], shift=0.1 * UP), run_time=step)
            self.play(FadeIn(caption), FadeOut(hint), FadeOut(arrow), run_time=0.6)
            self.wait(1.5)
        self.caption = caption
        return new_heading, new_bars

    # --- the chain rule --------------------------------------------------------
    def chain_rule(self):
        res = self.res
        factors = res["dact/sigmoid"][0][::-1]  # from the last hidden layer back to the first
        product = float(np.prod(factors))
        k = len(factors)
        title = fit_width(self.text("vanishing-gradients.chain_title", font_size=30, weight="BOLD"),
                          config.frame_width - 2 * self.margin).to_edge(UP, buff=1.0)
        # one column per factor: the symbol above its measured value, joined by ×
        columns = VGroup()
        symbol_texs, number_texs, bound_tex, result_tex = self.chain_texs()
        for i, (symbol, number) in enumerate(zip(symbol_texs, number_texs)):
            pair = VGroup(self.tex(symbol, font_size=32),
                          self.tex(number, font_size=32, color=theme.color("sigmoid"))).arrange(DOWN, buff=0.35)
            columns.add(pair)
            if i < k - 1:
                columns.add(self.tex(r"\times", font_size=42))
        columns.arrange(RIGHT, buff=0.18)
        if columns.width > 13.0:
            columns.scale_to_fit_width(13.0)
        symbols = VGroup(*(c[0] for c in columns[0::2]), *columns[1::2])
        numbers = VGroup(*(c[1] for c in columns[0::2]))
        peak = res.scalar("max_dact/sigmoid")  # computed by autograd in the engine
        bound = self.tex(bound_tex, font_size=34, color=theme.color("highlight"))
        result = self.tex(result_tex, font_size=40, color=theme.color("highlight"))
        VGroup(columns, result).arrange(DOWN, buff=0.6).next_to(title, DOWN, buff=0.7)
        bound.next_to(result, DOWN, buff=0.45)
        with self.narration("vanishing-gradients.sub.chain", k=k, product=fmt(product, 3), peak=fmt(peak, 3)):
            self.play(FadeIn(title), Write(symbols), run_time=1.5)
            self.play(FadeIn(numbers, lag_ratio=0.15), FadeIn(bound), run_time=2.0)
            self.play(Write(result), run_time=1.2)
        with self.narration("vanishing-gradients.sub.takeaway"):
            takeaway = self.text("vanishing-gradients.takeaway", font_size=28, color=theme.color("highlight"),
                                 weight="BOLD").to_edge(DOWN, buff=0.4)
            if takeaway.width > 13.0:
                takeaway.scale_to_fit_width(13.0)
            self.play(FadeIn(takeaway, shift=0.2 * UP), run_time=1.0)
            self.wait(1.0)
            self.play(Indicate(result, color=theme.color("highlight")), run_time=1.0)  # the vanished factor
