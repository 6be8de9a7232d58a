"""Chapter 5 — statistics and deep learning: each pair of names appears on the element it names in one fitted
model (chapter 6's regression data), then the statistical model and the deep model side by side with their
computed sizes, a reading of each and how each is judged.

Every number is read from the stored ``stats-and-dl`` result.
"""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Axes, Circle, Create, Dot, FadeIn, FadeOut, Group, GrowFromEdge,
                   ImageMobject, Indicate, Line, Rectangle, RoundedRectangle, VGroup, config)

from lecture import theme
from lecture.text import fixed, fmt

from scenes.base import AXIS_NUMBERS, LectureScene, TextCounter, polyline

STAT, DEEP = "least-squares", "mlp"


def grouped(n: int) -> str:
    return f"{int(n):,}"


class StatsAndDL(LectureScene):
    """The two vocabularies on one fitted regression; the statistical model against the deep model."""

    chapter = 5
    title_key = "stats-and-dl.title"
    pair_size = 24

    def construct(self):
        res = self.res = self.result("stats-and-dl")
        card = self.title_card("stats-and-dl.subtitle")
        axes, dots, feature, label = self.plot()
        with self.narration("stats-and-dl.sub.data", n=len(res["x"])):
            self.park_title(card, Create(axes))
            self.play(FadeIn(dots, lag_ratio=0.05), run_time=1.5)
            self.play(FadeIn(feature, shift=0.2 * UP), run_time=0.8)
            self.play(FadeIn(label, shift=0.2 * RIGHT), run_time=0.8)
        neuron = self.neuron()
        with self.narration("stats-and-dl.sub.model"):
            self.play(FadeIn(neuron["formula"]), run_time=0.8)
            self.play(FadeIn(neuron["diagram"]), run_time=1.0)
            self.play(FadeIn(neuron["pair"], shift=0.2 * DOWN), Indicate(neuron["w1"], color=theme.color("highlight")),
                      run_time=1.2)
        path = res["learn/path"]
        steps = len(path) - 1
        line = self.line(axes, path[0])
        ls = self.line(axes, res["w_ls"], colour=self.muted, width=2)
        readout = self.learning_readout(neuron)
        w0, w1 = res["w_ls"]
        with self.narration("stats-and-dl.sub.learning", steps=steps, w1=fixed(w1, 3), w0=fixed(w0, 3)):
            ls_name = self.text("stats-and-dl.ls_line", font_size=20, color=self.muted)
            ls_name.next_to(axes.c2p(4, w0 + 4 * w1), LEFT, buff=0.1).shift(UP * 0.35)
            self.play(Create(ls), FadeIn(ls_name), run_time=1.0)
            self.play(Create(line), FadeIn(readout["group"]), run_time=0.8)
            shown = np.unique(np.round(np.geomspace(1, steps + 1, 40) - 1).astype(int))

            def show(i: int):
                k = int(shown[i])
                line.become(self.line(axes, path[k]))
                self.set_learning(readout, k)

            self.step_through(len(shown), 5.0, show)
            pair = self.pair("stats-and-dl.pair.estimation").next_to(ls_name, UP, buff=0.15)
            self.on_screen(pair)
            self.play(FadeIn(pair, shift=0.2 * DOWN), Indicate(readout["w"], color=theme.color("highlight")),
                      run_time=1.2)
        x_new, y_new = float(res["new_x"]), float(res["prediction"])
        with self.narration("stats-and-dl.sub.prediction", x=fixed(x_new, 1), y=fixed(y_new, 3)):
            guide = Line(axes.c2p(x_new, axes.y_range[0]), axes.c2p(x_new, y_new), color=theme.color("highlight"),
                         stroke_width=3)
            dot = Dot(axes.c2p(x_new, y_new), radius=0.11, color=theme.color("highlight"))
            value = self.plain(f"ŷ = {fixed(y_new, 3)}", font_size=26, color=theme.color("highlight"), weight="BOLD")
            value.next_to(dot, DOWN + RIGHT, buff=0.12)
            self.play(Create(guide), FadeIn(dot, scale=0.5), run_time=1.0)
            self.play(FadeIn(value), run_time=0.6)
            pred = self.pair("stats-and-dl.pair.prediction").next_to(value, DOWN, buff=0.15).align_to(value, RIGHT)
            self.on_screen(pred)
            sup = self.pair("stats-and-dl.pair.supervised").next_to(readout["group"], DOWN, buff=0.45,
                                                                     aligned_edge=LEFT)
            self.on_screen(sup)
            self.play(FadeIn(pred, shift=0.2 * DOWN), run_time=0.8)
            self.play(FadeIn(sup, shift=0.2 * DOWN), run_time=0.8)
            self.wait(0.6)
        first = VGroup(axes, dots, feature, label, *neuron.values(), line, ls, ls_name, readout["group"], pair,
                       guide, dot, value, pred, sup)
        # --- the two models side by side
        legend = self.legend()
        p0, p1 = (int(v) for v in res["params"])
        rows = self.rows()
        with self.narration("stats-and-dl.sub.params", p0=grouped(p0), p1=grouped(p1)):
            self.play(FadeOut(first), FadeIn(legend), FadeIn(rows["params"][0]), run_time=1.0)
            self.grow(rows["params"])
        n0, n1 = (int(v) for v in res["data_n"])
        ratio = res["data_n"] / res["params"]
        with self.narration("stats-and-dl.sub.data_size", n0=grouped(n0), n1=grouped(n1), r0=fmt(ratio[0], 3),
                            r1=fmt(ratio[1], 2)):
            self.play(FadeIn(rows["data"][0]), run_time=0.5)
            self.grow(rows["data"])
            self.play(FadeIn(rows["ratio"], lag_ratio=0.4), run_time=1.5)
        with self.narration("stats-and-dl.sub.reading"):
            self.play(FadeIn(rows["reading"][0]), FadeIn(rows["reading"][1]), run_time=1.0)
            self.play(FadeIn(rows["reading"][2], lag_ratio=0.3), run_time=2.5)
        with self.narration("stats-and-dl.sub.evaluation"):
            self.play(FadeIn(rows["evaluation"][0]), FadeIn(rows["evaluation"][1]), run_time=1.0)
            self.play(FadeIn(rows["evaluation"][2]), run_time=1.0)
            self.play(Indicate(rows["evaluation"][1], color=theme.color("highlight"), scale_factor=1.05), run_time=1.0)
            self.play(Indicate(rows["evaluation"][2], color=theme.color("highlight"), scale_factor=1.05), run_time=1.0)

    # --- part 1: the fitted model ----------------------------------------------------------------
    def pair(self, key: str) -> VGroup:
        words = self.text(key, font_size=self.pair_size, color=theme.color("highlight"), weight="BOLD")
        frame = RoundedRectangle(corner_radius=0.12, width=words.width + 0.3, height=words.height + 0.22,
                                 color=theme.color("highlight"), stroke_width=2).move_to(words)
        return VGroup(frame, words)

    def plot(self):
        res = self.res
        x, y = res["x"], res["y"]
        lo = np.floor(min(y.min(), 0) * 2) / 2
        hi = np.ceil(y.max() * 2) / 2
        axes = Axes(x_range=(0, 4, 1), y_range=(lo, hi, 1), x_length=6.2, y_length=4.0, tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        axes.move_to([-3.1, -0.3, 0])
        dots = VGroup(*(Dot(axes.c2p(a, b), radius=0.07, color=theme.color(STAT)) for a, b in zip(x, y)))
        feature = self.pair("stats-and-dl.pair.feature").next_to(axes.x_axis, DOWN, buff=0.5)
        label = self.pair("stats-and-dl.pair.label").next_to(axes.y_axis, UP, buff=0.15, aligned_edge=LEFT)
        self.on_screen(label)
        return axes, dots, feature, label

    def line(self, axes, w, colour: str | None = None, width: float = 5):
        xs = np.array([0.0, 4.0])
        return polyline(axes, xs, w[0] + w[1] * xs, color=colour or theme.color("highlight"), stroke_width=width)

    def neuron(self) -> dict:
        x0, y0 = 2.2, 1.9
        formula = self.plain("ŷ = w₀ + w₁x", font_size=34, weight="BOLD").move_to([x0 + 1.6, 3.15, 0])
        inp = Circle(radius=0.35, color=self.ink, stroke_width=3).move_to([x0, y0 - 0.6, 0])
        one = Circle(radius=0.35, color=self.muted, stroke_width=3).move_to([x0, y0 + 0.5, 0])
        node = Circle(radius=0.45, color=theme.color("highlight"), stroke_width=3).move_to([x0 + 2.6, y0, 0])
        out = Arrow(node.get_right(), node.get_right() + RIGHT * 1.1, buff=0, color=self.ink, stroke_width=4)
        w1_edge = Line(inp.get_right(), node.get_left(), color=theme.color("weight-pos"), stroke_width=4)
        w0_edge = Line(one.get_right(), node.get_left(), color=self.muted, stroke_width=3)
        names = VGroup(self.plain("x", font_size=28).move_to(inp), self.plain("1", font_size=28, color=self.muted)
                       .move_to(one), self.plain("Σ", font_size=30).move_to(node),
                       self.plain("ŷ", font_size=30).next_to(out, RIGHT, buff=0.1))
        w1 = VGroup(self.plain("w₁", font_size=26, color=theme.color("weight-pos")),
                    self.text("stats-and-dl.weight", font_size=24, color=self.muted)).arrange(RIGHT, buff=0.12)
        w1.next_to(w1_edge.get_center(), DOWN, buff=0.3).shift(RIGHT * 0.3)
        w0 = VGroup(self.plain("w₀", font_size=26, color=self.muted),
                    self.text("stats-and-dl.bias", font_size=24, color=self.muted)).arrange(RIGHT, buff=0.12)
        w0.next_to(w0_edge.get_center(), UP, buff=0.25).shift(RIGHT * 0.15)
        diagram = VGroup(w1_edge, w0_edge, inp, one, node, out, names, w0)
        pair = self.pair("stats-and-dl.pair.parameter").next_to(w1, DOWN, buff=0.15)
        self.on_screen(pair)
        return {"formula": formula, "diagram": diagram, "w1": w1, "pair": pair}

    def learning_readout(self, neuron: dict) -> dict:
        step_name = self.text("stats-and-dl.step", font_size=22, color=self.muted)
        counter = TextCounter(self, len(self.res["learn/path"]) - 1, font_size=26)
        step = VGroup(step_name, counter).arrange(RIGHT, buff=0.2)
        w = VGroup(self.plain("w₁ = 0.000", font_size=26), self.plain("w₀ = 0.000", font_size=26))
        w.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        group = VGroup(step, w).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        group.next_to(neuron["pair"], DOWN, buff=0.35).align_to(neuron["diagram"], LEFT)
        out = {"group": group, "counter": counter, "w": w}
        self.set_learning(out, 0)
        return out

    def set_learning(self, readout: dict, k: int) -> None:
        w0, w1 = self.res["learn/path"][k]
        readout["counter"].set_value(k)
        for mob, text in zip(readout["w"], (f"w₁ = {fixed(w1, 3)}", f"w₀ = {fixed(w0, 3)}")):
            if getattr(mob, "content", None) != text:
                mob.become(self.plain(text, font_size=26).move_to(mob, aligned_edge=LEFT))
                mob.content = text

    # --- part 2: the two models -----------------------------------------------------------------
    label_x = -6.7
    bar_x = -3.3
    bar_max = 6.2        # the length of a bar for 10⁶

    def legend(self) -> VGroup:
        keys = VGroup()
        for role, key in ((STAT, "stats-and-dl.col.stat"), (DEEP, "stats-and-dl.col.deep")):
            keys.add(VGroup(Rectangle(width=0.3, height=0.3, stroke_width=0, fill_color=theme.color(role),
                                      fill_opacity=1.0),
                            self.text(key, font_size=22, color=theme.color(role))).arrange(RIGHT, buff=0.12))
        keys.arrange(DOWN, aligned_edge=LEFT, buff=0.12).to_corner(UP + RIGHT, buff=0.35)
        return keys

    def row_label(self, key: str, y: float):
        lab = self.wrapped(self.t(key), self.bar_x - self.label_x - 0.3, font_size=24, weight="BOLD",
                           aligned_edge=LEFT)
        return lab.move_to([self.label_x, y, 0], aligned_edge=LEFT)

    def bars(self, values, texts, y: float) -> VGroup:
        group = VGroup()
        for k, (v, text, role) in enumerate(zip(values, texts, (STAT, DEEP))):
            length = max(self.bar_max * np.log10(max(float(v), 1.0)) / 6.0, 0.08)
            yy = y + (0.25 if k == 0 else -0.25)
            bar = Rectangle(width=length, height=0.36, stroke_width=0, fill_color=theme.color(role), fill_opacity=0.9)
            bar.move_to([self.bar_x, yy, 0], aligned_edge=LEFT)
            value = self.plain(text, font_size=22, color=theme.color(role), weight="BOLD").next_to(bar, RIGHT, buff=0.15)
            group.add(VGroup(bar, value))
        return group

    def grow(self, row) -> None:
        bars = row[1]
        self.play(*(GrowFromEdge(b[0], LEFT) for b in bars), run_time=1.2)
        self.play(*(FadeIn(b[1]) for b in bars), run_time=0.6)

    def rows(self) -> dict:
        res = self.res
        p = res["params"]
        n, d = res["data_n"], res["data_dims"]
        ratio = n / p
        out = {}
        y = 2.0
        out["params"] = VGroup(self.row_label("stats-and-dl.row.params", y),
                               self.bars(p, [grouped(v) for v in p], y))
        y = 0.75
        data_texts = [self.t("stats-and-dl.data.stat", n=grouped(n[0])),
                      self.t("stats-and-dl.data.deep", n=grouped(n[1]), d=int(d[1]))]
        out["data"] = VGroup(self.row_label("stats-and-dl.row.data", y), self.bars(n, data_texts, y))
        y = -0.35
        ratio_texts = VGroup(self.plain(fmt(ratio[0], 3), font_size=24, color=theme.color(STAT), weight="BOLD"),
                             self.plain(fmt(ratio[1], 2), font_size=24, color=theme.color(DEEP), weight="BOLD"))
        ratio_texts.arrange(RIGHT, buff=1.2).move_to([self.bar_x, y, 0], aligned_edge=LEFT)
        out["ratio"] = VGroup(self.row_label("stats-and-dl.row.per_param", y), ratio_texts)
        y = -1.65
        reading = self.plain(self.t("stats-and-dl.reading.stat", w1=fixed(res["w_ls"][1], 3)), font_size=22,
                             color=theme.color(STAT)).move_to([self.bar_x, y + 0.45, 0], aligned_edge=LEFT)
        images = weight_images(self, res["mnist/unit_weights"], height=0.85)
        images.move_to([self.bar_x, y - 0.3, 0], aligned_edge=LEFT)
        caption = self.text("stats-and-dl.reading.deep", font_size=20, color=theme.color(DEEP))
        caption.next_to(images, RIGHT, buff=0.25)
        out["reading"] = Group(self.row_label("stats-and-dl.row.reading", y), reading, Group(images, caption))
        y = -3.05
        ev_stat = self.plain(self.t("stats-and-dl.evaluation.stat", r2=fixed(res["r2"], 2), se=fixed(res["se_w1"], 3)),
                             font_size=22, color=theme.color(STAT)).move_to([self.bar_x, y + 0.22, 0], aligned_edge=LEFT)
        ev_deep = self.plain(self.t("stats-and-dl.evaluation.deep", n=grouped(res["mnist/n_holdout"]),
                                    acc=f"{100 * float(res['mnist/holdout_acc']):.1f} %"),
                             font_size=22, color=theme.color(DEEP)).move_to([self.bar_x, y - 0.25, 0], aligned_edge=LEFT)
        out["evaluation"] = VGroup(self.row_label("stats-and-dl.row.evaluation", y), ev_stat, ev_deep)
        return out


def weight_images(scene: LectureScene, weights: np.ndarray, height: float):
    """The weight images side by side: blue positive, vermilion negative (the weight colours), on the background."""
    pos = np.array(_rgb(theme.color("weight-pos")))
    neg = np.array(_rgb(theme.color("weight-neg")))
    bg = np.array(_rgb(scene.colors["background"]))
    imgs = Group()
    for w in weights:
        a = np.clip(w / np.abs(w).max(), -1, 1)[..., None]
        rgb = np.where(a >= 0, bg + a * (pos - bg), bg - a * (neg - bg))
        img = ImageMobject(np.round(rgb).astype(np.uint8))
        img.set_resampling_algorithm(0)
        img.height = height
        imgs.add(img)
    imgs.arrange(RIGHT, buff=0.15)
    return imgs


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
