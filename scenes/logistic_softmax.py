"""Chapter 8 — logistic regression's sigmoid surface and boundary, softmax regression's three regions, as they train.

The surfaces are the stored snapshots (``logistic``, ``softmax``): one image mobject whose pixels are
replaced as a tracker runs over the snapshots; the loss curve is drawn up to the same epoch.
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    VGroup,
    VMobject,
)

from lecture import theme
from lecture.text import fixed, fmt

from scenes.base import AXIS_NUMBERS, LectureScene
from scenes.coordinates import affine, framed_axes

CLASS_ROLES = ("class-0", "class-1", "class-2")


def ticks(lo: float, hi: float, step: float) -> tuple[float, ...]:
    start = np.ceil(lo / step) * step
    return tuple(float(v) + 0.0 for v in np.round(np.arange(start, hi + 1e-9, step), 6))


def probability_labels(p: np.ndarray, levels: int) -> np.ndarray:
    """π over the grid as labels: 0 near π = 0.5, then class 0 (levels 1…L) or class 1 (levels L+1…2L) by |π − 0.5|."""
    strength = np.clip(np.ceil(np.abs(p - 0.5) * 2 * levels - 0.5), 0, levels).astype(int)
    return np.where(strength == 0, 0, strength + np.where(p >= 0.5, levels, 0))


def class_labels(cls: np.ndarray, conf: np.ndarray, levels: int) -> np.ndarray:
    """Predicted class and its confidence (max probability, 1/3…1) as labels 1…3L."""
    strength = np.clip(np.ceil((conf - 1 / 3) * 1.5 * levels), 1, levels).astype(int)
    return cls.astype(int) * levels + strength


def region(axes, g1: np.ndarray, g2: np.ndarray, labels: np.ndarray, colours: list[tuple[str, float]]) -> VGroup:
    """A labelled grid drawn as one VMobject per label whose sub-paths are the rows' runs of that label
    (a few dozen paths instead of thousands of squares, built with numpy; written when Pillow 13 broke ImageMobject).
    ``colours[k - 1]`` is label k's (colour, opacity); label 0 is not drawn.  Always len(colours) parts, so that
    one region can ``become`` another."""
    dx, dy = (g1[1] - g1[0]) / 2, (g2[1] - g2[0]) / 2
    to_points = affine(axes)
    group = VGroup()
    alphas = np.linspace(0, 1, 4)[None, None, :, None]          # a straight cubic curve's 4 points
    for k, (colour, opacity) in enumerate(colours, start=1):
        shape = VMobject(stroke_width=0).set_fill(colour, opacity=opacity)
        mask = (labels == k).astype(np.int8)
        steps = np.diff(np.pad(mask, ((0, 0), (1, 1))), axis=1)   # +1 where a run starts, -1 after it ends
        rows, starts = np.nonzero(steps == 1)                       # row by row, left to right
        _, ends = np.nonzero(steps == -1)
        any_run = len(rows) > 0
        if any_run:
            x0, x1 = g1[starts] - dx, g1[ends - 1] + dx
            y0, y1 = g2[rows] - dy, g2[rows] + dy
            corners = to_points(np.stack([x0, x1, x1, x0, x0], axis=1), np.stack([y1, y1, y0, y0, y1], axis=1))
            a, b = corners[:, :-1, None, :], corners[:, 1:, None, :]  # each rectangle: 4 straight curves
            shape.set_points(((1 - alphas) * a + alphas * b).reshape(-1, 3))
        if not any_run:  # an invisible, empty square keeps the part count fixed
            p0 = axes.c2p(g1[0], g2[0])
            shape.start_new_path(p0)
            shape.add_points_as_corners([p0, p0, p0, p0])
        group.add(shape)
    return group


class _Plane(LectureScene):
    """Shared pieces: the feature plane with an image over it, the points, the loss panel."""

    plane_width = 6.4
    plane_height = 4.6

    def plane(self, res, center):
        g1, g2 = res["grid_x1"], res["grid_x2"]
        x_ticks = ticks(float(g1[0]), float(g1[-1]), 1.0)
        y_ticks = ticks(float(g2[0]), float(g2[-1]), 0.5)
        axes, frame = framed_axes((float(g1[0]), float(g1[-1]), 1), (float(g2[0]), float(g2[-1]), 0.5),
                                  self.plane_width, self.plane_height, x_ticks, y_ticks, color=self.muted, font_size=AXIS_NUMBERS)
        VGroup(axes, frame).move_to(center)
        names = VGroup(self.text(f"logistic-softmax.feature.{res.settings['feature_x']}", font_size=20,
                                 color=self.muted).next_to(frame, DOWN, buff=0.45),
                       # upright above the tick labels of its axis (a rotated name reads badly from afar)
                       self.text(f"logistic-softmax.feature.{res.settings['feature_y']}", font_size=20,
                                 color=self.muted).next_to(frame, UP, buff=0.15).align_to(frame, LEFT))
        return axes, frame, names

    def place_legend(self, legend, frame, names) -> VGroup:
        """The legend above the plane's right end, beside the y axis's name; above that name where the
        two would meet (a longer English name, three species)."""
        legend.next_to(frame, UP, buff=0.15).align_to(frame[0], RIGHT)
        if legend.get_left()[0] < names[1].get_right()[0] + 0.3:
            legend.next_to(names[1], UP, buff=0.15).align_to(frame[0], RIGHT)
        return legend

    levels = 5

    def points(self, axes, x, y, radius=0.055) -> VGroup:
        return VGroup(*(Dot(axes.c2p(a, b), radius=radius, color=theme.color(CLASS_ROLES[int(c)]), stroke_width=1.2,
                            stroke_color=self.ink) for (a, b), c in zip(x, y)))

    def loss_panel(self, res, center, y_max: float):
        epochs = len(res["loss"]) - 1
        axes = Axes(x_range=(0, epochs, 100), y_range=(0, y_max, 0.25 if y_max < 1 else 0.5), x_length=4.4,
                    y_length=3.0, tips=False, axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        axes.move_to(center)
        return axes

    def counter(self, res, epoch, above) -> VMobject:
        """Epoch and accuracy at a snapshot, above the loss panel's name.  The accuracy keeps one number
        of decimals through the run (whole percents on 100 flowers, tenths on 150), so that the
        counter does not change width as it counts: 96.7%, then 98.0%, not 98%."""
        percents = 100 * np.asarray(res["acc"], dtype=float)
        decimals = 0 if np.allclose(percents, np.round(percents), atol=1e-6) else 1
        return self.text("logistic-softmax.epoch_counter", font_size=22, color=self.ink, epoch=int(epoch),
                         acc=fixed(percents[int(epoch)], decimals)).next_to(above, UP, buff=0.25)

    def loss_curve(self, axes, loss, upto: float, color: str) -> VMobject:
        n = int(np.clip(upto, 1, len(loss) - 1))
        xs = np.arange(n + 1)
        curve = VMobject(stroke_color=color, stroke_width=4)
        curve.set_points_as_corners(affine(axes)(xs, np.minimum(loss[: n + 1], axes.y_range[1])))
        return curve


class LogisticRegression(_Plane):
    """Versicolor vs virginica: π(x) over the plane and the boundary π = 0.5 evolve while the BCE falls."""

    chapter = 8
    title_key = "logistic-softmax.title"
    train_seconds = 8.0

    @staticmethod
    def final_loss_tex(res) -> str:
        """The last epoch's cross-entropy, as the line under J(w)."""
        return r"= " + fmt(res["loss"][int(res["snap_epoch"][-1])], 4)

    def typeset_ahead(self):
        return [self.final_loss_tex(self.result("logistic"))]

    def construct(self):
        res = self.result("logistic")
        x, y = res["x"], res["y"]
        formula = self.tex(r"\pi(x) = \frac{1}{1 + \exp\left(-\sum_{i=0}^{p} w_i x_i\right)}", font_size=40)
        with self.narration("logistic-softmax.sub.intro"):  # the model's formula comes in as the card leaves
            self.park_title(self.title_card("logistic-softmax.subtitle"), FadeIn(formula))
        axes, frame, names = self.plane(res, LEFT * 2.6 + DOWN * 0.35)
        dots = self.points(axes, x, y)
        legend = VGroup(*(VGroup(Dot(radius=0.07, color=theme.color(CLASS_ROLES[c])),
                                 self.text(f"logistic-softmax.binary.{c}", font_size=22))
                          .arrange(RIGHT, buff=0.12) for c in (0, 1))).arrange(RIGHT, buff=0.4)
        self.place_legend(legend, frame, names)
        with self.narration("logistic-softmax.sub.data"):
            self.play(formula.animate.scale(0.7).move_to(RIGHT * 4.3 + UP * 2.4), run_time=0.8)
            self.play(Create(frame), FadeIn(names), FadeIn(dots, lag_ratio=0.01), FadeIn(legend), run_time=1.5)
            dots = self.settle(dots)

        probs, snap_w, epochs = res["snap_prob"], res["snap_w"], res["snap_epoch"]
        colors = [theme.color(r) for r in CLASS_ROLES[:2]]
        g1, g2 = res["grid_x1"], res["grid_x2"]
        shades = [(c, 0.06 + 0.34 * k / self.levels) for c in colors for k in range(1, self.levels + 1)]

        def build(i):
            return region(axes, g1, g2, probability_labels(probs[i], self.levels), shades)

        loss_axes = self.loss_panel(res, RIGHT * 4.4 + DOWN * 1.1, 0.75)
        loss_name = self.text("logistic-softmax.bce", font_size=20, color=self.muted).next_to(loss_axes, UP, buff=0.1)
        loss = res["loss"]
        color = theme.color("sigmoid")

        image, boundary = build(0), self.boundary(axes, snap_w[0], res)
        curve, counter = self.loss_curve(loss_axes, loss, epochs[0], color), self.counter(res, epochs[0], loss_name)

        def show(i):  # snapshot i: the map, the boundary, the loss so far, the counter
            image.become(build(i))
            boundary.become(self.boundary(axes, snap_w[i], res))
            curve.become(self.loss_curve(loss_axes, loss, epochs[i], color))
            counter.become(self.counter(res, epochs[i], loss_name))

        with self.narration("logistic-softmax.sub.train"):
            self.add(image, dots)   # the image under the points
            self.bring_to_front(dots)
            self.play(Create(loss_axes), FadeIn(loss_name), run_time=0.8)
            self.add(boundary, curve, counter)
            self.step_through(len(epochs), self.train_seconds, show)
        last = int(epochs[-1])
        with self.narration("logistic-softmax.sub.end", epochs=last, loss=fmt(loss[last], 4),
                            acc=fmt(100 * res["acc"][last], 3)):
            note = VGroup(
                self.tex(r"J(w) = -\frac{1}{n}\sum_i [y_i \log \pi_i + (1 - y_i)\log(1 - \pi_i)]", font_size=30,
                         color=color),
                self.tex(self.final_loss_tex(res), font_size=34, color=color)).arrange(DOWN, buff=0.12)
            self.on_screen(note.scale_to_fit_width(min(note.width, 5.4)).move_to([4.3, 2.55, 0]))
            self.play(FadeOut(formula), FadeIn(note), run_time=0.8)
            self.wait(1.0)

    def boundary(self, axes, w, res) -> VMobject:
        """π = 0.5: w0 + w1 x1 + w2 x2 = 0, clipped to the plane."""
        g1, g2 = res["grid_x1"], res["grid_x2"]
        xs = np.linspace(float(g1[0]), float(g1[-1]), 200)
        line = VMobject(stroke_color=self.ink, stroke_width=4)
        if abs(w[2]) < 1e-9:
            line.set_points_as_corners([axes.c2p(xs[0], float(g2[0]))] * 2)
            line.set_stroke(opacity=0)
            return line
        ys = -(w[0] + w[1] * xs) / w[2]
        keep = (ys >= g2[0]) & (ys <= g2[-1])
        if keep.sum() < 2:
            line.set_points_as_corners([axes.c2p(xs[0], float(g2[0]))] * 2)
            line.set_stroke(opacity=0)
            return line
        line.set_points_as_corners(affine(axes)(xs[keep], ys[keep]))
        return line


