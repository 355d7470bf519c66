"""The theory figures held to numerical integration, closed forms and the Dirac-GAN's known behaviour."""

import json
import math

import pytest
import torch
from scipy import integrate

from gancore.cli.main import main
from gancore.learn import dirac, theory

DATA = theory.Mixture((0.3, 0.7), (-2.0, 1.5), (0.6, 1.0))
G = theory.Mixture((1.0,), (3.0,), (1.2,))


def pdf(m: theory.Mixture, x: float) -> float:
    return m.pdf(torch.tensor([x], dtype=torch.float64)).item()


def test_mixture_density_integrates_to_one_and_refuses_nonsense():
    assert torch.trapezoid(DATA.pdf(theory.GRID), theory.GRID).item() == pytest.approx(1.0, abs=1e-9)
    with pytest.raises(ValueError, match="at least 0.05"):
        theory.blend(theory.Mixture((1.0,), (0.0,), (0.01,)), G, 0.5)
    for bad in (((1.0,), (0.0,), (0.0,)), ((-1.0,), (0.0,), (1.0,)), ((1.0,), (math.nan,), (1.0,)), ((1.0, 1.0), (0.0,), (1.0,))):
        with pytest.raises(ValueError):
            theory.Mixture(*bad)


def test_d_star_is_the_pointwise_maximiser():
    for x in (-2.0, 0.0, 1.0, 3.5):
        a, b = pdf(DATA, x), pdf(G, x)
        best = theory.d_star(torch.tensor(a), torch.tensor(b)).item()
        grid = torch.linspace(1e-4, 1 - 1e-4, 20001, dtype=torch.float64)
        brute = grid[torch.argmax(a * torch.log(grid) + b * torch.log(1 - grid))].item()
        assert best == pytest.approx(a / (a + b)) and best == pytest.approx(brute, abs=1e-4)


def test_jsd_and_value_match_quad_and_obey_v_equals_minus_log4_plus_2jsd():
    def integrand_js(x):
        p, q = pdf(DATA, x), pdf(G, x)
        m = (p + q) / 2
        return 0.5 * (p * math.log(p / m) if p > 0 else 0) + 0.5 * (q * math.log(q / m) if q > 0 else 0)

    def integrand_v(x):
        p, q = pdf(DATA, x), pdf(G, x)
        d = p / (p + q) if p + q > 0 else 0.5
        return (p * math.log(d) if p > 0 else 0) + (q * math.log(1 - d) if q > 0 else 0)

    js_quad = integrate.quad(integrand_js, -10, 10, limit=200)[0]
    v_quad = integrate.quad(integrand_v, -10, 10, limit=200)[0]
    pd, pg = DATA.pdf(theory.GRID), G.pdf(theory.GRID)
    assert theory.jsd(pd, pg) == pytest.approx(js_quad, abs=1e-6)
    assert theory.value_at_optimum(pd, pg) == pytest.approx(v_quad, abs=1e-6)
    assert theory.value_at_optimum(pd, pg) == pytest.approx(-theory.LOG4 + 2 * theory.jsd(pd, pg), abs=1e-7)
    assert 0 < theory.jsd(pd, pg) < math.log(2)


def test_at_p_g_equal_p_data_d_star_is_one_half_and_v_is_minus_log4():
    fig = theory.dstar_figure(DATA, G, t=1.0)
    assert fig["value"] == pytest.approx(-math.log(4)) and fig["jsd"] == pytest.approx(0, abs=1e-12)
    assert {round(v, 12) for v in fig["d_star"] if v is not None} == {0.5}
    path = fig["path"]
    assert path["jsd"] == sorted(path["jsd"], reverse=True)  # sliding p_g onto p_data lowers JSD all the way
    assert path["value"][-1] == pytest.approx(-math.log(4))


