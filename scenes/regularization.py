"""Chapter 12 — 정칙화 along a λ path, drawn from the stored ``regularization-path`` result.

``RegularizationPath``: the over-fitting network's weights as two histograms, L2 on the left and L1 on the right,
stepping through λ (the same network at λ = 0 heads both paths), with the training and validation accuracy of
each λ as two marks on a line and the gap between them; then the 2-D picture: the circle and the diamond shrink
through the computed L2 and L1 solutions as λ grows, and the L1 solution reaches an axis and stays there.
"""
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
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    NumberLine,
    Polygon,
    Rectangle,
    Transform,
    VGroup,
    VMobject,
)

from lecture import theme
from lecture.text import accuracy, fixed, fmt

from scenes.base import AXIS_NUMBERS, LectureScene, Retext, axes_points, polyline
from scenes.contours import contour_lines

KINDS = ("l2", "l1")


def pct(share: float) -> str:
    """A share as a percentage with at most three significant digits (91.4%, 1.0%)."""
    return f"{fmt(100 * float(share), 3)}%"


class RegularizationPath(LectureScene):
    """λ grows: L2 shrinks the weights, L1 sends them to 0; the train/validation gap closes; the geometry."""

    chapter = 12
    title_key = "regularization.title"
    panel = (5.6, 2.3)           # a histogram's axes
    centers = {"l2": -3.45, "l1": 3.45}
    step_seconds = 1.0           # how long the change from one λ to the next plays
    gap_y = -2.75                # the line of the accuracies under each histogram

    def construct(self):
        res = self.result("regularization-path")
        edges = np.asarray(res["hist_edges"], dtype=float)
        counts = {k: np.asarray(res[f"{k}/weight_hist"], dtype=float) for k in KINDS}     # (λ, bin)
        n_weights = {k: counts[k].sum(axis=1) / (1 - np.asarray(res[f"{k}/outside"], dtype=float)) for k in KINDS}
        shares = {k: counts[k] / n_weights[k][:, None] for k in KINDS}                   # share of all weights
        lams = {k: np.asarray(res[f"{k}/lambdas"], dtype=float) for k in KINDS}
        steps = len(lams["l2"])
        seeds = len(res["seed_values"])
        # the y range: the tallest bar of the unpenalised network, with room; a taller bar is cut and says so
        top = float(shares["l2"][0].max()) * 1.6
        colour = {k: theme.color(k) for k in KINDS}

        panels = {}
        for k in KINDS:
            axes = Axes(x_range=(edges[0], edges[-1], 0.05), y_range=(0, top, top), x_length=self.panel[0],
                        y_length=self.panel[1], tips=False,
                        axis_config={"color": self.muted, "font_size": AXIS_NUMBERS},
                        x_axis_config={"include_numbers": True, "numbers_to_include": [-0.1, 0, 0.1],
                                       "decimal_number_config": {"num_decimal_places": 1}})
            axes.move_to([self.centers[k], 0.95, 0])
            head = self.text(f"regularization.path.head_{k}", font_size=26, color=colour[k], weight="BOLD")
            head.next_to(axes, UP, buff=0.3).align_to(axes, LEFT)
            panels[k] = {"axes": axes, "head": head}
        x_name = self.text("regularization.axis_weight", font_size=22, color=self.muted)
        x_name.next_to(panels["l1"]["axes"].x_axis, DOWN, buff=0.42).align_to(panels["l1"]["axes"], RIGHT)
        x_name_left = x_name.copy().align_to(panels["l2"]["axes"], RIGHT)

        def bars(k, i):
            return self.histogram(panels[k]["axes"], edges, shares[k][i], top, colour[k])

        def readout(k, i):
            values = dict(lam=fmt(lams[k][i], 2), norm=fixed(res[f"{k}/weight_l2"][i], 1),
                          zero=pct(res[f"{k}/near_zero"][i]), eps=fmt(res.settings["near_zero"], 2),
                          outside=pct(res[f"{k}/outside"][i]), limit=fmt(res.settings["hist_limit"], 2))
            lines = VGroup(self.text("regularization.path.lambda", font_size=24, color=colour[k], **values),
                           self.text("regularization.path.stats", font_size=22, **values),
                           self.text("regularization.path.outside", font_size=20, color=self.muted, **values))
            lines.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
            return lines.next_to(panels[k]["axes"], DOWN, buff=0.75).align_to(panels[k]["axes"], LEFT)

        def gap_bar(k, i):
            return self.gap_bar(panels[k]["axes"], res[f"{k}/train_acc"][i], res[f"{k}/val_acc"][i], colour[k])

        shown = {k: {"bars": bars(k, 0), "readout": readout(k, 0), "gap": gap_bar(k, 0)} for k in KINDS}
        intro = dict(train=res.settings["train_size"], epochs=res.settings["epochs"])
        with self.narration("regularization.sub.path_intro", **intro):
            self.park_title(self.title_card("regularization.path.subtitle"),
                            *(FadeIn(VGroup(panels[k]["axes"], panels[k]["head"])) for k in KINDS))
            self.play(*(FadeIn(shown[k]["bars"]) for k in KINDS), FadeIn(x_name), FadeIn(x_name_left), run_time=0.8)

        none = dict(train=accuracy(res["l2/train_acc"][0]), val=accuracy(res["l2/val_acc"][0]),
                    gap=accuracy(res["l2/train_acc"][0] - res["l2/val_acc"][0]), norm=fixed(res["l2/weight_l2"][0], 1))
        with self.narration("regularization.sub.path_none", **none):
            self.play(*(FadeIn(shown[k]["readout"]) for k in KINDS), run_time=0.8)
            self.play(*(FadeIn(shown[k]["gap"]) for k in KINDS), run_time=0.8)
            self.wait(1.0)

        def to_step(i, kinds=KINDS):
            animations = []
            for k in kinds:
                new = {"bars": bars(k, i), "readout": readout(k, i), "gap": gap_bar(k, i)}
                animations += [Transform(shown[k]["bars"], new["bars"]), Transform(shown[k]["gap"], new["gap"])]
                animations += [Retext(a, b) for a, b in zip(shown[k]["readout"], new["readout"])]
                shown[k]["readout"] = new["readout"]
            self.play(*animations, run_time=self.step_seconds)

        # the paths, one λ at a time: both penalties at once
        norms = " → ".join(fixed(v, 1) for v in res["l2/weight_l2"][:steps - 1])      # the steps this cue shows
        zeros = " → ".join(pct(v) for v in res["l1/near_zero"][:steps - 1])
        with self.narration("regularization.sub.path_grow", norms=norms, zeros=zeros, seeds=seeds):
            for i in range(1, steps - 1):
                to_step(i)
                self.wait(1.2)

        middle = steps - 2
        gaps = {k: np.asarray(res[f"{k}/train_acc"], dtype=float) - np.asarray(res[f"{k}/val_acc"], dtype=float)
                for k in KINDS}
        mid = dict(gap=accuracy(gaps["l2"][0]), l2=accuracy(gaps["l2"][middle]), l1=accuracy(gaps["l1"][middle]),
                   l2_lam=fmt(lams["l2"][middle], 2), l1_lam=fmt(lams["l1"][middle], 2),
                   val=accuracy(res["l2/val_acc"][0]), l2_val=accuracy(res["l2/val_acc"][middle]),
                   l1_val=accuracy(res["l1/val_acc"][middle]), seeds=seeds)
        with self.narration("regularization.sub.path_gap", **mid):
            for k in KINDS:    # each penalty's gap, then its validation accuracy
                self.play(shown[k]["gap"][1].animate.set_stroke(width=18, opacity=0.9), run_time=0.8)
                self.play(shown[k]["gap"][1].animate.set_stroke(width=10, opacity=0.6), run_time=0.6)
                self.play(Indicate(shown[k]["gap"][3], scale_factor=1.08, color=colour[k]), run_time=1.2)

        last = steps - 1
        big = dict(l2_lam=fmt(lams["l2"][last], 2), l1_lam=fmt(lams["l1"][last], 2),
                   l2_train=accuracy(res["l2/train_acc"][last]), l1_train=accuracy(res["l1/train_acc"][last]),
                   l2_val=accuracy(res["l2/val_acc"][last]), l1_val=accuracy(res["l1/val_acc"][last]), seeds=seeds)
        with self.narration("regularization.sub.path_too_much", **big):
            to_step(last)
            self.wait(1.5)
            self.play(*(shown[k]["gap"].animate.scale(1.15) for k in KINDS), run_time=0.8)
            self.play(*(shown[k]["gap"].animate.scale(1 / 1.15) for k in KINDS), run_time=0.8)

        everything = VGroup(*(VGroup(panels[k]["axes"], panels[k]["head"], shown[k]["bars"], shown[k]["readout"],
                                     shown[k]["gap"]) for k in KINDS), x_name, x_name_left)
        self.geometry(res, everything)

    # --- the network's pieces -------------------------------------------------------------
    def histogram(self, axes, edges, shares, top, colour) -> VGroup:
        """Bars of the shares per bin as one path; a bar above the axes' top is cut there, and an arrow
        with its share marks it (the data leave the window and say so)."""
        path = VMobject(stroke_width=0, fill_color=colour, fill_opacity=0.85)
        over = VGroup()
        for lo, hi, value in zip(edges[:-1], edges[1:], shares):
            if value <= 0:
                continue
            shown = min(value, top)
            corners = axes_points(axes, [lo, hi, hi, lo, lo], [0, 0, shown, shown, 0])
            path.start_new_path(corners[0])
            path.add_points_as_corners(corners[1:])
        tallest = int(np.argmax(shares))
        if shares[tallest] > top:
            x = (edges[tallest] + edges[tallest + 1]) / 2
            tip = axes.c2p(x, top)
            arrow = Polygon(tip + UP * 0.18, tip + UP * 0.02 + LEFT * 0.1, tip + UP * 0.02 + RIGHT * 0.1,
                            stroke_width=0, fill_color=colour, fill_opacity=1)
            label = self.plain(pct(shares[tallest]), font_size=22, color=colour).next_to(arrow, RIGHT, buff=0.08)
            label.shift(UP * 0.05)
            over.add(arrow, label)
        return VGroup(path, over)

    def gap_bar(self, axes, train: float, val: float, colour) -> VGroup:
        """Training and validation accuracy as two marks on a line from 0 to 1 under the histogram, the gap
        between them drawn thick, the values beside the marks."""
        line = NumberLine(x_range=(0, 1, 0.25), length=axes.x_length, color=self.muted, include_numbers=False,
                          stroke_width=2)
        line.align_to(axes, LEFT).set_y(self.gap_y)
        gap = Line(line.n2p(val), line.n2p(train), color=colour, stroke_width=10, stroke_opacity=0.6)
        marks = VGroup(Dot(line.n2p(train), radius=0.08, color=theme.color("train")),
                       Dot(line.n2p(val), radius=0.08, color=theme.color("validation")))
        text = self.wrapped(self.t("regularization.path.accs", train=accuracy(train), val=accuracy(val),
                                   gap=accuracy(train - val)), axes.x_length, font_size=20, aligned_edge=LEFT)
        text.next_to(line, DOWN, buff=0.14).align_to(line, LEFT)
        ends = VGroup(self.plain("0", font_size=20, color=self.muted).next_to(line.n2p(0), UP, buff=0.1),
                      self.plain("1", font_size=20, color=self.muted).next_to(line.n2p(1), UP, buff=0.1))
        return VGroup(line, gap, marks, text, ends)

    # --- the 2-D picture ---------------------------------------------------------------------
    def geometry(self, res, before: VGroup) -> None:
        axis = np.asarray(res["toy/axis"], dtype=float)
        loss = np.asarray(res["toy/loss"], dtype=float)
        w_star = np.asarray(res["toy/w_star"], dtype=float)
        lams = np.asarray(res["toy/lambdas"], dtype=float)
        sol = {k: np.asarray(res[f"toy/w_{k}"], dtype=float) for k in KINDS}
        lim = float(axis[-1])
        planes = {}
        for k in KINDS:
            plane = Axes(x_range=(-lim, lim, 1), y_range=(-lim, lim, 1), x_length=4.9, y_length=4.9, tips=False,
                         axis_config={"color": self.muted, "stroke_width": 2})
            plane.move_to([self.centers[k] - 0.9, -0.55, 0])
            levels = sorted({float(res[f"toy/loss_{k}"][-1]) * f for f in (0.15, 0.4, 0.8, 1.3, 2.0)})
            contours = contour_lines(plane, axis, axis, loss, levels, color=self.muted, stroke_width=1.5, opacity=0.5)
            head = self.text(f"regularization.path.geometry_{k}", font_size=24, color=theme.color(k), weight="BOLD")
            head.next_to(plane, UP, buff=0.15)
            star = Dot(plane.c2p(*w_star), radius=0.08, color=self.ink)
            star_label = self.text("regularization.w_star", font_size=20, color=self.ink)
            star_label.next_to(star, UP + RIGHT, buff=0.05)
            # the window the loss was computed over, drawn: the contours end at its edge
            window = Rectangle(width=plane.x_length, height=plane.y_length, stroke_color=self.muted, stroke_width=1.5,
                               stroke_opacity=0.6).move_to(plane.c2p(0, 0))
            planes[k] = {"plane": VGroup(plane, window), "contours": contours, "head": head,
                         "star": VGroup(star, star_label), "axes": plane}

        def ball(k, i):
            plane = planes[k]["axes"]
            w = sol[k][i]
            if k == "l2":
                r = float(np.linalg.norm(w))
                shape = Circle(radius=max(r, 1e-3) * plane.x_length / (2 * lim))
                shape.move_to(plane.c2p(0, 0))
            else:
                r = float(np.abs(w).sum())
                shape = Polygon(*axes_points(plane, [r, 0, -r, 0], [0, r, 0, -r]))
            shape.set_stroke(theme.color(k), width=3).set_fill(theme.color(k), opacity=0.2)
            return shape

        def point(k, i):
            return Dot(planes[k]["axes"].c2p(*sol[k][i]), radius=0.09, color=theme.color("highlight"))

        def trail(k, i):
            return polyline(planes[k]["axes"], sol[k][: i + 1, 0], sol[k][: i + 1, 1], color=theme.color("highlight"),
                            stroke_width=3) if i > 0 else VGroup()

        def readout(i):
            return self.text("regularization.path.toy_lambda", font_size=26, lam=fmt(lams[i], 2)).to_corner(UP + RIGHT,
                                                                                                        buff=0.4)

        first = 1   # λ = 0: both solutions are w* itself
        with self.narration("regularization.sub.geometry_intro"):
            self.play(FadeOut(before), *(FadeIn(VGroup(p["plane"], p["head"])) for p in planes.values()), run_time=0.8)
            self.play(*(Create(p["contours"]) for p in planes.values()), run_time=1.5)
            self.play(*(FadeIn(p["star"]) for p in planes.values()), run_time=0.6)
            state = {k: {"ball": ball(k, first), "point": point(k, first), "trail": trail(k, first)} for k in KINDS}
            lam_text = readout(first)
            self.play(*(Create(state[k]["ball"]) for k in KINDS), FadeIn(lam_text), run_time=1.2)
            self.play(*(FadeIn(VGroup(state[k]["point"], state[k]["trail"])) for k in KINDS), run_time=0.6)
            self.play(*(Indicate(state[k]["point"], scale_factor=1.8, color=theme.color("highlight")) for k in KINDS),
                      run_time=1.2)

        def show(i):
            for k in KINDS:
                for name, make in (("ball", ball), ("point", point), ("trail", trail)):
                    state[k][name].become(make(k, i))
            lam_text.become(readout(i))

        zeros = (np.abs(sol["l1"]) < 1e-12).sum(axis=1)
        on_axis = int(np.argmax(zeros >= 1))
        to_zero = int(np.argmax(zeros == 2)) if np.any(zeros == 2) else len(lams) - 1
        hits = dict(lam=fmt(lams[on_axis], 2), zero=fmt(lams[to_zero], 2), last=fmt(lams[-1], 2),
                    w1=fixed(sol["l1"][on_axis, 0], 2))
        with self.narration("regularization.sub.geometry_grow", **hits):
            self.step_through(on_axis - first + 1, 4.0, lambda j: show(first + j))
            self.play(FadeIn(self.axis_mark(planes["l1"]["axes"], sol["l1"][on_axis])), run_time=0.6)
            self.step_through(len(lams) - on_axis, 4.0, lambda j: show(on_axis + j))
        l2_last = sol["l2"][-1]
        with self.narration("regularization.sub.geometry_l2", w1=fixed(l2_last[0], 2), w2=fixed(l2_last[1], 2),
                            lam=fmt(lams[-1], 2)):
            self.play(state["l2"]["point"].animate.scale(1.8), run_time=0.6)
            self.play(state["l2"]["point"].animate.scale(1 / 1.8), run_time=0.6)
            self.wait(1.5)

    def axis_mark(self, plane, w) -> VGroup:
        """A ring where the L1 solution reaches the axis."""
        ring = Circle(radius=0.2, color=theme.color("highlight"), stroke_width=3).move_to(plane.c2p(*w))
        return VGroup(ring)
