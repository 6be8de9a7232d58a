"""Chapter 11 — deep belief nets: the RBM (visible and hidden units, energy), one CD-1 step, the filters forming
as training goes, reconstructions of held-out digits; then a deep network pre-trained from stacked RBMs against
the same network from random weights.

Everything drawn is read from the results ``rbm`` (seed 0's RBM, every seed's reconstruction error) and
``rbm-pretraining`` (every seed's test accuracy; seed 0 bold).
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Circumscribe,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Group,
    ImageMobject,
    Line,
    Rectangle,
    ValueTracker,
    VGroup,
    linear,
)
from manim.mobject.types.image_mobject import RESAMPLING_ALGORITHMS

from lecture import theme
from lecture.text import fixed, fmt

from scenes.base import AXIS_NUMBERS, LectureScene, TextCounter, formulas_of, polyline

UPSCALE = 16       # image pixels per data pixel (drawn crisp at any size)


def _rgb(hex_color: str) -> np.ndarray:
    hex_color = hex_color.lstrip("#")
    return np.array([int(hex_color[i:i + 2], 16) for i in (0, 2, 4)], dtype=float)


def tiles(images: np.ndarray, cols: int, colour, gap: int = 1) -> np.ndarray:
    """``images`` (n, side²) as one RGBA uint8 picture: ``cols`` per row, ``gap`` data pixels apart (transparent),
    each data pixel ``UPSCALE`` × ``UPSCALE``; ``colour(values)`` maps an image's values to RGB (…, 3)."""
    images = np.asarray(images, dtype=float)
    n, side = len(images), int(round(np.sqrt(images.shape[1])))
    rows = int(np.ceil(n / cols))
    out = np.zeros((rows * (side + gap) - gap, cols * (side + gap) - gap, 4))
    for k, image in enumerate(images):
        r, c = divmod(k, cols)
        y, x = r * (side + gap), c * (side + gap)
        out[y:y + side, x:x + side, :3] = colour(image.reshape(side, side))
        out[y:y + side, x:x + side, 3] = 255
    big = np.repeat(np.repeat(out, UPSCALE, axis=0), UPSCALE, axis=1)
    return big.round().clip(0, 255).astype(np.uint8)


