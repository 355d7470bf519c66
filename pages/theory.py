"""GAN theory: the optimal discriminator and JSD, G's two losses, why training circles (the
Dirac-GAN), JS's blind spot, and mode collapse — each a figure computed by ``gancore.learn``."""

import math

import streamlit as st

from gancore.base.i18n import _
from gancore.learn import dirac, theory
from ui.common import course
from ui.learn import theory_figures as plots
from ui.learn.charts import cached, cli_hint, figure

dstar_figure, g_loss_curves, simulate = cached(theory.dstar_figure), cached(theory.g_loss_curves), cached(dirac.simulate)
field_grid, lines_curve, collapse_table = cached(dirac.field_grid), cached(theory.parallel_lines_curve), cached(theory.collapse_table)

st.title(_("📐 GAN theory"))
st.markdown(
    _(
        "D and G play **min_G max_D V(D, G) = E[log D(x)] + E[log(1 − D(G(z)))]**. Four small results explain most of what you see in the Training Lab: what the best D looks like, which loss G should really use, why the two players circle instead of settling, and why a distance with a useful slope matters."
    )
)
course.try_this("theory")
dstar_tab, loss_tab, dirac_tab, js_tab, collapse_tab = st.tabs(
    [_("D* and JSD"), _("G's two losses"), _("Why training circles"), _("JS's blind spot"), _("Mode collapse")]
)

with dstar_tab:
    st.markdown(
        _(
            "Fix G. At every x, D's best answer weighs how much real and fake mass sits there: **D\\*(x) = p_data(x) / (p_data(x) + p_g(x))**. Put D\\* back into V and what is left is **−log 4 + 2·JSD(p_data ‖ p_g)**: against a perfect D, G is minimising the Jensen–Shannon divergence. Shape the data, place G, then slide G onto the data."
        )
    )
    c1, c2, c3, c4 = st.columns(4)
    m1 = c1.slider(_("Data: first bump at"), -6.0, 6.0, -2.0, 0.25, key="theory.m1")
    m2 = c2.slider(_("Data: second bump at"), -6.0, 6.0, 2.0, 0.25, key="theory.m2")
    spread = c3.slider(_("Data: bump width"), 0.2, 2.0, 0.7, 0.1, key="theory.s")
    w1 = c4.slider(_("Data: share of the first bump"), 0.0, 1.0, 0.5, 0.05, key="theory.w")
    c1, c2, c3 = st.columns(3)
    g_mean = c1.slider(_("G: centre"), -6.0, 6.0, 0.0, 0.25, key="theory.gm")
    g_std = c2.slider(_("G: width"), 0.2, 3.0, 1.5, 0.1, key="theory.gs")
    t = c3.slider(_("Slide p_g onto p_data (t)"), 0.0, 1.0, 0.0, 0.05, key="theory.t", help=_("p_g = (1 − t)·G + t·p_data"))
    data = theory.Mixture((w1, 1 - w1), (m1, m2), (spread, spread))  # a zero share drops a bump
    fig_data = dstar_figure(data, theory.Mixture((1.0,), (g_mean,), (g_std,)), t)
    figure(plots.dstar(fig_data), "theory.dstar_chart")
    k1, k2, k3 = st.columns(3)
    k1.metric(_("V(D*, G)"), f"{fig_data['value']:.4f}")
    k2.metric(_("JSD(p_data ‖ p_g)"), f"{fig_data['jsd']:.4f}", help=_("in nats: 0 when equal, at most log 2 ≈ 0.693"))
    k3.metric(
        _("−log 4 + 2·JSD"),
        f"{-math.log(4) + 2 * fig_data['jsd']:.4f}",
        help=_("equals V(D*, G): the derivation, checked numerically"),
    )
    st.caption(
        _(
            "Grey: neither density has mass there (below 0.1% of the peak), so D* is undefined — no example ever asks D about those x. At t = 1, p_g = p_data: D* = ½ everywhere, JSD = 0 and V = −log 4 ≈ −1.386, the equilibrium."
        )
    )
    figure(plots.dstar_path(fig_data), "theory.path_chart")
    cli_hint(
        f"dstar --data-means {m1:g},{m2:g} --data-stds {spread:g},{spread:g} --data-weights {w1:g},{1 - w1:g} --g-mean {g_mean:g} --g-std {g_std:g} --t {t:g}"
    )

