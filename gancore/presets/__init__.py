"""Presets: each source of the course with its own settings, and a CPU-friendly default per model.

Where a source is silent (the Keras lecture never shows its batch size) the preset says what
we chose. Keras' Adam defaults to beta1 = 0.9, which the lecture and the TensorFlow tutorial
keep; the "Adam beta1 = 0.5" hack is a switch away.
"""

from __future__ import annotations

from dataclasses import fields, replace

from gancore.base.config import HackConfig, ModelConfig, OptimConfig, Preset, TrainConfig
from gancore.base.errors import ConfigError, PresetError
from gancore.base.i18n import N_, _
from gancore.models.acgan import AcganConfig
from gancore.models.cgan import CganConfig
from gancore.models.dcgan import DcganConfig
from gancore.models.dcgan64 import Dcgan64Config
from gancore.models.infogan import InfoGanConfig
from gancore.models.mlp import MlpConfig
from gancore.models.text2digit import Text2DigitConfig
from gancore.presets.build import preset as _p
from gancore.presets.paired import PAIR_PRESETS
from gancore.presets.toy import TOY_PRESETS

MNIST28 = {"channels": 1, "image_size": 28}


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        _p(
            "keras-mlp",
            N_("Keras MLP lecture"),
            N_(
                "The lecture's MLP GAN: Adam 2e-4 (Keras' beta1 0.9), ReLU, separate real/fake batches, "
                "non-saturating G loss. Batch size is not given in the notes; 128 here."
            ),
            MlpConfig(),
            "mnist",
            128,
            30,
            OptimConfig(lr_g=2e-4, lr_d=2e-4, beta1=0.9),
            HackConfig(g_slope=0.0, d_slope=0.0),
        ),
        _p(
            "tf-dcgan",
            N_("TensorFlow DCGAN tutorial"),
            N_(
                "The tutorial's DCGAN: Adam 1e-4 for both nets, batch 256, noise 100, 50 epochs, "
                "LeakyReLU 0.3 (Keras' default), dropout 0.3 in D."
            ),
            DcganConfig(),
            "mnist",
            256,
            50,
            OptimConfig(lr_g=1e-4, lr_d=1e-4, beta1=0.9),
            HackConfig(g_slope=0.3, d_slope=0.3),
        ),
        _p(
            "d2l-dcgan",
            N_("d2l 20.2 DCGAN (64x64)"),
            N_(
                "d2l's 64x64 DCGAN: Adam lr 0.005, beta1 0.5, batch 256, 20 epochs, n_G = n_D = 64. "
                "The book trains on Pokemon sprites, which cannot be downloaded here: this trains on about 1,300 "
                "colour emoji drawn from Debian's emoji font instead (point it at sprites with folder:<path>)."
            ),
            Dcgan64Config(channels=3, image_size=64),
            "emoji",
            256,
            20,
            OptimConfig(lr_g=0.005, lr_d=0.005, beta1=0.5),
            HackConfig(g_slope=0.0, d_slope=0.2),
        ),
        _p(
            "infogan-paper",
            N_("InfoGAN paper (MNIST)"),
            N_("Chen et al. 2016: 62 noise + 10-way category + 2 continuous codes, Adam lr D 2e-4, G 1e-3, lambda 1, batch 128."),
            InfoGanConfig(latent_dim=62),
            "mnist",
            128,
            50,
            OptimConfig(lr_g=1e-3, lr_d=2e-4, beta1=0.5),
            HackConfig(g_slope=0.0, d_slope=0.1),
        ),
        _p(
            "mlp-cpu",
            N_("MLP GAN, CPU-friendly"),
            N_(
                "The lecture's MLP with the hacks on: LeakyReLU 0.2, Adam beta1 0.5, batch 64, and a larger "
                "step (5e-4 instead of 2e-4): recognisable digits within a minute on a 2-core CPU."
            ),
            MlpConfig(),
            "mnist",
            64,
            100,
            OptimConfig(lr_g=5e-4, lr_d=5e-4, beta1=0.5),
            HackConfig(g_slope=0.2, d_slope=0.2),
        ),
        _p(
            "dcgan-cpu",
            N_("DCGAN 28x28, CPU-friendly"),
            N_("The tutorial's DCGAN at half width, Adam 2e-4 / beta1 0.5, batch 64."),
            DcganConfig(width=0.5),
            "mnist",
            64,
            20,
            OptimConfig(lr_g=2e-4, lr_d=2e-4, beta1=0.5),
            HackConfig(g_slope=0.2, d_slope=0.2),
        ),
        _p(
            "cgan-cpu",
            N_("Conditional DCGAN, CPU-friendly"),
            N_("Label-conditioned DCGAN at half width, Adam 2e-4 / beta1 0.5, batch 64."),
            CganConfig(width=0.5),
            "mnist",
            64,
            20,
            OptimConfig(lr_g=2e-4, lr_d=2e-4, beta1=0.5),
            HackConfig(g_slope=0.2, d_slope=0.2),
        ),
        _p(
            "acgan-cpu",
            N_("ACGAN, CPU-friendly"),
            N_(
                "Odena et al. 2017: the conditional DCGAN's G; D sees only the image and also names its class. "
                "Half width, Adam 2e-4 / beta1 0.5, batch 64 (the paper: 2e-4, 0.5, 100)."
            ),
            AcganConfig(width=0.5),
            "mnist",
            64,
            20,
            OptimConfig(lr_g=2e-4, lr_d=2e-4, beta1=0.5),
            HackConfig(g_slope=0.2, d_slope=0.2),
        ),
        _p(
            "acgan-fashion-cpu",
            N_("ACGAN on Fashion-MNIST, CPU-friendly"),
            N_(
                "The ACGAN recipe on clothes, sampling from G's weight average (0.999) as the shipped acgan-fashion "
                "does: compare its variety with the conditional GAN's on the Conditional page."
            ),
            AcganConfig(width=0.5),
            "fashion",
            64,
            20,
            OptimConfig(lr_g=2e-4, lr_d=2e-4, beta1=0.5, ema=0.999),
            HackConfig(g_slope=0.2, d_slope=0.2),
        ),
        _p(
            "text2digit-cpu",
            N_("Text to digit (GAN-CLS), CPU-friendly"),
            N_(
                "Reed et al. 2016 at MNIST scale: captions from each digit's label, slant and stroke weight; a "
                "matching-aware D (a real digit with another's caption is fake too) and GAN-INT (a quarter of G's "
                "captions mixed halfway). Half width, Adam 2e-4 / beta1 0.5 (the paper's), batch 64."
            ),
            Text2DigitConfig(width=0.5),
            "mnist",
            64,
            20,
            OptimConfig(lr_g=2e-4, lr_d=2e-4, beta1=0.5),
            HackConfig(g_slope=0.2, d_slope=0.2),
        ),
        _p(
            "infogan-cpu",
            N_("InfoGAN, CPU-friendly"),
            N_("The paper's networks at half width, its learning rates, batch 64."),
            InfoGanConfig(latent_dim=62, width=0.5),
            "mnist",
            64,
            20,
            OptimConfig(lr_g=1e-3, lr_d=2e-4, beta1=0.5),
            HackConfig(g_slope=0.0, d_slope=0.1),
        ),
        _p(
            "dcgan64-cpu",
            N_("DCGAN 64x64, CPU-friendly"),
            N_("d2l's DCGAN at quarter width on the colour emoji, Adam 2e-4 / beta1 0.5, batch 64."),
            Dcgan64Config(channels=3, image_size=64, width=0.25),
            "emoji",
            64,
            5,
            OptimConfig(lr_g=2e-4, lr_d=2e-4, beta1=0.5),
            HackConfig(g_slope=0.0, d_slope=0.2),
        ),
        *TOY_PRESETS,
        *PAIR_PRESETS,
    )
}

