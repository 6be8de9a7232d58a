"""Chapter 4 — the history table by era, ImageNet error by year, training compute on a log scale: the data
tables (a year and a source per row), the compute arithmetic, the doubling-time fit, claims, scene."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from lecture.text import rows
from scenes.dl_history import DLHistory

__module_test__ = "dl_history"
DATA = Path(__file__).resolve().parents[1] / "lecture" / "data"


def read(name):
    lines = [ln for ln in (DATA / f"{name}.csv").read_text().splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines))


@pytest.mark.parametrize("path", sorted(DATA.glob("*.csv")), ids=lambda p: p.stem)
def test_every_data_table_has_a_value_a_year_and_a_source_per_row(path):
    table = read(path.stem)
    assert table
    for row in table:
        assert row["source"].strip(), row
        assert 1900 < int(row["year"]) < 2030, row
        assert "value" in row


def test_the_loader_refuses_a_row_without_a_source(tmp_path, monkeypatch):
    import engine.facts as facts
    from engine.core import EngineError

    (tmp_path / "bad.csv").write_text("# a comment\nkey,value,year,source\na,1,2000,somewhere\nb,2,2001,\n")
    monkeypatch.setattr(facts, "DATA", tmp_path)
    with pytest.raises(EngineError, match="source"):
        facts.table("bad")


@pytest.fixture(scope="module")
def hist(compute_results):
    return compute_results("dl-history")["dl-history"]


def test_history_table_is_the_lectures(hist):
    years = hist["history/year"]
    assert list(years) == sorted(years) and years[0] == 1943 and years[-1] == 2023 and len(years) == 18
    assert list(hist["history/key"]) == [f"r{int(y)}" for y in years]
    assert len(rows("dl-history.rows", "ko")) == len(rows("dl-history.rows", "en")) == 18
    assert set(hist["history/era"]) == {1, 2, 3, 4}


def test_compute_by_each_rows_method(hist):
    """Recomputed here from the CSV: the reported totals, 6·N·D and chips × peak × days × 86 400 × utilization."""
    util = hist.settings["utilization"]
    by_name = {r["system"]: r for r in read("training_compute")}
    flop = dict(zip(hist["compute/system"], hist["compute/flop"]))
    for name, r in by_name.items():
        if r["method"] in ("reported", "estimate"):
            expected = float(r["value"])
        elif r["method"] == "6ND":
            expected = 6 * float(r["params"]) * float(r["tokens"])
        else:
            expected = float(r["chips"]) * float(r["peak_flops"]) * float(r["days"]) * 86400 * util
        assert flop[name] == pytest.approx(expected), name
    # 6·N·D agrees with the totals the papers report where both are known
    for name in ("GPT-3", "Chinchilla"):
        r = by_name[name]
        assert 6 * float(r["params"]) * float(r["tokens"]) == pytest.approx(float(r["value"]), rel=0.03)
    assert flop["AlexNet"] == pytest.approx(2 * 1.581e12 * 5.5 * 86400 * 0.33)


def test_doubling_time_is_numpys_least_squares(hist):
    slope, intercept = np.polyfit(hist["compute/year"], np.log2(hist["compute/flop"]), 1)
    assert float(hist["fit/doublings_per_year"]) == pytest.approx(slope)
    assert float(hist["fit/doubling_months"]) == pytest.approx(12 / slope)
    np.testing.assert_allclose(np.log2(hist["fit/flop"]), intercept + slope * hist["fit/year"], rtol=1e-9)
    assert float(hist["compute/growth"]) == pytest.approx(hist["compute/flop"].max() / hist["compute/flop"][0])


@pytest.fixture(scope="module")
def pinned():
    from engine.store import load

    return load("dl-history", Path(__file__).parent / "control_data" / "results" / "test_dl_history")


def judged(name, res, **arrays):
    import engine.dl_history as eh
    from engine.store import Result

    return getattr(eh, f"claim_{name}")({"dl-history": Result(res.id, {**res.arrays, **arrays}, res.meta)})


@pytest.mark.parametrize("name", ["error_falls", "compute_doubles_fast"])
def test_claims_hold_on_the_pinned_results(pinned, name):
    assert judged(name, pinned).holds


def test_claims_fail_when_their_premise_is_broken(pinned):
    assert not judged("error_falls", pinned, **{"imagenet/error": pinned["imagenet/error"][::-1].copy()}).holds
    assert not judged("compute_doubles_fast", pinned, **{"fit/doubling_months": np.float64(24.0)}).holds


@pytest.fixture(autouse=True)
def _scene_data(scene_env, scene_results):
    scene_results("dl-history")


@frames_comparison(last_frame=True, base_scene=DLHistory)
def test_dl_history_last_frame(scene):
    DLHistory.construct(scene)