with loss_tab:
    st.markdown(
        _(
            "The paper's G minimises **log(1 − D(G(z)))**. Early on D rejects fakes easily, D(G(z)) ≈ 0, and there this curve is flat: its gradient with respect to D's logit is −D(G(z)), almost nothing. The \"modified\" loss **−log D(G(z))** has the same goal but a gradient of −(1 − D(G(z))): strongest exactly when G is worst."
        )
    )
    d_now = st.select_slider(_("D(G(z))"), [0.001, 0.005, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99], 0.01, key="theory.d")
    at = theory.g_losses(d_now)
    figure(plots.g_losses(g_loss_curves(), d_now), "theory.loss_chart")
    k1, k2, k3 = st.columns(3)
    k1.metric(_("Saturating: gradient"), f"{at['saturating']['grad_logit']:.3f}")
    k2.metric(_("Non-saturating: gradient"), f"{at['non_saturating']['grad_logit']:.3f}")
    k3.metric(_("Ratio"), f"{at['non_saturating']['grad_logit'] / at['saturating']['grad_logit']:.0f}×")
    st.markdown(_("Try both on real digits and compare how fast D(G(z)) rises in the first few hundred steps:"))
    st.page_link("pages/train.py", label=_("Training Lab with the saturating loss"), icon="🏋️", query_params={"loss": "minimax"})
    st.page_link("pages/train.py", label=_("Training Lab with the non-saturating loss"), icon="🏋️", query_params={"loss": "non_saturating"})
    cli_hint(f"nsgan --d {d_now:g}")

with dirac_tab:
    st.markdown(
        _(
            "The smallest GAN (Mescheder et al., 2018): the data is one point at 0, G puts its point at **θ**, and D is the line **D(x) = ψ·x**. The only equilibrium is (0, 0), and around it the gradients only *rotate*: each player's best move makes the other's worse. How the steps are taken decides whether the rotation spirals out, circles, or spirals in."
        )
    )
    c1, c2, c3 = st.columns(3)
    update = c1.radio(
        _("Updates"), dirac.UPDATES, horizontal=True, key="theory.update", help=_("alternating: D steps, then G uses D's new ψ")
    )
    reg_names = {
        "none": _("none (plain GAN)"),
        "gp": _("gradient penalty R₁"),
        "wgan-clip": _("WGAN, clipped ψ"),
        "wgan-gp": _("WGAN-GP"),
        "instance-noise": _("instance noise"),
    }
    reg = c2.selectbox(_("Regulariser"), dirac.REGS, format_func=reg_names.get, key="theory.reg")
    h = c3.slider(_("Step size h"), 0.01, 1.0, 0.2, 0.01, key="theory.h")
    c1, c2 = st.columns(2)
    steps = c1.slider(_("Steps"), 50, 2000, 500, 50, key="theory.steps")
    gamma = clip = noise = None
    if reg in ("gp", "wgan-gp"):
        gamma = c2.slider(_("Penalty weight γ"), 0.0, 2.0, 0.3, 0.05, key="theory.gamma")
    elif reg == "wgan-clip":
        clip = c2.slider(_("Clip |ψ| at"), 0.1, 2.0, 1.0, 0.1, key="theory.clip")
    elif reg == "instance-noise":
        noise = c2.slider(_("Noise std"), 0.1, 2.0, 0.5, 0.1, key="theory.noise")
    kw = {"gamma": gamma if gamma is not None else 0.3, "clip": clip or 1.0, "noise": noise or 0.5}
    sim = simulate(update, reg, h, steps, **kw)
    end = max(max(abs(v) for v in p) for p in sim["path"])
    lim = min(max(2.0, 1.1 * end), 8.0)
    figure(plots.dirac(sim, field_grid(reg, lim, 17, kw["gamma"], kw["noise"]), lim), "theory.dirac_chart")
    k1, k2 = st.columns(2)
    k1.metric(_("Distance from equilibrium at the start"), f"{math.hypot(*sim['path'][0]):.3f}")
    k2.metric(
        _("… after {value} steps").format(value=len(sim["path"]) - 1),
        f"{sim['final_radius']:.3g}",
        f"{sim['final_radius'] - math.hypot(*sim['path'][0]):+.3g}",
        delta_color="inverse",
    )
    st.caption(
        _(
            "With h = 0.2 from (1, 1) for 500 steps: simultaneous steps spiral out to about 3.1; alternating ones circle at about 1.41; the gradient penalty (γ = 0.3) damps ψ and brings both to the equilibrium (< 0.001). WGAN's critic rotates the same way, clipped or penalised."
        )
    )
    flags = (
        _(" --gamma {gamma:g}").format(gamma=kw["gamma"])
        if gamma is not None
        else _(" --clip {clip:g}").format(clip=kw["clip"])
        if clip
        else _(" --noise {noise:g}").format(noise=kw["noise"])
        if noise
        else ""
    )
    cli_hint(f"dirac --update {update} --reg {reg} --h {h:g} --steps {steps}{flags}")

