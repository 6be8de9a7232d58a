"""Every setting of a build in one frozen ``Options``, checked in one place (``Options.__post_init__``).

render.py turns its arguments into one ``Options``; the rest of the build reads nothing else (no
environment variable, no argparse namespace).  A bad value raises ``UsageError``: one line, exit 2.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

COMMANDS = ("list", "compute", "check", "figures", "videos", "page", "slides", "all")
QUALITIES = {"l": "480p15", "m": "720p30", "h": "1080p60", "p": "1440p60", "k": "2160p60"}
LANGS = ("ko", "en")
THEMES = ("dark", "light")
PROFILES = ("lecture", "paper")
DEVICES = ("auto", "cpu", "cuda")
# the commands that render scenes, and so the only ones --stock-manim means anything to
SCENE_COMMANDS = ("videos", "slides", "all")


class UsageError(Exception):
    """Bad input or a missing tool: reported on one line, exit code 2."""


@dataclass(frozen=True)
class Options:
    command: str = "all"
    only: str | None = None
    quality: str = "h"
    lang: str = "ko"
    device: str = "auto"
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    out: Path = Path("build")
    force: bool = False
    theme: str = "dark"
    mnist_dir: Path | None = None
    manim_slides: bool = False
    manim_cache: bool = False
    constant_frame_rate: bool = False
    # (experiment, setting, value as given), from --set EXP.KEY=VALUE
    overrides: tuple[tuple[str, str, str], ...] = ()
    dry_run: bool = False
    stock_manim: bool = False
    # build on although a claim fails (the failure is printed and listed on the lecture page)
    allow_failing_claims: bool = False
    # "lecture": the experiments' defaults; "paper": the published value of every setting the defaults
    # depart from (lecture/reference_settings.toml); a --set still wins
    profile: str = "lecture"

    def __post_init__(self):
        def choose(name: str, choices) -> None:
            if getattr(self, name) not in choices:
                raise UsageError(f"--{name.replace('_', '-')} must be one of {', '.join(choices)}, "
                                 f"got '{getattr(self, name)}'")

        choose("command", COMMANDS)
        choose("quality", tuple(QUALITIES))
        choose("lang", LANGS)
        choose("theme", THEMES)
        choose("device", DEVICES)
        choose("profile", PROFILES)
        if not isinstance(self.jobs, int) or self.jobs < 1:
            raise UsageError("--jobs needs a number ≥ 1")
        object.__setattr__(self, "out", Path(self.out).resolve())
        if self.mnist_dir is not None:
            folder = Path(self.mnist_dir)
            if not folder.is_dir():
                raise UsageError(f"--mnist-dir {self.mnist_dir} is not a folder")
            object.__setattr__(self, "mnist_dir", folder.resolve())
        if self.manim_slides and self.command != "slides":
            raise UsageError("--manim-slides applies to the slides command only")
        if self.stock_manim and self.command not in SCENE_COMMANDS:
            raise UsageError(f"--stock-manim applies to the {', '.join(SCENE_COMMANDS)} commands only")
        if self.allow_failing_claims and self.command not in ("check", "all"):
            raise UsageError("--allow-failing-claims applies to the check and all commands only")
        object.__setattr__(self, "overrides", tuple(tuple(item) for item in self.overrides))
        self.topics  # an unknown topic or chapter is bad input
        from lecture import manifest

        problems = manifest.validate()
        if problems:
            raise UsageError("the lecture manifest is inconsistent: " + "; ".join(problems))
        if self.overrides:
            self.settings()  # checked against the experiments' own declarations

    @property
    def topics(self) -> list:
        """The manifest's topics ``--only`` names, in lecture order."""
        from lecture import manifest

        try:
            return manifest.select(self.only)
        except ValueError as exc:
            raise UsageError(f"{exc}; run `python render.py list` to see them") from None

    def settings(self) -> dict[str, dict]:
        """``{experiment: {setting: value}}`` for the overridden experiments, converted and checked by
        ``engine.core.Experiment.merged_settings`` (the experiment declares its settings)."""
        grouped: dict[str, dict[str, str]] = {}
        for exp, key, value in self.overrides:
            grouped.setdefault(exp, {})[key] = value
        if not grouped:
            return {}
        import engine
        from engine.core import EngineError

        registry = engine.load_experiments()
        for exp, values in grouped.items():
            if exp not in registry:
                raise UsageError(f"--set names an unknown experiment '{exp}'")
            try:
                registry[exp].merged_settings(values)
            except EngineError as exc:
                raise UsageError(str(exc)) from None
        return grouped

    def overrides_for(self, exp: str) -> dict | None:
        """The settings of ``exp`` this build changes: the paper profile's published values, then ``--set``."""
        chosen: dict = {}
        if self.profile == "paper":
            from lecture import reference

            chosen.update(reference.paper_overrides().get(exp, {}))
        chosen.update({key: value for e, key, value in self.overrides if e == exp})
        return chosen or None


def parse_overrides(items) -> tuple[tuple[str, str, str], ...]:
    """``["activations.points=2401"]`` → ``(("activations", "points", "2401"),)``."""
    parsed = []
    for item in items:
        if "=" not in item or "." not in item.split("=", 1)[0]:
            raise UsageError(f"--set needs EXP.KEY=VALUE, got '{item}'")
        lhs, value = item.split("=", 1)
        exp, key = lhs.rsplit(".", 1)
        parsed.append((exp.strip(), key.strip(), value))
    return tuple(parsed)
