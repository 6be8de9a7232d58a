"""The build package: options checked in one place, the code an output can reach, the plan (--dry-run),
settings checked where they are declared, --stock-manim, and file names that agree with lecture/."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from test_cli import ROOT, one_line_error, render

sys.path.insert(0, str(ROOT))

from builder import plan, stamps  # noqa: E402
from builder.options import Options, UsageError  # noqa: E402
from builder.paths import Paths  # noqa: E402
from engine import codegraph  # noqa: E402
from lecture import manifest  # noqa: E402


# --------------------------------------------------------------------------- the code an output can reach
def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_reach_follows_every_spelling_of_an_import(tmp_path):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "import pkg.b\nfrom pkg import c\nfrom .d import thing\n"
                    "def later():\n    from . import e\n",
        "pkg/b.py": "mod = __import__('pkg.f')\n",
        "pkg/c.py": "import importlib\nimportlib.import_module('pkg.g')\n",
        "pkg/d.py": "from importlib import import_module\nthing = import_module('.h', 'pkg')\n",
        "pkg/e.py": "from ..other import x\nimport os, numpy\n",
        "pkg/f.py": "", "pkg/g.py": "", "pkg/h.py": "", "pkg/unused.py": "",
        "pkg/sub/__init__.py": "", "pkg/sub/k.py": "from .. import f\n",
        "other/__init__.py": "x = 1\n",
    })
    reached = set(codegraph.reach(tmp_path, ["pkg.a"], ["pkg", "other"]))
    assert reached == {"pkg", "pkg.a", "pkg.b", "pkg.c", "pkg.d", "pkg.e", "pkg.f", "pkg.g", "pkg.h", "other"}
    assert set(codegraph.reach(tmp_path, ["pkg.sub.k"], ["pkg"])) == {"pkg", "pkg.sub", "pkg.sub.k", "pkg.f"}
    assert set(codegraph.reach(tmp_path, ["pkg.a"], ["pkg"], exclude=["pkg.b"])) == reached - {"pkg.b", "pkg.f", "other"}
    (tmp_path / "pkg" / "h.py").write_text("import pkg.unused\n")  # an edited file is read again
    assert "pkg.unused" in codegraph.reach(tmp_path, ["pkg.a"], ["pkg"])


def videos_reaching() -> dict[str, set[str]]:
    """For every module of the project, the videos (scene ids) whose code can reach it."""
    reaching: dict[str, set[str]] = {}
    for topic in manifest.TOPICS:
        for scene in topic.scenes:
            for path in stamps.code_files(*plan.scene_code(scene.target, plan.SCENE_JOB)):
                reaching.setdefault(str(path.relative_to(ROOT)), set()).add(scene.id)
    return reaching


def test_every_module_of_scenes_is_reached_by_the_videos_that_use_it():
    """Editing any module under scenes/ (or of the speed-ups) rebuilds the videos whose code can reach
    it: each is reached by at least one video (the manim-slides bridge by the decks), the shared ones by
    every video (glyph_tex, which builds every formula, is loaded by manim_speedups.enable through
    import_module), a topic's module by its own videos and those of the scenes that import it only."""
    reaching = videos_reaching()
    every = {scene.id for topic in manifest.TOPICS for scene in topic.scenes}
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "scenes").glob("*.py"))
    for module in modules:
        if module == "scenes/slides_bridge.py":
            decks = {p.relative_to(ROOT).as_posix() for p in stamps.code_files("scenes.activations", plan.SLIDES_JOB)}
            assert module in decks
            continue
        assert reaching.get(module), f"no video reaches {module}: editing it would rebuild nothing"
    for shared in ("scenes/__init__.py", "scenes/base.py", "scenes/runner.py", "lecture/text.py",
                   "builder/jobs/scene.py"):
        assert reaching[shared] == every, shared
    speedups = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "manim_speedups").rglob("*.py"))
    if speedups:
        for module in speedups:
            assert reaching[module] == every, module
        assert reaching["manim_speedups/glyph_tex.py"] == every
        # with stock Manim too: the worker applies the bug fixes (become, text_cache_name) by computed names
        stock = videos_reaching()
        assert stock["manim_speedups/become.py"] == stock["manim_speedups/text_cache_name.py"] == every
    assert reaching["scenes/activations.py"] == {"ActivationFunctions"}
    for topic in manifest.TOPICS:  # a topic's module: its own videos, and few others
        for scene in topic.scenes:
            module = scene.target.split(":")[0].replace(".", "/") + ".py"
            assert scene.id in reaching[module] and reaching[module] != every, module


def test_a_figure_reaches_its_own_code_not_the_scenes():
    figure = next(f for t in manifest.TOPICS for f in t.figures if t.id == "augmentation")
    files = {str(p.relative_to(ROOT)) for p in stamps.code_files(figure.target, plan.FIGURE_JOB)}
    assert {"figures/base.py", "builder/jobs/figure.py", "engine/store.py"} <= files
    assert not any(name.startswith("scenes/") for name in files)
    assert not {"builder/plan.py", "builder/execute.py", "builder/stamps.py"} & files  # the planner is no input


