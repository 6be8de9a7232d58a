"""Chapter 1 — the milestones at their years and ImageNet's winning error: data table, numbers, claims, scene."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from lecture.text import rows
from scenes.ai_era import AIMilestones

__module_test__ = "ai_era"
DATA = Path(__file__).resolve().parents[1] / "lecture" / "data"


@pytest.fixture(scope="module")
def era(compute_results):
    return compute_results("ai-era")["ai-era"]


def test_milestones_are_the_lectures_with_a_source_each(era):
    import csv

    lines = [ln for ln in (DATA / "ai_milestones.csv").read_text().splitlines() if ln and not ln.startswith("#")]
    table = list(csv.DictReader(lines))
    assert [int(r["value"]) for r in table] == [1956, 1997, 2011, 2016, 2022]
    assert all(r["source"].strip() and r["cite"].strip() for r in table)
    np.testing.assert_array_equal(era["milestones/year"], [float(r["value"]) for r in table])
    # every milestone has its text, in both languages
    assert len(rows("ai-era.rows", "ko")) == len(rows("ai-era.rows", "en")) == len(table)


def test_gaps_and_imagenet_numbers(era):
    np.testing.assert_array_equal(era["milestones/gap"], np.diff(era["milestones/year"]))
    error, years, human = era["imagenet/error"], era["imagenet/year"], float(era["imagenet/human"])
    assert list(years) == sorted(years) and years[0] == 2010 and years[-1] == 2017
    assert float(era["imagenet/first_below_human"]) == min(y for y, e in zip(years, error) if e < human) == 2015
    assert float(era["imagenet/fold"]) == pytest.approx(error[0] / error[-1])


@pytest.fixture(scope="module")
def pinned():
    from engine.store import load

    return load("ai-era", Path(__file__).parent / "control_data" / "results" / "test_ai_era")


def judged(name, res, **arrays):
    import engine.ai_era as ea
    from engine.store import Result

    return getattr(ea, f"claim_{name}")({"ai-era": Result(res.id, {**res.arrays, **arrays}, res.meta)})


@pytest.mark.parametrize("name", ["error_below_human", "gaps_shrink"])
def test_claims_hold_on_the_pinned_results(pinned, name):
    assert judged(name, pinned).holds


def test_claims_fail_when_their_premise_is_broken(pinned):
    error = pinned["imagenet/error"].copy()
    error[-1] = 6.0                                     # a last winner above the human reference
    assert not judged("error_below_human", pinned, **{"imagenet/error": error}).holds
    assert not judged("gaps_shrink", pinned, **{"milestones/gap": pinned["milestones/gap"][::-1].copy()}).holds


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("ai-era")


@frames_comparison(last_frame=True, base_scene=AIMilestones)
def test_ai_milestones_last_frame(scene):
    AIMilestones.construct(scene)
