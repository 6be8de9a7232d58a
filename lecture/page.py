"""The course page: an index and one page per chapter, in Korean and in English, written into OUT by
``render.py all`` (and ``render.py page``) from what is built there.

* ``index.html`` / ``index.en.html``: the 16 chapters in the lecture's order, each with its title, a
  one-line summary (``lecture/strings/page.toml``) and a thumbnail (the poster of one of its videos);
* ``ch01.html`` / ``ch01.en.html`` …: the chapter's topics in the lecture's order, each with its videos
  (a poster: a representative frame of the video, not its title card; both subtitle tracks), the
  explorers of its computed runs (``lecture.explorers``), its figures (PNG, with SVG and PDF links),
  its key numbers, its claims with their measured values and verdicts, and where the numbers come from
  (the result's settings, seed, device, software and data source).  Previous/next links, a table of
  contents and a switch to the page in the other language.

Both languages are written on every build, so a ``--lang ko`` and a ``--lang en`` build into the same
folder link to each other; a page shows the video in its language (the other one while that is not
built).  Everything is relative to OUT and nothing comes from a CDN: the pages work from ``file://``.

The build is incremental: a poster (``<Scene>.<lang>.jpg`` beside the video) and a subtitle file
(``.vtt`` beside the ``.srt``) are made only when missing or when their source changed (each carries
its source's modification time), and a page is
rewritten only when its text changed.
"""
from __future__ import annotations

import base64
import html
import json
import os
from pathlib import Path

import numpy as np

from engine.files import atomic_path, atomic_write_text

from . import claims, manifest
from .text import LANGS, fmt, t, table

