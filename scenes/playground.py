"""Chapter 14 — a TensorFlow-Playground-style view: every neuron's heat-map and the output while the net trains.

The heat-maps are the stored snapshots of the ``playground`` result (each neuron's tanh output over
[−6, 6]²); the losses are its per-epoch train and test losses, drawn up to the snapshot's epoch.
Nothing is trained here: the images are updated in place from the snapshots (no blending).
"""
from __future__ import annotations


import numpy as np
from manim import (DOWN, LEFT, UP, Axes, Create, Dot, FadeIn, FadeOut, ImageMobject, Indicate, Line, Rectangle,
                   VGroup)

from lecture import theme
from lecture.text import fmt

from scenes.base import AXIS_NUMBERS, LectureScene, Retext, polyline


def _rgb(hex_color: str) -> np.ndarray:
    h = hex_color.lstrip("#")
    return np.array([int(h[i:i + 2], 16) for i in (0, 2, 4)], dtype=float)


def heat_rgba(values: np.ndarray, strength: float = 1.0) -> np.ndarray:
    """−1 orange … 0 white … +1 blue (the Playground's colours) as an RGBA uint8 image; ``strength`` < 1
    pales the colours (the output map, so that the data points on it stay visible)."""
    v = strength * np.clip(np.asarray(values, dtype=float), -1, 1)[..., None]
    neg, pos, mid = _rgb(theme.color("class-negative")), _rgb(theme.color("class-positive")), _rgb("#FFFFFF")
    rgb = np.where(v < 0, mid + (neg - mid) * (-v), mid + (pos - mid) * v)
    alpha = np.full(v.shape, 255.0)
    return np.concatenate([rgb, alpha], axis=-1).round().astype(np.uint8)


