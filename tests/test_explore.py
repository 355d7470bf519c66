"""The functions behind the explore pages: inputs for each picture, neighbours, pictures."""

import numpy as np
import pytest
import torch

from gancore.base.config import HackConfig
from gancore.explore import sampling
from gancore.models.catalog import build
from gancore.models.cgan import CganConfig
from gancore.models.infogan import InfoGanConfig
from ui.common import pictures
from ui.explore import drag_slider

INFO = InfoGanConfig(latent_dim=62, width=0.125)
CGAN = CganConfig(width=0.125)


def test_infogan_inputs_share_the_codes_and_differ_in_noise():
    z = sampling.infogan_inputs(INFO, 3, (1.5, -2.0), 5, seed=7)
    assert z.shape == (5, 62 + 10 + 2)
    assert (z[:, 62 + 3] == 1).all() and z[:, 62:72].sum(1).eq(1).all()
    assert torch.equal(z[:, -2:], torch.tensor([[1.5, -2.0]] * 5))
    assert not torch.equal(z[0, :62], z[1, :62])
    assert torch.equal(z, sampling.infogan_inputs(INFO, 3, (1.5, -2.0), 5, seed=7))
    with pytest.raises(ValueError, match="category"):
        sampling.infogan_inputs(INFO, 10, (0.0, 0.0), 1, 0)
    with pytest.raises(ValueError, match="infogan model"):
        sampling.infogan_inputs(CGAN, 0, (0.0, 0.0), 1, 0)


def test_infogan_traversal_is_rows_of_categories_and_columns_of_code_values():
    values = torch.linspace(-2, 2, 4)
    z = sampling.infogan_traversal(INFO, code=1, values=values, seed=0, base=(0.5, 0.0))
    assert z.shape == (40, 74)
    cats = z[:, 62:72].argmax(1).reshape(10, 4)
    assert (cats == torch.arange(10)[:, None]).all()
    assert torch.equal(z[:4, -1], values) and (z[:, -2] == 0.5).all()  # the other code held
    assert (z[:, :62] == z[0, :62]).all()  # one z everywhere


def test_class_rows_keep_z_per_column_and_change_the_label():
    z, y = sampling.class_rows(CGAN, [0, 4, 9], cols=5, seed=1)
    assert z.shape == (15, 100) and y.tolist() == [0] * 5 + [4] * 5 + [9] * 5
    assert torch.equal(z[:5], z[5:10]) and not torch.equal(z[0], z[1])
    with pytest.raises(ValueError, match="classes"):
        sampling.class_rows(CGAN, [10], 2, 0)


def test_strip_and_arithmetic_inputs():
    z = torch.randn(9, 100, generator=torch.Generator().manual_seed(0))
    path = sampling.strip(z[0], z[1], 6, "lerp")
    assert path.shape == (6, 100) and torch.allclose(path[0], z[0]) and torch.allclose(path[-1], z[1])
    zs = sampling.arithmetic_inputs(z, ([0, 1, 2], [3, 4, 5], [6, 7, 8]), n=4, scale=0.1, seed=0)
    a, b, c = z[:3].mean(0), z[3:6].mean(0), z[6:].mean(0)
    assert zs.shape == (7, 100) and torch.allclose(zs[3], a - b + c) and torch.allclose(zs[0], a)
    assert (zs[4:] - zs[3]).norm(dim=1).max() < 0.1 * 100**0.5 * 2


def test_nearest_finds_an_exact_copy_at_distance_zero():
    pool = torch.randn(50, 1, 4, 4)
    idx, dist = sampling.nearest(pool[17], pool, k=3)
    assert idx[0] == 17 and dist[0] == pytest.approx(0, abs=1e-5) and (dist[1:] > 0).all()
    assert dist.tolist() == sorted(dist.tolist())


