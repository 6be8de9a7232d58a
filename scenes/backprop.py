"""Chapter 10 — backpropagation on a computation graph: values forward, gradients backward, chain rule.

Every value, local derivative, chain product and gradient on screen is read from the ``backprop``
result (autograd, checked against finite differences); nothing is computed here.
"""
from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, Circle, Create, FadeIn, FadeOut, GrowArrow, Indicate, VGroup, Write

from lecture import theme
from lecture.text import fixed, fmt, tex_number

from scenes.base import LectureScene, formulas_of

LAYOUT = {"w": (0.0, 1.0), "x": (0.0, -0.6), "u": (1.4, 0.2), "b": (1.4, -1.4), "z": (2.8, -0.4),
          "a": (4.2, -0.4), "y": (4.2, -2.0), "d": (5.6, -1.0), "L": (7.0, -1.0)}
OP_TEX = {"u": r"u = w x", "z": "z = u + b", "a": r"a = \sigma(z)", "d": "d = a - y", "L": "L = d^2"}
UPDATE_TEX = (r"w \leftarrow w - \eta\,\frac{\partial L}{\partial w},\qquad "
              r"b \leftarrow b - \eta\,\frac{\partial L}{\partial b}")
FORWARD_ORDER = ("x", "w", "u", "b", "z", "a", "y", "d", "L")
# the backward walk (edges in reverse order) split into the narrated steps
BACKWARD_STEPS = (("backprop.sub.backward_loss", 3), ("backprop.sub.backward_sigmoid", 1),
                  ("backprop.sub.backward_rest", 4))


def chain_tex(res, p: str, c: str, e: int) -> str:
    """Edge e (p → c) of the backward pass: ∂L/∂p = ∂L/∂c · ∂c/∂p with the stored numbers."""
    upstream, local = (tex_number(res[name][e], decimals=4, bracket_negative=True) for name in ("upstream", "local"))
    return (rf"\frac{{\partial L}}{{\partial {p}}} = \frac{{\partial L}}{{\partial {c}}}"
            rf"\,\frac{{\partial {c}}}{{\partial {p}}} = {upstream}"
            rf"\times {local} = {tex_number(res['chain'][e], decimals=4)}")


