"""The Image to image page's parts: where the picture comes from (a test image, the canvas, an
upload) and what each kind of model shows for it (pix2pix's translation, SRGAN's four columns)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
import torch
from streamlit_drawable_canvas import st_canvas

from gancore.base.arrays import to_uint8_grid
from gancore.base.errors import PictureError
from gancore.base.i18n import _
from gancore.data import tasks
from gancore.data.images import FASHION_CLASSES
from gancore.explore import sampling, superres, translate
from gancore.measure import pixels
from gancore.models.pix2pix import Objective
from gancore.models.srgan import shrink
from ui.common import pictures, state


@dataclass(frozen=True)
class Picked:
    picture: torch.Tensor  # (1, 1, 28, 28) in [-1, 1]: a test image, a drawing or an upload
    target: torch.Tensor | None  # the real picture, for a test image
    caption: str
    outline: bool  # drawn or uploaded as an outline (pix2pix takes it as its edge map)


def big(x: torch.Tensor, scale: int = 6) -> bytes:
    return pictures.png(pictures.grid(to_uint8_grid(x), cols=1, scale=scale))


def names(data: str) -> tuple[str, ...]:
    return FASHION_CLASSES if data in ("shoes", "fashion") else tuple(map(str, range(10)))


def _next_test(data: str) -> None:
    st.session_state["img2img.index"] = (st.session_state.get("img2img.index", 0) + 1) % tasks.test_count(data)


def test_input(data: str) -> Picked:
    last = tasks.test_count(data) - 1
    index = int(st.number_input(_("Test image (0–{last:,}, unseen in training)").format(last=last), 0, last, 0, key="img2img.index"))
    st.button(_("Next test image ▶"), on_click=_next_test, args=(data,), key="img2img.next")
    pair = translate.test_source(data, index)
    return Picked(
        pair["target"],
        pair["target"],
        _("test image {index} ({value})").format(index=index, value=names(data)[int(pair["labels"][0])]),
        False,
    )


def drawn_input(outline: bool) -> Picked | None:
    what = _("the **outline** of a digit (pix2pix's inputs are outlines)") if outline else _("a digit with a thick brush")
    st.caption(_("Draw {what} in white; it is shrunk to 28 × 28.").format(what=what))
    drawn = st_canvas(
        stroke_width=14 if outline else 28, stroke_color="#ffffff", background_color="#000000", height=280, width=280,
        drawing_mode="freedraw", return_image_data=True, key=f"img2img.canvas.{outline}",
    )  # fmt: skip
    picture = translate.from_drawing(drawn.image_data)
    if picture is None:
        st.info(_("The canvas is empty: draw with the mouse (or a finger) and G answers when you let go."), icon="✏️")
        return None
    return Picked(picture, None, _("your drawing"), outline)


def uploaded_input(outline_choice: bool) -> Picked | None:
    kinds = [_("a picture: take its edges"), _("an edge drawing")]
    upload = st.file_uploader(
        _("A picture (PNG, JPEG, GIF, BMP or WebP, up to 5 MB)"), type=["png", "jpg", "jpeg", "gif", "bmp", "webp"], key="img2img.upload"
    )
    kind = st.radio(_("It is"), kinds, horizontal=True, key="img2img.kind") if outline_choice else kinds[0]
    if upload is None:
        st.info(_("Upload a photo or a drawing of a digit or a shoe; dark ink on white paper is inverted to match the data."), icon="📤")
        return None
    try:
        return Picked(translate.from_upload(upload.getvalue()), None, upload.name, kind == kinds[1])
    except PictureError as exc:
        st.error(_("Cannot use {name}: {exc}").format(name=upload.name, exc=exc), icon="⚠️")
        return None


def show(columns: list[tuple[torch.Tensor, str]]) -> None:
    for col, (x, label) in zip(st.columns(len(columns)), columns, strict=True):
        col.image(big(x), caption=label, output_format="PNG", width="stretch")


@st.cache_resource(max_entries=4, show_spinner=False)
def _l1_model(path: str, mtime: float):
    ck = state.load_checkpoint(path, mtime)
    return sampling.generator_from_state(ck.model_cfg, ck.sampling_g, ck.train_cfg.hacks)


def l1_companion(cfg):
    """The same U-Net trained on L1 alone for this data (pix2pix-mnist-l1, pix2pix-shoes-l1), if shipped or saved."""
    if cfg.objective is Objective.L1:
        return None
    path = next((p for p in state.checkpoint_choices().values() if Path(p).stem == f"pix2pix-{cfg.data}-l1"), None)
    return None if path is None else _l1_model(path, Path(path).stat().st_mtime)


def pix2pix_view(g, cfg, picked: Picked) -> torch.Tensor:
    """Input edges, pix2pix, the real picture and the L1-alone model side by side; returns the edges."""
    edges = translate.source_for(picked.picture, cfg.data, picked.outline)
    out, other = translate.translate(g, edges), l1_companion(cfg)
    shown = [(edges, _("Input: edges of {caption}").format(caption=picked.caption)), (out, _("pix2pix (dropout off)"))]
    if picked.target is not None:
        shown.append((picked.target, _("The real picture")))
    if other is not None:
        shown.append((blur := translate.translate(other, edges), _("Trained on L1 alone")))
    show(shown)
    if picked.target is not None:
        alone = _(" · L1 alone {mean:.3f}").format(mean=float((blur - picked.target).abs().mean())) if other is not None else ""
        st.caption(
            _("L1 distance to the real picture (per pixel, on a scale of 2): pix2pix {mean:.3f}{alone}").format(
                mean=float((out - picked.target).abs().mean()), alone=alone
            )
        )
    return edges


def srgan_view(g, cfg, picked: Picked) -> None:
    """The paper's figure: the 7 x 7 input, bicubic, SRResNet, SRGAN and the original, with PSNR / SSIM."""
    lr = shrink(picked.picture)  # (1, 1, 7, 7)
    shown = [
        (
            torch.nn.functional.interpolate(lr, scale_factor=4, mode="nearest"),
            _("Input: {caption}, shrunk to 7 × 7").format(caption=picked.caption),
        )
    ]
    for name, x in superres.columns(g, cfg, lr).items():
        db, same = pixels.picture_scores(x, picked.picture)
        shown.append((x, _("{name} — {db:.1f} dB · SSIM {same:.2f}").format(name=name, db=db, same=same)))
    original = _("The original") if picked.target is not None else _("Your picture, before shrinking")
    show([*shown, (picked.picture, original)])
    st.caption(_("PSNR (dB) and SSIM against the original 28 × 28 picture: higher is closer, pixel by pixel and in local structure."))


