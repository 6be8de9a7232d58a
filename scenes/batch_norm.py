"""Chapter 13 — batch normalization (배치 정규화).

``BatchNormSteps``: one real mini-batch (one feature of the trained network's first
batch-normalization layer) as dots sliding through the slides' four steps.
``BatchNormTraining``: the last hidden layer's sigmoid input drifting without batch
normalization and steady with it, the test-accuracy curves racing below (the lecture's seed as
curves, the other seeds' min–max as pale bands, their ranges in the readouts).
Every number and position comes from the stored results.
"""
from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    NumberLine,
    Polygon,
    Rectangle,
    ReplacementTransform,
    SurroundingRectangle,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
)

from lecture import theme
from lecture.text import accuracy, fmt

from scenes.base import AXIS_NUMBERS, LectureScene, Retext, fit_width, axes_points, polyline, redraw_on_change

MU_FORMULA = r"\hat{\mu} = \frac{1}{m}\sum_{i=1}^{m} z_i"
VAR_FORMULA = r"\hat{\sigma}^2 = \frac{1}{m}\sum_{i=1}^{m} (z_i - \hat{\mu})^2"
NORM_FORMULA = r"z_{\mathrm{norm}} = \frac{z - \hat{\mu}}{\sqrt{\hat{\sigma}^2 + \epsilon}}"
TILDE_FORMULA = r"\tilde{z} = \gamma\, z_{\mathrm{norm}} + \beta"

# The thresholds of the claims the scales video narrates (engine.batch_norm: CHANCE, LEARNS, SMALL_SCALE; a test
# holds them equal): below CHANCE a network has learned nothing, above LEARNS it learns something.
CHANCE, LEARNS, SMALL_SCALE = 0.15, 0.3, 0.01


def shown(value: float, digits: int = 3) -> str:
    """A computed number for MathTex: rounded to ``digits`` decimals (−0.000 shows as 0)."""
    value = round(float(value), digits) + 0.0
    return fmt(value, 4) if abs(value) >= 1e-3 or value == 0 else f"{value:.{digits}f}"


