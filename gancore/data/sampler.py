"""Where a run's minibatches come from: cached in-memory datasets and a shuffled index sampler."""

from __future__ import annotations

from functools import lru_cache

import torch

from gancore.base.errors import SamplerError
from gancore.base.i18n import _
from gancore.data import images as gdata
from gancore.data.points2d import load_points


@lru_cache(maxsize=6)
def load_dataset(name: str, shape: tuple[int, ...] | None, seed: int = 0):
    """Image sets fitted to a model's shape, or 2D point sets; cached process-wide (read-only)."""
    if shape is None:
        return load_points(name, seed=seed)
    return gdata.fit_images(gdata.load_images(name), shape)  # type: ignore[arg-type]


class IndexSampler:
    """Shuffled minibatch indices, a fresh permutation per epoch, from its own CPU generator."""

    def __init__(self, n: int, batch_size: int, seed: int) -> None:
        if batch_size > n:
            raise SamplerError(_("batch size {batch_size} is larger than the dataset ({n} examples)").format(batch_size=batch_size, n=n))
        self.n, self.batch_size = n, batch_size
        self.gen = torch.Generator().manual_seed(seed + 1)
        self.perm = torch.randperm(n, generator=self.gen)
        self.pos = 0
        self.batches = 0

    @property
    def steps_per_epoch(self) -> int:
        return self.n // self.batch_size

    def next(self) -> torch.Tensor:
        if self.pos + self.batch_size > self.n:
            self.perm, self.pos = torch.randperm(self.n, generator=self.gen), 0
        idx = self.perm[self.pos : self.pos + self.batch_size]
        self.pos += self.batch_size
        self.batches += 1
        return idx

    def state_dict(self) -> dict:
        return {"perm": self.perm.clone(), "pos": self.pos, "batches": self.batches, "gen": self.gen.get_state()}

    def load_state_dict(self, sd: dict) -> None:
        perm = sd["perm"]
        if perm.numel() != self.n or not 0 <= int(sd["pos"]) <= self.n:
            raise SamplerError(
                _("the saved run drew batches from {numel:,} examples; this dataset has {n:,}").format(numel=perm.numel(), n=self.n)
            )
        self.perm, self.pos, self.batches = perm.clone(), int(sd["pos"]), int(sd["batches"])
        self.gen.set_state(sd["gen"])
