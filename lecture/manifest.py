"""The lecture manifest: chapters → topics → experiments, figures and scenes.

This is the one place that says what the lecture contains and in which order.
``render.py`` walks it; nothing here imports torch, manim or matplotlib.

* an experiment is an id registered in ``engine`` (``engine.core.REGISTRY``);
* a figure is ``"figures.<module>:<function>"``; the function takes
  ``(results, lang)`` and returns a matplotlib figure;
* a scene is ``"scenes.<module>:<SceneClass>"``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    id: str                 # file stem, kebab-case
    target: str             # "figures.module:function"
    needs: tuple[str, ...]  # experiment ids


@dataclass(frozen=True)
class SceneSpec:
    id: str                 # the Scene class name, also the video's file stem
    target: str             # "scenes.module:SceneClass"
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    id: str
    chapter: int
    experiments: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    scenes: tuple[SceneSpec, ...] = ()

    @property
    def slug(self) -> str:
        return f"ch{self.chapter:02d}-{self.id}"


@dataclass(frozen=True)
class Chapter:
    number: int
    ko: str
    en: str
    topics: tuple[Topic, ...] = field(default=())

    def title(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


def _topic(id: str, chapter: int, *, experiments=(), figures=(), scenes=()) -> Topic:
    return Topic(id=id, chapter=chapter, experiments=tuple(experiments),
                 figures=tuple(Figure(*f) for f in figures),
                 scenes=tuple(SceneSpec(*s) for s in scenes))


TOPICS: tuple[Topic, ...] = (
    _topic(
        "activations", 2,
        experiments=["activations"],
        figures=[("activation-functions", "figures.activations:activation_functions", ("activations",))],
        scenes=[("ActivationFunctions", "scenes.activations:ActivationFunctions", ("activations",))],
    ),
    # <issue-3 topics: gradient-descent (ch 7), optimizers, lr-decay (ch 11)>
    # <issue-4 topics: vanishing-gradients, weight-init, iris-mlp (ch 11)>
    # <issue-5 topics: batch-norm (ch 13)>
)

_TITLES = (
    (1, "인공지능의 시대", "The age of AI"),
    (2, "신경망", "Neural networks"),
    (3, "머신러닝", "Machine learning"),
    (4, "딥러닝의 역사", "History of deep learning"),
    (5, "통계학과 딥러닝", "Statistics and deep learning"),
    (6, "회귀모형", "Regression"),
    (7, "최적화 방법", "Optimization"),
    (8, "로지스틱 회귀모형과 소프트맥스 회귀모형", "Logistic and softmax regression"),
    (9, "다층신경망", "Multilayer networks"),
    (10, "신경망의 학습", "Training networks"),
    (11, "딥러닝 학습의 제 문제", "Problems in training"),
    (12, "편의와 분산", "Bias and variance"),
    (13, "배치 정규화", "Batch normalization"),
    (14, "하이퍼파라미터의 최적화와 전이학습", "Hyperparameters and transfer learning"),
    (15, "구글 Colaboratory", "Google Colaboratory"),
    (16, "딥러닝의 문제점", "Problems of deep learning"),
)

CHAPTERS: tuple[Chapter, ...] = tuple(
    Chapter(n, ko, en, tuple(t for t in TOPICS if t.chapter == n)) for n, ko, en in _TITLES
)

_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def topic(topic_id: str) -> Topic:
    for t in TOPICS:
        if t.id == topic_id:
            return t
    raise KeyError(topic_id)


def select(only: str | None) -> list[Topic]:
    """Topics named by ``--only`` (topic ids or chapter numbers, comma-separated), in lecture order.

    Raises ``ValueError`` naming the first unknown entry.
    """
    if not only:
        return list(TOPICS)
    chosen: set[str] = set()
    for raw in only.split(","):
        item = raw.strip()
        if not item:
            continue
        if item.isdigit():
            number = int(item)
            if not 1 <= number <= len(CHAPTERS):
                raise ValueError(f"there is no chapter {number} (chapters are 1–{len(CHAPTERS)})")
            chosen.update(t.id for t in CHAPTERS[number - 1].topics)
        elif any(t.id == item for t in TOPICS):
            chosen.add(item)
        else:
            raise ValueError(f"unknown topic or chapter '{item}'")
    return [t for t in TOPICS if t.id in chosen]


def validate() -> list[str]:
    """Problems with the manifest itself (empty when it is sound)."""
    problems = []
    seen: set[str] = set()
    for t in TOPICS:
        if not _KEBAB.match(t.id):
            problems.append(f"topic id '{t.id}' is not lowercase kebab-case")
        if t.id in seen:
            problems.append(f"topic id '{t.id}' is listed twice")
        seen.add(t.id)
        if not 1 <= t.chapter <= len(_TITLES):
            problems.append(f"topic '{t.id}' names chapter {t.chapter}")
        for f in t.figures:
            if not _KEBAB.match(f.id):
                problems.append(f"figure id '{f.id}' is not kebab-case")
            for need in f.needs:
                if need not in t.experiments:
                    problems.append(f"figure '{f.id}' needs '{need}', which topic '{t.id}' does not list")
        for s in t.scenes:
            for need in s.needs:
                if need not in t.experiments:
                    problems.append(f"scene '{s.id}' needs '{need}', which topic '{t.id}' does not list")
    return problems
