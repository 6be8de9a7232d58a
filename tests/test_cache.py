"""The result cache: hits, misses on settings and code, corrupt entries, atomic writes."""
from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
import warnings

import numpy as np
import pytest
import torch

import engine
from engine import cache, store
from engine.core import REGISTRY, EngineError, resolve_device

engine.load_experiments()

MODULE_TEMPLATE = '''
import torch
from engine.core import experiment

@experiment("{exp_id}", topic="cache-test", seed=3, n=5, scale=1.0)
def run(settings, ctx):
    noise = torch.randn(settings["n"], generator=ctx.generator, dtype=torch.float64)
    return {{"values": noise * settings["scale"] + {offset}, "labels": __import__("numpy").array(["a", "b"])}}
'''


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def temp_experiment(tmp_path, request):
    exp_id = f"cache-test-{request.node.name}".replace("[", "-").replace("]", "").replace("_", "-")
    path = tmp_path / f"cachemod_{abs(hash(exp_id))}.py"
    name = path.stem

    def write(offset: float):
        path.write_text(MODULE_TEMPLATE.format(exp_id=exp_id, offset=offset))
        load_module(path, name)
        return exp_id

    yield write
    REGISTRY.pop(exp_id, None)
    sys.modules.pop(name, None)


def test_hit_returns_stored_result(tmp_path, temp_experiment):
    exp_id = temp_experiment(0.0)
    first, computed1 = cache.compute(exp_id, tmp_path)
    second, computed2 = cache.compute(exp_id, tmp_path)
    assert computed1 and not computed2
    np.testing.assert_array_equal(first["values"], second["values"])
    assert second["labels"].tolist() == ["a", "b"]
    assert cache.status(exp_id, tmp_path) == "fresh"


def test_results_are_reproducible_run_to_run(tmp_path, temp_experiment):
    exp_id = temp_experiment(0.0)
    a, _ = cache.compute(exp_id, tmp_path / "a")
    b, _ = cache.compute(exp_id, tmp_path / "b", force=True)
    np.testing.assert_array_equal(a["values"], b["values"])


def test_changed_setting_is_a_miss(tmp_path, temp_experiment):
    exp_id = temp_experiment(0.0)
    base, _ = cache.compute(exp_id, tmp_path)
    with pytest.warns(cache.CacheWarning, match="stale"):
        scaled, computed = cache.compute(exp_id, tmp_path, overrides={"scale": "2"})
    assert computed
    np.testing.assert_allclose(scaled["values"], 2 * base["values"])
    assert scaled.meta["settings"]["scale"] == 2.0


def test_changed_code_is_a_miss(tmp_path, temp_experiment):
    exp_id = temp_experiment(0.0)
    old, _ = cache.compute(exp_id, tmp_path)
    assert cache.status(exp_id, tmp_path) == "fresh"
    temp_experiment(10.0)  # the experiment's source changes
    assert cache.status(exp_id, tmp_path) == "stale"
    with pytest.warns(cache.CacheWarning, match="stale"):
        new, computed = cache.compute(exp_id, tmp_path)
    assert computed
    assert new.meta["code_fingerprint"] != old.meta["code_fingerprint"]
    np.testing.assert_allclose(new["values"], old["values"] + 10.0)


def test_force_recomputes(tmp_path, temp_experiment):
    exp_id = temp_experiment(0.0)
    cache.compute(exp_id, tmp_path)
    _, computed = cache.compute(exp_id, tmp_path, force=True)
    assert computed


