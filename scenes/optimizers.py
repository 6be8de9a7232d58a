"""Chapter 11 — five optimizers racing over the textbook contours, and escaping a saddle point in 3-D.

Every path is read from the stored ``optimizers`` result (torch.optim's own
SGD, Momentum, AdaGrad, RMSprop and Adam); nothing is trained here.
"""
from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Surface,
    Dot3D,
    ThreeDAxes,
    ThreeDScene,
    ValueTracker,
    VGroup,
    config,
    linear,
)

from lecture import theme
from lecture.text import fmt, signed

from scenes.base import AXIS_NUMBERS, LectureScene, TextCounter, numbers_at_edges
from scenes.contours import contour_lines
from scenes.traces import point_at, runner, swatch, trace

NAMES = ("SGD", "Momentum", "AdaGrad", "RMSprop", "Adam")
# The slides' update rules (g = ∂J/∂w).  torch.optim.Adam adds the bias correction 1/(1 − β^t).
RULE = {
    "SGD": [r"w \leftarrow w - \eta g"],
    "Momentum": [r"m \leftarrow \beta m + \eta g", r"w \leftarrow w - m"],
    "AdaGrad": [r"s \leftarrow s + g^2", r"w \leftarrow w - \eta\, g / \sqrt{s + \varepsilon}"],
    "RMSprop": [r"s \leftarrow \alpha s + (1-\alpha) g^2", r"w \leftarrow w - \eta\, g / \sqrt{s + \varepsilon}"],
    "Adam": [r"m \leftarrow \beta_1 m + (1-\beta_1) g", r"s \leftarrow \beta_2 s + (1-\beta_2) g^2",
             r"w \leftarrow w - \eta\, m / \sqrt{s + \varepsilon}"],
}


