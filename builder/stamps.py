"""Stamps: what built each output, so that an output is rebuilt exactly when one of its inputs changed.

A job's stamp hashes:

* the code it can reach: the files of every project module its target (a figure function or a scene
  class) and its job function can import, followed through the project's packages
  (``engine.codegraph.reach``: ``import``, ``from … import``, relative imports and literal
  ``__import__``/``importlib.import_module``; the code the engine's result fingerprints use), so that
  editing a module anything of an output's code imports rebuilds the output and nothing else;
* the string files that code names (``string_files``), the topic's shared inputs (``topic_inputs``);
* its settings (language, quality, theme, encoding, stock Manim or the speed-ups) and the checksums of
  the results it draws.

The stamps live in ``OUT/.stamps.json`` (``Stamps``), with how long each job took (the executor starts
the longest first).
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from engine import codegraph
from engine.files import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]
# the project's own code; anything else is a package's (its version is stamped where it matters: Manim)
PACKAGES = ("engine", "figures", "lecture", "scenes", "builder", "manim_speedups")
# the package of speed-ups for Manim: every scene job is stamped with all of it, whatever imports it,
# since it may patch Manim from any of its modules (with --stock-manim: its bug fixes)
SPEEDUPS = "manim_speedups"
# the manifest lists every topic: what an output takes from it (its chapter's titles) is in topic_inputs,
# so that adding a topic or a figure to it rebuilds nothing else
NOT_CODE_INPUTS = frozenset({"lecture.manifest"})
SHARED_INPUTS = (ROOT / "lecture/theme.py", ROOT / "lecture/lecture.mplstyle", ROOT / "lecture/text.py",
                 ROOT / "lecture/strings/common.toml")


def digest(*parts) -> str:
    """A short hash of ``parts``: a ``Path`` by its content (or as missing), anything else by ``str``."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            h.update(part.read_bytes() if part.exists() else b"<missing>")
        else:
            h.update(str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:24]


def module_of(target: str) -> str:
    """``"scenes.activations:ActivationFunctions"`` → ``"scenes.activations"``."""
    return target.split(":")[0]


def module_path(target: str) -> Path:
    """The file of ``target``'s module."""
    path = codegraph.module_file(ROOT, module_of(target))
    if path is None:
        raise FileNotFoundError(f"no module file for {target}")
    return path


def speedup_modules() -> tuple[str, ...]:
    """Every module of the speed-ups package, if this tree has it."""
    folder = ROOT / SPEEDUPS
    if not (folder / "__init__.py").is_file():
        return ()
    return tuple(sorted(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                        for path in folder.rglob("*.py")))


def code_files(*modules: str) -> tuple[Path, ...]:
    """The files of ``modules`` (module names or ``module:name`` targets) and of every project module
    they can reach through imports, directly or through another (the manifest aside:
    ``NOT_CODE_INPUTS``)."""
    reached = codegraph.reach(ROOT, [module_of(m) for m in modules], PACKAGES, exclude=NOT_CODE_INPUTS)
    return tuple(sorted(reached.values()))


def string_files(*modules: str) -> tuple[Path, ...]:
    """The string files (lecture/strings/<topic>.toml) whose keys the code of ``modules`` names: a key
    begins with its file's topic id ("vanishing-gradients.name.sigmoid", also in an f-string), and a
    scene may set another topic's strings (WeightInitHistograms names the activations as vanishing
    gradients does).  A literal that only looks like a key adds a file too many, never one too few."""
    stems = set()
    for path in code_files(*modules):
        stems.update(re.findall(r"""["']([a-z][a-z0-9-]*)\.""", path.read_text(encoding="utf-8")))
    return tuple(sorted(path for stem in stems if (path := ROOT / "lecture" / "strings" / f"{stem}.toml").is_file()))


def code_inputs(*modules: str) -> tuple[Path, ...]:
    """What a job's code is: its reachable files and the string files they name."""
    return (*code_files(*modules), *string_files(*modules))


def topic_inputs(topic) -> tuple:
    """What every output of a topic depends on besides its own code and results: the shared theme
    and text, the topic's strings and its chapter's titles (not other topics' files)."""
    from lecture import manifest

    chapter = manifest.CHAPTERS[topic.chapter - 1]
    return (*SHARED_INPUTS, ROOT / "lecture" / "strings" / f"{topic.id}.toml", chapter.ko, chapter.en)


def result_checksums(paths, needs) -> list[str]:
    """The stored checksum of each result in ``needs`` (``<missing>`` where there is none)."""
    sums = []
    for need in needs:
        try:
            sums.append(json.loads(paths.result(need)[1].read_text())["npz_sha256"])
        except (OSError, ValueError, KeyError):
            sums.append("<missing>")
    return sums


def manim_version() -> str:
    """Manim's version, as ``manim.__version__`` reads it, without importing Manim here (half a second
    of the build's start; the scene workers import it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("manim")
    except PackageNotFoundError:
        return "0.0.0+unknown"


class Stamps:
    """Which inputs built each output: ``OUT/.stamps.json``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.data = {}

    def get(self, key: str) -> str | None:
        return self.data.get(key)

    def fresh(self, key: str, stamp: str, outputs) -> bool:
        return self.data.get(key) == stamp and all(p.exists() and (p.is_dir() or p.stat().st_size > 0)
                                                   for p in outputs)

    def set(self, key: str, stamp: str, seconds: float | None = None) -> None:
        self.data[key] = stamp
        if seconds is not None:
            self.data.setdefault("_seconds", {})[key] = round(seconds, 2)

    def seconds(self, key: str) -> float | None:
        """How long the last build of ``key`` took, if known."""
        return self.data.get("_seconds", {}).get(key)

    def save(self) -> None:
        atomic_write_text(self.path, json.dumps(self.data, indent=1, sort_keys=True))
