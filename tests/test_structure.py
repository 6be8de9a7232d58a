"""Topics stay topics: a topic is its own modules (engine/<topic>.py, figures/<topic>.py,
scenes/<topic>.py) plus strings; what several topics share lives in a shared module, never in
another topic's module.  Read from the source with ``ast`` (nothing is imported)."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("engine", "scenes", "figures")

# The modules that are no topic's: each package's shared helpers.  Every other module is a topic module.
SHARED = {
    "engine": {"__init__", "core", "cache", "store", "files", "codegraph", "data", "facts", "nets", "settings", "activation_functions",
               "stacked_mlp", "optim_paths", "overfit_setup", "claims"},
    "scenes": {"__init__", "base", "runner", "slides_bridge",
               "contours", "coordinates", "traces", "pieces"},
    "figures": {"__init__", "base", "fonts", "paths", "run_curves", "smoothing", "training_panels"},
}


def modules(package: str) -> list[str]:
    return sorted(p.stem for p in (ROOT / package).glob("*.py"))


def topic_modules(package: str) -> list[str]:
    return [m for m in modules(package) if m not in SHARED[package]]


def imported_modules(package: str, module: str) -> set[tuple[str, str]]:
    """``(package, module)`` of every project module that ``package/module.py`` imports, anywhere in it
    (``import scenes.x``, ``from scenes.x import y``, ``from scenes import x``, ``from .x import y``,
    ``from . import x``)."""
    tree = ast.parse((ROOT / package / f"{module}.py").read_text(encoding="utf-8"))
    found: set[tuple[str, str]] = set()

    def add(dotted: str, names: list[str]) -> None:
        parts = dotted.split(".")
        if parts[0] not in PACKAGES:
            return
        if len(parts) >= 2:
            found.add((parts[0], parts[1]))
        else:  # ``from scenes import x``: x may be a module of the package
            found.update((parts[0], n) for n in names if n in modules(parts[0]))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, [])
        elif isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names]
            if node.level:  # relative to the package (no sub-packages here)
                add(f"{package}.{node.module}" if node.module else package, names)
            elif node.module:
                add(node.module, names)
    return found


def crossings(package: str) -> list[str]:
    """``a/x.py imports b/y`` for every topic module x of ``package`` that imports another topic's module y
    (of any package), and for every shared module that imports a topic module."""
    bad = []
    for module in modules(package):
        shared = module in SHARED[package]
        for other_package, other in sorted(imported_modules(package, module)):
            if other in SHARED[other_package]:
                continue
            if shared or other != module:
                bad.append(f"{package}/{module}.py imports {other_package}.{other}")
    return bad


def test_the_shared_lists_name_existing_modules():
    for package in PACKAGES:
        assert SHARED[package] <= set(modules(package)), f"{package}: {SHARED[package] - set(modules(package))}"


def test_the_engine_knows_its_shared_modules():
    """``engine.load_experiments`` imports the topic modules: the same split as here."""
    import engine

    assert engine.INFRASTRUCTURE | {"__init__"} == SHARED["engine"]
    assert engine.topic_modules() == topic_modules("engine")


def test_the_check_sees_every_kind_of_import(tmp_path, monkeypatch):
    """A module that imports other topics in each way the packages use is caught for each."""
    fake = tmp_path / "scenes"
    fake.mkdir()
    for name in ("base", "a", "b", "c", "d", "e"):
        (fake / f"{name}.py").write_text("", encoding="utf-8")
    (fake / "a.py").write_text("import scenes.b\nfrom scenes.c import f\nfrom scenes import d, base\n"
                               "def g():\n    from .e import h\n", encoding="utf-8")
    (fake / "base.py").write_text("from . import b\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setitem(SHARED, "scenes", {"base"})
    assert crossings("scenes") == ["scenes/a.py imports scenes.b", "scenes/a.py imports scenes.c",
                                   "scenes/a.py imports scenes.d", "scenes/a.py imports scenes.e",
                                   "scenes/base.py imports scenes.b"]


@pytest.mark.parametrize("package", ["engine", "scenes", "figures"])
def test_no_topic_imports_another_topic(package):
    assert crossings(package) == []
