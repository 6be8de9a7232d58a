"""Chapters 1, 3, 4, 5 and 16: the text chapters' tables, figures and scenes."""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from lecture.text import rows, t
from scenes.text_chapters import AIMilestones, DLProblems, HistoryTable, StatsVsDL

__module_test__ = "text_chapters"

TABLES = {"ai-era.rows": 3, "dl-history.rows": 3,
          "stats-and-dl.terms": 2, "stats-and-dl.models": 3, "dl-problems.rows": 2}


@pytest.mark.parametrize("prefix,cells", TABLES.items())
def test_tables_have_the_same_shape_in_both_languages(prefix, cells):
    ko, en = rows(prefix, "ko"), rows(prefix, "en")
    assert len(ko) == len(en) > 0
    assert all(len(r) == cells for r in ko + en), prefix


def test_history_table_is_the_lectures():
    years = [int(r[0]) for r in rows("dl-history.rows", "ko")]
    assert years == sorted(years) and years[0] == 1943 and years[-1] == 2023 and len(years) == 18
    assert [int(r[0]) for r in rows("ai-era.rows", "en")] == [1956, 1997, 2011, 2016, 2022]
    assert len(t("stats-and-dl.models_header", "ko").split("|")) == 3


@pytest.fixture(autouse=True)
def _scene_env(scene_env):
    pass


@frames_comparison(last_frame=True, base_scene=AIMilestones)
def test_ai_milestones_last_frame(scene):
    AIMilestones.construct(scene)


@frames_comparison(last_frame=True, base_scene=HistoryTable)
def test_history_table_last_frame(scene):
    HistoryTable.construct(scene)


@frames_comparison(last_frame=True, base_scene=StatsVsDL)
def test_stats_vs_dl_last_frame(scene):
    StatsVsDL.construct(scene)


@frames_comparison(last_frame=True, base_scene=DLProblems)
def test_dl_problems_last_frame(scene):
    DLProblems.construct(scene)
