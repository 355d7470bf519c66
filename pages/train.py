"""Training Lab: pick a preset or set every knob, train live, steer, save, compare, share."""

from dataclasses import replace

import streamlit as st

from gancore import presets
from gancore.base.config import LOSSES
from gancore.base.errors import CheckpointError, ConfigError, DataError, RunError
from gancore.base.i18n import _
from gancore.base.paths import saved_dir
from gancore.data.images import check_dataset_name
from gancore.io import checkpoints, savedfiles
from gancore.models import family
from gancore.runs.lifecycle import allowed
from ui.common import course, pictures, state
from ui.train import cost_view, live_view, panels, waiting

st.title(_("🏋️ Training Lab"))
course.try_this("train")
reg = state.registry()
me = state.owner_token()


def fail(exc: Exception) -> None:
    st.error(str(exc), icon="⚠️")


# ------------------------------------------------------------------ watch mode (?run=<id>)
watch = st.query_params.get("run")
if watch and not reg.is_owner(watch, me):
    if reg.get(watch) is None:
        st.error(_("No run with that id on this server. Ask for a fresh link."))  # never echoes the link's text
        st.stop()
    st.info(
        _("Watching run `{watch}` ({label}) read-only: only the session that started it can steer it.").format(
            watch=watch, label=reg.label(watch)
        ),
        icon="👀",
    )
    live_view.show(reg, watch, read_only=True)
    st.stop()

run_id = state.current_run("image", "train.run")  # also the owner's own watch link, and after a reload
run = reg.owned(run_id, me) if run_id else None
if run is None and waiting.view(reg, me):  # every slot was taken at Start: its place in line
    st.stop()

# ------------------------------------------------------------------ set up a new run
if run is None:
    names = list(presets.PRESETS)
    image_presets = [n for n in names if presets.PRESETS[n].model.is_image]
    pick = st.selectbox(
        _("Preset"),
        image_presets,
        image_presets.index(presets.DEFAULT_PRESET),
        format_func=lambda n: _(presets.PRESETS[n].title),
        key="setup.preset",
    )
    p = presets.get(pick)
    st.caption(_(p.source))
    linked = st.query_params.get("loss")
    if linked in LOSSES and st.session_state.get("setup.linked") != (pick, linked):  # once per preset: then it's the user's
        st.session_state[f"setup.{pick}.loss"] = linked
        st.session_state["setup.linked"] = (pick, linked)
    if linked in LOSSES:
        name = {"minimax": _("the saturating loss (minimax)"), "non_saturating": _("the non-saturating loss")}.get(linked, linked)
        st.info(
            _("Opened from the theory page with **{name}** as G / D loss: start, and watch D(G(z)) in the first steps.").format(name=name),
            icon="📐",
        )
    with st.expander(_("Model and data"), expanded=False):
        c1, c2, c3 = st.columns(3)
        models = [f for f, name in presets.FAMILY_DEFAULTS.items() if presets.PRESETS[name].model.is_image]
        family = c1.selectbox(_("Model"), models, models.index(p.model.family), key=f"setup.{pick}.family")
        sets = ["mnist", "fashion", "shoes", "emoji"]
        dataset = c2.selectbox(
            _("Dataset"), sets, sets.index(p.train.dataset) if p.train.dataset in sets else 0, key=f"setup.{pick}.dataset"
        )
        width = c3.select_slider(
            _("Width (conv models)"),
            [0.125, 0.25, 0.5, 1.0],
            p.model.width if p.model.width in (0.125, 0.25, 0.5, 1.0) else 0.5,
            key=f"setup.{pick}.width",
        )
        c4, c5 = st.columns(2)
        batch = c4.select_slider(_("Batch size"), [8, 16, 32, 64, 128, 256], p.train.batch_size, key=f"setup.{pick}.batch")
        epochs = c5.number_input(_("Epochs"), 1, None, int(p.train.epochs), key=f"setup.{pick}.epochs")  # a refusal says the range
    with st.expander(_("Optimiser"), expanded=False):
        optim = panels.optim_widgets(p.train.optim, f"setup.{pick}")
    with st.expander(_("GAN hacks — flip them, then watch the curves"), expanded=linked in LOSSES):
        hacks = panels.hack_widgets(p.train.hacks, f"setup.{pick}")
    try:
        model, train = presets.compose(
            pick, model=None if family == p.model.family else family, width=width,
            dataset=dataset, batch_size=int(batch), epochs=float(epochs), optim=optim, hacks=hacks, max_steps=0,
        )  # fmt: skip
        refused = None
    except ConfigError as exc:  # e.g. 100,000 epochs: said now, with the reason, not clamped quietly
        refused = exc
        st.error(_("Cannot start this set-up: {exc}").format(exc=exc), icon="✋")
    if refused is None:
        cost_view.cost_line(model, train)
    if st.button(_("▶ Start training"), type="primary", key="setup.start", disabled=refused is not None):
        try:  # a free slot starts it now; else a place in line (the page shows it)
            st.session_state["train.run"] = reg.wait_in_line(
                me, model, train, label=_("{pick}: {family} on {dataset}").format(pick=pick, family=family, dataset=dataset)
            ).run_id
            st.rerun()
        except (RunError, ConfigError) as exc:
            fail(exc)

    st.divider()
    st.subheader(_("…or continue from a checkpoint"))
    choices = state.checkpoint_choices()
    c1, c2 = st.columns(2)
    chosen = c1.selectbox(_("Shipped or saved"), ["—", *choices], key="setup.ck")
    upload = c2.file_uploader(_("Upload a .safetensors checkpoint"), type=["safetensors"], key="setup.upload")
    if st.button(_("Load and continue"), key="setup.load", disabled=chosen == "—" and upload is None):
        try:
            if upload is not None:
                ck = checkpoints.load_bytes(upload.getvalue(), upload.name)
            else:
                ck = checkpoints.load(choices[chosen])
            if not ck.model_cfg.is_image:
                raise CheckpointError(_("that is a 2D toy checkpoint; the Training Lab trains image GANs"))
            check_dataset_name(ck.train_cfg.dataset, True)  # a folder it names is read only inside the data root
            train = replace(ck.train_cfg, epochs=ck.train_cfg.epochs + 5, max_steps=0)
            run = reg.create(me, ck.model_cfg, train, label=_("{name} (continued)").format(name=ck.name), resume=ck.start_state())
            st.session_state["train.run"] = run.run_id
            st.rerun()
        except (RunError, CheckpointError, ConfigError, DataError) as exc:
            fail(exc)
    course.conclude("train")
    st.stop()

