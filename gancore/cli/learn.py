"""``python -m gancore learn FIGURE [options] [--json]``: the numbers behind every Learn figure,
for a teacher's slides. Each figure is one function of ``gancore.learn``; this module only parses
options and prints."""

from __future__ import annotations

import json

from gancore.base.errors import LearnError
from gancore.base.i18n import N_, _
from gancore.cli.args import floats
from gancore.learn import activations, convt, dirac, regularise, theory, weights


def _init(a) -> dict:
    r = weights.run_init(a.init, a.act, a.batchnorm, a.seed)
    edges, shares = weights.histograms(r)
    hist = {"edges": edges.tolist(), "shares": [s.tolist() for s in shares]}
    return {
        "init": a.init,
        "act": a.act,
        "batchnorm": a.batchnorm,
        "std": weights.init_std(a.init, weights.WIDTH),
        "layers": r.layers(),
        "histograms": hist,
    }


def _activation(a) -> dict:
    c = activations.curve(a.act, slope=a.slope, n=a.points)
    return {"act": a.act, "slope": a.slope, **c, "max_slope": max(c["dy"])}


def _deadrelu(a) -> dict:
    p = activations.dead_neuron(a.act, a.bias, a.steps, a.lr, a.slope, a.seed)
    return {"act": a.act, "bias0": a.bias, "loss": p.loss, "active": p.active, "w": p.w, "b": p.b}


def _dstar(a) -> dict:
    if not (len(a.data_means) == len(a.data_stds) == len(a.data_weights)):
        raise LearnError(_("--data-means, --data-stds and --data-weights need the same number of values"))
    data = theory.Mixture(a.data_weights, a.data_means, a.data_stds)
    return theory.dstar_figure(data, theory.Mixture((1.0,), (a.g_mean,), (a.g_std,)), a.t)


FIGURES = {
    "init": (_init, N_("the initialisation experiment: each of 5 layers' activation mean, std and saturated share")),
    "activation": (_activation, N_("an activation function and its derivative (autograd's) on [-5, 5]")),
    "deadrelu": (_deadrelu, N_("one neuron trained from a given bias: loss and share of live inputs per step")),
    "convt": (lambda a: convt.coverage_summary(a.kernel, a.stride, a.padding, a.size), N_("transposed convolution coverage")),
    "dropout": (lambda a: regularise.dropout_demo(a.p, seed=a.seed), N_("inverted dropout: a mask, its output, the mean over masks")),
    "batchnorm": (lambda a: regularise.batchnorm_demo(a.batch, seed=a.seed), N_("BatchNorm: one example in many batches vs eval")),
    "dstar": (_dstar, N_("D* for two 1D densities, V(D*, G) and JSD, and both as p_g slides onto p_data")),
    "nsgan": (lambda a: theory.g_losses(a.d), N_("saturating vs non-saturating G loss and their gradients at D(G(z))")),
    "dirac": (
        lambda a: dirac.simulate(a.update, a.reg, a.h, a.steps, (a.theta, a.psi), a.gamma, a.clip, a.noise),
        N_("the Dirac-GAN's path"),
    ),
    "lines": (lambda a: theory.parallel_lines(a.theta, a.width), N_("JS vs Wasserstein for two parallel lines θ apart")),
    "checker": (
        lambda a: {k: convt.constant_response(k, a.seed)[1] for k in convt.KINDS},
        N_("checkerboard strength of three untrained Gs"),
    ),
    "collapse": (lambda a: theory.collapse_table(), N_("JS and both KLs for a collapsed, a smeared and a right G")),
}


