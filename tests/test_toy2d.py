"""The 2D lab's math: grids, D*, divergences, Gaussian recovery, mode coverage, drawn points."""

import math
from dataclasses import replace

import pytest
import torch

from gancore import presets
from gancore.base import device
from gancore.base.errors import DataError
from gancore.data.points2d import load_points, points_from_csv, ring8, save_points, spray
from gancore.models.catalog import build
from gancore.models.toy import ToyConfig
from gancore.toy import frames, narrate, stats


def test_grid_is_row_major_with_y_as_rows():
    g = frames.grid((0, 1, 0, 2), n=3)
    assert g.shape == (3, 3) and g.points[1].tolist() == [0.5, 0.0] and g.points[3].tolist() == [0.0, 1.0]
    assert g.cell_area == pytest.approx(0.5)


def test_d_star_is_half_where_densities_agree_and_follows_the_formula():
    p, q = torch.tensor([1.0, 3.0, 0.0, 0.0]), torch.tensor([1.0, 1.0, 2.0, 0.0])
    assert stats.d_star(p, q).tolist() == [0.5, 0.75, 0.0, 0.5]


def test_kl_and_js_on_known_cases():
    p = torch.tensor([0.5, 0.5, 0.0, 0.0])
    assert stats.kl_js(p, p) == pytest.approx((0.0, 0.0), abs=1e-9)
    _, js = stats.kl_js(p, torch.tensor([0.0, 0.0, 0.5, 0.5]))
    assert js == pytest.approx(math.log(2), abs=1e-6)  # disjoint supports: the maximum
    kl, _ = stats.kl_js(torch.tensor([0.5, 0.5]), torch.tensor([0.25, 0.75]))
    assert kl == pytest.approx(0.5 * math.log(2) + 0.5 * math.log(2 / 3), abs=1e-9)


def test_gaussian_pdf_integrates_to_one_and_kde_is_close_to_it():
    mean, cov = torch.tensor([1.0, 2.0]), torch.tensor([[1.0, 0.3], [0.3, 0.5]])
    g = frames.grid((-4, 6, -2, 6), n=120)
    pdf = stats.gaussian_pdf(g.points, mean, cov)
    assert float(pdf.sum() * g.cell_area) == pytest.approx(1.0, abs=1e-3)
    x = torch.distributions.MultivariateNormal(mean, cov).sample((4000,))
    est = stats.kde(x, g.points)
    assert float(est.sum() * g.cell_area) == pytest.approx(1.0, abs=0.02)
    assert stats.kl_js(pdf, est)[1] < 0.01


def test_linear_g_moments_are_exact_and_other_gs_have_none():
    cfg = ToyConfig(latent_dim=2)
    g, _ = build(cfg)
    mean, cov = stats.linear_g_moments(g)
    w = g.net[0].weight.detach()
    x = g(torch.randn(200_000, 2)).detach()
    assert torch.allclose(x.mean(0), mean, atol=2e-3) and torch.allclose(torch.cov(x.T), w @ w.T, atol=2e-3)
    deep, _ = build(ToyConfig(latent_dim=2, g_hidden=(8,), init="pytorch"))
    assert stats.linear_g_moments(deep) is None


def test_mode_coverage_counts_modes_and_quality():
    data = ring8(n=800, seed=1)
    m = stats.mode_coverage(data.points, data.modes, data.mode_std)
    assert m.captured == 8 and m.high_quality == pytest.approx(1 - math.exp(-4.5), abs=0.01)  # real data: 98.9% in 2D
    collapsed = data.modes[0].repeat(100, 1)
    assert stats.mode_coverage(collapsed, data.modes, data.mode_std).captured == 1
    between = torch.zeros(100, 2)  # the centre of the ring: far from every mode
    assert stats.mode_coverage(between, data.modes, data.mode_std).high_quality == 0.0