DEFAULT_PRESET = "mlp-cpu"
# The preset each family's network comes from in the course (for summaries); cgan has no source.
FAMILY_SOURCES = {"mlp": "keras-mlp", "dcgan": "tf-dcgan", "dcgan64": "d2l-dcgan", "infogan": "infogan-paper", "toy": "d2l-toy"}
FAMILY_DEFAULTS = {
    "mlp": "mlp-cpu",
    "dcgan": "dcgan-cpu",
    "cgan": "cgan-cpu",
    "acgan": "acgan-cpu",
    "text2digit": "text2digit-cpu",
    "infogan": "infogan-cpu",
    "dcgan64": "dcgan64-cpu",
    "pix2pix": "pix2pix-edges-mnist",
    "srgan": "srgan-mnist",
    "cyclegan": "cyclegan-thick-mnist",
    "toy": "d2l-toy",
}


def get(name: str) -> Preset:
    """A preset by name, or the CPU-friendly preset of a model family ('mlp', 'dcgan', ...)."""
    name = FAMILY_DEFAULTS.get(name, name)
    try:
        return PRESETS[name]
    except KeyError:
        choices = ", ".join([*PRESETS, *FAMILY_DEFAULTS])
        raise PresetError(_("unknown preset or model {name!r}: choose one of {choices}").format(name=name, choices=choices)) from None


def compose(
    preset: str = DEFAULT_PRESET, *, model: str | None = None, width: float | None = None, **train_changes
) -> tuple[ModelConfig, TrainConfig]:
    """A run's configs: a preset, changed — the one rule the CLI and the pages share.

    * ``model`` (a family or preset name) swaps in that family's CPU-friendly network; when
      ``preset`` is the default, its training settings come along too (``--model dcgan`` alone
      trains the DCGAN as its preset does), else the named preset's stay.
    * ``width`` scales the channels of models that have a width (the conv families); the MLP's
      layer sizes are the lecture's and ignore it.
    * ``train_changes`` are TrainConfig fields; ``optim`` and ``hacks`` may be a whole config or
      a dict of the fields to change (``optim={"lr_g": 1e-3}``). Bad values raise ConfigError.
    """
    p = get(preset)
    m, train = p.model, p.train
    if model is not None:
        other = get(model)
        m = other.model
        if preset == DEFAULT_PRESET:
            train = other.train
    if width is not None and hasattr(m, "width"):
        m = replace(m, width=width)
    for key in ("optim", "hacks"):
        if isinstance(train_changes.get(key), dict):
            train_changes[key] = replace(getattr(train, key), **train_changes[key])
    unknown = set(train_changes) - {f.name for f in fields(TrainConfig)}
    if unknown:
        raise ConfigError(_("unknown training settings: {join}").format(join=", ".join(sorted(unknown))))
    return m, replace(train, **train_changes)
