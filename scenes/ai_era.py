"""Chapter 1 — the age of AI: the lecture's milestones at their years on a time line, one at a time with what
changed; then the time line zooms into the years after 2010 and carries ImageNet's winning top-5 error by year,
so that the chapter ends on data.

Every year and error is read from the stored ``ai-era`` result (``lecture/data/*.csv``, cited on screen).
"""
from __future__ import annotations

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, UL, UR, DL, Circumscribe, Create, DashedLine, Dot, FadeIn, FadeOut, LaggedStart, Line,
                   NumberLine, ReplacementTransform, VGroup)

from lecture import theme
from lecture.text import fmt, rows

from scenes.base import LectureScene

PALETTE = [theme.OKABE_ITO[c] for c in ("sky", "orange", "green", "vermillion", "purple")]


class AIMilestones(LectureScene):
    """The milestones at their years; the gaps between them; the time line since 2010 against ImageNet error."""

    chapter = 1
    title_key = "ai-era.title"
    years = (1950, 2025)
    zoom = (2008, 2024)
    label_width = 3.4

    def construct(self):
        res = self.result("ai-era")
        m_years = res["milestones/year"]
        keys = list(res["milestones/key"])
        texts = dict(zip([f"m{i + 1}" for i in range(len(rows("ai-era.rows", self.lang)))], rows("ai-era.rows", self.lang)))
        line = self.timeline(*self.years, 10).shift(DOWN * 0.3)
        dots = [Dot(line.n2p(y), color=PALETTE[i % len(PALETTE)], radius=0.11) for i, y in enumerate(m_years)]
        card = self.title_card("ai-era.subtitle")
        cites = self.wrapped(self.t("ai-era.source", cites="; ".join(res["milestones/cite"])), 13.0, font_size=18,
                             color=self.muted)
        cites.to_edge(DOWN, buff=0.3)
        with self.narration("ai-era.sub.intro"):
            self.park_title(card, FadeIn(line), FadeIn(cites))
            self.play(LaggedStart(*(FadeIn(d, scale=0.5) for d in dots), lag_ratio=0.3), run_time=2.4)
        labels, stems = [], []
        last_on_side: dict[int, tuple[VGroup, float]] = {}
        for i, (key, year, dot) in enumerate(zip(keys, m_years, dots)):
            colour, side = PALETTE[i % len(PALETTE)], UP if i % 2 == 0 else DOWN
            name, what = texts[key]
            label = VGroup(self.plain(f"{int(year)} {name}", font_size=26, color=colour, weight="BOLD"),
                           self.wrapped(what, self.label_width, font_size=25, color=self.ink, line_gap=0.08)
                           ).arrange(DOWN, buff=0.08)
            prev, level = last_on_side.get(i % 2), 0.8
            point = line.n2p(year)
            for _ in range(3):
                stem = Line(point, point + side * level, color=colour, stroke_width=3)
                self.on_screen(label.next_to(stem.get_end(), side, buff=0.08))
                if not prev or label.get_left()[0] > prev[0].get_right()[0] + 0.2 or level > prev[1]:
                    break
                level = prev[1] + 1.3
            last_on_side[i % 2] = (label, level)
            with self.narration(f"ai-era.sub.{key}"):
                self.play(dot.animate.scale(1.5), FadeIn(stem), FadeIn(label, shift=0.2 * side), run_time=1.2)
                self.play(Circumscribe(label, color=colour, buff=0.08), run_time=1.2)
            labels.append(label)
            stems.append(stem)
        gaps = res["milestones/gap"]
        gap_labels = VGroup()
        for a, b, g in zip(m_years[:-1], m_years[1:], gaps):
            mid = line.n2p((a + b) / 2)
            gap_labels.add(self.plain(self.t("ai-era.gap", n=int(g)), font_size=20, color=theme.color("highlight"),
                                      weight="BOLD").move_to(mid + UP * 0.32))
        with self.narration("ai-era.sub.gaps", **{f"g{k + 1}": int(g) for k, g in enumerate(gaps)}):
            self.play(LaggedStart(*(FadeIn(g, shift=0.1 * UP) for g in gap_labels), lag_ratio=0.4), run_time=2.0)

        # --- zoom into the years since 2010: the time line becomes the x axis of ImageNet's error
        err_years, error, human = res["imagenet/year"], res["imagenet/error"], float(res["imagenet/human"])
        axes_box = (-6.0, 6.3, -2.3, 2.2)      # left, right, bottom, top of the plot in scene units
        new_line = self.timeline(*self.zoom, 2, length=axes_box[1] - axes_box[0])
        new_line.move_to([(axes_box[0] + axes_box[1]) / 2, axes_box[2], 0], aligned_edge=UP)
        new_line.shift(UP * (axes_box[2] - new_line.n2p(self.zoom[0])[1]))
        ymax = 30.0

        def to_point(x, y):
            return np.array([new_line.n2p(x)[0], axes_box[2] + (axes_box[3] - axes_box[2]) * y / ymax, 0.0])

        y_labels = VGroup()
        grid = VGroup()
        for v in (0, 10, 20, 30):
            y_labels.add(self.plain(f"{v}", font_size=22, color=self.muted).next_to(to_point(self.zoom[0], v), LEFT, buff=0.15))
            if v:
                grid.add(Line(to_point(self.zoom[0], v), to_point(self.zoom[1], v), color=self.muted, stroke_width=1,
                              stroke_opacity=0.4))
        y_name = self.text("ai-era.axis_error", font_size=22, color=self.muted)
        y_name.next_to(to_point(self.zoom[0], ymax), UP, buff=0.6).align_to(y_labels, LEFT)
        keep = [i for i, y in enumerate(m_years) if y >= self.zoom[0]]
        markers = VGroup()
        for i in keep:
            colour = PALETTE[i % len(PALETTE)]
            x = m_years[i]
            markers.add(VGroup(DashedLine(to_point(x, 0), to_point(x, ymax), color=colour, stroke_width=3),
                               self.plain(texts[keys[i]][0], font_size=26, color=colour, weight="BOLD")
                               .next_to(to_point(x, ymax), UP, buff=0.1)))
        imagenet_cites = list(dict.fromkeys([*res["imagenet/cite"], str(res["imagenet/human_cite"])]))
        new_cites = self.wrapped(self.t("ai-era.source", cites="; ".join(imagenet_cites)), 13.0, font_size=18,
                                 color=self.muted).to_edge(DOWN, buff=0.3)
        with self.narration("ai-era.sub.zoom"):
            gone = [labels[i] for i in range(len(labels))] + stems + [gap_labels]
            self.play(*(FadeOut(m) for m in gone), run_time=0.8)
            moves = [dots[i].animate.move_to(new_line.n2p(m_years[i])) if i in keep else FadeOut(dots[i])
                     for i in range(len(dots))]
            self.play(ReplacementTransform(line, new_line), *moves, FadeOut(cites), FadeIn(new_cites), run_time=1.6)
            self.play(FadeIn(y_labels), FadeIn(grid), FadeIn(y_name), LaggedStart(*(FadeIn(m) for m in markers),
                                                                                 lag_ratio=0.3), run_time=1.4)
        pts = [to_point(x, y) for x, y in zip(err_years, error)]
        err_dots = VGroup(*(Dot(p, radius=0.09, color=self.ink) for p in pts))
        path = VGroup(*(Line(a, b, color=self.ink, stroke_width=4) for a, b in zip(pts[:-1], pts[1:])))
        # the values the narration names: the first, AlexNet's, the first below the human reference, the last
        below = float(res["imagenet/first_below_human"])
        k_below = int(np.argmax(err_years == below))
        named = {0: UL, 2: UR, k_below: DL, len(pts) - 1: UR}
        values = {k: self.plain(f"{fmt(float(error[k]))}%", font_size=22, color=self.ink).next_to(pts[k], side, buff=0.06)
                  for k, side in named.items()}
        for v in values.values():
            self.on_screen(v)

        def shown(k):
            return [FadeIn(values[k])] if k in values else []
        first_year, alexnet = int(err_years[0]), float(error[2])          # the third winner: AlexNet, 2012
        with self.narration("ai-era.sub.errors", first_year=first_year, first=fmt(float(error[0])), alexnet=fmt(alexnet)):
            self.play(FadeIn(err_dots[0]), *shown(0), run_time=0.6)
            for k in range(1, 3):
                self.play(Create(path[k - 1]), FadeIn(err_dots[k]), *shown(k), run_time=0.8)
            self.play(Circumscribe(values[2], color=theme.color("highlight")), run_time=1.0)
        human_line = DashedLine(to_point(self.zoom[0], human), to_point(self.zoom[1], human),
                                color=theme.OKABE_ITO["blue"], stroke_width=3)
        human_label = self.text("ai-era.human", font_size=24, color=theme.OKABE_ITO["blue"], human=fmt(human))
        human_label.next_to(to_point(2020.5, human), UP, buff=0.1)
        with self.narration("ai-era.sub.human", below=int(below), below_error=fmt(float(error[k_below])), human=fmt(human)):
            for k in range(3, len(pts)):
                self.play(Create(path[k - 1]), FadeIn(err_dots[k]), *shown(k), run_time=0.6)
                if k == k_below:
                    self.play(Create(human_line), FadeIn(human_label), run_time=0.8)
            self.play(Circumscribe(values[k_below], color=theme.OKABE_ITO["blue"]), run_time=1.0)
        fold = float(res["imagenet/fold"])
        with self.narration("ai-era.sub.end", first_year=first_year, last_year=int(err_years[-1]), fold=fmt(fold, 3)):
            summary = VGroup(self.plain(f"{fmt(float(error[0]))}% → {fmt(float(error[-1]))}%", font_size=32,
                                        color=theme.color("highlight"), weight="BOLD"),
                             self.plain(f"÷ {fmt(fold, 3)}", font_size=32, color=theme.color("highlight"), weight="BOLD")
                             ).arrange(DOWN, buff=0.15)
            summary.move_to(to_point((m_years[-2] + m_years[-1]) / 2, 18))     # between the last two markers
            self.play(FadeIn(summary, scale=0.9), run_time=1.0)
            self.play(*(Circumscribe(m[1], color=m[1].get_color()) for m in markers[-2:]), run_time=1.2)

    def timeline(self, start: int, end: int, step: int, length: float = 12.5) -> VGroup:
        """A number line from ``start`` to ``end`` with its years as text labels every ``step``."""
        line = NumberLine(x_range=(start, end, step), length=length, include_numbers=False, color=self.muted,
                          tick_size=0.08)
        numbers = VGroup(*(self.plain(str(y), font_size=22, color=self.muted).next_to(line.n2p(y), DOWN, buff=0.15)
                           for y in range(start, end + 1, step) if (y - start) % step == 0 and y <= end))
        line.add(numbers)
        return line