def test_g_push_points_towards_where_d_says_real():
    cfg = ToyConfig(latent_dim=2, g_hidden=(8,), d_hidden=(8,), activation="relu", init="pytorch")
    g, d = build(cfg)
    torch.manual_seed(0)
    with torch.no_grad():  # D's logit = x_0 + 5 (one ReLU unit, on for any x_0 > -5): "real" lies along +x_0
        d.net[0].weight.zero_()
        d.net[0].bias.fill_(5.0)
        d.net[0].weight[0] = torch.tensor([1.0, 0.0])
        d.net[2].weight.zero_()
        d.net[2].weight[0, 0] = 1.0
        d.net[2].bias.zero_()
    _, push = frames.g_push(g, d, torch.randn(64, 2), "non_saturating")
    assert (push[:, 0] > 0).all() and torch.allclose(push[:, 1], torch.zeros(64))


def test_manifold_lines_and_a_frame_of_each_kind():
    p = presets.get("d2l-toy")
    g, d = build(p.model)
    lines = frames.manifold(g, 2, lines=5, points=7)
    assert len(lines) == 10 and lines[0].shape == (7, 2)
    data = load_points("gaussian")
    box = frames.bounds(data.points, torch.zeros(1, 2))
    fr = frames.frame(p.model, p.train.hacks, g, d, data, box, n=20)
    assert fr.d_map.shape == fr.d_star_map.shape == (20, 20) and fr.stats["exact"]
    mix = presets.get("toy-mixture")
    g2, d2 = build(mix.model)
    ring = load_points("ring8")
    fr2 = frames.frame(mix.model, mix.train.hacks, g2, d2, ring, frames.bounds(ring.points), n=20)
    assert fr2.stats["modes"].total == 8 and 0 <= fr2.js <= math.log(2) + 1e-6


def test_d2l_gaussian_is_recovered_with_the_books_settings():
    """The issue's target on one fast seed (bench/toy_targets.py runs five)."""
    p = presets.get("d2l-toy")
    state, data, seconds = frames.fit(p.model, p.train)
    mean_g, cov_g = stats.linear_g_moments(state.g)
    err_mean, err_cov = stats.recovery(mean_g, cov_g, *stats.moments(data.points))
    assert state.step == 2500 and err_mean < 0.2 and err_cov < 0.2, (err_mean, err_cov, seconds)


def test_narration_says_what_each_update_did():
    before = {"d_real": 0.6, "d_fake": 0.4, "fake": torch.zeros(4, 2)}
    better = {"d_real": 0.7, "d_fake": 0.3, "fake": torch.zeros(4, 2)}
    assert "separates them better" in narrate.narrate("d", before, better, 8)
    assert "no better" in narrate.narrate("d", before, {**before, "d_real": 0.5}, 8)
    moved = {**before, "fake": torch.ones(4, 2)}
    assert "Generator step" in narrate.narrate("g", before, moved, 8) and "1.414" in narrate.narrate("g", before, moved, 8)


def test_slow_motion_late_in_a_run_says_changes_in_the_digits_they_need():
    """Paused at step 2,374, Step D read "D(fake) 0.499 → 0.498" and "moved 0.0000": nothing to see."""
    assert narrate.change("D(fake)", 0.4991, 0.4983) == "D(fake) 0.4991 → 0.4983 (-0.0008)"
    assert narrate.change("D(real)", 0.61, 0.68) == "D(real) 0.610 → 0.680 (+0.070)"
    assert narrate.digits(3e-5) == 5 and narrate.digits(2e-9) == 6 and narrate.digits(0.0) == 3
    g, d = build(ToyConfig())
    real, fake = torch.randn(64, 2), g(torch.randn(64, 2)).detach()
    before = narrate.probe(d, real, fake)
    with torch.no_grad():
        for w in d.parameters():
            w.add_(1e-4)  # a late, tiny D step
    after = narrate.probe(d, real, fake)
    text = narrate.narrate("d", before, after, 64)
    assert "heatmap changed by up to 0.0" in text and "too little to see" in text
    assert "(+0.0000)" not in text and "(-0.0000)" not in text  # every change shown has a digit that moved