class BatchNormSteps(LectureScene):
    """μ, σ², z_norm, γ·z_norm + β on one real mini-batch, each formula beside the dots."""

    chapter = 13
    title_key = "batch-norm.title"
    line_width = 6.8
    line_x = -1.5  # the lines and their names (z_norm the widest) between the left edge and the formulas
    jitter = 0.22
    formula_size = 38   # the formulas' subscripts (z_norm) at the standard's least size
    value_size = 34     # the values the narration reads out

    @staticmethod
    def value_texs(res) -> list[str]:
        """The batch's μ̂ and σ̂², the normalized values' mean, their variance, γ and β, as formulas."""
        f = int(res.scalar("batch/feature"))
        z_norm = res["batch/z_norm"][:, f].astype(float)
        mu, var = float(res["batch/mu"][f]), float(res["batch/var"][f])
        gamma, beta = float(res["batch/gamma"][f]), float(res["batch/beta"][f])
        return [r"\hat{\mu} = " + shown(mu) + r",\ \ \hat{\sigma}^2 = " + shown(var),
                r"\operatorname{mean}(z_{\mathrm{norm}}) = " + shown(np.mean(z_norm)),
                r"\operatorname{var}(z_{\mathrm{norm}}) = " + shown(np.var(z_norm)),
                r"\gamma = " + shown(gamma) + r",\ \ \beta = " + shown(beta)]

    def typeset_ahead(self):
        return self.value_texs(self.result("batch-norm-histograms"))

    def construct(self):
        res = self.result("batch-norm-histograms")
        f = int(res.scalar("batch/feature"))
        z = res["batch/z"][:, f].astype(float)
        z_norm = res["batch/z_norm"][:, f].astype(float)
        z_tilde = res["batch/z_tilde"][:, f].astype(float)
        mu, var = float(res["batch/mu"][f]), float(res["batch/var"][f])
        gamma, beta = float(res["batch/gamma"][f]), float(res["batch/beta"][f])
        m = len(z)
        offsets = np.random.default_rng(0).uniform(-self.jitter, self.jitter, m)

        # the formulas, one column on the right: the four steps shown muted with the title, each lit in turn
        hl, bn_color = theme.color("highlight"), theme.color("bn")
        f_mu = self.tex(MU_FORMULA, font_size=self.formula_size - 2, color=self.muted)
        f_var = self.tex(VAR_FORMULA, font_size=self.formula_size - 2, color=self.muted)
        stats_tex, mean_tex, var_tex, tilde_tex = self.value_texs(res)
        v_stats = self.tex(stats_tex, font_size=self.value_size, color=hl)
        f_norm = self.tex(NORM_FORMULA, font_size=self.formula_size, color=self.muted)
        v_norm = VGroup(self.tex(mean_tex, font_size=self.formula_size, color=bn_color),
                        self.tex(var_tex, font_size=self.formula_size, color=bn_color)).arrange(DOWN, buff=0.12,
                                                                                                aligned_edge=LEFT)
        f_tilde = self.tex(TILDE_FORMULA, font_size=self.formula_size, color=self.muted)
        v_tilde = self.tex(tilde_tex, font_size=self.value_size, color=hl)
        column = VGroup(f_mu, f_var, v_stats, f_norm, v_norm, f_tilde, v_tilde).arrange(DOWN, buff=0.16,
                                                                                        aligned_edge=LEFT)
        for gap_after in (v_stats, v_norm):  # a little more room between the steps
            below = column[list(column).index(gap_after) + 1:]
            below.shift(DOWN * 0.12)
        column.to_edge(RIGHT, buff=0.4).to_edge(UP, buff=0.4)

        with self.narration("batch-norm.sub.steps_intro"):
            self.park_title(self.title_card("batch-norm.subtitle.steps"),
                            FadeIn(VGroup(f_mu, f_var, f_norm, f_tilde), lag_ratio=0.15))

        # two number lines: the raw values on top, the normalized ones below
        step = 10 if np.abs(z).max() > 12 else 5
        top_max = step * np.ceil(np.abs(z).max() * 1.05 / step)
        top = NumberLine(x_range=(-top_max, top_max, step), length=self.line_width, color=self.muted,
                         include_numbers=True, font_size=AXIS_NUMBERS).move_to([self.line_x, 0.7, 0])
        bottom = NumberLine(x_range=(-4, 4, 1), length=self.line_width, color=self.muted,
                            include_numbers=True, font_size=AXIS_NUMBERS).move_to([self.line_x, -2.2, 0])
        top_label = self.tex("z", font_size=52, color=self.muted).next_to(top, LEFT, buff=0.3)
        dots = VGroup(*(Dot(top.n2p(v) + UP * (0.55 + o), radius=0.07, color=theme.color("plain"))
                        for v, o in zip(z, offsets)))
        caption = self.wrapped(self.t("batch-norm.scene.batch", m=m), column.get_left()[0] - 0.4 - top.get_left()[0],
                               font_size=26, aligned_edge=LEFT)
        caption.next_to(top, UP, buff=1.25)
        caption.align_to(top, LEFT)
        with self.narration("batch-norm.sub.z", m=m):
            self.play(Create(top), FadeIn(top_label), FadeIn(caption), run_time=1.0)
            self.play(FadeIn(dots, lag_ratio=0.03), run_time=2.0)

        # ① mean and variance of the batch
        sigma = float(np.sqrt(var))
        mean_line = Line(top.n2p(mu) + DOWN * 0.1, top.n2p(mu) + UP * 1.0, color=hl, stroke_width=5)
        band = Rectangle(width=top.n2p(mu + sigma)[0] - top.n2p(mu - sigma)[0], height=0.9, stroke_width=0,
                         fill_color=hl, fill_opacity=0.18).move_to(top.n2p(mu) + UP * 0.5)
        with self.narration("batch-norm.sub.mu", mu=shown(mu), var=shown(var)):
            self.play(f_mu.animate.set_color(self.ink), Create(mean_line), run_time=1.0)
            self.play(f_var.animate.set_color(self.ink), FadeIn(band), run_time=1.0)
            self.play(FadeIn(v_stats, shift=0.1 * DOWN), run_time=0.8)

        # ② standardize: the dots slide down to (z − μ̂)/√(σ̂² + ε); faint copies stay on top
        bottom_label = self.tex(r"z_{\mathrm{norm}}", font_size=54, color=self.muted).next_to(bottom, LEFT, buff=0.3)
        ghosts = dots.copy().set_opacity(0.3)
        with self.narration("batch-norm.sub.z_norm"):
            self.add(ghosts)
            self.play(Create(bottom), FadeIn(bottom_label), f_norm.animate.set_color(self.ink), run_time=1.2)
            self.play(*(d.animate.move_to(bottom.n2p(v) + UP * (0.55 + o)).set_color(bn_color)
                        for d, v, o in zip(dots, z_norm, offsets)), run_time=2.5)
            zero = DashedLine(bottom.n2p(0) + DOWN * 0.1, bottom.n2p(0) + UP * 1.0, color=self.ink, stroke_width=3)
            self.play(Create(zero), FadeIn(v_norm), run_time=0.8)

        # ③ scale and shift with the learned γ and β
        tilde_label = self.tex(r"\tilde{z}", font_size=52, color=self.muted).next_to(bottom, LEFT, buff=0.3)
        new_zero = DashedLine(bottom.n2p(beta) + DOWN * 0.1, bottom.n2p(beta) + UP * 1.0, color=hl, stroke_width=3)
        with self.narration("batch-norm.sub.z_tilde", gamma=shown(gamma), beta=shown(beta)):
            self.play(f_tilde.animate.set_color(self.ink), FadeIn(v_tilde), run_time=1.2)
            self.play(*(d.animate.move_to(bottom.n2p(v) + UP * (0.55 + o)) for d, v, o in zip(dots, z_tilde, offsets)),
                      ReplacementTransform(zero, new_zero), Retext(bottom_label, tilde_label),
                      run_time=2.5)
            self.wait(0.5)

        with self.narration("batch-norm.sub.steps_takeaway"):
            takeaway = self.text("batch-norm.scene.steps_takeaway", font_size=28, color=theme.color("highlight"),
                                 weight="BOLD")
            fit_width(takeaway, 13.0).to_edge(DOWN, buff=0.35)
            self.play(FadeIn(takeaway, shift=0.2 * UP), run_time=1.0)
            self.wait(1.0)


