"""Chapter 9 — the slides' 3-2-2-2 network, computed layer by layer with its real weights.

Every number on screen (weights, x, z, h, outputs) is read from the stored ``nn-3222`` result.
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    RoundedRectangle,
    VGroup,
    Write,
    config,
)

from lecture import theme
from lecture.text import fixed, tex_number

from scenes.base import LectureScene


class NeuralNetwork3222(LectureScene):
    """The 3-2-2-2 network: weights on the edges, then z and h layer by layer, the composition, the output activations."""

    chapter = 9
    title_key = "neural-network.title"
    net_left = -6.15
    net_width = 5.0
    net_top = 2.45
    node_gap = 1.6
    radius = 0.62
    value_size = 27  # the numbers inside the nodes (the narration reads them out)
    panel_x = -0.3
    outputs = (("identity", "o"), ("sigmoid", r"\sigma(z)"), ("softmax", r"\mathrm{softmax}(z)"))

    def typeset_ahead(self):
        """Every formula of the video, from the same helpers as construct (typeset ahead in one run)."""
        res = self.res = self.result("nn-3222")
        self.sizes = [int(s) for s in res["sizes"]]
        L = len(self.sizes) - 1
        found = [self.node_symbol(l, j) for l, n in enumerate(self.sizes) for j in range(n)]
        found += [tex_number(v, decimals=1) for v in res["x"]]
        for l in range(1, L + 1):
            found += [self.z_tex(l, j) for j in range(self.sizes[l])]
            if l < L:
                found += [self.h_tex(l, j) for j in range(self.sizes[l])]
            found += [tex_number(v, decimals=3) for v in (res[f"h{l}"] if l < L else res[f"z{L}"])]
        return found + [self.output_tex(kind, symbol) for kind, symbol in self.outputs]

    def output_tex(self, kind: str, symbol: str) -> str:
        return symbol + " = (" + ",\\ ".join(tex_number(v, decimals=3) for v in self.res[f"out/{kind}"]) + ")"

    def node_symbol(self, l: int, j: int) -> str:
        L = len(self.sizes) - 1
        return f"x_{j + 1}" if l == 0 else f"o_{j + 1}" if l == L else f"h^{{({l})}}_{j + 1}"

    def z_tex(self, l: int, j: int) -> str:
        res = self.res
        W = res[f"W{l}"]
        prev = res["x"] if l == 1 else res[f"h{l - 1}"]

        def term(v, decimals: int = 1) -> str:  # a negative factor in parentheses
            return tex_number(v, decimals=decimals, bracket_negative=True)

        terms = [term(W[0, j])] + [rf"{term(W[i + 1, j])}\cdot {term(prev[i], 1 if l == 1 else 3)}"
                                   for i in range(len(prev))]
        return rf"z^{{({l})}}_{j + 1} = " + " + ".join(terms) + rf" = {tex_number(res[f'z{l}'][j], decimals=3)}"

    def h_tex(self, l: int, j: int) -> str:
        res = self.res
        z, h = (tex_number(res[f"{name}{l}"][j], decimals=3) for name in "zh")
        return rf"h^{{({l})}}_{j + 1} = \sigma({z}) = {h}"

    def construct(self):
        res = self.res = self.result("nn-3222")
        self.sizes = [int(s) for s in res["sizes"]]
        L = len(self.sizes) - 1
        nodes, edges, bias, labels = self.network()
        with self.narration("neural-network.sub.intro"):  # the layers appear while the sentence naming them is read
            self.park_title(self.title_card("neural-network.subtitle"), FadeIn(nodes), FadeIn(bias), FadeIn(labels))
        with self.narration("neural-network.sub.weights", x=", ".join(fixed(v, 1) for v in res["x"])):
            self.play(*(Create(e) for e in edges), run_time=1.5)
            inputs = VGroup(*(self.value(0, j, res["x"][j], digits=1) for j in range(self.sizes[0])))
            self.play(FadeIn(inputs), run_time=0.6)
        panel = VGroup()
        for l in range(1, L + 1):
            key = f"neural-network.sub.layer{min(l, 3)}"
            values = {"z1": self.pair(res["z1"]), "h1": self.pair(res["h1"]), "h2": self.pair(res["h2"]),
                      "z3": self.pair(res[f"z{L}"])}
            with self.narration(key, **values):
                new_panel = self.layer_panel(l, L)
                into = VGroup(*(e for e in edges if e.layer == l))
                self.play(FadeOut(panel), FadeIn(new_panel[0]), into.animate.set_stroke(opacity=1.0), run_time=0.8)
                for line in new_panel[1:]:
                    self.play(Write(line), run_time=1.0)
                vals = res[f"h{l}"] if l < L else res[f"z{L}"]
                shown = VGroup(*(self.value(l, j, vals[j]) for j in range(self.sizes[l])))
                self.play(FadeIn(shown), *(Indicate(nodes[l][j], color=theme.color("highlight"), scale_factor=1.1)
                                          for j in range(self.sizes[l])), run_time=0.8)
                if l == L:
                    comp = self.tex(r"y = f^{(3)}(f^{(2)}(f^{(1)}(x)))", font_size=40, color=theme.color("highlight"))
                    comp.next_to(new_panel, DOWN, buff=0.45).align_to(new_panel, LEFT)
                    self.play(Write(comp), run_time=1.0)
                    new_panel.add(comp)
            panel = new_panel
        with self.narration("neural-network.sub.outputs"):
            rows = VGroup()
            for kind, symbol in self.outputs:
                name = self.text(f"neural-network.task.{kind}", font_size=24, color=self.muted)
                vals = self.tex(self.output_tex(kind, symbol), font_size=32)
                rows.add(VGroup(name, vals).arrange(DOWN, aligned_edge=LEFT, buff=0.12))
            rows.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
            head = self.text("neural-network.outputs_head", font_size=28, weight="BOLD")
            block = VGroup(head, rows).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
            block.move_to([self.panel_x, -0.3, 0], aligned_edge=LEFT)
            self.play(FadeOut(panel), FadeIn(head), run_time=0.6)
            self.play(FadeIn(rows, lag_ratio=0.4), run_time=2.0)
            self.wait(1.0)

    # --- the diagram ------------------------------------------------------------
    def pair(self, v) -> str:
        return "(" + ", ".join(fixed(a, 3) for a in v) + ")"

    def node_xy(self, l: int, j: int) -> np.ndarray:
        x = self.net_left + l * self.net_width / (len(self.sizes) - 1)
        n = self.sizes[l]
        y = self.net_top if j < 0 else -0.3 - (j - (n - 1) / 2) * self.node_gap
        return np.array([x, y, 0.0])

    def network(self):
        res = self.res
        L = len(self.sizes) - 1
        nodes = VGroup()
        for l, n in enumerate(self.sizes):
            layer = VGroup()
            for j in range(n):
                c = Circle(radius=self.radius, color=self.ink, stroke_width=3).move_to(self.node_xy(l, j))
                c.set_fill(self.colors["background"], opacity=1.0)
                layer.add(c)
            nodes.add(layer)
        bias = VGroup()
        for l in range(L):
            box = RoundedRectangle(corner_radius=0.06, width=0.4, height=0.4, color=self.muted, stroke_width=2)
            box.move_to(self.node_xy(l, -1))
            bias.add(VGroup(box, self.tex("1", font_size=26, color=self.muted).move_to(box)))
        edges = []
        for l in range(1, L + 1):
            W = res[f"W{l}"]
            for i in range(-1, self.sizes[l - 1]):
                for j in range(self.sizes[l]):
                    w = float(W[i + 1, j])
                    a, b = self.node_xy(l - 1, i), self.node_xy(l, j)
                    d = (b - a) / np.linalg.norm(b - a)
                    start = a + d * (0.22 if i < 0 else self.radius)
                    edge = Line(start, b - d * self.radius, stroke_width=1.5 + 3.0 * abs(w),
                                color=theme.color("weight-pos" if w >= 0 else "weight-neg"), stroke_opacity=0.55)
                    edge.layer = l
                    edges.append(edge)
        edge_group = VGroup(*edges)
        self.add(edge_group)  # (drawn by Create; kept below the nodes)
        self.remove(edge_group)
        labels = VGroup()
        for l in range(len(self.sizes)):
            key = ("neural-network.layer.input" if l == 0 else "neural-network.layer.output" if l == L
                   else "neural-network.layer.hidden")
            column = self.net_width / (len(self.sizes) - 1) - 0.15  # a name no wider than its column's share
            # the narration names the layers as they come in: their names at 3 % of the frame's height
            lab = self.wrapped(self.t(key, n=l), column, font_size=25, color=self.muted, line_gap=0.06)
            self.on_screen(lab.move_to([self.node_xy(l, 0)[0], -2.68, 0], aligned_edge=UP))  # a line's top
            labels.add(lab)
        names = VGroup()
        for l, n in enumerate(self.sizes):
            for j in range(n):
                names.add(self.tex(self.node_symbol(l, j), font_size=37).move_to(self.node_xy(l, j) + UP * 0.22))
        nodes.set_z_index(2)
        names.set_z_index(3)
        bias.set_z_index(2)
        return nodes, edges, bias, VGroup(labels, names)

    def value(self, l: int, j: int, v: float, digits: int = 3):
        return self.tex(tex_number(v, decimals=digits), font_size=self.value_size, color=self.ink).move_to(
            self.node_xy(l, j) + DOWN * 0.3).set_z_index(4)

    def layer_panel(self, l: int, L: int) -> VGroup:
        """The slides' sums for layer l with the stored weights and inputs, then the activations."""
        width = config.frame_width / 2 - self.margin - self.panel_x  # the frame's edge less the margin
        head = self.wrapped(self.t("neural-network.layer_sum" if l < L else "neural-network.output_sum", n=l), width,
                            font_size=28, weight="BOLD", aligned_edge=LEFT)
        sums = VGroup(*(self.tex(self.z_tex(l, j), font_size=30) for j in range(self.sizes[l])))
        if l < L:
            hidden = self.res.meta["settings"]["hidden"]
            sums.add(*(self.tex(self.h_tex(l, j), font_size=30,
                                color=theme.color(hidden) if hidden in theme.ROLE else self.ink)
                       for j in range(self.sizes[l])))
        sums.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        if sums.width > width:  # the sums as large as the room allows, the heading at its own size
            sums.scale_to_fit_width(width)
        lines = VGroup(head, *sums).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        lines.move_to([self.panel_x, 0.3, 0], aligned_edge=LEFT)
        return lines