class BackpropGraph(LectureScene):
    """L = (σ(w·x + b) − y)²: forward values node by node, then the gradients edge by edge, then the check."""

    chapter = 10
    title_key = "backprop.title"
    scale = 1.55
    radius = 0.36

    def place(self, name: str) -> np.ndarray:
        x, y = LAYOUT[name]
        return np.array([(x - 3.5) * self.scale, y * 1.15 + 0.55, 0.0])

    def typeset_ahead(self):
        """The nodes' names, each edge's chain-rule line and the legend's formula (typeset ahead in one run)."""
        res = self.result("backprop")
        nodes = [str(n) for n in res["nodes"]]
        return (nodes + [chain_tex(res, nodes[p], nodes[c], e) for e, (p, c) in enumerate(res["edges"])]
                + formulas_of(self.t("backprop.legend_grad")) + [UPDATE_TEX])

    def construct(self):
        res = self.result("backprop")
        nodes = [str(n) for n in res["nodes"]]
        index = {n: i for i, n in enumerate(nodes)}
        edges = [(nodes[p], nodes[c]) for p, c in res["edges"]]
        value, grad = res["value"], res["grad"]
        fwd, bwd = theme.color("forward"), theme.color("backward")
        loss = self.tex(r"L = \big(\sigma(w x + b) - y\big)^2", font_size=40).to_edge(UP, buff=0.35).to_edge(RIGHT, buff=0.6)
        circles, labels = {}, VGroup()
        for n in nodes:
            c = Circle(radius=self.radius, color=self.ink, stroke_width=3).move_to(self.place(n))
            if n in ("x", "w", "b", "y"):
                c.set_fill(self.muted, opacity=0.25)
            circles[n] = c
            labels.add(self.tex(n, font_size=40).move_to(c))
        arrows = {}
        for p, c in edges:
            start, end = self.place(p), self.place(c)
            arrows[(p, c)] = Arrow(start, end, buff=self.radius + 0.02, stroke_width=3, color=self.muted,
                                   max_tip_length_to_length_ratio=0.12)
        ops = VGroup(*(self.tex(OP_TEX[n], font_size=38, color=self.muted).next_to(circles[n], UP, buff=0.5)
                       for n in OP_TEX))
        with self.narration("backprop.sub.intro"):  # the loss and its graph's nodes while the sentence is read
            self.park_title(self.title_card("backprop.subtitle"), Write(loss), FadeIn(labels),
                            *(Create(c) for c in circles.values()))
        with self.narration("backprop.sub.graph"):  # the arrows, then the five steps as the sentence names them
            self.play(*(GrowArrow(a) for a in arrows.values()), run_time=1.0)
            for op in ops:
                self.play(FadeIn(op, shift=0.1 * DOWN), run_time=0.5)

        values = {}
        for n in FORWARD_ORDER:
            values[n] = self.plain(fixed(value[index[n]], 4), font_size=24, color=fwd).next_to(circles[n], UP, buff=0.08)
        shown = {k: fixed(value[index[k]], 4) for k in ("x", "w", "b", "y", "L")}
        with self.narration("backprop.sub.forward", **shown):
            for n in FORWARD_ORDER:
                self.play(FadeIn(values[n], shift=0.1 * UP), Indicate(circles[n], color=fwd, scale_factor=1.1),
                          run_time=0.45)
        self.play(FadeOut(ops), run_time=0.4)

        legend = VGroup(self.text("backprop.legend_value", font_size=20, color=fwd),
                        self.mixed("backprop.legend_grad", font_size=20, color=bwd)).arrange(DOWN, aligned_edge=LEFT,
                                                                                           buff=0.12)
        legend.to_corner(DOWN + LEFT, buff=0.35).shift(UP * 0.9)
        self.play(FadeIn(legend), run_time=0.4)
        grads = {"L": self.plain(fixed(grad[index["L"]], 4), font_size=24, color=bwd).next_to(circles["L"], DOWN, buff=0.08)}
        self.play(FadeIn(grads["L"]), run_time=0.5)
        order = list(range(len(edges)))[::-1]
        formula = None
        k = 0
        for key, count in BACKWARD_STEPS:
            step = order[k:k + count]
            k += count
            with self.narration(key):
                for e in step:
                    p, c = edges[e]
                    new_formula = self.tex(chain_tex(res, p, c, e), font_size=34, color=bwd).to_edge(DOWN, buff=0.3)
                    grads[p] = self.plain(fixed(grad[index[p]], 4), font_size=24, color=bwd).next_to(circles[p], DOWN,
                                                                                               buff=0.08)
                    arrow = arrows[(p, c)]
                    self.play(arrow.animate.set_color(bwd).set_stroke(width=6),
                              (FadeIn(new_formula) if formula is None else formula.animate.become(new_formula)),
                              run_time=0.7)
                    if formula is None:
                        formula = new_formula
                    self.play(FadeIn(grads[p], shift=0.1 * DOWN), run_time=0.5)
                    self.play(arrow.animate.set_color(self.muted).set_stroke(width=3), run_time=0.3)
        numbers = dict(err=fmt(res["max_fd_error"], 2), h=fmt(res.settings["fd_step"]))
        with self.narration("backprop.sub.check", **numbers):
            check = self.text("backprop.check_line", font_size=24, **numbers).to_edge(DOWN, buff=0.3)
            self.play(FadeOut(formula), FadeIn(check), run_time=0.8)
            for n in ("w", "b", "x"):
                self.play(Indicate(grads[n], color=bwd), run_time=0.5)
        with self.narration("backprop.sub.takeaway"):  # the gradients at work: one step of gradient descent
            update = self.tex(UPDATE_TEX, font_size=38).to_edge(DOWN, buff=0.3)
            self.play(FadeOut(check), FadeIn(update), run_time=0.8)
            for n in ("w", "b"):
                self.play(Indicate(grads[n], color=bwd), run_time=0.8)
