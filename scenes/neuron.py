"""Chapter 2 — from the biological neuron to the artificial one, layers and weights, and the model-building loop.

Every number on screen is read from the stored ``neuron`` result: the trained iris network's weights, one test
flower's inputs, the neuron's products, weighted sum and activation, the forward pass and every epoch of the
training loop.
"""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UL, UP, Arrow, ArcBetweenPoints, Axes, Circle, Create, CurvedArrow, Dot, FadeIn,
                   FadeOut, Indicate, Line, Rectangle, RoundedRectangle, Transform, VGroup, config, linear)

from lecture import theme
from lecture.text import accuracy, fixed

from scenes.base import AXIS_NUMBERS, LectureScene, TextCounter, numbers_at_edges, polyline

INPUT_Y = (1.65, 0.55, -0.55, -1.65)


def weight_colour(w: float) -> str:
    return theme.color("weight-pos" if w >= 0 else "weight-neg")


def weight_width(w: float, scale: float = 2.2) -> float:
    return 1.5 + scale * abs(w)


def percent(v: float) -> str:
    return f"{100 * float(v):.1f} %"


class NeuronToNetwork(LectureScene):
    """(a) the biological neuron becomes the artificial one, with one trained neuron's real numbers;
    (b) the whole iris network drawn from its weights, one flower flowing forward to its class probabilities."""

    chapter = 2
    title_key = "neuron.title"
    node_x = -0.6
    node_r = 0.75
    input_x = -4.3
    panel_left = 2.3

    def construct(self):
        res = self.res = self.result("neuron")
        k = int(res["neuron/index"])
        card = self.title_card("neuron.subtitle")
        bio = self.biological()
        with self.narration("neuron.sub.bio"):
            self.park_title(card, FadeIn(bio[0]), FadeIn(bio[1]))
            self.play(Create(bio[2]), FadeIn(bio[3]), run_time=1.2)
            self.play(FadeIn(bio[4], lag_ratio=0.2), run_time=1.2)
            self.signal(bio[0], bio[2], bio[3])
        art = self.artificial()
        with self.narration("neuron.sub.artificial"):
            self.play(FadeOut(bio[4]), Transform(bio[0], art["lines"]), Transform(bio[1], art["node"]),
                      Transform(VGroup(bio[2], bio[3]), art["out"]), run_time=1.5)
            self.remove(bio[0], bio[1], bio[2], bio[3])
            self.add(art["lines"], art["node"], art["out"])
            self.play(FadeIn(art["labels"], lag_ratio=0.3), FadeIn(art["symbols"]), run_time=1.5)
            self.signal(art["lines"], art["out"], None)
        inputs = self.input_values()
        with self.narration("neuron.sub.inputs"):
            self.play(FadeOut(art["labels"][0]), run_time=0.4)
            self.play(FadeIn(inputs, lag_ratio=0.6), run_time=3.0)
            self.play(*(Indicate(row[1], color=theme.color("highlight")) for row in inputs), run_time=1.0)
        w = res["neuron/w"]
        products = self.products()
        with self.narration("neuron.sub.weights"):
            self.play(FadeOut(art["labels"][1]),
                      *(line.animate.set_stroke(color=weight_colour(w[i]), width=weight_width(w[i]))
                        for i, line in enumerate(art["lines"])), run_time=1.5)
            self.play(FadeIn(products[0]), run_time=0.5)
            for i, row in enumerate(products[1:]):
                self.play(FadeIn(row, shift=0.2 * RIGHT),
                          Indicate(art["lines"][i], color=weight_colour(w[i]), scale_factor=1.05), run_time=0.9)
        total = self.sum_line(products)
        with self.narration("neuron.sub.sum", z=fixed(res["neuron/z"], 3)):
            self.play(FadeIn(total[0]), run_time=0.8)
            self.play(FadeIn(total[1]), Indicate(art["node"], color=theme.color("highlight"), scale_factor=1.1),
                      run_time=1.0)
            self.wait(0.8)
        curve = self.sigmoid_panel(total)
        with self.narration("neuron.sub.activation", z=fixed(res["neuron/z"], 3), out=fixed(res["neuron/out"], 3)):
            self.play(Create(curve[0]), Create(curve[1]), run_time=1.0)
            self.play(FadeIn(curve[2]), FadeIn(curve[3]), run_time=1.0)
            self.play(FadeIn(art["value"]), FadeIn(curve[4]), run_time=0.8)
            self.wait(0.8)
        one = VGroup(*art.values(), inputs, products, total, curve)
        net = self.network()
        sizes = [int(s) for s in res["sizes"]]
        with self.narration("neuron.sub.layers"):
            self.play(FadeOut(one), FadeIn(net["nodes"]), FadeIn(net["labels"]), run_time=1.2)
            self.play(Create(net["edges"], lag_ratio=0.02), run_time=2.0)
            self.wait(0.5)
        with self.narration("neuron.sub.edges"):
            into_k = VGroup(*(e for e in net["edges"] if e.layer == 1 and e.target == k))
            self.play(Indicate(net["nodes"][1][k], color=theme.color("highlight")),
                      *(e.animate.set_stroke(opacity=1.0) for e in into_k), run_time=1.2)
            self.play(*(e.animate.set_stroke(opacity=0.55) for e in into_k), run_time=0.6)
            self.wait(1.0)
        with self.narration("neuron.sub.hidden", h=", ".join(fixed(v, 3) for v in res["h1"])):
            self.play(FadeIn(net["inputs"]), run_time=0.6)
            self.pulse(net["edges"], 1)
            self.play(FadeIn(net["hidden"]), run_time=0.6)
            self.wait(0.6)
        c = int(np.argmax(res["prob"]))
        bars = self.probabilities(net)
        with self.narration("neuron.sub.output", name=self.t(f"neuron.class.{c}"), p=fixed(res["prob"][c], 3)):
            self.pulse(net["edges"], 2)
            self.play(FadeIn(bars[0]), *(Create(b) for b in bars[1]), FadeIn(bars[2]), FadeIn(bars[3]), run_time=1.2)
            self.play(FadeIn(bars[4]), Indicate(bars[2][c], color=theme.color("highlight")), run_time=1.0)
            self.wait(1.0)

    # --- (a) one neuron -------------------------------------------------------------------
    def signal(self, ins: VGroup, out, terminals) -> None:
        """Signals travel in along the inputs (dendrites), then out along the axon (the output arrow)."""
        colour = theme.color("highlight")
        dots = VGroup(*(Dot(line[0].get_start() if isinstance(line, VGroup) else line.get_start(), radius=0.1,
                            color=colour) for line in ins))
        centre = np.array([self.node_x, 0.0, 0.0])
        self.play(FadeIn(dots), run_time=0.3)
        self.play(*(d.animate.move_to(centre) for d in dots), run_time=1.2)
        start = centre + RIGHT * self.node_r
        end = out.get_end() if terminals is None else out.get_end()
        pulse = Dot(start, radius=0.12, color=colour)
        self.remove(dots)
        self.add(pulse)
        self.play(pulse.animate.move_to(end), run_time=1.0)
        self.play(FadeOut(pulse), run_time=0.3)

    def on_line(self, i: int, s: float) -> np.ndarray:
        """The point a fraction ``s`` along input line i, from its input to the node."""
        a = np.array([self.input_x, INPUT_Y[i], 0.0])
        b = np.array([self.node_x, 0.0, 0.0])
        return a + s * (b - a)

    def biological(self) -> VGroup:
        ink, soma_c = self.muted, theme.color("highlight")
        centre = np.array([self.node_x, 0.0, 0.0])
        dendrites = VGroup()
        for i, y in enumerate(INPUT_Y):
            start = np.array([self.input_x, y, 0.0])
            main = ArcBetweenPoints(start, centre + 0.6 * (start - centre) / np.linalg.norm(start - centre),
                                    angle=0.35 * (-1) ** i, color=ink, stroke_width=5)
            twig = Line(start, start + np.array([-0.5, 0.35 * (-1) ** i, 0]), color=ink, stroke_width=3)
            dendrites.add(VGroup(main, twig))
        soma = Circle(radius=self.node_r, color=soma_c, stroke_width=4).move_to(centre)
        soma.set_fill(soma_c, opacity=0.25)
        axon = Line(centre + RIGHT * self.node_r, centre + RIGHT * 3.6, color=ink, stroke_width=6)
        end = axon.get_end()
        terminals = VGroup()
        for dy in (0.6, 0.0, -0.6):
            tip = end + np.array([0.6, dy, 0])
            terminals.add(Line(end, tip, color=ink, stroke_width=3), Dot(tip, radius=0.09, color=soma_c))
        labels = VGroup(
            self.text("neuron.bio.dendrite", font_size=26, color=self.ink).next_to(dendrites, UP, buff=0.2),
            self.text("neuron.bio.soma", font_size=26, color=self.ink).next_to(soma, DOWN, buff=0.25),
            self.text("neuron.bio.axon", font_size=26, color=self.ink).next_to(axon, UP, buff=0.2),
            self.text("neuron.bio.synapse", font_size=26, color=self.ink).next_to(terminals, DOWN, buff=0.25))
        return VGroup(dendrites, soma, axon, terminals, labels)

    def artificial(self) -> dict:
        centre = np.array([self.node_x, 0.0, 0.0])
        lines = VGroup(*(Line([self.input_x, y, 0], centre, color=self.muted, stroke_width=4) for y in INPUT_Y))
        node = Circle(radius=self.node_r, color=theme.color("highlight"), stroke_width=4).move_to(centre)
        node.set_fill(self.colors["background"], opacity=1.0)
        node.set_z_index(2)
        out = Arrow(centre + RIGHT * self.node_r, centre + RIGHT * 2.6, buff=0, color=self.ink, stroke_width=5)
        symbols = VGroup(self.plain("Σ", font_size=34), self.plain("σ", font_size=34)).arrange(RIGHT, buff=0.2)
        symbols.move_to(centre).set_z_index(3)
        divider = Line(centre + UP * 0.45, centre + DOWN * 0.45, color=self.muted, stroke_width=2).set_z_index(3)
        symbols.add(divider)
        labels = VGroup(
            self.text("neuron.art.inputs", font_size=26).next_to([self.input_x, INPUT_Y[0], 0], UP, buff=0.25),
            self.text("neuron.art.weights", font_size=26).move_to(self.on_line(3, 0.5) + DOWN * 0.55),
            self.text("neuron.art.sum", font_size=24).next_to(node, UP, buff=0.25).shift(LEFT * 0.45),
            self.text("neuron.art.activation", font_size=26).next_to(node, DOWN, buff=0.25),
            self.text("neuron.art.output", font_size=26).next_to(out, UP, buff=0.2))
        labels[2].next_to(node, UP, buff=0.25)
        value = self.plain(fixed(self.res["neuron/out"], 3), font_size=30, color=theme.color("highlight"),
                           weight="BOLD").next_to(out, DOWN, buff=0.2)
        return {"lines": lines, "node": node, "out": out, "symbols": symbols, "labels": labels, "value": value}

    def input_values(self) -> VGroup:
        x = self.res["x"]
        rows = VGroup()
        for i in range(4):
            name = self.text(f"neuron.feature.{i}", font_size=20, color=self.muted)
            value = self.plain(f"{fixed(x[i], 1)} cm", font_size=26, weight="BOLD")
            row = VGroup(name, value).arrange(DOWN, buff=0.06, aligned_edge=RIGHT)
            rows.add(row.next_to([self.input_x, INPUT_Y[i], 0], LEFT, buff=0.15))
        return rows

    def products(self) -> VGroup:
        res = self.res
        x, w, p = res["x"], res["neuron/w"], res["neuron/terms"]
        head = self.text("neuron.products", font_size=24, color=self.muted, weight="BOLD")
        rows = [head]
        for i in range(4):
            rows.append(self.plain(f"{fixed(x[i], 1)} × {fixed(w[i], 3)} = {fixed(p[i], 3)}", font_size=24,
                                   color=weight_colour(w[i])))
        group = VGroup(*rows).arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        return group.move_to([self.panel_left, 1.75, 0], aligned_edge=UL)

    def sum_line(self, products: VGroup) -> VGroup:
        res = self.res
        terms = " + ".join(fixed(v, 2) for v in [res["neuron/b"], *res["neuron/terms"]]).replace("+ −", "− ")
        width = config.frame_width / 2 - self.margin - self.panel_left
        formula = self.wrapped(f"z = b + Σ xᵢwᵢ = {terms}", width, font_size=22, aligned_edge=LEFT)
        result = self.plain(f"z = {fixed(res['neuron/z'], 3)}", font_size=30, weight="BOLD",
                            color=theme.color("highlight"))
        group = VGroup(formula, result).arrange(DOWN, buff=0.15, aligned_edge=LEFT)
        return group.next_to(products, DOWN, buff=0.3, aligned_edge=LEFT)

    def sigmoid_panel(self, above: VGroup) -> VGroup:
        res = self.res
        z, out = float(res["neuron/z"]), float(res["neuron/out"])
        reach = max(6.0, abs(z) + 1.0)
        axes = Axes(x_range=(-reach, reach, reach / 2), y_range=(0, 1, 0.5), x_length=3.8, y_length=1.5, tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True,
                                 "decimal_number_config": {"num_decimal_places": 0}},
                    y_axis_config={"include_numbers": False})
        numbers_at_edges(axes)
        axes.next_to(above, DOWN, buff=0.4, aligned_edge=LEFT).shift(RIGHT * 0.2)
        self.on_screen(axes)
        zs = np.linspace(-reach, reach, 121)
        curve = polyline(axes, zs, 1 / (1 + np.exp(-zs)), color=theme.color("sigmoid"), stroke_width=4)
        dot = Dot(axes.c2p(z, out), radius=0.09, color=theme.color("highlight"))
        guide = VGroup(Line(axes.c2p(z, 0), axes.c2p(z, out), color=theme.color("highlight"), stroke_width=2),
                       Line(axes.c2p(z, out), axes.c2p(-reach, out), color=theme.color("highlight"), stroke_width=2))
        label = self.plain(f"σ({fixed(z, 3)}) = {fixed(out, 3)}", font_size=24, color=theme.color("highlight"))
        label.next_to(dot, RIGHT, buff=0.15)
        if label.get_right()[0] > config.frame_width / 2 - self.margin:
            label.next_to(dot, DOWN + LEFT, buff=0.1)
        return VGroup(axes, curve, guide, dot, label)

    # --- (b) the network --------------------------------------------------------------------
    col_x = (-4.0, -0.9, 2.2)
    node_radius = 0.42

    def node_xy(self, l: int, j: int, n: int) -> np.ndarray:
        gap = 1.25
        return np.array([self.col_x[l], -0.35 - (j - (n - 1) / 2) * gap, 0.0])

    def network(self) -> dict:
        res = self.res
        sizes = [int(s) for s in res["sizes"]]
        nodes = VGroup()
        for l, n in enumerate(sizes):
            layer = VGroup()
            for j in range(n):
                c = Circle(radius=self.node_radius, color=self.ink, stroke_width=3).move_to(self.node_xy(l, j, n))
                c.set_fill(self.colors["background"], opacity=1.0)
                layer.add(c)
            nodes.add(layer)
        nodes.set_z_index(2)
        edges = VGroup()
        for l, W in ((1, res["W1"]), (2, res["W2"])):
            wmax = np.abs(W).max()
            for i in range(sizes[l - 1]):
                for j in range(sizes[l]):
                    a, b = self.node_xy(l - 1, i, sizes[l - 1]), self.node_xy(l, j, sizes[l])
                    d = (b - a) / np.linalg.norm(b - a)
                    e = Line(a + d * self.node_radius, b - d * self.node_radius, color=weight_colour(W[i, j]),
                             stroke_width=1.0 + 7.0 * abs(W[i, j]) / wmax, stroke_opacity=0.55)
                    e.layer, e.target = l, j
                    edges.add(e)
        keys = ("input", "hidden", "output")
        labels = VGroup(*(self.text(f"neuron.layer.{keys[l]}", n=sizes[l], font_size=22, color=self.muted)
                          .move_to([self.col_x[l], -3.25, 0]) for l in range(3)))
        x = res["x"]
        inputs = VGroup()
        for j in range(sizes[0]):
            p = self.node_xy(0, j, sizes[0])
            inputs.add(self.plain(fixed(x[j], 1), font_size=24, weight="BOLD").move_to(p).set_z_index(3))
            inputs.add(self.text(f"neuron.feature.{j}", font_size=18, color=self.muted)
                       .next_to(p, LEFT, buff=self.node_radius + 0.12))
        hidden = VGroup(*(self.plain(fixed(v, 3), font_size=20, weight="BOLD").move_to(self.node_xy(1, j, sizes[1]))
                          .set_z_index(3) for j, v in enumerate(res["h1"])))
        return {"nodes": nodes, "edges": edges, "labels": labels, "inputs": inputs, "hidden": hidden}

    def pulse(self, edges: VGroup, layer: int) -> None:
        lit = [e for e in edges if e.layer == layer]
        self.play(*(e.animate.set_stroke(opacity=1.0) for e in lit), run_time=0.6)
        self.play(*(e.animate.set_stroke(opacity=0.55) for e in lit), run_time=0.4)

    def probabilities(self, net: dict) -> VGroup:
        res = self.res
        sizes = [int(s) for s in res["sizes"]]
        prob = res["prob"]
        z2 = VGroup(*(self.plain(fixed(v, 2), font_size=20, weight="BOLD").move_to(self.node_xy(2, j, sizes[2]))
                      .set_z_index(3) for j, v in enumerate(res["z2"])))
        left = self.col_x[2] + self.node_radius + 0.25
        full = 2.2
        bars, names, values = VGroup(), VGroup(), VGroup()
        for j in range(sizes[2]):
            y = self.node_xy(2, j, sizes[2])[1]
            colour = theme.color(f"class-{j}")
            bars.add(Rectangle(width=max(full * float(prob[j]), 0.02), height=0.32, stroke_width=0,
                               fill_color=colour, fill_opacity=0.9).move_to([left, y - 0.15, 0], aligned_edge=LEFT))
            names.add(self.text(f"neuron.class.{j}", font_size=22, color=colour, weight="BOLD")
                      .move_to([left, y + 0.25, 0], aligned_edge=LEFT))
            values.add(self.plain(fixed(prob[j], 3), font_size=22).next_to(bars[-1], RIGHT, buff=0.12))
        head = self.text("neuron.prob_head", font_size=22, color=self.muted).move_to(
            [left, self.node_xy(2, 0, sizes[2])[1] + 0.8, 0], aligned_edge=LEFT)
        truth = self.text("neuron.truth", name=self.t(f"neuron.class.{int(res['label'])}"), font_size=24,
                          color=theme.color(f"class-{int(res['label'])}"), weight="BOLD")
        truth.move_to([left, self.node_xy(2, sizes[2] - 1, sizes[2])[1] - 0.8, 0], aligned_edge=LEFT)
        for m in (head, truth):
            self.on_screen(m)
        return VGroup(z2, bars, names, values, VGroup(head, truth))


