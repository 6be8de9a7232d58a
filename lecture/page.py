"""The lecture page: ``OUT/index.html``, written by ``render.py all`` (and ``render.py page``).

It lists the 16 chapters in order with their titles; each topic shows its videos
(with Korean and English subtitle tracks, WebVTT converted from the .srt files),
its figures (PNG, with links to SVG and PDF) and its key computed numbers, read
from the stored results.  Everything is relative to OUT, so the page works
offline from the file system; there is no script and nothing from a CDN.
"""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import numpy as np

from engine.files import atomic_write_text

from . import claims, manifest
from .text import LANGS, fmt, t, table

LANG_LABEL = {"ko": "한국어", "en": "English"}

CSS = """
:root { --ink: #1B1F24; --muted: #5F6670; --line: #D8DEE9; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans CJK KR", "Noto Sans KR", sans-serif; color: var(--ink);
       background: #FFFFFF; line-height: 1.55; }
header { padding: 2rem 3rem 1rem; border-bottom: 1px solid var(--line); }
header h1 { margin: 0; font-size: 2rem; }
header p { margin: .2rem 0 1rem; color: var(--muted); }
nav ol { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; padding: 0; margin: 0; list-style: none; font-size: .92rem; }
nav a { color: var(--accent); text-decoration: none; }
main { padding: 1rem 3rem 4rem; max-width: 1400px; }
section.chapter { border-bottom: 1px solid var(--line); padding: 1.2rem 0; }
section.chapter h2 { margin: 0 0 .6rem; font-size: 1.45rem; }
.en { color: var(--muted); font-weight: normal; font-size: .85em; margin-left: .5rem; }
.empty { color: var(--muted); font-style: italic; margin: 0; }
article.topic { margin: 1rem 0 2rem; }
article.topic h3 { font-size: 1.15rem; margin: .4rem 0 .8rem; }
.media { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 1.2rem; }
figure { margin: 0; }
video, img { width: 100%; border: 1px solid var(--line); border-radius: 6px; background: #0F1115; }
img { background: #FFFFFF; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .3rem; }
figcaption a { color: var(--accent); }
table.numbers { border-collapse: collapse; margin-top: 1rem; font-size: .95rem; }
table.numbers th, table.numbers td { border-bottom: 1px solid var(--line); padding: .3rem .8rem; text-align: left; }
table.numbers td.value { font-variant-numeric: tabular-nums; text-align: right; }
table.claims { border-collapse: collapse; margin-top: 1rem; font-size: .95rem; }
table.claims th, table.claims td { border-bottom: 1px solid var(--line); padding: .3rem .8rem; text-align: left; vertical-align: top; }
table.claims td.measured { font-variant-numeric: tabular-nums; color: var(--muted, #555); }
table.claims td.mark { font-weight: bold; white-space: nowrap; }
table.claims tr.fails td.mark { color: #c0392b; }
table.claims tr.holds td.mark { color: #1e7d32; }
.provenance { font-size: .8rem; color: var(--muted); margin-top: .5rem; }
"""


def srt_to_vtt(srt_path: Path, vtt_path: Path) -> None:
    import srt

    subs = list(srt.parse(srt_path.read_text(encoding="utf-8")))

    def stamp(td) -> str:
        total = td.total_seconds()
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{int(hours):02d}:{int(minutes):02d}:{seconds:06.3f}"

    lines = ["WEBVTT", ""]
    for sub in subs:
        lines += [f"{stamp(sub.start)} --> {stamp(sub.end)}", sub.content, ""]
    atomic_write_text(vtt_path, "\n".join(lines))


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def _title(topic: manifest.Topic, lang: str) -> str:
    key = f"{topic.id}.title"
    return t(key, lang) if key in table() else topic.id


def _numbers(topic: manifest.Topic, results_dir: Path) -> tuple[list[tuple[str, str, str]], dict]:
    rows, meta = [], {}
    for number in topic.numbers:
        json_path = results_dir / f"{number.experiment}.json"
        npz_path = results_dir / f"{number.experiment}.npz"
        if not (json_path.exists() and npz_path.exists()):
            continue
        with np.load(npz_path, allow_pickle=False) as data:
            if number.array not in data.files:
                continue
            value = np.asarray(data[number.array]).reshape(-1)[-1]
        meta = json.loads(json_path.read_text(encoding="utf-8"))
        rows.append((t(number.key, "ko"), t(number.key, "en"), fmt(float(value), number.digits)))
    return rows, meta


def _video_block(topic: manifest.Topic, scene_id: str, out: Path) -> str:
    folder = out / topic.slug
    videos = {lang: folder / f"{scene_id}.{lang}.mp4" for lang in LANGS}
    present = [lang for lang in LANGS if videos[lang].exists()]
    if not present:
        return ""
    main = present[0]
    tracks = []
    for lang in LANGS:
        srt_path = folder / f"{scene_id}.{lang}.srt"
        if srt_path.exists():
            vtt = folder / f"{scene_id}.{lang}.vtt"
            srt_to_vtt(srt_path, vtt)
            default = " default" if lang == main else ""
            # Browsers treat every file: URL as its own origin and refuse a <track> from another
            # file, so the subtitles travel inside the page as a data: URL (the .vtt stays beside
            # the video for download).
            data = base64.b64encode(vtt.read_bytes()).decode("ascii")
            tracks.append(f'<track kind="subtitles" srclang="{lang}" label="{LANG_LABEL[lang]}" '
                          f'src="data:text/vtt;charset=utf-8;base64,{data}"{default}>')
    others = " · ".join(f'<a href="{_e(videos[lang].relative_to(out).as_posix())}">{LANG_LABEL[lang]} video</a>'
                        for lang in present)
    others += "".join(f' · <a href="{_e((folder / f"{scene_id}.{lang}.vtt").relative_to(out).as_posix())}">'
                      f'{LANG_LABEL[lang]} subtitles</a>' for lang in LANGS if (folder / f"{scene_id}.{lang}.vtt").exists())
    return (f'<figure class="video"><video controls preload="metadata" '
            f'src="{_e(videos[main].relative_to(out).as_posix())}">{"".join(tracks)}</video>'
            f"<figcaption>{_e(scene_id)} · {others}</figcaption></figure>")


