"""A label-conditioned DCGAN (Mirza & Osindero's idea on the tutorial's 28x28 DCGAN).

The label enters both networks as a one-hot vector:
G: [z, onehot(y)] (B, 100 + 10) -> the DCGAN generator -> (B, 1, 28, 28)
D: [x, onehot(y) broadcast to 10 planes] (B, 1 + 10, 28, 28) -> the DCGAN trunk -> logit
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from gancore.config import ModelConfig
from gancore.models import dcgan


class Generator(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.num_classes = cfg.num_classes
        self.body = dcgan.Generator(cfg, extra_inputs=cfg.num_classes)

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if y is None:
            raise ValueError("the conditional generator needs labels y")
        onehot = F.one_hot(y, self.num_classes).to(z.dtype)  # (B, 10)
        return self.body(torch.cat([z, onehot], 1))  # (B, 1, 28, 28)


class Discriminator(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.num_classes = cfg.num_classes
        _, c2, _ = dcgan.widths(cfg)
        self.trunk = dcgan.trunk(cfg.channels + cfg.num_classes, cfg)  # (B, 128*7*7)
        self.head = nn.Linear(c2 * 7 * 7, 1)

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if y is None:
            raise ValueError("the conditional discriminator needs labels y")
        b, _, h, w = x.shape
        planes = F.one_hot(y, self.num_classes).to(x.dtype)[:, :, None, None].expand(b, -1, h, w)
        return self.head(self.trunk(torch.cat([x, planes], 1))).squeeze(1)  # (B,)
