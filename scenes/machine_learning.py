"""Chapter 3 — machine learning: a rule written by hand against a classifier learned from data, the five parts of
machine learning on that classifier, and the three kinds of learning each as a small computation.

Everything drawn is read from the stored ``machine-learning`` result: the iris petals, the rule's thresholds and
accuracies, the classifier's weights after every gradient-descent step (its regions are the half-planes where
one logit is the largest), k-means' centroids after every iteration, and Q-learning's values over its moves.
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
    Cross,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    Line,
    Polygon,
    Square,
    VGroup,
    VMobject,
)

from lecture import theme
from lecture.text import fmt

from scenes.base import AXIS_NUMBERS, LectureScene, fit_width, polyline
from scenes.coordinates import framed_axes

SPECIES = ("class-0", "class-1", "class-2")
BOX = (0.5, 7.5, 0.0, 2.75)                                    # the petal plane drawn (cm)
MOVES = ((0, 1), (1, 0), (0, -1), (-1, 0))                      # up, right, down, left as (dx, dy) on screen


def clip_half_plane(poly: np.ndarray, a: float, b: float, c: float) -> np.ndarray:
    """The part of the convex polygon ``poly`` (n, 2) where a·x + b·y + c ≥ 0 (Sutherland–Hodgman)."""
    out = []
    n = len(poly)
    for i in range(n):
        p, q = poly[i], poly[(i + 1) % n]
        fp, fq = a * p[0] + b * p[1] + c, a * q[0] + b * q[1] + c
        if fp >= 0:
            out.append(p)
        if (fp >= 0) != (fq >= 0):
            out.append(p + (q - p) * fp / (fp - fq))
    return np.array(out).reshape(-1, 2)


def class_regions(w: np.ndarray, b: np.ndarray, mean: np.ndarray, std: np.ndarray, box=BOX):
    """The regions of the plane (cm) where each class's logit W (x − mean)/std + b is the largest: convex polygons
    (possibly empty), and the boundary segments between them."""
    a = w / std                                   # logits in cm: a x + c
    c = b - a @ mean
    x0, x1, y0, y1 = box
    rect = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=float)
    polys, edges = [], []
    for k in range(len(w)):
        poly = rect
        for j in range(len(w)):
            if j != k and len(poly):
                d = a[k] - a[j]
                poly = clip_half_plane(poly, d[0], d[1], c[k] - c[j])
        polys.append(poly)
        for i in range(len(poly)):
            p, q = poly[i], poly[(i + 1) % len(poly)]
            for j in range(len(w)):
                if j == k:
                    continue
                d, e = a[k] - a[j], c[k] - c[j]
                if abs(d @ p + e) < 1e-7 and abs(d @ q + e) < 1e-7 and np.linalg.norm(q - p) > 1e-9 and k < j:
                    edges.append((p, q))
    return polys, edges


class PetalScene(LectureScene):
    """What both videos draw: the petal plane, the flowers, the classifier's regions."""

    chapter = 3

    def petal_plane(self, width: float, height: float, xticks, yticks, font_size: float = AXIS_NUMBERS):
        x0, x1, y0, y1 = BOX
        return framed_axes((x0, x1, 1.0), (y0, y1, 0.5), width, height, xticks, yticks, color=self.muted,
                           font_size=font_size)

    def flowers(self, axes, xy: np.ndarray, label: np.ndarray, radius: float = 0.06, stroke: float = 0.0) -> VGroup:
        return VGroup(*(Dot(axes.c2p(p, q), radius=radius, color=theme.color(SPECIES[int(c)]),
                            stroke_color=self.colors["background"], stroke_width=stroke)
                        for (p, q), c in zip(xy, label)))

    def regions(self, axes, w, b, mean, std) -> VGroup:
        """Filled class regions and the learned boundaries (purple)."""
        polys, edges = class_regions(w, b, mean, std)
        fills = VGroup()
        for k, poly in enumerate(polys):
            if len(poly) >= 3:
                fills.add(Polygon(*(axes.c2p(*p) for p in poly), stroke_width=0)
                          .set_fill(theme.color(SPECIES[k]), opacity=0.2))
        lines = VGroup(*(Line(axes.c2p(*p), axes.c2p(*q), color=theme.color("learned"), stroke_width=6)
                         for p, q in edges))
        return VGroup(fills, lines)

    def legend(self, font_size: float = 22) -> VGroup:
        items = VGroup()
        for c in range(3):
            items.add(VGroup(Dot(radius=0.08, color=theme.color(SPECIES[c])),
                             self.text(f"machine-learning.species.{c}", font_size=font_size, color=self.ink)
                             ).arrange(RIGHT, buff=0.1))
        return items.arrange(RIGHT, buff=0.3)


