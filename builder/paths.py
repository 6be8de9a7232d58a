"""Every file and folder the build writes or reads, named once.

Nothing else in the build spells a file name: the planner, the jobs, ``list`` and the report ask
``Paths``.  (The lecture page and the slides player, in ``lecture/``, find the files by the same
rules: ``lecture.page`` reads ``<chNN-topic>/<id>.<lang>.<ext>``, ``lecture.slides`` writes
``slides/chNN.<lang>.html|pdf``; a test checks they agree with ``Paths``.)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIGURE_FORMATS = ("png", "svg", "pdf")  # figures.base.FORMATS, in the order it writes them
DECK_FORMATS = ("pptx", "pdf")


@dataclass(frozen=True)
class Paths:
    out: Path
    lang: str = "ko"
    theme: str = "dark"

    # -- folders
    @property
    def results(self) -> Path:
        return self.out / "results"

    @property
    def stamps(self) -> Path:
        return self.out / ".stamps.json"

    @property
    def logs(self) -> Path:
        return self.out / "logs"

    @property
    def index(self) -> Path:
        """The course page's index in this language (``lecture.page.page_name``: ``index.html`` in
        Korean, ``index.en.html`` in English; both are written on every page build)."""
        return self.out / ("index.html" if self.lang == "ko" else f"index.{self.lang}.html")

    @property
    def video_media(self) -> Path:
        """Manim's media for videos (a folder per scene worker inside)."""
        return self.out / ".manim"

    @property
    def slides_media(self) -> Path:
        return self.out / ".manim-slides"

    @property
    def slides(self) -> Path:
        return self.out / "slides"

    @property
    def decks(self) -> Path:
        """manim-slides' working folder for this language and theme (its decks under ``slides/``)."""
        return self.out / ".manim-slides-decks" / f"{self.lang}-{self.theme}"

    @property
    def deck_outputs(self) -> Path:
        return self.slides / "manim-slides"

    def topic(self, topic) -> Path:
        return self.out / topic.slug

    # -- results
    def result(self, exp_id: str) -> tuple[Path, Path]:
        """The arrays and the metadata (engine.store's names)."""
        return self.results / f"{exp_id}.npz", self.results / f"{exp_id}.json"

    # -- figures
    def figure_stem(self, topic, fig_id: str, lang: str | None = None) -> Path:
        return self.topic(topic) / f"{fig_id}.{lang or self.lang}"

    def figure(self, topic, fig_id: str, lang: str | None = None) -> tuple[Path, ...]:
        stem = self.figure_stem(topic, fig_id, lang)
        return tuple(stem.with_name(f"{stem.name}.{ext}") for ext in FIGURE_FORMATS)

    # -- videos
    def video_stem(self, topic, scene_id: str, lang: str | None = None, theme: str | None = None) -> Path:
        suffix = "" if (theme or self.theme) == "dark" else f".{theme or self.theme}"
        return self.topic(topic) / f"{scene_id}.{lang or self.lang}{suffix}"

    def video(self, topic, scene_id: str, lang: str | None = None, theme: str | None = None) -> tuple[Path, Path]:
        """The mp4 and its srt subtitles."""
        stem = self.video_stem(topic, scene_id, lang, theme)
        return stem.with_name(stem.name + ".mp4"), stem.with_name(stem.name + ".srt")

    def manim_output_name(self, scene_id: str) -> str:
        """The name Manim writes a scene under (no dots: Manim treats a suffix as a file type)."""
        return f"{scene_id}-{self.lang}-{self.theme}"

    def log(self, scene_id: str, kind: str = "video") -> Path:
        extra = {"video": "", "slides": ".slides", "deck": ".deck"}[kind]
        return self.logs / f"{scene_id}.{self.lang}{extra}.log"

    # -- slides
    def sections(self, topic, scene_id: str) -> Path:
        """A scene's section videos, one per narrated step (``lecture.slides.collect_sections``)."""
        return self.slides / topic.slug / f"{scene_id}.{self.lang}"

    def steps(self, topic, scene_id: str) -> Path:
        """The steps of a scene's slides (video, caption), for the chapter's presentation and handout."""
        return self.sections(topic, scene_id) / "steps.json"

    def presentation(self, chapter) -> tuple[Path, Path]:
        """The chapter's HTML presentation and PDF handout (``lecture.slides.write_*``)."""
        stem = f"ch{chapter.number:02d}.{self.lang}"
        return self.slides / f"{stem}.html", self.slides / f"{stem}.pdf"

    @property
    def deck_configs(self) -> Path:
        """Where manim-slides writes its decks: ./slides in Manim's folder."""
        return self.decks / "slides"

    def deck(self, scene_id: str) -> Path:
        """The manim-slides deck of one scene."""
        return self.deck_configs / f"{scene_id}.json"

    def deck_scene_file(self, scene_id: str) -> Path:
        return self.decks / f"{scene_id}_deck.py"

    def chapter_decks(self, chapter) -> tuple[Path, ...]:
        return tuple(self.deck_outputs / f"ch{chapter.number:02d}.{self.lang}.{fmt}" for fmt in DECK_FORMATS)

    def convert_log(self, chapter) -> Path:
        return self.logs / f"ch{chapter.number:02d}.{self.lang}.convert.log"
