"""Chapter 4 — the history of deep learning: the lecture's table 1943–2023 era by era (the perceptron and XOR
rows pointing to the XOR video), then ImageNet's winning error by year and the training compute of notable
systems on a log scale with its least-squares doubling time.

Every year, error and compute is read from the stored ``dl-history`` result (``lecture/data/*.csv``, cited).
"""
from __future__ import annotations

import numpy as np
from manim import (DL, DOWN, DR, LEFT, RIGHT, UL, UP, UR, Arrow, Circumscribe, Create, DashedLine, Dot, FadeIn, FadeOut,
                   GrowFromEdge, LaggedStart, Line, Rectangle, VGroup)

from lecture import theme
from lecture.text import fmt, rows

from scenes.base import LectureScene

ERA_COLOURS = [theme.OKABE_ITO[c] for c in ("sky", "orange", "green", "purple")]
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power(exponent: int) -> str:
    return "10" + str(exponent).translate(SUPERSCRIPT)


class DLHistory(LectureScene):
    """The history table by era; ImageNet error by year; training compute on a log scale."""

    chapter = 4
    title_key = "dl-history.title"
    xor_rows = ("r1957", "r1969")      # the perceptron and the XOR problem: the XOR video computes them

    def construct(self):
        res = self.result("dl-history")
        keys, years, eras = list(res["history/key"]), res["history/year"], res["history/era"].astype(int)
        texts = dict(zip([k for k in keys], rows("dl-history.rows", self.lang)))
        card = self.title_card()
        title = self.parked_title(card)
        page = None
        for era in sorted(set(eras)):
            colour = ERA_COLOURS[(era - 1) % len(ERA_COLOURS)]
            heading = self.text(f"dl-history.era.{era}", font_size=32, color=colour, weight="BOLD")
            heading.next_to(title, DOWN, buff=0.35).to_edge(LEFT, buff=0.6)
            table = VGroup()
            for key, year in ((k, y) for k, y, e in zip(keys, years, eras) if e == era):
                what, who = texts[key]
                row = VGroup(self.plain(str(int(year)), font_size=28, color=colour, weight="BOLD"),
                             self.wrapped(what, 5.6, font_size=26, color=self.ink, aligned_edge=LEFT),
                             self.wrapped(who, 4.4, font_size=24, color=self.muted, aligned_edge=LEFT))
                row.key = key
                table.add(row)
            table.arrange(DOWN, buff=0.32, aligned_edge=LEFT)
            for row in table:
                for cell, x in zip(row, (-6.2, -4.7, 1.6)):
                    cell.shift(RIGHT * (x - cell.get_left()[0]))
            table.next_to(heading, DOWN, buff=0.4, aligned_edge=LEFT)
            for row in table:
                for cell in row[1:]:
                    cell.align_to(row[0], UP)
            new_page = VGroup(heading, table)
            with self.narration(f"dl-history.sub.era{era}"):
                if page is None:
                    self.park_title(card, FadeIn(heading))
                else:
                    self.play(FadeOut(page), FadeIn(heading), run_time=0.6)
                self.play(LaggedStart(*(FadeIn(r, shift=0.15 * RIGHT) for r in table), lag_ratio=0.5),
                          run_time=min(4.0, 0.7 * len(table) + 0.5))
            page = new_page
            linked = [r for r in table if r.key in self.xor_rows]
            if linked:
                link = self.text("dl-history.xor_link", font_size=28, color=theme.color("highlight"), weight="BOLD")
                link.next_to(table, DOWN, buff=0.5).set_x(3.2)
                self.on_screen(link)
                arrows = VGroup(*(Arrow(r[1].get_right() + RIGHT * 0.1, link.get_left() + LEFT * 0.05,
                                        color=theme.color("highlight"), stroke_width=3, buff=0.1,
                                        max_tip_length_to_length_ratio=0.08) for r in linked))
                with self.narration("dl-history.sub.xor"):
                    self.play(*(Circumscribe(r, color=theme.color("highlight"), buff=0.06) for r in linked), run_time=1.2)
                    self.play(FadeIn(link), Create(arrows), run_time=1.2)
                page = VGroup(page, link, arrows)
        self.imagenet(res, title, page)

    # --- ImageNet error by year ---------------------------------------------------------------------------
    def imagenet(self, res, title, page):
        years, error, systems = res["imagenet/year"], res["imagenet/error"], res["imagenet/system"]
        human = float(res["imagenet/human"])
        x0, x1, ymax = years[0] - 0.6, years[-1] + 0.6, 30.0
        box = (-5.6, 4.5, -2.4, 2.0)

        def at(x, y):
            return np.array([box[0] + (box[1] - box[0]) * (x - x0) / (x1 - x0), box[2] + (box[3] - box[2]) * y / ymax, 0])

        axis = Line(at(x0, 0), at(x1, 0), color=self.muted, stroke_width=2)
        ticks = VGroup(*(self.plain(f"{v}", font_size=22, color=self.muted).next_to(at(x0, v), LEFT, buff=0.15)
                         for v in (0, 10, 20, 30)))
        grid = VGroup(*(Line(at(x0, v), at(x1, v), color=self.muted, stroke_width=1, stroke_opacity=0.4)
                        for v in (10, 20, 30)))
        name = self.text("dl-history.axis_error", font_size=22, color=self.muted).next_to(at(x0, ymax), UP, buff=0.2)
        name.align_to(ticks, LEFT)
        width = 0.62 * (box[1] - box[0]) / (x1 - x0)
        human = float(res["imagenet/human"])
        bars, labels, year_labels = VGroup(), VGroup(), VGroup()
        for x, e, s in zip(years, error, systems):
            colour = theme.color("highlight") if x >= 2012 else self.muted
            bar = Rectangle(width=width, height=max(at(x, e)[1] - at(x, 0)[1], 0.01), stroke_width=0,
                            fill_color=colour, fill_opacity=0.9).move_to(at(x, 0), aligned_edge=DOWN)
            bars.add(bar)
            label = self.plain(f"{fmt(float(e))}%", font_size=22, color=self.ink, weight="BOLD")
            if x in (2012, 2015):          # the two the narration names: AlexNet, ResNet
                label = VGroup(label, self.plain(str(s), font_size=26, color=self.ink)).arrange(DOWN, buff=0.05)
            label.next_to(bar, UP, buff=0.08)
            floor = at(x, human)[1] + 0.12       # a label over a short bar sits above the human reference line
            if label.get_bottom()[1] < floor:
                label.shift(UP * (floor - label.get_bottom()[1]))
            labels.add(label)
            year_labels.add(self.plain(str(int(x)), font_size=22, color=self.muted).next_to(at(x, 0), DOWN, buff=0.15))
        cites = list(dict.fromkeys([*res["imagenet/cite"], str(res["imagenet/human_cite"])]))
        source = self.wrapped(self.t("dl-history.source", cites="; ".join(cites)), 13.0, font_size=18,
                              color=self.muted).to_edge(DOWN, buff=0.25)
        chart = VGroup(axis, ticks, grid, name, year_labels, source)
        with self.narration("dl-history.sub.imagenet", first_year=int(years[0]), first=fmt(float(error[0]))):
            self.play(FadeOut(page), FadeIn(chart), run_time=1.0)
            self.play(*(GrowFromEdge(b, DOWN) for b in bars[:2]), FadeIn(labels[:2]), run_time=1.2)
        with self.narration("dl-history.sub.alexnet", alexnet=fmt(float(error[2]))):
            self.play(GrowFromEdge(bars[2], DOWN), FadeIn(labels[2]), run_time=1.0)
            self.play(Circumscribe(labels[2], color=theme.color("highlight")), run_time=1.0)
            self.play(LaggedStart(*(GrowFromEdge(b, DOWN) for b in bars[3:5]), lag_ratio=0.5),
                      FadeIn(labels[3:5]), run_time=1.2)
        below = years[error < human]
        k_below = int(np.argmax(years == below.min()))
        human_line = DashedLine(at(x0, human), at(x1, human), color=theme.OKABE_ITO["blue"], stroke_width=3)
        human_label = self.text("dl-history.human", font_size=24, color=theme.OKABE_ITO["blue"], human=fmt(human))
        human_label.next_to(at(x1, human), RIGHT, buff=0.15)
        with self.narration("dl-history.sub.human", below=int(years[k_below]), below_error=fmt(float(error[k_below])),
                            human=fmt(human), last_year=int(years[-1]), last=fmt(float(error[-1]))):
            self.play(Create(human_line), FadeIn(human_label), run_time=0.8)
            self.play(LaggedStart(*(GrowFromEdge(b, DOWN) for b in bars[5:]), lag_ratio=0.5),
                      FadeIn(labels[5:]), run_time=1.5)
            self.play(Circumscribe(labels[k_below], color=theme.OKABE_ITO["blue"]), run_time=1.0)
        self.compute(res, VGroup(chart, bars, labels, human_line, human_label))

    # --- training compute on a log scale ------------------------------------------------------------------
    def compute(self, res, previous):
        years, flop, systems = res["compute/year"], res["compute/flop"], res["compute/system"]
        logs = np.log10(flop)
        x0, x1 = years.min() - 1, years.max() + 1
        y0, y1 = np.floor(logs.min()) - 1, np.ceil(logs.max()) + 1
        box = (-5.4, 6.0, -2.3, 2.1)

        def at(x, y):
            return np.array([box[0] + (box[1] - box[0]) * (x - x0) / (x1 - x0), box[2] + (box[3] - box[2]) * (y - y0) / (y1 - y0), 0])

        axis = VGroup(Line(at(x0, y0), at(x1, y0), color=self.muted, stroke_width=2),
                      Line(at(x0, y0), at(x0, y1), color=self.muted, stroke_width=2))
        ticks = VGroup(*(self.plain(power(int(v)), font_size=22, color=self.muted).next_to(at(x0, v), LEFT, buff=0.15)
                         for v in np.arange(y0, y1 + 1, 2)))
        grid = VGroup(*(Line(at(x0, v), at(x1, v), color=self.muted, stroke_width=1, stroke_opacity=0.4)
                        for v in np.arange(y0 + 2, y1 + 1, 2)))
        xt = VGroup(*(self.plain(str(int(x)), font_size=22, color=self.muted).next_to(at(x, y0), DOWN, buff=0.15)
                      for x in range(int(x0) + 1, int(x1) + 1, 2)))
        name = self.text("dl-history.axis_flop", font_size=22, color=self.muted).next_to(at(x0, y1), UP, buff=0.2)
        name.align_to(ticks, LEFT)
        source = self.wrapped(self.t("dl-history.source", cites="; ".join(dict.fromkeys(res["compute/cite"]))), 13.0,
                              font_size=18, color=self.muted).to_edge(DOWN, buff=0.25)
        dots, labels = VGroup(), VGroup()

        def fit_at(x):
            return np.log10(2.0) * (float(res["fit/intercept"]) + float(res["fit/doublings_per_year"]) * x)

        for i, (x, v, s) in enumerate(zip(years, logs, systems)):
            dots.add(Dot(at(x, v), radius=0.1, color=theme.color("highlight")))
            same = (years == x) & (np.arange(len(years)) != i)
            below = bool(np.any(logs[same] > v))
            # a label on the side of its point away from the fitted line (which runs through the cloud); of two
            # systems in one year, the higher one's above, the lower one's below
            above = not below if same.any() else v > fit_at(x)
            # (the line rises to the right: above it a label goes up-left, below it down-right, or straight down
            # where the next year's points would meet it)
            side = (UR if i == 0 else UL) if above else (DOWN if same.any() and x != years.max() else DR)
            labels.add(self.plain(str(s), font_size=26, color=self.ink).next_to(dots[-1], side, buff=0.08))
        chart = VGroup(axis, ticks, grid, xt, name, source)
        with self.narration("dl-history.sub.compute"):
            self.play(FadeOut(previous), FadeIn(chart), run_time=1.0)
            self.play(LaggedStart(*(FadeIn(VGroup(d, l), scale=0.8) for d, l in zip(dots, labels)), lag_ratio=0.4),
                      run_time=3.0)
        growth = float(res["compute/growth"])
        exponent = int(np.floor(np.log10(growth)))
        growth_text = f"{fmt(growth / 10 ** exponent, 2)}×{power(exponent)}"
        first, last = int(np.argmin(years)), int(np.argmax(flop))
        span = Arrow(at(years[first], logs[first]) + RIGHT * 0.2, at(years[last], logs[last]) + LEFT * 0.25,
                     color=theme.OKABE_ITO["blue"], stroke_width=4, buff=0.1, max_tip_length_to_length_ratio=0.04)
        growth_label = self.plain(f"×{growth_text}", font_size=28, color=theme.OKABE_ITO["blue"], weight="BOLD")
        growth_label.next_to(span.get_center(), UL, buff=0.15)
        with self.narration("dl-history.sub.growth", years=int(float(res["compute/span_years"])), growth=growth_text):
            self.play(Circumscribe(VGroup(dots[first], labels[first])), Circumscribe(VGroup(dots[last], labels[last])),
                      run_time=1.0)
            self.play(Create(span), FadeIn(growth_label), run_time=1.2)
        fit_x, fit_y = res["fit/year"], np.log10(res["fit/flop"])
        fit = VGroup(*(DashedLine(at(fit_x[0], fit_y[0]), at(fit_x[-1], fit_y[-1]), color=self.muted, stroke_width=3),))
        months = float(res["fit/doubling_months"])
        fit_label = self.text("dl-history.fit", font_size=26, color=self.ink, weight="BOLD", months=fmt(months, 2))
        x_label = years.min() + 0.45 * (years.max() - years.min())       # above the line, left of the points
        fit_label.next_to(at(x_label, fit_at(x_label)), UL, buff=0.25)
        self.on_screen(fit_label)
        with self.narration("dl-history.sub.doubling", months=fmt(months, 2)):
            self.play(FadeOut(span), FadeOut(growth_label), Create(fit), run_time=1.5)
            self.play(FadeIn(fit_label, scale=0.9), run_time=0.8)
            self.wait(0.8)