class ModelBuildingLoop(LectureScene):
    """(c) data → model → loss → optimizer → evaluation as a loop that runs: each box lights as the stored
    training run passes through it, the loss and accuracies updating, epoch by epoch."""

    chapter = 2
    title_key = "neuron.loop.title"
    ring_centre = np.array([-3.55, -0.45, 0.0])
    ring_radius = 2.25
    boxes_order = ("data", "model", "loss", "optimizer", "evaluate")

    def construct(self):
        res = self.res = self.result("neuron")
        s = res.settings
        epochs = int(res["epoch"][-1])
        card = self.title_card("neuron.loop.subtitle")
        boxes, arrows = self.ring()
        with self.narration("neuron.sub.loop"):
            self.park_title(card, FadeIn(boxes[0]))
            for box, arrow in zip(boxes[1:], arrows):
                self.play(Create(arrow), FadeIn(box), run_time=0.6)
            self.play(Create(arrows[-1]), run_time=0.5)
            self.wait(0.5)
        panel = self.readouts()
        axes, names = self.curves_axes(epochs)
        n_train = int(res["n_train"])
        with self.narration("neuron.sub.first", n=n_train, loss=fixed(res["curve/train_loss"][0], 3),
                            acc=percent(res["curve/train_acc"][0])):
            self.play(FadeIn(panel["group"]), Create(axes), FadeIn(names), run_time=1.0)
            self.pass_through(boxes, 0, with_optimizer=False)
        loss_curve = polyline(axes, res["epoch"], res["curve/train_loss"], color=theme.color("train"), stroke_width=4)
        acc_curve = polyline(axes, res["epoch"], res["curve/test_acc"], color=theme.color("test"), stroke_width=4)
        first = 4
        with self.narration("neuron.sub.step", loss=fixed(res["curve/train_loss"][first], 3)):
            for epoch in range(1, first + 1):
                self.pass_through(boxes, epoch, fast=epoch > 1)
        with self.narration("neuron.sub.run", epochs=epochs, loss=fixed(res["curve/train_loss"][-1], 3),
                            train=percent(res["curve/train_acc"][-1]), test=percent(res["curve/test_acc"][-1])):
            for box in boxes:
                box[0].set_fill(theme.color("highlight"), opacity=0.3)
            lit_loss = loss_curve.copy().pointwise_become_partial(loss_curve, 0, first / epochs)
            lit_acc = acc_curve.copy().pointwise_become_partial(acc_curve, 0, first / epochs)
            self.add(lit_loss, lit_acc)

            def show(i: int):
                epoch = first + i
                a = epoch / epochs
                lit_loss.pointwise_become_partial(loss_curve, 0, a)
                lit_acc.pointwise_become_partial(acc_curve, 0, a)
                self.set_readouts(epoch)
                for j, box in enumerate(boxes):
                    box[0].set_fill(theme.color("highlight"), opacity=0.55 if j == epoch % 5 else 0.2)

            self.step_through(epochs - first + 1, 8.0, show)
            for box in boxes:
                box[0].set_fill(theme.color("highlight"), opacity=0.0)
            self.wait(1.0)
        seeds = res["seeds/train_loss"].shape[0]
        others = VGroup()
        for k in range(1, seeds):
            others.add(polyline(axes, res["epoch"], res["seeds/train_loss"][k], color=theme.color("train"),
                                stroke_width=2).set_stroke(opacity=0.45))
            others.add(polyline(axes, res["epoch"], res["seeds/test_acc"][k], color=theme.color("test"),
                                stroke_width=2).set_stroke(opacity=0.45))
        finals = VGroup(*(self.plain(percent(v), font_size=24, color=theme.color("test"))
                          for v in res["final/test_acc"])).arrange(RIGHT, buff=0.35)
        finals.move_to(self.value_rows.get_center())
        self.on_screen(finals)
        with self.narration("neuron.sub.seeds", k=seeds, low=percent(res["final/test_acc"].min())):
            self.play(FadeOut(self.value_rows), Create(others, lag_ratio=0.1), run_time=2.5)
            self.play(FadeIn(finals, lag_ratio=0.5), run_time=2.5)
            self.play(Indicate(finals, color=theme.color("highlight"), scale_factor=1.05), run_time=1.0)

    # --- the ring of five boxes -------------------------------------------------------------
    def ring(self):
        res = self.res
        s = res.settings
        values = {"data": dict(n=int(res["n_train"])), "model": dict(h=int(s["hidden"])), "loss": {},
                  "optimizer": dict(lr=s["lr"]), "evaluate": {}}
        boxes = VGroup()
        for i, name in enumerate(self.boxes_order):
            angle = np.pi / 2 - 2 * np.pi * i / 5
            centre = self.ring_centre + self.ring_radius * np.array([np.cos(angle), np.sin(angle), 0])
            frame = RoundedRectangle(corner_radius=0.15, width=2.45, height=1.1, color=theme.color("highlight"),
                                     stroke_width=3).move_to(centre)
            frame.set_fill(theme.color("highlight"), opacity=0.0)
            title = self.text(f"neuron.box.{name}", font_size=28, weight="BOLD")
            sub = self.text(f"neuron.val.{name}", font_size=19, color=self.muted, **values[name])
            words = VGroup(title, sub).arrange(DOWN, buff=0.08).move_to(centre)
            if words.width > 2.3:
                words.scale_to_fit_width(2.3)
            boxes.add(VGroup(frame, words))
        arrows = VGroup()
        for i in range(5):
            a, b = boxes[i][0], boxes[(i + 1) % 5][0]
            start = a.get_center() + (b.get_center() - a.get_center()) * 0.5
            d = b.get_center() - a.get_center()
            d /= np.linalg.norm(d)
            start = a.get_center() + d * self.exit_distance(a, d)
            end = b.get_center() - d * self.exit_distance(b, -d)
            arrows.add(Arrow(start, end, buff=0.08, color=self.muted, stroke_width=4, max_tip_length_to_length_ratio=0.3))
        return boxes, arrows

    @staticmethod
    def exit_distance(box, d) -> float:
        """How far from a box's centre a ray along ``d`` leaves it."""
        hw, hh = box.width / 2, box.height / 2
        tx = hw / abs(d[0]) if abs(d[0]) > 1e-9 else np.inf
        ty = hh / abs(d[1]) if abs(d[1]) > 1e-9 else np.inf
        return min(tx, ty)

    def readouts(self) -> dict:
        x0 = 0.9
        names = VGroup(*(self.text(key, font_size=26, color=self.muted) for key in
                         ("neuron.epoch", "neuron.read.loss", "neuron.read.grad", "neuron.read.train_acc",
                          "neuron.read.test_acc")))
        values = [TextCounter(self, 150, font_size=26)] + [self.plain("00.000", font_size=26) for _ in range(4)]
        rows = VGroup()
        for name, value in zip(names, values):
            rows.add(VGroup(name, value))
        # two columns: epoch, loss, gradient | training acc, test acc
        for i, row in enumerate(rows[:3]):
            row[0].move_to([x0, 2.75 - 0.45 * i, 0], aligned_edge=LEFT)
            row[1].next_to(row[0], RIGHT, buff=0.2)
        x1 = max(row.get_right()[0] for row in rows[:3]) + 0.5
        for i, row in enumerate(rows[3:]):
            row[0].move_to([x1, 2.75 - 0.45 * i, 0], aligned_edge=LEFT)
            row[1].next_to(row[0], RIGHT, buff=0.2)
        self.values = values
        self.value_rows = rows
        self.on_screen(rows)
        self.set_readouts(0)
        return {"group": rows}

    def set_readouts(self, epoch: int) -> None:
        res = self.res
        counter, loss, grad, train, test = self.values
        counter.set_value(epoch)
        texts = (fixed(res["curve/train_loss"][epoch], 3), fixed(res["curve/grad_norm"][epoch], 3),
                 percent(res["curve/train_acc"][epoch]), percent(res["curve/test_acc"][epoch]))
        colours = (theme.color("train"), self.ink, self.ink, theme.color("test"))
        for mob, content, colour, row in zip((loss, grad, train, test), texts, colours, self.value_rows[1:]):
            if getattr(mob, "content", None) != content:
                mob.become(self.plain(content, font_size=26, color=colour).next_to(row[0], RIGHT, buff=0.2))
                mob.content = content

    def curves_axes(self, epochs: int):
        axes = Axes(x_range=(0, epochs, 50), y_range=(0, 1.3, 0.5), x_length=5.6, y_length=3.0, tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True},
                    y_axis_config={"decimal_number_config": {"num_decimal_places": 1}})
        axes.move_to([3.55, -0.95, 0])
        xname = self.text("neuron.axis.epoch", font_size=22, color=self.muted).next_to(axes.x_axis, DOWN, buff=0.45)
        keys = VGroup(self.text("neuron.axis.loss", font_size=22, color=theme.color("train")),
                      self.text("neuron.read.test_acc", font_size=22, color=theme.color("test")))
        keys.arrange(RIGHT, buff=0.5).next_to(axes, UP, buff=0.15)
        return axes, VGroup(xname, keys)

    def pass_through(self, boxes, epoch: int, with_optimizer: bool = True, fast: bool = False) -> None:
        """One pass: the boxes light in turn, the readouts show the epoch's numbers as it reaches evaluation."""
        t = 0.25 if fast else 0.45
        order = range(5) if with_optimizer else (0, 1, 2, 4)
        for j in order:
            box = boxes[j][0]
            extra = []
            self.set_readouts(epoch) if j == 4 else None
            self.play(box.animate.set_fill(theme.color("highlight"), opacity=0.55), *extra, run_time=t)
            self.play(box.animate.set_fill(theme.color("highlight"), opacity=0.0), run_time=t * 0.6)