def test_training_pool_and_nearest_training_use_pixels_and_features(monkeypatch, tiny_images):
    import gancore.data.images
    import gancore.data.sampler

    monkeypatch.setattr(gancore.data.sampler, "load_dataset", lambda *a, **k: tiny_images)
    monkeypatch.setattr(gancore.data.images, "load_images", lambda *a, **k: tiny_images)
    sampling.training_pool.cache_clear()
    try:
        pool = sampling.training_pool("mnist", (1, 28, 28))
        found = sampling.nearest_training(tiny_images.images[5], pool, k=4)
        assert found["pixels"][0][0] == 5 and found["features"][0][0] == 5
        assert pool["real_pixel_median"] == pytest.approx(0, abs=1e-5)  # here the "test" images are the train images
    finally:
        sampling.training_pool.cache_clear()


def test_category_meaning_and_class_votes_use_the_shipped_classifier():
    g, _ = build(INFO)
    meaning = sampling.category_meaning(g.eval(), INFO, "mnist", per_cat=8)
    assert len(meaning) == 10 and all(0 <= d <= 9 and 0 < share <= 1 for d, share in meaning)
    assert sampling.class_votes(g, INFO, "nope", sampling.infogan_inputs(INFO, 0, (0.0, 0.0), 2, 0)) is None


def test_category_verdict_needs_distinct_and_pure_categories():
    ten = [(d, 0.99) for d in range(10)]
    assert sampling.category_verdict(ten) == (True, "The 10 categories map to 10 different classes: c1 learned the digit, unsupervised.")
    shared = [(d, 0.99) for d in range(9)] + [(8, 0.9)]
    ok, text = sampling.category_verdict(shared)
    assert not ok and text.startswith("Some categories share a class; none stands for [9].")
    halves = [*ten[:4], (4, 0.51), *ten[5:9], (9, 0.55)]  # distinct classes, two 4/9 mixtures
    ok, text = sampling.category_verdict(halves)
    assert not ok and text.startswith("Mixed categories (top class under 80%): c1 = 4 (51% 4), c1 = 9 (55% 9).")


def test_render_and_generator_from_state_accept_half_precision_weights():
    g, _ = build(CGAN)
    half = {k: v.half() if v.is_floating_point() else v for k, v in g.state_dict().items()}
    g2 = sampling.generator_from_state(CGAN, half, HackConfig())
    z, y = sampling.class_rows(CGAN, [1, 2], 3, 0)
    out = sampling.render(g2, z, y)
    assert out.shape == (6, 28, 28, 1) and out.dtype == np.uint8


def test_pictures_numbered_labelled_and_gif():
    imgs = np.random.default_rng(0).integers(0, 255, (6, 28, 28, 1), dtype=np.uint8)
    assert pictures.numbered(imgs, cols=3, scale=2).shape == ((2 * 29 + 1) * 2, (3 * 29 + 1) * 2, 3)
    lab = pictures.with_row_labels(imgs, 3, ["c1=0 ~7", "c1=1 ~2"], scale=1)
    assert lab.shape[0] == 2 * 29 + 1 and lab.shape[1] > 3 * 29 + 1
    assert pictures.gif(imgs[:3]).startswith(b"GIF8")
    assert pictures.png(pictures.grid(imgs, 3)).startswith(b"\x89PNG")