@pytest.mark.parametrize("damage", ["truncate-npz", "garbage-npz", "garbage-json", "missing-npz"])
def test_corrupt_entry_is_recomputed_with_a_warning(tmp_path, temp_experiment, damage):
    exp_id = temp_experiment(0.0)
    good, _ = cache.compute(exp_id, tmp_path)
    npz, meta = tmp_path / f"{exp_id}.npz", tmp_path / f"{exp_id}.json"
    if damage == "truncate-npz":
        npz.write_bytes(npz.read_bytes()[:50])
    elif damage == "garbage-npz":
        npz.write_bytes(b"not a zip file at all" * 10)
    elif damage == "garbage-json":
        meta.write_text("{ this is not json")
    else:
        npz.unlink()
    assert cache.status(exp_id, tmp_path) in ("corrupt", "missing")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again, computed = cache.compute(exp_id, tmp_path)
    assert computed
    if damage != "missing-npz":
        assert any("corrupt" in str(w.message) for w in caught)
    np.testing.assert_array_equal(again["values"], good["values"])
    assert cache.status(exp_id, tmp_path) == "fresh"


def test_loading_never_unpickles(tmp_path):
    """An npz holding a pickled object array is refused, even with a matching checksum."""
    npz = tmp_path / "evil.npz"
    np.savez(npz, payload=np.array([{"a": 1}], dtype=object))
    meta = {"npz_sha256": store._sha256(npz), "arrays": {"payload": {"shape": [1], "dtype": "object"}}}
    (tmp_path / "evil.json").write_text(json.dumps(meta))
    with pytest.raises(store.StoreError):
        store.load("evil", tmp_path)


def test_check_finds_what_load_finds_without_reading_the_arrays(tmp_path, monkeypatch):
    """``store.check`` (render.py's check before it builds) refuses a missing, damaged or mismatched
    result with load's own message, and passes an intact one without decompressing an array."""
    arrays = {"a": np.arange(5.0), "b": np.eye(3)}
    store.save(store.Result(id="r", arrays=arrays, meta={"settings": {}}), tmp_path)
    assert set(store.check("r", tmp_path)["arrays"]) == {"a", "b"}
    # a result with the right checksum whose archive lacks an array the metadata lists
    npz, meta_path = tmp_path / "r.npz", tmp_path / "r.json"
    meta = json.loads(meta_path.read_text())
    np.savez(tmp_path / "other.npz", a=np.arange(5.0))
    (tmp_path / "other.json").write_text(json.dumps({**meta, "npz_sha256": store._sha256(tmp_path / "other.npz")}))
    cases = {"other": "do not match their metadata", "nothing": "no stored result"}
    for result_id, words in cases.items():
        for fn in (store.check, store.load):
            with pytest.raises(store.StoreError, match=words):
                fn(result_id, tmp_path)
    npz.write_bytes(npz.read_bytes()[:-10])
    for fn in (store.check, store.load):
        with pytest.raises(store.StoreError, match="checksum"):
            fn("r", tmp_path)
    meta_path.write_text("{ not json")
    with pytest.raises(store.StoreError, match="damaged"):
        store.check("r", tmp_path)
    store.save(store.Result(id="r", arrays=arrays, meta={"settings": {}}), tmp_path)
    monkeypatch.setattr(np, "load", lambda *a, **k: pytest.fail("check read the arrays"))
    store.check("r", tmp_path)


def test_object_arrays_are_refused_when_computing(tmp_path):
    from engine.core import experiment

    @experiment("cache-test-object", topic="cache-test")
    def bad(settings, ctx):
        return {"x": np.array([object()], dtype=object)}

    try:
        with pytest.raises(EngineError, match="object array"):
            cache.compute("cache-test-object", tmp_path)
    finally:
        REGISTRY.pop("cache-test-object")


def test_interrupted_write_leaves_old_result_and_no_temp_files(tmp_path, temp_experiment, monkeypatch):
    exp_id = temp_experiment(0.0)
    good, _ = cache.compute(exp_id, tmp_path)

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(store.np, "savez_compressed", boom)
    with pytest.raises(KeyboardInterrupt):
        cache.compute(exp_id, tmp_path, force=True)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".py") == [f"{exp_id}.json", f"{exp_id}.npz"]
    np.testing.assert_array_equal(store.load(exp_id, tmp_path)["values"], good["values"])