class RulesVsLearning(PetalScene):
    """Iris petals; the rule's two thresholds; the five parts of the learned classifier; gradient descent moving
    its boundaries; both judged on the held-out flowers."""

    title_key = "machine-learning.title"
    learning_seconds = 7.0

    def construct(self):
        res = self.result("machine-learning")
        s = res.settings
        pct = lambda v: f"{100 * float(v):.0f}"            # noqa: E731
        axes, frame = self.petal_plane(6.2, 4.0, (1, 2, 3, 4, 5, 6, 7), (0, 0.5, 1, 1.5, 2, 2.5))
        VGroup(axes, frame).move_to(LEFT * 3.1 + DOWN * 0.5)
        box = frame[0]
        xlabel = self.text("machine-learning.axis_length", font_size=20, color=self.muted).next_to(frame, DOWN, buff=0.1)
        ylabel = self.text("machine-learning.axis_width", font_size=20, color=self.muted)
        ylabel.next_to(box, UP, buff=0.12).align_to(box, LEFT)
        legend = self.legend(25).next_to(box, UP, buff=0.12).align_to(box, RIGHT)
        if legend.get_left()[0] < ylabel.get_right()[0] + 0.3:
            legend.next_to(ylabel, UP, buff=0.12).align_to(box, LEFT)
        dots = self.flowers(axes, res["x"], res["y"])
        with self.narration("machine-learning.sub.intro"):
            card = self.title_card("machine-learning.subtitle")
            self.park_title(card, Create(frame), FadeIn(xlabel), FadeIn(ylabel), FadeIn(legend))
            self.play(FadeIn(dots, scale=0.5, lag_ratio=0.01), run_time=1.5)
        dots = self.settle(dots)

        # --- the rule
        rule_color = theme.color("rule")
        a, b = s["rule_setosa"], s["rule_versicolor"]
        rule_lines = VGroup(*(Line(axes.c2p(v, BOX[2]), axes.c2p(v, BOX[3]), color=rule_color, stroke_width=6)
                              for v in (a, b)))
        head = self.wrapped(self.t("machine-learning.rule_head"), 5.6, font_size=28, color=rule_color, weight="BOLD",
                            aligned_edge=LEFT)
        body = VGroup(*(self.plain(line, font_size=26, color=self.ink)
                        for line in self.t("machine-learning.rule_lines", a=fmt(a), b=fmt(b)).split("\n")))
        body.arrange(DOWN, buff=0.22, aligned_edge=LEFT)
        fit_width(body, 5.6)
        rule_text = VGroup(head, body).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        rule_text.move_to(RIGHT * 3.85 + UP * 0.6)
        with self.narration("machine-learning.sub.rule", a=fmt(a), b=fmt(b)):
            self.play(FadeIn(head), run_time=0.6)
            for line, row in zip(rule_lines, body):
                self.play(Create(line), FadeIn(row), run_time=0.9)
            self.play(FadeIn(body[2]), run_time=0.6)

        # --- the five parts, on the learned classifier
        n_train = res["train_idx"].shape[1]
        classes, features = res["learned/w"].shape[1:]
        values = {"data": {"n": n_train}, "model": {"p": classes * features + classes},
                  "optimizer": {"lr": fmt(s["lr"]), "steps": s["steps"]}}
        parts_head = self.text("machine-learning.components_head", font_size=26, weight="BOLD")
        rows = VGroup()
        for part in ("task", "data", "model", "loss", "optimizer"):
            name, what = (x.strip() for x in self.t(f"machine-learning.part.{part}", **values.get(part, {})).split("|"))
            label = self.plain(name, font_size=22, color=theme.color("learned"), weight="BOLD")
            rows.add(VGroup(label, self.wrapped(what, 4.0, font_size=22, aligned_edge=LEFT)))
        name_width = max(r[0].width for r in rows)
        for r in rows:
            r[1].next_to(r[0], RIGHT, buff=name_width - r[0].width + 0.25, aligned_edge=UP)
        rows.arrange(DOWN, buff=0.28, aligned_edge=LEFT)
        parts = VGroup(parts_head, rows).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        fit_width(parts, 5.7)
        parts.move_to(RIGHT * 3.85 + UP * 0.2)
        with self.narration("machine-learning.sub.components"):
            self.play(FadeOut(rule_text), FadeIn(parts_head), run_time=0.8)
            for r in rows:
                self.play(FadeIn(r, shift=0.15 * RIGHT), run_time=0.7)

        # --- learning: gradient descent moves the boundaries, the loss falls
        loss = res["learned/loss"][0]
        w_path, b_path = res["learned/w_path"], res["learned/b_path"]
        mean, std = res["learned/mean"][0], res["learned/std"][0]
        shown_steps = np.unique(np.round(np.geomspace(1, len(loss) - 1, 18)).astype(int))
        loss_axes, loss_frame = framed_axes((0, len(loss) - 1, 100), (0, 1.2, 0.4), 4.6, 2.2,
                                            (0, 100, 200, 300), (0, 0.4, 0.8, 1.2), color=self.muted,
                                            font_size=AXIS_NUMBERS)
        loss_group = VGroup(loss_axes, loss_frame).move_to(RIGHT * 4.1 + DOWN * 1.6)
        loss_name = self.text("machine-learning.axis_loss", font_size=24, color=self.muted)
        loss_name.next_to(loss_frame[0], UP, buff=0.12).align_to(loss_frame[0], LEFT)
        counter_at = loss_name.get_top() + UP * 0.5

        def counter(step: int):
            return self.text("machine-learning.step_counter", font_size=24, color=theme.color("learned"),
                             step=step, loss=f"{loss[step]:.3f}").move_to(counter_at).align_to(loss_frame[0], LEFT)

        state = {"regions": self.regions(axes, w_path[1], b_path[1], mean, std), "counter": counter(0),
                 "curve": polyline(loss_axes, [0], [loss[0]], color=theme.color("learned"), stroke_width=5)}

        def show(i: int):
            k = int(shown_steps[i])
            new_regions = self.regions(axes, w_path[k], b_path[k], mean, std)
            state["regions"].become(new_regions)
            state["counter"].become(counter(k))
            state["curve"].become(polyline(loss_axes, np.arange(k + 1), loss[:k + 1], color=theme.color("learned"),
                                           stroke_width=5))

        with self.narration("machine-learning.sub.learning", first=f"{loss[0]:.3f}", last=f"{loss[-1]:.3f}"):
            self.play(FadeOut(parts), FadeIn(loss_frame), FadeIn(loss_name), FadeIn(state["counter"]),
                      FadeIn(state["regions"]), run_time=0.8)
            self.add(state["curve"])
            self.bring_to_front(dots)
            self.step_through(len(shown_steps), self.learning_seconds, show)

        # --- held-out flowers: both judged on data neither saw
        test_x, test_y = res["one_seed/test_x"], res["one_seed/test_y"]
        rule_pred, learned_pred = res["rule/test_pred"][0], res["learned/test_pred"][0]
        test_dots = self.flowers(axes, test_x, test_y, radius=0.1, stroke=2.0)
        rule_rings, learned_rings = VGroup(), VGroup()    # the test flowers each gets wrong
        for (p, q), c, r_pred, l_pred in zip(test_x, test_y, rule_pred, learned_pred):
            if r_pred != c:
                rule_rings.add(Circle(radius=0.19, color=rule_color, stroke_width=4).move_to(axes.c2p(p, q)))
            if l_pred != c:
                learned_rings.add(Circle(radius=0.26, color=theme.color("learned"), stroke_width=4)
                                  .move_to(axes.c2p(p, q)))
        n_test = len(test_y)
        rule_acc, learned_acc = res["rule/test_acc"], res["learned/test_acc"]
        test_head = self.text("machine-learning.test_head", font_size=24, weight="BOLD", n=n_test)
        acc_rule = self.text("machine-learning.acc_rule", font_size=32, color=rule_color, acc=pct(rule_acc[0]))
        acc_learned = self.text("machine-learning.acc_learned", font_size=32, color=theme.color("learned"),
                                acc=pct(learned_acc[0]))
        acc_mean = self.wrapped(self.t("machine-learning.acc_mean", k=len(rule_acc), rule=pct(rule_acc.mean()),
                                       learned=pct(learned_acc.mean())), 5.6, font_size=22, color=self.muted,
                                aligned_edge=LEFT)
        scores = VGroup(test_head, acc_rule, acc_learned, acc_mean).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        fit_width(scores, 5.7)
        scores.move_to(RIGHT * 3.85 + UP * 0.3)
        with self.narration("machine-learning.sub.held_out", n=n_test, rule=pct(rule_acc[0]),
                            learned=pct(learned_acc[0]), k=len(rule_acc), rule_mean=pct(rule_acc.mean()),
                            learned_mean=pct(learned_acc.mean())):
            self.play(FadeOut(loss_frame), FadeOut(loss_name), FadeOut(state["counter"]), FadeOut(state["curve"]),
                      dots.animate.set_opacity(0.15), FadeIn(test_dots), FadeIn(test_head), run_time=1.0)
            self.play(FadeIn(acc_rule), FadeIn(rule_rings), run_time=1.0)
            self.play(FadeIn(acc_learned), FadeIn(learned_rings), run_time=1.0)
            self.play(FadeIn(acc_mean), run_time=0.8)
        with self.narration("machine-learning.sub.close"):
            self.play(Indicate(rule_lines[0], color=rule_color, scale_factor=1.05), run_time=1.2)
            self.play(Indicate(state["regions"][1], color=theme.color("learned"), scale_factor=1.05), run_time=1.2)