with js_tab:
    st.markdown(
        _(
            "Real points lie on the line x = 0, fakes on the line x = θ (Arjovsky et al., 2017). For every θ ≠ 0 the lines do not overlap, so the JS divergence is **log 2** whether they are a hair or a mile apart: flat, no gradient tells G which way to move. The Wasserstein distance is **|θ|**, and its slope always points home. That is the case for WGAN's critic."
        )
    )
    c1, c2 = st.columns(2)
    theta = c1.slider(_("θ: where the fake line is"), -1.0, 1.0, 0.5, 0.05, key="theory.theta")
    width = c2.select_slider(
        _("Line thickness"),
        [0.001, 0.01, 0.05, 0.1, 0.3],
        0.01,
        key="theory.width",
        help=_("the lines as thin Gaussians, so the integrals exist"),
    )
    now = theory.parallel_lines(theta, width)
    figure(plots.parallel_lines(theta, lines_curve(width)), "theory.lines_chart")
    k1, k2, k3 = st.columns(3)
    k1.metric(_("JS"), f"{now['js']:.4f}")
    k2.metric(_("log 2"), f"{now['log2']:.4f}")
    k3.metric(_("Wasserstein-1"), f"{now['wasserstein']:.4f}")
    cli_hint(f"lines --theta {theta:g} --width {width:g}")

with collapse_tab:
    st.markdown(
        _(
            "**Mode collapse**: G finds a few outputs that fool the current D and puts all its mass there. D learns to reject them, G hops to another few, and the samples never cover the whole data. In pictures: every sample a 1, or the same face; in 2D: points on 3 of 8 bumps."
        )
    )
    st.markdown(
        _(
            "Part of the story is *which* mistakes a distance punishes. Below, the data has two bumps and G is one of three candidates. Maximum likelihood minimises KL(p_data ‖ p_g), which is huge when G **misses** a bump; the reverse KL(p_g ‖ p_data) is huge when G puts mass **where there is no data** and charges only log 2 for dropping a bump. JS — what G minimises against a perfect D — sits between: it rates a collapsed G about as well as a blurry one."
        )
    )
    names = {"collapsed": _("on one bump (collapsed)"), "smeared": _("smeared over both"), "both": _("on both bumps")}
    chosen = st.radio(_("Candidate G"), list(names), format_func=names.get, horizontal=True, key="theory.collapse")
    table = collapse_table()
    figure(plots.collapse(table, chosen), "theory.collapse_chart")
    rows = [
        {"G": names[k], "JS": r["js"], "KL(p_data ‖ p_g)": r["kl_data_g"], "KL(p_g ‖ p_data)": r["kl_g_data"]}
        for k, r in table["gs"].items()
    ]
    st.dataframe(
        rows, hide_index=True, width="stretch", column_config={k: st.column_config.NumberColumn(format="%.3f") for k in list(rows[0])[1:]}
    )
    st.caption(
        _(
            "A collapsed G is not JS's minimum (that is p_g = p_data), so a perfect D would still push it to the other bump. Real Ds are not perfect, and each D step only sees the current fakes — so G can hop from bump to bump."
        )
    )
    st.markdown(
        _(
            "See it happen in the 2D lab. On the ring of 8 a plain GAN usually keeps 5 to 8 bumps, but a generator of only 8 neurons per layer piles everything onto 1 or 2 of them (every one of 5 seeds); on the grid of 25 a plain GAN kept about 13 of 25 in our runs, while PacGAN (D judges *pairs* of samples, so a G that repeats itself is easy to spot) kept all 25 in 5 of 5 seeds."
        )
    )
    l1, l2, l3 = st.columns(3)
    l1.page_link("pages/toy2d.py", label=_("Grid of 25, plain GAN"), icon="🎯", query_params={"target": "grid25"})
    l2.page_link("pages/toy2d.py", label=_("Grid of 25, PacGAN's recipe"), icon="🎯", query_params={"target": "grid25", "recipe": "pacgan"})
    l3.page_link(
        "pages/toy2d.py", label=_("Ring of 8, made to collapse"), icon="🎯", query_params={"target": "ring8", "recipe": "collapse"}
    )
course.conclude("theory")