CSS = """
:root { --ink: #1B1F24; --muted: #4F5661; --line: #C9D1DC; --accent: #005A8C; --bg: #FFFFFF;
        --soft: #F3F5F8; --good: #1B6E2D; --bad: #B3261E; --focus: #D35400; }
* { box-sizing: border-box; }
html { scroll-behavior: smooth; }
body { margin: 0; font-family: "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", sans-serif; color: var(--ink);
       background: var(--bg); line-height: 1.6; font-size: 17px; }
a { color: var(--accent); }
html:lang(ko) body { word-break: keep-all; overflow-wrap: break-word; }
a:focus-visible, video:focus-visible, summary:focus-visible, button:focus-visible, input:focus-visible,
select:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--ink); color: #FFF; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 1rem; }
header.site { display: flex; align-items: center; justify-content: space-between; gap: 1rem;
              padding: .8rem 2rem; border-bottom: 1px solid var(--line); background: var(--soft); }
header.site .brand { font-weight: 700; font-size: 1.05rem; color: var(--ink); text-decoration: none; }
header.site .brand span { font-weight: 400; color: var(--muted); margin-left: .6rem; font-size: .9rem; }
a.lang-switch { border: 1px solid var(--accent); border-radius: 999px; padding: .2rem .9rem; text-decoration: none;
                font-size: .92rem; white-space: nowrap; }
a.lang-switch:hover { background: var(--accent); color: #FFF; }
.layout { display: grid; grid-template-columns: 17rem minmax(0, 1fr); gap: 2.5rem; max-width: 1500px;
          margin: 0 auto; padding: 1.5rem 2rem 4rem; }
nav.toc { position: sticky; top: 1rem; align-self: start; max-height: calc(100vh - 2rem); overflow-y: auto;
          font-size: .9rem; }
nav.toc h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 .4rem; }
nav.toc ol { list-style: none; padding: 0; margin: 0 0 1.2rem; }
nav.toc li { margin: 0; }
nav.toc a { display: flex; padding: .22rem .5rem; border-radius: 4px; text-decoration: none; color: var(--ink); }
nav.toc a:hover { background: var(--soft); }
nav.toc a[aria-current="page"] { background: var(--accent); color: #FFF; font-weight: 600; }
nav.toc .num { flex: 0 0 1.9rem; color: inherit; font-variant-numeric: tabular-nums; }
main { min-width: 0; }
main h1 { font-size: 2rem; margin: 0 0 .3rem; line-height: 1.3; }
main .lead { color: var(--muted); margin: 0 0 1.2rem; font-size: 1.05rem; }
.chapter-kicker { color: var(--accent); font-weight: 600; margin: 0; font-size: .95rem; }
ul.topics-here { display: flex; flex-wrap: wrap; gap: .4rem .6rem; list-style: none; padding: 0; margin: 0 0 1.5rem; }
ul.topics-here a { display: inline-block; padding: .15rem .7rem; border: 1px solid var(--line); border-radius: 999px;
                   text-decoration: none; font-size: .9rem; }
article.topic { border-top: 1px solid var(--line); padding: 1.6rem 0 1rem; }
article.topic > h2 { font-size: 1.5rem; margin: 0 0 .2rem; }
article.topic > .subtitle { color: var(--muted); margin: 0 0 1rem; }
.videos, .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 28rem), 1fr));
                    gap: 1.4rem; margin: 1rem 0; }
.videos > :only-child, .figures > :only-child { max-width: 54rem; }
figure { margin: 0; }
video { width: 100%; aspect-ratio: 16 / 9; border-radius: 6px; background: #0F1115; display: block; }
figure.figure img { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; background: #FFF;
                    display: block; }
img.print-poster { display: none; }
figcaption { font-size: .95rem; margin-top: .4rem; }
figcaption .title { font-weight: 600; }
figcaption .downloads { display: block; font-size: .85rem; color: var(--muted); }
figcaption .downloads a { margin-right: .15rem; }
.note { color: var(--muted); font-size: .9rem; }
p.empty { color: var(--muted); font-style: italic; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; font-size: .95rem; margin: .3rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .8rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); font-weight: 600; }
td.value, td.measured { font-variant-numeric: tabular-nums; }
td.value { text-align: right; }
td.measured { color: var(--muted); font-size: .88rem; }
td.mark { font-weight: 700; white-space: nowrap; }
tr.holds td.mark { color: var(--good); }
tr.fails td.mark { color: var(--bad); }
details.provenance { font-size: .88rem; color: var(--muted); margin: .5rem 0 1rem; }
details.provenance summary { cursor: pointer; color: var(--ink); }
details.provenance dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .4rem 0 .8rem; }
details.provenance dt { font-weight: 600; color: var(--ink); }
details.provenance dd { margin: 0; overflow-wrap: anywhere; }
details.provenance code { font-size: .85rem; }
nav.prevnext { display: flex; justify-content: space-between; gap: 1rem; border-top: 1px solid var(--line);
               margin-top: 2rem; padding-top: 1rem; }
nav.prevnext a { text-decoration: none; max-width: 48%; }
nav.prevnext .dir { display: block; font-size: .8rem; color: var(--muted); }
nav.prevnext .next { text-align: right; margin-left: auto; }
ol.chapters { list-style: none; padding: 0; margin: 1rem 0; display: grid; gap: 1.4rem;
              grid-template-columns: repeat(auto-fill, minmax(min(100%, 13rem), 1fr)); }
ol.chapters li { border: 1px solid var(--line); border-radius: 8px; overflow: hidden; background: #FFF; }
ol.chapters a.card { display: block; color: var(--ink); text-decoration: none; height: 100%; }
ol.chapters a.card:hover { box-shadow: 0 2px 10px rgba(0,0,0,.12); }
ol.chapters .thumb { aspect-ratio: 16 / 9; width: 100%; object-fit: cover; display: block; background: #0F1115; }
ol.chapters .thumb.figure { object-fit: contain; background: #FFF; border-bottom: 1px solid var(--line); }
ol.chapters .thumb.none { display: flex; align-items: center; justify-content: center; color: var(--muted);
                          background: var(--soft); border-bottom: 1px solid var(--line); font-size: 3rem; font-weight: 700; }
ol.chapters .text { padding: .7rem 1rem 1rem; }
ol.chapters .kicker { color: var(--accent); font-weight: 600; font-size: .85rem; }
ol.chapters h2 { font-size: 1.08rem; margin: .1rem 0 .3rem; line-height: 1.35; }
ol.chapters p { margin: 0; font-size: .92rem; color: var(--muted); }
ol.chapters .counts { margin-top: .4rem; font-size: .8rem; }
footer { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding: 1rem 2rem 2rem;
         max-width: 1500px; margin: 0 auto; }
@media (max-width: 900px) {
  .layout { grid-template-columns: 1fr; padding: 1rem; }
  nav.toc { position: static; max-height: none; }
}
@media (prefers-reduced-motion: reduce) {
  html { scroll-behavior: auto; }
  *, *::before, *::after { animation: none !important; transition: none !important; }
}
@media print {
  @page { margin: 15mm; }
  body { font-size: 10.5pt; color: #000; }
  header.site, nav.toc, nav.prevnext, .skip, ul.topics-here, a.lang-switch, footer, .explorers { display: none !important; }
  .layout { display: block; padding: 0; }
  a { color: #000; text-decoration: none; }
  video { display: none; }
  img.print-poster { display: block; width: 100%; border: 1px solid #999; }
  figcaption .downloads, .note { display: none; }
  .videos, .figures { display: block; }
  figure { break-inside: avoid; margin: 0 0 6mm; }
  figure.video { width: 70%; }
  article.topic { border: 0; padding-top: 0; }
  article.topic.unbuilt, p.empty { display: none; }
  h1, h2, h3 { break-after: avoid; }
  table, tr { break-inside: avoid; }
  details.provenance::details-content { content-visibility: visible; display: block; }
  details.provenance summary { list-style: none; font-weight: 600; }
}
"""