class SoftmaxRegression(_Plane):
    """Three iris species: the predicted class over the plane evolves; then the table activation ↔ loss, checked."""

    chapter = 8
    title_key = "logistic-softmax.softmax_title"
    train_seconds = 8.0

    def typeset_ahead(self):
        """The last epoch's loss at the curve's end (typeset ahead in one run)."""
        res = self.result("softmax")
        return [fmt(res["loss"][int(res["snap_epoch"][-1])], 4)]

    def construct(self):
        res = self.result("softmax")
        x, y = res["x"], res["y"]
        axes, frame, names = self.plane(res, LEFT * 2.6 + DOWN * 0.35)
        dots = self.points(axes, x, y)
        legend = VGroup(*(VGroup(Dot(radius=0.07, color=theme.color(CLASS_ROLES[c])),
                                 self.text(f"logistic-softmax.species.{c}", font_size=22))
                          .arrange(RIGHT, buff=0.12) for c in range(3))).arrange(RIGHT, buff=0.4)
        self.place_legend(legend, frame, names)
        formula = self.tex(r"\pi_i^k = \frac{\exp(x w^k)}{\sum_{j=1}^{K} \exp(x w^j)}", font_size=32)
        formula.move_to(RIGHT * 4.4 + UP * 2.6)
        classes, conf, epochs = res["snap_class"], res["snap_maxprob"], res["snap_epoch"]
        colors = [theme.color(r) for r in CLASS_ROLES]
        g1, g2 = res["grid_x1"], res["grid_x2"]
        shades = [(c, 0.08 + 0.3 * k / self.levels) for c in colors for k in range(1, self.levels + 1)]

        def build(i):
            return region(axes, g1, g2, class_labels(classes[i], conf[i], self.levels), shades)

        loss = res["loss"]
        color = theme.color("highlight")
        loss_axes = self.loss_panel(res, RIGHT * 4.4 + DOWN * 1.1, 1.2)
        loss_name = self.text("logistic-softmax.ce", font_size=20, color=self.muted).next_to(loss_axes, UP, buff=0.1)

        image, curve, counter = build(0), self.loss_curve(loss_axes, loss, epochs[0], color), self.counter(res, epochs[0], loss_name)

        def show(i):  # snapshot i: the class map, the loss so far, the counter
            image.become(build(i))
            curve.become(self.loss_curve(loss_axes, loss, epochs[i], color))
            counter.become(self.counter(res, epochs[i], loss_name))

        with self.narration("logistic-softmax.sub.softmax_intro"):  # the three species come in as the card leaves
            self.park_title(self.title_card("logistic-softmax.softmax_subtitle"), Create(frame), FadeIn(names),
                            FadeIn(dots), FadeIn(legend))
            dots = self.settle(dots)
        with self.narration("logistic-softmax.sub.softmax_train"):
            self.play(FadeIn(formula), run_time=0.8)
            self.add(image)
            self.bring_to_front(dots)
            self.play(Create(loss_axes), FadeIn(loss_name), run_time=0.8)
            self.add(curve, counter)
            self.step_through(len(epochs), self.train_seconds, show)
        last = int(epochs[-1])
        with self.narration("logistic-softmax.sub.softmax_end", epochs=last, loss=fmt(loss[last], 4),
                            acc=fmt(100 * res["acc"][last], 3)):
            end = Dot(loss_axes.c2p(last, min(float(loss[last]), loss_axes.y_range[1])), radius=0.07, color=color)
            final = self.tex(fmt(loss[last], 4), font_size=32, color=color).next_to(end, UP + LEFT, buff=0.1)
            self.play(FadeIn(end, scale=0.5), FadeIn(final), run_time=0.8)
            self.wait(1.0)
        table = self.table()
        with self.narration("logistic-softmax.sub.table"):
            self.play(FadeOut(VGroup(frame, names, dots, legend, formula, loss_axes, loss_name, curve, counter, end,
                                     final)),
                      FadeOut(image), FadeIn(table[0]), run_time=0.8)
            for row in table[1:]:
                self.play(FadeIn(row, shift=0.1 * RIGHT), run_time=0.8)
            self.wait(1.5)

    def table(self) -> VGroup:
        """The slides' table with a computed check per row (read from ``logistic``, ``softmax``, ``loss-table``)."""
        lo, so, ga = self.result("logistic"), self.result("softmax"), self.result("loss-table")

        def sgn(v: float, d: int) -> str:
            return f"{v:.{d}f}".replace("-", "−")

        checks = [
            self.t("logistic-softmax.check.bern", bce=f"{lo.scalar('bce'):.6f}", nll=f"{lo.scalar('bern_nll'):.6f}"),
            self.t("logistic-softmax.check.cat", ce=f"{so.scalar('ce'):.6f}", nll=f"{so.scalar('cat_nll'):.6f}"),
            self.t("logistic-softmax.check.gauss", mse=sgn(ga.scalar("mse"), 5), nll=sgn(ga.scalar("nll"), 5),
                   const=sgn(ga.scalar("const"), 5), rest=sgn(ga.scalar("nll_minus_const"), 5)),
        ]
        xs = (-5.9, -3.9, -1.95, 0.05, 4.3)
        # a cell longer than its column takes two lines (as the English names do), not a smaller font
        # the column heads are what the narration names as the table comes in ("the output's distribution sets
        # the activation and the loss"): 3 % of the frame high, as the layout test holds a narrated label
        header = VGroup(*(self.wrapped(self.t(f"logistic-softmax.table.col.{c}"), 1.95 if c != "check" else 5.2,
                                       font_size=25 if c != "check" else 20, weight="BOLD", line_gap=0.08)
                          .move_to([x_, 2.3, 0])
                          for x_, c in zip(xs, ("kind", "dist", "act", "loss", "check"))))
        rows = [header]
        for r, (name, check) in enumerate(zip(("bern", "cat", "gauss"), checks)):
            y_ = 1.2 - 1.35 * r
            cells = VGroup(*(self.wrapped(self.t(f"logistic-softmax.table.{name}.{c}"), 1.8, font_size=22,
                                          line_gap=0.08).move_to([x_, y_, 0])
                             for x_, c in zip(xs, ("kind", "dist", "act", "loss"))))
            chk = self.plain(check, font_size=18, color=theme.color("highlight")).move_to([xs[4], y_, 0])
            if chk.width > 5.4:
                chk.scale_to_fit_width(5.4)
            rule = Line([-6.6, y_ + 0.65, 0], [6.9, y_ + 0.65, 0], stroke_width=1, color=self.muted)
            rows.append(VGroup(rule, cells, chk))
        return VGroup(*rows)