# ------------------------------------------------------------------ the run: controls
snap = run.snapshot
st.subheader(reg.label(run.run_id))
st.markdown(_("Watch link for the class (read-only): [`?run={run_id}`](/?run={run_id})").format(run_id=run.run_id))


def controls() -> None:
    """The run's buttons, only the ones that make sense now active (pause while it trains, resume
    and single steps while paused); redrawn each second so a run that ends greys them itself."""
    actions = {  # short labels, full names as help: seven fit in a row at 1024 px beside the sidebar
        "pause": ("⏸", "pause", run.pause, _("Pause")),
        "resume": ("▶", "resume", run.resume, _("Resume")),
        "step1": ("+1", "step", lambda: run.step(1), _("One step (D, then G) of a paused run")),
        "step10": ("+10", "step", lambda: run.step(10), _("Ten steps of a paused run")),
        "stop": ("⏹", "stop", run.stop, _("Stop: the run ends (save it to keep it)")),
    }
    cols = st.columns(7)
    status = run.snapshot.status  # after any click's callback below has run
    for col, (key, (label, verb, act, tip)) in zip(cols, actions.items(), strict=False):
        off = not allowed(verb, status)
        col.button(label, key=f"ctl.{key}", disabled=off, on_click=panels.command, args=(run, verb, act), help=tip, width="stretch")
    if refused := st.session_state.pop("ctl.refused", None):
        st.error(refused, icon="⚠️")
    if cols[5].button(_("✚ New"), key="ctl.new", help=_("Set up a new run (this one keeps training)"), width="stretch"):
        st.session_state.pop("train.run", None)
        st.rerun()
    if cols[6].button("🗑", key="ctl.remove", help=_("Remove: stop and forget this run (save it first to keep it)"), width="stretch"):
        reg.remove(run.run_id, me)
        st.session_state.pop("train.run", None)
        st.rerun()


