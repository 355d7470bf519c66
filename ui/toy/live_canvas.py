"""The toy lab's live plane painted in the student's browser, on a canvas.

A class of thirty polls thirty pictures at about 4 Hz. Painted on the server (Pillow, 16 ms a
picture) they took most of its two cores, and every poll waited behind the others'. Here the
server sends the picture's plan (``ui/toy/plan.py``: a 50 x 50 heatmap as bytes, a few hundred
points as 16-bit pixel positions, the lattice, the arrows, the words; about 15 kB of JSON, built
in well under a millisecond) and a small Streamlit component (custom components v2: no iframe,
no build step) paints it. The element stays mounted between polls, so a new plan is a repaint,
not a new chart. ``ui/toy/live_png.py`` paints the same plan for the downloads.
"""

from __future__ import annotations

import base64

import numpy as np
import streamlit as st

from ui.toy.plan import AXIS, GAP, HEAT, INK, UNDEFINED, Plan

SUBPIXEL = 4  # positions travel as int16 quarter pixels
NAN_CODE = 255  # a heat cell where D* is undefined; values 0..254 are D in [0, 1]

JS = """
function bytes(b64) {
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
function positions(b64, sub) {
  const raw = bytes(b64), xy = new Int16Array(raw.buffer, 0, raw.length >> 1);
  return Array.from(xy, (v) => v / sub);
}
function heat(ctx, p, d) {
  const [rows, cols] = p.shape, cells = bytes(p.heat);
  const off = document.createElement("canvas");
  off.width = cols; off.height = rows;
  const octx = off.getContext("2d"), img = octx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    let rgb = d.undefined;
    if (cells[i] !== d.nan) {
      const v = cells[i] / (d.nan - 1);
      let k = 1;
      while (k < d.stops.length - 1 && d.stops[k][0] < v) k++;
      const a = d.stops[k - 1], b = d.stops[k], t = Math.min(1, Math.max(0, (v - a[0]) / (b[0] - a[0])));
      rgb = [1, 2, 3].map((c) => Math.round(a[c] + t * (b[c] - a[c])));
    }
    img.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * i);
  }
  octx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, p.left, p.top, p.w, p.h);
}
function marks(ctx, m, sub) {
  const xy = positions(m.xy, sub), colour = `rgba(${m.rgb.join(",")},${m.alpha / 255})`;
  ctx.fillStyle = colour; ctx.strokeStyle = colour; ctx.lineWidth = 1;
  if (m.kind === "dots") {
    for (let i = 0; i < xy.length; i += 2) {
      ctx.beginPath(); ctx.arc(xy[i], xy[i + 1], 2, 0, 2 * Math.PI); ctx.fill();
    }
    return;
  }
  const per = m.per * 2;  // numbers per polyline
  for (let s = 0; s + per <= xy.length; s += per) {
    ctx.beginPath(); ctx.moveTo(xy[s], xy[s + 1]);
    for (let i = s + 2; i < s + per; i += 2) ctx.lineTo(xy[i], xy[i + 1]);
    ctx.stroke();
  }
}
function text(ctx, words, x, y, size, align, base) {
  ctx.font = `${size}px "Source Sans", "Source Sans Pro", "Noto Sans CJK KR", sans-serif`;
  ctx.textAlign = align; ctx.textBaseline = base; ctx.fillText(words, x, y);
}
function frame(ctx, p, d) {
  ctx.strokeStyle = d.axis; ctx.lineWidth = 1; ctx.fillStyle = d.ink;
  ctx.strokeRect(p.left + 0.5, p.top + 0.5, p.w, p.h);
  for (const [x, label] of p.xticks) {
    ctx.beginPath(); ctx.moveTo(x, p.top + p.h); ctx.lineTo(x, p.top + p.h + 4); ctx.stroke();
    text(ctx, label, x, p.top + p.h + 6, 11, "center", "top");
  }
  for (const [y, label] of p.yticks) {
    ctx.beginPath(); ctx.moveTo(p.left - 4, y); ctx.lineTo(p.left, y); ctx.stroke();
    text(ctx, label, p.left - 6, y, 11, "right", "middle");
  }
  ctx.font = `13px "Source Sans", "Source Sans Pro", "Noto Sans CJK KR", sans-serif`;
  const title = p.titles.find((t) => ctx.measureText(t).width <= p.w + d.gap - 4) || p.titles[p.titles.length - 1];
  text(ctx, title, p.left + p.w / 2, p.top - 8, 13, "center", "alphabetic");
}
function legend(ctx, d) {
  let [x, y] = d.legend_xy;
  for (const [words, rgb, kind] of d.legend) {
    ctx.fillStyle = ctx.strokeStyle = `rgb(${rgb.join(",")})`;
    if (kind === "dot") { ctx.beginPath(); ctx.arc(x + 3, y, 3, 0, 2 * Math.PI); ctx.fill(); }
    else { ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(x - 2, y); ctx.lineTo(x + 10, y); ctx.stroke(); }
    ctx.fillStyle = d.ink;
    text(ctx, words, x + 14, y, 12, "left", "middle");
    x += 26 + ctx.measureText(words).width;
  }
}
function paint(canvas, data) {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(data.width * dpr); canvas.height = Math.round(data.height * dpr);
  canvas.style.width = `${data.width}px`; canvas.style.maxWidth = "100%"; canvas.style.height = "auto";
  canvas.setAttribute("role", "img"); canvas.setAttribute("aria-label", data.label);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, data.width, data.height);
  for (const p of data.panels) if (p.heat) heat(ctx, p, data);
  for (const m of data.marks) marks(ctx, m, data.sub);
  for (const p of data.panels) frame(ctx, p, data);
  legend(ctx, data);
  canvas.dataset.version = String(data.version);
  canvas.dataset.step = String(data.step);
}
function waiting(canvas, words) {
  canvas.width = 200; canvas.height = 30;
  canvas.style.width = "200px"; canvas.style.height = "30px";
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "rgb(120,120,120)";
  text(ctx, words, 0, 15, 14, "left", "middle");
}
export default function (component) {
  const { data, parentElement } = component;
  if (!data) return;
  let canvas = parentElement.querySelector("canvas.toy-plane");
  if (!canvas) {
    canvas = document.createElement("canvas");
    canvas.className = "toy-plane";
    parentElement.appendChild(canvas);
  }
  if (canvas.stopPolling) canvas.stopPolling();  // new data from the page: a new loop
  if (data.picture) paint(canvas, data.picture);
  else waiting(canvas, data.label);
  if (!data.url) return;
  // While the run trains, ask the picture route for its newest picture (204: nothing new yet).
  let version = data.picture ? data.picture.version : -1, stopped = false, timer = null;
  const poll = async () => {
    try {
      const answer = await fetch(`${data.url}&since=${version}`, { cache: "no-store", credentials: "same-origin" });
      if (answer.status === 200) {
        const got = await answer.json();
        if (got.training === false) stopped = true;  // paused or ended: the page draws what comes next
        else if (!stopped) { paint(canvas, got); version = got.version; }
      } else if (answer.status !== 204) stopped = true;
    } catch (e) { /* a dropped connection: try again at the next tick */ }
    if (!stopped) timer = setTimeout(poll, data.every_ms);
  };
  canvas.stopPolling = () => { stopped = true; clearTimeout(timer); };
  timer = setTimeout(poll, data.every_ms);
  return canvas.stopPolling;
}
"""