class OptimizerRace(LectureScene):
    """Five optimizers on x²/20 + y² from (−7, 2), 30 updates, with a step counter and the slides' rules."""

    chapter = 11
    title_key = "optimizers.title"
    run_seconds = 12.0
    # bench/render.py renders this scene from results with 1× and 2× as many steps
    bench_steps_setting = ("optimizers", "textbook_steps")

    def construct(self):
        res = self.result("optimizers")
        steps = int(res.meta["settings"]["textbook_steps"])
        axes = Axes(x_range=(-10, 10, 5), y_range=(-5, 5, 5), x_length=7.2, y_length=3.6, tips=False,
                    axis_config={"color": self.muted, "include_numbers": True, "font_size": AXIS_NUMBERS})
        numbers_at_edges(axes.move_to(LEFT * 2.55 + DOWN * 0.05))  # clear of the paths
        levels = [0.5, 1, 2, 4, 7, 11, 16, 22]
        lines = contour_lines(axes, res["textbook_grid/xs"], res["textbook_grid/ys"], res["textbook_grid/zs"], levels,
                              color=self.muted)
        minimum = self.tex(r"+", font_size=44).move_to(axes.c2p(0, 0))
        surface = self.tex(r"f(x, y) = \frac{x^2}{20} + y^2", font_size=34).next_to(axes, UP, buff=0.25)
        with self.narration("optimizers.sub.intro"):  # the loss they race on, while the sentence names it
            self.park_title(self.title_card("optimizers.subtitle"), Create(axes), Create(lines))
        with self.narration("optimizers.sub.surface"):
            self.play(FadeIn(surface), FadeIn(minimum), run_time=1.0)
            self.play(Indicate(surface), run_time=1.0)

        # the legend (name and learning rate), and under it the rules of one method at a time, as the
        # sentence goes through them: all nine lines at once would be too small to read
        rows = VGroup(*(VGroup(swatch(theme.color(name)),
                               self.plain(name, font_size=28, color=theme.color(name), weight="BOLD"),
                               self.plain("η = " + fmt(res.scalar(f"textbook_lr/{name}")), font_size=24,
                                          color=self.muted)).arrange(RIGHT, buff=0.12) for name in NAMES))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        rows.move_to([axes.get_right()[0] + 0.45, 2.9, 0], aligned_edge=UP + LEFT)
        room = config.frame_width / 2 - self.margin - rows.get_left()[0]
        rules = {}
        for name in NAMES:
            rule = VGroup(*(self.tex(line, font_size=38, color=theme.color(name)) for line in RULE[name])).arrange(
                DOWN, aligned_edge=LEFT, buff=0.15)
            if rule.width > room:
                rule.scale_to_fit_width(room)
            rules[name] = rule.next_to(rows, DOWN, buff=0.5, aligned_edge=LEFT)
        rule = None
        with self.narration("optimizers.sub.rules"):
            for row, name in zip(rows, NAMES):
                shown = [FadeIn(rules[name])] + ([FadeOut(rule)] if rule is not None else [])
                self.play(FadeIn(row, shift=0.1 * LEFT), *shown, run_time=1.0)
                rule = rules[name]
                self.wait(1.0)
            self.play(*(Indicate(row[2]) for row in rows), run_time=1.0)  # the learning rates
            self.play(Indicate(rows[NAMES.index("RMSprop")][2]), run_time=1.0)

        tracker = ValueTracker(0)
        traces = [trace(axes, res[f"textbook/{n}"], tracker, theme.color(n)) for n in NAMES]
        dots = [runner(axes, res[f"textbook/{n}"], tracker, theme.color(n)) for n in NAMES]
        counter_label = self.text("optimizers.step_label", font_size=24, color=self.muted, total=steps)
        counter = TextCounter(self, 0, font_size=30, color=self.ink)  # in the labels' font
        counter.add_updater(lambda m: m.set_value(int(round(tracker.get_value()))))
        counter_group = VGroup(counter_label, counter).arrange(RIGHT, buff=0.15).next_to(axes, DOWN, buff=0.25)
        counter.add_updater(lambda m: m.next_to(counter_label, RIGHT, buff=0.15))
        self.add(*traces, *dots)
        start = ", ".join(signed(v) for v in res[f"textbook/{NAMES[0]}"][0])  # a true minus
        with self.narration("optimizers.sub.race", steps=steps, start=start):
            self.play(FadeIn(counter_group), FadeOut(rule), run_time=0.4)
            self.play(tracker.animate.set_value(steps), run_time=self.run_seconds, rate_func=linear)
        for mob in (*dots, counter):
            mob.clear_updaters()

        ends = {n: res[f"textbook_loss/{n}"][-1] for n in NAMES}
        best = min(ends, key=ends.get)
        readout = VGroup(*(self.plain(f"{n}: f = {fmt(ends[n], 3)}", font_size=26, color=theme.color(n),
                                      weight="BOLD" if n == best else "NORMAL")
                           for n in NAMES)).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        readout.next_to(rows, DOWN, buff=0.5, aligned_edge=LEFT)  # where the rules were
        with self.narration("optimizers.sub.end", best=best, value=fmt(ends[best], 3)):
            self.play(FadeIn(readout), run_time=1.0)
            self.wait(1.0)


