"""Chapter 14 — transfer learning: what the network pre-trained on the digits 0–4 sees, then accuracy from
k = 1, 5, 10, 50 examples per class for three ways of training (last layer, all layers, from scratch) on new
images of the same digits and on new digits; one-shot and few-shot learning by nearest class mean on the
pre-trained features; zero-shot learning explained in words (the digits carry no class descriptions).

Reads the stored ``transfer-learning`` result; nothing is trained here.
"""
from __future__ import annotations

import contextlib

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
    Group,
    ImageMobject,
    Line,
    Rectangle,
    Transform,
    VGroup,
    DashedLine,
    there_and_back,
)

from lecture import theme
from lecture.text import fmt, t

from scenes.base import AXIS_NUMBERS, LectureScene, Retext, dashed_polyline, polyline
from scenes.coordinates import affine, framed_axes
from scenes.traces import swatch

ROLES = {"head": "transfer-head", "all": "transfer-all", "scratch": "scratch"}
NCM_ROLES = {"features": "ncm-features", "pixels": "ncm-pixels"}
# five digits, five colours of the palette (the digit is also written beside its colour in the legend)
DIGIT_COLOURS = [theme.OKABE_ITO[name] for name in ("blue", "orange", "green", "purple", "sky")]


def _rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    return np.array([int(colour[i:i + 2], 16) for i in (0, 2, 4)], dtype=float)


def weight_rgba(w: np.ndarray, background: str) -> np.ndarray:
    """A filter's weights as an RGBA image: positive towards the weight-pos colour, negative towards weight-neg,
    zero the background; |w| scaled by its 98th percentile (clipped above), then raised to the power 0.6."""
    w = np.asarray(w, dtype=float)
    v = np.clip(w / max(float(np.quantile(np.abs(w), 0.98)), 1e-12), -1, 1)
    v = (np.sign(v) * np.abs(v) ** 0.6)[..., None]       # the small weights visible too (a monotone scale)
    bg, pos, neg = _rgb(background), _rgb(theme.color("weight-pos")), _rgb(theme.color("weight-neg"))
    rgb = np.where(v >= 0, bg + (pos - bg) * v, bg + (neg - bg) * (-v))
    alpha = np.full(v.shape, 255.0)
    return np.concatenate([rgb, alpha], axis=-1).round().astype(np.uint8)


def digit_rgba(x: np.ndarray, ink: str, background: str) -> np.ndarray:
    v = np.clip(np.asarray(x, dtype=float), 0, 1)[..., None]
    bg, fg = _rgb(background), _rgb(ink)
    rgb = bg + (fg - bg) * v
    return np.concatenate([rgb, np.full(v.shape, 255.0)], axis=-1).round().astype(np.uint8)


def classes_text(values) -> str:
    values = [int(v) for v in values]
    if values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}–{values[-1]}"
    return ", ".join(str(v) for v in values)