class KindsOfLearning(PetalScene):
    """Three panels: supervised (the classifier's regions and the test flowers), unsupervised (k-means moving its
    centres, then its agreement with the species), reinforcement (Q-learning's values filling a grid world, then
    its policy)."""

    title_key = "machine-learning.kinds_title"
    kmeans_seconds = 5.0
    rl_seconds = 7.0

    def construct(self):
        res = self.result("machine-learning")
        pct = lambda v: f"{100 * float(v):.0f}"            # noqa: E731
        centres_x = (-4.6, 0.0, 4.6)
        heads = VGroup()
        for kind, x in zip(("supervised", "unsupervised", "reinforcement"), centres_x):
            name = self.text(f"machine-learning.kind.{kind}", font_size=30, weight="BOLD",
                             color=theme.color("highlight"))
            note = self.text(f"machine-learning.kind_note.{kind}", font_size=20, color=self.muted)
            heads.add(fit_width(VGroup(name, note).arrange(DOWN, buff=0.12), 4.3).move_to([x, 2.55, 0]))
        with self.narration("machine-learning.sub.kinds"):
            card = self.title_card("machine-learning.kinds_subtitle")
            self.park_title(card, LaggedStart(*(FadeIn(h) for h in heads), lag_ratio=0.3))

        # --- supervised: the learned regions and the test flowers
        panels = []
        for x in centres_x[:2]:
            axes, frame = self.petal_plane(4.0, 2.9, (1, 3, 5, 7), (0, 1, 2))
            VGroup(axes, frame).move_to([x + 0.1, -0.35, 0])
            label = VGroup(self.text("machine-learning.axis_length", font_size=18, color=self.muted)
                           .next_to(frame, DOWN, buff=0.08),
                           self.text("machine-learning.axis_width", font_size=18, color=self.muted)
                           .next_to(frame[0], UP, buff=0.1).align_to(frame[0], LEFT))
            panels.append((axes, frame, label))
        axes, frame, label = panels[0]
        w, b = res["learned/w"][0], res["learned/b"][0]
        regions = self.regions(axes, w, b, res["learned/mean"][0], res["learned/std"][0])
        test = self.flowers(axes, res["one_seed/test_x"], res["one_seed/test_y"], radius=0.07, stroke=1.5)
        acc = pct(res["learned/test_acc"][0])
        sup_read = self.text("machine-learning.supervised_acc", font_size=24, color=theme.color("learned"), acc=acc)
        sup_read.next_to(label[0], DOWN, buff=0.25)
        with self.narration("machine-learning.sub.supervised", acc=acc):
            self.play(Create(frame), FadeIn(label), FadeIn(regions), run_time=1.0)
            self.play(FadeIn(test, lag_ratio=0.05), run_time=1.2)
            self.play(FadeIn(sup_read), run_time=0.6)

        # --- unsupervised: k-means on the unlabelled flowers
        axes, frame, label = panels[1]
        x_all = res["x"]
        path = res["kmeans/path"][0]                     # (iterations + 1, k, 2)
        steps_assign = res["kmeans/steps_assign"]
        matching = res["kmeans/matching"][0]             # cluster j → species
        grey = self.flowers(axes, x_all, np.zeros(len(x_all)), radius=0.05).set_color(self.muted)
        centres = VGroup(*(Cross(Square(0.26), stroke_color=self.ink, stroke_width=6).move_to(axes.c2p(*p))
                           for p in path[0]))
        it_at = label[0].get_bottom() + DOWN * 0.4
        state = {"dots": grey.copy(), "centres": centres,
                 "counter": self.text("machine-learning.kmeans_iter", font_size=24, it=0).move_to(it_at)}

        def show(i: int):
            colours = [theme.color(SPECIES[int(matching[j])]) for j in steps_assign[i]]
            for dot, col in zip(state["dots"], colours):
                dot.set_color(col)
            for cross, p in zip(state["centres"], path[i]):
                cross.move_to(axes.c2p(*p))
            state["counter"].become(self.text("machine-learning.kmeans_iter", font_size=24, it=i).move_to(it_at))

        with self.narration("machine-learning.sub.unsupervised"):
            self.play(Create(frame), FadeIn(label), FadeIn(state["dots"]), run_time=1.0)
            self.play(FadeIn(state["centres"]), FadeIn(state["counter"]), run_time=0.6)
            self.step_through(len(path), self.kmeans_seconds, show)
        clusters, species = res["one_seed/clusters"], res["y"]
        misses = VGroup(*(Circle(radius=0.13, color=theme.color("highlight"), stroke_width=4).move_to(axes.c2p(*p))
                          for p, c, y in zip(x_all, clusters, species) if c != y))
        n_ok, total = int((clusters == species).sum()), len(species)
        agree = self.text("machine-learning.agreement", font_size=24, color=theme.color("highlight"), n=n_ok,
                          total=total, pct=pct(res["one_seed/agreement"]))
        fit_width(agree, 4.4).move_to(it_at)
        with self.narration("machine-learning.sub.agreement", n=n_ok, total=total, pct=pct(res["one_seed/agreement"])):
            self.play(FadeIn(misses), FadeOut(state["counter"]), FadeIn(agree), run_time=1.2)

        # --- reinforcement: Q-learning's values fill the grid world
        rows_n, cols_n = (int(v) for v in res["rl/shape"])
        cell = 0.9
        terminal = res["rl/terminal"].reshape(rows_n, cols_n)
        wall = res["rl/wall"].reshape(rows_n, cols_n)
        reward = res["rl/reward"].reshape(rows_n, cols_n)
        origin = np.array([centres_x[2] - (cols_n - 1) * cell / 2, -0.3 + (rows_n - 1) * cell / 2, 0])

        def at(r, c):
            return origin + np.array([c * cell, -r * cell, 0])

        green = theme.color("relu")
        squares, fills, marks = VGroup(), VGroup(), VGroup()
        for r in range(rows_n):
            for c in range(cols_n):
                sq = Square(cell, stroke_color=self.muted, stroke_width=2).move_to(at(r, c))
                squares.add(sq)
                fill = Square(cell, stroke_width=0).move_to(at(r, c)).set_fill(green, opacity=0.0)
                fills.add(fill)
                if wall[r, c]:
                    fill.set_fill(self.muted, opacity=0.8)
                elif terminal[r, c]:
                    goal = reward[r, c] > 0
                    marks.add(self.plain(f"{reward[r, c]:+.0f}".replace("-", "−"), font_size=26, weight="BOLD",
                                         color=self.ink if goal else theme.color("highlight"))
                              .move_to(at(r, c)))
        every = int(res.settings["rl_every"])
        all_snaps = res["rl/v_snapshots"][0]             # (snapshots, cells), every ``every`` moves
        # the values change most early on: the snapshots at geometrically spaced moves
        picked = np.unique(np.concatenate([[0], np.round(np.geomspace(1, len(all_snaps) - 1, 16)).astype(int)]))
        snaps = all_snaps[picked]
        free = [(r, c) for r in range(rows_n) for c in range(cols_n) if not (wall[r, c] or terminal[r, c])]
        numbers = VGroup(*(self.plain("0.00", font_size=18, color=self.ink).move_to(at(r, c) + DOWN * 0.2)
                           for r, c in free))
        rl_at = np.array([centres_x[2], it_at[1], 0])
        rl_state = {"counter": self.text("machine-learning.rl_counter", font_size=24, step=0).move_to(rl_at)}

        def show_rl(i: int):
            v = snaps[i]
            for (r, c), num in zip(free, numbers):
                value = float(v[r * cols_n + c])
                fills[r * cols_n + c].set_fill(green, opacity=0.7 * max(0.0, min(1.0, value)))
                num.become(self.plain(f"{value:.2f}", font_size=18, color=self.ink).move_to(at(r, c) + DOWN * 0.2))
            rl_state["counter"].become(self.text("machine-learning.rl_counter", font_size=24, step=int(picked[i]) * every)
                                       .move_to(rl_at))

        with self.narration("machine-learning.sub.reinforcement"):
            self.play(FadeIn(fills), Create(squares), FadeIn(marks), FadeIn(numbers), FadeIn(rl_state["counter"]),
                      run_time=1.0)
            self.step_through(len(snaps), self.rl_seconds, show_rl)
        greedy = res["rl/greedy"][0]
        arrows = VGroup()
        for r, c in free:
            dx, dy = MOVES[int(greedy[r * cols_n + c])]
            centre = at(r, c) + UP * 0.14
            arrows.add(Arrow(centre - 0.2 * np.array([dx, dy, 0]), centre + 0.2 * np.array([dx, dy, 0]), buff=0,
                             color=self.ink, stroke_width=5, max_tip_length_to_length_ratio=0.45))
        optimal = res["rl/optimal"][0].reshape(rows_n, cols_n)
        ok = sum(bool(optimal[r, c]) for r, c in free)
        verdict = self.text("machine-learning.rl_optimal", font_size=24, color=theme.color("learned"), ok=ok,
                            n=len(free))
        fit_width(verdict, 4.4).move_to(rl_at)
        with self.narration("machine-learning.sub.policy", n=len(free)):
            self.play(LaggedStart(*(Create(a) for a in arrows), lag_ratio=0.1), run_time=1.6)
            self.play(FadeOut(rl_state["counter"]), FadeIn(verdict), run_time=0.8)
