"""Model families, one per module. ``build(cfg)`` returns a (generator, discriminator) pair.

Every generator takes ``(z, y=None)`` where ``z`` is the full latent vector (for InfoGAN the
noise and the codes, concatenated) and ``y`` the class labels of a conditional model. Every
discriminator returns one logit per sample, shape (B,); InfoGAN's also has a Q head.
"""

from __future__ import annotations

from torch import nn

from gancore.config import ModelConfig
from gancore.models import cgan, dcgan, dcgan64, infogan, mlp, toy
from gancore.models.common import Reshape, init_normal, set_hacks

__all__ = ["Reshape", "build", "init_normal", "latent_size", "set_hacks"]

_FAMILIES = {"mlp": mlp, "dcgan": dcgan, "dcgan64": dcgan64, "cgan": cgan, "infogan": infogan, "toy": toy}


def build(cfg: ModelConfig) -> tuple[nn.Module, nn.Module]:
    """Build the generator and discriminator of ``cfg.family``."""
    module = _FAMILIES[cfg.family]
    return module.Generator(cfg), module.Discriminator(cfg)


def latent_size(cfg: ModelConfig) -> int:
    """Length of the vector G takes: noise, plus the one-hot category and codes for InfoGAN."""
    return cfg.latent_dim + (cfg.n_cat + cfg.n_cont if cfg.family == "infogan" else 0)
