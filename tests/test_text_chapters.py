"""Chapters 3 and 5: the text chapters' tables and scenes."""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from lecture.text import rows, t
from scenes.text_chapters import MLComponents, StatsVsDL

__module_test__ = "text_chapters"

TABLES = {"machine-learning.rows": 2, "machine-learning.kinds": 2, "stats-and-dl.terms": 2, "stats-and-dl.models": 3}


@pytest.mark.parametrize("prefix,cells", TABLES.items())
def test_tables_have_the_same_shape_in_both_languages(prefix, cells):
    ko, en = rows(prefix, "ko"), rows(prefix, "en")
    assert len(ko) == len(en) > 0
    assert all(len(r) == cells for r in ko + en), prefix


def test_models_header_has_three_columns():
    assert len(t("stats-and-dl.models_header", "ko").split("|")) == 3


@pytest.fixture(autouse=True)
def _scene_env(scene_env):
    pass


@frames_comparison(last_frame=True, base_scene=MLComponents)
def test_ml_components_last_frame(scene):
    MLComponents.construct(scene)


@frames_comparison(last_frame=True, base_scene=StatsVsDL)
def test_stats_vs_dl_last_frame(scene):
    StatsVsDL.construct(scene)
