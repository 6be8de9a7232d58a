"""Chapter 3: the text chapter's tables and scene."""
from __future__ import annotations

import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from lecture.text import rows
from scenes.text_chapters import MLComponents

__module_test__ = "text_chapters"

TABLES = {"machine-learning.rows": 2, "machine-learning.kinds": 2}


@pytest.mark.parametrize("prefix,cells", TABLES.items())
def test_tables_have_the_same_shape_in_both_languages(prefix, cells):
    ko, en = rows(prefix, "ko"), rows(prefix, "en")
    assert len(ko) == len(en) > 0
    assert all(len(r) == cells for r in ko + en), prefix


@pytest.fixture(autouse=True)
def _scene_env(scene_env):
    pass


@frames_comparison(last_frame=True, base_scene=MLComponents)
def test_ml_components_last_frame(scene):
    MLComponents.construct(scene)
