"""What the 2D toy lab shows: D's belief on a grid, G's pushes, G's warped noise, the optimal
discriminator, divergences on a grid, Gaussian recovery and mode coverage.

Everything is a pure function of a generator / discriminator and point tensors (N, 2), on
the CPU, cheap enough to recompute several times a second.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import torch
from torch import nn

from gancore.base import losses
from gancore.base.latent import sample_z
from gancore.data import points2d
from gancore.explore.sampling import generator_from_state
from gancore.models.catalog import build
from gancore.models.common import set_hacks
from gancore.runs.engine import TrainingRun
from gancore.toy.stats import (
    d_star_where_defined,
    gaussian_pdf,
    kde,
    kl_js,
    linear_g_moments,
    mode_coverage,
    moments,
    recovery,
)


@dataclass(frozen=True)
class Grid:
    """A regular lattice over a box: ``points`` (n*n, 2), row-major with y as the row."""

    xs: torch.Tensor  # (n,)
    ys: torch.Tensor  # (n,)

    @property
    def points(self) -> torch.Tensor:
        yy, xx = torch.meshgrid(self.ys, self.xs, indexing="ij")
        return torch.stack([xx.reshape(-1), yy.reshape(-1)], 1)

    @property
    def cell_area(self) -> float:
        return float((self.xs[1] - self.xs[0]) * (self.ys[1] - self.ys[0]))

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.ys), len(self.xs)


def bounds(*clouds: torch.Tensor, margin: float = 0.25) -> tuple[float, float, float, float]:
    """A square box around the point clouds, ``margin`` of their larger extent on each side: the
    plane is drawn square, so a tall cloud (d2l's Gaussian) no longer makes a narrow picture."""
    pts = torch.cat([c for c in clouds if c is not None and len(c)])
    lo, hi = pts.min(0).values, pts.max(0).values
    half = float((hi - lo).max().clamp(min=1e-3)) * (0.5 + margin)
    mid = (lo + hi) / 2
    lo, hi = mid - half, mid + half
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def grid(box: tuple[float, float, float, float], n: int = 60) -> Grid:
    x0, x1, y0, y1 = box
    return Grid(torch.linspace(x0, x1, n), torch.linspace(y0, y1, n))


# ----------------------------------------------------------------------------- what D and G do


@torch.no_grad()
def d_on_grid(d: nn.Module, g: Grid) -> torch.Tensor:
    """D(x) = sigmoid(logit) at every grid point, as an (n, n) map (rows = y)."""
    return torch.sigmoid(d.score_points(g.points)).reshape(g.shape)


def g_push(g: nn.Module, d: nn.Module, z: torch.Tensor, loss: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Generated points x = G(z) and the direction G's update moves each one: -dL_G/dx.

    This is the force the discriminator exerts on each fake point through G's loss; G's
    weights then move so that, together, the points follow it as well as they can.
    """
    with torch.no_grad():
        x = g(z)
    x = x.clone().requires_grad_(True)
    logit = d.score_points(x)
    (grad,) = torch.autograd.grad(losses.G_LOSSES[loss](logit) * len(x), x)
    return x.detach(), -grad


@torch.no_grad()
def manifold(g: nn.Module, latent_dim: int, lines: int = 9, points: int = 40, span: float = 2.0) -> list[torch.Tensor]:
    """G applied to a lattice of lines in noise space (first two z dims, others 0): how G
    bends and stretches its noise. Returns polylines, each (points, 2)."""
    t = torch.linspace(-span, span, points)
    out = []
    for v in torch.linspace(-span, span, lines):
        for axis in range(min(2, latent_dim)):
            z = torch.zeros(points, latent_dim)
            z[:, axis] = t
            if latent_dim > 1:
                z[:, 1 - axis] = v
            out.append(g(z))
            if latent_dim == 1:
                return out
    return out


# ----------------------------------------------------------------------------- a run without a thread


def fit(model_cfg, train_cfg, steps: int | None = None):
    """Train a toy GAN to its last step through the engine (a run, waited for), for benchmarks
    and tests: the lab's own training, not a copy of it. Returns (state, data, seconds)."""
    import time
    from dataclasses import replace

    data = points2d.load_points(train_cfg.dataset, seed=train_cfg.seed)
    run = TrainingRun(
        "fit", model_cfg, replace(train_cfg, max_steps=steps or train_cfg.max_steps), device=torch.device("cpu"), dataset=data
    )
    start = time.perf_counter()
    run.start()
    run.join()
    if run.status != "finished":
        raise RuntimeError(run.snapshot.message)
    return run.state, data, time.perf_counter() - start


# ----------------------------------------------------------------------------- one picture of a run


@dataclass(frozen=True)
class Frame:
    """Everything the toy lab draws and prints for one snapshot of a run."""

    grid: Grid
    d_map: torch.Tensor  # (n, n) learned D(x)
    d_star_map: torch.Tensor  # (n, n) optimal D for the current G; NaN where p_data + p_g is negligible
    fake: torch.Tensor  # (N, 2) generated points
    push: torch.Tensor  # (N, 2) -dL_G/dx at each generated point
    lines: list[torch.Tensor]  # G's image of a lattice in noise space
    kl: float  # KL(p_data ‖ p_g) on the grid
    js: float
    stats: dict  # Gaussian: means and covariances; mixtures: mode coverage


def data_density(data, box, n: int = 50) -> torch.Tensor:
    """p_data on the grid: closed form for d2l's Gaussian, a kernel estimate otherwise (static per run: cache it)."""
    pts = grid(box, n).points
    if data.name == "gaussian":
        a = torch.tensor([[1.0, 2.0], [-0.1, 0.5]])
        return gaussian_pdf(pts, torch.tensor([1.0, 2.0]), a.T @ a)
    return kde(data.points[:2000], pts)


def frame(model_cfg, hacks, g: nn.Module, d: nn.Module, data, box, n: int = 50, n_fake: int = 500, seed: int = 0, p_data=None) -> Frame:
    """Compute a Frame. Densities are closed-form where the lecture derives them (d2l's Gaussian
    data, a linear G), kernel estimates otherwise."""
    gr = grid(box, n)
    pts = gr.points
    z = sample_z(n_fake, model_cfg.latent_dim, torch.Generator().manual_seed(seed), hacks.z_dist)  # (n_fake, latent)
    fake, push = g_push(g, d, z, hacks.loss)
    exact_g = linear_g_moments(g) if hacks.z_dist == "normal" else None
    p_g = gaussian_pdf(pts, *exact_g) if exact_g is not None else kde(fake, pts)
    p_data = data_density(data, box, n) if p_data is None else p_data
    kl, js = kl_js(p_data, p_g)
    if data.modes is not None and data.mode_std is not None and data.name != "gaussian":
        more = g_points(g, model_cfg.latent_dim, 2500, hacks.z_dist, seed + 1)
        m = mode_coverage(more, data.modes, data.mode_std)
        stats = {"modes": m}
    else:
        mean_d, cov_d = moments(data.points)
        mean_g, cov_g = exact_g if exact_g is not None else moments(fake)
        err_mean, err_cov = recovery(mean_g, cov_g, mean_d, cov_d)
        stats = {"mean_g": mean_g, "cov_g": cov_g, "mean_data": mean_d, "cov_data": cov_d, "exact": exact_g is not None}
        stats.update(err_mean=err_mean, err_cov=err_cov)
    return Frame(
        gr,
        d_on_grid(d, gr),
        d_star_where_defined(p_data, p_g).reshape(gr.shape),
        fake,
        push,
        manifold(g, model_cfg.latent_dim, lines=7, points=24),
        kl,
        js,
        stats,
    )


@torch.no_grad()
def g_points(g: nn.Module, latent_dim: int, n: int, dist: str = "normal", seed: int = 0) -> torch.Tensor:
    """G's answers (n, 2) for ``n`` seeded noise vectors."""
    return g(sample_z(n, latent_dim, torch.Generator().manual_seed(seed), dist))


def networks(model_cfg, hacks, g_state: dict, d_state: dict) -> tuple[nn.Module, nn.Module]:
    """G and D rebuilt from a snapshot's copies, in eval mode on the CPU."""

    _, d = build(model_cfg)
    d.load_state_dict(d_state)
    return generator_from_state(model_cfg, g_state, hacks), d.eval()


class Networks:
    """One run's G and D, built once and loaded with each snapshot's weights.

    A live picture needs the networks of every new snapshot; building them (their modules and
    initial weights) cost more than the rest of the frame, and thirty students' pictures a few
    times a second are the server's main work. Loading copies the weights in place. Hold
    :attr:`lock` while the loaded networks are in use: two readers of one run share them.
    """

    def __init__(self, model_cfg) -> None:
        self.g, self.d = build(model_cfg)
        self.lock = threading.Lock()

    def load(self, hacks, g_state: dict, d_state: dict) -> tuple[nn.Module, nn.Module]:
        """The networks with these weights and the run's live hacks, in eval mode."""
        self.g.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in g_state.items()})
        self.d.load_state_dict(d_state)
        set_hacks(self.g, self.d, g_slope=hacks.g_slope, d_slope=hacks.d_slope, g_dropout=hacks.g_dropout)
        return self.g.eval(), self.d.eval()
