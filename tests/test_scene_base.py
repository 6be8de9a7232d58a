"""LectureScene: subtitles span the narrated animations, themes set the background, text by key."""
from __future__ import annotations

import pytest
from manim import Circle, Create, tempconfig
from manim.utils.color import ManimColor

from lecture import theme
from scenes.base import LectureScene


class Narrated(LectureScene):
    chapter = 2
    title_key = "activations.title"

    def construct(self):
        with self.narration("activations.sub.intro"):
            self.play(Create(Circle()), run_time=8)
        with self.narration("activations.sub.identity", value="1"):
            self.wait(0.1)  # shorter than the time needed to read it


def render_dry(scene_cls, monkeypatch, **env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with tempconfig({"dry_run": True, "frame_rate": 15, "pixel_height": 90, "pixel_width": 160}):
        scene = scene_cls()
        scene.render()
    return scene


def test_subtitles_span_the_narrated_animations(monkeypatch):
    scene = render_dry(Narrated, monkeypatch, LECTURE_LANG="ko")
    subs = scene.renderer.file_writer.subcaptions
    assert [s.content for s in subs][0].startswith("활성화 함수는")
    first, second = subs
    assert first.start.total_seconds() == pytest.approx(0.0)
    assert first.end.total_seconds() == pytest.approx(8.0, abs=1 / 15)  # one frame
    assert second.start.total_seconds() == pytest.approx(first.end.total_seconds())
    # a short animation is extended so that the subtitle can be read
    assert (second.end - second.start).total_seconds() >= len(second.content) / 12.0 - 1 / 15
    assert "1" in second.content


def test_english_subtitles_have_the_same_timing(monkeypatch):
    korean = render_dry(Narrated, monkeypatch, LECTURE_LANG="ko").renderer.file_writer.subcaptions
    english = render_dry(Narrated, monkeypatch, LECTURE_LANG="en").renderer.file_writer.subcaptions
    assert english[0].content.startswith("An activation function")
    assert [(s.start, s.end) for s in english] == [(s.start, s.end) for s in korean]


@pytest.mark.parametrize("name", ["dark", "light"])
def test_theme_sets_background(monkeypatch, name):
    scene = render_dry(Narrated, monkeypatch, LECTURE_THEME=name)
    assert ManimColor(scene.camera.background_color).to_hex().upper() == theme.THEMES[name]["background"].upper()
    assert scene.ink == theme.THEMES[name]["ink"]


class Labelled(LectureScene):
    def construct(self):
        from manim import Axes, Text

        self.label_color = Text("x").color
        axes = Axes(x_range=(0, 2, 1), y_range=(0, 2, 1), axis_config={"include_numbers": True})
        self.number_color = axes.x_axis.numbers[0].color
        self.add(axes)


def test_light_theme_colours_unstyled_text_and_numbers(monkeypatch):
    from manim import Text

    scene = render_dry(Labelled, monkeypatch, LECTURE_THEME="light")
    ink = ManimColor(theme.THEMES["light"]["ink"])
    assert ManimColor(scene.label_color) == ink and ManimColor(scene.number_color) == ink
    assert ManimColor(Text("y").color) != ink  # defaults restored after the scene