class SaddleRace(LectureScene, ThreeDScene):
    """The saddle f = x² − y² in 3-D: SGD stalls at the saddle point, the adaptive methods roll off it."""

    chapter = 11
    title_key = "optimizers.saddle_title"
    run_seconds = 10.0

    def construct(self):
        res = self.result("optimizers")
        s = res.meta["settings"]
        box = float(s["saddle_box"])
        steps = int(s["saddle_steps"])
        axes = ThreeDAxes(x_range=(-box, box, 0.5), y_range=(-box, box, 0.5), z_range=(-1, 1, 0.5),
                          x_length=6, y_length=6, z_length=3.5, axis_config={"color": self.muted})
        surface = Surface(lambda u, v: axes.c2p(u, v, u * u - v * v), u_range=(-box, box), v_range=(-box, box),
                          resolution=(12, 12), fill_opacity=0.45, stroke_width=0.4, stroke_color=self.muted,
                          checkerboard_colors=[theme.OKABE_ITO["blue"], theme.OKABE_ITO["sky"]])
        formula = self.tex(r"f(x, y) = x^2 - y^2", font_size=34).to_corner(UP + RIGHT, buff=0.4)
        with self.narration("optimizers.sub.saddle_intro"):  # the saddle itself while the sentence describes it
            title = self.park_title(self.title_card())
            self.add_fixed_in_frame_mobjects(title)
            self.move_camera(phi=62 * DEGREES, theta=-50 * DEGREES, added_anims=[Create(axes), Create(surface)],
                             run_time=2.0)
        self.add_fixed_in_frame_mobjects(formula)
        formula.set_opacity(0)
        saddle = Dot3D(axes.c2p(0, 0, 0), radius=0.1, color=theme.color("highlight"))
        with self.narration("optimizers.sub.saddle_surface"):
            self.play(formula.animate.set_opacity(1), FadeIn(saddle), run_time=1.0)
            self.play(Indicate(saddle, scale_factor=2.0), run_time=1.0)

        legend = VGroup(*(VGroup(swatch(theme.color(n)),
                                 self.plain(f"{n}  η = {fmt(res.scalar(f'saddle_lr/{n}'))}", font_size=20,
                                            color=theme.color(n))).arrange(RIGHT, buff=0.12) for n in NAMES))
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.12).to_corner(DOWN + LEFT, buff=0.4)
        self.add_fixed_in_frame_mobjects(legend)
        legend.set_opacity(0)

        lifted = {}
        for n in NAMES:
            p = np.clip(res[f"saddle/{n}"], -box, box)
            lifted[n] = np.column_stack([p, p[:, 0] ** 2 - p[:, 1] ** 2])
        tracker = ValueTracker(0)
        traces = [trace(axes, lifted[n], tracker, theme.color(n), width=5) for n in NAMES]
        dots = []
        for n in NAMES:
            dot = Dot(axes.c2p(*lifted[n][0]), radius=0.08, color=theme.color(n))
            dot.add_updater(lambda d, n=n: d.move_to(axes.c2p(*point_at(lifted[n], tracker.get_value()))))
            dots.append(dot)
        self.add(*traces, *dots)
        with self.narration("optimizers.sub.saddle_race", steps=steps):
            self.play(legend.animate.set_opacity(1), FadeOut(saddle), run_time=0.5)  # the runners start there
            self.play(tracker.animate.set_value(steps), run_time=self.run_seconds, rate_func=linear)
        for dot in dots:
            dot.clear_updaters()

        sgd_end = res["saddle/SGD"][int(res["saddle_last/SGD"])]
        escaped = [n for n in NAMES if bool(res[f"saddle_stopped/{n}"])]
        first = min(escaped, key=lambda n: int(res[f"saddle_last/{n}"])) if escaped else "—"
        # beside the legend, right-aligned, broken into lines where it is wider than the room there
        right = config.frame_width / 2 - self.margin
        note = self.wrapped(self.t("optimizers.saddle_readout", steps=steps,
                                   dist=fmt(float(np.linalg.norm(sgd_end)), 2), first=first,
                                   step=int(res[f"saddle_last/{first}"]) if escaped else 0),
                            right - legend.get_right()[0] - 0.5, font_size=24, color=self.ink, aligned_edge=RIGHT)
        note.to_edge(DOWN, buff=0.35).set_x(right - note.width / 2)
        self.add_fixed_in_frame_mobjects(note)
        note.set_opacity(0)
        with self.narration("optimizers.sub.saddle_end", steps=steps,
                            **{key: int(res[f"saddle_last/{n}"]) for key, n in
                               (("rms", "RMSprop"), ("adam", "Adam"), ("mom", "Momentum"))}):
            self.play(note.animate.set_opacity(1), run_time=0.8)
            for n in ("SGD", "RMSprop", "Adam", "Momentum", "AdaGrad"):  # in the order the sentence names them
                self.play(Indicate(legend[NAMES.index(n)], color=theme.color(n)), run_time=1.0)
                self.wait(0.5)
