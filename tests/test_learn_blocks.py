"""The building blocks' figures held to closed forms, to PyTorch's own layers, and to the lecture."""

import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from gancore.learn import activations, convt, regularise, weights


# ---------------------------------------------------------------- initialisation (the lecture's experiment)
def layers(init, act, bn=False):
    return weights.run_init(init, act, bn).layers()


def test_init_stds_are_the_schemes_and_he_is_root_two_over_n():
    assert weights.init_std("std1", 100) == 1 and weights.init_std("std0.01", 100) == 0.01
    assert weights.init_std("xavier", 100) == pytest.approx(0.1)
    assert weights.init_std("he", 100) == pytest.approx(math.sqrt(2 / 100))  # not the slide's 2/√n = 0.2
    with pytest.raises(ValueError, match="init must be one of"):
        weights.init_std("zeros", 100)


def test_std1_sigmoid_piles_activations_at_0_and_1():
    assert all(layer["saturated"] > 0.6 for layer in layers("std1", "sigmoid"))


def test_std001_sigmoid_collapses_every_neuron_to_one_half():
    for layer in layers("std0.01", "sigmoid"):
        assert layer["mean"] == pytest.approx(0.5, abs=0.01) and layer["std"] < 0.03 and layer["saturated"] == 0


def test_xavier_spreads_sigmoid_activations_without_saturating():
    for layer in layers("xavier", "sigmoid"):
        assert 0.1 < layer["std"] < 0.25 and layer["saturated"] < 0.01


def test_with_relu_xavier_shrinks_layer_by_layer_and_he_keeps_the_scale():
    xavier, he = layers("xavier", "relu"), layers("he", "relu")
    assert [x["std"] for x in xavier] == sorted((x["std"] for x in xavier), reverse=True)
    assert xavier[-1]["std"] < 0.3 * xavier[0]["std"]
    assert 0.7 < he[-1]["std"] / he[0]["std"] < 1.3
    assert all(0.45 < x["saturated"] < 0.55 for x in he)  # ReLU zeroes about half


def test_batchnorm_makes_every_initialisation_alike():
    runs = [layers(init, "tanh", bn=True) for init in weights.INITS]
    for run in runs[1:]:
        assert [x["std"] for x in run] == pytest.approx([x["std"] for x in runs[0]], abs=0.01)


def test_init_is_seeded_and_histograms_sum_to_one():
    a, b = weights.run_init("he", "relu", seed=3), weights.run_init("he", "relu", seed=3)
    assert all(torch.equal(x, y) for x, y in zip(a.activations, b.activations, strict=True))
    edges, shares = weights.histograms(a, bins=20)
    assert edges.shape == (21,) and len(shares) == 5 and all(s.sum().item() == pytest.approx(1.0) for s in shares)


def test_saturated_share_counts_the_flat_parts():
    assert weights.saturated_share("sigmoid", torch.tensor([0.01, 0.5, 0.99, 0.6])) == 0.5
    assert weights.saturated_share("tanh", torch.tensor([-0.99, 0.0])) == 0.5
    assert weights.saturated_share("relu", torch.tensor([0.0, 0.0, 0.0, 1.0])) == 0.75


# ---------------------------------------------------------------- activations
@pytest.mark.parametrize(
    ("name", "slope_at"),
    [
        ("sigmoid", lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x))),
        ("tanh", lambda x: 1 - torch.tanh(x) ** 2),
        ("relu", lambda x: (x > 0).double()),
        ("leaky_relu", lambda x: torch.where(x > 0, 1.0, 0.1).double()),
        ("elu", lambda x: torch.where(x > 0, torch.ones_like(x), torch.exp(x))),
    ],
)
def test_derivatives_match_their_closed_forms(name, slope_at):
    c = activations.curve(name, n=200, slope=0.1)  # 200 points: no grid point at exactly 0
    x = torch.tensor(c["x"], dtype=torch.float64)
    assert torch.allclose(torch.tensor(c["dy"], dtype=torch.float64), slope_at(x), atol=1e-9)


def test_sigmoid_slope_never_exceeds_a_quarter():
    assert max(activations.curve("sigmoid")["dy"]) == pytest.approx(0.25)


def test_a_relu_neuron_with_negative_input_everywhere_never_recovers():
    dead = activations.dead_neuron("relu", bias0=-2.0, steps=300, lr=0.5)
    assert set(dead.active) == {0.0} and len(set(dead.loss)) == 1 and (dead.w, dead.b) == (1.0, -2.0)
    alive = activations.dead_neuron("leaky_relu", bias0=-2.0, steps=300, lr=0.5)
    assert alive.active[0] == 0 and alive.active[-1] > 0.5 and alive.loss[-1] < 0.01 * alive.loss[0]