# -- names -------------------------------------------------------------------------------------------------

def page_name(chapter: int | None, lang: str) -> str:
    """The file of a page: ``index.html``/``ch02.html`` in Korean, ``index.en.html``/``ch02.en.html`` in English."""
    stem = "index" if chapter is None else f"ch{chapter:02d}"
    return f"{stem}.html" if lang == "ko" else f"{stem}.{lang}.html"


def poster_path(video: Path) -> Path:
    """A video's poster, beside it: ``X.ko.mp4`` → ``X.ko.jpg``."""
    return video.with_suffix(".jpg")


def _other(lang: str) -> str:
    return "en" if lang == "ko" else "ko"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _text(key: str, lang: str, fallback: str) -> str:
    return t(key, lang) if key in table() else fallback


def topic_title(topic: manifest.Topic, lang: str) -> str:
    return _text(f"{topic.id}.title", lang, topic.id)


def video_caption(topic: manifest.Topic, scene_id: str, lang: str) -> str:
    return _text(f"page.video_caption.{scene_id}", lang, topic_title(topic, lang))


def figure_caption(topic: manifest.Topic, fig_id: str, lang: str) -> str:
    return _text(f"page.figure_caption.{fig_id}", lang, topic_title(topic, lang))


def chapter_summary(chapter: manifest.Chapter, lang: str) -> str:
    return _text(f"page.summary.ch{chapter.number:02d}", lang, "")


def _rel(path: Path, out: Path) -> str:
    return _e(path.relative_to(out).as_posix())


# -- files made beside the videos ----------------------------------------------------------------------------

def _stale(target: Path, source: Path) -> bool:
    """Whether ``target``, made from ``source``, is to be made (again): missing, empty, or not carrying
    ``source``'s modification time (``_made_from`` gives it that time when it is made)."""
    return (not target.exists() or target.stat().st_size == 0
            or target.stat().st_mtime_ns != source.stat().st_mtime_ns)


def _made_from(target: Path, source: Path) -> None:
    stat = source.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))


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


def ink(frame: np.ndarray, header: float = 0.15) -> float:
    """The share of a frame's pixels below its header that differ clearly from its background (the
    median colour of its border)."""
    rgb = frame.astype(np.int16)
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    background = np.median(border, axis=0)
    below = rgb[int(rgb.shape[0] * header):]
    return float((np.abs(below - background).max(axis=2) > 40).mean())


