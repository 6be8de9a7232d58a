"""Which of a project's source files a module can reach through its imports (standard library only).

One implementation for everything that asks "what code does this output depend on?": the engine's
result fingerprints (``engine.core.Experiment.source_fingerprint``, restricted to ``engine``) and the
build's stamps (``builder.stamps``, over all of the project's packages).

A module reaches the modules it imports, at any level of its file (a function's lazy import counts),
in every spelling Python runs: ``import a.b``, ``from a import b`` (``b`` may be a submodule),
``from .b import c`` and ``from .. import d`` (relative to the importing module), and
``__import__("a.b")`` / ``importlib.import_module("a.b")`` / ``import_module("a.b")`` with a literal
name.  Importing ``a.b`` runs ``a/__init__.py`` first, so a package's ``__init__`` is reached with any
of its modules.  Names outside ``packages`` (the standard library, third-party packages) are not
followed.  A name built at run time (``import_module(f"engine.{name}")``) cannot be seen; the code
that needs one (``engine.load_experiments``) is infrastructure that imports every topic anyway.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import Callable, Iterable

DYNAMIC_IMPORTERS = {"__import__", "import_module"}  # also as importlib.import_module


def module_file(root: Path, module: str) -> Path | None:
    """The file of ``module`` (``a/b.py`` or ``a/b/__init__.py`` under ``root``), if it is there."""
    base = Path(root) / module.replace(".", "/")
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _literal_call(node: ast.Call) -> str | None:
    """The module a literal ``__import__("x")`` / ``importlib.import_module("x")`` call names."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if name not in DYNAMIC_IMPORTERS or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value:
        return first.value
    return None


@functools.lru_cache(maxsize=None)
def _imports(module: str, path: Path, mtime_ns: int) -> tuple[str, ...]:
    """The module names the file of ``module`` imports (each imported name also as a possible submodule)."""
    del mtime_ns  # part of the cache key only: an edited file is parsed again
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]

    def absolute(name: str, level: int) -> str:
        base = package[:len(package) - level + 1] if level else []
        return ".".join(base + (name.split(".") if name else []))

    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = absolute(node.module or "", node.level)
            names.append(source)
            names.extend(f"{source}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call):
            name = _literal_call(node)
            if name is not None:
                level = len(name) - len(name.lstrip("."))
                names.append(absolute(name.lstrip("."), level) if level else name)
    return tuple(names)


def imports(module: str, path: Path) -> tuple[str, ...]:
    """The modules the file ``path`` of ``module`` names in its imports."""
    return _imports(module, path, path.stat().st_mtime_ns)


def reach(root: Path, modules: Iterable[str], packages: Iterable[str], exclude: Iterable[str] = (),
          locate: Callable[[str], Path | None] | None = None) -> dict[str, Path]:
    """``modules`` and every module of ``packages`` (top-level names) they can reach through imports,
    with their files: ``{module name: path}``, sorted by name.  A module in ``exclude`` is neither listed
    nor followed.  ``locate(name)`` finds a module's file (default: ``module_file(root, name)``; the
    engine's fingerprints also find modules loaded from elsewhere, by their ``__file__``)."""
    locate = locate or (lambda name: module_file(root, name))
    packages, exclude = frozenset(packages), frozenset(exclude)
    found: dict[str, Path] = {}
    pending = [(module, True) for module in modules]
    while pending:
        module, start = pending.pop()
        if module in found or module in exclude or not (start or module.split(".")[0] in packages):
            continue
        path = locate(module)
        if path is None or path.suffix != ".py":  # not a module (a name imported from one), or not there
            continue
        found[module] = path
        parts = module.split(".")
        pending.extend((".".join(parts[:i]), False) for i in range(1, len(parts)))  # a package's __init__ runs first
        pending.extend((name, False) for name in imports(module, path))
    return dict(sorted(found.items()))