class BatchNormTraining(LectureScene):
    """The 15/50/85th percentile bands over training, without and with BN; accuracy racing below."""

    chapter = 13
    title_key = "batch-norm.title"
    panel_size = (5.5, 2.6)
    acc_size = (11.4, 1.85)
    run_time = 8.0

    def construct(self):
        res = self.result("batch-norm")
        steps = res["steps"].astype(float)
        pct = {v: res[f"percentiles/{v}"].astype(float) for v in ("plain", "bn")}
        acc = {v: res[f"test_acc/{v}"].astype(float) for v in ("plain", "bn")}
        seed_acc = {v: res[f"seeds/test_acc/{v}"].astype(float) for v in ("plain", "bn")}
        seeds = len(res["seed_values"])
        levels = res["percentile_levels"]

        lo = min(p.min() for p in pct.values())
        hi = max(p.max() for p in pct.values())
        y_lo, y_hi = 4 * np.floor(lo / 4), 4 * np.ceil(hi / 4)
        x_step = self.nice_step(steps[-1])
        panels = {}
        headings = VGroup()
        for variant, x in (("plain", -3.3), ("bn", 3.4)):
            axes = Axes(x_range=(0, steps[-1], x_step), y_range=(y_lo, y_hi, 4), x_length=self.panel_size[0],
                        y_length=self.panel_size[1], tips=False,
                        axis_config={"color": self.muted, "font_size": AXIS_NUMBERS},
                        y_axis_config={"include_numbers": True})  # the steps are numbered on the axis below
            axes.move_to([x, 1.25, 0])
            panels[variant] = axes
            headings.add(self.text(f"batch-norm.variant.{variant}", font_size=26, color=theme.color(variant),
                                   weight="BOLD").next_to(axes, UP, buff=0.2))
        acc_axes = Axes(x_range=(0, steps[-1], x_step), y_range=(0, 1, 0.25), x_length=self.acc_size[0],
                        y_length=self.acc_size[1], tips=False,
                        axis_config={"color": self.muted, "font_size": AXIS_NUMBERS},
                        x_axis_config={"include_numbers": True,
                                       "decimal_number_config": {"num_decimal_places": 0, "group_with_commas": False}},
                        y_axis_config={"include_numbers": True, "decimal_number_config": {"num_decimal_places": 2}})
        acc_axes.move_to([0.35, -2.45, 0])
        acc_label = self.text("batch-norm.panel.accuracy", font_size=24, color=self.muted)
        acc_label.next_to(acc_axes, UP, buff=0.12).align_to(acc_axes, LEFT)
        y_label = self.text("batch-norm.scene.band_label", font_size=20, color=self.muted,
                            p1=fmt(levels[0], 3), p2=fmt(levels[1], 3), p3=fmt(levels[2], 3))
        y_label.next_to(headings, UP, buff=0.12).align_to(panels["bn"], RIGHT)

        # the two panels and their names come in as the title parks: the intro names the two networks
        with self.narration("batch-norm.sub.train_intro"):
            self.park_title(self.title_card("batch-norm.subtitle.training"),
                            *(Create(a) for a in panels.values()), FadeIn(headings))

        k = ValueTracker(0)

        def upto(values):
            n = int(np.clip(round(k.get_value()), 0, len(steps) - 1)) + 1
            return steps[:n], values[:n]

        def band(variant):
            def draw():
                axes, p = panels[variant], pct[variant]
                xs, low = upto(p[:, 0])
                _, high = upto(p[:, 2])
                _, med = upto(p[:, 1])
                color = theme.color(variant)
                if len(xs) < 2:
                    return VGroup(Dot(axes.c2p(xs[0], med[0]), radius=0.06, color=color))
                area = Polygon(*axes_points(axes, np.concatenate([xs, xs[::-1]]), np.concatenate([high, low[::-1]])),
                               stroke_width=0, fill_color=color, fill_opacity=0.3)
                return VGroup(area, polyline(axes, xs, med, color=color, stroke_width=4),
                              polyline(axes, xs, low, color=color, stroke_width=2),
                              polyline(axes, xs, high, color=color, stroke_width=2))
            return always_redraw(draw)

        bands = VGroup(band("plain"), band("bn"))
        seed_bands = VGroup(*(always_redraw(self._band_drawer(acc_axes, steps, seed_acc[v], v, k))
                              for v in ("plain", "bn")))
        curves = VGroup(*(always_redraw(self._curve_drawer(acc_axes, steps, acc[v], v, k)) for v in ("plain", "bn")))
        shown_step = lambda: int(steps[int(np.clip(round(k.get_value()), 0, len(steps) - 1))])  # noqa: E731
        counter = redraw_on_change(lambda: self.plain(
            self.t("batch-norm.scene.step_counter", step=shown_step()),
            font_size=24, color=self.muted).next_to(acc_axes, UP, buff=0.12).align_to(acc_axes, RIGHT), shown_step)
        # the paper trained 50 000 steps (lecture/reference_settings.toml): a shorter run says so
        from lecture import reference

        fewer = [e for e, _ in reference.departures("batch-norm", res.settings) if e.setting == "steps"]
        setup_key = "batch-norm.sub.train_setup_departs" if fewer else "batch-norm.sub.train_setup"
        with self.narration(setup_key, steps=int(steps[-1]), paper=fmt(fewer[0].value) if fewer else ""):
            self.play(FadeIn(y_label), FadeIn(bands), run_time=1.0)
            self.play(Create(acc_axes), FadeIn(acc_label), FadeIn(curves), FadeIn(counter), run_time=1.5)
        self.add(seed_bands)
        with self.narration("batch-norm.sub.train_race"):
            self.play(k.animate.set_value(len(steps) - 1), run_time=self.run_time, rate_func=lambda t: t)
        self.remove(counter)
        self.add(counter.clear_updaters())
        for drawn in (*bands, *seed_bands, *curves):  # the race is over: what it drew stays as it is
            drawn.clear_updaters()

        # the lecture's seed first, then the other seeds' ranges beside it
        def finals_of(key):
            return VGroup(*(
                self.text(key, font_size=22, color=theme.color(v),
                          name=self.t(f"batch-norm.variant.{v}"), value=accuracy(acc[v][-1]), n=seeds,
                          lo=accuracy(seed_acc[v][:, -1].min()), hi=accuracy(seed_acc[v][:, -1].max()))
                for v in ("bn", "plain"))).arrange(DOWN, aligned_edge=LEFT, buff=0.1)

        finals = finals_of("batch-norm.final_acc_range")
        finals.move_to(acc_axes.c2p(steps[-1], 0.04), aligned_edge=DOWN + RIGHT)  # below the curves
        first = finals_of("batch-norm.final_acc").align_to(finals, UL)
        with self.narration("batch-norm.sub.train_acc", bn=accuracy(acc["bn"][-1]), plain=accuracy(acc["plain"][-1]),
                            n=seeds):
            self.play(FadeIn(first), run_time=0.8)
            self.wait(2.0)
            self.play(*(ReplacementTransform(a, b) for a, b in zip(first, finals)),
                      *(s.animate.set_fill(opacity=0.45) for s in seed_bands), run_time=1.0)
            self.play(*(s.animate.set_fill(opacity=0.22) for s in seed_bands), run_time=0.8)

        drifts = {v: res.scalar(f"drift/{v}") for v in ("plain", "bn")}
        spread = {v: res[f"seeds/drift/{v}"].astype(float) for v in ("plain", "bn")}
        readouts = VGroup()
        for variant in ("plain", "bn"):
            r = self.text("batch-norm.scene.drift_range", font_size=22, color=theme.color(variant),
                          value=fmt(drifts[variant], 3), n=seeds, lo=fmt(spread[variant].min(), 3),
                          hi=fmt(spread[variant].max(), 3))
            r.next_to(panels[variant], DOWN, buff=0.08)  # under its panel, above the accuracy
            readouts.add(r)
        with self.narration("batch-norm.sub.train_drift", plain=fmt(drifts["plain"], 3), bn=fmt(drifts["bn"], 3),
                            n=seeds, plain_lo=fmt(spread["plain"].min(), 3), plain_hi=fmt(spread["plain"].max(), 3),
                            bn_lo=fmt(spread["bn"].min(), 3), bn_hi=fmt(spread["bn"].max(), 3)):
            self.play(FadeIn(readouts[0]), run_time=0.8)
            self.wait(1.5)
            self.play(FadeIn(readouts[1]), run_time=0.8)
            self.wait(0.5)

        with self.narration("batch-norm.sub.train_takeaway"):
            takeaway = self.text("batch-norm.scene.train_takeaway", font_size=24, color=theme.color("highlight"),
                                 weight="BOLD")
            fit_width(takeaway, 8.0).next_to(headings, UP, buff=0.12).align_to(panels["bn"], RIGHT)
            self.play(FadeOut(y_label), run_time=0.5)
            self.play(Write(takeaway), run_time=1.8)

    @staticmethod
    def nice_step(span: float) -> float:
        raw = span / 4
        base = 10 ** np.floor(np.log10(raw))
        for mult in (1, 2, 2.5, 5, 10):
            if raw <= mult * base:
                return mult * base
        return 10 * base

    @staticmethod
    def _band_drawer(axes, steps, seed_values, variant, k):
        """The seeds' min–max of the accuracy up to the current checkpoint, a pale band behind the curve."""
        low, high = seed_values.min(axis=0), seed_values.max(axis=0)

        def draw():
            n = int(np.clip(round(k.get_value()), 0, len(steps) - 1)) + 1
            if n < 2:
                return VGroup()
            xs = steps[:n]
            return Polygon(*axes_points(axes, np.concatenate([xs, xs[::-1]]),
                                        np.concatenate([high[:n], low[:n][::-1]])),
                           stroke_width=0, fill_color=theme.color(variant), fill_opacity=0.22)
        return draw

    @staticmethod
    def _curve_drawer(axes, steps, values, variant, k):
        def draw():
            n = int(np.clip(round(k.get_value()), 0, len(steps) - 1)) + 1
            if n < 2:
                return Dot(axes.c2p(steps[0], values[0]), radius=0.04, color=theme.color(variant))
            return polyline(axes, steps[:n], values[:n], color=theme.color(variant), stroke_width=4)
        return draw


