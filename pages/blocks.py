"""Building blocks: what GANs are made of — initialisation, activations, transposed convolution,
dropout and BatchNorm — each a figure to poke. Every number comes from ``gancore.learn``."""

import streamlit as st

from gancore.base.i18n import _
from gancore.learn import activations, convt, regularise, weights
from ui.common import course
from ui.learn import blocks_figures as plots
from ui.learn.charts import cached, cli_hint, figure

run_init, dead_neuron, dropout_demo = cached(weights.run_init), cached(activations.dead_neuron), cached(regularise.dropout_demo)
constant_response, batchnorm_demo, batch_noise_curve = (
    cached(convt.constant_response),
    cached(regularise.batchnorm_demo),
    cached(regularise.batch_noise_curve),
)

st.title(_("🧱 Building blocks"))
st.markdown(
    _(
        "A generator and a discriminator are ordinary networks: layers, activations, normalisation. Whether they can learn at all depends on these small choices, and GANs are less forgiving of them than most networks."
    )
)
course.try_this("blocks")
ACT_NAMES = {"sigmoid": _("sigmoid"), "tanh": _("tanh"), "relu": "ReLU"}  # the lectures say 시그모이드; tanh stays
INIT_NAMES = {"std1": "N(0, 1)", "std0.01": "N(0, 0.01²)", "xavier": _("Xavier: std 1/√n"), "he": _("He: std √(2/n)")}
init_tab, act_tab, convt_tab, reg_tab = st.tabs(
    [_("Initialisation"), _("Activations"), _("Transposed convolution"), _("Dropout & BatchNorm")]
)

with init_tab:
    st.markdown(
        _(
            "The lecture's experiment: 1,000 random inputs pass through **5 layers of 100 neurons**, with weights drawn once from the scheme you pick. Each panel is one layer's activations. You want them spread out: piled at the flat ends of the curve, a neuron passes back almost no gradient; all alike, 100 neurons do the work of one."
        )
    )
    c1, c2 = st.columns([2, 1])
    init = c1.radio(_("Weights drawn from"), weights.INITS, format_func=INIT_NAMES.get, horizontal=True, key="blocks.init")
    act = c2.radio(_("Activation"), weights.ACTS, format_func=ACT_NAMES.get, horizontal=True, key="blocks.init_act")
    bn = st.toggle(
        _("BatchNorm"), key="blocks.init_bn", help=_("normalise each layer's pre-activations over the batch before the activation")
    )
    result = run_init(init, act, bn)
    figure(plots.init_histograms(result), "blocks.init_chart")
    layers = result.layers()
    st.caption(_("Share of each layer's activations on the flat part of the curve, where the slope is ≈ 0:"))
    cols = st.columns(5)
    for i, (col, layer) in enumerate(zip(cols, layers, strict=True)):
        col.metric(
            _("Layer {value}").format(value=i + 1), f"{layer['saturated']:.0%}", help=_("sigmoid < 0.05 or > 0.95; |tanh| > 0.95; ReLU = 0")
        )
    st.caption(
        _(
            "What to see: N(0, 1) with sigmoid piles activations at 0 and 1 (vanishing gradients); N(0, 0.01²) squeezes them around 0.5; Xavier keeps them spread for sigmoid and tanh; with ReLU, Xavier's activations shrink layer after layer while He's keep their scale. BatchNorm rescues every scheme. **Note:** the lecture's slide gives He's standard deviation as 2/√n, but its code (and He et al., 2015) use √(2/n): ReLU zeroes half of its inputs, so the weights need twice Xavier's *variance*, not twice its std."
        )
    )
    cli_hint("init --init {init} --act {act}{value}".format(init=init, act=act, value=" --batchnorm" if bn else ""))

with act_tab:
    st.markdown(
        _(
            "The slope of an activation is the factor every gradient is multiplied by on its way back. Sigmoid's is at most ¼ and fades for large inputs; ReLU passes gradients unchanged, but only on its right-hand side."
        )
    )
    slope = st.slider(_("LeakyReLU's slope for x < 0"), 0.0, 0.5, 0.2, 0.05, key="blocks.slope")
    figure(plots.activation_curves(slope), "blocks.act_chart")
    st.subheader(_("A neuron that dies"))
    st.markdown(
        _(
            "One neuron learns to copy relu(1.5·x + 0.5) for inputs x between −1 and 1, starting from weight 1 and the bias you choose. If the bias is so negative that w·x + b < 0 for **every** input, a ReLU outputs 0 and its gradient is exactly 0: nothing changes, ever. LeakyReLU keeps a small slope there and climbs back."
        )
    )
    c1, c2 = st.columns(2)
    bias = c1.slider(_("Starting bias b"), -3.0, 1.0, -2.0, 0.25, key="blocks.bias")
    leak = c2.slider(_("LeakyReLU slope in this race"), 0.01, 0.3, 0.1, 0.01, key="blocks.dead_slope")
    paths = {name: dead_neuron(name, bias, steps=300, lr=0.5, slope=leak) for name in ("relu", "leaky_relu")}
    figure(plots.neuron_paths(paths), "blocks.dead_chart")
    m1, m2 = st.columns(2)
    m1.metric(
        _("ReLU: final loss"),
        f"{paths['relu'].loss[-1]:.4f}",
        _("{value:+.4f} since step 1").format(value=paths["relu"].loss[-1] - paths["relu"].loss[0]),
        delta_color="inverse",
    )
    m2.metric(
        _("LeakyReLU: final loss"),
        f"{paths['leaky_relu'].loss[-1]:.4f}",
        _("{value:+.4f} since step 1").format(value=paths["leaky_relu"].loss[-1] - paths["leaky_relu"].loss[0]),
        delta_color="inverse",
    )
    cli_hint(f"deadrelu --act relu --bias {bias:g}")