def test_row_labels_are_a_quarter_of_their_row_high_and_black():
    """InfoGAN's traversal labels, shown shrunk to a column at 1024 px, read at about 7 px when
    they were drawn 7 x scale px tall in grey: the digits' ink now stands a quarter of its row
    high (it was a sixth)."""
    imgs = np.zeros((2, 28, 28, 1), dtype=np.uint8)  # black pictures: only the labels have ink on white
    lab = pictures.with_row_labels(imgs, 1, ["c1=8 ~0", "c1=9 ~4"], scale=2)
    margin = lab[: lab.shape[0] // 2, : lab.shape[1] - 2 * 29, 0]  # the first row's label, left of the grid
    rows = np.flatnonzero((margin < 128).any(axis=1))
    assert rows.max() - rows.min() + 1 >= 0.25 * 28 * 2  # ink height against the row's 56 px
    assert margin.min() == 0  # black, not grey


def test_scrub_page_embeds_one_frame_per_value_and_escapes_the_label():
    html = drag_slider.page([b"a", b"b", b"c"], [-1.0, 0.0, 1.0], "c2 <b>")
    assert '"YQ==", "Yg==", "Yw=="' in html and "c2 &lt;b&gt;" in html and 'value="1"' in html
    with pytest.raises(ValueError):
        drag_slider.page([b"a"], [0.0, 1.0], "x")


def test_slant_groups_pick_the_leaning_and_the_upright_and_their_difference_leans_c_right():
    from gancore.data.captions import measures
    from gancore.io import checkpoints

    bars = torch.full((9, 1, 28, 28), -1.0)
    for i, shear in enumerate([-0.4, 0.5, 0.0, 0.3, -0.2, 0.1, 0.45, -0.1, 0.2]):
        for r in range(6, 22):
            bars[i, 0, r, int(14 - shear * (r - 14))] = 1.0  # a stroke leaning right for shear > 0
    ga, gb, gc, slant = sampling.slant_groups(bars)
    assert ga == [1, 3, 6] and gb == [0, 4, 7] and gc == [2, 5, 8]
    assert [s > 0 for s in slant[:2]] == [False, True]
    with pytest.raises(ValueError, match="one-channel"):
        sampling.slant_groups(torch.zeros(4, 3, 8, 8))
    ck = checkpoints.load("checkpoints/dcgan-mnist.safetensors")
    g, cfg = checkpoints.generator(ck).eval(), ck.model_cfg
    for seed in range(5):  # the shipped DCGAN: A - B + C leans further right than C's own digits (20 of 20 seeds measured)
        z = sampling.candidates(cfg, 16, seed)["z"]
        x = sampling.images(g, z)
        ga, gb, gc, _ = sampling.slant_groups(x)
        result = sampling.images(g, sampling.arithmetic_inputs(z, (ga, gb, gc), 1, 0.0, seed)[3:4])
        assert float(measures(result)[0]) > float(measures(x[gc])[0].mean())


def test_class_slant_groups_make_a_slant_direction_that_moves_to_another_class():
    from gancore.data.captions import measures
    from gancore.io import checkpoints

    ck = checkpoints.load("checkpoints/cgan-mnist.safetensors")
    g, cfg = checkpoints.generator(ck).eval(), ck.model_cfg
    for seed in range(5):  # slanted 7s - upright 7s + upright 7s-drawn-as-1s leans right (20 of 20 seeds measured)
        z = sampling.candidates(cfg, 16, seed)["z"]
        ga, gb, gc, slant = sampling.class_slant_groups(g, z, 7)
        assert min(slant[i] for i in ga) >= max(slant[i] for i in gb)  # measured on the 7s
        with torch.inference_mode():
            result = sampling.images(g, sampling.arithmetic_inputs(z, (ga, gb, gc), 1, 0.0, seed)[3:4], torch.tensor([1]))
            ones = sampling.images(g, z[gc], torch.full((3,), 1))
        assert float(measures(result)[0]) > float(measures(ones)[0].mean())


def test_truncated_candidates_pull_only_the_noise_toward_the_mean():
    from gancore.models.infogan import InfoGanConfig

    cfg = InfoGanConfig(latent_dim=62)
    full, half = sampling.candidates(cfg, 16, 3), sampling.candidates(cfg, 16, 3, psi=0.5)
    assert torch.allclose(half["z"][:, :62], 0.5 * full["z"][:, :62])  # the mean of N(0, I) is 0
    assert torch.equal(half["z"][:, 62:], full["z"][:, 62:])  # category and codes as drawn
    assert torch.equal(sampling.candidates(cfg, 16, 3, psi=1.0)["z"], full["z"])
