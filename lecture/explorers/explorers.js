/* The course page's explorers of computed runs: plain JavaScript drawing SVG from the data files
 * explorers/<name>.data.js (each sets window.LectureExplorerData[name], exported from the engine's results
 * by lecture/explorers).  Included once per explorer; every inclusion draws the explorers not drawn yet.
 *
 * Every plot is a <g class="plot"> whose data-x / data-y attributes give its mapping
 * ("v0,v1,p0,p1,lin|log": data values v0..v1 drawn at pixels p0..p1), so that a test can read the
 * drawn coordinates back as data values.  Every drawn series carries data-series. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var INK = "#1B1F24", MUTED = "#5F6670", GRID = "#D8DEE9";
  var DARK_WARN = "#A13F00";   // text in the vermillion of divergence, darkened to a contrast of 6:1 on white
  var SUP = { "-": "\u207B", "0": "\u2070", "1": "\u00B9", "2": "\u00B2", "3": "\u00B3", "4": "\u2074",
              "5": "\u2075", "6": "\u2076", "7": "\u2077", "8": "\u2078", "9": "\u2079" };

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, str, attrs) {
    var a = { x: x, y: y, fill: INK, "font-size": 13 };
    for (var k in attrs || {}) a[k] = attrs[k];
    var node = el("text", a, parent);
    node.textContent = str;
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  /* a number as the lecture writes it: a few significant digits, powers of ten as ×10ⁿ, a true minus */
  function fmt(v, digits) {
    if (v === null || v === undefined || !isFinite(v)) return "\u2014";
    digits = digits || 3;
    if (v === 0) return "0";
    var a = Math.abs(v), s;
    if (a >= 1e-3 && a < 1e5) {
      s = String(parseFloat(v.toPrecision(digits)));
      if (s.indexOf("e") >= 0) s = v.toFixed(Math.max(0, digits - 1 - Math.floor(Math.log10(a))));
    } else {
      var e = Math.floor(Math.log10(a)), m = parseFloat((v / Math.pow(10, e)).toPrecision(digits));
      if (Math.abs(m) >= 10) { m = m / 10; e += 1; }
      var sup = String(e).split("").map(function (c) { return SUP[c]; }).join("");
      s = (m === 1 ? "" : m === -1 ? "-" : m + "\u00D7") + "10" + sup;
    }
    return s.replace(/^-/, "\u2212");
  }
  function pow10(v) {
    var e = Math.round(Math.log10(v));
    return e === 0 ? "1" : "10" + String(e).split("").map(function (c) { return SUP[c]; }).join("");
  }
  function acc(v) { return v === null || v === undefined ? "\u2014" : v.toFixed(3); }
  function legend(svg, x, y, entries) {
    entries.forEach(function (e, i) {
      var g = el("g", { "class": "legend" }, svg), w = 0;
      el("line", { x1: x, x2: x + 18, y1: y + i * 17, y2: y + i * 17, stroke: e[1], "stroke-width": e[2] || 3 }, g);
      text(g, x + 24, y + i * 17 + 4, e[0], { "font-size": 12, "font-weight": e[3] ? "bold" : "normal" });
    });
  }
  function tpl(str, values) {
    return str.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  /* ---------------------------------------------------------------- plots */
  function Plot(svg, box, xdom, ydom, opts) {
    opts = opts || {};
    this.box = box; this.xdom = xdom; this.ydom = ydom;
    this.xlog = !!opts.xlog; this.ylog = !!opts.ylog;
    this.g = el("g", { "class": "plot", "data-name": opts.name || "",
                       "data-x": [xdom[0], xdom[1], box[0], box[0] + box[2], this.xlog ? "log" : "lin"].join(","),
                       "data-y": [ydom[0], ydom[1], box[1] + box[3], box[1], this.ylog ? "log" : "lin"].join(",") }, svg);
    var id = "clip-" + Math.random().toString(36).slice(2);
    var cp = el("clipPath", { id: id }, this.g);
    el("rect", { x: box[0], y: box[1], width: box[2], height: box[3] }, cp);
    this.axes = el("g", { "class": "axes" }, this.g);
    this.layer = el("g", { "clip-path": "url(#" + id + ")" }, this.g);
    this.top = el("g", {}, this.g);
  }
  Plot.prototype.t = function (v, dom, log) {
    if (log) { v = Math.log10(Math.max(v, dom[0] * 1e-3)); return (v - Math.log10(dom[0])) / (Math.log10(dom[1]) - Math.log10(dom[0])); }
    return (v - dom[0]) / (dom[1] - dom[0]);
  };
  Plot.prototype.x = function (v) { return this.box[0] + this.t(v, this.xdom, this.xlog) * this.box[2]; };
  Plot.prototype.y = function (v) { return this.box[1] + this.box[3] - this.t(v, this.ydom, this.ylog) * this.box[3]; };
  Plot.prototype.d = function (pts) {
    var self = this;
    return pts.map(function (p, i) { return (i ? "L" : "M") + self.x(p[0]).toFixed(2) + " " + self.y(p[1]).toFixed(2); }).join(" ");
  };
  Plot.prototype.line = function (pts, attrs, parent) {
    var a = { d: this.d(pts), fill: "none", "stroke-width": 2, "stroke-linejoin": "round" };
    for (var k in attrs) a[k] = attrs[k];
    return el("path", a, parent || this.layer);
  };
  Plot.prototype.dot = function (p, r, attrs, parent) {
    var a = { cx: this.x(p[0]).toFixed(2), cy: this.y(p[1]).toFixed(2), r: r };
    for (var k in attrs) a[k] = attrs[k];
    return el("circle", a, parent || this.layer);
  };
  function niceTicks(lo, hi, n) {
    var span = hi - lo, step = Math.pow(10, Math.floor(Math.log10(span / n))), err = span / n / step;
    step *= err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1;
    var out = [];
    for (var v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return out;
  }
  function logTicks(lo, hi, every) {
    var out = [];
    for (var e = Math.ceil(Math.log10(lo) - 1e-9); e <= Math.floor(Math.log10(hi) + 1e-9); e += every || 1) out.push(Math.pow(10, e));
    return out;
  }
  Plot.prototype.drawAxes = function (xlabel, ylabel, o) {
    o = o || {};
    var b = this.box, self = this, ax = this.axes;
    el("rect", { x: b[0], y: b[1], width: b[2], height: b[3], fill: "#FFFFFF", stroke: "#AAB2BD" }, ax);
    if (this.xlog && !o.xfmt) o.xfmt = pow10;
    if (this.ylog && !o.yfmt) o.yfmt = pow10;
    var xt = o.xticks || (this.xlog ? logTicks(this.xdom[0], this.xdom[1]) : niceTicks(this.xdom[0], this.xdom[1], 5));
    var yt = o.yticks || (this.ylog ? logTicks(this.ydom[0], this.ydom[1], o.yevery) : niceTicks(this.ydom[0], this.ydom[1], 4));
    xt.forEach(function (v) {
      var x = self.x(v);
      if (o.grid !== false) el("line", { x1: x, x2: x, y1: b[1], y2: b[1] + b[3], stroke: GRID }, ax);
      text(ax, x, b[1] + b[3] + 16, (o.xfmt || fmt)(v), { "text-anchor": "middle", "font-size": 12, fill: MUTED });
    });
    yt.forEach(function (v) {
      var y = self.y(v);
      if (o.grid !== false) el("line", { x1: b[0], x2: b[0] + b[2], y1: y, y2: y, stroke: GRID }, ax);
      text(ax, b[0] - 6, y + 4, (o.yfmt || fmt)(v), { "text-anchor": "end", "font-size": 12, fill: MUTED });
    });
    if (xlabel) text(ax, b[0] + b[2] / 2, b[1] + b[3] + 34, xlabel, { "text-anchor": "middle" });
    if (ylabel) text(ax, b[0], o.ylabelY || b[1] - 8, ylabel, { "text-anchor": "start" });
  };
  function contours(plot, sets, colour) {
    var g = el("g", { "class": "contours", stroke: colour || "#B8C0CC", fill: "none", "stroke-width": 1 }, plot.layer);
    sets.forEach(function (set) {
      set.lines.forEach(function (flat) {
        var pts = [];
        for (var i = 0; i < flat.length; i += 2) pts.push([flat[i], flat[i + 1]]);
        el("path", { d: plot.d(pts), "data-level": set.level }, g);
      });
    });
  }
  function cross(plot, p, colour, size) {
    var x = plot.x(p[0]), y = plot.y(p[1]), s = size || 6;
    return el("path", { d: "M" + (x - s) + " " + y + "H" + (x + s) + "M" + x + " " + (y - s) + "V" + (y + s),
                        stroke: colour || INK, "stroke-width": 2 }, plot.top);
  }

  /* ---------------------------------------------------------------- shared set-up */
  function setup(section, data) {
    var T = JSON.parse(section.getAttribute("data-text"));
    if (!data) { section.querySelector(".missing").hidden = false; section.classList.add("empty"); return null; }
    var sources = Array.isArray(data.sources) ? data.sources : [data.source];
    section.querySelector(".source").textContent = sources.filter(Boolean).map(function (s) {
      return tpl(T.source, s);
    }).join(" \u00B7 ");
    return T;
  }
  function slider(section, id, max, value, onchange) {
    var input = section.querySelector("#" + id);
    input.min = 0; input.max = max; input.value = value;
    input.addEventListener("input", onchange);
    input.addEventListener("change", onchange);
    return input;
  }
  function nearest(list, v) {
    var best = 0;
    for (var i = 1; i < list.length; i++) if (Math.abs(list[i] - v) < Math.abs(list[best] - v)) best = i;
    return best;
  }

  /* ---------------------------------------------------------------- (a) learning rates */
  function drawGD(section, D) {
    var T = setup(section, D);
    if (!T) return;
    var P = D.parabola, B = D.textbook;
    section.querySelector(".intro").textContent = tpl(T.intro, {
      n: P.lrs.length, start: fmt(P.w[0][0]), tstart: B ? fmt(B.path[0][0][0]) + ", " + fmt(B.path[0][0][1]) : "\u2014" });
    var svgP = section.querySelector('[data-panel="parabola"]'), svgT = section.querySelector('[data-panel="textbook"]'),
        svgL = section.querySelector('[data-panel="loss"]');
    if (!B) svgT.style.display = "none";
    var input = slider(section, "x-gd-lr", P.lrs.length - 1, D["default"], render);
    var out = section.querySelector("#x-gd-lr-value");
    var status = section.querySelector(".status");

    function render() {
      var k = +input.value, lr = P.lrs[k];
      out.textContent = "\u03B7 = " + fmt(lr, 3);
      input.setAttribute("aria-valuetext", "\u03B7 = " + fmt(lr, 3));
      section.setAttribute("data-lr", lr);
      var msgs = [];
      // the parabola: the curve J = w² and the path (w_t, J_t)
      clear(svgP);
      var cw = D.parabola.curve.w, cmax = Math.max.apply(null, cw.map(Math.abs));
      var pp = new Plot(svgP, [52, 34, 350, 216], [-cmax, cmax], [0, cmax * cmax * 1.08], { name: "parabola" });
      pp.drawAxes("w", T.parabola);
      pp.line(cw.map(function (w, i) { return [w, P.curve.J[i]]; }), { stroke: MUTED, "stroke-width": 1.5, "data-series": "curve" });
      var pts = P.w[k].map(function (w, i) { return [w, P.J[k][i]]; });
      var colour = P.diverged[k] ? D.colours.diverged : D.colours.parabola;
      pp.line(pts, { stroke: colour, "data-series": "path", "data-run": k, "data-lr": lr });
      pts.forEach(function (p, i) { pp.dot(p, i === pts.length - 1 ? 5 : 3.5, { fill: colour }); });
      msgs.push(T.parabola + ": " + ending(P, k, T));
      if (P.diverged[k]) text(pp.top, 60, 54, "\u2716 " + tpl(T.diverged_short, { step: P.last[k] }),
                              { fill: DARK_WARN, "font-weight": "bold", "data-role": "diverged" });
      // the textbook surface: contours and the path (x_t, y_t) of the run with the nearest rate
      var kt = null;
      if (B) {
        clear(svgT);
        kt = nearest(B.lrs, lr);
        var dm = B.domain;
        var tp = new Plot(svgT, [52, 34, 350, 216], [dm[0], dm[1]], [dm[2], dm[3]], { name: "textbook" });
        tp.drawAxes("x", T.textbook, { grid: false });
        contours(tp, B.contours);
        var tcol = B.diverged[kt] ? D.colours.diverged : D.colours.textbook;
        tp.line(B.path[kt], { stroke: tcol, "data-series": "path", "data-run": kt, "data-lr": B.lrs[kt] });
        B.path[kt].forEach(function (p, i) { tp.dot(p, i === B.path[kt].length - 1 ? 5 : 3, { fill: tcol }); });
        cross(tp, [0, 0]);
        msgs.push(T.textbook + ": " + ending(B, kt, T));
        if (B.diverged[kt]) text(tp.top, 60, 54, "\u2716 " + tpl(T.diverged_short, { step: B.last[kt] }),
                                 { fill: DARK_WARN, "font-weight": "bold", "data-role": "diverged" });
      }
      // the loss relative to its start, log scale; a diverged run is marked where it stopped
      clear(svgL);
      var steps = Math.max(P.steps, B ? B.steps : 0), lo = 1e-8, hi = 10;
      var lp = new Plot(svgL, [52, 70, 350, 180], [0, steps], [lo, hi], { ylog: true, name: "loss" });
      lp.drawAxes(T.step, T.loss, { yevery: 2, ylabelY: 20 });
      var cap = lp.y(P.diverge_factor);
      el("line", { x1: lp.box[0], x2: lp.box[0] + lp.box[2], y1: cap, y2: cap, stroke: D.colours.diverged,
                   "stroke-dasharray": "4 4" }, lp.layer);
      text(lp.top, lp.box[0] + lp.box[2] - 4, cap - 6, tpl(T.cap, { factor: fmt(P.diverge_factor) }),
           { "text-anchor": "end", "font-size": 12, fill: DARK_WARN });
      [[P, k, P.J[k], D.colours.parabola, "parabola"], [B, kt, B && kt !== null ? B.loss[kt] : null, D.colours.textbook, "textbook"]]
        .forEach(function (s) {
          if (!s[0] || s[2] === null) return;
          var j0 = s[2][0];
          var rel = s[2].map(function (j, i) { return [i, Math.max(j / j0, lo)]; });
          lp.line(rel, { stroke: s[3], "data-series": s[4], "data-lr": s[0].lrs[s[1]] });
          var end = rel[rel.length - 1];
          if (s[0].diverged[s[1]]) {
            var x = lp.x(end[0]), y = lp.y(Math.min(end[1], hi));
            el("path", { d: "M" + (x - 6) + " " + (y - 6) + "L" + (x + 6) + " " + (y + 6) + "M" + (x + 6) + " " + (y - 6) + "L" + (x - 6) + " " + (y + 6),
                         stroke: D.colours.diverged, "stroke-width": 3, "data-role": "diverged-mark" }, lp.top);
          } else lp.dot(end, 4, { fill: s[3] });
        });
      legend(svgL, lp.box[0], 34, [[T.parabola, D.colours.parabola], [T.textbook, D.colours.textbook]].slice(0, B ? 2 : 1));
      status.textContent = "\u03B7 = " + fmt(lr, 3) + " \u00B7 " + msgs.join(" \u00B7 ");
    }
    render();
  }
  function ending(S, k, T) {
    if (S.diverged[k]) return tpl(T.diverged, { factor: fmt(S.diverge_factor), step: S.last[k] });
    var loss = (S.J || S.loss)[k];
    return tpl(T.ended, { steps: S.last[k], loss: fmt(loss[loss.length - 1]) });
  }

  /* ---------------------------------------------------------------- (b) optimizers */
  function drawOptimizers(section, D) {
    var T = setup(section, D);
    if (!T) return;
    section.querySelector(".intro").textContent = T.intro;
    var svg = section.querySelector('[data-panel="paths"]');
    var toggles = section.querySelector('[data-role="toggles"]');
    var shown = {};
    D.names.forEach(function (name) {
      var label = document.createElement("label");
      label.className = "choice";
      var box = document.createElement("input");
      box.type = "checkbox"; box.checked = true; box.value = name; box.name = "x-opt-shown";
      box.addEventListener("change", function () { shown[name] = box.checked; render(); });
      shown[name] = true;
      var sw = document.createElement("span");
      sw.className = "swatch"; sw.style.background = D.colours[name];
      label.appendChild(box); label.appendChild(sw); label.appendChild(document.createTextNode(name));
      toggles.appendChild(label);
    });
    var surface = D.surfaces[0];
    var input = slider(section, "x-opt-step", surface.steps, surface.steps, render);
    section.querySelectorAll('input[name="x-opt-surface"]').forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (!radio.checked) return;
        surface = D.surfaces.filter(function (s) { return s.id === radio.value; })[0];
        stop();
        input.max = surface.steps; input.value = surface.steps;
        render();
      });
    });
    var out = section.querySelector("#x-opt-step-value");
    // play: the steps one after another over about four seconds; with reduced motion, straight to the last step
    var play = section.querySelector("#x-opt-play"), timer = null;
    function stop() { if (timer) clearInterval(timer); timer = null; play.textContent = play.getAttribute("data-play"); }
    play.addEventListener("click", function () {
      if (timer) { stop(); return; }
      if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
        input.value = surface.steps; render(); return;
      }
      if (+input.value >= surface.steps) input.value = 0;
      var per = Math.max(1, Math.round(surface.steps / 120));
      play.textContent = play.getAttribute("data-pause");
      timer = setInterval(function () {
        input.value = Math.min(surface.steps, +input.value + per);
        render();
        if (+input.value >= surface.steps) stop();
      }, 33);
    });
    input.addEventListener("keydown", stop);
    var tbody = section.querySelector('[data-role="readout"] tbody'), status = section.querySelector(".status");

    function render() {
      var step = +input.value, dm = surface.domain;
      out.textContent = step + " / " + surface.steps;
      section.setAttribute("data-surface", surface.id);
      section.setAttribute("data-step", step);
      clear(svg);
      // the plot keeps the surface's aspect ratio inside 560 × 310 pixels
      var aspect = (dm[3] - dm[2]) / (dm[1] - dm[0]), w = Math.min(560, 310 / aspect), h = w * aspect;
      var pl = new Plot(svg, [56 + (560 - w) / 2, 40, w, h], [dm[0], dm[1]], [dm[2], dm[3]], { name: "paths" });
      pl.drawAxes("x", T["surface_" + surface.id], { grid: false });
      contours(pl, surface.contours);
      cross(pl, surface.minimum);
      clear(tbody);
      D.names.forEach(function (name) {
        var run = surface.runs[name], upto = Math.min(step, run.last);
        var tr = document.createElement("tr");
        var loss = run.loss[upto];
        tr.innerHTML = "<th></th><td></td><td></td>";
        tr.children[0].innerHTML = '<span class="swatch"></span>';
        tr.children[0].firstChild.style.background = D.colours[name];
        tr.children[0].appendChild(document.createTextNode(name));
        tr.children[1].textContent = fmt(run.lr);
        tr.children[2].textContent = run.stopped && step >= run.last ? tpl(T.stopped, { step: run.last }) : fmt(loss, 3);
        tr.setAttribute("data-name", name);
        tbody.appendChild(tr);
        if (!shown[name]) { tr.classList.add("off"); return; }
        var pts = run.path.slice(0, upto + 1);
        pl.line(pts, { stroke: D.colours[name], "stroke-width": 2.2, "data-series": name, "data-step": upto });
        pl.dot(pts[pts.length - 1], 5.5, { fill: D.colours[name], stroke: "#FFFFFF", "stroke-width": 1.5,
                                           "data-series": name + "-now" }, pl.top);
      });
      pl.dot(surface.runs[D.names[0]].path[0], 4, { fill: INK }, pl.top);
      status.textContent = T["surface_" + surface.id] + " \u00B7 " + T.step + " " + step + " / " + surface.steps;
    }
    render();
  }

  /* ---------------------------------------------------------------- (c) initialization */
  function drawInit(section, D) {
    var T = setup(section, D);
    if (!T) return;
    section.querySelector(".intro").textContent = T.intro;
    var selInit = section.querySelector("#x-init-init"), selAct = section.querySelector("#x-init-act");
    var input = slider(section, "x-init-layer", D.layers - 1, 0, render);
    selInit.addEventListener("change", render);
    selAct.addEventListener("change", render);
    var out = section.querySelector("#x-init-layer-value"), status = section.querySelector(".status");
    var svgH = section.querySelector('[data-panel="hist"]'), svgS = section.querySelector('[data-panel="std"]');

    function render() {
      var init = selInit.value, act = selAct.value, layer = +input.value;
      out.textContent = (layer + 1) + " / " + D.layers;
      input.setAttribute("aria-valuetext", T.layer + " " + (layer + 1));
      section.setAttribute("data-combination", act + "/" + init + "/" + layer);
      var edges = D.edges[act], hist = D.hist[act][init], total = D.samples;
      var ymax = 0;
      hist.forEach(function (row) { row.forEach(function (c) { ymax = Math.max(ymax, c / total); }); });
      ymax = niceTicks(0, ymax * 1.05, 4).slice(-1)[0] < ymax * 1.05 ? ymax * 1.1 : niceTicks(0, ymax * 1.05, 4).slice(-1)[0];
      clear(svgH);
      var hp = new Plot(svgH, [60, 34, 400, 216], [edges[0], edges[edges.length - 1]], [0, ymax], { name: "hist" });
      hp.drawAxes(T["init_" + init] + " \u00B7 " + T.layer + " " + (layer + 1), T.share);
      var colour = D.colours[init];
      var bars = el("g", { "data-series": "bars", fill: colour }, hp.layer);
      hist[layer].forEach(function (c, i) {
        var x0 = hp.x(edges[i]), x1 = hp.x(edges[i + 1]), y = hp.y(c / total);
        el("rect", { x: (x0 + 0.5).toFixed(2), width: Math.max(0, x1 - x0 - 1).toFixed(2), y: y.toFixed(2),
                     height: (hp.y(0) - y).toFixed(2), "data-count": c }, bars);
      });
      var sd = D.std[act][init][layer], msg = tpl(T.std, { std: fmt(sd, 3) });
      if (act === "relu") msg += " \u00B7 " + tpl(T.zeros, { pct: fmt(100 * D.zero_frac[act][init][layer], 3) });
      msg += " \u00B7 " + tpl(T.range, { lo: fmt(edges[0]), hi: fmt(edges[edges.length - 1]) });
      text(hp.top, hp.box[0] + hp.box[2] - 8, hp.box[1] + 20, tpl(T.std, { std: fmt(sd, 3) }),
           { "text-anchor": "end", "font-weight": "bold", "data-role": "std", "data-value": sd });
      status.textContent = T["init_" + init] + " \u00B7 " + T["act_" + act] + " \u00B7 " + T.layer + " " + (layer + 1) + ": " + msg;
      // the standard deviation of every layer for the four initializations of this activation
      clear(svgS);
      var all = [];
      D.inits.forEach(function (i) { all = all.concat(D.std[act][i]); });
      var lo = Math.pow(10, Math.floor(Math.log10(Math.min.apply(null, all)))),
          hi = Math.pow(10, Math.ceil(Math.log10(Math.max.apply(null, all))));
      if (hi / lo < 100) { lo /= 10; hi *= 10; }
      var sp = new Plot(svgS, [60, 34, 270, 216], [0.7, D.layers + 0.3], [lo, hi], { ylog: true, name: "std" });
      var every = Math.max(1, Math.ceil(Math.log10(hi / lo) / 5));
      sp.drawAxes(T.layer, T.std_by_layer, { xticks: D.std[act][init].map(function (v, i) { return i + 1; }), yevery: every });
      D.inits.forEach(function (i, r) {
        var pts = D.std[act][i].map(function (v, l) { return [l + 1, v]; }), on = i === init;
        sp.line(pts, { stroke: D.colours[i], "stroke-width": on ? 3 : 1.5, opacity: on ? 1 : 0.55, "data-series": "std-" + i });
        pts.forEach(function (p) { sp.dot(p, on ? 3.5 : 2.5, { fill: D.colours[i], opacity: on ? 1 : 0.55 }); });
        legend(svgS, 344, 60 + r * 20, [[T["init_" + i], D.colours[i], on ? 3 : 1.5, on]]);
      });
      sp.dot([layer + 1, sd], 7, { fill: "none", stroke: INK, "stroke-width": 2, "data-series": "current" }, sp.top);
    }
    render();
  }

  /* ---------------------------------------------------------------- (d) batch normalization */
  function drawBN(section, D) {
    var T = setup(section, D);
    if (!T) return;
    section.querySelector(".intro").textContent = tpl(T.intro, { n: D.scales.length, seeds: D.seeds.length });
    // the slider runs from the smallest scale to the largest
    var order = D.scales.map(function (s, i) { return i; }).sort(function (a, b) { return D.scales[a] - D.scales[b]; });
    var start = order.indexOf(nearest(D.scales, 0.01));
    var input = slider(section, "x-bn-scale", order.length - 1, start, render);
    var out = section.querySelector("#x-bn-scale-value"), status = section.querySelector(".status");
    var svgC = section.querySelector('[data-panel="curves"]'), svgF = section.querySelector('[data-panel="final"]');

    function render() {
      var k = order[+input.value], scale = D.scales[k];
      out.textContent = fmt(scale, 3);
      input.setAttribute("aria-valuetext", T.scale + " " + fmt(scale, 3));
      section.setAttribute("data-scale", scale);
      clear(svgC);
      var ep = D.epochs, cp = new Plot(svgC, [56, 70, 400, 180], [ep[0], ep[ep.length - 1]], [0, 1], { name: "curves" });
      cp.drawAxes(T.epoch, T.accuracy + " \u00B7 " + T.scale + " " + fmt(scale, 3), { ylabelY: 20 });
      var msgs = [];
      D.variants.forEach(function (v, r) {
        var lo = D.band[v].lo[k], hi = D.band[v].hi[k];
        var band = ep.map(function (e, i) { return [e, hi[i]]; }).concat(ep.map(function (e, i) { return [e, lo[i]]; }).reverse());
        el("path", { d: cp.d(band) + " Z", fill: D.colours[v], opacity: 0.18, stroke: "none", "data-series": v + "-band" }, cp.layer);
        var pts = ep.map(function (e, i) { return [e, D.train_acc[v][k][i]]; });
        cp.line(pts, { stroke: D.colours[v], "stroke-width": 2.5, "data-series": v });
        var last = pts[pts.length - 1];
        msgs.push(tpl(T.readout, { name: T[v], value: acc(last[1]) }));
        legend(svgC, cp.box[0] + r * 190, 44, [[tpl(T.readout, { name: T[v], value: acc(last[1]) }), D.colours[v]]]);
      });
      status.textContent = T.scale + " " + fmt(scale, 3) + ": " + msgs.join(" \u00B7 ");
      clear(svgF);
      var s0 = Math.min.apply(null, D.scales), s1 = Math.max.apply(null, D.scales);
      var fp = new Plot(svgF, [56, 70, 400, 180], [s0 / 1.5, s1 * 1.5], [0, 1], { xlog: true, name: "final" });
      fp.drawAxes(T.scale, T.final, { ylabelY: 20 });
      legend(svgF, fp.box[0], 44, D.variants.map(function (v, r) { return [T[v], D.colours[v]]; }).slice(0, 1));
      legend(svgF, fp.box[0] + 190, 44, D.variants.map(function (v, r) { return [T[v], D.colours[v]]; }).slice(1));
      D.variants.forEach(function (v) {
        var pts = order.map(function (i) { return [D.scales[i], D.train_acc[v][i][D.epochs.length - 1]]; });
        fp.line(pts, { stroke: D.colours[v], "data-series": v });
        pts.forEach(function (p) { fp.dot(p, 3, { fill: D.colours[v] }); });
        fp.dot([scale, D.train_acc[v][k][D.epochs.length - 1]], 7, { fill: "none", stroke: INK, "stroke-width": 2,
                                                                   "data-series": v + "-now" }, fp.top);
      });
      var x = fp.x(scale);
      el("line", { x1: x, x2: x, y1: fp.box[1], y2: fp.box[1] + fp.box[3], stroke: INK, "stroke-dasharray": "3 3" }, fp.layer);
    }
    render();
  }

  var DRAW = { gd: drawGD, optimizers: drawOptimizers, init: drawInit, bn: drawBN };
  var DATA = window.LectureExplorerData || {};
  document.querySelectorAll("section.explorer[data-explorer]").forEach(function (section) {
    var name = section.getAttribute("data-explorer");
    if (section.getAttribute("data-drawn") || !(name in DATA) || !DRAW[name]) return;   // its data file comes first
    section.setAttribute("data-drawn", "1");
    DRAW[name](section, DATA[name]);
  });
})();