with convt_tab:
    st.markdown(
        _(
            "G grows a small feature map into an image with **transposed convolutions**. Write a convolution as a matrix C that shortens a signal; its transpose Cᵀ lengthens one. Each input value stamps a scaled copy of the kernel onto the output, *stride* pixels apart."
        )
    )
    c1, c2, c3, c4 = st.columns(4)
    kernel = c1.slider(_("Kernel size"), 1, 7, 3, key="blocks.kernel")
    stride = c2.slider(_("Stride"), 1, 4, 2, key="blocks.stride")
    padding = c3.slider(_("Padding"), 0, 3, 0, key="blocks.padding")
    size = c4.slider(_("Input length"), 2, 8, 4, key="blocks.size")
    out = convt.output_size(size, kernel, stride, padding)
    if out < 1:
        st.warning(
            _("Padding {padding} crops away the whole output of a kernel of {kernel}: make the padding smaller.").format(
                padding=padding, kernel=kernel
            ),
            icon="✋",
        )
    else:
        st.latex(
            _(
                "\\text{{out}} = (\\text{{in}} - 1)\\cdot s - 2p + k = ({size} - 1)\\cdot {stride} - 2\\cdot {padding} + {kernel} = {out}"
            ).format(size=size, stride=stride, padding=padding, kernel=kernel, out=out)
        )
        figure(plots.conv_matrices(out, kernel, stride, padding), "blocks.matrix_chart")
        summary = convt.coverage_summary(kernel, stride, padding, size=8)
        figure(plots.coverage(summary, kernel, stride, padding), "blocks.coverage_chart")
        r1, r2 = summary["ratio_1d"], summary["ratio_2d"]
        m1, m2 = st.columns(2)
        m1.metric(_("Uneven overlap in 1D (max/min stamps)"), "gaps" if r1 is None else f"{r1:g}×")
        m2.metric(_("Uneven overlap in 2D"), "gaps" if r2 is None else f"{r2:g}×")
        if summary["gaps"]:
            st.caption(_("The kernel is shorter than the stride: some output pixels get no stamp at all."))
        elif r1 > 1:
            st.caption(
                _(
                    "Kernel {kernel} is not a multiple of stride {stride}: neighbouring pixels get different numbers of stamps, a regular pattern that G must learn to cancel — the source of checkerboard artifacts (Odena et al., 2016)."
                ).format(kernel=kernel, stride=stride)
            )
        else:
            st.caption(_("The stamps overlap evenly: every interior pixel gets the same number."))
        cli_hint(f"convt --kernel {kernel} --stride {stride} --padding {padding}")
    st.subheader(_("What an untrained G draws for a flat input"))
    st.markdown(
        _(
            "Three ×2 upsampling stages, 4×4 → 32×32, random weights, and the same constant input. Even before training, a transposed convolution with stride 2 prints a period-2 pattern (each output pixel's parity decides which kernel weights reach it); resizing with nearest neighbours and then convolving gives a flat picture."
        )
    )
    seed = st.number_input(_("Random weights: seed"), 0, 999, 0, key="blocks.g_seed")
    fig, strengths = plots.constant_responses({kind: constant_response(kind, int(seed)) for kind in convt.KINDS})
    figure(fig, "blocks.checker_chart")
    st.caption(_("Checkerboard strength: the mean step between neighbouring pixels over the mean |value| (0 = flat)."))
    names = {"deconv-k3": _("Transposed, kernel 3"), "deconv-k4": _("Transposed, kernel 4"), "resize-conv": _("Resize + conv")}
    for col, (kind, strength) in zip(st.columns(3), strengths.items(), strict=True):
        col.metric(names[kind], f"{strength:.3f}")

with reg_tab:
    st.subheader(_("Dropout"))
    st.markdown(
        _(
            "While training, each unit is zeroed with probability p and the survivors are multiplied by 1/(1 − p), so the *expected* output equals the input. At test time dropout is simply off: no rescaling is needed. (pix2pix keeps dropout on in G as its only noise.)"
        )
    )
    p = st.slider(_("Drop probability p"), 0.0, 0.9, 0.5, 0.05, key="blocks.dropout")
    d = dropout_demo(p)
    figure(plots.dropout_bars(d), "blocks.dropout_chart")
    st.caption(
        _("{kept_share:.1%} of units kept over 2,000 passes (expected {value:.0%}).").format(kept_share=d["kept_share"], value=1 - p)
    )
    st.subheader(_("BatchNorm: train vs eval"))
    st.markdown(
        _(
            "In training, BatchNorm normalises with the **batch's** mean and variance, so one fixed example x₀ (exactly one standard deviation above the mean: its true normalised value is 1) comes out differently in every batch. At test time the running averages are used and x₀ gets one answer. Small batches make the estimate noisy; with two examples the outputs are always −1 and +1."
        )
    )
    batch = st.select_slider(_("Batch size"), [2, 4, 8, 16, 32, 64, 128, 256], 4, key="blocks.batch")
    bn_demo, curve = batchnorm_demo(batch), batch_noise_curve()
    figure(plots.batchnorm_figure(bn_demo, curve), "blocks.bn_chart")
    m1, m2, m3 = st.columns(3)
    m1.metric(_("x₀ in training: spread"), f"±{bn_demo['train_std']:.2f}")
    m2.metric(_("x₀ at test time"), f"{bn_demo['eval_output']:.3f}", help=_("normalised with the running mean and variance"))
    m3.metric(_("Running mean / variance"), f"{bn_demo['running_mean']:.2f} / {bn_demo['running_var']:.2f}", help=_("true: 3 / 4"))
    cli_hint(f"batchnorm --batch {batch}")
course.conclude("blocks")