def test_metadata_fields(tmp_path, temp_experiment):
    exp_id = temp_experiment(0.0)
    result, _ = cache.compute(exp_id, tmp_path)
    meta = json.loads((tmp_path / f"{exp_id}.json").read_text())
    for field in ("topic", "experiment", "settings", "seed", "device", "versions", "wall_time_s",
                  "code_fingerprint", "npz_sha256", "arrays"):
        assert field in meta, field
    assert meta["seed"] == 3 and meta["device"] == "cpu" and meta["versions"]["torch"] == torch.__version__


def test_unknown_setting_and_device_are_clear_errors(tmp_path, temp_experiment):
    exp_id = temp_experiment(0.0)
    with pytest.raises(EngineError, match="no setting 'nope'"):
        cache.compute(exp_id, tmp_path, overrides={"nope": 1})
    with pytest.raises(EngineError, match="unknown device"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(EngineError, match="CUDA"):
            resolve_device("cuda")
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")


def test_changed_helper_module_is_a_miss(tmp_path):
    """Editing an engine module that an experiment uses (not the experiment's own file) marks it stale."""
    helper = tmp_path / "helper.py"
    helper.write_text("SCALE = 1.0\n")
    load_module(helper, "engine._cache_test_helper")
    exp_path = tmp_path / "exp_with_helper.py"
    exp_path.write_text(textwrap.dedent('''
        import torch
        from engine import _cache_test_helper as helper
        from engine.core import experiment

        @experiment("cache-test-helper", topic="cache-test")
        def run(settings, ctx):
            return {"x": torch.ones(3) * helper.SCALE}
    '''))
    try:
        load_module(exp_path, "cache_test_exp_with_helper")
        first, _ = cache.compute("cache-test-helper", tmp_path / "res")
        helper.write_text("SCALE = 2.0\n")
        load_module(helper, "engine._cache_test_helper")
        assert cache.status("cache-test-helper", tmp_path / "res") == "stale"
    finally:
        REGISTRY.pop("cache-test-helper", None)
        sys.modules.pop("engine._cache_test_helper", None)
        sys.modules.pop("cache_test_exp_with_helper", None)


def test_declared_threads_apply_while_the_experiment_runs(tmp_path):
    """``@experiment(..., threads=1)``: one CPU thread inside, the previous number back afterwards (also
    after an error); an experiment that declares none runs with the threads it finds."""
    from engine.core import experiment

    seen = {}

    @experiment("cache-test-one-thread", topic="cache-test", threads=1)
    def one(settings, ctx):
        seen["one"] = torch.get_num_threads()
        return {"x": np.zeros(1)}

    @experiment("cache-test-any-threads", topic="cache-test")
    def any_threads(settings, ctx):
        seen["any"] = torch.get_num_threads()
        return {"x": np.zeros(1)}

    @experiment("cache-test-one-thread-fails", topic="cache-test", threads=1)
    def fails(settings, ctx):
        seen["fails"] = torch.get_num_threads()
        raise RuntimeError("stopped")

    original = torch.get_num_threads()
    torch.set_num_threads(3)  # a number that one thread differs from on any machine
    try:
        cache.compute("cache-test-one-thread", tmp_path)
        assert seen["one"] == 1 and torch.get_num_threads() == 3
        cache.compute("cache-test-any-threads", tmp_path)
        assert seen["any"] == 3
        with pytest.raises(RuntimeError, match="stopped"):
            cache.compute("cache-test-one-thread-fails", tmp_path)
        assert seen["fails"] == 1 and torch.get_num_threads() == 3
    finally:
        torch.set_num_threads(original)
        for exp_id in ("cache-test-one-thread", "cache-test-any-threads", "cache-test-one-thread-fails"):
            REGISTRY.pop(exp_id, None)


@pytest.mark.parametrize("threads", [0, -1, 1.5, True, "1"])
def test_declared_threads_must_be_a_positive_whole_number(threads):
    from engine.core import experiment

    with pytest.raises(EngineError, match="threads"):
        experiment("cache-test-bad-threads", topic="cache-test", threads=threads)
    assert "cache-test-bad-threads" not in REGISTRY