def representative_frame(video: Path, samples: int = 13) -> np.ndarray:
    """The frame with most ink below the header among ``samples`` frames from 30 % to 90 % of the video
    (the title card and the closing fade are outside that span); ties go to the one nearest 60 %.
    One pass through the video (a seek would decode from the last key frame each time)."""
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        duration = float(container.duration / 1e6) if container.duration else 0.0
        targets = [duration * (0.3 + 0.6 * i / max(samples - 1, 1)) for i in range(samples)]
        best, best_key, first = None, None, None
        for frame in container.decode(stream):
            if first is None:
                first = frame
            if not targets:
                break
            if frame.time is None or frame.time < targets[0] - 1e-3:
                continue
            at = targets[0]
            while targets and targets[0] <= frame.time + 1e-3:  # a held frame stands for every target it covers
                targets.pop(0)
            rgb = frame.to_ndarray(format="rgb24")
            key = (round(ink(rgb), 3), -abs(at / duration - 0.6))
            if best_key is None or key > best_key:
                best, best_key = rgb, key
        if best is None:  # too short to sample: its first frame
            best = first.to_ndarray(format="rgb24")
    return best


def write_poster(video: Path) -> Path:
    """The video's poster (JPEG beside it), made when missing or when the video changed."""
    from PIL import Image

    poster = poster_path(video)
    if _stale(poster, video):
        with atomic_path(poster, suffix=".jpg") as tmp:
            Image.fromarray(representative_frame(video)).save(tmp, "JPEG", quality=85)
        _made_from(poster, video)
    return poster


# -- pieces of a page -------------------------------------------------------------------------------------

def _video_block(topic: manifest.Topic, scene_id: str, out: Path, lang: str) -> str:
    folder = out / topic.slug
    videos = {code: folder / f"{scene_id}.{code}.mp4" for code in LANGS}
    shown = lang if videos[lang].exists() else _other(lang) if videos[_other(lang)].exists() else None
    if shown is None:
        return ""
    video = videos[shown]
    poster = write_poster(video)
    caption = video_caption(topic, scene_id, lang)
    tracks, downloads = [], [f'<a href="{_rel(video, out)}" download>{_e(t("page.video", lang))} MP4</a>']
    for code in (lang, _other(lang)):
        srt_path = folder / f"{scene_id}.{code}.srt"
        if not srt_path.exists():
            continue
        vtt = srt_path.with_suffix(".vtt")
        if _stale(vtt, srt_path):
            srt_to_vtt(srt_path, vtt)
            _made_from(vtt, srt_path)
        # Browsers treat every file: URL as its own origin and refuse a <track> from another file, so
        # the subtitles travel inside the page as a data: URL (the .vtt and .srt stay beside the video).
        data = base64.b64encode(vtt.read_bytes()).decode("ascii")
        default = " default" if code == lang else ""
        tracks.append(f'<track kind="subtitles" srclang="{code}" label="{_e(t("page.lang_name", code))}" '
                      f'src="data:text/vtt;charset=utf-8;base64,{data}"{default}>')
        downloads.append(f'<a href="{_rel(srt_path, out)}" download>{_e(t("page.subtitles", lang))} '
                         f'{code} (SRT)</a> <a href="{_rel(vtt, out)}" download>(VTT)</a>')
    note = ""
    if shown != lang:
        note = f' <span class="note">{_e(t("page.other_lang_video", lang).format(lang=t("page.lang_name", shown)))}</span>'
    return (f'<figure class="video"><video controls preload="none" poster="{_rel(poster, out)}" '
            f'aria-label="{_e(caption)}" src="{_rel(video, out)}" data-scene="{_e(scene_id)}">{"".join(tracks)}'
            f'</video><img class="print-poster" src="{_rel(poster, out)}" alt="{_e(caption)}" loading="lazy">'
            f'<figcaption><span class="title">{_e(caption)}</span>{note}'
            f'<span class="downloads">{_e(t("page.download", lang))}: {" · ".join(downloads)}</span>'
            f'</figcaption></figure>')


def _figure_block(topic: manifest.Topic, fig_id: str, out: Path, lang: str) -> str:
    folder = out / topic.slug
    shown = next((code for code in (lang, _other(lang)) if (folder / f"{fig_id}.{code}.png").exists()), None)
    if shown is None:
        return ""
    caption = figure_caption(topic, fig_id, lang)

    def rel(ext: str) -> str:
        return _rel(folder / f"{fig_id}.{shown}.{ext}", out)

    links = " ".join(f'<a href="{rel(ext)}">{ext.upper()}</a>' for ext in ("png", "svg", "pdf")
                     if (folder / f"{fig_id}.{shown}.{ext}").exists())
    return (f'<figure class="figure"><a href="{rel("png")}"><img src="{rel("png")}" alt="{_e(caption)}" '
            f'loading="lazy"></a><figcaption><span class="title">{_e(caption)}</span>'
            f'<span class="downloads">{_e(t("page.download", lang))}: {links}</span></figcaption></figure>')


