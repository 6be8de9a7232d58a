"""Chapter 3 — a text chapter: the parts of machine learning.  (Chapters 1, 2, 4, 5 and 16 have their own
topics: scenes/ai_era.py, neuron.py, dl_history.py, stats_and_dl.py, dl_problems.py.)

Their content is the lecture's own text (lecture/strings/*.toml), in Korean or English.
"""
from __future__ import annotations


from manim import DOWN, LEFT, RIGHT, UP, Circumscribe, FadeIn, FadeOut, LaggedStart, Line, VGroup, config

from lecture import theme
from lecture.text import rows
from scenes.base import LectureScene

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


class MLComponents(TableScene):
    """Chapter 3: task, data, model, loss, optimizer; then the three kinds of learning."""

    chapter = 3
    title_key = "machine-learning.title"

    def construct(self):
        with self.narration("machine-learning.sub.intro"):
            card = self.title_card()
            definition = self.wrapped(self.t("machine-learning.definition"), config.frame_width - 2 * self.margin,
                                      font_size=26).next_to(self.parked_title(card), DOWN, buff=0.35)
            definition.set_x(0)
            self.park_title(card, FadeIn(definition))
        with self.narration("machine-learning.sub.components"):
            parts = self.table(rows("machine-learning.rows", self.lang), [0.32, 0.68], font_size=28,
                               first_column_color=theme.color("highlight"))
            parts.next_to(definition, DOWN, buff=0.45).set_x(0)
            self.reveal(parts, per_row=0.8)
        with self.narration("machine-learning.sub.learning"):
            learning = self.wrapped(self.t("machine-learning.learning"), config.frame_width - 2 * self.margin,
                                    font_size=24, color=theme.color("test"))
            learning.to_edge(DOWN, buff=0.4)
            self.play(FadeIn(learning, shift=0.2 * UP), run_time=1.0)
            # what learning turns: the model, judged by the loss, changed by the optimizer
            for row in parts.rows[2:5]:
                self.play(Circumscribe(row, color=theme.color("test"), buff=0.08), run_time=1.0)
        with self.narration("machine-learning.sub.kinds"):
            heading = self.text("machine-learning.kinds_title", font_size=34, weight="BOLD").to_edge(UP, buff=1.0)
            kinds = self.table(rows("machine-learning.kinds", self.lang), [0.32, 0.68], font_size=30,
                               first_column_color=theme.color("relu"))
            kinds.next_to(heading, DOWN, buff=0.6).set_x(0)
            self.play(LaggedStart(FadeOut(VGroup(parts, learning, definition)), FadeIn(heading), lag_ratio=0.5),
                      run_time=1.0)
            self.reveal(kinds, per_row=0.9)
            self.wait(1.0)
