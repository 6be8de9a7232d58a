"""Chapter 12 — 데이터 증식: the lecture's transforms applied to real MNIST digits, column by column; the random
augmentation of training; then the accuracy of the over-fitting network with and without it, the gap between
training and validation shaded, racing over the epochs.  Everything drawn comes from the ``augmentation`` result."""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    Polygon,
    Square,
    VGroup,
    config,
)

from lecture import theme
from lecture.text import accuracy, fmt

from scenes.base import AXIS_NUMBERS, LectureScene, axes_points, polyline
from scenes.pieces import pixel_digit

RUNS = (("plain", "no-augmentation"), ("augmented", "augmented"))
LAST = 10   # the claims compare the mean of the last 10 epochs (engine.augmentation._final)


class Augmentation(LectureScene):
    """Transforms on real digits; training with random augmentation; the gap it closes."""

    chapter = 12
    title_key = "augmentation.title"
    cell = 1.0           # the side of a digit in the transform grid
    gap = (0.6, 0.16)
    race_seconds = 8.0

    def construct(self):
        res = self.result("augmentation")
        grid = res["grid"]                                  # (digit, kind, 28, 28)
        kinds = [str(k) for k in res["kinds"]]
        rows, cols = grid.shape[:2]
        s = res.settings

        # the grid's places: column c of the transform kinds, row r of the digits
        width = cols * self.cell + (cols - 1) * self.gap[0]
        height = rows * self.cell + (rows - 1) * self.gap[1]
        x0, y0 = -width / 2 + self.cell / 2, 0.25 + height / 2 - self.cell / 2 - 0.55

        def place(r, c):
            return np.array([x0 + c * (self.cell + self.gap[0]), y0 - r * (self.cell + self.gap[1]), 0.0])

        def digit(image, r, c, colour=None):
            frame = Square(side_length=self.cell, stroke_width=1.5, stroke_color=colour or self.muted,
                           stroke_opacity=0.8).move_to(place(r, c))
            return VGroup(frame, pixel_digit(image, self.cell, self.ink).move_to(frame))

        def heading(c):
            return self.wrapped(self.t(f"augmentation.kind.{kinds[c]}"), self.cell + self.gap[0] - 0.2, font_size=26,
                                color=self.muted).next_to(place(0, c) + UP * self.cell / 2, UP, buff=0.14)

        columns = [VGroup(*(digit(grid[r, c], r, c, theme.color("highlight") if c == 0 else None) for r in range(rows)))
                   for c in range(cols)]
        headings = [heading(c) for c in range(cols)]
        with self.narration("augmentation.sub.intro", n=rows, train=s["train_size"]):
            self.park_title(self.title_card("augmentation.subtitle"), FadeIn(columns[0]), FadeIn(headings[0]))

        def apply(c):
            """Column c grows out of the originals: a copy slides over and turns into the transformed digits."""
            moving = columns[0].copy()
            self.add(moving)
            self.play(moving.animate.move_to(columns[c]), run_time=0.7)
            self.play(FadeOut(moving), FadeIn(columns[c]), FadeIn(headings[c]), run_time=0.8)

        index = {k: i for i, k in enumerate(kinds)}
        steps = (("augmentation.sub.shift_flip", ("shift", "flip")), ("augmentation.sub.rotate_zoom", ("rotation", "zoom")),
                 ("augmentation.sub.noise", ("gaussian", "binomial")))
        values = dict(shift=fmt(s["show_shift"], 2), angle=fmt(s["show_angle"], 3), zoom=fmt(s["show_zoom"], 2),
                      sigma=fmt(s["show_sigma"], 2), rate=fmt(s["show_rate"], 2))
        for key, names in steps:
            with self.narration(key, **values):
                for name in names:
                    apply(index[name])

        # training: every mini-batch augmented at random (the stored draws of the first digits)
        examples = res["examples"]                           # (digit, draw, 28, 28)
        train = dict(shift=fmt(s["aug_shift"], 2), angle=fmt(s["aug_angle"], 3), zoom=fmt(s["aug_zoom"], 2),
                     sigma=fmt(s["aug_sigma"], 2))
        draws = VGroup(*(VGroup(*(digit(examples[r, d], r, 0) for r in range(rows))) for d in range(examples.shape[1])))
        draw_heading = self.wrapped(self.t("augmentation.random_draws"), 4 * self.cell, font_size=20, color=self.muted)
        with self.narration("augmentation.sub.training", **train):
            flips = VGroup(columns[index["flip"]], headings[index["flip"]])
            self.play(flips.animate.set_opacity(0.2), run_time=0.8)
            self.wait(1.0)
            # the originals move to the left edge; four random draws of each digit appear beside them
            originals = VGroup(columns[0], headings[0])
            self.play(FadeOut(VGroup(*(VGroup(columns[c], headings[c]) for c in range(1, cols)))),
                      originals.animate.shift(RIGHT * (-6.2 - columns[0].get_center()[0])), run_time=0.9)
            for d, column in enumerate(draws):
                column.next_to(columns[0], RIGHT, buff=0.3 + d * (self.cell + 0.12))
            draw_heading.next_to(draws, UP, buff=0.14)
            for column in draws:
                self.play(FadeIn(column, shift=0.2 * RIGHT), run_time=0.5)
            self.play(FadeIn(draw_heading), run_time=0.4)

        # the race: training and validation accuracy, with and without augmentation, the gap shaded
        epochs = np.asarray(res["epoch"], dtype=float)
        acc = {run: {split: np.asarray(res[f"{run}/{split}_acc"], dtype=float) for split in ("train", "val")}
               for run, _ in RUNS}
        axes = Axes(x_range=(0, epochs[-1], 50), y_range=(0, 1.05, 0.25), x_length=6.0, y_length=4.6, tips=False,
                    axis_config={"color": self.muted, "include_numbers": True, "font_size": AXIS_NUMBERS},
                    y_axis_config={"decimal_number_config": {"num_decimal_places": 2}})
        axes.move_to([3.4, -0.45, 0])
        x_name = self.text("augmentation.axis_epoch", font_size=26, color=self.muted).next_to(axes, DOWN, buff=0.12)
        x_name.align_to(axes, RIGHT)
        y_name = self.text("augmentation.axis_acc", font_size=22, color=self.muted)
        y_name.next_to(axes.c2p(0, 1.05), UP, buff=0.15).align_to(axes.y_axis, LEFT)
        legend = VGroup(*(self.text(f"augmentation.run.{run}", font_size=26, color=theme.color(role), weight="BOLD")
                          for run, role in RUNS)).arrange(DOWN, aligned_edge=RIGHT, buff=0.1)
        legend.to_corner(UP + RIGHT, buff=0.35)
        drawn = {run: self.run_picture(axes, epochs, acc[run], role, 2) for run, role in RUNS}
        setup = dict(epochs=int(epochs[-1]), train=s["train_size"], layers=s["hidden_layers"], hidden=s["hidden"])
        def show(i):
            for run, role in RUNS:
                drawn[run].become(self.run_picture(axes, epochs, acc[run], role, i + 1))

        half = len(epochs) // 2
        with self.narration("augmentation.sub.race_setup", **setup):
            self.play(FadeOut(VGroup(columns[0], headings[0], draws, draw_heading)), Create(axes), FadeIn(x_name),
                      FadeIn(y_name), FadeIn(legend), run_time=1.2)
            for run, _ in RUNS:
                self.add(drawn[run])
            self.step_through(half, self.race_seconds * half / len(epochs), show)

        with self.narration("augmentation.sub.race"):
            self.step_through(len(epochs) - half, self.race_seconds * (1 - half / len(epochs)),
                              lambda i: show(half + i))

        def last(run, split):
            return float(acc[run][split][-LAST:].mean())

        def seeds_last(run, split):
            return np.asarray(res[f"seeds/{run}/{split}_acc"], dtype=float)[:, -LAST:].mean(1)

        seeds = len(res["seed_values"])
        column_width = axes.get_left()[0] - 0.75 + config.frame_width / 2 - 0.4     # left of the plot's numbers

        def column_text(key, colour=None, **values):
            """The string's lines (``\n``), each broken where it is wider than the column."""
            return VGroup(*(self.wrapped(line, column_width, font_size=22, color=colour or self.ink, aligned_edge=LEFT)
                            for line in self.t(key, **values).split("\n"))).arrange(DOWN, aligned_edge=LEFT, buff=0.12)

        key = column_text("augmentation.curve_key", self.muted)
        finals = {run: column_text("augmentation.final_line", theme.color(role), name=self.t(f"augmentation.run.{run}"),
                                   train=accuracy(last(run, "train")), val=accuracy(last(run, "val")))
                  for run, role in RUNS}
        val = dict(plain=accuracy(last("plain", "val")), augmented=accuracy(last("augmented", "val")), seeds=seeds,
                   last=LAST, plo=accuracy(seeds_last("plain", "val").min()),
                   phi=accuracy(seeds_last("plain", "val").max()), alo=accuracy(seeds_last("augmented", "val").min()),
                   ahi=accuracy(seeds_last("augmented", "val").max()))
        gap = {run: seeds_last(run, "train") - seeds_last(run, "val") for run, _ in RUNS}
        gaps = dict(plain=accuracy(last("plain", "train") - last("plain", "val")),
                    augmented=accuracy(last("augmented", "train") - last("augmented", "val")), seeds=seeds,
                    plo=accuracy(gap["plain"].min()), phi=accuracy(gap["plain"].max()),
                    alo=accuracy(gap["augmented"].min()), ahi=accuracy(gap["augmented"].max()))
        val_line = column_text("augmentation.val_line", **val)
        gap_line = column_text("augmentation.gap_line", **gaps)
        column = VGroup(key, finals["plain"], finals["augmented"], val_line, gap_line).arrange(DOWN, aligned_edge=LEFT,
                                                                                              buff=0.3)
        column.to_edge(LEFT, buff=0.4).align_to(y_name, UP)
        self.play(FadeIn(key), run_time=0.5)

        def pulse(run, part, **style):
            return drawn[run][part].animate.set_style(**style)

        with self.narration("augmentation.sub.plain_gap", train=accuracy(last("plain", "train")),
                            val=accuracy(last("plain", "val")), last=LAST):
            self.play(FadeIn(finals["plain"]), pulse("plain", 0, fill_opacity=0.6), run_time=1.2)
            self.play(pulse("plain", 0, fill_opacity=0.25), run_time=1.0)
            self.play(FadeIn(finals["augmented"]), pulse("augmented", 0, fill_opacity=0.6), run_time=1.2)
            self.play(pulse("augmented", 0, fill_opacity=0.25), run_time=1.0)

        with self.narration("augmentation.sub.val", **val):
            self.play(FadeIn(val_line), *(pulse(run, 2, stroke_width=9) for run, _ in RUNS), run_time=1.2)
            self.play(*(pulse(run, 2, stroke_width=5) for run, _ in RUNS), run_time=1.0)
            self.play(Indicate(val_line, scale_factor=1.05, color=theme.color("augmented")), run_time=1.2)

        with self.narration("augmentation.sub.gap", **gaps):
            self.play(*(pulse(run, 0, fill_opacity=0.6) for run, _ in RUNS), FadeIn(gap_line), run_time=1.2)
            self.play(*(pulse(run, 0, fill_opacity=0.25) for run, _ in RUNS), run_time=1.0)
            self.play(Indicate(gap_line, scale_factor=1.05, color=theme.color("augmented")), run_time=1.2)

    def run_picture(self, axes, epochs, acc: dict, role: str, upto: int) -> VGroup:
        """One run up to epoch ``upto``: the gap between its training and validation accuracy shaded, both curves."""
        k = max(2, upto)
        xs, train, val = epochs[:k], acc["train"][:k], acc["val"][:k]
        colour = theme.color(role)
        band = Polygon(*axes_points(axes, np.concatenate([xs, xs[::-1]]), np.concatenate([train, val[::-1]])),
                       stroke_width=0, fill_color=colour, fill_opacity=0.25)
        return VGroup(band, polyline(axes, xs, train, color=colour, stroke_width=3),
                      polyline(axes, xs, val, color=colour, stroke_width=5))