st.fragment(run_every=1.0 if snap.status.live else None)(controls)()

with st.expander(_("Change while training (applies at once; marked on the chart)")):
    cfg = run.train_cfg
    new_optim = panels.optim_widgets(cfg.optim, f"live.{run.run_id}")
    new_hacks = panels.hack_widgets(cfg.hacks, f"live.{run.run_id}")
    try:
        if new_optim != cfg.optim:
            run.set_optim(new_optim)
        if new_hacks != cfg.hacks:
            run.set_hacks(new_hacks)
    except RunError as exc:
        fail(exc)
    st.caption(_("Model, dataset and batch size need a new run."))

live_view.show(reg, run.run_id, read_only=False)

# ------------------------------------------------------------------ save, export, compare
tab_save, tab_export, tab_compare = st.tabs([_("💾 Save"), _("📤 Export"), _("⚖️ Compare runs")])
with tab_save:
    name = st.text_input(_("Checkpoint name"), f"{snap.model_cfg.family}-{run.run_id}", key="save.name")
    if st.button(_("Save checkpoint"), key="save.go"):
        try:
            path = savedfiles.save(saved_dir(), name, me, run.export_state(), run.model_cfg, run.train_cfg, dataset=snap.data_source)
            st.session_state["save.last"] = str(path)
            st.success(_("Saved {name} (step {step:,}). It is listed on every page.").format(name=path.name, step=snap.step))
        except (RunError, CheckpointError, OSError) as exc:
            fail(exc)
    last = st.session_state.get("save.last")
    if last:
        try:
            with open(last, "rb") as f:
                st.download_button(
                    _("Download the last saved checkpoint"), f.read(), file_name=last.rsplit("/", 1)[-1], key="save.download"
                )
        except OSError:
            st.caption(_("The last saved file is gone."))
    mine = state.my_saved(me)
    if mine:
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        doomed = c1.selectbox(
            _("Your saved checkpoints ({n_mine} of {MAX_PER_OWNER})").format(n_mine=len(mine), MAX_PER_OWNER=savedfiles.MAX_PER_OWNER),
            list(mine),
            key="save.mine",
        )
        if c2.button(_("🗑 Delete"), key="save.delete", help=_("Only checkpoints this session saved can be deleted")):
            try:
                savedfiles.delete(mine[doomed], me)
                st.rerun()
            except CheckpointError as exc:
                fail(exc)
with tab_export:  # the frames and the whole history are fetched from the run only when downloaded
    if snap.frames >= 2:
        st.download_button(
            _("Animated GIF of the fixed-seed grid (step in each frame)"), lambda: pictures.training_gif(run.frames()), "progress.gif",
            "image/gif", key="export.gif", on_click="ignore",
        )  # fmt: skip
    else:
        st.caption(_("The GIF needs at least two published grids."))
    st.download_button(
        _("Loss history (CSV)"),
        lambda: panels.history_csv(run.full_history()),
        "history.csv",
        "text/csv",
        key="export.csv",
        on_click="ignore",
    )
with tab_compare:
    others = {f"{rid} · {label}": rid for rid, r, label in reg.runs(me)}
    picked = st.multiselect(
        _("Runs to overlay"), list(others), default=[k for k, v in others.items() if v == run.run_id], key="compare.pick"
    )
    if len(picked) >= 2:
        snaps = [(others[k], reg.get(others[k]).snapshot) for k in picked if reg.get(others[k])]
        st.plotly_chart(panels.loss_chart(snaps), key="compare.chart")
        for col, (rid, s) in zip(st.columns(len(snaps)), snaps, strict=False):
            if s.grid is not None and s.model_cfg.is_image:
                col.image(
                    pictures.grid(s.grid, cols=4, scale=3),
                    caption=_("{rid} · step {step:,}").format(rid=rid, step=s.step),
                    output_format="PNG",
                )
    else:
        st.caption(_("Start another run (✚ New run) with one hack flipped, then pick both here to see the difference."))
course.conclude("train")