def add_parser(sub) -> None:
    """Register ``learn`` and its figures on the CLI's subparsers."""
    learn = sub.add_parser("learn", help=_("print the numbers behind a Learn page figure")).add_subparsers(dest="figure", required=True)
    ps = {name: learn.add_parser(name, help=text) for name, (_skip, text) in FIGURES.items()}
    for p in ps.values():
        p.add_argument("--json", action="store_true", help=_("print JSON"))
        p.add_argument("--seed", type=int, default=0)
        p.set_defaults(func=run)
    ps["init"].add_argument("--init", choices=weights.INITS, default="xavier")
    ps["init"].add_argument("--act", choices=weights.ACTS, default="sigmoid")
    ps["init"].add_argument("--batchnorm", action="store_true")
    ps["activation"].add_argument("--act", choices=activations.NAMES, default="relu")
    ps["activation"].add_argument("--points", type=int, default=101)
    ps["deadrelu"].add_argument("--act", choices=("relu", "leaky_relu", "elu"), default="relu")
    ps["deadrelu"].add_argument("--bias", type=float, default=-2.0, help=_("the neuron's starting bias"))
    ps["deadrelu"].add_argument("--steps", type=int, default=300)
    ps["deadrelu"].add_argument("--lr", type=float, default=0.5)
    for name in ("activation", "deadrelu"):
        ps[name].add_argument("--slope", type=float, default=0.1, help=_("LeakyReLU's left-hand slope"))
    ps["convt"].add_argument("--kernel", type=int, default=3)
    ps["convt"].add_argument("--stride", type=int, default=2)
    ps["convt"].add_argument("--padding", type=int, default=0)
    ps["convt"].add_argument("--size", type=int, default=8, help=_("input length"))
    ps["dropout"].add_argument("--p", type=float, default=0.5, help=_("drop probability"))
    ps["batchnorm"].add_argument("--batch", type=int, default=4)
    d = ps["dstar"]
    d.add_argument("--data-means", type=floats, default=(-2.0, 2.0))
    d.add_argument("--data-stds", type=floats, default=(0.7, 0.7))
    d.add_argument("--data-weights", type=floats, default=(0.5, 0.5))
    d.add_argument("--g-mean", type=float, default=0.0)
    d.add_argument("--g-std", type=float, default=1.5)
    d.add_argument("--t", type=float, default=0.0, help=_("how far p_g has slid onto p_data (0 … 1)"))
    ps["nsgan"].add_argument("--d", type=float, default=0.01, help=_("D(G(z)), strictly between 0 and 1"))
    d = ps["dirac"]
    d.add_argument("--update", choices=dirac.UPDATES, default="simultaneous")
    d.add_argument("--reg", choices=dirac.REGS, default="none")
    d.add_argument("--gamma", type=float, default=0.3, help=_("penalty weight (gp, wgan-gp)"))
    d.add_argument("--clip", type=float, default=1.0, help=_("|ψ| bound (wgan-clip)"))
    d.add_argument("--noise", type=float, default=0.5, help=_("instance noise's standard deviation"))
    d.add_argument("--h", type=float, default=0.2, help=_("step size"))
    d.add_argument("--steps", type=int, default=500)
    d.add_argument("--theta", type=float, default=1.0, help=_("G's starting point"))
    d.add_argument("--psi", type=float, default=1.0, help=_("D's starting slope"))
    ps["lines"].add_argument("--theta", type=float, default=0.5)
    ps["lines"].add_argument("--width", type=float, default=0.01)


def _brief(value, depth: int = 0) -> str:
    """A readable summary: numbers rounded, long lists shortened."""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        if len(value) > 8:
            return "[{join}, … ({n_value} values) …, {brief}]".format(
                join=", ".join(_brief(v, depth + 1) for v in value[:3]), n_value=len(value), brief=_brief(value[-1], depth + 1)
            )
        return f"[{', '.join(_brief(v, depth + 1) for v in value)}]"
    if isinstance(value, dict):
        pad = "  " * (depth + 1)
        return "".join(f"\n{pad}{k}: {_brief(v, depth + 1)}" for k, v in value.items())
    return str(value)


def run(args) -> None:
    fn, _skip = FIGURES[args.figure]
    try:
        out = fn(args)
    except ValueError as exc:
        raise LearnError(str(exc)) from None
    print(json.dumps(out, allow_nan=False) if args.json else f"{args.figure}:{_brief(out)}")
