"""Model families, one per module, each registering itself (see :mod:`gancore.models.family`).

Every generator takes ``(z, y=None)`` where ``z`` is the full latent vector (for InfoGAN the
noise and the codes, concatenated) and ``y`` the class labels of a conditional model. Every
discriminator returns one logit per sample, shape (B,); InfoGAN's also has a Q head.
"""

from __future__ import annotations

from torch import nn

from gancore.config import ModelConfig
from gancore.models import acgan, cgan, cyclegan, dcgan, dcgan64, infogan, mlp, pix2pix, srgan, text2digit, toy  # noqa: F401 (each registers its family)
from gancore.models.acgan import AcganConfig
from gancore.models.cgan import CganConfig
from gancore.models.common import Reshape, init_normal, set_hacks
from gancore.models.cyclegan import CycleConfig
from gancore.models.dcgan import DcganConfig
from gancore.models.dcgan64 import Dcgan64Config
from gancore.models.family import Family, FamilyError, get, of, register
from gancore.models.infogan import InfoGanConfig
from gancore.models.mlp import MlpConfig
from gancore.models.pix2pix import Pix2PixConfig
from gancore.models.srgan import SrganConfig
from gancore.models.text2digit import Text2DigitConfig
from gancore.models.toy import ToyConfig

__all__ = [
    "AcganConfig", "CganConfig", "CycleConfig", "Dcgan64Config", "DcganConfig", "Family", "FamilyError", "InfoGanConfig", "MlpConfig", "Pix2PixConfig", "Reshape", "SrganConfig", "Text2DigitConfig", "ToyConfig",
    "build", "get", "init_normal", "latent_size", "of", "register", "set_hacks",
]  # fmt: skip


def build(cfg: ModelConfig) -> tuple[nn.Module, nn.Module]:
    """Build the generator and discriminator of ``cfg``'s family."""
    return of(cfg).build(cfg)


def latent_size(cfg: ModelConfig) -> int:
    """Length of the vector G takes: noise, plus the one-hot category and codes for InfoGAN."""
    return of(cfg).latent_size(cfg)