# ----------------------------------------------------------------------------- points


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello world\nthis is not a csv\n", "row 1 has 1 value; every row must be 'x,y'"),
        ("x,y\n1,2\nfoo,bar\n", "row 2 is not two numbers"),
        ("1\n2\n3\n", "row 1 has 1 value"),
        ("x,y\n1,2\nnan,3\n", "NaN"),
        ("1,2\n" * 300_000, "limit is 200,000"),
        ("1,2\n" * 10_000_000, "larger than 20 MB"),
    ],
)
def test_bad_csv_gets_a_clear_message(text, message):
    with pytest.raises(DataError, match=message):
        points_from_csv(text)


def test_spray_is_deterministic_and_save_points_round_trips(data_dir):
    a = spray([(0.5, -1.0), (2.0, 2.0)], per_point=10)
    assert a.shape == (20, 2) and torch.equal(a, spray([(0.5, -1.0), (2.0, 2.0)], per_point=10))
    name = save_points(a, "points", "drawn")
    assert name.startswith("csv:points/") and save_points(a, "points", "drawn") == name
    assert (data_dir / name.removeprefix("csv:")).is_file()  # under the data root, named relative to it
    back = load_points(name).points
    assert torch.allclose(back, a, atol=1e-5)
    with pytest.raises(DataError, match="at least 2"):
        save_points(a[:1], "points")


def in_threads(n: int, work) -> None:
    """``work`` inside ``device.one_thread()`` on ``n`` threads at once."""
    import threading

    def frame() -> None:
        with device.one_thread():
            work()

    threads = [threading.Thread(target=frame) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_one_thread_restores_the_count_even_when_sessions_interleave():

    before = torch.get_num_threads()
    inside = []
    in_threads(8, lambda: inside.append(torch.get_num_threads()))
    assert inside == [1] * 8 and torch.get_num_threads() == before


def test_one_thread_blocks_overlap_instead_of_waiting_in_line():
    """Thirty students' pictures run at once: one block never waits for another to end."""
    import threading

    before = torch.get_num_threads()
    both_inside = threading.Barrier(2, timeout=60)  # broken if one waited for the other
    seen = []
    in_threads(2, lambda: (both_inside.wait(), seen.append(torch.get_num_threads())))
    assert seen == [1, 1] and not both_inside.broken and torch.get_num_threads() == before


def test_d_star_is_left_undefined_where_neither_density_has_mass():
    p = torch.tensor([1.0, 0.0, 1e-5, 0.0])
    q = torch.tensor([1.0, 2.0, 0.0, 0.0])
    shown = stats.d_star_where_defined(p, q)
    assert shown[:2].tolist() == [0.5, 0.0]  # both have mass, or G alone: D* says 'fake'
    assert shown[2:].isnan().all()  # under 0.1% of the peak (2.0): grey in the lab


def test_the_plane_is_square_around_a_tall_cloud():
    x0, x1, y0, y1 = frames.bounds(torch.tensor([[0.0, 0.0], [1.0, 4.0]]), margin=0.25)
    assert x1 - x0 == pytest.approx(y1 - y0) == pytest.approx(4.0 * 1.5)  # the larger extent, plus a quarter each side
    assert (x0 + x1) / 2 == pytest.approx(0.5) and (y0 + y1) / 2 == pytest.approx(2.0)


def test_the_collapse_recipe_keeps_at_most_three_of_the_eight_bumps():
    """The lab's "Make it collapse" (bench/toy_targets.py --only collapse runs 5 seeds: 2, 2, 1, 2, 2)."""
    p = presets.get("toy-collapse")
    state, data, _ = frames.fit(p.model, replace(p.train, seed=2))
    x = frames.g_points(state.g.eval(), p.model.latent_dim, 2500, seed=10_002)
    m = stats.mode_coverage(x, data.modes, data.mode_std)
    assert 1 <= m.captured <= 3 and m.high_quality > 0.9  # on a few bumps, and squarely on them
