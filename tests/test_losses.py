import math

import torch

from gancore.base import losses


def test_d_loss_at_equilibrium_is_log4():
    zero = torch.zeros(10)
    assert math.isclose(losses.d_loss_bce(zero, zero).item(), math.log(4), rel_tol=1e-6)
    assert math.isclose(losses.LOG4, math.log(4))


def test_minimax_saturates_where_non_saturating_does_not():
    fake = torch.full((4,), -8.0, requires_grad=True)  # D confidently rejects the fakes
    (g_mm,) = torch.autograd.grad(losses.g_loss_minimax(fake), fake)
    (g_ns,) = torch.autograd.grad(losses.g_loss_non_saturating(fake), fake)
    assert g_mm.abs().max() < 1e-3 < g_ns.abs().min()


def test_g_losses_point_the_right_way():
    lo, hi = torch.full((4,), -2.0), torch.full((4,), 2.0)
    for fn in (losses.g_loss_minimax, losses.g_loss_non_saturating, losses.g_loss_least_squares, losses.g_loss_adversarial):
        assert fn(hi) < fn(lo)  # fooling D more lowers G's loss


def test_other_d_losses():
    real, fake = torch.ones(3), -torch.ones(3)
    assert losses.d_loss_hinge(real, fake).item() == 0
    assert losses.d_loss_least_squares(real, torch.zeros(3)).item() == 0
    assert losses.d_loss_wasserstein(real, fake).item() == -2
    assert losses.d_loss("hinge", real, fake).item() == 0


def test_gradient_penalty_of_a_unit_norm_linear_critic_is_zero():
    d = torch.nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        d.weight.copy_(torch.tensor([[0.6, 0.8]]))
    critic = lambda x, y=None: d(x).squeeze(1)  # noqa: E731
    gp = losses.gradient_penalty(critic, torch.randn(5, 2), torch.randn(5, 2), torch.Generator().manual_seed(0))
    assert gp.item() < 1e-10


def test_info_loss_is_small_when_q_recovers_the_codes():
    cat = torch.tensor([0, 3, 9])
    logits = torch.nn.functional.one_hot(cat, 10).float() * 20
    ce, cont = losses.info_loss(logits, cat, torch.zeros(3, 2), torch.zeros(3, 2))
    assert ce.item() < 1e-6 and cont.item() == 0
    ce_uniform, _ = losses.info_loss(torch.zeros(3, 10), cat, torch.zeros(3, 2), torch.ones(3, 2), "mse")
    assert math.isclose(ce_uniform.item(), math.log(10), rel_tol=1e-5)


def test_one_sided_smoothing_and_flips():
    gen = torch.Generator().manual_seed(0)
    real_t, fake_t = losses.real_fake_targets(1000, 1000, 0.1, 0.0, gen)
    assert torch.all(real_t == 0.9) and torch.all(fake_t == 0)
    real_t, fake_t = losses.real_fake_targets(1000, 1000, 0.0, 0.2, gen)
    assert 0.15 < (real_t == 0).float().mean() < 0.25 and 0.15 < (fake_t == 1).float().mean() < 0.25


def test_instance_noise_decays_to_zero():
    assert losses.instance_noise_std(0, 0.5, 100) == 0.5
    assert losses.instance_noise_std(50, 0.5, 100) == 0.25
    assert losses.instance_noise_std(500, 0.5, 100) == 0
    x = torch.zeros(1000)
    assert losses.add_instance_noise(x, 0.0, torch.Generator()) is x
    assert 0.4 < losses.add_instance_noise(x, 0.5, torch.Generator().manual_seed(0)).std() < 0.6


def test_lecture_slip_reproduces_the_precedence_bug():
    pixels = torch.tensor([0.0, 127.5, 255.0])
    scaled = pixels / 127.5 - 1
    assert torch.allclose(losses.lecture_slip(scaled), pixels - 127.5 / 127.5)
