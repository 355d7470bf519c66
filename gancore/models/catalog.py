"""The shipped families, imported here so each registers itself, and the lookups the rest of the
core uses: a family by name or by config, its networks, the inputs G takes, and a model config
rebuilt from a checkpoint's JSON.

Everything outside ``gancore/models/`` asks this module, never a family module by name (minGPT's
rule: the trainer knows no model). A family made elsewhere (a test's) registers itself with
:func:`gancore.models.family.register` and is found here like the shipped ones.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import torch
from torch import nn

from gancore.base.config import SHARED_V1_DEFAULTS, ModelConfig, from_fields
from gancore.base.errors import ConfigError, FamilyError
from gancore.base.i18n import _
from gancore.models import acgan, cgan, cyclegan, dcgan, dcgan64, infogan, mlp, pix2pix, srgan, text2digit, toy  # noqa: F401 (each registers its family)
from gancore.models.family import Family, registered


def get(name: str) -> Family:
    """The family called ``name``, or a FamilyError listing the known ones."""
    families = registered()
    if name not in families:
        raise FamilyError(_("family must be one of {join} (got {name!r})").format(join=", ".join(sorted(families)), name=name))
    return families[name]


def of(cfg: ModelConfig) -> Family:
    """The family a model config belongs to."""
    return get(cfg.family)


def names() -> tuple[str, ...]:
    """Every registered family's name."""
    return tuple(registered())


def build(cfg: ModelConfig) -> tuple[nn.Module, nn.Module]:
    """The generator and discriminator of ``cfg``'s family."""
    return of(cfg).build(cfg)


def latent_size(cfg: ModelConfig) -> int:
    """Length of the vector G takes: noise, plus the one-hot category and codes for InfoGAN."""
    return of(cfg).latent_size(cfg)


def sample_latent(
    cfg: ModelConfig, n: int, gen: torch.Generator, dist: str = "normal", balanced: bool = False, device=None
) -> dict[str, torch.Tensor]:
    """Everything G needs for ``n`` samples: ``z`` (the full input), and what else the model's
    family feeds it (``y`` labels, InfoGAN's ``cat`` / ``cont`` codes): its ``sample_inputs``."""
    return of(cfg).sample_inputs(cfg, n, gen, dist, balanced, device)


def model_from_dict(d: Any) -> ModelConfig:
    """Rebuild a family's model config from JSON, rejecting unknown fields with a clear message."""
    if not isinstance(d, dict) or not isinstance(d.get("family"), str):
        raise ConfigError(_("the model config must be a JSON object with a 'family'"))
    try:
        fam = get(d["family"])
    except FamilyError as exc:
        raise ConfigError(str(exc)) from None
    known = {f.name for f in dataclasses.fields(fam.config)}
    d = {k: v for k, v in d.items() if k != "family" and (k in known or SHARED_V1_DEFAULTS.get(k, ...) != v)}
    d = fam.config.upgrade(d) if hasattr(fam.config, "upgrade") else d
    tuples = {f.name for f in dataclasses.fields(fam.config) if "tuple" in str(f.type)}
    return from_fields(fam.config, {k: tuple(v) if k in tuples and isinstance(v, list) else v for k, v in d.items()})