class BatchNormScales(LectureScene):
    """Saito's 16 initial weight scales: the accuracy curves with and without batch normalization racing in a
    4 × 4 grid, then each run's final accuracy against its scale (the other seeds' range as bars)."""

    chapter = 13
    title_key = "batch-norm.title"
    grid_box = (13.2, 5.55)   # width, height of the 4 × 4 grid under the parked title
    grid_center = (0.0, -0.62)
    race_seconds = 8.0

    def construct(self):
        res = self.result("batch-norm-scales")
        scales = np.asarray(res["scales"], dtype=float)
        epochs = np.asarray(res["epochs"], dtype=float)
        curves = {v: np.asarray(res[f"train_acc/{v}"], dtype=float) for v in ("bn", "plain")}        # (scale, epoch)
        finals = {v: np.asarray(res[f"seeds/train_acc/{v}"], dtype=float)[:, :, -1] for v in ("bn", "plain")}
        seeds, n = len(res["seed_values"]), len(scales)
        last = int(epochs[-1])
        cols = int(np.ceil(np.sqrt(n)))
        rows = int(np.ceil(n / cols))
        colour = {v: theme.color(v) for v in ("bn", "plain")}

        # the grid: one small axes per scale, its scale above it
        width, height = self.grid_box
        cell_w, cell_h = width / cols, height / rows
        cells, labels = [], VGroup()
        for i in range(n):
            r, c = divmod(i, cols)
            axes = Axes(x_range=(0, last, last), y_range=(0, 1.08, 0.5), x_length=cell_w - 0.45, y_length=cell_h - 0.62,
                        tips=False, axis_config={"color": self.muted, "stroke_width": 2})
            center = np.array([self.grid_center[0] - width / 2 + (c + 0.5) * cell_w,
                               self.grid_center[1] + height / 2 - (r + 0.5) * cell_h - 0.12, 0])
            axes.move_to(center)
            cells.append(axes)
            labels.add(self.text("batch-norm.scene.scale", font_size=20, color=self.muted, scale=fmt(scales[i], 2))
                       .next_to(axes, UP, buff=0.06))
        legend = VGroup(*(self.text(f"batch-norm.variant.{v}", font_size=24, color=colour[v], weight="BOLD")
                          for v in ("bn", "plain"))).arrange(DOWN, aligned_edge=RIGHT, buff=0.1)
        counter_text = lambda e: self.text("batch-norm.scene.epoch_counter", font_size=22, color=self.muted,  # noqa: E731
                                           epoch=e, last=last)
        counter = counter_text(last)
        header = VGroup(counter, legend).arrange(RIGHT, buff=0.6, aligned_edge=DOWN).to_corner(UP + RIGHT, buff=0.35)
        counter.become(counter_text(0).move_to(counter, aligned_edge=LEFT))
        frames = VGroup(*cells)
        grid_axes = self.text("batch-norm.scene.grid_axes", font_size=20, color=self.muted, epochs=last)
        grid_axes.next_to(labels, UP, buff=0.22).align_to(cells[0], LEFT)
        with self.narration("batch-norm.sub.scales_intro", n=n, hi=fmt(scales.max(), 2), lo=fmt(scales.min(), 2),
                            epochs=last):
            self.park_title(self.title_card("batch-norm.subtitle.scales", n=n), FadeIn(frames), FadeIn(labels),
                            FadeIn(grid_axes))
            self.play(FadeIn(legend), FadeIn(counter), run_time=0.6)

        lines = {v: VGroup(*(polyline(cells[i], epochs[:1], curves[v][i, :1], color=colour[v], stroke_width=3)
                             for i in range(n))) for v in ("plain", "bn")}
        self.add(lines["plain"], lines["bn"])

        def show(k):   # epoch k: every cell's two curves up to it, and the counter
            upto = max(k + 1, 2)
            for v in ("plain", "bn"):
                for i in range(n):
                    lines[v][i].become(polyline(cells[i], epochs[:upto], curves[v][i, :upto], color=colour[v],
                                                stroke_width=3))
            counter.become(counter_text(int(epochs[k])).move_to(counter, aligned_edge=LEFT))

        with self.narration("batch-norm.sub.scales_race", epochs=last):
            self.step_through(len(epochs), self.race_seconds, show)

        # what the claims hold, on the lecture's seed (and on every seed, as the narration says)
        at_chance = np.flatnonzero(curves["plain"][:, -1] < CHANCE)
        marks = VGroup(*(Dot(cells[i].c2p(last, curves["plain"][i, -1]), radius=0.07, color=colour["plain"])
                         for i in at_chance))
        chance = dict(k=len(at_chance), n=n, chance=fmt(CHANCE, 2), learns=fmt(LEARNS, 2), seeds=seeds,
                      bn_lowest=accuracy(curves["bn"][:, -1].min()))
        with self.narration("batch-norm.sub.scales_chance", **chance):
            self.play(FadeIn(marks, lag_ratio=0.05), run_time=1.2)
            self.play(*(lines["bn"][i].animate.set_stroke(width=5) for i in range(n)), run_time=0.8)
            self.play(*(lines["bn"][i].animate.set_stroke(width=3) for i in range(n)), run_time=0.6)

        higher = np.flatnonzero(curves["bn"][:, -1] > curves["plain"][:, -1])
        ahead = VGroup(*(SurroundingRectangle(VGroup(cells[i], labels[i]), color=colour["bn"], buff=0.04,
                                              stroke_width=3) for i in higher))
        with self.narration("batch-norm.sub.scales_bn_higher", k=len(higher), n=n, seeds=seeds):
            self.play(FadeOut(marks), Create(ahead, lag_ratio=0.05), run_time=1.5)
            self.wait(1.0)

        he = float(np.sqrt(2 / int(str(res.settings["hidden"]).split(",")[0])))   # He's std for the hidden layers
        near = [int(np.argmin(np.abs(np.log(scales) - np.log(v)))) for v in (2 * he, he)]
        behind = VGroup(*(SurroundingRectangle(VGroup(cells[i], labels[i]), color=colour["plain"], buff=0.04,
                                               stroke_width=5) for i in near))
        near_he = dict(a=fmt(scales[near[0]], 2), b=fmt(scales[near[1]], 2),
                  plain_a=accuracy(curves["plain"][near[0], -1]), bn_a=accuracy(curves["bn"][near[0], -1]),
                  plain_b=accuracy(curves["plain"][near[1], -1]), bn_b=accuracy(curves["bn"][near[1], -1]))
        with self.narration("batch-norm.sub.scales_near_he", **near_he):
            self.play(FadeOut(ahead), Create(behind), run_time=1.2)
            self.wait(1.5)

        # the final accuracies against the scale: every cell's last point flies to its place
        summary = Axes(x_range=(0, 4, 1), y_range=(0, 1.05, 0.25), x_length=10.4, y_length=4.3, tips=False,
                       axis_config={"color": self.muted, "font_size": AXIS_NUMBERS},
                       y_axis_config={"include_numbers": True, "decimal_number_config": {"num_decimal_places": 2}})
        summary.move_to([0.45, -0.55, 0])
        ticks = VGroup(*(self.plain(fmt(10.0 ** -k, 2), font_size=22, color=self.muted)
                         .next_to(summary.c2p(k, 0), DOWN, buff=0.18) for k in range(5)))
        x_name = self.text("batch-norm.scene.scale_axis", font_size=24, color=self.muted)
        x_name.next_to(ticks, DOWN, buff=0.15)
        y_name = self.text("batch-norm.scene.final_axis", font_size=24, color=self.muted, epochs=last)
        y_name.next_to(summary.c2p(0, 1), UP, buff=0.2).align_to(summary.y_axis, LEFT)
        xs = -np.log10(scales)
        bars = VGroup(*(Line(summary.c2p(x, finals[v][:, i].min()), summary.c2p(x, finals[v][:, i].max()),
                             color=colour[v], stroke_width=6, stroke_opacity=0.55)
                        for v in ("plain", "bn") for i, x in enumerate(xs)))
        joined = VGroup(*(polyline(summary, xs, curves[v][:, -1], color=colour[v], stroke_width=3) for v in ("plain", "bn")))
        dots = {v: VGroup(*(Dot(cells[i].c2p(last, curves[v][i, -1]), radius=0.06, color=colour[v]) for i in range(n)))
                for v in ("plain", "bn")}
        self.add(dots["plain"], dots["bn"])
        with self.narration("batch-norm.sub.scales_summary", epochs=last, seeds=seeds):
            self.play(*(d.animate.move_to(summary.c2p(x, curves[v][i, -1])).scale(1.4)
                        for v in ("plain", "bn") for i, (d, x) in enumerate(zip(dots[v], xs))),
                      FadeOut(VGroup(*cells, labels, lines["plain"], lines["bn"], behind, counter, grid_axes)),
                      FadeIn(VGroup(summary, ticks, x_name, y_name)), run_time=2.0)
            self.play(Create(joined), FadeIn(bars), run_time=1.2)
            self.bring_to_front(dots["plain"], dots["bn"])

        largest = int(np.argmax(scales))
        best = int(np.argmax(curves["bn"][:, -1]))
        depends = dict(large=accuracy(curves["bn"][largest, -1]), best=accuracy(curves["bn"][best, -1]),
                       scale=fmt(scales[largest], 2), best_scale=fmt(scales[best], 2), seeds=seeds)
        # the readouts in the part of the plot the curves leave free: between the peaks, above the flat line
        free = summary.c2p(2.15, 0.5)
        free_width = summary.c2p(3.15, 0)[0] - summary.c2p(1.15, 0)[0]
        readout = self.wrapped(self.t("batch-norm.scene.depends_line", **depends), free_width, font_size=24,
                               color=colour["bn"], aligned_edge=LEFT)
        readout.move_to(free + UP * 0.85)
        with self.narration("batch-norm.sub.scales_depends", **depends):
            self.play(FadeIn(readout), Indicate(dots["bn"][largest], scale_factor=1.8, color=self.ink), run_time=1.5)
            self.wait(1.0)

        moved = np.asarray(res["seeds/weight_change/bn"], dtype=float)          # (seed, scale)
        small = int(np.argmin(np.abs(np.log(scales) - np.log(SMALL_SCALE))))
        why = dict(large=f"{fmt(100 * moved[0, largest], 2)}%", small=f"{fmt(100 * moved[0, small], 2)}%",
                   scale=fmt(scales[largest], 2), small_scale=fmt(scales[small], 2), seeds=seeds)
        lines_why = VGroup(*(self.wrapped(self.t(key, **why), free_width, font_size=22, color=self.ink,
                                          aligned_edge=LEFT)
                             for key in ("batch-norm.scene.why_line", "batch-norm.scene.moved_line")))
        lines_why.arrange(DOWN, aligned_edge=LEFT, buff=0.2).next_to(readout, DOWN, buff=0.3).align_to(readout, LEFT)
        with self.narration("batch-norm.sub.scales_why", **why):
            self.play(FadeIn(lines_why[0]), run_time=0.8)
            self.wait(2.5)
            self.play(FadeIn(lines_why[1]), run_time=0.8)
            self.wait(1.5)
