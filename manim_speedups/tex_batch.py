"""Compile a scene's formulas in one LaTeX run before it renders.

Manim compiles every distinct ``MathTex`` string on first use: one ``latex`` and one ``dvisvgm``
process, ~0.35 s, of which ~0.3 s is starting LaTeX and loading the preamble and fonts.  A cold
build compiles a few hundred strings.  Before a scene renders, the worker collects the strings it
can know in advance -- the digits and signs Manim's axes and ``DecimalNumber`` typeset one by one,
and the formulas written as literals in the scene's module -- asks ``MathTex`` itself which exact
document each one becomes (its own wrapping, environment and template), and typesets all of them
as pages of one document (the same preamble; ``standalone``'s ``multi`` option makes each a page
cropped exactly as alone).  Each page's SVG is stored under the name Manim's
``tex_to_svg_file`` looks for, so ``MathTex`` finds it and compiles nothing.  The worker runs
the batch on a thread while the scene starts (a title card needs no LaTeX): Manim's
``tex_to_svg_file`` waits for it, so the first formula finds its SVG as before.

Nothing here can change a picture: a page is the same SVG as a lone compile (tests compare them);
a batch LaTeX rejects is split in halves until the offending string is alone and left to Manim,
which then reports it as usual; a string the scene never uses costs one page.

Until ``apply`` (the render worker's ``manim_speedups.enable``), ``ahead`` and ``prefetch`` do nothing.
"""
from __future__ import annotations

import ast
import inspect
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import manim.mobject.text.tex_mobject as tex_mobject
from manim import MathTex, config
from manim.utils import tex_file_writing

AXIS_CHARACTERS = tuple("0123456789-.+")
_CLASS = r"\documentclass[preview]{standalone}"
_BATCH_CLASS = r"\documentclass[preview,multi=lecturepage]{standalone}"
_KEY = re.compile(r"[a-z0-9-]+(\.[A-Za-z0-9_-]+)+")  # string-table keys, not formulas


class _Recorded(Exception):
    pass


def documents(calls: Iterable[tuple]) -> list[Path]:
    """The ``.tex`` files (written by Manim's own ``generate_tex_file``) that ``MathTex(*args)``
    would compile, one per call -- or ``cls(*args)`` for a call ``(cls, *args)`` (say,
    ``SingleStringMathTex``, which Manim's own number labels use); calls that fail are skipped."""
    found: list[Path] = []

    def record(expression, environment=None, tex_template=None):
        template = tex_template or config["tex_template"]
        if template.tex_compiler == "latex" and template.output_format == ".dvi":  # what the batch runs
            found.append(tex_file_writing.generate_tex_file(expression, environment, template))
        raise _Recorded

    original = tex_mobject.tex_to_svg_file
    tex_mobject.tex_to_svg_file = record
    try:
        for call in dict.fromkeys(calls):
            cls, args = (call[0], call[1:]) if isinstance(call[0], type) else (MathTex, call)
            try:
                cls(*args)
            except Exception:  # _Recorded, or not a valid MathTex: the scene will say so itself
                pass
    finally:
        tex_mobject.tex_to_svg_file = original
    return found


def compile_all(tex_files: Iterable[Path], minimum: int = 2) -> int:
    """Typeset the documents that have no SVG yet as pages of one document; return how many.  Fewer
    than ``minimum`` are left to Manim (one string in the foreground: Manim's own run costs the same;
    in the background even one is worth typesetting off the scene's thread)."""
    todo = [f for f in dict.fromkeys(tex_files) if not f.with_suffix(".svg").exists()]
    if len(todo) < max(minimum, 1):
        return 0
    groups: dict[str, list[tuple[Path, str]]] = {}
    for tex in todo:
        head, sep, rest = tex.read_text(encoding="utf-8").partition(r"\begin{document}")
        body, sep2, _ = rest.rpartition(r"\end{document}")
        if sep and sep2 and head.lstrip().startswith(_CLASS):
            groups.setdefault(head, []).append((tex, body))
    return sum(_typeset(head, pages) for head, pages in groups.items())