class TransferLearning(LectureScene):
    """Pre-trained features; k-shot accuracy of three strategies on a similar and a dissimilar task; nearest class
    mean; zero-shot in words."""

    chapter = 14
    title_key = "transfer-learning.title"

    @contextlib.contextmanager
    def cue(self, key: str, pulse=(), **values):
        """``narration(key)``; where its animations end before the cue is read (in the slower of the two
        languages), the mobjects of ``pulse`` swell and settle in turn, so that no frame is held longer than
        the video check allows."""
        with self.narration(key, **values):
            start = self.time
            yield
            reading = max(len(t(key, lang, **values)) / cps for lang, cps in self.reading_chars_per_second.items())
            left, turn = reading - (self.time - start) - 2.2, 0
            while left > 0 and pulse:
                self.play(pulse[turn % len(pulse)].animate(rate_func=there_and_back).scale(1.25), run_time=0.9)
                left, turn = left - 0.9, turn + 1

    def image(self, rgba: np.ndarray, height: float) -> ImageMobject:
        img = ImageMobject(rgba)
        img.height = height
        return img

    def shot_axes(self, shots, width: float, height: float):
        """Accuracy (0–1) against k on a log scale, framed, with the k values as the x numbers."""
        lo, hi = np.log10(shots[0]) - 0.12, np.log10(shots[-1]) + 0.12
        axes, frame = framed_axes((lo, hi, 1), (0, 1, 0.5), width, height, (), (0, 0.5, 1), color=self.muted)
        labels = VGroup(*(self.tex(str(k), font_size=AXIS_NUMBERS, color=self.muted)
                          .next_to(axes.c2p(np.log10(k), 0), DOWN, buff=0.1) for k in shots))
        frame.add(labels)
        return axes, frame

    def plane_panel(self, xy: np.ndarray, y: np.ndarray, size: float, centre):
        """A principal plane's points, coloured by class, in a square frame at ``centre`` that contains them."""
        xy = np.asarray(xy, dtype=float)
        span = np.abs(xy).max(0) * 1.08 + 1e-9
        axes, frame = framed_axes((-span[0], span[0], span[0]), (-span[1], span[1], span[1]), size, size, (), (),
                                  color=self.muted)
        VGroup(axes, frame).move_to(centre)
        points = affine(axes)(xy[:, 0], xy[:, 1])
        dots = VGroup(*(Dot(p, radius=0.045, color=DIGIT_COLOURS[int(c) % len(DIGIT_COLOURS)]) for p, c in zip(points, y)))
        return axes, frame, dots

    def summary_grid(self, res, mean, ncm, tasks, strategies, spaces, shots) -> VGroup:
        """Rows: the smallest and the largest k; columns: high and low similarity; in each cell the best of the
        three strategies and the nearest class mean on the features, its accuracy, and the slide's advice."""
        cell_w, cell_h, head_w = 4.7, 1.45, 2.3
        methods = [*((st, mean[:, i]) for i, st in enumerate(strategies)), ("ncm", ncm[:, spaces.index("features")])]
        left = -(head_w + 2 * cell_w) / 2
        col_x = [left + head_w + (c + 0.5) * cell_w for c in range(2)]
        names = {"high": classes_text(res["source_classes"]), "low": classes_text(res["target_classes"])}
        grid = VGroup()
        grid.cells = []
        for c, (sim, task) in enumerate((("high", "similar"), ("low", "new"))):
            head = self.wrapped(self.t(f"transfer-learning.scene.grid_{sim}", classes=names[sim]), cell_w - 0.1,
                                font_size=24, color=self.ink)
            head.move_to(RIGHT * col_x[c] + UP * (cell_h + 0.35))
            grid.add(head)
        for r, (size, j) in enumerate((("small", 0), ("large", len(shots) - 1))):
            row_head = self.wrapped(self.t("transfer-learning.scene.grid_row", k=shots[j]), head_w - 0.3,
                                    font_size=24, color=self.ink)
            row_head.move_to(RIGHT * (left + head_w / 2) + UP * (0.5 - r) * cell_h)
            grid.add(row_head)
            for c, (sim, task) in enumerate((("high", "similar"), ("low", "new"))):
                ti = tasks.index(task)
                name, values = max(methods, key=lambda m: m[1][ti, j])
                role = ROLES.get(name, NCM_ROLES["features"])
                label = self.t(f"transfer-learning.strategy.{name}") if name in ROLES else \
                    self.t("transfer-learning.scene.ncm_features")
                box = Rectangle(width=cell_w, height=cell_h, stroke_color=self.muted, stroke_width=2)
                box.move_to(RIGHT * col_x[c] + UP * (0.5 - r) * cell_h)
                best = self.wrapped(self.t("transfer-learning.scene.grid_best", way=label, acc=fmt(values[ti, j], 2)),
                                    cell_w - 0.3, font_size=22, color=theme.color(role))
                advice = self.wrapped(self.t("transfer-learning.scene.grid_slide",
                                             advice=self.t(f"transfer-learning.table.{size}_{sim}")),
                                      cell_w - 0.3, font_size=20, color=self.muted)
                inside = VGroup(best, advice).arrange(DOWN, buff=0.15).move_to(box)
                grid.add(box, inside)
                grid.cells.append(inside)
        return grid.move_to(DOWN * 0.4)

    def construct(self):
        res = self.result("transfer-learning")
        s = res.settings
        tasks = [str(v) for v in res["tasks"]]
        strategies = [str(v) for v in res["strategies"]]
        spaces = [str(v) for v in res["spaces"]]
        shots = [int(k) for k in res["shots"]]
        mean, ncm = np.asarray(res["mean"]), np.asarray(res["ncm_mean"])
        source, target = classes_text(res["source_classes"]), classes_text(res["target_classes"])
        bg = self.colors["background"]

        # --- the pre-trained network's first layer: its strongest filters
        filters = [self.image(weight_rgba(f, bg), 1.4) for f in np.asarray(res["features/filters"])]
        row = Group(*filters).arrange(RIGHT, buff=0.18).move_to(DOWN * 1.3)  # below the title card
        caption = self.wrapped(self.t("transfer-learning.scene.filters"), 12.0, font_size=24, color=self.ink)
        caption.next_to(row, DOWN, buff=0.3)
        legend_w = VGroup(
            VGroup(swatch(theme.color("weight-pos")), self.text("transfer-learning.scene.weight_pos", font_size=22,
                                                               color=self.ink)).arrange(RIGHT, buff=0.12),
            VGroup(swatch(theme.color("weight-neg")), self.text("transfer-learning.scene.weight_neg", font_size=22,
                                                               color=self.ink)).arrange(RIGHT, buff=0.12),
        ).arrange(RIGHT, buff=0.6).next_to(caption, DOWN, buff=0.3)
        with self.narration("transfer-learning.sub.intro", source=source):
            title = self.park_title(self.title_card(), FadeIn(row, lag_ratio=0.1))
        with self.cue("transfer-learning.sub.pretrain", pulse=filters, source=source, n=int(res["pretrain_size"]),
                      hidden=s["hidden"], layers=s["hidden_layers"], epochs=s["pretrain_epochs"],
                      pre=fmt(float(res["pretrain/holdout_acc"]), 3)):
            self.play(FadeIn(caption), FadeIn(legend_w), run_time=1.0)

        # --- the features on their principal plane: pixels left, pre-trained features right
        size = 4.0
        panels = {}
        for side, key in ((-1, "pixels"), (1, "features")):
            xy = res["features/similar_pixels_xy" if key == "pixels" else "features/similar_xy"]
            axes, frame, dots = self.plane_panel(xy, res["features/similar_y"], size, RIGHT * side * 2.9 + DOWN * 0.55)
            name = self.wrapped(self.t(f"transfer-learning.scene.plane_{key}"), size + 0.6, font_size=24,
                                color=self.ink)
            name.next_to(frame[0], UP, buff=0.15)
            panels[key] = (axes, frame, dots, name)
        digits = VGroup(*(self.plain(str(int(c)), font_size=26, color=DIGIT_COLOURS[i % len(DIGIT_COLOURS)])
                          for i, c in enumerate(res["source_classes"]))).arrange(DOWN, buff=0.22)
        digits.move_to(DOWN * 0.55)
        new_digits = VGroup(*(self.plain(str(int(c)), font_size=26, color=DIGIT_COLOURS[i % len(DIGIT_COLOURS)])
                              for i, c in enumerate(res["target_classes"]))).arrange(DOWN, buff=0.22).move_to(digits)
        plane_title = self.text("transfer-learning.scene.plane_similar", font_size=24, color=self.ink, classes=source)
        plane_title.to_edge(DOWN, buff=0.3)
        with self.cue("transfer-learning.sub.plane", pulse=list(digits), source=source, n=s["plane_per_class"]):
            self.play(FadeOut(row), FadeOut(caption), FadeOut(legend_w),  # one picture gives way to the next
                      *(Create(p[1]) for p in panels.values()), *(FadeIn(p[3]) for p in panels.values()),
                      FadeIn(digits), FadeIn(plane_title), run_time=1.0)
            self.play(*(FadeIn(p[2], lag_ratio=0.01) for p in panels.values()), run_time=1.5)
        # the new digits, on the same two kinds of plane
        moves = []
        for key in ("pixels", "features"):
            axes, frame, dots, _ = panels[key]
            xy = res["features/new_pixels_xy" if key == "pixels" else "features/new_xy"]
            target_dots = self.plane_panel(xy, res["features/new_y"], size, frame[0].get_center())[2]
            moves.append(Transform(dots, target_dots))
        new_title = self.text("transfer-learning.scene.plane_new", font_size=24, color=self.ink, classes=target)
        new_title.move_to(plane_title)
        with self.cue("transfer-learning.sub.plane_new", pulse=list(new_digits), target=target):
            self.play(*moves, *(Retext(a, b) for a, b in zip(digits, new_digits)), Retext(plane_title, new_title),
                      run_time=1.6)

        # --- k-shot accuracy: two tasks, three strategies
        width, height = 5.3, 3.0
        curve_axes, titles = {}, {}
        for col, task in enumerate(("similar", "new")):
            axes, frame = self.shot_axes(shots, width, height)
            VGroup(axes, frame).move_to(RIGHT * (-3.35 if col == 0 else 3.45) + UP * 0.05)
            classes = source if task == "similar" else target
            heading = self.wrapped(self.t(f"transfer-learning.task.{task}", classes=classes), width, font_size=22,
                                   color=self.ink)
            heading.next_to(frame[0], UP, buff=0.15)
            curve_axes[task] = (axes, frame)
            titles[task] = heading
        # the axes' names in one line under both panels (a rotated name would be read sideways)
        x_name = self.text("transfer-learning.scene.axes", font_size=22, color=self.muted,
                           x=self.t("transfer-learning.axis_shots"), y=self.t("transfer-learning.axis_acc"))
        x_name.next_to(VGroup(*(a[1] for a in curve_axes.values())), DOWN, buff=0.12)
        chance = VGroup()
        for task, (axes, frame) in curve_axes.items():
            y = 1 / len(res["target_classes"])
            chance.add(DashedLine(axes.c2p(axes.x_range[0], y), axes.c2p(axes.x_range[1], y), stroke_width=2,
                                  color=self.muted, dash_length=0.08))
            chance.add(self.text("transfer-learning.chance", font_size=20, color=self.muted)
                       .next_to(axes.c2p(axes.x_range[1], y), UP + LEFT, buff=0.08))
        entries = VGroup(*(VGroup(swatch(theme.color(ROLES[st])), self.text(f"transfer-learning.strategy.{st}",
                                                                               font_size=24, color=self.ink))
                           .arrange(RIGHT, buff=0.12) for st in strategies)).arrange(RIGHT, buff=0.5)
        entries.next_to(x_name, DOWN, buff=0.2)
        self.on_screen(entries)
        with self.cue("transfer-learning.sub.strategies", pulse=list(entries)):
            self.play(*(FadeOut(m) for p in panels.values() for m in p), FadeOut(new_digits), FadeOut(new_title),
                      *(Create(a[1]) for a in curve_axes.values()), *(FadeIn(h) for h in titles.values()),
                      FadeIn(x_name), FadeIn(chance), run_time=1.0)
            for entry in entries:
                self.play(FadeIn(entry, shift=0.2 * UP), run_time=0.6)

        xs = np.log10(shots)

        def curve(task, values, role, dashed=False):
            axes = curve_axes[task][0]
            line = polyline(axes, xs, values, color=theme.color(role), stroke_width=5)
            dots = VGroup(*(Dot(axes.c2p(x, v), radius=0.07, color=theme.color(role)) for x, v in zip(xs, values)))
            if dashed:
                line = dashed_polyline(np.asarray([axes.c2p(x, v) for x, v in zip(xs, values)]), 16,
                                       stroke_color=theme.color(role), stroke_width=4)
            return VGroup(line, dots)

        t_sim, t_new = tasks.index("similar"), tasks.index("new")
        s_head, s_all, s_scratch = (strategies.index(n) for n in ("head", "all", "scratch"))
        curves = {(task, st): curve(task, mean[tasks.index(task), strategies.index(st)], ROLES[st])
                  for task in ("similar", "new") for st in strategies}
        small = [j for j, k in enumerate(shots) if k <= 10]
        with self.cue("transfer-learning.sub.similar", k1=shots[0], head=fmt(mean[t_sim, s_head, 0], 2),
                      scratch=fmt(mean[t_sim, s_scratch, 0], 2), seeds=s["seeds"],
                      pulse=[curves[("similar", st)][1][j] for j in small for st in ("head", "scratch")]):
            for st in strategies:
                self.play(Create(curves[("similar", st)]), run_time=0.9)
        with self.cue("transfer-learning.sub.new", k1=shots[0], best=fmt(mean[t_new, :, 0].max(), 2),
                      similar=fmt(mean[t_sim, s_head, 0], 2),
                      pulse=[curves[(task, st)][1][0] for task in ("new", "similar") for st in strategies]):
            for st in strategies:
                self.play(Create(curves[("new", st)]), run_time=0.9)
        k_last = shots[-1]
        with self.cue("transfer-learning.sub.large", k=k_last, sim_head=fmt(mean[t_sim, s_head, -1], 2),
                      sim_scratch=fmt(mean[t_sim, s_scratch, -1], 2), new_head=fmt(mean[t_new, s_head, -1], 2),
                      new_all=fmt(mean[t_new, s_all, -1], 2),
                      pulse=[curves[(task, st)][1][-1] for task in ("new", "similar") for st in strategies]):
            marks = VGroup(*(Dot(curve_axes[task][0].c2p(xs[-1], mean[tasks.index(task), i, -1]), radius=0.13,
                                 stroke_color=self.ink, stroke_width=2, fill_opacity=0)
                             for task in ("similar", "new") for i in range(len(strategies))))
            self.play(Create(marks), run_time=0.8)
            self.play(FadeOut(marks), run_time=0.6)

        # --- nearest class mean on the pre-trained features (and on the pixels)
        one = np.asarray(res["oneshot/x"])
        examples = Group(*(self.image(digit_rgba(img, self.ink, bg), 0.8) for img in one)).arrange(RIGHT, buff=0.12)
        ncm_entries = VGroup(*(VGroup(swatch(theme.color(NCM_ROLES[sp])).set_stroke(width=4),
                                      self.text(f"transfer-learning.scene.ncm_{sp}", font_size=24, color=self.ink))
                               .arrange(RIGHT, buff=0.12) for sp in spaces)).arrange(RIGHT, buff=0.5)
        ncm_entries.move_to(entries)
        ncm_curves = {(task, sp): curve(task, ncm[tasks.index(task), spaces.index(sp)], NCM_ROLES[sp], dashed=True)
                      for task in ("similar", "new") for sp in spaces}
        examples.move_to(curve_axes['similar'][1][0].get_center() + RIGHT * 0.4)
        backing = Rectangle(width=examples.width + 0.4, height=examples.height + 0.4, stroke_color=self.muted,
                            stroke_width=2, fill_color=bg, fill_opacity=1).move_to(examples)
        with self.cue("transfer-learning.sub.ncm", pulse=list(examples), count=len(one), target=target):
            self.play(*(c.animate.set_opacity(0.25) for c in curves.values()), FadeOut(entries),
                      FadeIn(ncm_entries), FadeIn(backing), FadeIn(examples), run_time=0.8)
        m_f, m_p = spaces.index("features"), spaces.index("pixels")
        with self.cue("transfer-learning.sub.ncm_similar", k1=shots[0], features=fmt(ncm[t_sim, m_f, 0], 2),
                      pixels=fmt(ncm[t_sim, m_p, 0], 2), head=fmt(mean[t_sim, s_head, 0], 2),
                      pulse=[ncm_curves[("similar", sp)][1][j] for j in range(len(shots)) for sp in spaces]):
            self.play(FadeOut(backing), FadeOut(examples), run_time=0.6)
            self.play(Create(ncm_curves[("similar", "features")]), run_time=0.9)
            self.play(Create(ncm_curves[("similar", "pixels")]), run_time=0.9)
        with self.cue("transfer-learning.sub.ncm_new", k2=shots[1], features=fmt(ncm[t_new, m_f, 1], 2),
                      pixels=fmt(ncm[t_new, m_p, 1], 2), source=source,
                      pulse=[ncm_curves[("new", sp)][1][j] for j in range(1, len(shots)) for sp in spaces]):
            self.play(Create(ncm_curves[("new", "features")]), run_time=0.9)
            self.play(Create(ncm_curves[("new", "pixels")]), run_time=0.9)

        # --- zero-shot: in words
        zero_title = self.text("transfer-learning.scene.zero_title", font_size=30, color=self.ink, weight="BOLD")
        zero_body = self.wrapped(self.t("transfer-learning.scene.zero_body"), 11.5, font_size=26, color=self.ink,
                                 aligned_edge=LEFT)
        card = VGroup(zero_title, zero_body).arrange(DOWN, buff=0.35, aligned_edge=LEFT).move_to(DOWN * 0.3)
        shown = [m for m in self.mobjects if m is not title]
        with self.cue("transfer-learning.sub.zero", pulse=[zero_title]):
            self.play(*(FadeOut(m) for m in shown), FadeIn(zero_title, shift=0.2 * UP), run_time=0.8)
            self.play(FadeIn(zero_body), run_time=1.0)
        # --- the slide's 2 × 2 (data size × similarity), each cell the computed best way and its accuracy
        grid = self.summary_grid(res, mean, ncm, tasks, strategies, spaces, shots)
        with self.cue("transfer-learning.sub.end", pulse=list(grid.cells)):
            self.play(FadeOut(card), FadeIn(grid), run_time=1.0)
