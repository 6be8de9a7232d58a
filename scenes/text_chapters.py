"""Chapters 1, 3, 4, 5 and 16 — the text chapters: a timeline, the parts of machine learning,
the history table, the two statistics ↔ deep-learning tables and the problems of deep learning.

Their content is the lecture's own text (lecture/strings/*.toml), in Korean or English.
"""
from __future__ import annotations


from manim import (DOWN, LEFT, RIGHT, UP, Dot, FadeIn, FadeOut, LaggedStart, Line, NumberLine, VGroup,
                   config)

from lecture import theme
from lecture.text import rows
from scenes.base import AXIS_NUMBERS, LectureScene

PALETTE = [theme.OKABE_ITO[c] for c in ("sky", "orange", "green", "vermillion", "purple", "blue")]


class TableScene(LectureScene):
    """Shared pieces: a table of Text cells laid out in columns, revealed row by row."""

    frame_width = 13.0
    row_gap = 0.3

    def cell(self, content: str, width: float, *, font_size: float, color: str, weight: str = "NORMAL"):
        """A Text cell no wider than ``width``: broken at spaces by its measured width, left-aligned."""
        content = content.strip()
        if not content:
            return self.plain("·", font_size=font_size, color=color).set_opacity(0)
        return self.wrapped(content, width, font_size=font_size, color=color, weight=weight, aligned_edge=LEFT,
                            line_gap=0.08)

    def table(self, body: list[list[str]], widths: list[float], header: list[str] | None = None,
              font_size: float = 24, first_column_color: str | None = None) -> VGroup:
        total = sum(widths)
        xs = [-self.frame_width / 2 + self.frame_width * sum(widths[:i]) / total for i in range(len(widths))]
        limits = [self.frame_width * w / total - 0.25 for w in widths]  # column widths less a gutter
        lines = VGroup()

        def make_row(cells, *, bold=False, colour_first=None):
            row = VGroup()
            for j, (x, content) in enumerate(zip(xs, cells)):
                colour = colour_first if (j == 0 and colour_first) else self.ink
                mob = self.cell(content, limits[j], font_size=font_size, color=colour,
                                weight="BOLD" if bold or j == 0 else "NORMAL")
                mob.move_to([x, 0, 0], aligned_edge=LEFT)
                row.add(mob)
            return row

        rows_group = VGroup()
        if header:
            rows_group.add(make_row(header, bold=True))
        for cells in body:
            rows_group.add(make_row(cells, colour_first=first_column_color))
        rows_group.arrange(DOWN, buff=self.row_gap, aligned_edge=LEFT)
        for i, row in enumerate(rows_group):
            for j, mob in enumerate(row):
                mob.set_x(xs[j] + mob.width / 2)
            if i < len(rows_group) - 1:
                y = (row.get_bottom()[1] + rows_group[i + 1].get_top()[1]) / 2
                lines.add(Line([xs[0], y, 0], [xs[0] + self.frame_width, y, 0], stroke_width=2 if header and i == 0 else 1,
                               color=self.ink if header and i == 0 else self.muted))
        group = VGroup(rows_group, lines)
        group.rows, group.lines = rows_group, lines
        return group

    def reveal(self, group: VGroup, per_row: float = 0.6, first=()):
        """Row by row; ``first``: animations played with the first row (the last page fading out)."""
        for i, row in enumerate(group.rows):
            anims = [FadeIn(row, shift=0.15 * RIGHT)]
            if i < len(group.lines):
                anims.append(FadeIn(group.lines[i]))
            self.play(*(list(first) if i == 0 else []), *anims, run_time=per_row)


class AIMilestones(TableScene):
    """Chapter 1: the milestones of AI on a time line."""

    chapter = 1
    title_key = "ai-era.title"
    years = (1950, 2025)
    label_width = 3.1  # a milestone's description, broken into balanced lines beyond this

    def construct(self):
        line = NumberLine(x_range=(self.years[0], self.years[1], 10), length=12.5, include_numbers=True,
                          font_size=AXIS_NUMBERS, color=self.muted, decimal_number_config={"group_with_commas": False,
                                                                                  "num_decimal_places": 0})
        line.shift(DOWN * 0.3)
        milestones = rows("ai-era.rows", self.lang)
        dots = [Dot(line.n2p(int(year)), color=PALETTE[i % len(PALETTE)], radius=0.1)
                for i, (year, _, _) in enumerate(milestones)]
        card = self.title_card("ai-era.subtitle")  # its sentence is read from the time line's coming in
        with self.narration("ai-era.sub.intro"):  # the time line, then where its milestones lie
            self.park_title(card, FadeIn(line))
            self.play(LaggedStart(*(FadeIn(dot, scale=0.5) for dot in dots), lag_ratio=0.3), run_time=2.0)
        with self.narration("ai-era.sub.timeline"):
            last_on_side: dict[int, tuple[VGroup, float]] = {}  # side -> (its last label, that label's level)
            for i, ((year, name, what), dot) in enumerate(zip(milestones, dots)):
                year_n, colour = int(year), PALETTE[i % len(PALETTE)]
                side = UP if i % 2 == 0 else DOWN
                point = line.n2p(year_n)
                label = VGroup(self.plain(f"{year} {name}", font_size=24, color=colour, weight="BOLD"),
                               self.wrapped(what, self.label_width, font_size=18, color=self.ink,
                                            line_gap=0.08)).arrange(DOWN, buff=0.08)
                # one level further out than the last label on its side where the two would meet
                prev = last_on_side.get(i % 2)
                level = 0.8
                for _ in range(2):
                    stem = Line(point, point + side * level, color=colour, stroke_width=3)
                    self.on_screen(label.next_to(stem.get_end(), side, buff=0.08))  # also near the line's ends
                    if not prev or label.get_left()[0] > prev[0].get_right()[0] + 0.2 or level > prev[1]:
                        break
                    level = prev[1] + 1.25
                last_on_side[i % 2] = (label, level)
                self.play(dot.animate.scale(1.4), FadeIn(stem), FadeIn(label, shift=0.2 * side), run_time=1.0)
                self.wait(0.6)
        with self.narration("ai-era.sub.end"):
            self.wait(1.5)