def test_d_star_is_left_undrawn_where_neither_density_has_mass():
    fig = theory.dstar_figure(DATA, G, t=0.0)
    x = torch.tensor(fig["x"])
    hidden = torch.tensor([v is None for v in fig["d_star"]])
    assert hidden[x < -7].all() and hidden[x > 9].all() and not hidden[(x > -3) & (x < 4)].any()


def test_saturating_and_non_saturating_gradients():
    out = theory.g_losses(0.01)
    assert out["saturating"]["grad_logit"] == pytest.approx(-0.01) and out["non_saturating"]["grad_logit"] == pytest.approx(-0.99)
    assert out["saturating"]["loss"] == pytest.approx(math.log(0.99)) and out["non_saturating"]["loss"] == pytest.approx(-math.log(0.01))
    for d in (0.2, 0.5, 0.9):  # in general ∂/∂l = −D and −(1 − D)
        o = theory.g_losses(d)
        assert o["saturating"]["grad_logit"] == pytest.approx(-d) and o["non_saturating"]["grad_logit"] == pytest.approx(-(1 - d))
    curves = theory.g_loss_curves()
    assert curves["saturating_grad"][0] < 0.01 and curves["non_saturating_grad"][0] > 0.99
    with pytest.raises(ValueError):
        theory.g_losses(1.0)


def test_parallel_lines_js_is_flat_while_wasserstein_grows():
    js = [theory.parallel_lines(t, width=0.01)["js"] for t in (0.2, 0.5, 1.0, 3.0)]
    assert js == pytest.approx([math.log(2)] * 4, abs=1e-6)
    assert theory.parallel_lines(0.0)["js"] == pytest.approx(0, abs=1e-12)
    assert [theory.parallel_lines(t)["wasserstein"] for t in (-0.5, 2.0)] == [0.5, 2.0]


# ---------------------------------------------------------------- the Dirac-GAN
def test_dirac_plain_gan_spirals_out_under_simultaneous_steps():
    assert dirac.simulate("simultaneous", "none")["final_radius"] == pytest.approx(3.1, abs=0.05)


def test_dirac_plain_gan_orbits_under_alternating_steps():
    out = dirac.simulate("alternating", "none")
    assert out["final_radius"] == pytest.approx(1.42, abs=0.02) and len(out["path"]) == 501
    radii = [math.hypot(*p) for p in out["path"]]
    assert max(radii) - min(radii) < 0.2  # it circles: neither in nor out


@pytest.mark.parametrize("update", dirac.UPDATES)
def test_dirac_gradient_penalty_converges(update):
    assert dirac.simulate(update, "gp", gamma=0.3)["final_radius"] < 1e-3


def test_dirac_instance_noise_converges_and_wgan_does_not():
    assert dirac.simulate("alternating", "instance-noise")["final_radius"] < 0.05
    assert dirac.simulate("simultaneous", "wgan-gp")["final_radius"] > 1
    clipped = dirac.simulate("simultaneous", "wgan-clip", clip=0.5)
    assert max(abs(p[1]) for p in clipped["path"][1:]) <= 0.5  # the start (1, 1) is where it was put


def test_dirac_field_is_autograds_gradient_of_the_objective():
    theta = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    psi = torch.tensor(-1.3, dtype=torch.float64, requires_grad=True)
    f = lambda t: -torch.nn.functional.softplus(-t)  # noqa: E731  f(t) = −log(1 + e^(−t))
    gt, gp = torch.autograd.grad(f(psi * theta) + f(torch.tensor(0.0)), (theta, psi))
    dt, dp = dirac.field(theta.detach(), psi.detach())
    assert dt.item() == pytest.approx(-gt.item()) and dp.item() == pytest.approx(gp.item())
    grid = dirac.field_grid("none", 2.0, n=5)
    assert len(grid["theta"]) == 25 and grid["d_theta"][12] == 0  # the centre (0, 0) is the equilibrium


def test_dirac_refuses_bad_settings():
    for kwargs in ({"update": "random"}, {"reg": "magic"}, {"h": 0}, {"steps": 0}, {"start": (math.nan, 1.0)}):
        with pytest.raises(ValueError):
            dirac.simulate(**kwargs)


