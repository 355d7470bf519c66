"""The Training Lab's live panel: metrics, the loss chart, G's samples and the mode-collapse view,
redrawn by a fragment (never a full-page rerun) while the run trains. Renders are cached per
snapshot version and reader's language."""

from __future__ import annotations

import streamlit as st

from gancore.base.i18n import _, current_language, shown
from gancore.explore import sampling
from gancore.models import catalog
from gancore.runs.registry import Registry
from ui.common import pictures
from ui.train import live_svg, panels


def show(reg: Registry, run_id: str, read_only: bool) -> None:
    """Polled by a fragment, no full-page reruns while training: 2-3 times a second for the owner,
    once a second for watchers (a class of watchers redraws the chart in every one of their
    browsers on every poll; the owner steering it needs the faster answer)."""

    @st.fragment(run_every=1.0 if read_only else 0.4)
    def panel() -> None:
        run = reg.get(run_id)
        if run is None:
            st.warning(_("This run no longer exists (removed, or the server restarted)."))
            return
        snap = run.snapshot
        c = st.columns(5)
        c[0].metric(_("Status"), snap.status.words)
        c[1].metric(
            _("Step of {total_steps:,}").format(total_steps=snap.total_steps), f"{snap.step:,}"
        )  # "1,850 / 7,000" was cut at 1024 px
        c[2].metric(_("Epoch"), f"{snap.epoch:.2f}")
        c[3].metric(_("Examples/s"), f"{snap.examples_per_s:,.0f}")
        c[4].metric(_("ETA"), "–" if snap.eta_s is None else _("{value:.1f} min").format(value=snap.eta_s / 60))
        st.progress(
            snap.progress,
            text=_("Trains on {where} · data: {value}").format(where=shown(snap.where), value=shown(snap.data_source) or _("loading…")),
        )  # live, not stale
        if snap.divergence is not None:
            st.error(shown(snap.message), icon="💥")
        elif snap.status.failed:
            st.error(shown(snap.message), icon="⚠️")
            with st.expander(_("Details for a bug report")):
                st.code(snap.detail)
        elif snap.message:
            st.info(shown(snap.message))
        left, right = st.columns([3, 2])
        with left:
            if st.session_state.get(f"zoom.{run_id}"):
                st.plotly_chart(chart(run_id, snap.version, current_language(), snap), key=f"chart.{run_id}", config={"displaylogo": False})
            else:
                st.markdown(chart_svg(run_id, snap.version, current_language(), snap), unsafe_allow_html=True)
            st.caption(_("At equilibrium D(x) = D(G(z)) = ½ and D's loss is log 4 ≈ 1.39. Dotted lines mark live changes."))
            st.toggle(
                _("Zoomable chart"),
                key=f"zoom.{run_id}",
                help=_("Plotly's chart of the same curves: zoom, pan and read any point (heavier for the browser while it redraws)."),
            )
            if snap.events:
                st.caption(panels.event_lines(snap.events))
        with right:
            if snap.grid is not None and snap.model_cfg.is_image:
                st.image(
                    grid_png(run_id, snap.version, snap),
                    caption=_("{grid_caption} at step {step:,}").format(
                        grid_caption=_(catalog.get(snap.model_cfg.family).grid_caption), step=snap.step
                    )
                    + (_(" · from G's weight average ({ema})").format(ema=snap.train_cfg.optim.ema) if snap.train_cfg.optim.ema else ""),
                    width="stretch",
                    output_format="PNG",
                )
            hist = class_hist(run_id, snap.g_state_step // 200, current_language(), snap)
            if hist is not None:
                st.markdown(hist, unsafe_allow_html=True)
            elif snap.model_cfg.is_image and snap.g_state is None:
                st.caption(_("Mode-collapse view: which classes 256 samples look like, from G's first published copy on."))
            elif snap.model_cfg.is_image:
                st.caption(_("Mode-collapse view: needs MNIST or Fashion-MNIST and the shipped classifier."))

    panel()


# Renders are cached per snapshot version: the training thread shares the GIL with this
# page, so every millisecond of Python here is one the training loop waits for.
@st.cache_resource(max_entries=8, show_spinner=False)
def chart(run_id: str, version: int, lang: str, _snap):
    return panels.loss_chart([(run_id, _snap)])


@st.cache_data(max_entries=8, show_spinner=False)
def chart_svg(run_id: str, version: int, lang: str, _snap) -> str:
    return live_svg.loss_svg(_snap.history, panels.SERIES, _snap.events)


@st.cache_data(max_entries=8, show_spinner=False)
def grid_png(run_id: str, version: int, _snap) -> bytes:
    return pictures.png(pictures.grid(_snap.grid, cols=catalog.get(_snap.model_cfg.family).grid_columns, scale=4))


@st.cache_data(max_entries=8, show_spinner=False)
def class_hist(run_id: str, bucket: int, lang: str, _snap) -> str | None:
    """Mode-collapse view, refreshed every 200 steps: which classes 256 samples look like (SVG)."""
    if _snap.g_state is None:
        return None
    hist = sampling.class_histogram(_snap.model_cfg, _snap.g_state, _snap.train_cfg.hacks, _snap.train_cfg.dataset)
    return None if hist is None else live_svg.bars_svg(hist, _snap.step)
