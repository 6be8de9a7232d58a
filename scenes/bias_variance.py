"""Chapter 12 — 과소적합과 과대적합: polynomial fits of degree 1, 5 and 15 from the stored ``bias-variance`` result."""
from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Axes, Create, Dot, FadeIn, Transform, VGroup

from lecture import theme
from lecture.text import fmt

from scenes.base import LectureScene, polyline

ROLE = {1: "underfit", 5: "goodfit", 15: "overfit"}


def dimmed(curve, opacity: float) -> list:
    """Animations that set a fit's line, and the arrowheads where it leaves the window, to ``opacity``."""
    target = curve.copy().set_stroke(opacity=opacity)
    for head in target.submobjects:
        head.set_fill(opacity=opacity)
    return [Transform(curve, target)]


class PolynomialFits(LectureScene):
    """The same 30 points fitted with p = 1, 5, 15; the errors and the lecture's verdict for each."""

    chapter = 12
    title_key = "bias-variance.title"
    y_range = (-1.8, 1.8, 0.5)

    def construct(self):
        res = self.result("bias-variance")
        verdicts = {(int(p), int(n)): str(v) for p, n, v in zip(res["table_degree"], res["table_n"], res["table_label"])}
        n_train = len(res["x_train"])

        with self.narration("bias-variance.sub.intro", n=n_train):
            self.park_title(self.title_card("bias-variance.subtitle"))
            axes = Axes(x_range=(0, 1, 0.2), y_range=self.y_range, x_length=6.4, y_length=4.6, tips=False,
                        axis_config={"color": self.muted, "font_size": 20},
                        x_axis_config={"include_numbers": False}, y_axis_config={"include_numbers": False})
            axes.to_edge(LEFT, buff=0.7).shift(DOWN * 0.1)
            truth = polyline(axes, res["grid"], res["truth"], color=self.muted, stroke_width=3)
            dots = VGroup(*(Dot(axes.c2p(x, y), radius=0.05, color=theme.color("train"))
                            for x, y in zip(res["x_train"], res["y_train"])))
            self.add(axes, dots)  # the data at once, as the title settles; the true function is drawn through them
            self.play(Create(truth), run_time=1.5)
            dots = self.settle(dots)

        panel = VGroup()
        curve = None
        curves = {}
        for p in (int(d) for d in res["shown_degrees"]):
            color = theme.color(ROLE.get(p, "highlight"))
            train, val = fmt(res["train_mse"][p - 1], 3), fmt(res["val_mse"][p - 1], 3)
            verdict = verdicts.get((p, n_train))
            with self.narration(f"bias-variance.sub.p{p}" if p in ROLE else "bias-variance.sub.other",
                                p=p, train=train, val=val):
                new_curve = polyline(axes, res["grid"], res[f"fit/{p}"], color=color, stroke_width=5)
                line = VGroup(self.plain(f"p = {p}", font_size=30, color=color, weight="BOLD"),
                              self.text("bias-variance.scene_mse", font_size=22, train=train, val=val))
                if verdict:
                    line.add(self.text(f"bias-variance.verdict.{verdict}", font_size=24, color=color))
                line.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
                panel.add(line)
                panel.arrange(DOWN, aligned_edge=LEFT, buff=0.4).next_to(axes, RIGHT, buff=0.5).align_to(axes, UP)
                anims = [Create(new_curve), FadeIn(line[:2])]
                if curve is not None:
                    anims += dimmed(curve, 0.25)
                self.play(*anims, run_time=1.6)
                if verdict:  # the verdict when the sentence reaches it
                    self.wait(1.6)
                    self.play(FadeIn(line[2], shift=0.1 * RIGHT), run_time=0.6)
                self.wait(0.8)
                curves[p] = curve = new_curve

        with self.narration("bias-variance.sub.takeaway"):
            takeaway = self.text("bias-variance.takeaway", font_size=28, color=theme.color("highlight"), weight="BOLD")
            takeaway.to_edge(DOWN, buff=0.3)
            self.play(FadeIn(takeaway, shift=0.2 * UP), run_time=0.8)
            if 5 in curves and curve is not curves[5]:  # the simpler model that performs alike comes forward
                self.wait(1.2)
                self.play(*dimmed(curves[5], 1.0), *dimmed(curve, 0.25), run_time=0.8)
            self.wait(0.8)
