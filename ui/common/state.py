"""Process-wide singletons and per-session identity, and the shared sidebar."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import streamlit as st

from gancore.base import atomic
from gancore.base.device import pick_device
from gancore.base.errors import RayUnavailable
from gancore.base.i18n import N_, _, current_language, phrase, shown
from gancore.base.paths import SHIPPED_DIR, saved_dir
from gancore.data import points2d
from gancore.io import checkpoints, savedfiles
from gancore.runs.classroom import Roster
from gancore.runs.keeper import Keeper
from gancore.runs.protocol import Backend
from gancore.runs.registry import Registry
from ui.common import identity, language

LIVE = "live"  # the saves folder's subfolder of run states kept as they train
KEEP_EVERY_S = (
    max(1.0, float(os.environ.get("GAN_EXPLORER_KEEP_S", "60") or 60))
    if os.environ.get("GAN_EXPLORER_KEEP_S", "60").replace(".", "", 1).isdigit()
    else 60.0
)
BACKEND_NOTES: list[str] = []  # why the server trains locally although it was asked for Ray


def _release(registry: Registry) -> None:
    registry.shutdown()  # hot reload / cache clear: stop every run thread (no zombies)


@st.cache_resource(show_spinner=False, on_release=_release)  # warmed by scripts/serve.py before the first visitor
def registry() -> Registry:
    """The one registry of runs for this server process; each run trains in its own process
    unless ``GAN_EXPLORER_RUNS=thread`` (the tests patch data in-process that way). Starting it
    also removes the temp files of saves that a crash or a kill cut short. A teacher may cap
    every run's length with ``GAN_EXPLORER_MAX_STEPS``."""
    for folder in (saved_dir(), saved_dir() / savedfiles.AUTOSAVES, saved_dir() / LIVE):
        atomic.clean_temp_files(folder)
    cap = os.environ.get("GAN_EXPLORER_MAX_STEPS", "0")
    common = {
        "max_steps": int(cap) if cap.isdigit() else 0,
        "on_expire": _save_for_later,
        "reap_every_s": 30.0,
        "keeper": Keeper(saved_dir() / LIVE, every_s=KEEP_EVERY_S),
        "roster": Roster(teacher_key=os.environ.get("GAN_EXPLORER_TEACHER_KEY", "")),
    }
    hosts = os.environ.get("GAN_EXPLORER_TOY_HOSTS", "0")
    common["toy_hosts"] = min(int(hosts), 16) if hosts.isdigit() else 0  # 0: a quarter of the cores, at least one
    local = Backend.THREAD if os.environ.get("GAN_EXPLORER_RUNS") == "thread" else Backend.PROCESS
    asked = os.environ.get("GAN_EXPLORER_BACKEND", "local").strip().lower()
    BACKEND_NOTES.clear()  # a registry made again (cache cleared) says its own reasons
    if asked == "ray":
        try:
            return Registry(backend=Backend.RAY, ray_address=os.environ.get("GAN_EXPLORER_RAY_ADDRESS") or None, **common)
        except RayUnavailable as exc:
            BACKEND_NOTES.append(phrase("GAN_EXPLORER_BACKEND=ray, but {exc}. Runs train on this machine instead.", exc=str(exc)))
    elif asked != "local":
        BACKEND_NOTES.append(phrase("GAN_EXPLORER_BACKEND is 'local' or 'ray'; runs train on this machine."))
    return Registry(device=pick_device(), backend=local, **common)


def _save_for_later(owner: str, label: str, run) -> None:
    """An away owner's run is about to be removed: keep its work as their autosave (outside their
    quota, listed with their saved checkpoints when they come back). Untrained runs are skipped."""
    if run.snapshot.step > 0 and not run.status.failed:
        state = run.export_state()
        savedfiles.autosave(saved_dir(), owner, run.run_id, state, run.model_cfg, run.train_cfg, dataset=run.train_cfg.dataset)


def owner_token() -> str:
    """This browser's owner token (the runs it starts are its to steer; see ``ui.common.identity``):
    asking for it counts as the owner being here."""
    token = identity.token()
    registry().touch(token)
    return token


def current_run(kind: str, key: str) -> str | None:
    """The id of the run a page of ``kind`` ('image' or 'toy') shows, kept in ``st.session_state[key]``:
    the owner's own ``?run=`` link (from My runs) is taken once and cleared, so "New run" still
    reaches the setup; a fresh session (a reload, a new tab) reopens this browser's newest live run once."""
    reg, me, asked = registry(), owner_token(), st.query_params.get("run")
    mine = reg.owned(asked, me) if asked else None
    if mine is not None and mine.model_cfg.is_image == (kind == "image"):
        st.session_state[key] = asked
        del st.query_params["run"]
    elif key not in st.session_state and not st.session_state.get(f"{key}.adopted"):
        live = [rid for rid, r, _skip in my_runs(kind) if r.status.live]
        if live:
            st.session_state[key] = live[0]
    st.session_state[f"{key}.adopted"] = True
    return st.session_state.get(key)


