"""Chapter 10 — one mini-batch of an iris network 4 → 5 → 3 forward and backward, its update, then epochs.

Every value is read from the ``forward-backward`` result: the first mini-batch's values at every unit (its first
flower shown), the loss, the gradients by hand and by autograd, the losses before and after the update, and the
mini-batch loss of every iteration of the run.
"""
from __future__ import annotations

import numpy as np
from manim import (DL, DOWN, LEFT, RIGHT, UP, Axes, Circle, Create, FadeIn, FadeOut, Line, MoveToTarget, Square, VGroup,
                   config)

from lecture import theme
from lecture.text import fixed, fmt, signed

from scenes.base import AXIS_NUMBERS, LectureScene, Retext, formulas_of, polyline

FORMULAS = {
    "hidden": r"z_1 = x W_1 + b_1,\quad a_1 = \sigma(z_1)",
    "output": r"p = \mathrm{softmax}(a_1 W_2 + b_2)",
    "loss": r"L = -\frac{1}{B}\sum_{i=1}^{B} \log p_{i,y_i}",
    "delta2": r"\frac{\partial L}{\partial z_2} = \frac{p - y}{B}",
    "grad2": r"\frac{\partial L}{\partial W_2} = a_1^{\top} \frac{\partial L}{\partial z_2}",
    "delta1": r"\frac{\partial L}{\partial z_1} = \frac{\partial L}{\partial z_2} W_2^{\top} \odot a_1(1 - a_1)",
    "grad1": r"\frac{\partial L}{\partial W_1} = x^{\top} \frac{\partial L}{\partial z_1}",
    "update": r"w := w - \eta\, \frac{\partial L}{\partial w}",
}
LAYERS = ("input", "hidden", "output")


