"""Explorers: interactive views of the engine's computed runs on the course page.

Each explorer is plain JavaScript drawing SVG or canvas from a result exported as JSON beside the page
(no CDN, no server; it works from ``file://``). The page (``lecture/page.py``) uses two functions:

* ``write(out, results_dir) -> list[Path]``: export the explorers' data and scripts under
  ``out/explorers/`` from the stored results in ``results_dir`` and return the paths written;
* ``blocks(topic_id, lang, root="") -> str``: the HTML of the explorers that belong beside that topic's
  video ('' when it has none); ``root`` is the relative path from the page to ``out``.

Four explorers (``EXPLORERS``), each beside its topic's video:

* ``gd`` (gradient-descent): a learning-rate slider over gd-parabola's sweep on J(w) = w² and the
  optimizers experiment's SGD sweep on x²/20 + y²: both paths and the loss curves, divergence marked;
* ``optimizers`` (optimizers): the five optimizers on the textbook surface, Beale and the saddle: a surface
  choice, a toggle per optimizer, a step slider;
* ``init`` (weight-init): initialization × activation × layer: the histogram and its standard deviation;
* ``bn`` (batch-norm): a slider over the 16 weight scales: accuracy per epoch with and without batch
  normalization, and the final accuracy against the scale.

Every explorer's data is written twice: ``<name>.json`` and ``<name>.data.js``, which sets
``window.LectureExplorerData[name]`` (a page opened from ``file://`` cannot ``fetch()`` JSON).  When a result is
not stored the data is ``null`` and the explorer says how to compute it.  The script ``explorers.js`` draws every
``<section class="explorer">`` of the page once, however often it is included.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from engine.files import atomic_write_text
from lecture.text import t

from . import data as explorer_data

HERE = Path(__file__).parent
ASSETS = ("explorers.js", "explorers.css")


@dataclass(frozen=True)
class Explorer:
    name: str          # the data's name (``<name>.json``) and the JavaScript's drawer
    topic: str         # the topic whose video it sits beside
    experiments: tuple[str, ...]   # the results it reads (for the message when they are missing) …
    computed_by: tuple[str, ...]   # … and the topics that compute them


EXPLORERS = (
    Explorer("gd", "gradient-descent", ("gd-parabola", "optimizers"), ("gradient-descent", "optimizers")),
    Explorer("optimizers", "optimizers", ("optimizers",), ("optimizers",)),
    Explorer("init", "weight-init", ("weight-init-histograms",), ("weight-init",)),
    Explorer("bn", "batch-norm", ("batch-norm-scales",), ("batch-norm",)),
)


def export(name: str, results_dir: Path) -> dict | None:
    """The data of explorer ``name`` from the stored results (None when a result it needs is not stored)."""
    return explorer_data.BUILDERS[name](Path(results_dir))


def _put(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` unless it holds it already (an unchanged build leaves the files alone)."""
    if not (path.exists() and path.read_text(encoding="utf-8") == text):
        atomic_write_text(path, text)
    return path


def write(out: Path, results_dir: Path) -> list[Path]:
    """Write ``out/explorers/``: the script, the stylesheet, and per explorer ``<name>.json`` and
    ``<name>.data.js``; return the paths written."""
    folder = Path(out) / "explorers"
    folder.mkdir(parents=True, exist_ok=True)
    written = [_put(folder / asset, (HERE / asset).read_text(encoding="utf-8")) for asset in ASSETS]
    for explorer in EXPLORERS:
        payload = export(explorer.name, results_dir)
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        written.append(_put(folder / f"{explorer.name}.json", text))
        written.append(_put(folder / f"{explorer.name}.data.js",
                            "(window.LectureExplorerData = window.LectureExplorerData || {})"
                            f"[{json.dumps(explorer.name)}] = {text};\n"))
    return written


# --------------------------------------------------------------------------- HTML
def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def _texts(lang: str, keys: dict[str, str]) -> str:
    """The strings the script formats, as a JSON attribute value."""
    return _e(json.dumps({name: t(key, lang) for name, key in keys.items()}, ensure_ascii=False))