class PlaygroundCircle(LectureScene):
    """Circle data, network [4, 2] with tanh: the neurons' heat-maps and the output evolve with the losses; then
    the same network on the spiral, which it does not solve."""

    chapter = 14
    title_key = "playground.title"
    dataset = "circle"
    contrast = "spiral"     # the data set the same network cannot solve, shown at the end
    evolve_seconds = 9.0
    contrast_seconds = 4.0
    small = 0.95        # side of a neuron's heat-map
    big = 4.3           # side of the output heat-map
    output_strength = 0.6
    centre_y = -0.35

    def construct(self):
        res = self.result("playground")
        name = self.dataset
        sizes = [int(v) for v in res["layer_sizes"]]
        hidden = sizes[1:-1]
        snaps = [int(e) for e in res["snapshot_epochs"]]
        maps = res[f"{name}/maps"]                  # (snapshots, neurons, g, g)
        ext = float(res.settings["domain"])

        # --- the network's columns: inputs, hidden layers, output ----------------------------------
        axis = res["grid_axis"]
        gx, gy = np.meshgrid(axis, axis[::-1])
        col_x = [-6.0, -4.4, -2.8]
        columns = []
        inputs = []
        for k, feature in enumerate((gx, gy)):
            img = self.image(np.clip(feature / ext, -1, 1), self.small)
            img.move_to([col_x[0], (0.5 - k) * 1.3 + self.centre_y, 0])
            inputs.append(img)
        columns.append(inputs)
        images, start = [], 0
        for layer, width in enumerate(hidden):
            col = []
            for j in range(width):
                img = self.image(maps[0, start + j], self.small)
                img.move_to([col_x[1 + layer], ((width - 1) / 2 - j) * 1.3 + self.centre_y, 0])
                col.append(img)
                images.append((img, start + j))
            columns.append(col)
            start += width
        out_img = self.image(maps[0, start], self.big, self.output_strength).move_to([1.0, self.centre_y, 0])
        images.append((out_img, start))
        columns.append([out_img])
        links = VGroup()
        for a, b in zip(columns[:-1], columns[1:]):
            for src in a:
                for dst in b:
                    links.add(Line(src.get_right(), dst.get_left(), stroke_width=1.5, color=self.muted,
                                   stroke_opacity=0.6))
        frames = VGroup(*(Rectangle(width=m.width, height=m.height, stroke_width=1.5, color=self.muted).move_to(m)
                          for col in columns for m in col))
        heads = VGroup(
            self.tex("x_1,\\ x_2", font_size=38, color=self.muted).next_to(inputs[0], UP, buff=0.15),
            *(self.text("playground.layer_head", font_size=18, color=self.muted, layer=i + 1, n=w)
              .next_to(columns[1 + i][0], UP, buff=0.15)
              for i, w in enumerate(hidden)),
            self.text("playground.output_head", font_size=20, color=self.muted).next_to(out_img, UP, buff=0.12))
        # the data on the output map: training points filled, test points hollow
        def to_screen(p):
            return out_img.get_center() + np.array([p[0] / ext * self.big / 2, p[1] / ext * self.big / 2, 0])

        def data_dots(data_name):
            dots = VGroup()
            for split in ("train", "test"):
                for p, lab in zip(res[f"{data_name}/x_{split}"], res[f"{data_name}/y_{split}"]):
                    color = theme.color("class-positive" if lab > 0 else "class-negative")
                    # as the Playground draws them: training points with a white rim, test points with a dark one
                    d = Dot(to_screen(p), radius=0.045, color=color)
                    d.set_stroke("#FFFFFF" if split == "train" else "#1B1F24", width=1.0, background=False)
                    dots.add(d)
            return dots

        dots = data_dots(name)
        data_tag = self.text("playground.data_tag", font_size=20, color=self.ink, data=self.t(f"playground.data.{name}"))
        data_tag.next_to(out_img, DOWN, buff=0.12)
        with self.narration("playground.sub.intro"):  # the network appears while the first sentence is read
            self.park_title(self.title_card("playground.subtitle"))
            self.add(*(m for col in columns for m in col))   # images appear at once (no opacity animation)
            self.play(FadeIn(links), FadeIn(frames), FadeIn(heads), run_time=1.0)
        # Manim redraws, on every frame, everything drawn after the first changing mobject (the
        # heat-maps); the links and headings touch no image, so underneath they look the same
        self.bring_to_back(links, heads)
        with self.narration("playground.sub.setup", data=self.t(f"playground.data.{name}"),
                            n=int(res.settings["samples"]), share=round(100 * res.settings["train_share"])):
            self.play(FadeIn(dots, lag_ratio=0.002), run_time=1.2)
            self.wait(1.5)
            self.play(FadeIn(data_tag), run_time=0.6)
            dots = self.settle(dots)

        # --- the losses -------------------------------------------------------------------------------
        epochs = res["epoch"]
        last = int(epochs[-1])
        shown = (name, self.contrast)
        top = max(0.6, float(np.ceil(max(float(res[f"{d}/{s}_loss"].max()) for d in shown for s in ("train", "test"))
                                     * 5) / 5))
        axes = Axes(x_range=(0, last, last / 2), y_range=(0, top, 0.2), x_length=2.6, y_length=2.4, tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True},
                    x_axis_config={"decimal_number_config": {"num_decimal_places": 0}})
        axes.move_to([5.1, -1.2, 0])
        loss_head = self.text("playground.loss_head", font_size=18, color=self.muted).next_to(axes, UP, buff=0.1)

        def loss_curve(data_name, split, epoch):
            k = max(2, epoch + 1)
            return polyline(axes, epochs[:k], res[f"{data_name}/{split}_loss"][:k], color=theme.color(split),
                            stroke_width=3)

        def readout_at(data_name, epoch):
            return VGroup(
                self.text("playground.epoch_counter", font_size=22, color=self.ink, epoch=epoch),
                *(self.text("playground.loss_readout", font_size=18, color=theme.color(s),
                            split=self.t(f"playground.split.{s}"), loss=f"{res[f'{data_name}/{s}_loss'][epoch]:.3f}")
                  for s in ("train", "test"))).arrange(DOWN, aligned_edge=LEFT, buff=0.1).move_to([5.15, 1.3, 0])

        curves = [loss_curve(name, s, snaps[0]) for s in ("train", "test")]
        readout = readout_at(name, snaps[0])

        def shower(data_name):
            data_maps = res[f"{data_name}/maps"]

            def show(i):  # snapshot i: every neuron's map, the losses so far, the readout
                for img, neuron in images:
                    img.pixel_array = heat_rgba(data_maps[i, neuron], img.heat_strength)
                for curve, split in zip(curves, ("train", "test")):
                    curve.become(loss_curve(data_name, split, snaps[i]))
                readout.become(readout_at(data_name, snaps[i]))
            return show

        with self.narration("playground.sub.train", lr=res.settings["lr"], batch=int(res.settings["batch"])):
            self.play(Create(axes), FadeIn(loss_head), run_time=0.6)
            self.add(*curves, readout)
            self.step_through(len(snaps), self.evolve_seconds, shower(name))
        with self.narration("playground.sub.result", epoch=last, train=fmt(res[f"{name}/train_loss"][-1], 3),
                            test=fmt(res[f"{name}/test_loss"][-1], 3),
                            acc=fmt(100 * float(res[f"{name}/test_accuracy"]), 3)):
            self.play(Indicate(readout, color=theme.color("highlight"), scale_factor=1.06), run_time=1.0)  # the numbers it reads
        # --- the same network on the spiral: it trains from its own start, and does not untangle it ----------
        other = self.contrast
        other_dots = data_dots(other)
        other_tag = self.text("playground.data_tag", font_size=20, color=self.ink, data=self.t(f"playground.data.{other}"))
        other_tag.move_to(data_tag)
        with self.narration("playground.sub.spiral", epoch=last, test=fmt(res[f"{other}/test_loss"][-1], 3),
                            acc=fmt(100 * float(res[f"{other}/test_accuracy"]), 3),
                            circle=fmt(res[f"{name}/test_loss"][-1], 3)):
            self.play(FadeOut(dots), FadeIn(other_dots), Retext(data_tag, other_tag), run_time=0.8)
            other_dots = self.settle(other_dots)
            self.step_through(len(snaps), self.contrast_seconds, shower(other))
            self.wait(1.0)
        with self.narration("playground.sub.takeaway"):  # the hyperparameters it names: the layers and their neurons
            self.play(Indicate(heads, color=theme.color("highlight"), scale_factor=1.12), run_time=1.6)

    # --- pieces -------------------------------------------------------------------------------------
    def image(self, values: np.ndarray, side: float, strength: float = 1.0) -> ImageMobject:
        img = ImageMobject(heat_rgba(values, strength))
        img.heat_strength = strength
        img.height = side
        return img