def _numbers(topic: manifest.Topic, results_dir: Path, lang: str) -> str:
    rows = []
    for number in topic.numbers:
        npz_path = results_dir / f"{number.experiment}.npz"
        if not npz_path.exists():
            continue
        with np.load(npz_path, allow_pickle=False) as data:
            if number.array not in data.files:
                continue
            value = np.asarray(data[number.array]).reshape(-1)[-1]
        rows.append(f'<tr><th scope="row">{_e(t(number.key, lang))}</th>'
                    f'<td class="value">{_e(fmt(float(value), number.digits))}</td></tr>')
    if not rows:
        return ""
    return f'<h3>{_e(t("page.numbers", lang))}</h3><table class="numbers"><tbody>{"".join(rows)}</tbody></table>'


def _claims(verdicts, lang: str) -> str:
    if not verdicts:
        return ""
    rows = "".join(
        f'<tr class="{"holds" if v.holds else "fails"}"><td>{_e(v.statement(lang))}</td>'
        f'<td class="measured">{_e(v.measured_text())}</td>'
        f'<td class="mark">{_e(t("page.holds" if v.holds else "page.fails", lang))}</td></tr>' for v in verdicts)
    return (f'<h3>{_e(t("page.claims", lang))}</h3><table class="claims"><thead><tr>'
            f'<th scope="col">{_e(t("page.claim", lang))}</th><th scope="col">{_e(t("page.measured", lang))}</th>'
            f'<th scope="col">{_e(t("page.verdict", lang))}</th></tr></thead><tbody>{rows}</tbody></table>')


def _setting(value) -> str:
    if isinstance(value, float):
        return fmt(value, 4)
    if isinstance(value, list):
        text = ", ".join(_setting(v) for v in value[:8])
        return f"[{text}{', …' if len(value) > 8 else ''}]"
    return str(value)


def _provenance(topic: manifest.Topic, results_dir: Path, out: Path, lang: str) -> str:
    parts = []
    for exp in topic.experiments:
        path = results_dir / f"{exp}.json"
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        settings = ", ".join(f"{k} = {_setting(v)}" for k, v in meta.get("settings", {}).items())
        versions = meta.get("versions", {})
        software = " · ".join(f"{name} {versions[name]}" for name in ("torch", "numpy", "python") if name in versions)
        data = ", ".join(f"{k}: {v}" for k, v in meta.get("data_sources", {}).items()) or t("page.none", lang)
        device = meta.get("device", "")
        if meta.get("device_name"):
            device += f" ({meta['device_name']})"
        rows = [("experiment", f'<a href="{_rel(path, out)}">{_e(exp)}</a>'),
                ("settings", f"<code>{_e(settings)}</code>" if settings else _e(t("page.none", lang))),
                ("seed", _e(meta.get("seed", ""))), ("device", _e(device)), ("software", _e(software)),
                ("data_source", _e(data)), ("computed_at", _e(meta.get("created", "")))]
        parts.append("<dl>" + "".join(f'<dt>{_e(t("page." + k, lang))}</dt><dd>{v}</dd>' for k, v in rows) + "</dl>")
    if not parts:
        return ""
    return (f'<details class="provenance"><summary>{_e(t("page.provenance", lang))}</summary>'
            f'{"".join(parts)}</details>')