COMMON_TEXT = {"source": "explorers.source", "step": "explorers.step"}


def _slider(uid: str, label: str) -> str:
    return (f'<div class="control"><label for="{uid}">{_e(label)}</label>'
            f'<input type="range" id="{uid}" min="0" max="0" step="1" value="0">'
            f'<output for="{uid}" id="{uid}-value"></output></div>')


def _gd(lang: str) -> tuple[str, dict]:
    body = (f'<div class="controls">{_slider("x-gd-lr", t("explorers.gd.lr", lang))}</div>'
            '<div class="panels">'
            f'<svg class="panel" data-panel="parabola" viewBox="0 0 420 300" role="img" '
            f'aria-label="{_e(t("explorers.gd.parabola", lang))}"></svg>'
            f'<svg class="panel" data-panel="textbook" viewBox="0 0 420 300" role="img" '
            f'aria-label="{_e(t("explorers.gd.textbook", lang))}"></svg>'
            f'<svg class="panel" data-panel="loss" viewBox="0 0 420 300" role="img" '
            f'aria-label="{_e(t("explorers.gd.loss", lang))}"></svg></div>')
    texts = {"intro": "explorers.gd.intro", "parabola": "explorers.gd.parabola", "textbook": "explorers.gd.textbook",
             "loss": "explorers.gd.loss", "diverged": "explorers.gd.diverged", "ended": "explorers.gd.ended",
             "cap": "explorers.gd.cap", "diverged_short": "explorers.gd.diverged_short"}
    return body, texts


def _optimizers(lang: str) -> tuple[str, dict]:
    surfaces = "".join(
        f'<label class="choice"><input type="radio" name="x-opt-surface" value="{sid}"{" checked" if i == 0 else ""}>'
        f'{_e(t(f"explorers.opt.surfaces.{sid}", lang))}</label>'
        for i, sid in enumerate(("textbook", "beale", "saddle")))
    body = ('<div class="controls">'
            f'<fieldset class="control"><legend>{_e(t("explorers.opt.surface", lang))}</legend>{surfaces}</fieldset>'
            f'<fieldset class="control" data-role="toggles"><legend>{_e(t("explorers.opt.shown", lang))}</legend>'
            '</fieldset>'
            f'{_slider("x-opt-step", t("explorers.step", lang))}'
            f'<button type="button" id="x-opt-play" data-play="{_e(t("explorers.opt.play", lang))}" '
            f'data-pause="{_e(t("explorers.opt.pause", lang))}">{_e(t("explorers.opt.play", lang))}</button></div>'
            '<div class="panels wide"><svg class="panel" data-panel="paths" viewBox="0 0 640 400" role="img" '
            f'aria-label="{_e(t("explorers.opt.title", lang))}"></svg>'
            '<table class="readout" data-role="readout"><thead><tr><th></th><th>η</th>'
            f'<th>{_e(t("explorers.opt.loss", lang))}</th></tr></thead><tbody></tbody></table></div>')
    texts = {"intro": "explorers.opt.intro", "stopped": "explorers.opt.stopped", "loss": "explorers.opt.loss",
             "step": "explorers.step",
             **{f"surface_{s}": f"explorers.opt.surfaces.{s}" for s in ("textbook", "beale", "saddle")}}
    return body, texts


INITS = ("std1", "std0.01", "xavier", "he")
ACTS = ("sigmoid", "tanh", "relu")