class HistoryTable(TableScene):
    """Chapter 4: the lecture's history table, 1943–2023, in two pages."""

    chapter = 4
    title_key = "dl-history.title"
    split_year = 2006

    def construct(self):
        header = [c.strip() for c in self.t("dl-history.header").split("|")]
        body = rows("dl-history.rows", self.lang)
        early = [r for r in body if int(r[0]) < self.split_year]
        late = [r for r in body if int(r[0]) >= self.split_year]
        card = self.title_card()
        title = self.parked_title(card)
        pages = []
        for part in (early, late):
            table = self.table(part, [0.12, 0.48, 0.40], header=header, font_size=22,
                               first_column_color=theme.color("highlight"))
            pages.append(table.next_to(title, DOWN, buff=0.4).set_x(0))
        with self.narration("dl-history.sub.early"):
            self.park_title(card, FadeIn(pages[0].rows[0], shift=0.15 * RIGHT), FadeIn(pages[0].lines[0]))
            self.reveal(self.rest(pages[0]), per_row=0.45)
            self.wait(1.5)
        with self.narration("dl-history.sub.late"):  # the first page gives way as the second comes in
            self.reveal(pages[1], per_row=0.45, first=[FadeOut(pages[0])])
            self.wait(1.5)

    @staticmethod
    def rest(table: VGroup) -> VGroup:
        """``table`` without its first row (and the line under it), for ``reveal``."""
        rest = VGroup()
        rest.rows, rest.lines = table.rows[1:], table.lines[1:]
        return rest


class StatsVsDL(TableScene):
    """Chapter 5: the terminology table, then statistical models against deep models."""

    chapter = 5
    title_key = "stats-and-dl.title"

    def construct(self):
        card = self.title_card()
        title = self.parked_title(card)
        with self.narration("stats-and-dl.sub.terms"):
            heading = self.text("stats-and-dl.terms_title", font_size=32, weight="BOLD").next_to(title, DOWN, buff=0.3)
            heading.set_x(0)
            terms = self.table(rows("stats-and-dl.terms", self.lang), [0.5, 0.5],
                               header=[c.strip() for c in self.t("stats-and-dl.terms_header").split("|")],
                               font_size=26, first_column_color=theme.color("sigmoid"))
            terms.next_to(heading, DOWN, buff=0.35).set_x(0)
            self.park_title(card, FadeIn(heading))
            self.reveal(terms, per_row=0.5)
            self.wait(1.0)
        with self.narration("stats-and-dl.sub.models"):  # the first table gives way as the second comes in
            old_heading = heading
            heading = self.text("stats-and-dl.models_title", font_size=32, weight="BOLD").next_to(title, DOWN, buff=0.3)
            heading.set_x(0)
            models = self.table(rows("stats-and-dl.models", self.lang), [0.2, 0.4, 0.4],
                                header=[c.strip() for c in self.t("stats-and-dl.models_header").split("|")],
                                font_size=21, first_column_color=theme.color("tanh"))
            models.next_to(heading, DOWN, buff=0.3).set_x(0)
            self.play(FadeOut(terms), FadeOut(old_heading), FadeIn(heading), run_time=0.6)
            self.reveal(models, per_row=0.6)
            self.wait(1.5)


class DLProblems(TableScene):
    """Chapter 16: the problems of deep learning."""

    chapter = 16
    title_key = "dl-problems.title"

    def construct(self):
        with self.narration("dl-problems.sub.intro"):  # the problems' names come in as the card leaves
            card = self.title_card()
            problems = self.table(rows("dl-problems.rows", self.lang), [0.45, 0.55], font_size=30,
                                  first_column_color=theme.color("highlight"))
            problems.next_to(self.parked_title(card), DOWN, buff=0.6).set_x(0)
            names = VGroup(*(row[0] for row in problems.rows))
            self.park_title(card, FadeIn(names, lag_ratio=0.15, shift=0.15 * RIGHT))
            self.play(FadeIn(problems.lines, lag_ratio=0.15), run_time=0.8)
        with self.narration("dl-problems.sub.list"):  # then what each one means
            for row in problems.rows:
                self.play(FadeIn(row[1], shift=0.15 * RIGHT), run_time=0.8)
            self.wait(1.0)
