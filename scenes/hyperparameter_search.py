"""Chapter 14 — hyperparameter search: the coarse random trials in the (η, λ) plane, coloured by validation
accuracy; the box spanned by the best of them; the finer trials filling that box.

Reads the stored ``hyperparameter-search`` result (every trial trained by the engine); nothing is trained here.
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
    Rectangle,
    Triangle,
    VGroup,
    Circle,
    DashedLine,
    Star,
    interpolate_color,
    ManimColor,
)

from lecture import theme
from lecture.text import fixed, fmt, tex_number

from scenes.base import AXIS_NUMBERS, LectureScene, TextCounter, config, power_tex
from scenes.coordinates import affine, framed_axes

# the validation-accuracy colour scale of the figure `hyperparameter-plane` (figures/hyperparameter_search.py's
# ACC_CMAP): Okabe–Ito blue → sky → green → yellow, low to high
ACC_STOPS = [theme.OKABE_ITO[name] for name in ("blue", "sky", "green", "yellow")]


def acc_colour(value: float, vmax: float) -> ManimColor:
    """The colour of a validation accuracy on the scale 0…``vmax`` (linear between the stops, as matplotlib's
    LinearSegmentedColormap interpolates them)."""
    x = float(np.clip(value / vmax, 0.0, 1.0)) * (len(ACC_STOPS) - 1)
    i = min(int(np.floor(x)), len(ACC_STOPS) - 2)
    return interpolate_color(ManimColor(ACC_STOPS[i]), ManimColor(ACC_STOPS[i + 1]), x - i)


def log_ticks(low: float, high: float, most: int = 4) -> list[float]:
    """Tick values for a log axis spanning 10^low … 10^high: the whole powers of ten inside when there are at
    least two, else 1, 2, 3, 5, 7 (then every digit) times a power of ten; at most ``most``, evenly thinned."""
    powers = [10.0 ** p for p in range(int(np.ceil(low - 1e-9)), int(np.floor(high + 1e-9)) + 1)]
    if len(powers) >= 2:
        found = powers
    else:
        found = []
        for mantissas in ((1, 2, 3, 5, 7), tuple(range(1, 10))):
            found = sorted(m * 10.0 ** e for e in range(int(np.floor(low)) - 1, int(np.ceil(high)) + 1)
                           for m in mantissas if low - 1e-9 <= np.log10(m * 10.0 ** e) <= high + 1e-9)
            if len(found) >= 2:
                break
    if len(found) > most:
        found = [found[int(round(i))] for i in np.linspace(0, len(found) - 1, most)]
    return found


def power_text(power: int) -> str:
    """10 to a whole power in text (10⁻⁶), for the narration."""
    return "10" + str(int(power)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def tick_tex(value: float) -> str:
    power = np.log10(value)
    if abs(power - round(power)) < 1e-9:
        return power_tex(int(round(power)))
    return tex_number(float(f"{value:.1g}"))


class HyperparameterSearch(LectureScene):
    """The coarse random search over (η, λ), the box around its best trials and the finer search inside it."""

    chapter = 14
    title_key = "hyperparameter-search.title"

    def typeset_ahead(self):
        res = self.result("hyperparameter-search")
        s = res.settings
        region = np.asarray(res["region"], dtype=float)
        pad_x, pad_y = self.zoom_pads(region)
        values = [*(10.0 ** p for p in range(int(s["lr_range"][0]), int(s["lr_range"][1]) + 1)),
                  *(10.0 ** p for p in range(int(s["wd_range"][0]), int(s["wd_range"][1]) + 1)),
                  *log_ticks(region[0] - pad_x, region[1] + pad_x), *log_ticks(region[2] - pad_y, region[3] + pad_y)]
        return [tick_tex(v) for v in values]

    @staticmethod
    def zoom_pads(region) -> tuple[float, float]:
        return 0.12 * (region[1] - region[0]) + 0.02, 0.12 * (region[3] - region[2]) + 0.02

    def log_plane(self, x_range, y_range, width: float, height: float, xticks, yticks, y_side=LEFT):
        """Axes in (log10 η, log10 λ) with a frame and tick labels at the values ``xticks``/``yticks`` (those of
        λ on the ``y_side``)."""
        axes, frame = framed_axes((*x_range, 1), (*y_range, 1), width, height, (), (), color=self.muted)
        box = frame[0]
        labels = VGroup()
        for v in xticks:
            labels.add(self.tex(tick_tex(v), font_size=AXIS_NUMBERS, color=self.muted)
                       .next_to(axes.c2p(np.log10(v), y_range[0]), DOWN, buff=0.1))
        for v in yticks:
            labels.add(self.tex(tick_tex(v), font_size=AXIS_NUMBERS, color=self.muted)
                       .next_to(axes.c2p(x_range[0] if y_side is LEFT else x_range[1], np.log10(v)), y_side, buff=0.1))
        return axes, VGroup(box, labels)

    def marks(self, axes, lr, wd, acc, vmax, fine: bool) -> VGroup:
        to = affine(axes)
        points = to(np.log10(lr), np.log10(wd))
        group = VGroup()
        for p, a in zip(points, acc):
            colour = acc_colour(a, vmax)
            if fine:
                mark = Triangle(fill_color=colour, fill_opacity=1, stroke_color=theme.color("search-fine"),
                                stroke_width=1.5).scale(0.1).move_to(p)
            else:
                mark = Dot(p, radius=0.075, fill_color=colour, fill_opacity=1, stroke_color=self.colors["background"],
                           stroke_width=1)
            group.add(mark)
        return group

    def construct(self):
        res = self.result("hyperparameter-search")
        s = res.settings
        lr, wd, acc, stage = (np.asarray(res[k]) for k in ("lr", "wd", "final_val", "stage"))
        coarse, fine = np.flatnonzero(stage == 0), np.flatnonzero(stage == 1)
        region = np.asarray(res["region"], dtype=float)
        best_coarse = [int(i) for i in res["coarse_best"]]
        vmax = max(float(acc.max()), 0.1)
        seeds = len(res["seed_values"])
        lr_lo, lr_hi = s["lr_range"]
        wd_lo, wd_hi = s["wd_range"]

        # --- the plane of all trials, left
        pad = 0.15
        plane, plane_frame = self.log_plane((lr_lo - pad, lr_hi + pad), (wd_lo - pad, wd_hi + pad), 5.6, 4.4,
                                            [10.0 ** p for p in range(int(lr_lo), int(lr_hi) + 1)],
                                            [10.0 ** p for p in range(int(wd_lo), int(wd_hi) + 1)])
        VGroup(plane, plane_frame).move_to(LEFT * 3.35 + DOWN * 0.1)
        x_name = self.text("hyperparameter-search.axis_lr", font_size=24, color=self.ink)
        x_name.next_to(plane_frame, DOWN, buff=0.12)
        y_name = self.text("hyperparameter-search.axis_wd", font_size=24, color=self.ink)
        y_name.next_to(plane_frame[0], UP, buff=0.15).align_to(plane_frame, LEFT)

        # --- the colour scale, far right
        bar_height = 3.6
        stops = 48
        bar = VGroup(*(Rectangle(width=0.32, height=bar_height / stops, stroke_width=0,
                                 fill_color=acc_colour(vmax * (i + 0.5) / stops, vmax), fill_opacity=1)
                       for i in range(stops))).arrange(UP, buff=0)
        bar.move_to(RIGHT * 6.1 + DOWN * 0.55)
        bar_ticks = VGroup()
        for v in np.arange(0, vmax + 1e-9, 0.2):
            y = bar.get_bottom()[1] + bar_height * v / vmax
            bar_ticks.add(self.tex(fmt(round(v, 1)), font_size=AXIS_NUMBERS, color=self.muted)
                          .move_to([bar.get_left()[0] - 0.1, y, 0], aligned_edge=RIGHT))
        bar_name = self.wrapped(self.t("hyperparameter-search.scene.colour", epochs=s["epochs"]), 2.2, font_size=22,
                                color=self.ink, aligned_edge=RIGHT)
        bar_name.next_to(bar, UP, buff=0.2).align_to(bar, RIGHT)
        scale = VGroup(bar, bar_ticks, bar_name)

        with self.narration("hyperparameter-search.sub.intro"):
            self.park_title(self.title_card(), Create(plane_frame), FadeIn(x_name), FadeIn(y_name))
        # what every trial is, in the plane while it is still empty
        setup = VGroup(*(self.wrapped(self.t(f"hyperparameter-search.scene.setup_{n}", train=s["train_size"],
                                             val=s["val_size"], hidden=s["hidden"], layers=s["hidden_layers"],
                                             epochs=s["epochs"]), 5.2, font_size=24, color=self.ink)
                         for n in ("network", "data", "textbook")))
        setup.arrange(DOWN, buff=0.3).move_to(plane_frame[0])
        setup[2].set_color(self.muted)
        with self.narration("hyperparameter-search.sub.setup", train=s["train_size"], val=s["val_size"],
                            hidden=s["hidden"], layers=s["hidden_layers"], epochs=s["epochs"]):
            self.play(FadeIn(scale), run_time=1.0)
            for line in setup:
                self.play(FadeIn(line, shift=0.15 * UP), run_time=0.8)
                self.wait(1.2)

        # --- stage 1: the coarse trials appear, ten at a time
        count_label = self.text("hyperparameter-search.scene.coarse_count", font_size=24, color=self.ink)
        counter = TextCounter(self, len(coarse), font_size=26, color=self.ink)
        of = self.plain(f"/ {len(coarse)}", font_size=26, color=self.muted)
        counting = VGroup(count_label, counter, of).arrange(RIGHT, buff=0.15)
        counting.next_to(plane_frame[0], UP, buff=0.15).align_to(plane_frame, RIGHT)
        counter.set_value(0)
        dots = self.marks(plane, lr[coarse], wd[coarse], acc[coarse], vmax, fine=False)
        self.add(counting)
        batch = 10
        self.play(FadeOut(setup), run_time=0.4)
        with self.narration("hyperparameter-search.sub.coarse", trials=len(coarse), lr_lo=power_text(lr_lo),
                            lr_hi=power_text(lr_hi), wd_lo=power_text(wd_lo), wd_hi=power_text(wd_hi)):
            for start in range(0, len(dots), batch):
                group = dots[start:start + batch]
                self.play(*(FadeIn(d, scale=0.5) for d in group), run_time=0.5)
                counter.set_value(min(start + batch, len(dots)))
        coarse_median, coarse_max = float(res["coarse_median_val"]), float(res["coarse_best_val"])
        readout = self.text("hyperparameter-search.scene.coarse_readout", font_size=24, color=self.ink,
                            median=fixed(coarse_median, 2), best=fixed(coarse_max, 2))
        readout.to_edge(DOWN, buff=0.3).align_to(plane_frame, LEFT)
        with self.narration("hyperparameter-search.sub.coarse_result", median=fixed(coarse_median, 2),
                            best=fixed(coarse_max, 2), val=s["val_size"]):
            self.play(FadeIn(readout, shift=0.2 * UP), run_time=0.8)
            self.play(*(dots[list(coarse).index(i)].animate.scale(1.6) for i in best_coarse), run_time=0.8)

        # --- the box spanned by the best coarse trials
        fine_colour = theme.color("search-fine")
        to = affine(plane)
        corner_lo, corner_hi = to(region[0], region[2]), to(region[1], region[3])
        box = Rectangle(width=corner_hi[0] - corner_lo[0], height=corner_hi[1] - corner_lo[1],
                        stroke_color=fine_colour, stroke_width=4).move_to((corner_lo + corner_hi) / 2)
        rings = VGroup(*(Circle(radius=0.16, stroke_color=fine_colour, stroke_width=3)
                         .move_to(dots[list(coarse).index(i)]) for i in best_coarse))
        share = float(res["box_share"])
        with self.narration("hyperparameter-search.sub.box", top=len(best_coarse), share=fmt(100 * share, 2)):
            self.play(Create(rings), run_time=0.8)
            self.play(Create(box), run_time=1.0)

        # --- stage 2: the box enlarged, right; the finer trials fill it
        pad_x, pad_y = self.zoom_pads(region)
        zx, zy = (region[0] - pad_x, region[1] + pad_x), (region[2] - pad_y, region[3] + pad_y)
        # its λ numbers on the right: the links from the small box come in from the left
        zoom, zoom_frame = self.log_plane(zx, zy, 2.6, 4.4, log_ticks(*zx), log_ticks(*zy), y_side=RIGHT)
        VGroup(zoom, zoom_frame).move_to(RIGHT * 2.0).align_to(plane_frame[0], DOWN)
        zto = affine(zoom)
        zoom_box = Rectangle(width=zto(region[1], 0)[0] - zto(region[0], 0)[0],
                             height=zto(0, region[3])[1] - zto(0, region[2])[1], stroke_color=fine_colour,
                             stroke_width=4).move_to((zto(region[0], region[2]) + zto(region[1], region[3])) / 2)
        links = VGroup(DashedLine(box.get_corner(UP + RIGHT), zoom_box.get_corner(UP + LEFT), stroke_width=2,
                                  color=fine_colour),
                       DashedLine(box.get_corner(DOWN + RIGHT), zoom_box.get_corner(DOWN + LEFT), stroke_width=2,
                                  color=fine_colour))
        # the coarse trials in the enlarged window, a dot's radius clear of its edges (none drawn across the frame)
        ex, ey = 0.1 * (zx[1] - zx[0]) / 2.6, 0.1 * (zy[1] - zy[0]) / 4.4
        inside = [i for i in coarse if zx[0] + ex <= np.log10(lr[i]) <= zx[1] - ex
                  and zy[0] + ey <= np.log10(wd[i]) <= zy[1] - ey]
        zoom_coarse = self.marks(zoom, lr[inside], wd[inside], acc[inside], vmax, fine=False)
        with self.narration("hyperparameter-search.sub.zoom"):
            self.play(Create(zoom_frame), Create(links), Create(zoom_box), run_time=1.2)
            self.play(FadeIn(zoom_coarse), run_time=0.6)

        fine_label = self.text("hyperparameter-search.scene.fine_count", font_size=24, color=fine_colour)
        fine_counter = TextCounter(self, len(fine), font_size=26, color=fine_colour)
        fine_of = self.plain(f"/ {len(fine)}", font_size=26, color=self.muted)
        fine_counting = VGroup(fine_label, fine_counter, fine_of).arrange(RIGHT, buff=0.15)
        fine_counting.next_to(zoom_frame[0], UP, buff=0.15).align_to(zoom_frame[0], LEFT)
        fine_counter.set_value(0)
        triangles = self.marks(zoom, lr[fine], wd[fine], acc[fine], vmax, fine=True)
        small = self.marks(plane, lr[fine], wd[fine], acc[fine], vmax, fine=True)
        for m in small:
            m.scale(0.6)
        self.play(FadeIn(fine_counting), run_time=0.4)
        with self.narration("hyperparameter-search.sub.fine", fine=len(fine)):
            for start in range(0, len(triangles), batch):
                sl = slice(start, start + batch)
                self.play(*(FadeIn(d, scale=0.5) for d in [*triangles[sl], *small[sl]]), run_time=0.5)
                fine_counter.set_value(min(start + batch, len(triangles)))

        fine_median, fine_max = float(res["fine_median_val"]), float(res["fine_best_val"])
        med = np.asarray(res["seeds/coarse_median_val"]), np.asarray(res["seeds/fine_median_val"])
        medians = self.text("hyperparameter-search.scene.medians", font_size=22, color=self.ink,
                            coarse=fixed(coarse_median, 2), fine=fixed(fine_median, 2))
        medians.move_to(readout, aligned_edge=LEFT)
        medians.align_to(readout, DOWN)
        with self.narration("hyperparameter-search.sub.median", coarse=fixed(coarse_median, 2), fine=fixed(fine_median, 2),
                            seeds=seeds, coarse_hi=fixed(med[0].max(), 2), fine_lo=fixed(med[1].min(), 2)):
            self.play(FadeIn(medians, shift=0.2 * UP), readout.animate.set_opacity(0), run_time=0.8)
            self.remove(readout)

        b = int(res["ranking"][0])
        star_at = zto(np.log10(lr[b]), np.log10(wd[b]))
        star = Star(n=5, outer_radius=0.22, fill_color=theme.color("highlight"), fill_opacity=1, stroke_color=self.ink,
                    stroke_width=1.5).move_to(star_at)
        se = float(np.sqrt(coarse_max * (1 - coarse_max) / s["val_size"]))
        # right of the medians, at the bottom right, in as many lines as the room there needs
        room = config.frame_width / 2 - self.margin - (medians.get_right()[0] + 0.6)
        bests = self.wrapped(self.t("hyperparameter-search.scene.bests", coarse=fixed(coarse_max, 2),
                                    fine=fixed(fine_max, 2), se=fmt(se, 2)), room, font_size=22, color=self.ink,
                             aligned_edge=RIGHT)
        bests.to_edge(RIGHT, buff=self.margin).align_to(medians, DOWN)
        with self.narration("hyperparameter-search.sub.best", coarse=fixed(coarse_max, 2), fine=fixed(fine_max, 2),
                            se=fmt(se, 2), val=s["val_size"]):
            self.play(FadeIn(star, scale=0.3), FadeIn(bests, shift=0.2 * UP), run_time=1.0)
            fine_best = int(np.argmax(acc[fine]))       # the best stage-2 trial, in the enlarged box
            self.play(triangles[fine_best].animate.scale(2.0), run_time=0.7)
            self.play(triangles[fine_best].animate.scale(0.5), run_time=0.7)
        with self.narration("hyperparameter-search.sub.end", lr=fmt(lr[b], 2), wd=fmt(wd[b], 2)):
            self.play(star.animate.scale(1.3), run_time=0.6)
            self.play(star.animate.scale(1 / 1.3), run_time=0.6)