def _head(title: str, lang: str, counterpart: str) -> str:
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<link rel="icon" href="data:,">
<link rel="alternate" hreflang="{_other(lang)}" href="{counterpart}">
<link rel="stylesheet" href="assets/page.css">
</head>
<body>
<a class="skip" href="#content">{_e(t("page.skip", lang))}</a>
<header class="site"><a class="brand" href="{page_name(None, lang)}">{_e(t("page.site_title", lang))}<span>{_e(t("page.site_title", _other(lang)))}</span></a>
<a class="lang-switch" href="{counterpart}" hreflang="{_other(lang)}" lang="{_other(lang)}" rel="alternate" title="{_e(t("page.switch_label", lang))}">{_e(t("page.lang_name", _other(lang)))}</a></header>
"""


def _toc(lang: str, current: int | None) -> str:
    items = []
    for chapter in manifest.CHAPTERS:
        here = ' aria-current="page"' if chapter.number == current else ""
        items.append(f'<li><a href="{page_name(chapter.number, lang)}"{here}><span class="num">{chapter.number}.</span>'
                     f'{_e(chapter.title(lang))}</a></li>')
    return (f'<nav class="toc" aria-label="{_e(t("page.contents", lang))}"><h2>{_e(t("page.contents", lang))}</h2>'
            f'<ol>{"".join(items)}</ol></nav>')


def _foot(lang: str) -> str:
    return f'<footer>{_e(t("page.footer", lang))}</footer>\n</body>\n</html>\n'


# -- the pages -------------------------------------------------------------------------------------------

def chapter_page(chapter: manifest.Chapter, out: Path, lang: str, verdicts, explorer_blocks) -> tuple[str, str | None]:
    """A chapter's page in ``lang`` and the path (relative to ``out``) of its thumbnail, if any."""
    results_dir = out / "results"
    thumb, figure_thumb = None, None
    articles, chips = [], []
    for topic in chapter.topics:
        title = topic_title(topic, lang)
        chips.append(f'<li><a href="#{_e(topic.id)}">{_e(title)}</a></li>')
        videos = [_video_block(topic, s.id, out, lang) for s in topic.scenes]
        videos = [v for v in videos if v]
        if videos and thumb is None:
            thumb = _first_poster(topic, out, lang)
        figures = [b for b in (_figure_block(topic, f.id, out, lang) for f in topic.figures) if b]
        if figures and figure_thumb is None:
            figure_thumb = _first_figure(topic, out, lang)
        explorers = explorer_blocks(topic.id, lang, "")
        # unbuilt: no video and no figure (explorers alone are not printed, so such a topic is left out of print)
        built = "" if videos or figures else " unbuilt"
        parts = [f'<article class="topic{built}" id="{_e(topic.id)}" data-topic="{_e(topic.id)}">'
                 f'<h2>{_e(title)}</h2>']
        subtitle = _text(f"{topic.id}.subtitle", lang, "")
        if subtitle:
            parts.append(f'<p class="subtitle">{_e(subtitle)}</p>')
        if videos:
            parts.append(f'<div class="videos">{"".join(videos)}</div>')
        if built:
            parts.append(f'<p class="empty">{_e(t("page.topic_not_built", lang))} '
                         f'(<code>python render.py --only {_e(topic.id)}</code>)</p>')
        if explorers:
            parts.append(f'<div class="explorers">{explorers}</div>')
        if figures:
            parts.append(f'<div class="figures">{"".join(figures)}</div>')
        parts.append(_numbers(topic, results_dir, lang))
        parts.append(_claims(claims.for_topic(verdicts, topic.id), lang))
        parts.append(_provenance(topic, results_dir, out, lang))
        parts.append("</article>")
        articles.append("".join(parts))
    if not articles:
        articles.append(f'<p class="empty">{_e(t("page.nothing_built", lang))}</p>')
    number = chapter.number
    prevnext = []
    if number > 1:
        before = manifest.CHAPTERS[number - 2]
        prevnext.append(f'<a class="prev" rel="prev" href="{page_name(before.number, lang)}"><span class="dir">'
                        f'← {_e(t("page.previous", lang))}</span>{before.number}. {_e(before.title(lang))}</a>')
    if number < len(manifest.CHAPTERS):
        after = manifest.CHAPTERS[number]
        prevnext.append(f'<a class="next" rel="next" href="{page_name(after.number, lang)}"><span class="dir">'
                        f'{_e(t("page.next", lang))} →</span>{after.number}. {_e(after.title(lang))}</a>')
    title = f'{t("page.chapter_label", lang).format(n=number)} · {chapter.title(lang)}'
    chips_html = (f'<ul class="topics-here" aria-label="{_e(t("page.in_chapter", lang))}">{"".join(chips)}</ul>'
                  if len(chips) > 1 else "")
    page = (_head(f'{title} — {t("page.site_title", lang)}', lang, page_name(number, _other(lang)))
            + f'<div class="layout">{_toc(lang, number)}<main id="content" data-chapter="{number}">'
            f'<p class="chapter-kicker">{_e(t("page.chapter_label", lang).format(n=number))}</p>'
            f'<h1>{_e(chapter.title(lang))}</h1><p class="lead">{_e(chapter_summary(chapter, lang))}</p>'
            f'{chips_html}{"".join(articles)}'
            f'<nav class="prevnext" aria-label="{_e(t("page.previous", lang))} / {_e(t("page.next", lang))}">'
            f'{"".join(prevnext)}</nav></main></div>\n' + _foot(lang))
    return page, thumb or figure_thumb