def _typeset(head: str, pages: list[tuple[Path, str]]) -> int:
    if not pages:
        return 0
    with tempfile.TemporaryDirectory(dir=pages[0][0].parent, prefix="batch-") as work:
        work = Path(work)
        source = work / "batch.tex"
        source.write_text(head.replace(_CLASS, _BATCH_CLASS, 1) + r"\begin{document}" + "".join(
            "\n\\begin{lecturepage}" + body + "\\end{lecturepage}\n" for _, body in pages) + "\\end{document}\n",
            encoding="utf-8")
        latex = subprocess.run(["latex", "-interaction=batchmode", "-halt-on-error", "-output-format=dvi",
                                f"-output-directory={work}", str(source)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        if latex.returncode != 0:  # one string LaTeX rejects: find it, leave it to Manim
            if len(pages) == 1:
                return 0
            half = len(pages) // 2
            return _typeset(head, pages[:half]) + _typeset(head, pages[half:])
        subprocess.run(["dvisvgm", "--page=1-", "--no-fonts", "--verbosity=0", f"--output={work}/page-%p.svg",
                        str(work / "batch.dvi")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        made = {int(p.stem.split("-")[1]): p for p in work.glob("page-*.svg")}
        if sorted(made) != list(range(1, len(pages) + 1)):
            return 0  # not one page per string: leave all of them to Manim
        for number, (tex, _) in enumerate(pages, start=1):
            svg = made[number].read_text(encoding="utf-8").replace(f"<g id='page{number}'>", "<g id='page1'>", 1)
            part = work / f"{tex.stem}.part"
            part.write_text(svg, encoding="utf-8")
            os.replace(part, tex.with_suffix(".svg"))
    return len(pages)


def literal_calls(module) -> list[tuple[str, ...]]:
    """Formulas written as literals in a scene module: the arguments of ``tex``/``MathTex`` calls
    that are all string constants, and string constants that read as LaTeX (ASCII, one line, with
    ``\\``, ``^``, ``_`` or ``=``; not a string-table key, a docstring, or part of a formatted or
    concatenated string, whose whole is only known when the scene runs)."""
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return []
    calls = _literals.get(source)
    if calls is None:  # a worker renders many scenes of a few modules (every one of scenes.base)
        try:
            calls = _literals[source] = literal_calls_in(source)
        except SyntaxError:
            return []
    return list(calls)


_literals: dict[str, list[tuple[str, ...]]] = {}  # a module's source -> its literal_calls


def literal_calls_in(source: str) -> list[tuple[str, ...]]:
    """:func:`literal_calls` of a module's source text."""
    tree = ast.parse(source)
    parts: set[int] = set()
    calls: list[tuple[str, ...]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts.update(id(v) for v in node.values)
        elif isinstance(node, ast.BinOp):
            parts.update((id(node.left), id(node.right)))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            parts.add(id(node.value))  # docstrings
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in {"tex", "MathTex"} and node.args and all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args):
                calls.append(tuple(a.value for a in node.args))
                parts.update(id(a) for a in node.args)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts:
            value = node.value
            if (value.isascii() and "\n" not in value and len(value) < 200 and any(c in value for c in "\\^_=")
                    and not _KEY.fullmatch(value) and "{}" not in value and not _name(value)):
                calls.append((value,))
    return calls


def ahead(formulas: Iterable) -> int:
    """Typeset formulas a scene is about to make (say, an axis's tick labels) in one run: each a
    string for ``MathTex`` or a tuple ``(cls, *args)``."""
    if not ACTIVE or shutil.which("latex") is None or shutil.which("dvisvgm") is None:
        return 0
    try:
        return compile_all(documents(f if isinstance(f, tuple) else (f,) for f in formulas))
    except OSError:
        return 0


def _name(value: str) -> bool:
    """A Python name such as ``train_acc`` (a result key), not a subscript such as ``w_0``."""
    return value.isidentifier() and any(len(part) > 2 for part in value.split("_")[1:])


def prefetch(scene_class, formulas: Iterable[str] = (), *, background: bool = False) -> int:
    """Typeset, in one run, what the scene will ask LaTeX for that can be known before it runs:
    the axis characters, the literals in its modules and ``formulas`` (built from its results).

    With ``background``, LaTeX runs while the scene goes on (its title card needs no LaTeX): the
    first formula the scene makes waits for the run (see :func:`wait`), and 0 is returned."""
    if not ACTIVE or shutil.which("latex") is None or shutil.which("dvisvgm") is None:
        return 0
    calls = [(c,) for c in AXIS_CHARACTERS] + [f if isinstance(f, tuple) else (f,) for f in formulas]
    modules = {inspect.getmodule(klass) for klass in scene_class.__mro__}
    for module in modules:
        if module is not None and module.__name__.split(".")[0] not in ("manim", "manim_speedups", "builtins"):
            calls += literal_calls(module)
    files = documents(calls)  # here: it asks MathTex, in this thread
    if not background:
        try:
            return compile_all(files)
        except OSError:
            return 0
    job = _Typesetting(files)
    _pending.append(job)
    job.start()
    return 0


class _Typesetting(threading.Thread):
    """``compile_all`` on a thread (it waits on LaTeX and dvisvgm, which release the GIL)."""

    def __init__(self, files: list[Path]):
        super().__init__(name="tex-batch", daemon=True)
        self.files, self.error = files, None

    def run(self) -> None:
        try:
            compile_all(self.files, minimum=1)
        except OSError:
            pass  # as in the foreground: Manim compiles each string itself
        except Exception as error:  # raised where the scene waits
            self.error = error


_pending: list[_Typesetting] = []
_manim_tex_to_svg_file = tex_mobject.tex_to_svg_file


def wait(*, errors: bool = True) -> None:
    """Wait for the batches running in the background; raise what one of them raised (``errors``)."""
    while _pending:
        job = _pending.pop(0)
        job.join()
        if job.error is not None and errors:
            raise job.error


def _tex_to_svg_file_after_batches(*args, **kwargs):
    """Manim's ``tex_to_svg_file`` once the batches in flight have written their SVGs."""
    wait()
    return _manim_tex_to_svg_file(*args, **kwargs)


ACTIVE = False  # set by apply()


def apply() -> None:
    """Formulas typeset ahead; Manim's ``tex_to_svg_file`` waits for a batch in flight."""
    from manim_speedups._patching import patch

    patch(sys.modules[__name__], "ACTIVE", True)
    patch(tex_mobject, "tex_to_svg_file", _tex_to_svg_file_after_batches)
