"""render.py: errors and exit codes, list, compute caching, --help."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]


RENDERING = ("all", "videos", "slides")


def render(*args, env=None, cwd=ROOT):
    """render.py in a subprocess; a command that renders videos renders them at preview quality (``-q l``)
    unless the test names a quality (the lecture's default, 1080p60, is for the lecturer's builds)."""
    if args and args[0] in RENDERING and not {"-q", "--quality"} & set(args):
        args = (*args, "-q", "l")
    full_env = dict(os.environ, COLUMNS="200", **(env or {}))
    return subprocess.run([sys.executable, str(ROOT / "render.py"), *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=600)


def one_line_error(proc, *words):
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in proc.stderr
    return lines[0]


def test_help_documents_everything():
    proc = render("--help")
    assert proc.returncode == 0
    for word in ("list", "compute", "figures", "videos", "all", "--only", "--quality", "--lang", "--device",
                 "--jobs", "--out", "--force", "--theme", "--set", "--manim-cache", "--constant-frame-rate"):
        assert word in proc.stdout, word


def test_unknown_topic(tmp_path):
    one_line_error(render("compute", "--only", "no-such-topic", "--out", str(tmp_path)), "no-such-topic", "list")


def test_unknown_chapter(tmp_path):
    one_line_error(render("compute", "--only", "42", "--out", str(tmp_path)), "chapter 42")


def test_bad_options(tmp_path):
    one_line_error(render("--quality", "z"), "quality")
    one_line_error(render("--lang", "fr"), "lang")
    one_line_error(render("frobnicate"), "frobnicate")
    one_line_error(render("compute", "--jobs", "0", "--out", str(tmp_path)), "--jobs")
    one_line_error(render("compute", "--set", "activations.nope=1", "--out", str(tmp_path)), "nope")
    one_line_error(render("compute", "--set", "garbage", "--out", str(tmp_path)), "EXP.KEY=VALUE")
    one_line_error(render("videos", "--manim-slides", "--out", str(tmp_path)), "--manim-slides", "slides")


def test_manim_slides_extra_missing(tmp_path):
    """Without the optional extra, --manim-slides names the pip command; nothing is rendered."""
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "manim_slides.py").write_text("raise ImportError('blocked for the test')\n")
    line = one_line_error(render("slides", "--manim-slides", "--only", "activations", "--out", str(tmp_path / "o"),
                                 env={"PYTHONPATH": str(blocker)}), "pip install")
    assert "[slides]" in line
    assert not (tmp_path / "o" / "slides").exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_without_gpu(tmp_path):
    one_line_error(render("compute", "--device", "cuda", "--out", str(tmp_path)), "CUDA")


def test_missing_latex_names_the_fix(tmp_path):
    path = os.path.dirname(sys.executable)  # python only: no latex, no dvisvgm
    line = one_line_error(render("videos", "--out", str(tmp_path), env={"PATH": path}), "LaTeX")
    assert "setup.sh" in line


def test_missing_font_names_the_fix(tmp_path):
    line = one_line_error(render("figures", "--out", str(tmp_path), env={"LECTURE_FONT": "No Such Font KR"}),
                          "No Such Font KR")
    assert "setup.sh" in line


def test_missing_ffmpeg_names_the_fix(tmp_path):
    fake = tmp_path / "fake"
    (fake / "av").mkdir(parents=True)
    (fake / "av" / "__init__.py").write_text("raise ImportError('no ffmpeg libraries')\n")
    env = {"PYTHONPATH": str(fake)}
    line = one_line_error(render("videos", "--out", str(tmp_path / "out"), env=env), "ffmpeg")
    assert "setup.sh" in line


def test_figures_without_results_say_what_to_run(tmp_path):
    one_line_error(render("figures", "--only", "activations", "--out", str(tmp_path)), "compute")


def test_videos_from_a_damaged_result_say_what_is_wrong(tmp_path):
    first = render("compute", "--only", "activations", "--out", str(tmp_path))
    assert first.returncode == 0, first.stderr
    npz = tmp_path / "results" / "activations.npz"
    npz.write_bytes(npz.read_bytes()[:-20])
    one_line_error(render("videos", "--only", "activations", "--out", str(tmp_path)), "activations.npz", "checksum")
    assert not list(tmp_path.glob("ch*/*.mp4"))


def test_list_shows_all_chapters(tmp_path):
    proc = render("list", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    from lecture.manifest import CHAPTERS

    assert len(CHAPTERS) == 16
    for chapter in CHAPTERS:
        assert chapter.en in proc.stdout, chapter.en
    assert "activations" in proc.stdout and "missing" in proc.stdout


def test_compute_is_cached_and_forced(tmp_path):
    first = render("compute", "--only", "2", "--out", str(tmp_path))   # chapter 2: neuron and activations
    assert first.returncode == 0, first.stderr
    assert "computed" in first.stdout
    assert (tmp_path / "results" / "activations.npz").exists()
    second = render("compute", "--only", "2", "--out", str(tmp_path))
    assert second.returncode == 0 and "cached" in second.stdout and "nothing to do" in second.stdout
    forced = render("compute", "--only", "activations", "--force", "--out", str(tmp_path))
    assert forced.returncode == 0 and "computed" in forced.stdout
    listed = render("list", "--out", str(tmp_path))
    assert "activations: fresh" in listed.stdout
    changed = render("compute", "--only", "activations", "--set", "activations.points=601", "--out", str(tmp_path))
    assert changed.returncode == 0 and "computed" in changed.stdout and "stale" in changed.stdout


def test_mnist_dir_must_exist(tmp_path):
    one_line_error(render("compute", "--mnist-dir", str(tmp_path / "nope"), "--out", str(tmp_path)), "--mnist-dir")


def crowded_figure(results, lang):
    """A figure whose two labels meet (for the test below; render.py imports it by name)."""
    from figures.base import new_figure, style

    with style():
        fig = new_figure()
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "first label", transform=ax.transAxes)
        ax.text(0.52, 0.51, "second label", transform=ax.transAxes)
    return fig


def test_a_figure_whose_texts_meet_is_built_and_its_layout_reported(tmp_path, capsys):
    sys.path.insert(0, str(ROOT))
    from rich.console import Console

    from builder import execute, report
    from builder.jobs.figure import figure_job
    from builder.options import Options
    from builder.plan import Job
    from builder.stamps import Stamps

    kwargs = {"target": f"{__name__}:crowded_figure", "needs": (), "results_dir": tmp_path, "lang": "en"}
    result = figure_job(**kwargs, stem=tmp_path / "crowded")
    assert all(Path(p).stat().st_size > 0 for p in result["paths"]) and len(result["paths"]) == 3
    assert any("'first label' and 'second label' meet" in p for p in result["layout"]), result["layout"]

    stamps = Stamps(tmp_path / ".stamps.json")
    job = Job("figure", "crowded", "demo", "crowded", "stamp", (), figure_job, {**kwargs, "stem": tmp_path / "again"})
    rows, console = [], Console(highlight=False, width=150)
    execute.run_jobs([job], Options(command="figures", jobs=1, out=tmp_path), stamps, rows, console, "figures")
    (row,) = rows
    assert row.status == "built" and row.detail.startswith("layout: 'first label' and 'second label' meet")
    assert Stamps(tmp_path / ".stamps.json").get("crowded") == "stamp"  # recorded as it finished
    assert report.summary(rows, console) == 0  # reported, not failed
    assert "look at: figure demo/crowded: texts that leave the figure or meet" in " ".join(capsys.readouterr().out.split())


def test_an_output_depends_on_every_module_of_the_project_its_code_imports():
    """A video is stamped with its scene's module and every project module that module imports, directly
    or through another: SGDJitter draws with the shared traces and contours helpers and scenes/'s drawing
    code (a change there rebuilt nothing before); a figure's relative imports count as well."""
    sys.path.insert(0, str(ROOT))
    from builder.stamps import code_files

    def names(target):
        return {str(path.relative_to(ROOT)) for path in code_files(target)}

    scene = names("scenes.gradient_descent:SGDJitter")
    assert {"scenes/gradient_descent.py", "scenes/traces.py", "scenes/contours.py", "scenes/base.py",
            "lecture/text.py"} <= scene
    assert "lecture/manifest.py" not in scene  # its part (the chapter's titles) is stamped on its own
    assert not any(name.startswith("figures/") for name in scene)
    figure = names("figures.augmentation:augmentation_curves")
    assert {"figures/augmentation.py", "figures/run_curves.py", "figures/base.py", "figures/fonts.py"} <= figure
    assert not any(name.startswith("scenes/") for name in figure)
    assert "scenes/optimizers.py" not in names("scenes.ai_era:AIMilestones")


def test_an_output_depends_on_the_strings_its_code_names():
    """WeightInitHistograms sets the activations' names from vanishing-gradients.toml: editing one of them
    rebuilt the vanishing-gradients video and left the initializations' video with the old name."""
    sys.path.insert(0, str(ROOT))
    from builder.stamps import string_files

    def names(target):
        return {path.name for path in string_files(target)}

    assert names("scenes.weight_init:WeightInitHistograms") == {"common.toml", "weight-init.toml",
                                                                 "vanishing-gradients.toml"}
    assert {"dropout.toml", "early-stopping.toml", "regularization.toml"} <= names("figures.overfitting:dropout_curves")
    assert "vanishing-gradients.toml" not in names("scenes.gradient_descent:SGDJitter")