def _first_poster(topic: manifest.Topic, out: Path, lang: str) -> str | None:
    for scene in topic.scenes:
        for code in (lang, _other(lang)):
            poster = poster_path(out / topic.slug / f"{scene.id}.{code}.mp4")
            if poster.exists():
                return poster.relative_to(out).as_posix()
    return None


def _first_figure(topic: manifest.Topic, out: Path, lang: str) -> str | None:
    for fig in topic.figures:
        for code in (lang, _other(lang)):
            png = out / topic.slug / f"{fig.id}.{code}.png"
            if png.exists():
                return png.relative_to(out).as_posix()
    return None


def index_page(out: Path, lang: str, thumbs: dict[int, str | None]) -> str:
    cards = []
    for chapter in manifest.CHAPTERS:
        thumb = thumbs.get(chapter.number)
        if thumb is None:
            image = f'<div class="thumb none" aria-hidden="true">{chapter.number}</div>'
        else:
            kind = "poster" if thumb.endswith(".jpg") else "figure"
            image = f'<img class="thumb {kind}" src="{_e(thumb)}" alt="" loading="lazy">'
        videos = sum(any((out / tp.slug / f"{s.id}.{code}.mp4").exists() for code in LANGS)
                     for tp in chapter.topics for s in tp.scenes)
        figures = sum(any((out / tp.slug / f"{f.id}.{code}.png").exists() for code in LANGS)
                      for tp in chapter.topics for f in tp.figures)
        counts = (t("page.counts", lang).format(videos=videos, figures=figures) if videos or figures
                  else t("page.topic_not_built", lang))
        cards.append(f'<li data-chapter="{chapter.number}"><a class="card" href="{page_name(chapter.number, lang)}">{image}'
                     f'<div class="text"><span class="kicker">{_e(t("page.chapter_label", lang).format(n=chapter.number))}'
                     f'</span><h2>{_e(chapter.title(lang))}</h2><p>{_e(chapter_summary(chapter, lang))}</p>'
                     f'<p class="counts">{_e(counts)}</p>'
                     f'</div></a></li>')
    return (_head(t("page.site_title", lang), lang, page_name(None, _other(lang)))
            + f'<div class="layout">{_toc(lang, None)}<main id="content">'
            f'<h1>{_e(t("page.site_title", lang))}</h1><p class="lead">{_e(t("page.site_subtitle", lang))}</p>'
            f'<ol class="chapters" aria-label="{_e(t("page.chapters", lang))}">{"".join(cards)}</ol>'
            f'</main></div>\n' + _foot(lang))


def _write(path: Path, text: str) -> None:
    """Write ``text`` unless the file already holds it (an unchanged page keeps its time stamp)."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    atomic_write_text(path, text)


def build(out: Path, lang: str = "ko") -> Path:
    """Write the index and the chapter pages in both languages from what is built in ``out``; return
    the index in ``lang``."""
    from . import explorers

    out = Path(out)
    results_dir = out / "results"
    verdicts = claims.current(claims.load(results_dir), results_dir)  # judged on the results as they are now
    explorers.write(out, results_dir)
    _write(out / "assets" / "page.css", CSS)
    for code in LANGS:
        thumbs = {}
        for chapter in manifest.CHAPTERS:
            text, thumbs[chapter.number] = chapter_page(chapter, out, code, verdicts, explorers.blocks)
            _write(out / page_name(chapter.number, code), text)
        _write(out / page_name(None, code), index_page(out, code, thumbs))
    return out / page_name(None, lang)