class RBMPretraining(LectureScene):
    """The RBM and CD-1 on real digits, the filters forming, reconstructions; then pre-trained vs random."""

    chapter = 11
    title_key = "rbm.title"
    grid_side = 2.3          # a visible or hidden layer drawn as an 8 × 8 picture
    filter_seconds = 8.0
    race_seconds = 7.0

    def construct(self):
        self.res = self.result("rbm")
        self.pre = self.result("rbm-pretraining")
        self.background = _rgb(self.colors["background"])
        self.leaving = []        # what the last beat leaves on screen: faded out by the next beat's first play
        self.show_rbm()
        self.show_cd_step()
        self.show_filters()
        self.show_stack()
        self.show_race()

    def typeset_ahead(self):
        return [f for key in ("rbm.energy", "rbm.probability", "rbm.cd.v0", "rbm.cd.h0", "rbm.cd.v1", "rbm.cd.h1",
                              "rbm.cd.update") for f in formulas_of(self.t(key))]

    def fade_leaving(self) -> list:
        """FadeOut of what the last beat left (played with the next beat's first animation: no empty frame
        while a cue is read)."""
        leaving, self.leaving = self.leaving, []
        return [FadeOut(m) for m in leaving]

    # --- pictures -----------------------------------------------------------------------------------
    def ink_colour(self, values):
        """0 → the background, 1 → the ink (a pixel, a unit's probability)."""
        ink = _rgb(self.ink)
        v = np.clip(values, 0, 1)[..., None]
        return self.background + (ink - self.background) * v

    def weight_colour(self, values):
        """Negative weights vermilion, positive blue, zero the background (scaled to the largest |w| shown)."""
        pos, neg = _rgb(theme.color("weight-pos")), _rgb(theme.color("weight-neg"))
        v = np.clip(values, -1, 1)[..., None]
        return np.where(v >= 0, self.background + (pos - self.background) * v,
                        self.background + (neg - self.background) * (-v))

    def picture(self, images, cols: int, colour, width: float) -> ImageMobject:
        img = ImageMobject(tiles(np.atleast_2d(images), cols, colour))
        img.set_resampling_algorithm(RESAMPLING_ALGORITHMS["nearest"])
        img.width = width
        return img

    def digit(self, values, side: float | None = None) -> ImageMobject:
        return self.picture(values, 1, self.ink_colour, side or self.grid_side)

    def framed(self, image: ImageMobject) -> VGroup:
        frame = Rectangle(width=image.width + 0.08, height=image.height + 0.08, stroke_width=2,
                          color=self.muted).move_to(image)
        return frame

    # --- beats --------------------------------------------------------------------------------------
    def show_rbm(self):
        res = self.res
        hidden = int(res.settings["hidden"])
        v = res["cd/v0"]
        ph = res["cd/ph0"]
        visible_img = self.digit(v).move_to(LEFT * 3.4 + UP * 0.75)
        hidden_img = self.picture(ph, 1, self.ink_colour, self.grid_side).move_to(RIGHT * 3.4 + UP * 0.75)
        visible_frame, hidden_frame = self.framed(visible_img), self.framed(hidden_img)
        visible_label = self.text("rbm.visible", font_size=26).next_to(visible_frame, UP, buff=0.25)
        hidden_label = self.text("rbm.hidden", font_size=26, n=hidden).next_to(hidden_frame, UP, buff=0.25)
        # a sample of the links (every visible unit is linked to every hidden unit: 64 × 64 weights), drawn
        # between the two layers' facing edges
        gen = np.random.default_rng(0)
        links = VGroup()
        cell = self.grid_side / 8
        for _ in range(48):
            i, j = gen.integers(0, 8, size=2)
            a = visible_frame.get_corner(UP + RIGHT) + np.array([0.05, -(i + 0.5) * cell - 0.04, 0])
            b = hidden_frame.get_corner(UP + LEFT) + np.array([-0.05, -(j + 0.5) * cell - 0.04, 0])
            links.add(Line(a, b, stroke_width=1.5, color=self.muted, stroke_opacity=0.5))
        note = self.text("rbm.no_output", font_size=24, color=self.muted).next_to(Group(visible_img, hidden_img),
                                                                                 DOWN, buff=0.35)
        note.set_x(0)
        with self.narration("rbm.sub.intro"):
            self.park_title(self.title_card("rbm.subtitle"),
                            FadeIn(visible_img), FadeIn(visible_frame), FadeIn(visible_label))
        with self.narration("rbm.sub.idea"):
            self.play(FadeIn(hidden_img), FadeIn(hidden_frame), FadeIn(hidden_label), run_time=1.0)
            self.play(Create(links, lag_ratio=0.02), run_time=3.0)
            self.play(FadeIn(note), run_time=1.0)
            self.play(links.animate.set_stroke(color=self.ink, opacity=0.7), run_time=0.8)
            self.play(links.animate.set_stroke(color=self.muted, opacity=0.5), run_time=0.8)
        energy = self.mixed("rbm.energy", font_size=28).next_to(note, DOWN, buff=0.45).set_x(0)
        prob = self.mixed("rbm.probability", font_size=26).next_to(energy, DOWN, buff=0.3).set_x(0)
        with self.narration("rbm.sub.energy"):
            self.play(FadeIn(energy, shift=0.1 * UP), run_time=1.0)
            self.play(FadeIn(prob, shift=0.1 * UP), run_time=1.0)
            self.play(Circumscribe(prob, color=theme.color("highlight"), stroke_width=3), run_time=1.2)
        self.leaving = [VGroup(visible_label, hidden_label, visible_frame, hidden_frame, links, note, energy, prob),
                        visible_img, hidden_img]

    def show_cd_step(self):
        res = self.res
        side = 2.1
        xs = (-5.1, -1.7, 1.7, 5.1)
        keys = ("rbm.cd.v0", "rbm.cd.h0", "rbm.cd.v1", "rbm.cd.h1")
        arrays = (res["cd/v0"], res["cd/h0"], res["cd/v1"], res["cd/ph1"])
        y = 1.2
        panels = [self.digit(a, side).move_to([x, y, 0]) for a, x in zip(arrays, xs)]
        frames = [self.framed(p) for p in panels]
        # every other label a line lower: side by side the English ones would meet
        labels = [self.mixed(k, font_size=30).next_to(p, DOWN, buff=0.25 + 0.6 * (i % 2))
                  for i, (k, p) in enumerate(zip(keys, panels))]
        for label in labels:
            self.on_screen(label)
        arrows = [Arrow(panels[k].get_right(), panels[k + 1].get_left(), buff=0.12, stroke_width=4,
                        color=self.muted, max_tip_length_to_length_ratio=0.3) for k in range(3)]
        with self.narration("rbm.sub.cd"):
            self.play(*self.fade_leaving(), FadeIn(panels[0]), Create(frames[0]), FadeIn(labels[0]), run_time=0.9)
            for k in range(1, 4):
                self.play(Create(arrows[k - 1]), FadeIn(panels[k]), Create(frames[k]), FadeIn(labels[k]), run_time=0.9)
        energies = res["cd/free_energy"]
        f0, f1 = fmt(float(energies[0]), 3), fmt(float(energies[1]), 3)
        update = self.mixed("rbm.cd.update", font_size=36).move_to(DOWN * 2.0)
        energy_line = self.text("rbm.cd.energies", font_size=24, color=self.muted, f0=f0.replace("-", "−"),
                                f1=f1.replace("-", "−")).next_to(update, DOWN, buff=0.35)
        with self.narration("rbm.sub.update", f0=f0, f1=f1):
            self.play(FadeIn(update, shift=0.1 * UP), run_time=1.5)
            self.play(FadeIn(energy_line), run_time=1.0)
            self.play(*(f.animate.set_stroke(color=theme.color("highlight"), width=4) for f in (frames[0], frames[2])),
                      run_time=0.8)
            self.play(*(f.animate.set_stroke(color=self.muted, width=2) for f in (frames[0], frames[2])), run_time=0.8)
        self.leaving = [VGroup(*frames, *labels, *arrows, update, energy_line), *panels]

    def show_filters(self):
        res = self.res
        snaps = res["filters"]                       # (snapshots, units, 64)
        steps = res["filter_steps"]
        units = snaps.shape[1]
        cols = int(round(np.sqrt(units)))
        width = 4.6
        centre = LEFT * 3.6 + DOWN * 0.35

        def grid(i):
            scale = 0.6 * float(np.abs(snaps[i]).max()) or 1.0   # each state to its own range: the first is tiny
            return self.picture(snaps[i] / scale, cols, self.weight_colour, width).move_to(centre)

        image = grid(0)
        caption = self.text("rbm.filters", font_size=24, n=units).next_to(image, UP, buff=0.2)
        sign = self.text("rbm.weight_sign", font_size=22, color=self.muted).next_to(image, DOWN, buff=0.2)
        counter = TextCounter(self, int(steps[-1]), font_size=26, color=self.ink)
        count_row = self.counter_row(counter, int(steps[-1]))
        count_row.next_to(caption, UP, buff=0.15)
        counter.set_value(0)
        with self.narration("rbm.sub.filters", n=units):
            self.play(*self.fade_leaving(), FadeIn(image), FadeIn(caption), FadeIn(sign), FadeIn(count_row), run_time=1.0)
            shown = {"image": image}

            def show(i):
                new = grid(i)
                self.remove(shown["image"])
                self.add(new)
                shown["image"] = new
                counter.set_value(int(steps[i]))

            self.step_through(len(steps), self.filter_seconds, show)
        image = shown["image"]
        # the reconstruction error, every seed
        recon, test_recon = res["seeds/recon"], res["seeds/test_recon"]
        epochs = res["epoch"]
        last = int(epochs[-1])
        top = float(max(recon.max(), test_recon.max()))
        y_max = np.ceil(top * 20 + 1e-9) / 20
        axes = Axes(x_range=(0, last, 10), y_range=(0, y_max, 0.05), x_length=5.4, y_length=3.6, tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        axes.move_to(RIGHT * 3.6 + DOWN * 0.2)
        x_name = self.text("rbm.axis_epoch", font_size=26, color=self.muted).next_to(axes, DOWN, buff=0.2)
        y_name = self.text("rbm.axis_recon", font_size=26, color=self.muted).next_to(axes, UP, buff=0.15)
        curves = VGroup()
        for key, role in (("seeds/recon", "train"), ("seeds/test_recon", "test")):
            for k in range(recon.shape[0]):
                curves.add(polyline(axes, epochs, res[key][k], color=theme.color(role),
                                    stroke_width=4 if k == 0 else 1.5).set_stroke(opacity=1 if k == 0 else 0.5))
        legend = VGroup(*(self.text(f"rbm.split.{split}", font_size=26, color=theme.color(split))
                          for split in ("train", "test"))).arrange(DOWN, aligned_edge=RIGHT, buff=0.12)
        legend.next_to(axes.c2p(last, y_max), DOWN + LEFT, buff=0.1)
        seeds = recon.shape[0]
        with self.narration("rbm.sub.error", start=fmt(recon[0, 0], 3), end=fmt(recon[0, -1], 3),
                            test_end=fmt(test_recon[0, -1], 3), seeds=seeds):
            self.play(Create(axes), FadeIn(x_name), FadeIn(y_name), run_time=0.8)
            self.play(Create(curves, rate_func=linear), FadeIn(legend), run_time=2.5)
        # reconstructions of held-out digits, where the filters were
        samples, rebuilt = res["samples"], res["samples/recon"]
        n = len(samples)
        row_width = 5.8
        top_row = self.picture(samples, n, self.ink_colour, row_width)
        bottom_row = self.picture(rebuilt, n, self.ink_colour, row_width)
        top_name = self.text("rbm.row.digits", font_size=22, color=self.muted)
        bottom_name = self.text("rbm.row.recon", font_size=22, color=self.muted)
        block = Group(top_name, top_row, bottom_name, bottom_row).arrange(DOWN, buff=0.2)
        block.move_to(LEFT * 3.55 + DOWN * 0.2)
        with self.narration("rbm.sub.recon"):
            self.play(FadeOut(image), FadeOut(caption), FadeOut(sign), FadeOut(count_row), run_time=0.5)
            self.play(FadeIn(top_name), FadeIn(top_row), run_time=0.6)
            self.play(FadeIn(bottom_name), FadeIn(bottom_row, shift=0.1 * DOWN), run_time=0.8)
        self.leaving = [VGroup(axes, x_name, y_name, curves, legend, top_name, bottom_name), top_row, bottom_row]

    def counter_row(self, counter: TextCounter, widest: int) -> VGroup:
        """``갱신 n회`` / ``n updates`` with the number as a counter (placed at its widest value)."""
        before, _, after = self.t("rbm.updates", n="\0").partition("\0")
        parts = [self.plain(p.strip(), font_size=24, color=self.muted) for p in (before, after) if p.strip()]
        if before.strip():
            return VGroup(parts[0], counter, *parts[1:]).arrange(RIGHT, buff=0.15)
        return VGroup(counter, *parts).arrange(RIGHT, buff=0.15)

    def show_stack(self):
        s = self.pre.settings
        sizes = [64] + [int(s["hidden"])] * int(s["layers"]) + [10]
        width, height = 3.6, 0.5
        ys = np.linspace(-2.9, 2.1, len(sizes))
        boxes = VGroup()
        for k, (n, y) in enumerate(zip(sizes, ys)):
            colour = theme.color("rbm-pretrained") if 0 < k < len(sizes) - 1 else self.muted
            box = Rectangle(width=width, height=height, stroke_width=3, color=colour).move_to([-2.2, y, 0])
            box.add(self.plain(str(n), font_size=24, color=self.ink).move_to(box))
            boxes.add(box)
        brackets = VGroup()
        for k in range(1, len(sizes) - 1):
            a, b = boxes[k - 1].get_right() + RIGHT * 0.25, boxes[k].get_right() + RIGHT * 0.25
            line = VGroup(Line(a, b, stroke_width=3, color=theme.color("rbm-pretrained")))
            name = self.text("rbm.stack.rbm", font_size=24, color=theme.color("rbm-pretrained"), k=k)
            name.next_to(line, RIGHT, buff=0.2)
            brackets.add(VGroup(line, name))
        output = self.text("rbm.stack.output", font_size=24, color=self.muted).next_to(boxes[-1], RIGHT, buff=0.45)
        head = self.text("rbm.stack.pretrained", font_size=26).move_to(RIGHT * 3.8 + UP * 0.4)
        sizes_line = self.text("rbm.stack.sizes", font_size=22, color=self.muted,
                               sizes=" → ".join(str(n) for n in sizes)).next_to(head, DOWN, buff=0.3)
        VGroup(head, sizes_line).set_x(4.0)
        self.on_screen(VGroup(head, sizes_line))
        with self.narration("rbm.sub.stack"):
            self.play(*self.fade_leaving(), FadeIn(boxes[0]), FadeIn(head), FadeIn(sizes_line), run_time=1.0)
            for k in range(1, len(sizes) - 1):
                self.play(FadeIn(boxes[k], shift=0.2 * UP), Create(brackets[k - 1][0]), FadeIn(brackets[k - 1][1]),
                          run_time=1.2)
            self.play(FadeIn(boxes[-1], shift=0.2 * UP), FadeIn(output), run_time=1.2)
        self.leaving = [VGroup(boxes, brackets, output, head, sizes_line)]

    def show_race(self):
        pre = self.pre
        epochs = pre["epoch"]
        last = int(epochs[-1])
        early = int(pre["early"])
        axes = Axes(x_range=(0, last, 5), y_range=(0, 1, 0.2), x_length=7.6, y_length=4.6, tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        axes.move_to(LEFT * 2.6 + DOWN * 0.45)
        x_name = self.text("rbm.axis_epoch", font_size=26, color=self.muted).next_to(axes, DOWN, buff=0.2)
        y_name = self.text("rbm.axis_test_acc", font_size=26, color=self.muted).next_to(axes, UP, buff=0.15)
        y_name.align_to(axes, LEFT)
        chance = DashedLine(axes.c2p(0, 0.1), axes.c2p(last, 0.1), stroke_width=2, color=self.muted)
        chance_label = self.text("rbm.chance", font_size=20, color=self.muted)
        chance_label.next_to(axes.c2p(last, 0.1), UP + LEFT, buff=0.1)
        seeds = len(pre["seed_values"])
        curves = VGroup()
        for net, role in (("random", "scratch"), ("pretrained", "rbm-pretrained")):
            for k in range(seeds):
                curves.add(polyline(axes, epochs, pre[f"{net}/test_acc"][k], color=theme.color(role),
                                    stroke_width=4 if k == 0 else 1.5).set_stroke(opacity=1 if k == 0 else 0.5))
        legend = VGroup(*(self.text(f"rbm.net.{net}", font_size=22, color=theme.color(role))
                          for net, role in (("pretrained", "rbm-pretrained"), ("random", "scratch"))))
        legend.add(self.wrapped(self.t("rbm.seeds_note", seed=int(pre["seed_values"][0]), others=seeds - 1), 4.4,
                                font_size=20, color=self.muted, aligned_edge=LEFT))
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.15).next_to(axes, RIGHT, buff=0.5).align_to(axes, UP)
        self.on_screen(legend)
        counter = TextCounter(self, last, font_size=26, color=self.ink)
        epoch_word = self.text("rbm.axis_epoch", font_size=26, color=self.muted)
        counting = VGroup(epoch_word, counter).arrange(RIGHT, buff=0.15).next_to(legend, DOWN, buff=0.4)
        counting.align_to(legend, LEFT)
        counter.set_value(0)
        early_line = DashedLine(axes.c2p(early, 0), axes.c2p(early, 1), stroke_width=2, color=theme.color("highlight"))
        pre_early = pre["pretrained/test_acc"][0, early]
        rnd_early = pre["random/test_acc"][0, early]
        early_part = early / last
        with self.narration("rbm.sub.race", early=early, rnd=fixed(rnd_early, 3), pre=fixed(pre_early, 3)):
            self.play(*self.fade_leaving(), Create(axes), FadeIn(x_name), FadeIn(y_name), FadeIn(legend),
                      FadeIn(counting), Create(chance), FadeIn(chance_label), run_time=1.2)
            partial = [c.copy() for c in curves]
            for c in partial:
                c.pointwise_become_partial(c, 0, early_part)
            tracker = ValueTracker(0)
            counter.add_updater(lambda m: m.set_value(int(round(tracker.get_value()))))
            self.play(*(Create(c, rate_func=linear) for c in partial), tracker.animate(rate_func=linear).set_value(early),
                      run_time=self.race_seconds * early_part * 2)
            self.play(Create(early_line), run_time=0.6)
        ahead = int((pre["pretrained/test_acc"][:, -1] > pre["random/test_acc"][:, -1]).sum())
        with self.narration("rbm.sub.catch_up", epochs=last, seeds=seeds, close=fmt(float(pre["close"]), 2),
                            ahead=ahead):
            rest = [c.copy() for c in curves]
            for c in rest:
                c.pointwise_become_partial(c, early_part, 1)
            self.play(*(Create(c, rate_func=linear) for c in rest), tracker.animate(rate_func=linear).set_value(last),
                      run_time=self.race_seconds * (1 - early_part))
            counter.clear_updaters()
        with self.narration("rbm.sub.takeaway"):
            finals = VGroup(*(self.plain(fixed(pre[f"{net}/test_acc"][0, -1], 3), font_size=22,
                                         color=theme.color(role))
                              for net, role in (("pretrained", "rbm-pretrained"), ("random", "scratch"))))
            finals.arrange(DOWN, aligned_edge=LEFT, buff=0.1).next_to(counting, DOWN, buff=0.3).align_to(legend, LEFT)
            later = self.wrapped(self.t("rbm.later"), 4.4, font_size=26, color=self.ink, aligned_edge=LEFT)
            later.next_to(finals, DOWN, buff=0.45).align_to(legend, LEFT)
            self.on_screen(later)
            start = Rectangle(width=axes.c2p(early, 0)[0] - axes.c2p(0, 0)[0], height=axes.y_length,
                              stroke_width=3, color=theme.color("highlight"))
            start.move_to(axes.c2p(early / 2, 0.5))
            self.play(FadeIn(finals), run_time=1.0)
            self.play(Create(start), run_time=1.2)
            self.play(FadeIn(later, shift=0.1 * UP), run_time=1.2)