def my_runs(kind: str) -> list[tuple[str, object, str]]:
    """(id, view, label) of this browser's runs of one kind ('image' or 'toy'), newest first."""
    want_image = kind == "image"
    return [r for r in reversed(registry().runs(owner_token())) if r[1].model_cfg.is_image == want_image]


@st.cache_resource(show_spinner=False, max_entries=16)
def _loaded(path: str, mtime: float) -> checkpoints.Checkpoint:
    return checkpoints.load(path)


@st.cache_resource(show_spinner=False)
def _loaded_once() -> set[tuple[str, float]]:
    """The keys :func:`_loaded` has met: no spinner for those."""
    return set()


@st.cache_resource(show_spinner=False)
def warm_shipped() -> threading.Thread:
    """Load the shipped MNIST checkpoints (every exploring page opens on one) once per server, in
    the background from its first visit: a class that opens the InfoGAN page at once otherwise
    waits for its first reader's load, shared with thirty pages being drawn (the slowest of 30 opens)."""

    def load_all() -> None:
        for path in sorted(SHIPPED_DIR.glob("*-mnist.safetensors")):
            with contextlib.suppress(Exception):  # a page that opens it says what is wrong
                mtime = path.stat().st_mtime
                _loaded(str(path), mtime)
                _loaded_once().add((str(path), mtime))

    worker = threading.Thread(target=load_all, name="warm-checkpoints", daemon=True)
    worker.start()
    return worker


def load_checkpoint(path: str, mtime: float) -> checkpoints.Checkpoint:
    """A validated checkpoint, cached by path and modification time (a spinner in the reader's
    language the first time: st.spinner starts a timer thread, on every page open otherwise)."""
    if (path, mtime) in _loaded_once():
        return _loaded(path, mtime)
    with st.spinner(_("Loading checkpoint…")):
        ck = _loaded(path, mtime)
    _loaded_once().add((path, mtime))
    return ck


def _signature(folder) -> tuple:
    """What changes when a checkpoint in ``folder`` is added, replaced or removed: the folder's own
    time. Every save is a rename into the folder (gancore.base.atomic), which sets it; a listing of
    every file's size and time cost 7% of a page open, hashed as a cache key on every visit."""
    try:
        st_ = os.stat(folder)
    except OSError:
        return ()
    return (st_.st_ino, st_.st_mtime_ns)


@st.cache_data(max_entries=16, show_spinner=False)
def _listing(kind: str, folder: str, signature: tuple, lang: str) -> dict[str, str]:
    """Label -> path of the checkpoints in ``folder``, labelled in ``lang`` (part of the cache's key)."""
    out = {}
    for path, meta in checkpoints.list_checkpoints(folder):
        out[
            _("{stem} ({kind}: {family}, {dataset}, step {step:,})").format(
                stem=path.stem, kind=_(kind), family=meta["model"]["family"], dataset=meta["train"]["dataset"], step=meta.get("step", 0)
            )
        ] = str(path)
    return out


@st.cache_data(max_entries=16, show_spinner=False)
def _owner_tags(folder: str, signature: tuple) -> dict[str, object]:
    return {str(path): meta.get("owner") for path, meta in checkpoints.list_checkpoints(folder)}


def my_saved(token: str) -> dict[str, str]:
    """Name -> path of the checkpoints this session saved, and its autosaves (headers read again
    only when a file changes)."""
    tag, out = savedfiles.owner_tag(token), {}
    for folder in (saved_dir(), saved_dir() / savedfiles.AUTOSAVES):
        out.update({Path(p).stem: p for p, owner in _owner_tags(str(folder), _signature(folder)).items() if owner == tag})
    return out


def checkpoint_choices() -> dict[str, str]:
    """Label -> path of every shipped and saved checkpoint, and this session's autosaves (metadata
    read again only when a file changes)."""
    out = {}
    for kind, folder in ((N_("shipped"), SHIPPED_DIR), (N_("saved"), saved_dir())):
        out.update(_listing(kind, str(folder), _signature(folder), current_language()))
    autosaves = saved_dir() / savedfiles.AUTOSAVES
    mine = set(my_saved(owner_token()).values())
    out.update({k: p for k, p in _listing(N_("autosave"), str(autosaves), _signature(autosaves), current_language()).items() if p in mine})
    return out


