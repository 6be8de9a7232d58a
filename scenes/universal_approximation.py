"""Chapter 9 — the universal approximation theorem: one hidden layer, ever more neurons, ever closer fits.

Every curve and number is read from the ``universal-approximation`` result; nothing is trained here.
"""
from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Create, Dot, FadeIn, Indicate, Line, Transform, VGroup

from lecture import theme
from lecture.text import fmt

from scenes.base import AXIS_NUMBERS, LectureScene, Retext, numbers_at_edges, polyline, power_tex


class UniversalApproximation(LectureScene):
    """The statement, the target function, then the fits of width 2 … 128 with their errors on a log-log plot."""

    chapter = 9
    title_key = "universal-approximation.title"
    seconds_per_width = 1.2

    @staticmethod
    def error_decades(res) -> tuple[float, float]:
        """The error axis's ends: the decades of the smallest RMS and the largest maximum error."""
        return (float(np.floor(np.log10(float(np.min(res["rms_error"]))))),
                float(np.ceil(np.log10(float(np.max(res["max_error"]))))))

    @staticmethod
    def powers(lo: float, hi: float) -> list[int]:
        """The error axis's labelled powers of ten: each from ``lo`` to ``hi``."""
        return [int(p) for p in np.arange(lo, hi + 1)]

    def typeset_ahead(self):
        return [power_tex(p) for p in self.powers(*self.error_decades(self.result("universal-approximation")))]

    def construct(self):
        res = self.result("universal-approximation")
        widths = [int(w) for w in res["widths"]]
        x, f = res["x"], res["target"]
        statement = self.text("universal-approximation.statement", font_size=26)
        if statement.width > 13.2:
            statement.scale_to_fit_width(13.2)
        statement.to_edge(UP, buff=1.0)
        with self.narration("universal-approximation.sub.intro"):  # the theorem the sentence names, while it is read
            self.park_title(self.title_card("universal-approximation.subtitle"), FadeIn(statement))

        y_lo, y_hi = np.floor(float(f.min()) * 4) / 4 - 0.25, np.ceil(float(f.max()) * 4) / 4 + 0.25
        axes = Axes(x_range=(-1, 1, 0.5), y_range=(y_lo, y_hi, 0.5), x_length=6.0, y_length=4.0, tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS, "include_numbers": True})
        numbers_at_edges(axes.move_to(LEFT * 3.0 + DOWN * 0.55))  # clear of the curve
        target = polyline(axes, x, f, color=theme.color("target-function"), stroke_width=9).set_stroke(opacity=0.6)
        formula = self.tex(r"f(x) = 0.5\sin 5x + e^{-20(x-0.3)^2}", font_size=30).next_to(axes, UP, buff=0.15)
        with self.narration("universal-approximation.sub.statement"):  # a bounded continuous function
            self.play(Create(axes), run_time=1.0)
            self.play(Create(target), run_time=1.2)

        lo, hi = self.error_decades(res)
        lx = np.log2(widths)
        # the y axis is log10(error) − lo, so that the x axis sits at the bottom
        err_axes = Axes(x_range=(float(lx[0]) - 0.5, float(lx[-1]) + 0.5, 1), y_range=(0, hi - lo, 1), x_length=5.0,
                        y_length=4.0, tips=False, axis_config={"color": self.muted})
        err_axes.move_to(RIGHT * 3.7 + DOWN * 0.55)

        def at(v: float, err: float):
            return err_axes.c2p(v, np.log10(err) - lo)

        x_labels = VGroup(*(self.plain(str(w), font_size=22, color=self.muted).next_to(err_axes.c2p(v, 0), DOWN, 0.15)
                            for w, v in zip(widths, lx)))
        y_labels = VGroup(*(self.tex(power_tex(p), font_size=AXIS_NUMBERS + 2, color=self.muted)
                            .next_to(err_axes.c2p(err_axes.x_range[0], p - lo), LEFT, 0.12)
                            for p in self.powers(lo, hi)))
        x_name = self.text("universal-approximation.axis_width", font_size=20, color=self.muted)
        x_name.next_to(x_labels, DOWN, buff=0.15)
        legend = VGroup(*(VGroup(Dot(radius=0.07, color=theme.color(role)),
                                 self.text(f"universal-approximation.{key}", font_size=20, color=theme.color(role)))
                          .arrange(RIGHT, buff=0.12) for key, role in (("max_error", "highlight"),
                                                                      ("rms_error", "forward"))))
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.08).move_to(err_axes.c2p(lx[-1] - 1.3, hi - lo - 0.25))
        with self.narration("universal-approximation.sub.target"):
            self.play(FadeIn(formula), Indicate(target, color=theme.color("target-function"), scale_factor=1.0),
                      run_time=1.0)
            self.play(Create(err_axes), FadeIn(x_labels), FadeIn(y_labels), FadeIn(x_name), FadeIn(legend),
                      run_time=1.0)

        fit = None
        readout = None
        points = VGroup()
        for i, w in enumerate(widths):
            color = theme.color(f"width-{w}")
            new_fit = polyline(axes, x, res[f"fit/{w}"], color=color, stroke_width=4)
            new_readout = VGroup(
                self.text("universal-approximation.width_label", font_size=24, color=color, weight="BOLD", width=w),
                self.text("universal-approximation.error_readout", font_size=24, max=fmt(res["max_error"][i], 2),
                          rms=fmt(res["rms_error"][i], 2)),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
            new_readout.move_to(axes.c2p(-1, y_hi) + RIGHT * 0.25, aligned_edge=UP + LEFT)  # clear of the numbers
            pts = VGroup(Dot(at(lx[i], res["max_error"][i]), radius=0.08, color=theme.color("highlight")),
                         Dot(at(lx[i], res["rms_error"][i]), radius=0.08, color=theme.color("forward")))
            links = VGroup()
            if i:
                for k, key in enumerate(("max_error", "rms_error")):
                    links.add(Line(at(lx[i - 1], res[key][i - 1]), at(lx[i], res[key][i]), stroke_width=3,
                                   color=theme.color(("highlight", "forward")[k])))
            with self.narration("universal-approximation.sub.width", width=w, max=fmt(res["max_error"][i], 2),
                                rms=fmt(res["rms_error"][i], 2)):
                if fit is None:
                    fit, readout = new_fit, new_readout
                    self.play(Create(fit), FadeIn(readout), run_time=self.seconds_per_width)
                else:
                    self.play(Transform(fit, new_fit), Retext(readout, new_readout), run_time=self.seconds_per_width)
                    readout = new_readout
                self.play(FadeIn(pts, scale=0.5), *(Create(line) for line in links), run_time=0.5)
            points.add(pts, links)
        with self.narration("universal-approximation.sub.takeaway", seeds=len(res["seed_values"])):
            # the two error curves, each falling from width to width
            for k, role in enumerate(("highlight", "forward")):
                curve = VGroup(*(group[k] for group in points if len(group) > k))  # the dots, then the lines
                self.play(Indicate(curve, color=theme.color(role), scale_factor=1.15), run_time=1.0)
        with self.narration("universal-approximation.sub.caveat"):
            note = self.wrapped(self.t("universal-approximation.caveat"), 13.2, font_size=22, color=self.muted)
            note.to_edge(DOWN, buff=0.3)
            self.play(FadeIn(note), run_time=0.8)
            self.wait(1.2)
            self.play(Indicate(readout[0], color=color), run_time=1.0)  # how many neurons: the theorem does not say
