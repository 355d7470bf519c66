"""What every image-to-image family shares: G takes a picture (no z), each training batch's
pictures are made into sources (:meth:`PairedFamily.source`) with the batch as their targets,
the fixed grid and ``sample`` use test-set pairs, and the live grid shows (input, output,
target) triples. A family subclasses it and says how a source is made, and its losses.

    inputs = {"y": source (n, 1, h, w), "target": (n, 1, 28, 28), "labels": (n,)}
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import ClassVar

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gancore.base.config import ModelConfig
from gancore.base.errors import ConfigError
from gancore.base.i18n import _
from gancore.data import tasks
from gancore.models.family import Family, Inputs


class PairedFamily(Family, metaclass=ABCMeta):  # a family without ``source`` cannot be built
    paired = True
    grid_columns = 6  # two (input | G | real) triples a row
    verb: ClassVar[str] = "translates"  # for the refusal: "this pix2pix model translates ... mnist"

    @abstractmethod
    def source(self, cfg: ModelConfig, real: torch.Tensor) -> torch.Tensor:
        """G's input made from real pictures (B, 1, 28, 28): edges, a smaller copy..."""

    def latent_size(self, cfg) -> int:
        return 0

    def batch_inputs(self, cfg, real: torch.Tensor, labels, gen) -> Inputs:
        """A training batch's pairs (the training step asks when ``paired``): G starts from the
        source of the very pictures it must match."""
        return {"y": self.source(cfg, real), "target": real}

    def sample_inputs(self, cfg, n: int, gen: torch.Generator, dist: str = "normal", balanced: bool = False, device=None) -> Inputs:
        """``n`` test-set pairs (the first ``n`` test images when ``balanced``, so a grid is the
        same every time; else drawn at random), never seen in training."""
        got = tasks.test_pairs(cfg.data, n, gen, balanced, device)
        return {"y": self.source(cfg, got["target"]), "target": got["target"], "labels": got["labels"]}

    def generate(self, g: nn.Module, inputs: Inputs) -> torch.Tensor:
        return g(None, inputs["y"])  # (n, 1, 28, 28)

    def picture(self, g: nn.Module, inputs: Inputs) -> torch.Tensor:
        """The live grid: (the input at full size, G's picture, the real one) per fixed input."""
        out = self.generate(g, inputs)  # (n, 1, 28, 28)
        shown = F.interpolate(inputs["y"].to(out.dtype), size=out.shape[-2:], mode="nearest")  # a small input, blown up
        return torch.stack([shown, out, inputs["target"].to(out.dtype)], 1).flatten(0, 1)  # (3n, 1, 28, 28)

    def check_run(self, cfg, train) -> None:
        if train.dataset != cfg.data:
            raise ConfigError(
                _("this {name} model {verb} {data} images: train it on {data}").format(name=self.name, verb=self.verb, data=cfg.data)
            )

    def grid_count(self, cfg, train) -> int:
        return 6

    def sample_arrays(self, inputs: Inputs) -> dict[str, np.ndarray]:
        return {"inputs": inputs["y"].float().numpy(), "targets": inputs["target"].float().numpy(), "labels": inputs["labels"].numpy()}
