"""Slides: every scene presented with a pause after each narrated step.

``render.py slides`` renders each scene with Manim's ``--save_sections`` (each
narration opens a section, see ``scenes.base.LectureScene.narration``), copies
the section videos to ``OUT/slides/<chNN-topic>/<Scene>.<lang>/`` and writes, per
chapter, an offline HTML presentation (``OUT/slides/chNN.<lang>.html``: no script
from outside, arrow keys or a click to go on) and a PDF handout
(``OUT/slides/chNN.<lang>.pdf``: the last frame of every step with its narration).
"""
from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from engine.files import atomic_path, atomic_write_text

from . import manifest
from .text import t


@dataclass
class Step:
    video: Path       # the section's video, inside OUT/slides
    caption: str      # the narration of the step (from the subtitles)
    scene: str


def collect_sections(sections_dir: Path, output_name: str, srt_path: Path, dest: Path, scene: str) -> list[Step]:
    """Copy a scene's section videos into ``dest`` and pair them with its subtitles."""
    import srt

    index = json.loads((sections_dir / f"{output_name}.json").read_text())
    subtitles = [s.content for s in srt.parse(srt_path.read_text(encoding="utf-8"))] if srt_path.exists() else []
    dest.mkdir(parents=True, exist_ok=True)
    steps, narrated = [], 0
    for i, section in enumerate(index):
        src = sections_dir / section["video"]
        target = dest / f"{i:03d}.mp4"
        shutil.copyfile(src, target)
        if section["name"] != "autocreated" and narrated < len(subtitles):
            caption = subtitles[narrated]
            narrated += 1
        else:
            caption = ""
        steps.append(Step(target, caption, scene))
    return steps


PLAYER = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>
html, body {{ margin: 0; height: 100%; background: #0F1115; color: #ECEFF4;
  font-family: "Noto Sans CJK KR", "Noto Sans KR", sans-serif; }}
main {{ display: flex; flex-direction: column; height: 100%; }}
video {{ flex: 1; width: 100%; min-height: 0; background: #0F1115; }}
footer {{ display: flex; justify-content: space-between; gap: 1rem; padding: .5rem 1rem; font-size: .95rem; }}
#caption {{ flex: 1; }}
#counter {{ color: #8C93A1; white-space: nowrap; }}
</style>
</head>
<body>
<main>
<video id="screen" muted playsinline></video>
<footer><span id="caption"></span><span id="counter"></span></footer>
</main>
<script>
const steps = {steps};
let current = -1;
const screen = document.getElementById("screen");
function show(i) {{
  if (i < 0 || i >= steps.length) return;
  current = i;
  screen.src = steps[i].src;
  screen.play();
  document.getElementById("caption").textContent = steps[i].caption;
  document.getElementById("counter").textContent = (i + 1) + " / " + steps.length + " · " + steps[i].scene;
}}
document.addEventListener("keydown", (e) => {{
  if (["ArrowRight", "PageDown", " ", "Enter"].includes(e.key)) {{ e.preventDefault(); show(current + 1); }}
  if (["ArrowLeft", "PageUp", "Backspace"].includes(e.key)) {{ e.preventDefault(); show(current - 1); }}
}});
screen.addEventListener("click", () => show(current + 1));
show(0);
</script>
</body>
</html>
"""


def write_presentation(chapter: manifest.Chapter, steps: list[Step], slides_dir: Path, lang: str) -> Path:
    data = [{"src": s.video.relative_to(slides_dir).as_posix(), "caption": s.caption, "scene": s.scene} for s in steps]
    title = t("common.chapter", lang, n=chapter.number, title=chapter.title(lang))
    path = slides_dir / f"ch{chapter.number:02d}.{lang}.html"
    # json.dumps escapes nothing HTML-significant inside a <script> except "</": guard it.
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    atomic_write_text(path, PLAYER.format(lang=lang, title=html.escape(title), steps=payload))
    return path


def last_frame(video: Path):
    import av

    frame = None
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            pass
    if frame is None:
        raise RuntimeError(f"{video.name} has no frames")
    return frame.to_ndarray(format="rgb24")


def write_handout(chapter: manifest.Chapter, steps: list[Step], slides_dir: Path, lang: str) -> Path:
    """One page per step: the step's last frame and its narration (A4 landscape)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from figures import fonts
    from lecture import theme

    # the PDF embeds the CJK font as the TrueType font it declares, as the figures do (figures/fonts.py):
    # from the original CFF outlines poppler warns "Mismatch between font type and embedded font file"
    fonts.install()
    path = slides_dir / f"ch{chapter.number:02d}.{lang}.pdf"
    title = t("common.chapter", lang, n=chapter.number, title=chapter.title(lang))
    with atomic_path(path, suffix=".pdf") as tmp:
        with plt.style.context(str(theme.MPL_STYLE)), PdfPages(tmp) as pdf:
            for number, step in enumerate(steps, start=1):
                fig = plt.figure(figsize=(11.69, 8.27))
                fig.set_layout_engine(None)
                ax = fig.add_axes((0.06, 0.2, 0.88, 0.7))
                ax.imshow(last_frame(step.video))
                ax.set_axis_off()
                fig.text(0.06, 0.94, title, fontsize=13, fontweight="bold")
                fig.text(0.94, 0.94, f"{number} / {len(steps)} · {step.scene}", fontsize=10, ha="right",
                         color="#5F6670")
                if step.caption:
                    import textwrap

                    fig.text(0.06, 0.16, textwrap.fill(step.caption, 70 if lang == "ko" else 110), fontsize=12,
                             va="top")
                pdf.savefig(fig)
                plt.close(fig)
    return path
