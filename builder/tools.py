"""The tools a command needs (LaTeX, the lecture's font, PyAV's ffmpeg, the manim-slides extra), checked
once per command before any long work; a missing one is a ``UsageError`` naming the fix."""
from __future__ import annotations

import shutil
import subprocess

from .options import Options, UsageError

SETUP_HINT = "run `bash scripts/setup.sh`"


def needed(options: Options) -> dict[str, bool]:
    """Which tools the command uses: figures need the font; scenes need LaTeX, the font and PyAV."""
    scenes = options.command in ("videos", "slides", "all")
    return {"latex": scenes, "font": scenes or options.command == "figures", "video": scenes,
            "manim_slides": options.manim_slides}


def check(options: Options) -> None:
    need = needed(options)
    if need["latex"]:
        for tool in ("latex", "dvisvgm"):
            if shutil.which(tool) is None:
                raise UsageError(f"LaTeX is missing ('{tool}' not found), needed for formulas: {SETUP_HINT}")
    if need["font"]:
        from lecture import theme

        if shutil.which("fc-list") is None:
            raise UsageError(f"fontconfig is missing ('fc-list' not found): {SETUP_HINT}")
        families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
        if theme.FONT not in families:
            raise UsageError(f"the font '{theme.FONT}' is not installed (Korean text needs it): {SETUP_HINT}")
    if need["video"]:
        try:
            import av  # noqa: F401  (Manim encodes video through PyAV's ffmpeg, which PyAV carries)
        except ImportError:
            raise UsageError(f"ffmpeg (PyAV) is missing, needed to encode videos: {SETUP_HINT}") from None
    if need["manim_slides"]:
        try:
            import manim_slides  # noqa: F401
        except ImportError:
            raise UsageError("--manim-slides needs the optional extra: .venv/bin/pip install -e '.[slides]'") from None