def test_engine_fingerprints_use_the_same_reach():
    from engine.core import engine_dependencies

    deps = engine_dependencies("engine.augmentation")
    assert {"engine", "engine.augmentation", "engine.core", "engine.overfit_setup", "engine.nets"} <= set(deps)
    assert all(name.split(".")[0] == "engine" for name in deps)
    assert deps == codegraph.reach(ROOT, ["engine.augmentation"], ["engine"])


def test_the_speedups_package_is_stamped_with_scenes_when_it_exists(tmp_path, monkeypatch):
    monkeypatch.setattr(stamps, "ROOT", tmp_path)
    assert stamps.speedup_modules() == ()  # absent: tolerated
    write(tmp_path, {"manim_speedups/__init__.py": "", "manim_speedups/camera.py": "",
                     "manim_speedups/deep/__init__.py": "", "manim_speedups/deep/x.py": ""})
    assert set(stamps.speedup_modules()) == {"manim_speedups", "manim_speedups.camera", "manim_speedups.deep",
                                             "manim_speedups.deep.x"}


# --------------------------------------------------------------------------- options
def test_options_are_checked_in_one_place(tmp_path):
    with pytest.raises(UsageError, match="--jobs"):
        Options(jobs=0, out=tmp_path)
    with pytest.raises(UsageError, match="--quality"):
        Options(quality="z", out=tmp_path)
    with pytest.raises(UsageError, match="--stock-manim"):
        Options(command="figures", stock_manim=True, out=tmp_path)
    with pytest.raises(UsageError, match="--manim-slides"):
        Options(command="videos", manim_slides=True, out=tmp_path)
    with pytest.raises(UsageError, match="no-such"):
        Options(only="no-such", out=tmp_path)
    with pytest.raises(UsageError, match="activations.points=-5"):
        Options(overrides=(("activations", "points", "-5"),), out=tmp_path)
    options = Options(command="videos", stock_manim=True, out=tmp_path / "o")
    assert options.out.is_absolute() and options.overrides == ()
    with pytest.raises(AttributeError):
        options.force = True  # frozen


@pytest.mark.parametrize("setting, words", [
    ("activations.points=-5", ["activations.points=-5", "whole number ≥ 1"]),
    ("activations.points=abc", ["activations.points=abc", "whole number"]),
    ("activations.points=2.5", ["activations.points=2.5", "whole number"]),
    ("activations.x_min=nan", ["activations.x_min=nan", "a number"]),
    ("mnist-mlp.validation_split=1.5", ["validation_split=1.5", "(0, 1)"]),
    ("mnist-mlp.lr=0", ["mnist-mlp.lr=0", "> 0"]),
    ("mnist-mlp.beta1=1", ["beta1=1", "[0, 1)"]),
    ("mnist-mlp.shuffle=maybe", ["shuffle=maybe", "true or false"]),
    ("hyperparameter-search.lr_range=a,b", ["lr_range=a,b", "list"]),
    ("activations.nope=1", ["'activations'", "nope"]),
    ("nothing.points=1", ["unknown experiment", "nothing"]),
])
def test_bad_settings_are_one_line_and_exit_2(tmp_path, setting, words):
    """A bad --set value names the setting, its value and what it accepts, before anything runs."""
    one_line_error(render("compute", "--only", "activations", "--set", setting, "--out", str(tmp_path)), *words)
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_every_numeric_setting_has_a_range_that_holds_its_default():
    import engine
    from engine.core import _setting_value

    for exp in engine.load_experiments().values():
        for key, default in exp.defaults.items():
            assert exp.merged_settings({key: str(default) if not isinstance(default, list) else default})[key] \
                == default, (exp.id, key)
            if isinstance(default, (int, float)) and not isinstance(default, bool):
                with pytest.raises(Exception, match=f"{exp.id}.{key}="):
                    _setting_value(f"{exp.id}.{key}", key, default, "not a number")
    points = engine.load_experiments()["activations"]
    assert points.merged_settings({"points": "601"})["points"] == 601
    assert engine.load_experiments()["bias-variance"].merged_settings({"shown_degrees": "1,3"})["shown_degrees"] == [1, 3]


# --------------------------------------------------------------------------- the plan
def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    proc = render("all", "--only", "activations,xor", "--out", str(out), "--dry-run")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    for kind, name in (("result", "activations/activations"), ("figure", "activations/activation-functions"),
                       ("video", "activations/ActivationFunctions"), ("video", "xor/XORProblem")):
        line = next((l for l in lines if l.startswith(kind) and name in l), None)
        assert line and "would build" in line, (kind, name, proc.stdout)
    assert "after computing activations" in proc.stdout and "ActivationFunctions.ko.mp4" in proc.stdout
    assert "nothing was written" in proc.stdout
    assert not out.exists()
    slides = render("slides", "--manim-slides", "--only", "activations", "--out", str(out), "-n")
    assert slides.returncode == 2 and "compute" in slides.stderr  # no results: the same one line as a build
    assert not out.exists()