_plane = st.components.v2.component("gan_explorer.toy_plane", js=JS, isolate_styles=False)


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def _cells(heat: np.ndarray) -> str:
    """A heatmap as one byte a cell: D in [0, 1] -> 0..254, undefined -> 255."""
    codes = np.round(np.clip(np.nan_to_num(heat, nan=0.0), 0.0, 1.0) * (NAN_CODE - 1)).astype(np.uint8)
    codes[np.isnan(heat)] = NAN_CODE
    return _b64(codes)


def _positions(xy: np.ndarray) -> str:
    """Pixel positions as little-endian int16 quarter pixels (a far-off point is clamped off-canvas)."""
    return _b64(np.clip(np.round(xy * SUBPIXEL), -32000, 32000).astype("<i2"))


def payload(pl: Plan, version: int, step: int, label: str) -> dict:
    """What the browser needs to paint ``pl``: plain JSON, small."""
    panels = [
        {
            "left": p.left, "top": p.top, "w": p.w, "h": p.h, "titles": list(p.titles),
            "xticks": [list(t) for t in p.xticks], "yticks": [list(t) for t in p.yticks],
            "heat": _cells(p.heat) if p.heat is not None else None,
            "shape": list(p.heat.shape) if p.heat is not None else None,
        }
        for p in pl.panels
    ]  # fmt: skip
    marks = [
        {"kind": m.kind, "rgb": list(m.rgb), "alpha": m.alpha, "xy": _positions(m.xy), "per": int(m.xy.shape[-2]) if m.xy.ndim == 3 else 1}
        for m in pl.marks
    ]
    return {
        "version": version,
        "step": step,
        "label": label,
        "width": pl.width,
        "height": pl.height,
        "panels": panels,
        "marks": marks,
        "legend": [[text, list(rgb), kind] for text, rgb, kind in pl.legend],
        "legend_xy": list(pl.legend_xy),
        "stops": HEAT.tolist(),
        "undefined": list(UNDEFINED),
        "nan": NAN_CODE,
        "sub": SUBPIXEL,
        "ink": f"rgb{INK}",
        "axis": f"rgb{AXIS}",
        "gap": GAP,
    }


def show(pl: Plan | None, version: int, step: int, label: str, key: str, url: str | None = None, every_ms: int = 200) -> None:
    """Paint ``pl`` (a snapshot's ``version``, at ``step``) in the browser, or ``label`` alone
    while there is no picture yet; the same ``key`` keeps one canvas. With ``url`` (the picture
    route's, ``ui/toy/plane_route.py``) the canvas then asks for each newer picture itself, every
    ``every_ms``, until the run stops training."""
    picture = payload(pl, version, step, label) if pl is not None else None
    data = {"picture": picture, "url": url, "every_ms": every_ms, "label": label}
    _plane(key=key, data=data, width="stretch", height="content")