def _figure_block(topic: manifest.Topic, fig: manifest.Figure, out: Path) -> str:
    folder = out / topic.slug
    present = [lang for lang in LANGS if (folder / f"{fig.id}.{lang}.png").exists()]
    if not present:
        return ""
    main = present[0]

    def rel(lang: str, ext: str) -> str:
        return _e((folder / f"{fig.id}.{lang}.{ext}").relative_to(out).as_posix())

    links = " · ".join(
        f'{LANG_LABEL[lang]}: <a href="{rel(lang, "png")}">PNG</a> <a href="{rel(lang, "svg")}">SVG</a> '
        f'<a href="{rel(lang, "pdf")}">PDF</a>' for lang in present)
    return (f'<figure class="figure"><a href="{rel(main, "png")}"><img src="{rel(main, "png")}" '
            f'alt="{_e(fig.id)}" loading="lazy"></a><figcaption>{_e(fig.id)} · {links}</figcaption></figure>')


def build(out: Path) -> Path:
    """Write ``out/index.html`` from what is built in ``out``; return its path."""
    out = Path(out)
    results_dir = out / "results"
    all_verdicts = claims.current(claims.load(results_dir), results_dir)  # judged on the results as they are now
    nav, sections = [], []
    for chapter in manifest.CHAPTERS:
        anchor = f"ch{chapter.number:02d}"
        nav.append(f'<li><a href="#{anchor}">{chapter.number}. {_e(chapter.ko)}</a></li>')
        body = []
        for topic in chapter.topics:
            blocks = [_video_block(topic, s.id, out) for s in topic.scenes]
            blocks += [_figure_block(topic, f, out) for f in topic.figures]
            blocks = [b for b in blocks if b]
            rows, meta = _numbers(topic, results_dir)
            parts = [f'<article class="topic" id="{_e(topic.id)}"><h3>{_e(_title(topic, "ko"))}'
                     f'<span class="en">{_e(_title(topic, "en"))}</span></h3>']
            if blocks:
                parts.append(f'<div class="media">{"".join(blocks)}</div>')
            else:
                parts.append('<p class="empty">아직 만들지 않음 · not built yet '
                             f'(<code>python render.py --only {_e(topic.id)}</code>)</p>')
            if rows:
                parts.append('<table class="numbers"><tbody>' + "".join(
                    f'<tr><th>{_e(ko)}<span class="en">{_e(en)}</span></th><td class="value">{_e(v)}</td></tr>'
                    for ko, en, v in rows) + "</tbody></table>")
            verdicts = claims.for_topic(all_verdicts, topic.id)
            if verdicts:
                parts.append('<table class="claims"><caption>확인한 주장 · claims checked on the results</caption>'
                             '<tbody>' + "".join(
                                 f'<tr class="{"holds" if v.holds else "fails"}"><th>{_e(v.statement("ko"))}'
                                 f'<span class="en">{_e(v.statement("en"))}</span></th>'
                                 f'<td class="measured">{_e(v.measured_text())}</td>'
                                 f'<td class="mark">{"✓ 성립 · holds" if v.holds else "✗ 불성립 · FAILS"}</td></tr>'
                                 for v in verdicts) + "</tbody></table>")
            if meta:
                data = ", ".join(f"{k}: {v}" for k, v in meta.get("data_sources", {}).items())
                parts.append(f'<p class="provenance">PyTorch {_e(meta["versions"]["torch"])} · {_e(meta["device"])} · '
                             f'seed {_e(meta["seed"])} · {_e(data)}</p>')
            parts.append("</article>")
            body.append("".join(parts))
        if not body:
            body.append('<p class="empty">이 장의 영상과 그림은 아직 없습니다 · nothing built for this chapter yet</p>')
        sections.append(f'<section class="chapter" id="{anchor}"><h2>{chapter.number}. {_e(chapter.ko)}'
                        f'<span class="en">{_e(chapter.en)}</span></h2>{"".join(body)}</section>')
    page = f"""<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>딥러닝의 통계적 이해 · Statistical Understanding of Deep Learning</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/page.css">
</head>
<body>
<header>
<h1>딥러닝의 통계적 이해</h1>
<p>Statistical Understanding of Deep Learning — 강의 영상과 그림 · lecture videos and figures</p>
<nav><ol>{"".join(nav)}</ol></nav>
</header>
<main>
{"".join(sections)}
</main>
</body>
</html>
"""
    atomic_write_text(out / "assets" / "page.css", CSS)
    index = out / "index.html"
    atomic_write_text(index, page)
    return index