class ForwardBackward(LectureScene):
    """The network with the values of one flower at every unit; the loss; ∂L/∂z back through the layers and the
    weight gradients by hand beside autograd's; the update; then the mini-batch loss over every iteration."""

    chapter = 10
    title_key = "forward-backward.title"
    columns = (-5.7, -3.5, -1.3)   # x of the input, hidden and output layers
    node_radius = 0.35
    panel_x = 3.9                  # the centre of the right-hand panel
    run_seconds = 12.0

    def typeset_ahead(self):
        return [*FORMULAS.values(), *formulas_of(self.t("forward-backward.legend_backward"))]

    # --- pieces -----------------------------------------------------------------------------------------
    def layer_y(self, n: int) -> np.ndarray:
        gap = {3: 1.4, 4: 1.15, 5: 1.0}.get(n, 1.0)
        return (np.arange(n)[::-1] - (n - 1) / 2) * gap - 0.2

    def network(self, res):
        sizes = [int(v) for v in res["layer_sizes"]]
        nodes = []
        for x, n in zip(self.columns, sizes):
            nodes.append([Circle(self.node_radius, color=self.muted, stroke_width=3).move_to([x, y, 0])
                          for y in self.layer_y(n)])
        edges = []
        for (a, b), w in zip(zip(nodes[:-1], nodes[1:]), (res["before/W1"], res["before/W2"])):
            scale = np.abs(w).max()
            group = VGroup()
            for i, na in enumerate(a):
                for j, nb in enumerate(b):
                    role = "weight-pos" if w[i, j] >= 0 else "weight-neg"
                    group.add(Line(na.get_right(), nb.get_left(), color=theme.color(role),
                                   stroke_width=0.8 + 3.5 * abs(w[i, j]) / scale, stroke_opacity=0.55))
            edges.append(group)
        heads = VGroup(*(self.text(f"forward-backward.layer.{name}", font_size=22, color=self.muted)
                         .next_to(VGroup(*col), UP, buff=0.3) for name, col in zip(LAYERS, nodes)))
        top = max(h.get_bottom()[1] for h in heads)
        for h in heads:
            h.align_to([0, top, 0], DOWN)
        return nodes, edges, heads

    def values(self, nodes, numbers, color, digits=2) -> VGroup:
        """Numbers inside the nodes of one layer."""
        group = VGroup()
        for node, v in zip(nodes, numbers):
            label = self.plain(fixed(v, digits), font_size=18, color=color)
            if label.width > 2 * self.node_radius - 0.06:
                label.scale_to_fit_width(2 * self.node_radius - 0.06)
            group.add(label.move_to(node))
        return group

    def deltas(self, nodes, numbers) -> VGroup:
        """∂L/∂z below the nodes of one layer (backward colour)."""
        group = VGroup()
        for node, v in zip(nodes, numbers):
            group.add(self.plain(signed(v, 2), font_size=18, color=theme.color("backward"))
                      .next_to(node, DOWN, buff=0.06))
        return group

    def heat(self, matrix, scale: float, cell: float = 0.36) -> VGroup:
        """A matrix as coloured cells: blue positive, vermillion negative, opacity by size."""
        rows, cols = matrix.shape
        group = VGroup()
        for i in range(rows):
            for j in range(cols):
                v = float(matrix[i, j])
                role = "weight-pos" if v >= 0 else "weight-neg"
                group.add(Square(cell, stroke_color=self.muted, stroke_width=1)
                          .set_fill(theme.color(role), opacity=0.08 + 0.92 * min(abs(v) / scale, 1.0))
                          .move_to([j * cell, -i * cell, 0]))
        return group

    def gradient_pair(self, res, name: str) -> VGroup:
        """∂L/∂W by hand beside autograd's, and their largest difference."""
        hand, auto = res[f"hand/{name}"], res[f"autograd/{name}"]
        scale = float(np.abs(auto).max())
        pair = VGroup()
        for key, m in (("forward-backward.by_hand", hand), ("forward-backward.autograd", auto)):
            grid = self.heat(m, scale)
            label = self.text(key, font_size=19, color=self.ink).next_to(grid, UP, buff=0.15)
            pair.add(VGroup(label, grid))
        pair.arrange(RIGHT, buff=0.6, aligned_edge=DOWN)
        diff = float(np.abs(hand - auto).max())
        note = self.text("forward-backward.max_diff", font_size=20, color=self.muted,
                         diff=fmt(diff, 2) if diff > 0 else "0").next_to(pair, DOWN, buff=0.2)
        return VGroup(pair, note)

    def place_panel(self, mob, y: float):
        mob.move_to([self.panel_x, y, 0])
        room = 2 * (config.frame_width / 2 - self.margin - self.panel_x)
        if mob.width > room:
            mob.scale_to_fit_width(room)
        return self.on_screen(mob)

    # --- the video ------------------------------------------------------------------------------------------
    def construct(self):
        res = self.result("forward-backward")
        s = res.settings
        b = int(s["batch"])
        n = int(res["n_train"])
        y0 = int(res["batch/y"][0])
        fwd, bwd = theme.color("forward"), theme.color("backward")
        nodes, edges, heads = self.network(res)
        circles = VGroup(*(c for col in nodes for c in col))
        card = None
        with self.narration("forward-backward.sub.intro"):
            card = self.title_card("forward-backward.subtitle")
            self.park_title(card, Create(circles), FadeIn(heads))
            self.play(FadeIn(edges[0]), FadeIn(edges[1]), run_time=1.2)

        # --- forward: the first mini-batch, its first flower's values at every unit
        x0 = res["batch/x"][0]
        note = self.wrapped(self.t("forward-backward.batch_note", b=b), 6.2, font_size=20, color=self.muted)
        note.move_to([np.mean(self.columns), -3.2, 0])
        self.on_screen(note)
        inputs = self.values(nodes[0], x0, fwd)
        with self.narration("forward-backward.sub.batch", n=n, b=b):
            self.play(FadeIn(note, shift=0.1 * UP), run_time=1.0)
            self.play(*(c.animate.set_stroke(fwd) for c in nodes[0]), FadeIn(inputs, lag_ratio=0.3), run_time=2.0)

        hidden_f = self.tex(FORMULAS["hidden"], font_size=38)
        self.place_panel(hidden_f, 2.3)
        a1 = self.values(nodes[1], res["forward/a1"][0], fwd)
        with self.narration("forward-backward.sub.hidden"):
            self.play(FadeIn(hidden_f), edges[0].animate.set_stroke(opacity=0.9), run_time=1.2)
            self.play(*(c.animate.set_stroke(fwd) for c in nodes[1]), FadeIn(a1, lag_ratio=0.3), run_time=1.5)
            self.play(edges[0].animate.set_stroke(opacity=0.55), run_time=0.6)

        p0 = res["forward/p"][0]
        output_f = self.tex(FORMULAS["output"], font_size=38)
        self.place_panel(output_f, 1.3)
        probs = self.values(nodes[2], p0, fwd)
        species = VGroup()
        for k, node in enumerate(nodes[2]):
            name = self.t(f"logistic-softmax.species.{k}")
            if k == y0:
                name += f" ({self.t('forward-backward.correct')})"
            species.add(self.plain(name, font_size=20, color=self.ink if k == y0 else self.muted,
                                   weight="BOLD" if k == y0 else "NORMAL").next_to(node, RIGHT, buff=0.15))
        with self.narration("forward-backward.sub.output", p=fixed(p0[y0], 2)):
            self.play(FadeIn(output_f), edges[1].animate.set_stroke(opacity=0.9), run_time=1.2)
            self.play(*(c.animate.set_stroke(fwd) for c in nodes[2]), FadeIn(probs, lag_ratio=0.3), FadeIn(species),
                      run_time=1.5)
            self.play(edges[1].animate.set_stroke(opacity=0.55), run_time=0.6)

        loss = float(res["forward/loss"])
        loss_f = self.tex(FORMULAS["loss"], font_size=38)
        self.place_panel(loss_f, 0.0)
        loss_line = self.text("forward-backward.loss_line", font_size=28, color=fwd, loss=fixed(loss, 3))
        self.place_panel(loss_line, -1.3)
        with self.narration("forward-backward.sub.loss", b=b, loss=fixed(loss, 3)):
            self.play(FadeIn(loss_f), run_time=1.0)
            self.play(FadeIn(loss_line, shift=0.1 * UP), run_time=1.0)

        # --- backward: the output layer, then the hidden layer
        d2 = self.deltas(nodes[2], res["hand/z2"][0])
        delta2_f = VGroup(self.tex(FORMULAS["delta2"], font_size=36, color=bwd),
                          self.tex(FORMULAS["grad2"], font_size=36, color=bwd)).arrange(RIGHT, buff=0.6)
        self.place_panel(delta2_f, 2.2)
        grad2 = self.gradient_pair(res, "W2")
        self.place_panel(grad2, -0.2)
        forward_panel = VGroup(hidden_f, output_f, loss_f)
        loss_line.generate_target().scale(0.85)
        self.place_panel(loss_line.target, -3.0)
        legend = self.mixed("forward-backward.legend_backward", font_size=22, color=bwd)
        legend.to_corner(UP + RIGHT, buff=0.4)
        with self.narration("forward-backward.sub.delta2"):
            self.play(FadeOut(forward_panel), MoveToTarget(loss_line), run_time=0.8)
            self.play(FadeIn(delta2_f[0]), *(c.animate.set_stroke(bwd) for c in nodes[2]), FadeIn(d2), FadeIn(legend),
                      run_time=1.2)
            self.play(FadeIn(delta2_f[1]), edges[1].animate.set_stroke(opacity=0.9), FadeIn(grad2), run_time=1.5)

        d1 = self.deltas(nodes[1], res["hand/z1"][0])
        delta1_f = VGroup(self.tex(FORMULAS["delta1"], font_size=34, color=bwd),
                          self.tex(FORMULAS["grad1"], font_size=34, color=bwd)).arrange(DOWN, buff=0.2)
        self.place_panel(delta1_f, 2.0)
        grad1 = self.gradient_pair(res, "W1")
        self.place_panel(grad1, -0.6)
        with self.narration("forward-backward.sub.delta1"):
            self.play(FadeOut(delta2_f), FadeOut(grad2), edges[1].animate.set_stroke(opacity=0.55), run_time=0.6)
            self.play(FadeIn(delta1_f[0]), *(c.animate.set_stroke(bwd) for c in nodes[1]), FadeIn(d1), run_time=1.5)
            self.play(FadeIn(delta1_f[1]), edges[0].animate.set_stroke(opacity=0.9), FadeIn(grad1), run_time=1.5)

        hand, fd = float(res["max_hand_autograd"]), float(res["max_fd_autograd"])
        runs = len(res["seed_values"])
        check = VGroup(self.wrapped(self.t("forward-backward.check_all", runs=runs, hand=fmt(hand, 2)), 5.8,
                                    font_size=22, color=self.ink),
                       self.wrapped(self.t("forward-backward.check_fd", h=fmt(s["fd_step"]), fd=fmt(fd, 2)), 5.8,
                                    font_size=22, color=self.ink)).arrange(DOWN, buff=0.2)
        with self.narration("forward-backward.sub.check", runs=runs, hand=fmt(hand, 2), fd=fmt(fd, 2)):
            self.play(FadeOut(delta1_f), grad1.animate.shift(UP * 1.9), edges[0].animate.set_stroke(opacity=0.55),
                      run_time=0.8)
            self.place_panel(check, grad1.get_bottom()[1] - 0.3 - check.height / 2)
            self.play(FadeIn(check[0], shift=0.1 * UP), run_time=1.0)
            self.wait(2.5)
            self.play(FadeIn(check[1], shift=0.1 * UP), run_time=1.0)

        # --- the update: the same mini-batch's loss and this flower's probabilities after it
        before, after = float(res["loss/before"]), float(res["loss/after"])
        p_after = res["after/p"][0]
        update_f = self.tex(FORMULAS["update"], font_size=40, color=self.ink)
        self.place_panel(update_f, 1.9)
        update_line = self.text("forward-backward.update_line", font_size=26, color=fwd, before=fixed(before, 3),
                                after=fixed(after, 3))
        self.place_panel(update_line, 0.5)
        flower_line = self.text("forward-backward.flower_line", font_size=24, color=self.ink,
                                before=fixed(p0[y0], 2), after=fixed(p_after[y0], 2))
        self.place_panel(flower_line, -0.3)
        probs_after = self.values(nodes[2], p_after, fwd)
        rose = p_after[y0] > p0[y0]
        key = "forward-backward.sub.update_up" if rose else "forward-backward.sub.update_down"
        with self.narration(key, lr=fmt(s["lr"]),
                            before=fixed(before, 3), after=fixed(after, 3), p_before=fixed(p0[y0], 2),
                            p_after=fixed(p_after[y0], 2)):
            self.play(FadeOut(grad1), FadeOut(check), FadeOut(d1), FadeOut(d2), FadeOut(legend),
                      *(c.animate.set_stroke(fwd) for col in nodes[1:] for c in col), run_time=0.8)
            self.play(FadeIn(update_f), run_time=0.8)
            self.wait(1.2)
            self.play(Retext(loss_line, update_line), run_time=1.2)
            self.wait(2.0)
            self.play(Retext(probs, probs_after), FadeIn(flower_line), run_time=1.2)

        # --- many such steps: the epoch
        per = int(res["iterations_per_epoch"])
        rule = self.text("forward-backward.epoch_rule", font_size=26, color=self.ink, n=n, b=b, per=per)
        self.place_panel(rule, -2.4)
        network = VGroup(circles, edges[0], edges[1], heads, inputs, a1, probs_after, species, note, update_f,
                         update_line, flower_line)
        self.epochs(res, rule, network)

    def epochs(self, res, rule, network):
        """The rule of an epoch, then the mini-batch loss of every iteration of the run, epoch by epoch."""
        per, epochs, iters = int(res["iterations_per_epoch"]), int(res["epochs"]), int(res["iterations"])
        it_loss, ep_loss = res["iter_loss"], res["epoch_loss"]
        top = float(np.ceil(max(it_loss.max(), ep_loss.max()) * 2) / 2)
        step = 5 * per if epochs > 10 else per
        axes = Axes(x_range=(0, iters, step), y_range=(0, top, 0.5), x_length=10.8, y_length=3.8, tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        axes.move_to(DOWN * 0.75 + RIGHT * 0.1)
        x_name = self.text("forward-backward.axis_iteration", font_size=20, color=self.muted)
        x_name.next_to(axes.x_axis, DOWN, buff=0.45).align_to(axes, RIGHT)
        y_name = self.text("forward-backward.axis_loss", font_size=20, color=self.muted)
        y_name.next_to(axes, UP, buff=0.15).align_to(axes, LEFT)
        bounds = VGroup(*(Line(axes.c2p(e * per, 0), axes.c2p(e * per, top), color=self.muted, stroke_width=1.2,
                               stroke_opacity=0.5) for e in range(1, epochs + 1)))
        colour_it, colour_ep = theme.color("train"), theme.color("epoch-loss")
        legend = VGroup(
            VGroup(Line(LEFT * 0.25, RIGHT * 0.25, color=colour_it, stroke_width=5),
                   self.text("forward-backward.legend_batch", font_size=20, color=colour_it)).arrange(RIGHT, buff=0.15),
            VGroup(Line(LEFT * 0.25, RIGHT * 0.25, color=colour_ep, stroke_width=5),
                   self.text("forward-backward.legend_epoch", font_size=20, color=colour_ep)).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        legend.next_to(y_name, UP, buff=0.25).align_to(axes, LEFT)
        rule.generate_target().scale(0.85).to_edge(RIGHT, buff=0.45).align_to(legend, UP)
        xs = np.arange(1, iters + 1)

        def counter_at(i: int):
            e, bi = (i - 1) // per + 1, (i - 1) % per + 1
            return self.text("forward-backward.counter", font_size=24, color=self.ink, it=i, b=bi, per=per, e=e,
                             epochs=epochs).next_to(rule.target, DOWN, buff=0.2).align_to(rule.target, RIGHT)

        with self.narration("forward-backward.sub.epoch", per=per):
            self.play(FadeIn(rule, shift=0.1 * UP), run_time=1.0)
            self.play(FadeOut(network), MoveToTarget(rule), run_time=0.8)
            self.play(Create(axes), FadeIn(x_name), FadeIn(y_name), FadeIn(bounds), FadeIn(legend), run_time=1.2)

        curve = polyline(axes, xs[:2], it_loss[:2], color=colour_it, stroke_width=3)
        counter = counter_at(1)
        epoch_curve = polyline(axes, [0, 0], [ep_loss[0]] * 2, color=colour_ep, stroke_width=5)

        def show(k):
            i = k + 1
            curve.become(polyline(axes, xs[:max(i, 2)], it_loss[:max(i, 2)], color=colour_it, stroke_width=3))
            counter.become(counter_at(i))
            e = i // per
            if e >= 1:
                epoch_curve.become(polyline(axes, np.arange(e + 1) * per, ep_loss[:e + 1], color=colour_ep,
                                            stroke_width=5))

        with self.narration("forward-backward.sub.run", epochs=epochs, iters=iters):
            self.add(curve, counter, epoch_curve)
            self.step_through(iters, self.run_seconds, show)
        first, last = float(ep_loss[0]), float(ep_loss[-1])
        acc = fmt(100 * float(res["epoch_acc"][-1]), 3)
        final = self.text("forward-backward.final_line", font_size=26, color=colour_ep, epochs=epochs,
                          first=fixed(first, 3), last=fixed(last, 3), acc=acc)
        final.next_to(counter, DOWN, buff=0.2).align_to(counter, RIGHT)
        ends = VGroup(*(Circle(0.08, color=colour_ep, fill_opacity=1, stroke_width=0).move_to(axes.c2p(e * per, v))
                        for e, v in ((0, first), (epochs, last))))
        with self.narration("forward-backward.sub.result", runs=len(res["seed_values"]), first=fixed(first, 3),
                            last=fixed(last, 3), acc=acc):
            self.play(FadeIn(ends, scale=0.5), run_time=0.8)
            self.play(FadeIn(final, shift=0.1 * UP), run_time=0.8)
            self.wait(1.0)
