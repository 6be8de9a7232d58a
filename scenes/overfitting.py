"""Chapter 12 — 조기 학습종료 and 드롭아웃, drawn from the stored ``early-stopping`` and ``dropout`` results."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circle,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    config,
)

from manim.utils.bezier import interpolate

from lecture import theme
from lecture.text import accuracy, fixed, fmt

from scenes.base import AXIS_NUMBERS, LectureScene, Retext, fit_width, polyline
from scenes.pieces import bottom_line


class EarlyStopping(LectureScene):
    """Training and validation loss drawn epoch by epoch; the minimum marker; the stop; the roll-back."""

    chapter = 12
    title_key = "early-stopping.title"
    grow_seconds = 9.0

    def construct(self):
        res = self.result("early-stopping")
        epochs = res["epoch"]
        train, val = res["train_loss"], res["val_loss"]
        best, stop = int(res.scalar("best_epoch")), int(res.scalar("stop_epoch"))
        patience = int(res.settings["patience"])

        with self.narration("early-stopping.sub.intro"):
            self.park_title(self.title_card("early-stopping.subtitle"))
            y_top = float(np.ceil(max(train.max(), val.max()) * 2) / 2)
            step = max(50, int(np.ceil(len(epochs) / 6 / 50) * 50))
            axes = Axes(x_range=(0, int(epochs[-1]), step), y_range=(0, y_top, 0.5), x_length=10.5, y_length=4.2,
                        tips=False, axis_config={"color": self.muted, "include_numbers": True, "font_size": AXIS_NUMBERS})
            axes.move_to(DOWN * 0.15 + RIGHT * 0.3)
            # the axes' names and the legend are named by the narration as they come in: 3 % of the frame high
            x_label = self.text("early-stopping.axis_epoch", font_size=26, color=self.muted)
            x_label.next_to(axes.x_axis, DOWN, buff=0.4)
            y_label = self.text("early-stopping.axis_loss", font_size=26, color=self.muted)
            y_label.next_to(axes.c2p(0, y_top), UP, buff=0.2).align_to(axes.y_axis, LEFT)  # upright, above its axis
            legend = VGroup(*(VGroup(Line(LEFT * 0.25, RIGHT * 0.25, color=theme.color(role), stroke_width=6),
                                     self.text(f"early-stopping.{key}", font_size=25, color=theme.color(role)))
                              .arrange(RIGHT, buff=0.15)
                              for key, role in (("train", "train"), ("val", "validation"))))
            legend.arrange(DOWN, aligned_edge=LEFT, buff=0.12).move_to(axes.c2p(0.82 * epochs[-1], 0.62 * y_top))
            legend.align_to(axes.x_axis, RIGHT)  # at the far end: clear of the stop and roll-back lines to come
            self.add(axes, x_label, y_label)  # at once, as the title settles
            self.play(FadeIn(legend), run_time=0.6)

        train_curve, val_curve = self.curve(axes, epochs, train, 1, "train"), self.curve(axes, epochs, val, 1, "validation")
        best_dot, counter = self.best_marker(axes, val, 1), self.counter(1, val, patience)
        self.add(train_curve, val_curve, best_dot)
        self.play(FadeIn(counter), run_time=0.3)

        def show(i):  # epoch i + 1: both curves so far, the best epoch so far, the counters
            train_curve.become(self.curve(axes, epochs, train, i + 1, "train"))
            val_curve.become(self.curve(axes, epochs, val, i + 1, "validation"))
            best_dot.become(self.best_marker(axes, val, i + 1))
            counter.become(self.counter(i + 1, val, patience))

        with self.narration("early-stopping.sub.grow", epoch=best):
            self.step_through(stop, self.grow_seconds, show)

        hl = theme.color("highlight")
        with self.narration("early-stopping.sub.stop", patience=patience, epoch=stop):
            stop_line = DashedLine(axes.c2p(stop, 0), axes.c2p(stop, axes.y_range[1]), color=hl, stroke_width=3)
            stop_label = self.text("early-stopping.stop_short", font_size=24, color=hl, epoch=stop)
            stop_label.next_to(stop_line, UP, buff=0.1)
            self.play(Create(stop_line), FadeIn(stop_label), run_time=1.0)

        last = int(epochs[-1])
        with self.narration("early-stopping.sub.rollback", epoch=best, last=last):
            pointer = DashedLine(axes.c2p(stop, 0), axes.c2p(stop, axes.y_range[1]), color=self.ink, stroke_width=3)
            self.add(pointer)
            self.play(pointer.animate.move_to(axes.c2p(best, axes.y_range[1] / 2)), run_time=1.6)
            note = self.text("early-stopping.rollback", font_size=24, color=self.ink, epoch=best)
            # beyond the stop line where there is room for it, else before the roll-back line: crossing neither
            after_stop = axes.c2p(stop, 0.9 * axes.y_range[1])
            if axes.x_axis.get_right()[0] - after_stop[0] > note.width + 0.3:
                note.next_to(after_stop, RIGHT, buff=0.2)
            else:
                note.next_to(axes.c2p(best, 0.9 * axes.y_range[1]), LEFT, buff=0.2)
            best_label = self.text("early-stopping.best_short", font_size=22, color=hl, epoch=best)
            # below and before the minimum: the validation curve lies above it, the roll-back line to its right
            best_label.next_to(axes.c2p(best, float(val[best - 1])), DOWN + LEFT, buff=0.12)
            rest = VGroup(polyline(axes, epochs[stop - 1:], train[stop - 1:], color=theme.color("train"), stroke_width=3),
                          polyline(axes, epochs[stop - 1:], val[stop - 1:], color=theme.color("validation"),
                                   stroke_width=3)).set_stroke(opacity=0.35)
            self.play(FadeIn(note), FadeIn(best_label), run_time=0.8)
            self.play(Create(rest), run_time=1.5)

        seeds = len(res["seed_values"])
        loss = dict(restored=fixed(res.scalar("restored_test_loss"), 3), final=fixed(res.scalar("final_test_loss"), 3),
                    seeds=seeds)
        with self.narration("early-stopping.sub.test_loss", **loss):
            line = bottom_line(self, "early-stopping.result_loss", font_size=26, **loss)
            self.play(FadeIn(line), run_time=0.6)
            self.wait(1.0)

        acc = dict(restored=accuracy(res.scalar("restored_test_acc")), final=accuracy(res.scalar("final_test_acc")),
                   seeds=seeds)
        with self.narration("early-stopping.sub.test_acc", **acc):
            new = bottom_line(self, "early-stopping.result_acc", font_size=26, **acc)
            self.play(Retext(line, new), run_time=0.8)
            line = new
            self.wait(1.0)

        wrong = res["val_wrong_loss"]
        why = dict(best=best, last=last, at_best=fixed(wrong[best - 1], 2), at_last=fixed(wrong[-1], 2), seeds=seeds,
                   acc_best=accuracy(res["val_acc"][best - 1]), acc_last=accuracy(res["val_acc"][-1]))
        with self.narration("early-stopping.sub.why", **why):
            # "the validation loss rose": its curve is drawn thicker; then the numbers of the explanation
            self.play(val_curve.animate.set_stroke(width=9), rest[1].animate.set_stroke(width=7, opacity=0.8),
                      run_time=0.8)
            self.wait(3.0)
            new = bottom_line(self, "early-stopping.result_why", font_size=26, **why)
            self.play(Retext(line, new), val_curve.animate.set_stroke(width=4), rest[1].animate.set_stroke(width=3,
                      opacity=0.35), run_time=0.8)
            line = new
            self.wait(1.0)

    # --- pieces -------------------------------------------------------------
    @staticmethod
    def shown(epoch: int) -> int:
        return max(2, int(epoch))

    def curve(self, axes, epochs, values, epoch: int, role):
        k = self.shown(epoch)
        return polyline(axes, epochs[:k], values[:k], color=theme.color(role), stroke_width=4)

    def best_marker(self, axes, val, epoch: int):
        k = self.shown(epoch)
        i = int(np.argmin(val[:k]))
        return Dot(axes.c2p(i + 1, float(val[i])), radius=0.1, color=theme.color("highlight"))

    def counter(self, epoch: int, val, patience):
        """Epoch and patience counters at an epoch (the numbers are the results')."""
        k = self.shown(epoch)
        waited = k - (int(np.argmin(val[:k])) + 1)
        return VGroup(self.text("early-stopping.epoch_counter", font_size=26, epoch=k),
                      self.text("early-stopping.patience_count", font_size=26, count=waited, patience=patience,
                                color=theme.color("highlight") if waited else self.ink),
                      ).arrange(DOWN, aligned_edge=LEFT, buff=0.15).to_corner(UP + RIGHT, buff=0.35)


class DropoutMasks(LectureScene):
    """The network diagram loses, at each training step, the neurons of the mask torch really drew."""

    chapter = 12
    title_key = "dropout.title"
    rate_index = 2          # which run's masks (the settings' rates; 2 → p = 0.2, the textbook's)
    steps_shown = 5
    inputs_shown = 6
    outputs_shown = 5
    node_radius = 0.17

    def construct(self):
        res = self.result("dropout")
        i = self.rate_index
        p = float(res["rates"][i])
        masks = res[f"p{i}/masks"]                      # (step, layer, unit) bool: kept
        rates = res[f"p{i}/drop_rate"]                  # (step, layer)
        steps = min(self.steps_shown, masks.shape[0])

        with self.narration("dropout.sub.intro"):
            self.park_title(self.title_card("dropout.subtitle"))
            net = self.network(masks.shape[1], masks.shape[2], theme.color(f"dropout-{fmt(p, 2)}"))
            self.add(net["edges"], net["labels"])  # at once, as the title settles
            self.play(FadeIn(net["nodes"]), run_time=0.8)
            self.remove(net["nodes"])
            self.add(*net["nodes"])  # one mobject each: a fading unit is redrawn alone

        step_label = self.text("dropout.step", font_size=28, step=1).to_corner(UP + RIGHT, buff=0.4)
        rate_label = self.text("dropout.layer_rate", font_size=24, rate=fixed(rates[0].mean(), 3))
        rate_label.to_edge(DOWN, buff=0.25)
        with self.narration("dropout.sub.masks", p=fmt(p, 2), percent=fmt(100 * p, 3)):
            self.play(FadeIn(step_label), FadeIn(rate_label), run_time=0.4)
            for s in range(steps):
                new_step = self.text("dropout.step", font_size=28, step=s + 1).move_to(step_label)
                new_rate = self.text("dropout.layer_rate", font_size=24, rate=fixed(rates[s].mean(), 3)).move_to(rate_label)
                self.play(*self.apply_mask(net, masks[s]), Retext(step_label, new_step),
                          Retext(rate_label, new_rate), run_time=0.9)
                step_label, rate_label = new_step, new_rate
                self.wait(0.5)

        with self.narration("dropout.sub.scale", scale=fmt(res.scalar(f"p{i}/kept_values"), 3)):
            scale = self.text("dropout.scale", font_size=26, color=theme.color("highlight"),
                              scale=fmt(res.scalar(f"p{i}/kept_values"), 3)).move_to(rate_label)
            self.play(FadeOut(rate_label), FadeIn(scale), run_time=1.4)
            self.wait(0.8)

        with self.narration("dropout.sub.eval"):
            all_on = np.ones_like(masks[0])
            evaluation = self.text("dropout.eval", font_size=28).move_to(step_label).align_to(step_label, RIGHT)
            self.play(*self.apply_mask(net, all_on), FadeOut(scale), Retext(step_label, evaluation), run_time=1.0)

        # the rates, then the numbers in the same order, to three decimals (read as a column)
        order = list(np.argsort(res["rates"]))
        ps = " / ".join(fmt(float(res["rates"][j]), 2) for j in order)
        seeds = len(res["seed_values"])
        none, small, large = order[0], order[1], order[-1]
        last = int(res["epoch"][-1])
        learned = dict(epochs=last, ps=ps, seeds=seeds, learned=fmt(res.settings["learned"], 2),
                       accs=" / ".join(accuracy(res[f"p{j}/train_acc"][-1]) for j in order))
        with self.narration("dropout.sub.learned", **learned):
            line = bottom_line(self, "dropout.learned_line", font_size=24, **learned)
            self.play(FadeIn(line), run_time=0.8)
            self.wait(1.0)

        gaps = dict(ps=ps, seeds=seeds, small=fmt(float(res["rates"][small]), 2),
                    gaps=" / ".join(accuracy(res[f"p{j}/train_acc"][-1] - res[f"p{j}/val_acc"][-1]) for j in order),
                    vals=" / ".join(accuracy(res[f"p{j}/val_acc"][-1]) for j in order))
        with self.narration("dropout.sub.curves", **gaps):
            # the gaps first, then (as the sentence reaches it) the comparison with p = 0
            first, second = (fit_width(self.plain(part, font_size=24), config.frame_width - 0.8)
                             for part in self.t("dropout.gap_line", **gaps).split("\n"))
            new = VGroup(first, second).arrange(DOWN, buff=0.12).to_edge(DOWN, buff=0.25)
            self.play(Retext(line, first), run_time=0.8)
            self.wait(4.0)
            self.play(FadeIn(second, shift=0.1 * UP), run_time=0.8)
            line = first
            self.wait(1.0)

        half = last // 2
        slow = dict(epoch=half, seeds=seeds, large=fmt(float(res["rates"][large]), 2),
                    none=accuracy(res[f"p{none}/train_acc"][half - 1]), slow=accuracy(res[f"p{large}/train_acc"][half - 1]))
        with self.narration("dropout.sub.slow", **slow):
            new = bottom_line(self, "dropout.slow_line", font_size=24, **slow)
            self.play(Retext(line, new), FadeOut(second), run_time=0.8)
            self.wait(1.0)

    # --- the diagram ----------------------------------------------------------
    def network(self, layers: int, units: int, fill: str) -> dict:
        sizes = [self.inputs_shown] + [units] * layers + [self.outputs_shown]
        width, height = 10.5, 4.2
        xs = np.linspace(-width / 2, width / 2, len(sizes))
        columns = []
        for c, (x, n) in enumerate(zip(xs, sizes)):
            ys = np.linspace(height / 2, -height / 2, n) * (n - 1) / max(sizes) if n > 1 else [0.0]
            role = self.muted if c in (0, len(sizes) - 1) else self.ink
            columns.append([Circle(radius=self.node_radius, color=role, fill_color=fill, fill_opacity=0.9,
                                   stroke_width=2).move_to([x, y - 0.2, 0]) for y in ys])
        ends, index = [], []  # every connection, from border to border of its two circles
        for b, (left, right) in enumerate(zip(columns[:-1], columns[1:])):
            for a, start in enumerate(left):
                for d, end in enumerate(right):
                    p, q = start.get_center(), end.get_center()
                    unit = (q - p) / np.linalg.norm(q - p)
                    ends.append((p + unit * self.node_radius, q - unit * self.node_radius))
                    index.append((b, a, d))
        nodes = VGroup(*(n for col in columns for n in col))
        on = np.ones(len(index), bool)
        edge_group = VGroup(self.connections(ends, on, 0.5))
        labels = VGroup(
            self.text("dropout.input", font_size=22, color=self.muted).next_to(VGroup(*columns[0]), DOWN, buff=0.3),
            self.text("dropout.hidden", font_size=22, color=self.muted, units=units)
                .next_to(VGroup(*columns[1:-1]), DOWN, buff=0.3),
            self.text("dropout.output", font_size=22, color=self.muted).next_to(VGroup(*columns[-1]), DOWN, buff=0.3),
        )
        labels[0].align_to(labels[1], DOWN)
        labels[2].align_to(labels[1], DOWN)
        return {"columns": columns, "ends": ends, "index": np.array(index), "on": on, "nodes": nodes,
                "edges": edge_group, "labels": labels}

    def connections(self, ends, chosen: np.ndarray, opacity: float) -> VMobject:
        """The chosen connections as one path (one style, so the camera draws them at once)."""
        path = VMobject(stroke_width=1.2, stroke_color=self.muted, stroke_opacity=opacity)
        for (a, b), take in zip(ends, chosen):
            if take:
                path.start_new_path(a)
                path.add_line_to(b)
        return path

    def apply_mask(self, net: dict, mask: np.ndarray) -> list:
        """Animations that grey out the dropped hidden units and the connections that touch them (and
        light up the kept ones).  The connections are four paths (kept, dropped, turning off, turning
        on) and only what changes is animated, last in the scene's order, so the camera redraws
        only that on each frame (nothing overlaps: the lines end at the circles' borders)."""
        columns = net["columns"]
        keep = [np.ones(len(columns[0]), bool)] + [np.asarray(m, bool) for m in mask] + [np.ones(len(columns[-1]), bool)]
        animations = []
        for c, col in enumerate(columns):
            for node, on in zip(col, keep[c]):
                f0, f1 = node.get_fill_opacity(), (0.9 if on else 0.0)
                s0, s1 = node.get_stroke_opacity(), (1.0 if on else 0.35)
                if abs(f1 - f0) > 1e-9 or abs(s1 - s0) > 1e-9:
                    self.bring_to_front(node)
                    animations.append(UpdateFromAlphaFunc(node, lambda m, a, f0=f0, f1=f1, s0=s0, s1=s1: m.set_fill(
                        opacity=interpolate(f0, f1, a)).set_stroke(opacity=interpolate(s0, s1, a))))
        b, a, d = net["index"].T
        was, now = net["on"], np.array([keep[i][j] and keep[i + 1][k] for i, j, k in zip(b, a, d)])
        self.remove(*net["edges"])
        net["edges"] = VGroup()
        level = {True: 0.5, False: 0.04}
        for before, after in ((True, True), (False, False), (True, False), (False, True)):
            chosen = (was == before) & (now == after)
            if not chosen.any():
                continue
            path = self.connections(net["ends"], chosen, level[before])
            net["edges"].add(path)
            self.add(path)
            if before == after:
                self.bring_to_back(path)
            else:
                animations.append(UpdateFromAlphaFunc(path, lambda m, a, s0=level[before], s1=level[after]:
                                                      m.set_stroke(opacity=interpolate(s0, s1, a))))
        net["on"] = now
        return animations
