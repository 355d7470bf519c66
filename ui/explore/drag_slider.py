"""A slider whose picture follows the thumb *while dragging*.

``st.slider`` sends its value to the server only on release, so a server-rendered image
cannot follow the drag. Here the server renders every position once (a few dozen small PNGs,
tens of milliseconds for a small G) and a tiny self-contained page in an iframe (``st.iframe``) swaps them on
each ``input`` event: no network, no JavaScript library, and nothing the user typed is
injected (the frames are our own PNGs, the label is escaped).
"""

from __future__ import annotations

import base64
import html
import json

import streamlit as st

from gancore.base.i18n import _

_PAGE = """
<div style="font-family: 'Source Sans Pro', sans-serif; color: #31333F">
  <div style="display:flex; justify-content:space-between; font-size:14px">
    <span>{label}</span><span>= <b id="v"></b></span>
  </div>
  <input id="s" type="range" min="0" max="{last}" value="{start}" step="1"
         style="width:100%; accent-color:#6C4AB6" aria-label="{label}">
  <img id="im" alt="{label}" style="width:100%; image-rendering:pixelated; display:block">
</div>
<script>
const F = {frames}, V = {values};
const s = document.getElementById("s"), im = document.getElementById("im"), v = document.getElementById("v");
const pre = F.map(b => {{ const i = new Image(); i.src = "data:image/png;base64," + b; return i; }});
function show() {{ im.src = pre[s.value].src; v.textContent = V[s.value].toFixed(2); im.dataset.frame = s.value; }}
s.addEventListener("input", show);
show();
</script>
"""


def page(frames: list[bytes], values: list[float], label: str, start: int | None = None) -> str:
    """The iframe's HTML: one PNG per slider position, ``values`` shown beside the label."""
    if not frames or len(frames) != len(values):
        raise ValueError(_("scrub needs one frame per value"))
    start = len(frames) // 2 if start is None else start
    return _PAGE.format(
        label=html.escape(label),
        last=len(frames) - 1,
        start=start,
        frames=json.dumps([base64.b64encode(f).decode() for f in frames]),
        values=json.dumps([float(v) for v in values]),
    )


def scrub(frames: list[bytes], values: list[float], label: str, height: int, start: int | None = None) -> None:
    """Show the scrubbing slider; ``height`` must fit the label, the slider and the picture."""
    st.iframe(page(frames, values, label, start), height=height)