def test_stock_manim_is_a_stamped_option_passed_to_the_worker(tmp_path, monkeypatch):
    from builder.jobs import scene as scene_job

    monkeypatch.setattr(plan, "_check_results", lambda paths, needs, pending: [])
    monkeypatch.setattr(stamps, "result_checksums", lambda paths, needs: [])
    plain, stock = (plan.videos(Options(command="videos", only="activations", out=tmp_path, stock_manim=s),
                                Paths(tmp_path), stamps.Stamps(tmp_path / "s.json"))[0] for s in (False, True))
    assert plain.stamp != stock.stamp and plain.key == stock.key
    assert stock.kwargs["stock_manim"] and not plain.kwargs["stock_manim"]

    seen = {}

    def fake_render(scene_file, class_name, output_name, media_root, quality, settings, log_path, *,
                    save_sections=False, manim_cache=False, workdir=None, one_stream=True,
                    constant_frame_rate=False, speedups=True):
        seen.update(one_stream=one_stream, speedups=speedups, settings=settings, file=scene_file)
        return tmp_path

    from scenes import runner

    monkeypatch.setattr(runner, "render", fake_render)
    scene_job.manim_render(**{k: v for k, v in stock.kwargs.items() if k not in ("outputs",)})
    assert seen["one_stream"] is False and seen["speedups"] is False
    assert seen["settings"].lang == "ko" and seen["file"] == ROOT / "scenes" / "activations.py"
    scene_job.manim_render(**{k: v for k, v in plain.kwargs.items() if k not in ("outputs",)})
    assert seen["one_stream"] is True and seen["speedups"] is True


def test_paths_agree_with_the_page_and_the_slides(tmp_path):
    """lecture/ writes and reads some of the build's files itself: the names agree with builder.paths."""
    from lecture import page, slides

    paths = Paths(tmp_path, "en")
    chapter = manifest.CHAPTERS[1]
    html = slides.write_presentation(chapter, [], paths.slides, "en")
    assert html == paths.presentation(chapter)[0]
    assert page.build(tmp_path, "en") == paths.index and page.build(tmp_path) == Paths(tmp_path).index
    topic = manifest.topic("activations")
    assert paths.video(topic, "X")[0] == tmp_path / "ch02-activations" / "X.en.mp4"
    assert Paths(tmp_path, "ko", "light").video(topic, "X")[1].name == "X.ko.light.srt"
    from figures.base import FORMATS

    assert tuple(FORMATS) == tuple(p.suffix[1:] for p in paths.figure(topic, "f"))


# --------------------------------------------------------------------------- end to end (renders one scene)
def copy_project(dest: Path) -> Path:
    """The project's code in ``dest`` (stamps hash contents, so a copy's outputs are a copy's)."""
    dest.mkdir(parents=True)
    for name in ("render.py", "engine", "scenes", "figures", "lecture", "builder", "manim_speedups"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


@pytest.mark.render
def test_editing_a_module_rebuilds_exactly_the_videos_that_reach_it(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"

    def run(*args):
        import os
        import subprocess

        quality = ("-q", "l") if args[0] in ("all", "videos", "slides") else ()
        proc = subprocess.run([sys.executable, str(project / "render.py"), *args, *quality, "--out", str(out)],
                              capture_output=True, text=True, cwd=tmp_path, timeout=600,
                              env=dict(os.environ, COLUMNS="200"))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    def planned(*args) -> str:
        line = [l for l in run("videos", "--only", "activations", "--dry-run", *args).splitlines()
                if l.startswith("video")]
        assert len(line) == 1, line
        return line[0]

    run("compute", "--only", "activations")
    run("videos", "--only", "activations", "-j", "1")
    assert "up to date" in planned()
    glyph_tex = project / "manim_speedups" / "glyph_tex.py"
    original = glyph_tex.read_text()
    glyph_tex.write_text(original + "\n# a comment\n")  # turned on by manim_speedups.enable's import_module
    assert "would build (inputs changed)" in planned()
    glyph_tex.write_text(original)
    assert "up to date" in planned()
    (project / "scenes" / "xor.py").write_text((project / "scenes" / "xor.py").read_text() + "\n# a comment\n")
    assert "up to date" in planned()  # another topic's scene
    (project / "builder" / "plan.py").write_text((project / "builder" / "plan.py").read_text() + "\n# x\n")
    assert "up to date" in planned()  # the planner draws nothing
    assert "would build (inputs changed)" in planned("--stock-manim")