# ---------------------------------------------------------------- the CLI reproduces the figures
def cli_json(capsys, *argv):
    assert main(["learn", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_learn_figures(capsys):
    init = cli_json(capsys, "init", "--init", "std1", "--act", "sigmoid")
    assert len(init["layers"]) == 5 and set(init["layers"][0]) == {"mean", "std", "saturated"}
    assert init["layers"][0]["saturated"] > 0.6
    conv = cli_json(capsys, "convt", "--kernel", "3", "--stride", "2")
    assert (conv["ratio_1d"], conv["ratio_2d"]) == (2.0, 4.0) and conv["coverage_1d"][:4] == [1, 1, 2, 1]
    assert cli_json(capsys, "convt", "--kernel", "4", "--stride", "2")["ratio_2d"] == 1.0
    d = cli_json(capsys, "dirac", "--update", "alternating", "--reg", "none", "--h", "0.2", "--steps", "500")
    assert d["final_radius"] == pytest.approx(1.4126, abs=1e-3) and d["path"][0] == [1.0, 1.0]
    gp = cli_json(capsys, "dirac", "--reg", "gp", "--gamma", "0.3")
    assert gp["final_radius"] < 1e-3
    ds = cli_json(capsys, "dstar", "--t", "1")
    assert ds["value"] == pytest.approx(-math.log(4)) and ds["jsd"] == pytest.approx(0, abs=1e-12)
    ns = cli_json(capsys, "nsgan", "--d", "0.01")
    assert ns["saturating"]["grad_logit"] == pytest.approx(-0.01) and ns["non_saturating"]["grad_logit"] == pytest.approx(-0.99)
    for fig in ("activation", "deadrelu", "dropout", "batchnorm", "lines"):
        assert cli_json(capsys, fig)
    checker = cli_json(capsys, "checker", "--seed", "1")
    assert checker["resize-conv"] == 0 and checker["deconv-k3"] > 0
    assert cli_json(capsys, "collapse")["gs"]["collapsed"]["kl_g_data"] == pytest.approx(math.log(2), abs=1e-3)
    assert len(init["histograms"]["shares"]) == 5 and sum(init["histograms"]["shares"][0]) == pytest.approx(1)
    assert main(["learn", "nsgan", "--d", "0.5"]) == 0 and "grad_logit" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["nsgan", "--d", "1.5"], ["convt", "--kernel", "0"], ["batchnorm", "--batch", "100000000"], ["dstar", "--g-mean", "nan"],
     ["dstar", "--data-means", "1,2,3"], ["lines", "--width", "0"], ["dirac", "--h", "nan"], ["dropout", "--p", "1"]],
)  # fmt: skip
def test_cli_learn_refuses_bad_values_in_one_line(capsys, argv):
    assert main(["learn", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err and "Traceback" not in err


def test_kl_matches_the_closed_form_for_two_gaussians():
    p, q = theory.Mixture((1.0,), (0.0,), (1.0,)), theory.Mixture((1.0,), (1.0,), (2.0,))
    closed = math.log(2.0) + (1 + 1) / (2 * 4) - 0.5  # log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½
    assert theory.kl(p.pdf(theory.GRID), q.pdf(theory.GRID)) == pytest.approx(closed, abs=1e-8)


def test_forward_kl_punishes_a_dropped_mode_reverse_kl_a_smeared_g_and_js_sits_between():
    gs = theory.collapse_table()["gs"]
    collapsed, smeared, both = gs["collapsed"], gs["smeared"], gs["both"]
    assert collapsed["kl_g_data"] == pytest.approx(math.log(2), abs=1e-3)  # one bump of two: exactly log 2
    assert collapsed["kl_data_g"] > 10 * smeared["kl_data_g"] and smeared["kl_g_data"] > 3 * collapsed["kl_g_data"]
    assert abs(collapsed["js"] - smeared["js"]) < 0.05 and both["js"] < 0.02
