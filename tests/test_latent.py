import pytest
import torch

from gancore.base import latent
from gancore.models import catalog
from gancore.models.cgan import CganConfig
from gancore.models.infogan import InfoGanConfig


def test_sample_z_distributions_and_determinism():
    z = latent.sample_z(10000, 3, torch.Generator().manual_seed(0), "uniform")
    assert z.min() >= -1 and z.max() <= 1
    a = latent.sample_z(4, 3, torch.Generator().manual_seed(5))
    b = latent.sample_z(4, 3, torch.Generator().manual_seed(5))
    assert torch.equal(a, b)
    with pytest.raises(ValueError):
        latent.sample_z(1, 1, torch.Generator(), "cauchy")


def test_slerp_endpoints_and_norm():
    gen = torch.Generator().manual_seed(0)
    a, b = torch.randn(100, generator=gen), torch.randn(100, generator=gen)
    b = b / b.norm() * a.norm()  # equal norms
    assert torch.allclose(latent.slerp(a, b, 0.0), a, atol=1e-5)
    assert torch.allclose(latent.slerp(a, b, 1.0), b, atol=1e-5)
    mid = latent.slerp(a, b, 0.5)
    assert abs(mid.norm() - a.norm()) < 1e-3  # stays on the sphere
    assert latent.lerp(a, b, 0.5).norm() < 0.8 * a.norm()  # lerp cuts through the middle
    same = latent.slerp(a, a, 0.3)
    assert torch.allclose(same, a, atol=1e-4)  # parallel vectors fall back to lerp


def test_interpolate_shapes():
    a, b = torch.zeros(5), torch.ones(5)
    path = latent.interpolate(a, b, 7, "lerp")
    assert path.shape == (7, 5) and torch.equal(path[0], a) and torch.equal(path[-1], b)
    assert latent.interpolate(torch.randn(5), torch.randn(5), 4, "slerp").shape == (4, 5)
    with pytest.raises(ValueError):
        latent.interpolate(a, b, 1)


def test_group_means_and_arithmetic():
    z = torch.arange(12.0).reshape(4, 3)
    assert torch.equal(latent.group_mean(z, [0, 2]), torch.tensor([3.0, 4.0, 5.0]))
    assert torch.equal(latent.arithmetic(z[0], z[1], z[2]), z[0] - z[1] + z[2])
    with pytest.raises(ValueError):
        latent.group_mean(z, [])
    n = latent.neighbours(z[0], 5, 0.1, torch.Generator().manual_seed(0))
    assert n.shape == (5, 3) and torch.equal(n[0], z[0]) and (n[1:] - z[0]).abs().max() < 1


def test_traversal_grid_layout():
    grid = latent.traversal(torch.zeros(62), 10, 2, 1, torch.linspace(-2, 2, 5))
    assert grid["z"].shape == (50, 74)
    assert grid["cat"][:5].tolist() == [0] * 5 and grid["cat"][5:10].tolist() == [1] * 5
    assert grid["cont"][:5, 1].tolist() == [-2.0, -1.0, 0.0, 1.0, 2.0] and grid["cont"][:, 0].abs().sum() == 0
    assert torch.equal(grid["z"][7, 62:72], torch.nn.functional.one_hot(torch.tensor(1), 10).float())
    with pytest.raises(ValueError):
        latent.traversal(torch.zeros(62), 10, 2, 2, torch.zeros(3))


def test_sample_latent_per_family():
    gen = torch.Generator().manual_seed(0)
    info = catalog.sample_latent(InfoGanConfig(latent_dim=62), 20, gen, balanced=True)
    assert info["z"].shape == (20, 74) and info["cat"].tolist()[:10] == list(range(10))
    assert info["cont"].abs().max() <= 1
    c = catalog.sample_latent(CganConfig(), 6, gen)
    assert c["y"].shape == (6,) and c["z"].shape == (6, 100)
