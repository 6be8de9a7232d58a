"""Chapter 4 — XOR: Rosenblatt's perceptron keeps moving its line; a network with two hidden units bends the plane.

Every line, count and coordinate is read from the stored ``xor`` result: the perceptron's weights after every
update, its mistakes per epoch, the hidden representation of the four points and of a grid of lines.
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Square,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
    linear,
    smooth,
)

from lecture import theme

from scenes.base import AXIS_NUMBERS, MIN_TEX_SIZE, LectureScene, redraw_on_change, smooth_path
from scenes.coordinates import affine, framed_axes

# Rosenblatt's rule and the step output it updates
RULE_TEX = r"w &:= w + \eta\,(y - \hat y)\,x \\ \hat y &= \mathrm{step}(w_0 + w_1 x_1 + w_2 x_2)"


def clipped_line(axes, w0: float, w1: float, w2: float, lo: float, hi: float, color: str, width: float) -> VMobject:
    """w0 + w1·u + w2·v = 0 inside [lo, hi]² (an invisible stub when it misses the square)."""
    u = np.linspace(lo, hi, 241)
    line = VMobject(stroke_color=color, stroke_width=width)
    if abs(w2) > 1e-12:
        v = -(w0 + w1 * u) / w2
        keep = (v >= lo) & (v <= hi)
        pts = np.column_stack([u[keep], v[keep]])
    elif abs(w1) > 1e-12:
        pts = np.array([[-w0 / w1, lo], [-w0 / w1, hi]]) if lo <= -w0 / w1 <= hi else np.zeros((0, 2))
    else:
        pts = np.zeros((0, 2))
    if len(pts) < 2:
        line.set_points_as_corners([axes.c2p(lo, lo)] * 2)
        line.set_stroke(opacity=0)
        return line
    line.set_points_as_corners(affine(axes)(pts[:, 0], pts[:, 1]))
    return line


class XORProblem(LectureScene):
    """The four XOR points; the perceptron's line over 12 epochs; the hidden layer morphs the plane; one line separates."""

    chapter = 4
    title_key = "xor.title"
    lo, hi = -1.1, 1.35
    perceptron_seconds = 8.0
    morph_seconds = 6.5

    def typeset_ahead(self):
        """The truth table's heads, the learning rule and the trained network's equations (typeset ahead in
        one run)."""
        return [*self.network_texs(self.result("xor")), "x_1", "x_2", "y", RULE_TEX]

    @staticmethod
    def network_texs(res) -> tuple[str, str, str]:
        """The hidden layer, its weights and the output unit, with the trained numbers."""
        W1, b1 = res["mlp/W1"], res["mlp/b1"]
        w2, b2 = res["mlp/W2"], float(res["mlp/b2"])
        layer = r"h = \tanh(W x + b)" if res.settings["activation"] == "tanh" else r"h = \sigma(W x + b)"
        weights = (r"W = \begin{pmatrix}" + r"\\".join(" & ".join(f"{v:.2f}" for v in row) for row in W1)
                   + r"\end{pmatrix},\ b = \begin{pmatrix}" + r"\\".join(f"{v:.2f}" for v in b1) + r"\end{pmatrix}")
        out = rf"\hat y = \sigma({w2[0]:.2f}\,h_1 + {w2[1]:.2f}\,h_2 + {b2:.2f})".replace("+ -", "- ")
        return layer, weights, out

    def construct(self):
        res = self.result("xor")
        x, y = res["x"], res["y"]
        with self.narration("xor.sub.intro"):
            self.park_title(self.title_card("xor.subtitle"))
        ticks = (-1.0, -0.5, 0.0, 0.5, 1.0)
        axes, frame = framed_axes((self.lo, self.hi, 0.5), (self.lo, self.hi, 0.5), 5.4, 5.4, ticks, ticks,
                                  color=self.muted, font_size=AXIS_NUMBERS)
        VGroup(axes, frame).move_to(LEFT * 3.0 + DOWN * 0.45)
        space = self.text("xor.input_space", font_size=22, color=self.muted).next_to(frame, UP, buff=0.12)
        points = self.points(axes, x, y)
        table = self.truth_table(x, y).move_to(RIGHT * 3.6 + UP * 0.9)
        with self.narration("xor.sub.intro"):
            self.play(Create(frame), FadeIn(space), FadeIn(points, scale=0.5), FadeIn(table), run_time=1.5)

        # --- the perceptron: its line after every update
        path, pred = res["perceptron/path"], res["perceptron/pred"]
        order = res["perceptron/order"].reshape(-1)
        wrong = (pred != y[order]).astype(int)
        per_epoch = len(order) // len(res["perceptron/mistakes"])
        tracker = ValueTracker(0)
        color = theme.color("perceptron")

        def step() -> int:
            return int(np.clip(round(tracker.get_value()), 0, len(path) - 1))

        line = always_redraw(lambda: clipped_line(axes, *path[step()], self.lo, self.hi, color, 5))
        rule_head = self.text("xor.rule", font_size=24, color=color)
        rule = self.tex(RULE_TEX, font_size=30)  # two aligned lines: one would reach the frame's edge
        rule_group = VGroup(rule_head, rule).arrange(DOWN, buff=0.2).move_to(RIGHT * 3.6 + DOWN * 1.3)
        if rule_group.width > 6.6:
            rule_group.scale_to_fit_width(6.6)

        def counter_text():
            k = step()
            epoch = min(max(k - 1, 0) // per_epoch + 1, len(res["perceptron/mistakes"]))
            start = (epoch - 1) * per_epoch
            so_far = int(wrong[start:k].sum()) if k > start else 0
            return self.text("xor.counter", font_size=22, color=self.ink, epoch=epoch, wrong=so_far).next_to(
                rule_group, DOWN, buff=0.35)

        counter = redraw_on_change(counter_text, step)
        with self.narration("xor.sub.perceptron"):
            self.play(FadeIn(rule_group), run_time=1.0)
            self.add(line, counter)
            self.play(tracker.animate.set_value(len(path) - 1), run_time=self.perceptron_seconds, rate_func=linear)
        line.clear_updaters()
        counter.clear_updaters()
        mistakes = res["perceptron/mistakes"]
        bars = self.mistake_bars(mistakes).move_to(RIGHT * 3.6 + DOWN * 1.6)
        with self.narration("xor.sub.mistakes", epochs=len(mistakes), least=int(mistakes.min())):
            self.play(FadeOut(rule_group), FadeOut(counter), FadeIn(bars, lag_ratio=0.1), run_time=1.2)
            note = self.text("xor.no_line", font_size=22, color=theme.color("highlight")).next_to(bars, DOWN, buff=0.3)
            self.play(FadeIn(note), run_time=0.6)

        # --- the network: morph the input plane into its hidden space
        lines_in, lines_h = res["input/lines"], res["hidden/lines"]
        pts_in, pts_h = x, res["hidden/points"]
        s = ValueTracker(0)

        to_points = affine(axes)

        def grid_lines():
            a = s.get_value()
            group = VGroup()
            for li, lh in zip(lines_in, lines_h):
                p = (1 - a) * li + a * lh
                group.add(smooth_path(to_points(p[:, 0], p[:, 1]), stroke_color=self.muted, stroke_width=1.6,
                                      stroke_opacity=0.8))
            return group

        grid = always_redraw(grid_lines)
        for k, dot in enumerate(points):
            dot.add_updater(lambda d, k=k: d.move_to(axes.c2p(*((1 - s.get_value()) * pts_in[k] + s.get_value() * pts_h[k]))))
        n_starts, ok = res["starts/final_acc"].size, int((res["starts/final_acc"] == 1).sum())
        starts = self.text("xor.starts", font_size=26, color=theme.color("mlp"), n=n_starts, ok=ok)
        self.on_screen(starts.move_to(RIGHT * 3.6 + UP * 0.8))
        with self.narration("xor.sub.mlp", n=n_starts, ok=ok):
            self.play(FadeOut(line), FadeOut(bars), FadeOut(note), FadeOut(table), run_time=0.6)
            self.add(grid)
            self.bring_to_front(points)
            self.play(FadeIn(grid), FadeIn(starts), run_time=0.8)
            hidden_name = self.text("xor.hidden_space", font_size=22, color=self.muted).move_to(space)
            self.play(s.animate.set_value(1.0), space.animate.become(hidden_name), run_time=self.morph_seconds,
                      rate_func=smooth)
        grid.clear_updaters()
        for dot in points:
            dot.clear_updaters()
        w2, b2 = res["mlp/W2"], float(res["mlp/b2"])
        sep = clipped_line(axes, b2, float(w2[0]), float(w2[1]), self.lo, self.hi, theme.color("mlp"), 6)
        acc = f"{100 * float(res['mlp/acc'][-1]):.0f}"
        layer_tex, weights_tex, out_tex = self.network_texs(res)
        hidden_eq = VGroup(self.tex(layer_tex, font_size=34), self.tex(weights_tex, font_size=30),
                           self.tex(out_tex, font_size=30, color=theme.color("mlp"))).arrange(DOWN, buff=0.3).move_to(RIGHT * 3.6 + UP * 0.8)
        solved = self.text("xor.solved", font_size=34, color=theme.color("mlp"), weight="BOLD", acc=acc)
        solved.next_to(hidden_eq, DOWN, buff=0.5)
        with self.narration("xor.sub.separated", acc=acc):
            self.play(FadeOut(starts), FadeIn(hidden_eq), run_time=1.0)
            self.play(Create(sep), run_time=1.0)
            self.play(FadeIn(solved, scale=0.8), run_time=0.6)
            self.wait(1.0)

    def points(self, axes, pts, y) -> VGroup:
        group = VGroup()
        for (a, b), c in zip(pts, y):
            col = theme.color(f"class-{int(c)}")
            m = (Dot(radius=0.16, color=col, stroke_color=self.ink, stroke_width=2) if c == 0 else
                 Square(side_length=0.3, color=self.ink, stroke_width=2).set_fill(col, opacity=1.0))
            group.add(m.move_to(axes.c2p(a, b)))
        group.set_z_index(5)
        return group

    def truth_table(self, x, y) -> VGroup:
        rows = [VGroup(*(self.tex(h, font_size=40) for h in ("x_1", "x_2", "y")))]
        for (a, b), c in zip(x, y):
            rows.append(VGroup(self.tex(f"{a:.0f}", font_size=32), self.tex(f"{b:.0f}", font_size=32),
                               self.tex(f"{c:.0f}", font_size=32, color=theme.color(f"class-{int(c)}"))))
        table = VGroup()
        for r, row in enumerate(rows):
            for j, cell in enumerate(row):
                cell.move_to([j * 0.9, -r * 0.55, 0])
            table.add(row)
        return table

    def mistake_bars(self, mistakes) -> VGroup:
        """Mistakes per epoch as small bars with their counts (0–4)."""
        group = VGroup()
        unit = 0.3
        for e, m in enumerate(mistakes):
            bar = VMobject(stroke_width=0).set_fill(theme.color("perceptron"), opacity=1.0)
            x0 = e * 0.45
            bar.set_points_as_corners([[x0, 0, 0], [x0 + 0.32, 0, 0], [x0 + 0.32, m * unit, 0], [x0, m * unit, 0],
                                       [x0, 0, 0]])
            count = self.tex(str(int(m)), font_size=MIN_TEX_SIZE + 1).next_to(bar, UP, buff=0.05)
            group.add(VGroup(bar, count))
        label = self.text("xor.axis_mistakes", font_size=18, color=self.muted).next_to(group, DOWN, buff=0.15)
        return VGroup(group, label)
