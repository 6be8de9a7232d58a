"""Chapter 15 — the Colab MNIST example: the digits, model1.summary(), the accuracy curves epoch by epoch,
and the final evaluate() line.  Every number comes from the stored ``mnist-mlp`` result."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    ORIGIN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedVMobject,
    FadeIn,
    FadeOut,
    Line,
    Square,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
)

from lecture import theme
from lecture.text import fmt

from scenes.base import AXIS_NUMBERS, LectureScene, TextCounter, axes_points, dashed_polyline
from scenes.pieces import pixel_digit

SLIDE_YLIM = (0.94, 1.005)


class MnistMLP(LectureScene):
    """Digits, the network's summary, training curves drawn epoch by epoch, evaluate()."""

    chapter = 15
    title_key = "mnist-mlp.title"
    digit_size = 1.05
    train_time = 7.0

    def construct(self):
        res = self.res = self.result("mnist-mlp")
        self.label = str(res.meta.get("info", {}).get("data_label", "MNIST"))
        digits = self.digits_grid()
        with self.narration("mnist-mlp.sub.intro"):
            self.park_title(self.title_card("mnist-mlp.subtitle", **self.subtitle_values()))
            # the digits at once, as the title settles; their labels and the data's name follow with the next cue
            self.add(VGroup(*(cell[:2] for cell in digits[0])))
        with self.narration("mnist-mlp.sub.digits", label=self.label):
            self.play(FadeIn(VGroup(*(cell[2] for cell in digits[0])), lag_ratio=0.05), FadeIn(digits[1]),
                      run_time=1.2)
        with self.narration("mnist-mlp.sub.summary", n=f"{int(res['params']):,}"):
            summary = self.summary_table()
            self.play(FadeIn(summary, shift=0.2 * LEFT), run_time=1.2)
        with self.narration("mnist-mlp.sub.train", train=int(res["split"][0]), val=int(res["split"][1]),
                            share=fmt(100 * res.settings["validation_split"], 3), batch=res.settings["batch"],
                            epochs=int(res["epoch"][-1])):
            axes, decor = self.accuracy_axes()
            self.play(FadeOut(VGroup(digits, summary)), Create(axes), FadeIn(decor), run_time=1.2)
        self.draw_curves(axes)   # plays while the training cue is read
        with self.narration("mnist-mlp.sub.curves", val=f"{float(res['final/val_acc']):.4f}"):
            self.show_finals(axes)
        has_test = bool(res["has_test"])
        acc = float(res["test/acc"] if has_test else res["final/val_acc"])
        loss = float(res["test/loss"] if has_test else res["final/val_loss"])
        key = "mnist-mlp.sub.evaluate_test" if has_test else "mnist-mlp.sub.evaluate_val"
        with self.narration(key, acc=f"{acc:.4f}", loss=f"{loss:.4f}", label=self.label):
            head = (self.text("mnist-mlp.evaluate_test", font_size=22, color=self.muted, n=int(res["test/size"]))
                    if has_test else
                    self.text("mnist-mlp.evaluate_val", font_size=22, color=self.muted, n=int(res["split"][1])))
            line = self.text("mnist-mlp.evaluate_result", font_size=30, weight="BOLD",
                             color=theme.color("highlight"), acc=f"{acc:.4f}", loss=f"{loss:.4f}")
            VGroup(head, line).arrange(DOWN, aligned_edge=LEFT, buff=0.15).to_edge(DOWN, buff=0.35)
            self.play(FadeIn(head), Write(line), run_time=1.5)
            self.wait(1.0)

    def subtitle_values(self) -> dict:
        s = self.res.settings
        return dict(hidden=s["hidden"], epochs=s["epochs"], batch=s["batch"], split=s["validation_split"])

    # --- the digits -------------------------------------------------------------------
    def digits_grid(self) -> VGroup:
        res = self.res
        images, labels = res["samples/x"][:16], res["samples/y"][:16]
        cells = []
        for image, label in zip(images, labels):
            frame = Square(side_length=self.digit_size, stroke_width=1, stroke_color=self.muted, stroke_opacity=0.6)
            picture = pixel_digit(image, self.digit_size, self.ink).move_to(frame)
            tag = self.plain(str(int(label)), font_size=18, color=self.muted).next_to(frame, UP, buff=0.05)
            cells.append(VGroup(frame, picture, tag))
        grid = VGroup(*cells).arrange_in_grid(rows=4, cols=4, buff=(0.18, 0.12))
        caption = self.text("mnist-mlp.data", font_size=25, color=self.muted, label=self.label)  # named: 3 %
        group = VGroup(grid, caption.next_to(grid, DOWN, buff=0.2))
        group.to_edge(LEFT, buff=0.6).shift(DOWN * 0.35)
        return group

    # --- model1.summary() --------------------------------------------------------------
    def summary_table(self) -> VGroup:
        res = self.res
        cols = (0.0, 3.1, 6.3)  # left edges of layer / shape, right edge of params (relative)
        rows = VGroup()
        header = [self.text(f"mnist-mlp.col.{c}", font_size=20, weight="BOLD") for c in ("layer", "shape", "params")]
        rows.add(self.table_row(header, cols))
        for layer, shape, params in zip(res["summary/layer"], res["summary/shape"], res["summary/params"]):
            cells = [self.plain(str(layer), font_size=20), self.plain(str(shape), font_size=20),
                     self.plain(f"{int(params):,}", font_size=20)]
            rows.add(self.table_row(cells, cols))
        rows.arrange(DOWN, buff=0.28, aligned_edge=LEFT)
        width = cols[2] - cols[0] + 0.4
        lines = VGroup()
        for row in rows:
            start = np.array([rows.get_left()[0] - 0.1, row.get_bottom()[1] - 0.12, 0.0])
            lines.add(Line(start, start + RIGHT * width, stroke_width=1, color=self.muted))
        title = self.text("mnist-mlp.summary_title", font_size=24, weight="BOLD")
        total = self.text("mnist-mlp.total_params", font_size=24, weight="BOLD", n=f"{int(res['params']):,}")
        network = self.text("mnist-mlp.network", font_size=20, color=self.muted)
        table = VGroup(rows, lines)
        group = VGroup(title, table, total, network).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        group.to_edge(RIGHT, buff=0.5).shift(DOWN * 0.2)
        return group

    def table_row(self, cells, cols) -> VGroup:
        row = VGroup(*cells)
        cells[0].move_to([cols[0], 0, 0], aligned_edge=LEFT)
        cells[1].move_to([cols[1], 0, 0], aligned_edge=LEFT)
        cells[2].move_to([cols[2], 0, 0], aligned_edge=RIGHT)
        return row

    # --- the curves --------------------------------------------------------------------
    def y_range(self) -> tuple[float, float, float]:
        res = self.res
        if min(res["train_acc"][-1], res["val_acc"][-1]) >= SLIDE_YLIM[0]:
            return (SLIDE_YLIM[0], SLIDE_YLIM[1], 0.02)
        low = float(np.floor(min(res["train_acc"].min(), res["val_acc"].min()) * 20) / 20)
        return (low, 1.0, 0.05 if 1.0 - low <= 0.4 else 0.1)

    def accuracy_axes(self):
        res = self.res
        epochs = res["epoch"]
        y_lo, y_hi, y_step = self.y_range()
        axes = Axes(x_range=(0, int(epochs[-1]), 1), y_range=(y_lo, y_hi, y_step), x_length=9.0, y_length=3.3,
                    tips=False, axis_config={"color": self.muted, "font_size": AXIS_NUMBERS},
                    x_axis_config={"numbers_to_include": list(range(1, int(epochs[-1]) + 1))},
                    y_axis_config={"numbers_to_include": list(np.round(np.arange(y_lo, y_hi + 1e-9, y_step), 3)),
                                   "decimal_number_config": {"num_decimal_places": 2}})
        axes.move_to(UP * 0.55 + RIGHT * 0.3)
        # the axes' names, the legend and the epoch counter are named by the narration: 3 % of the frame high
        x_name = self.text("mnist-mlp.axis_epoch", font_size=26, color=self.muted).next_to(axes.x_axis, DOWN, 0.45)
        y_name = self.text("mnist-mlp.axis_acc", font_size=26, color=self.muted).rotate(np.pi / 2)
        y_name.next_to(axes.y_axis, LEFT, buff=0.75)
        train_key = Line(ORIGIN, RIGHT * 0.6, color=theme.color("train"), stroke_width=5)
        val_key = DashedVMobject(Line(ORIGIN, RIGHT * 0.6, color=theme.color("validation"), stroke_width=5),
                                 num_dashes=4)
        legend = VGroup(VGroup(train_key, self.text("mnist-mlp.legend.train", font_size=25)).arrange(RIGHT, buff=0.15),
                        VGroup(val_key, self.text("mnist-mlp.legend.validation", font_size=25)).arrange(RIGHT, buff=0.15))
        data = self.text("mnist-mlp.data", font_size=18, color=self.muted, label=self.label)
        data.next_to(axes.c2p(int(epochs[-1]), y_lo), UP + LEFT, buff=0.15)
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.12).next_to(data, UP, buff=0.2).align_to(data, RIGHT)
        self.epoch_tracker = ValueTracker(0)
        counter = TextCounter(self, int(epochs[-1]), font_size=30, color=self.ink)  # in the labels' font
        counting = VGroup(self.text("mnist-mlp.epoch_counter", font_size=26, color=self.muted), counter)
        # aligned at its widest (the last epoch): it ends where the axes end
        counting.arrange(RIGHT, buff=0.2).next_to(axes, UP, buff=0.2).align_to(axes, RIGHT)
        counter.set_value(0)
        counter.add_updater(lambda m: m.set_value(int(np.floor(self.epoch_tracker.get_value() + 1e-6))))
        self.counter = counter
        return axes, VGroup(x_name, y_name, legend, data, counting)

    def partial_curve(self, axes, values, progress: float, color: str, dashed: bool) -> VMobject:
        """The curve through epochs 1..⌊progress⌋ plus the way to the next epoch (progress in [0, E])."""
        epochs = self.res["epoch"].astype(float)
        y_lo, y_hi = axes.y_range[0], axes.y_range[1]
        ys = np.clip(np.asarray(values, dtype=float), y_lo, y_hi)
        progress = float(np.clip(progress, 1.0, epochs[-1]))
        k = int(np.floor(progress))
        xs, yv = list(epochs[:k]), list(ys[:k])
        if progress > k and k < len(epochs):
            frac = progress - k
            xs.append(epochs[k - 1] + frac)
            yv.append(ys[k - 1] + frac * (ys[k] - ys[k - 1]))
        points = axes_points(axes, xs, yv)
        if len(points) == 1:
            points = np.vstack([points, points])
        if dashed and len(xs) > 1:
            length = (xs[-1] - xs[0])
            return dashed_polyline(points, max(2, int(length * 3)), 0.55, stroke_color=color, stroke_width=5)
        curve = VMobject(stroke_color=color, stroke_width=5)
        curve.set_points_as_corners(points)
        return curve

    def draw_curves(self, axes):
        res = self.res
        last = float(res["epoch"][-1])
        tracker = self.epoch_tracker
        tracker.set_value(1.0)
        train = always_redraw(lambda: self.partial_curve(axes, res["train_acc"], tracker.get_value(),
                                                         theme.color("train"), dashed=False))
        val = always_redraw(lambda: self.partial_curve(axes, res["val_acc"], tracker.get_value(),
                                                       theme.color("validation"), dashed=True))
        self.add(train, val)
        self.play(tracker.animate(rate_func=linear).set_value(last), run_time=self.train_time)
        train.clear_updaters()
        val.clear_updaters()
        self.counter.clear_updaters()

    def show_finals(self, axes):
        res = self.res
        last = float(res["epoch"][-1])
        finals = VGroup(
            self.plain(f"{float(res['train_acc'][-1]):.4f}", font_size=22, color=theme.color("train"))
            .next_to(axes.c2p(last, float(np.clip(res["train_acc"][-1], *axes.y_range[:2]))), RIGHT, buff=0.12)
            .shift(UP * 0.12),
            self.plain(f"{float(res['val_acc'][-1]):.4f}", font_size=22, color=theme.color("validation"))
            .next_to(axes.c2p(last, float(np.clip(res["val_acc"][-1], *axes.y_range[:2]))), RIGHT, buff=0.12)
            .shift(DOWN * 0.12),
        )
        self.play(FadeIn(finals[0]), run_time=0.6)   # "solid: training", then "dashed: validation … {val}"
        self.wait(1.2)
        self.play(FadeIn(finals[1]), run_time=0.6)
        self.wait(0.5)