def test_activation_inputs_are_bounded():
    with pytest.raises(ValueError):
        activations.apply("swish", torch.zeros(1))
    with pytest.raises(ValueError):
        activations.dead_neuron("relu", bias0=float("nan"))


# ---------------------------------------------------------------- transposed convolution
@pytest.mark.parametrize(
    ("size", "k", "s", "p", "op"), [(7, 4, 2, 1, 0), (7, 3, 2, 1, 1), (4, 5, 1, 2, 0), (3, 3, 3, 0, 2), (5, 2, 2, 0, 0)]
)
def test_output_size_formula_matches_pytorch(size, k, s, p, op):
    layer = nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, output_padding=op)
    assert layer(torch.zeros(1, 1, size, size)).shape[-1] == convt.output_size(size, k, s, p, op)


def test_transposed_convolution_is_the_transpose_of_the_convolution_matrix():
    w = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    c = convt.conv_matrix(6, w, stride=2, padding=1)  # (3, 6)
    x, y = torch.randn(6, dtype=torch.float64), torch.randn(3, dtype=torch.float64)
    assert torch.allclose(c @ x, F.conv1d(x.view(1, 1, -1), w.view(1, 1, -1), stride=2, padding=1).flatten())
    # Cᵀ upsamples 3 → 6; lengths 5 and 6 both convolve down to 3, so the layer needs output_padding=1 to pick 6
    up = F.conv_transpose1d(y.view(1, 1, -1), w.view(1, 1, -1), stride=2, padding=1, output_padding=1).flatten()
    assert torch.allclose(c.T @ y, up)


@pytest.mark.parametrize(("k", "s", "r1", "r2"), [(3, 2, 2.0, 4.0), (4, 2, 1.0, 1.0), (5, 2, 1.5, 2.25), (3, 1, 1.0, 1.0)])
def test_coverage_ratios(k, s, r1, r2):
    out = convt.coverage_summary(k, s)
    assert (out["ratio_1d"], out["ratio_2d"]) == (r1, r2) and not out["gaps"]


def test_a_kernel_smaller_than_the_stride_leaves_gaps():
    out = convt.coverage_summary(1, 2)
    assert out["gaps"] and out["ratio_1d"] is None and 0 in out["coverage_1d"]


def test_resize_then_convolve_draws_no_checkerboard_and_deconvolution_does():
    for seed in range(3):
        flat, strength = convt.constant_response("resize-conv", seed)
        assert strength == 0 and flat.shape == (32, 32)
        assert convt.constant_response("deconv-k3", seed)[1] > 0.05 and convt.constant_response("deconv-k4", seed)[1] > 0.05


# ---------------------------------------------------------------- dropout and BatchNorm
def test_inverted_dropout_is_unbiased_and_off_at_test_time():
    d = regularise.dropout_demo(0.5, masks=20_000)
    x = torch.tensor(d["input"])
    assert torch.allclose(torch.tensor(d["mean_inverted"]), x, rtol=0.05)
    assert torch.allclose(torch.tensor(d["mean_unscaled"]), 0.5 * x, rtol=0.05)
    assert d["test_output"] == d["input"] and d["kept_share"] == pytest.approx(0.5, abs=0.01)
    kept = [o for o, m in zip(d["train_output"], d["mask"], strict=True) if m]
    assert kept == pytest.approx([2 * v for v, m in zip(d["input"], d["mask"], strict=True) if m])


def test_batchnorm_with_two_examples_always_outputs_minus_one_or_one():
    d = regularise.batchnorm_demo(2, batches=500)
    mags = [abs(v) for v in d["train_outputs"]]  # (x − mean)/√(var + ε): ±1 unless the two nearly coincide
    assert max(mags) <= 1 and sum(m > 0.99 for m in mags) >= 0.97 * len(mags)


def test_batchnorm_noise_shrinks_with_the_batch_and_eval_uses_running_stats():
    curve = regularise.batch_noise_curve((4, 16, 64, 256))["train_std"]
    assert curve == sorted(curve, reverse=True) and curve[-1] < 0.1 < 0.4 < curve[0]
    big = regularise.batchnorm_demo(256)
    assert big["running_mean"] == pytest.approx(3.0, abs=0.1) and big["running_var"] == pytest.approx(4.0, rel=0.1)
    assert big["eval_output"] == pytest.approx((5 - big["running_mean"]) / math.sqrt(big["running_var"] + 1e-5))
    with pytest.raises(ValueError, match="at least|from 2"):
        regularise.batchnorm_demo(1)
