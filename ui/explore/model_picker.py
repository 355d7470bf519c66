"""Where an exploration page gets its generator: a shipped or saved checkpoint, or a live run.

Each page opens on its shipped checkpoint; the picker also offers every saved checkpoint and
every run on this server that has published a copy of G. A model of the wrong kind gets a
clear message and a way forward instead of a broken page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
import torch
from torch import nn

from gancore.base.config import HackConfig, ModelConfig
from gancore.base.errors import CheckpointError, FamilyError
from gancore.base.i18n import _
from gancore.base.paths import SHIPPED_DIR
from gancore.explore import sampling
from gancore.io import checkpoints
from gancore.models import catalog
from ui.common import state


def kind(family: str) -> str:
    """What the pages call a model of ``family`` ("an InfoGAN"), from the family registry."""
    try:
        return _(catalog.get(family).kind)
    except FamilyError:
        return family


@dataclass(frozen=True)
class Source:
    """A generator's weights and everything needed to use them."""

    label: str
    key: str  # identifies these exact weights (path and mtime, or run and step): the cache key
    cfg: ModelConfig
    hacks: HackConfig
    dataset: str
    step: int
    live: bool
    g_state: dict[str, torch.Tensor] = field(repr=False, compare=False, hash=False)
    path: str = ""  # the checkpoint file ("" for a live run: its snapshot carries G only)


def _options() -> dict[str, tuple[str, str]]:
    """Label -> ('ck', path) or ('run', run id)."""
    opts = {label: ("ck", path) for label, path in state.checkpoint_choices().items()}
    for rid, run, label in state.registry().runs():
        snap = run.snapshot
        if snap.g_state is not None:
            opts[_("live run {rid} · {label}").format(rid=rid, label=label)] = (
                "run",
                rid,
            )  # no step here: the choice must survive training
    return opts


def _load(kind: str, ref: str) -> Source:
    if kind == "run":
        run = state.registry().get(ref)
        snap = run.snapshot if run else None
        if snap is None or snap.g_state is None:
            raise CheckpointError(_("that run is gone (removed, or the server restarted): pick another source"))
        return Source(
            _("live run {ref}").format(ref=ref), f"run:{ref}:{snap.g_state_step}", snap.model_cfg, snap.train_cfg.hacks, snap.train_cfg.dataset,
            snap.g_state_step, True, snap.g_state,
        )  # fmt: skip
    path = Path(ref)
    ck = state.load_checkpoint(str(path), path.stat().st_mtime)
    return Source(
        ck.name, f"ck:{path}:{path.stat().st_mtime}", ck.model_cfg, ck.train_cfg.hacks, ck.train_cfg.dataset, ck.step, False, ck.sampling_g,
        str(path),
    )  # fmt: skip


def shipped(name: str) -> Source:
    """The shipped checkpoint ``name`` as a source (raises CheckpointError or OSError as a pick would)."""
    return _load("ck", str(SHIPPED_DIR / f"{name}.safetensors"))


def pick(page: str, families: tuple[str, ...], default: str) -> Source:
    """A source picker at the top of the page; stops the page with a message if it cannot be used."""
    opts = _options()
    labels = list(opts)
    start = next((i for i, lab in enumerate(labels) if Path(opts[lab][1]).stem == default), None)
    if not labels:
        st.warning(
            _(
                "No checkpoints found. This page needs {join}: the shipped ones live in `checkpoints/` (run `bash scripts/train_checkpoints.sh` to rebuild them), or train one in the Training Lab."
            ).format(join=" or ".join(kind(f) for f in families)),
            icon="📭",
        )
        st.page_link("pages/train.py", label=_("Open the Training Lab"), icon="🏋️")
        st.stop()
    choice = st.selectbox(
        _("Model"), labels, index=start or 0, key=f"{page}.source", help=_("Shipped, saved, or a live run's latest copy of G")
    )
    try:
        src = _load(*opts[choice])
    except (CheckpointError, OSError) as exc:
        st.error(_("Cannot use this model: {exc}").format(exc=exc), icon="⚠️")
        st.stop()
    if src.cfg.family not in families:
        want = " or ".join(kind(f) for f in families)
        st.warning(
            _("**{label}** is {kind}; this page needs {want}. Pick {default} (shipped) above, or train one in the Training Lab.").format(
                label=src.label, kind=kind(src.cfg.family), want=want, default=default
            ),
            icon="🔀",
        )
        st.page_link("pages/train.py", label=_("Open the Training Lab"), icon="🏋️")
        st.stop()
    where = _("a live run: move any control to pick up its newest weights") if src.live else _("a checkpoint")
    what = kind(src.cfg.family)
    st.caption(
        _("{value} trained on **{dataset}**, step {step:,} · from {where}").format(
            value=what[0].upper() + what[1:], dataset=src.dataset, step=src.step, where=where
        )
    )
    return src


@st.cache_resource(max_entries=8, show_spinner=False)
def _generator(key: str, _src: Source) -> nn.Module:
    return sampling.generator_from_state(_src.cfg, _src.g_state, _src.hacks)


def generator(src: Source) -> nn.Module:
    """The source's G in eval mode, built once per set of weights (shared by every session)."""
    return _generator(src.key, src)


@st.cache_resource(max_entries=8, show_spinner=False)
def _discriminator(key: str, path: str) -> nn.Module:
    ck = state.load_checkpoint(path, Path(path).stat().st_mtime)
    return checkpoints.discriminator(ck).eval()


def discriminator(src: Source) -> nn.Module | None:
    """The source's D (a checkpoint's; None for a live run), built once per file."""
    return _discriminator(src.key, src.path) if src.path else None