def _init(lang: str) -> tuple[str, dict]:
    inits = "".join(f'<option value="{i}"{" selected" if i == "xavier" else ""}>'
                    f'{_e(t(f"weight-init.init.{i}", lang))}</option>' for i in INITS)
    acts = "".join(f'<option value="{a}">{_e(t(f"activations.name.{a}", lang))}</option>' for a in ACTS)
    body = ('<div class="controls">'
            f'<div class="control"><label for="x-init-init">{_e(t("explorers.init.init", lang))}</label>'
            f'<select id="x-init-init">{inits}</select></div>'
            f'<div class="control"><label for="x-init-act">{_e(t("explorers.init.activation", lang))}</label>'
            f'<select id="x-init-act">{acts}</select></div>'
            f'{_slider("x-init-layer", t("explorers.init.layer", lang))}</div>'
            '<div class="panels">'
            '<svg class="panel" data-panel="hist" viewBox="0 0 480 300" role="img" '
            f'aria-label="{_e(t("explorers.init.title", lang))}"></svg>'
            '<svg class="panel" data-panel="std" viewBox="0 0 480 300" role="img" '
            f'aria-label="{_e(t("explorers.init.std_by_layer", lang))}"></svg></div>')
    texts = {"intro": "explorers.init.intro", "std": "explorers.init.std", "zeros": "explorers.init.zeros",
             "range": "explorers.init.range",
             "std_by_layer": "explorers.init.std_by_layer", "layer": "explorers.init.layer",
             "share": "explorers.init.share",
             **{f"init_{i}": f"weight-init.init.{i}" for i in INITS},
             **{f"act_{a}": f"activations.name.{a}" for a in ACTS}}
    return body, texts


def _bn(lang: str) -> tuple[str, dict]:
    body = (f'<div class="controls">{_slider("x-bn-scale", t("explorers.bn.scale", lang))}</div>'
            '<div class="panels">'
            '<svg class="panel" data-panel="curves" viewBox="0 0 480 300" role="img" '
            f'aria-label="{_e(t("explorers.bn.accuracy", lang))}"></svg>'
            '<svg class="panel" data-panel="final" viewBox="0 0 480 300" role="img" '
            f'aria-label="{_e(t("explorers.bn.final", lang))}"></svg></div>')
    texts = {"intro": "explorers.bn.intro", "epoch": "explorers.bn.epoch", "accuracy": "explorers.bn.accuracy",
             "final": "explorers.bn.final", "readout": "explorers.bn.readout", "scale": "explorers.bn.scale",
             "bn": "explorers.bn.with", "plain": "explorers.bn.without"}
    return body, texts


BODIES = {"gd": _gd, "optimizers": _optimizers, "init": _init, "bn": _bn}
TITLES = {"gd": "explorers.gd.title", "optimizers": "explorers.opt.title", "init": "explorers.init.title",
          "bn": "explorers.bn.title"}


def block(explorer: Explorer, lang: str, root: str = "") -> str:
    """One explorer's HTML: its controls and empty drawings, its data and the script that draws them."""
    prefix = f"{root.rstrip('/')}/" if root else ""
    body, keys = BODIES[explorer.name](lang)
    missing = ", ".join(explorer.experiments)
    texts = _texts(lang, {**COMMON_TEXT, **keys})
    return (f'<link rel="stylesheet" href="{_e(prefix)}explorers/explorers.css">'
            f'<section class="explorer" id="explorer-{explorer.name}" data-explorer="{explorer.name}" '
            f'data-text="{texts}" lang="{lang}" aria-labelledby="explorer-{explorer.name}-title">'
            f'<h4 id="explorer-{explorer.name}-title">{_e(t("explorers.heading", lang))} · '
            f'{_e(t(TITLES[explorer.name], lang))}</h4>'
            '<p class="intro"></p>'
            f'{body}'
            '<p class="status" aria-live="polite"></p>'
            f'<p class="missing" hidden>{_e(t("explorers.missing", lang, results=missing))} '
            f'<code>python render.py compute --only {_e(",".join(explorer.computed_by))}</code></p>'
            f'<p class="source"></p><p class="keys">{_e(t("explorers.keys", lang))}</p>'
            '</section>'
            f'<script src="{_e(prefix)}explorers/{explorer.name}.data.js"></script>'
            f'<script src="{_e(prefix)}explorers/explorers.js"></script>')


def blocks(topic_id: str, lang: str, root: str = "") -> str:
    return "".join(block(x, lang, root) for x in EXPLORERS if x.topic == topic_id)
