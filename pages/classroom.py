"""Class view: every run on this server (or Ray cluster) at a glance, for the teacher to project."""

import streamlit as st

from gancore.base.errors import BadName, ConfigError, DataError, NotTeacher
from gancore.base.i18n import _, shown
from gancore.data import points2d
from ui.classroom import cards
from ui.common import pictures, state

st.title(_("👩\u200d🏫 Class view"))
st.caption(
    _(
        "Every run training here, as small multiples: whose it is, how its losses move, what its G draws now and where it trains. Open one to watch it (read-only unless it is yours). Redrawn every two seconds."
    )
)
reg, me = state.registry(), state.owner_token()
roster = reg.roster

key = st.query_params.get("teacher")
if key is not None:  # the teacher's link: /?teacher=KEY (taken once, then out of the address bar)
    del st.query_params["teacher"]
    if roster.claim_teacher(me, key):
        st.toast(_("You are the teacher here: pin a run for the whole class."), icon="📌")
    else:
        st.error(_("That teacher key does not match this server's (GAN_EXPLORER_TEACHER_KEY)."))

name_col, role_col = st.columns([2, 3])
with name_col:
    new = st.text_input(_("Your name on the class view"), value=roster.name(me), max_chars=24, key="class.name")
    if new != roster.name(me):
        try:
            roster.rename(me, new)
        except BadName as exc:
            st.error(_("Not changed: {exc}.").format(exc=exc))
with role_col:
    if roster.is_teacher(me):
        st.success(_("You are the teacher: **📌 Pin** a run to show it to everyone (their sidebars link to it)."), icon="👩‍🏫")
    elif not roster.teacher_key:
        st.caption(_("Pinning a run for the class is the teacher's: start the server with `GAN_EXPLORER_TEACHER_KEY` set and open `/?teacher=<key>` once."))  # fmt: skip
    else:
        st.caption(_("The teacher can pin one run for the whole class; it then appears at the top here and in every sidebar."))

if roster.is_teacher(me):
    with st.expander(_("Class limits"), expanded=False):
        c1, c2 = st.columns(2)
        slots = c1.number_input(_("Training slots (image runs at once; the rest wait in line)"), 1, 16, reg.max_live, key="class.slots")
        steps = c2.number_input(_("Steps per new run (0: no limit)"), 0, 10_000_000, reg.max_steps, step=500, key="class.steps")
        if (slots, steps) != (reg.max_live, reg.max_steps):
            try:
                reg.set_limits(me, slots=int(slots), max_steps=int(steps))
                st.toast(
                    _("Class limits: {slots} slot(s), {value} steps per run.").format(slots=slots, value=steps or _("no limit on")),
                    icon="👩‍🏫",
                )
            except (NotTeacher, ConfigError) as exc:
                st.error(str(exc))


@st.cache_data(max_entries=256, show_spinner=False)
def _picture_uri(run_id: str, version: int, _snap) -> str | None:
    """G's newest picture as an inline PNG, made once per run and version."""
    real = None if _snap.model_cfg.is_image else _target(_snap.train_cfg.dataset, _snap.train_cfg.seed)
    pic = cards.picture(_snap, real=real)
    return None if pic is None else cards.data_uri("image/png", pictures.png(pic))


@st.cache_data(max_entries=256, show_spinner=False)
def _spark_uri(run_id: str, version: int, width: int, _history) -> str:
    return cards.data_uri("image/svg+xml", cards.sparkline_svg(_history, width=width))


@st.cache_resource(max_entries=16, show_spinner=False)
def _target(dataset: str, seed: int):
    """A toy run's target points, read once per set (its card draws G's points over them)."""
    try:
        return points2d.load_points(dataset, seed=seed).points.numpy()
    except DataError:
        return None


def _pin(run_id: str | None) -> None:
    try:
        roster.pin(me, run_id)
    except NotTeacher as exc:
        st.toast(str(exc), icon="🔒")


def tile(rid: str, view, label: str, big: bool = False) -> None:
    """A run's card: one markdown element (cards.card_markdown), its lab's link and the pin."""
    snap, at = view.snapshot, "pinned" if big else "tile"
    with st.container(border=True, key=f"{at}card.{rid}"):
        owner = reg.is_owner(rid, me)
        body = cards.card_markdown(
            snap, name=reg.owner_name(rid), label=label, rid=rid, mine=owner, big=big,
            spark=_spark_uri(rid, snap.version, 420 if big else 220, snap.history), png=_picture_uri(rid, snap.version, snap),
        )  # fmt: skip
        st.markdown(body, unsafe_allow_html=True)  # every name and word in it is escaped there
        lab = "pages/toy2d.py" if owner and not snap.model_cfg.is_image else "pages/train.py"  # a watcher's view is the lab's
        st.page_link(
            lab, label=_("Steer") if owner else _("Watch"), icon="🕹️" if owner else "👀", query_params={"run": rid}
        )  # its own line: "Steer" is cut beside Pin at 1024 px
        if roster.is_teacher(me):
            pinned = roster.pinned == rid
            st.button(_("Unpin") if pinned else _("📌 Pin"), key=f"{at}.pin.{rid}", on_click=_pin, args=(None if pinned else rid,))


@st.fragment(run_every=2.0)
def wall() -> None:
    runs = reg.runs()
    training = reg.slots_used()
    waiting = _(" · **{n_line}** waiting in line").format(n_line=len(reg.line)) if len(reg.line) else ""
    st.caption(
        _("**{n_runs}** run(s) here · **{training}** of {max_live} training slots in use{waiting} · {describe}").format(
            n_runs=len(runs), training=training, max_live=reg.max_live, waiting=waiting, describe=shown(reg.describe())
        )
    )
    pinned = roster.pinned
    if pinned and (view := reg.get(pinned)) is not None:
        st.subheader(_("📌 Pinned for the class"))
        tile(pinned, view, reg.label(pinned), big=True)
    if not runs:
        st.info(_("No runs here yet. When students start runs in the Training Lab or the 2D toy lab, they appear here."), icon="🫙")
        st.page_link("pages/train.py", label=_("Start one in the Training Lab"), icon="🏋️")
        return
    only = st.toggle(_("Only runs that are training"), key="class.only")
    listed = [r for r in runs if not only or r[1].status.training]
    per_row = 4
    for start in range(0, len(listed), per_row):
        cols = st.columns(per_row)
        for col, (rid, view, label) in zip(cols, listed[start : start + per_row], strict=False):
            with col:
                tile(rid, view, label)


wall()
