"""The lecture's published settings (lecture/reference_settings.toml) against the experiments' defaults, the
figures' disclosure of departures, and the paper profile."""
from __future__ import annotations

import pytest

import engine
from builder.options import Options, UsageError
from lecture import reference


@pytest.fixture(scope="module")
def registry():
    return engine.load_experiments()


def test_every_published_setting_is_the_default_or_a_declared_departure(registry):
    """Changing, say, the slides' momentum 0.9 in engine/optimizers.py fails here."""
    assert len(reference.entries()) >= 60
    for e in reference.entries():
        assert e.experiment in registry, f"{e.experiment}: no such experiment"
        defaults = registry[e.experiment].defaults
        assert e.setting in defaults, f"{e.experiment}.{e.setting}: the experiment declares no such setting"
        expected = e.default if e.departs else e.value
        assert reference.same(defaults[e.setting], expected), (
            f"{e.experiment}.{e.setting} = {defaults[e.setting]!r}, but lecture/reference_settings.toml says "
            f"{expected!r} ({e.source})" + ("" if e.departs else "; a departure needs `default` and `why`"))
        assert e.source
        if e.departs:
            assert e.why, f"{e.experiment}.{e.setting} departs without saying why"
            assert not reference.same(e.default, e.value), f"{e.experiment}.{e.setting}: a 'departure' equal to the value"


def test_a_changed_default_is_caught(registry, monkeypatch):
    """Break it on purpose: momentum 0.8 in the optimizers' defaults."""
    monkeypatch.setitem(registry["optimizers"].defaults, "momentum", 0.8)
    with pytest.raises(AssertionError, match="momentum"):
        test_every_published_setting_is_the_default_or_a_declared_departure(registry)


def test_departures_are_found_and_worded(registry):
    defaults = dict(registry["optimizers-mnist"].defaults)
    found = reference.departures("optimizers-mnist", defaults)
    assert [(e.setting, used) for e, used in found] == [("iterations", 300)]
    assert reference.describe(found, "en") == "Departs from the reference: iterations 300 (Saito ch. 6: 2000)"
    assert "출처와 다른 설정" in reference.describe(found, "ko")
    assert reference.departures("optimizers-mnist", {**defaults, "iterations": 2000}) == []
    # a --set that leaves a published value is a departure too
    assert [e.setting for e, _ in reference.departures("optimizers", {**registry["optimizers"].defaults,
                                                                     "momentum": 0.5})] == ["momentum"]


def test_the_paper_profile_sets_every_departure_to_its_published_value_and_set_wins():
    paper = Options(command="compute", profile="paper", only="optimizers")
    assert paper.overrides_for("optimizers-mnist") == {"iterations": 2000}
    assert paper.overrides_for("batch-norm")["steps"] == 50000
    assert paper.overrides_for("activations") is None
    mine = Options(command="compute", profile="paper", overrides=(("optimizers-mnist", "iterations", "500"),))
    assert mine.overrides_for("optimizers-mnist") == {"iterations": "500"}
    assert Options(command="compute").overrides_for("optimizers-mnist") is None
    with pytest.raises(UsageError, match="--profile must be one of lecture, paper"):
        Options(command="compute", profile="huge")


def test_a_figure_names_the_departures_of_what_it_draws(compute_results):
    from figures.base import new_figure, provenance, style

    res = compute_results("optimizers-mnist", overrides={"optimizers-mnist": {"iterations": 30}})["optimizers-mnist"]
    with style():
        fig = new_figure()
        provenance(fig, [res], "en")
    texts = [t.get_text() for t in fig.texts]
    assert any("Departs from the reference: iterations 30 (Saito ch. 6: 2000)" in s for s in texts), texts
