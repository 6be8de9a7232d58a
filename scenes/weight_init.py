"""Chapter 11 — initial weights: activation histograms morphing from layer 1 to layer 5.

The bars are the stored counts of ``weight-init-histograms`` (1000 × 100 standard
normal inputs through 5 layers of 100 units); the standard deviations on screen are
the stored ones.  The four initializations and their formulas come first, the slide's core;
then sigmoid, tanh (briefly) and ReLU, whose std-1 values run past the axis into its last bar
(said on the panel and in the narration).
"""
from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    Rectangle,
    Transform,
    VGroup,
)

from lecture import theme
from lecture.text import fmt

from scenes.base import AXIS_NUMBERS, LectureScene, Retext, merged

PANEL_POS = (LEFT * 3.4 + UP * 0.75, RIGHT * 3.4 + UP * 0.75, LEFT * 3.4 + DOWN * 2.35, RIGHT * 3.4 + DOWN * 2.35)


class WeightInitHistograms(LectureScene):
    """Four initializations side by side; each histogram morphs layer by layer (sigmoid, then ReLU)."""

    chapter = 11
    title_key = "weight-init.title"
    panel_size = (5.6, 2.1)
    layer_time = 1.1

    FORMULAS = {"std1": r"N\!\left(0,\ 1^2\right)", "std0.01": r"N\!\left(0,\ 0.01^2\right)",
                "xavier": r"N\!\left(0,\ \frac{2}{n_{\mathrm{in}} + n_{\mathrm{out}}}\right)",
                "he": r"N\!\left(0,\ \frac{4}{n_{\mathrm{in}} + n_{\mathrm{out}}}\right)"}

    def construct(self):
        res = self.res = self.result("weight-init-histograms")
        inits = [str(n) for n in res["inits"]]
        with self.narration("weight-init.sub.intro", samples=int(res.settings["samples"])):
            self.park_title(self.title_card("weight-init.subtitle"))
            table = self.init_table(inits)
            self.add(table[0])  # the first row at once, as the title settles
            self.play(FadeIn(table[1:], lag_ratio=0.2), run_time=1.0)
            self.wait(3.5)  # the four initializations, read while the sentence names them
        # each part's panels leave as the next part's cue begins, never while a finished cue is still read
        panels = self.morph("sigmoid", inits, narrate=True, leaving=table)
        with self.narration("weight-init.sub.tanh"):
            panels = self.morph("tanh", inits, narrate=False, layer_time=0.55, pause=0.1, leaving=panels)
        last = res["std/relu/std1"].shape[0] - 1
        with self.narration("weight-init.sub.relu_std1", sd=fmt(float(res["std/relu/std1"][last]), 2, grouping=True)):
            panels = self.morph("relu", inits, narrate=False, overflow="std1", leaving=panels)
            self.play(panels[0][0].animate.set_opacity(1.0),
                      *(p.animate.set_opacity(0.3) for p in panels[0][1:]), run_time=0.6)
        with self.narration("weight-init.sub.relu"):  # std 0.01, then He, as the sentence names them
            self.play(panels[0][1].animate.set_opacity(1.0), panels[0][0].animate.set_opacity(0.3), run_time=0.6)
            self.wait(1.5)
            self.play(panels[0][3].animate.set_opacity(1.0), run_time=0.6)
            self.wait(0.8)
        self.formulas(leaving=panels)

    # --- pieces ------------------------------------------------------------------
    def axes(self, activation: str, position) -> Axes:
        edges = self.res[f"edges/{activation}"]
        lo, hi = float(edges[0]), float(edges[-1])
        axes = Axes(x_range=(lo, hi, (hi - lo) / 2), y_range=(0, 1.05, 0.5), x_length=self.panel_size[0],
                    y_length=self.panel_size[1], tips=False,
                    axis_config={"color": self.muted, "font_size": AXIS_NUMBERS},
                    x_axis_config={"include_numbers": True, "numbers_to_exclude": [],
                                   "decimal_number_config": {"num_decimal_places": 1}})
        return axes.move_to(position)

    def bars(self, axes: Axes, activation: str, init: str, layer: int) -> VGroup:
        """Histogram of one layer, scaled to its own tallest bar."""
        counts = self.res[f"hist/{activation}/{init}"][layer]
        edges = self.res[f"edges/{activation}"]
        peak = max(float(counts.max()), 1.0)
        group = VGroup()
        for left, right, count in zip(edges[:-1], edges[1:], counts):
            height = float(count) / peak
            p0, p1 = axes.c2p(float(left), 0), axes.c2p(float(right), max(height, 1e-3))
            bar = Rectangle(width=abs(p1[0] - p0[0]) * 0.92, height=max(abs(p1[1] - p0[1]), 0.01),
                            stroke_width=0, fill_color=theme.color(f"init-{init}"), fill_opacity=0.9)
            bar.move_to([(p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2, 0])
            group.add(bar)
        return merged(group)  # one path: the same bars, morphed point by point, one draw per frame

    def sd_label(self, activation: str, init: str, layer: int, axes: Axes):
        sd = float(self.res[f"std/{activation}/{init}"][layer])
        label = self.text("weight-init.sd_label", font_size=20, color=self.ink, value=fmt(sd, 2, grouping=True))
        return label.next_to(axes, UP, buff=0.05).align_to(axes, RIGHT)

    def init_table(self, inits: list[str]) -> VGroup:
        """The four initializations, each in its colour, with its distribution: the slide's core, shown first."""
        rows = VGroup()
        for init in inits:
            name = self.text(f"weight-init.init.{init}", font_size=32, color=theme.color(f"init-{init}"), weight="BOLD")
            rows.add(VGroup(name, self.tex(self.FORMULAS[init], font_size=44)))
        VGroup(*(r[1] for r in rows)).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        for row in rows:
            row[0].next_to(row[1], LEFT, buff=0.5)
        right = min(r[0].get_right()[0] for r in rows)
        for row in rows:  # the names end at one edge, the formulas start at one edge
            row[0].shift(RIGHT * (right - row[0].get_right()[0]))
        return rows.move_to(DOWN * 0.3)

    def morph(self, activation: str, inits: list[str], narrate: bool, layer_time: float | None = None,
              pause: float = 0.3, overflow: str | None = None, leaving=None) -> VGroup:
        res = self.res
        layers = res[f"hist/{activation}/{inits[0]}"].shape[0]
        heading = self.text(f"vanishing-gradients.name.{activation}", font_size=32, weight="BOLD",
                            color=theme.color(activation)).to_edge(UP, buff=0.3)
        counter = self.text("weight-init.layer", font_size=30, n=1).next_to(heading, RIGHT, buff=0.5)
        panels = VGroup()  # one (axes, name, bars, sd label) per initialization
        for init, pos in zip(inits, PANEL_POS):
            axes = self.axes(activation, pos)
            # the narration names the initializations as their panels come in: 3 % of the frame high
            name = self.text(f"weight-init.init.{init}", font_size=25, color=theme.color(f"init-{init}"),
                             weight="BOLD").next_to(axes, UP, buff=0.05).align_to(axes, LEFT)
            bars = self.bars(axes, activation, init, 0)
            sd = self.sd_label(activation, init, 0, axes)
            panels.add(VGroup(axes, name, bars, sd))
        self.play(*([FadeOut(leaving)] if leaving is not None else []), FadeIn(heading), FadeIn(counter),
                  *(Create(p[0]) for p in panels),
                  *(FadeIn(p[1]) for p in panels), run_time=1.0)
        extra = []
        if overflow is not None:  # values beyond the axis's end are counted in its last bar: say so on the panel
            axes = panels[inits.index(overflow)][0]
            hi = float(self.res[f"edges/{activation}"][-1])
            note = self.wrapped(self.t("weight-init.overflow", value=fmt(hi, 1)), 3.2, font_size=22, color=self.ink)
            note.next_to(axes.c2p(hi, 0.75), LEFT, buff=1.0)
            arrow = Arrow(note.get_right(), axes.c2p(hi * 0.985, 0.75), buff=0.08, stroke_width=3,
                          max_tip_length_to_length_ratio=0.35, color=self.ink)
            panels[inits.index(overflow)].add(VGroup(note, arrow))
            extra = [FadeIn(note), GrowArrow(arrow)]
        self.play(*(FadeIn(p[2], shift=0.1 * UP) for p in panels), *(FadeIn(p[3]) for p in panels), *extra,
                  run_time=0.8)
        for layer in range(1, layers):
            new_counter = self.text("weight-init.layer", font_size=30, n=layer + 1).move_to(counter)
            anims = [Retext(counter, new_counter)]
            new_sds = [self.sd_label(activation, init, layer, panel[0]) for init, panel in zip(inits, panels)]
            for init, panel, new_sd in zip(inits, panels, new_sds):
                axes, _, bars, sd = panel[:4]
                anims += [Transform(bars, self.bars(axes, activation, init, layer)), Retext(sd, new_sd)]
            self.play(*anims, run_time=layer_time or self.layer_time)
            counter = new_counter
            for panel, new_sd in zip(panels, new_sds):
                panel.submobjects[3] = new_sd  # the label stays the panel's fourth part
            self.wait(pause)
        if narrate:  # walk through the four rows of the textbook figure, one subtitle each
            last = layers - 1
            for init, panel in zip(inits, panels):
                sd = fmt(float(res[f"std/{activation}/{init}"][last]), 2)
                spread = res[f"seeds/std/{activation}/{init}"][:, last]  # the fifth layer's sd in every seed
                with self.narration(f"weight-init.sub.{init}", sd=sd, seeds=len(spread), lo=fmt(float(spread.min()), 2),
                                    hi=fmt(float(spread.max()), 2)):
                    self.play(panel.animate.set_opacity(1.0), *(p.animate.set_opacity(0.3)
                                                                 for p in panels if p is not panel), run_time=1.0)
                    self.wait(0.8)
            self.play(panels.animate.set_opacity(1.0), run_time=0.4)
        return VGroup(panels, heading, counter)

    def formulas(self, leaving):
        title = self.text("weight-init.formula_title", font_size=32, weight="BOLD").to_edge(UP, buff=1.0)
        xavier = VGroup(self.text("weight-init.init.xavier", font_size=30, color=theme.color("init-xavier")),
                        self.tex(self.FORMULAS["xavier"], font_size=44))
        he = VGroup(self.text("weight-init.init.he", font_size=30, color=theme.color("init-he")),
                    self.tex(self.FORMULAS["he"], font_size=44))
        formulas = VGroup(xavier[1], he[1]).arrange(DOWN, buff=0.6, aligned_edge=LEFT)
        formulas.next_to(title, DOWN, buff=0.7).shift(RIGHT * 1.2)
        for row in (xavier, he):  # each name right next to its formula; the formulas share a left edge
            row[0].next_to(row[1], LEFT, buff=0.5)
        block = VGroup(xavier, he)
        takeaway = self.text("weight-init.takeaway", font_size=30, color=theme.color("highlight"),
                             weight="BOLD").next_to(block, DOWN, buff=0.8)
        with self.narration("weight-init.sub.takeaway"):
            self.play(FadeOut(leaving), FadeIn(title), FadeIn(xavier), FadeIn(he), run_time=0.8)
            self.play(FadeIn(takeaway, shift=0.2 * UP), run_time=0.6)
            self.wait(0.6)
