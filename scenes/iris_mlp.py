"""Chapter 11 — the lecture's iris table, rebuilt while the two networks train.

The curves are one seed's stored learning curves (``iris-mlp``, run 0); the table's
computed rows are that run's final numbers and the mean ± sd over all seeds.
"""
from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    FadeIn,
    FadeOut,
    Line,
    Rectangle,
    ValueTracker,
    VGroup,
    linear,
)

from lecture import theme
from lecture.text import fmt

from scenes.base import AXIS_NUMBERS, LectureScene, TextCounter, polyline

IRIS_SIZE = 150   # Fisher's iris data: 3 species × 50
ROWS = (("sigmoid", "lecture"), ("sigmoid", "one_seed"), ("sigmoid", "mean"),
        ("relu", "lecture"), ("relu", "one_seed"), ("relu", "mean"))


class IrisTable(LectureScene):
    """Lecture rows first; the networks train (loss and test accuracy per epoch); the computed rows fill in."""

    chapter = 11
    title_key = "iris-mlp.title"
    label_width = 4.9
    cell_width = 2.05
    row_height = 0.42
    table_top = 3.05
    train_time = 6.0

    def construct(self):
        res = self.res = self.result("iris-mlp")
        setup = self.setup_block()
        with self.narration("iris-mlp.sub.intro"):
            self.park_title(self.title_card("iris-mlp.subtitle"))
            self.add(setup[0])  # the split at once, as the title settles; the network and its activations follow
            self.play(FadeIn(setup[1:], lag_ratio=0.3), run_time=1.0)
        header, slots = self.table_frame()
        lecture_rows = VGroup(*(self.row(i) for i, (_, kind) in enumerate(ROWS) if kind == "lecture"))
        with self.narration("iris-mlp.sub.lecture", sig=f"{res['lecture/sigmoid'][3]:.4f}",
                            relu=f"{res['lecture/relu'][3]:.4f}"):
            self.play(FadeOut(setup), FadeIn(header), FadeIn(slots), run_time=0.8)
            self.play(FadeIn(lecture_rows, lag_ratio=0.3), run_time=1.2)
        with self.narration("iris-mlp.sub.train"):
            self.train()
        one = VGroup(*(self.row(i) for i, (_, kind) in enumerate(ROWS) if kind == "one_seed"))
        with self.narration("iris-mlp.sub.one_seed", sig=f"{res['one_seed/sigmoid'][3]:.4f}",
                            relu=f"{res['one_seed/relu'][3]:.4f}"):
            self.play(FadeIn(one, shift=0.1 * RIGHT, lag_ratio=0.3), run_time=1.2)
            self.wait(0.5)
        mean = VGroup(*(self.row(i) for i, (_, kind) in enumerate(ROWS) if kind == "mean"))
        with self.narration("iris-mlp.sub.mean", seeds=int(res.settings["seeds"]),
                            wins=int((res["final/relu"][:, 3] > res["final/sigmoid"][:, 3]).sum()),
                            sig=fmt(res["mean/sigmoid"][3], 3), relu=fmt(res["mean/relu"][3], 3)):
            self.play(FadeIn(mean, shift=0.1 * RIGHT, lag_ratio=0.3), run_time=1.2)
            self.wait(0.5)
        with self.narration("iris-mlp.sub.takeaway"):
            table = VGroup(header, slots, lecture_rows, one, mean)
            frame = Rectangle(width=self.cell_width, height=self.row_height * len(ROWS), stroke_width=4,
                              color=theme.color("highlight"))
            frame.move_to([self.cell_x(3), self.row_y((len(ROWS) - 1) / 2), 0])
            centre = DOWN * (table.get_center()[1] + 0.3)
            self.play(table.animate.shift(centre), run_time=0.8)
            self.play(Create(frame.shift(centre)), run_time=1.0)
            self.wait(1.0)

    def setup_block(self) -> VGroup:
        """The split, the network and its two activations: what the first sentence says."""
        s = self.res.settings
        test = 3 * int(s["test_per_class"])
        split = self.text("iris-mlp.split_line", font_size=32, n=IRIS_SIZE, train=IRIS_SIZE - test, test=test)
        network = self.text("iris-mlp.network", font_size=44, weight="BOLD", hidden=int(s["hidden"]))
        acts = VGroup(*(self.text(f"vanishing-gradients.name.{act}", font_size=34, color=theme.color(act), weight="BOLD")
                        for act in ("sigmoid", "relu"))).arrange(RIGHT, buff=1.2)
        return VGroup(split, network, acts).arrange(DOWN, buff=0.55).move_to(DOWN * 0.2)

    # --- the table ------------------------------------------------------------------
    def cell_x(self, column: int) -> float:
        """Centre of numeric column 0..3 (the label column sits to its left)."""
        left = -(self.label_width + 4 * self.cell_width) / 2
        return left + self.label_width + self.cell_width * (column + 0.5)

    def row_y(self, row: float) -> float:
        """Centre of row ``row`` (−1 is the header)."""
        return self.table_top - self.row_height * (row + 1.5)

    def table_frame(self):
        res = self.res
        # the column heads are named by the narration ("a test accuracy of ..."): 3 % of the frame high, on two
        # lines where a head is wider than its column, standing on the first row's rule
        header = VGroup(*(self.wrapped(self.t(f"iris-mlp.col.{c}"), self.cell_width - 0.1, font_size=25, weight="BOLD",
                                       line_gap=0.06)
                          .move_to([self.cell_x(j), self.row_y(-1) - self.row_height / 2 + 0.08, 0], aligned_edge=DOWN)
                          for j, c in enumerate(str(c) for c in res["columns"])))
        left = -(self.label_width + 4 * self.cell_width) / 2
        right = -left
        slots = VGroup(*(Line([left, self.row_y(r) + self.row_height / 2, 0], [right, self.row_y(r) + self.row_height / 2, 0],
                              stroke_width=1, color=self.muted, stroke_opacity=0.5) for r in range(len(ROWS) + 1)))
        slots.add(Line([left, self.row_y(2) - self.row_height / 2, 0], [right, self.row_y(2) - self.row_height / 2, 0],
                       stroke_width=2, color=self.muted))
        return header, slots

    def cells(self, act: str, kind: str) -> list[str]:
        res = self.res
        if kind == "mean":
            return [f"{fmt(m, 3)} ± {fmt(s, 2)}" for m, s in zip(res[f"mean/{act}"], res[f"sd/{act}"])]
        return [f"{v:.4f}" for v in res[f"{kind}/{act}"]]

    def row(self, index: int) -> VGroup:
        act, kind = ROWS[index]
        res = self.res
        color = theme.color(act)
        label = self.text(f"iris-mlp.row.{kind}", font_size=18, color=color, weight="BOLD",
                          name=self.t(f"vanishing-gradients.name.{act}"), seeds=int(res.settings["seeds"]),
                          seed=int(res.meta["seed"]))
        if label.width > self.label_width - 0.2:
            label.scale_to_fit_width(self.label_width - 0.2)
        left = -(self.label_width + 4 * self.cell_width) / 2
        label.move_to([left + self.label_width - 0.15, self.row_y(index), 0], aligned_edge=RIGHT)
        values = VGroup(*(self.plain(text, font_size=19, color=self.muted if kind == "lecture" else self.ink)
                          .move_to([self.cell_x(j), self.row_y(index), 0]) for j, text in enumerate(self.cells(act, kind))))
        return VGroup(label, values)

    # --- training ---------------------------------------------------------------------
    def train(self):
        res = self.res
        epochs = res["epoch"]
        last = int(epochs[-1])
        loss_axes = Axes(x_range=(0, last, 100), y_range=(0, 1.4, 0.5), x_length=5.6, y_length=2.3, tips=False,
                         axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        acc_axes = Axes(x_range=(0, last, 100), y_range=(0, 1.0, 0.5), x_length=5.6, y_length=2.3, tips=False,
                        axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        loss_axes.move_to(LEFT * 3.3 + DOWN * 2.35)
        acc_axes.move_to(RIGHT * 3.6 + DOWN * 2.35)
        loss_name = self.text("iris-mlp.col.train_loss", font_size=20, color=self.muted).next_to(loss_axes, UP, 0.05)
        acc_name = self.text("iris-mlp.col.test_acc", font_size=25, color=self.muted).next_to(acc_axes, UP, 0.05)
        tracker = ValueTracker(0)
        counter_label = self.text("iris-mlp.axis_epoch", font_size=22, color=self.muted)
        counter = TextCounter(self, last, font_size=30, color=self.ink)  # in the labels' font
        # placed at its widest (the last epoch), so that it never grows into the loss panel's name
        counting = VGroup(counter_label, counter).arrange(RIGHT, buff=0.2).next_to(loss_name, LEFT, buff=0.6)
        counter.set_value(0)
        counter.add_updater(lambda m: m.set_value(int(tracker.get_value())))
        self.play(Create(loss_axes), Create(acc_axes), FadeIn(loss_name), FadeIn(acc_name), FadeIn(counting),
                  run_time=1.0)
        curves = VGroup()
        for act in ("sigmoid", "relu"):
            curves.add(polyline(loss_axes, epochs, res[f"curve/{act}/train_loss"][0], color=theme.color(act),
                                stroke_width=4))
            curves.add(polyline(acc_axes, epochs, res[f"curve/{act}/test_acc"][0], color=theme.color(act),
                                stroke_width=4))
        self.play(*(Create(c, rate_func=linear) for c in curves), tracker.animate(rate_func=linear).set_value(last),
                  run_time=self.train_time)
        counter.clear_updaters()
        names = VGroup(*(self.text(f"vanishing-gradients.name.{act}", font_size=20, color=theme.color(act))
                         for act in ("sigmoid", "relu"))).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        names.next_to(loss_axes.c2p(last, 1.4), DOWN + LEFT, buff=0.1).shift(UP * 0.2)
        self.play(FadeIn(names), run_time=0.5)
        self.wait(1.0)
        self.wait(0.5)
        self.play(FadeOut(VGroup(loss_axes, acc_axes, loss_name, acc_name, counting, curves, names)), run_time=0.8)