TASK_WORDS = {"thick": ("thin", "thick"), "rotate": ("upright", "turned")}  # domain A, domain B in words


def cycle_view(g, cfg, picked: Picked) -> None:
    """The round trip: the input, G's translation, the way back (with the cycle error) and, for a
    test digit, the true other-domain version that training never showed."""
    a_word, b_word = TASK_WORDS[cfg.task]
    forward = st.radio(
        _("Direction"), [f"A → B → A ({a_word} → {b_word} → {a_word})", f"B → A → B ({b_word} → {a_word} → {b_word})"],
        horizontal=True, key="img2img.direction",
    ).startswith("A")  # fmt: skip
    x, truth = picked.picture, picked.target
    caption = picked.caption
    if not forward and truth is not None:  # a test digit in domain B; the truth is the digit as it is
        x, caption = tasks.domain_b(cfg.task, truth), f"{picked.caption}, {b_word}"
    elif truth is not None:
        truth = tasks.domain_b(cfg.task, truth)
    there, back = translate.cycle(g, x, forward)
    to_word, from_word = (b_word, a_word) if forward else (a_word, b_word)
    shown = [
        (x, _("Input: {caption}").format(caption=caption)),
        (there, _("To {to_word}").format(to_word=to_word)),
        (back, _("Back to {from_word}").format(from_word=from_word)),
    ]
    if truth is not None:
        shown.append((truth, _("True {to_word} (unseen)").format(to_word=to_word)))
    show(shown)
    line = _("Cycle error — L1 between the input and its way back: **{mean:.3f}**").format(mean=float((back - x).abs().mean()))
    if truth is not None:
        line += _(" · L1 to the true {to_word} version: translation **{mean:.3f}**, the input itself {mean2:.3f}").format(
            to_word=to_word, mean=float((there - truth).abs().mean()), mean2=float((x - truth).abs().mean())
        )
    st.caption(line + _(" (per pixel, on a scale of 2)."))