def sidebar(pages: dict[str, list] | None = None) -> None:
    """The page menu (grouped), then device, data in use and this session's runs, on every page."""
    from ui.common.display import PIXELATED_CSS

    st.html(PIXELATED_CSS)
    reg = registry()
    with st.sidebar:
        language.switch()
        for group, entries in (pages or {}).items():
            st.caption(f"**{_(group)}**")
            for p in entries:
                st.page_link(p, width="stretch")
        if pages:
            st.divider()
        targets = {p.url_path: p for entries in (pages or {}).values() for p in entries}
        busy = any(run.status.live for _skip, run, _skip in reg.runs(owner_token())) or reg.roster.pinned is not None
        # The status lines below change while a page shows a run through its own fragment (no full
        # reruns): redrawn on their own every 2 s while this browser has a live run, or one is pinned.
        st.fragment(run_every=2.0 if busy else None)(_live_lines)(targets)
        st.caption(reg.presence.describe())
        st.caption(
            _(
                "Training runs are kept on disk every {KEEP_EVERY_S:.0f} s, so a server restart loses at most that much training. Each browser keeps {MAX_PER_OWNER} saved checkpoints ({value} MB) and its newest {POINTS_PER_OWNER} point sets; autosaves are kept {KEEP_DAYS} days."
            ).format(
                KEEP_EVERY_S=KEEP_EVERY_S,
                MAX_PER_OWNER=savedfiles.MAX_PER_OWNER,
                value=savedfiles.MAX_BYTES_PER_OWNER // 2**20,
                POINTS_PER_OWNER=points2d.POINTS_PER_OWNER,
                KEEP_DAYS=savedfiles.KEEP_DAYS,
            )
        )
        identity.remember()


def _my_run(rid: str, run, label: str, targets: dict) -> None:
    """One line of My runs: a link to the run's lab, and where it trains."""
    snap = run.snapshot
    where = targets.get("train" if run.model_cfg.is_image else "toy2d")
    text = _("{status} · step {step:,} · {label}").format(
        status=snap.status.words, step=snap.step, label=label
    )  # a narrow sidebar cuts the end: the label
    if where is not None:
        st.page_link(where, label=text, query_params={"run": rid}, width="stretch")
    else:
        st.caption(f"`{rid}` {text}")
    st.caption(_("↳ on {where}").format(where=shown(snap.where)))


def _live_lines(targets: dict) -> None:
    """The sidebar's moving parts: device, data in use, slots, this browser's runs, the pinned run."""
    reg = registry()
    st.caption(_("**Device** · {describe}").format(describe=shown(reg.describe())))
    for note in BACKEND_NOTES:
        st.warning(shown(note), icon="🛰️")
    mine = reg.runs(owner_token())
    newest = next((shown(r.snapshot.data_source) for _skip, r, _skip in reversed(mine) if r.snapshot.data_source), "")
    # One line: the data of this browser's newest run (each run's own page says which it uses).
    st.caption(
        _("**Data** · {value}").format(
            value=newest or _("full MNIST / Fashion-MNIST when downloadable, else the offline sets (the run says which)")
        )
    )
    toys = _(" · {toys_training} toy run(s), which need no slot").format(toys_training=reg.toys_training) if reg.toys_training else ""
    st.caption(
        _("**Training now** · {slots_used} of {max_live} image run slot(s) on this server{toys}").format(
            slots_used=reg.slots_used(), max_live=reg.max_live, toys=toys
        )
    )
    live = [m for m in mine if m[1].status.live]
    ended = [m for m in mine if not m[1].status.live]
    if mine:
        st.caption(_("**My runs** · this browser's, also after a reload"))
    for rid, run, label in live:
        _my_run(rid, run, label, targets)
    if ended:  # finished, stopped or failed: kept (they are the student's work) but folded away
        with st.expander(_("Ended ({n_ended})").format(n_ended=len(ended)), expanded=False):
            for rid, run, label in reversed(ended):
                _my_run(rid, run, label, targets)
    pinned = reg.roster.pinned
    if pinned and (view := reg.get(pinned)) is not None and "train" in targets:
        name = reg.owner_name(pinned)
        st.page_link(
            targets["train"], label=_("📌 The class watches {name}'s run").format(name=name), query_params={"run": pinned}, width="stretch"
        )
        st.caption(_("↳ {status} · step {step:,}").format(status=view.snapshot.status.words, step=view.snapshot.step))
