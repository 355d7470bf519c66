"""Frozen, validated configuration for models, optimisers, GAN hacks and presets.

Every knob of a run lives in one of three dataclasses:

* :class:`ModelConfig` - the architecture, one subclass per model family, defined in the
  family's module. Changing it needs a new run.
* :class:`OptimConfig` - learning rates and Adam's betas. Editable while training.
* :class:`HackConfig` - the "GAN hacks" of the course. Editable while training.

They are bundled in :class:`TrainConfig` and passed explicitly; no module reads globals.
A bad value raises :class:`ConfigError` naming the field and its allowed range.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

from gancore.base.errors import ConfigError
from gancore.base.i18n import _

LOSSES = ("minimax", "non_saturating", "least_squares", "hinge", "wgan_gp")
Z_DISTS = ("normal", "uniform")
OPTIMIZERS = ("adam", "sgd")
AUGMENTS = ("none", "translate", "translate_cutout")


def _check(ok: bool, name: str, allowed: str, value: Any) -> None:
    if not ok:
        raise ConfigError(_("{name} must be {allowed} (got {value!r})").format(name=name, allowed=allowed, value=value))


def _check_range(name: str, value: float, lo: float, hi: float) -> None:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    _check(is_number and lo <= value <= hi, name, _("a number between {lo} and {hi}").format(lo=lo, hi=hi), value)


def _check_int(name: str, value: int, lo: int, hi: int) -> None:
    """A whole number in [lo, hi]: 64.5, True and "3" are refused here, not deep inside PyTorch."""
    is_int = isinstance(value, int) and not isinstance(value, bool)
    _check(is_int and lo <= value <= hi, name, _("a whole number between {lo} and {hi}").format(lo=lo, hi=hi), value)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    _check(value in choices, name, _("one of {choices}").format(choices=", ".join(choices)), value)


@dataclass(frozen=True)
class ModelConfig:
    """What every model family's architecture has: the noise size. Each family subclasses it
    with its own fields and checks (``gancore/models/<family>.py``); the class names the family.

    ``latent_dim`` is the size of the noise z (for InfoGAN: the incompressible noise only,
    the codes come on top).
    """

    family: ClassVar[str] = ""  # set by each family's config class
    is_image: ClassVar[bool] = False  # G draws images (else points in the plane)
    conditional: ClassVar[bool] = False  # G and D take class labels

    latent_dim: int = 100

    def __post_init__(self) -> None:
        _check(bool(type(self).family), "family", "a registered model family's config class", type(self).__name__)
        _check_int("latent_dim", self.latent_dim, 1, 1024)


@dataclass(frozen=True)
class ImageModelConfig(ModelConfig):
    """An image GAN: ``channels`` x ``image_size``², and ``width`` scaling every channel count of
    the conv families, so a CPU-sized variant of the same network exists."""

    is_image: ClassVar[bool] = True
    image_sizes: ClassVar[tuple[int, ...]] = (28,)  # the sizes the family's networks are built for

    channels: int = 1
    image_size: int = 28
    width: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        _check(type(self.channels) is int and self.channels in (1, 3), "channels", "1 or 3", self.channels)
        sizes = " or ".join(map(str, self.image_sizes))
        _check(
            type(self.image_size) is int and self.image_size in self.image_sizes,
            "image_size",
            f"{sizes} for {self.family}",
            self.image_size,
        )
        _check_range("width", self.width, 0.0625, 4.0)

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return (self.channels, self.image_size, self.image_size)


@dataclass(frozen=True)
class ConvModelConfig(ImageModelConfig):
    """A convolutional image GAN; ``width`` scales every channel count, so a CPU-sized variant
    of the same network exists."""

    width: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_range("width", self.width, 0.0625, 4.0)


@dataclass(frozen=True)
class OptimConfig:
    """Optimiser settings, editable while a run trains.

    ``lr_decay`` scales both learning rates by (total - step) / total: linearly down to 0 at the
    run's last step, so a G that still wobbles around the data settles onto it at the end.

    ``ema`` (0 = off) keeps a second, averaged copy of G's weights, updated after every G step
    as ``avg <- ema * avg + (1 - ema) * G`` (Polyak averaging; 0.999 averages roughly the last
    1,000 steps). G itself trains as before; samples, the live grid and checkpoints' samples come
    from the average, which irons out G's step-to-step wobble.

    ``fast_math`` runs the forward passes in bfloat16 (autocast) where the hardware does it fast:
    CPUs with AVX512-BF16 or AMX, CUDA GPUs (float16 with a gradient scaler on GPUs without
    bfloat16). Weights, optimiser state and losses stay float32; elsewhere it is a no-op.
    """

    optimizer: str = "adam"
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999
    lr_decay: bool = False
    ema: float = 0.0
    fast_math: bool = False

    def __post_init__(self) -> None:
        _check_choice("optimizer", self.optimizer, OPTIMIZERS)
        _check_range("lr_g", self.lr_g, 1e-7, 10.0)
        _check_range("lr_d", self.lr_d, 1e-7, 10.0)
        _check_range("beta1", self.beta1, 0.0, 0.999)
        _check_range("beta2", self.beta2, 0.0, 0.9999)
        _check(isinstance(self.lr_decay, bool), "lr_decay", "true or false", self.lr_decay)
        _check(isinstance(self.fast_math, bool), "fast_math", "true or false", self.fast_math)
        number = isinstance(self.ema, (int, float)) and not isinstance(self.ema, bool)
        _check(number and (self.ema == 0 or 0.5 <= self.ema <= 0.99999), "ema", "0 (off) or between 0.5 and 0.99999", self.ema)


@dataclass(frozen=True)
class HackConfig:
    """The GAN hacks of the course, each a switch a student can flip while training.

    * ``loss`` - ``minimax`` is the paper's saturating log(1 - D(G(z))); ``non_saturating``
      maximises log D(G(z)) instead, which keeps G's gradient alive early on.
    * ``scale_inputs`` - real images in [-1, 1] to match G's tanh. Off reproduces the
      lecture's ``X - 127.5 / 127.5`` precedence slip (pixels end up in [-1, 254]).
    * ``z_dist`` - sample z from a normal (hack) or a uniform on [-1, 1].
    * ``label_smoothing`` - one-sided: real targets become 1 - s (fake stay 0).
    * ``label_flip`` - probability of swapping real/fake targets in D's loss (noisy labels).
    * ``instance_noise`` - std of Gaussian noise added to D's inputs, decaying linearly to 0
      over ``noise_decay_steps``.
    * ``separate_batches`` - real and fake go through D in separate batches (BatchNorm).
    * ``g_slope`` / ``d_slope`` - LeakyReLU slope of the hidden layers (0 = plain ReLU).
    * ``g_dropout`` - dropout after G's hidden layers while training (noise as a regulariser).
    * ``d_steps`` - discriminator updates per generator update.
    * ``augment`` - DiffAugment: every image D sees, real or fake, randomly shifted
      (``translate``) and also with a square cut out (``translate_cutout``), so D cannot
      memorise a small training set (see :mod:`gancore.train.augment`). Images only.
    """

    loss: str = "non_saturating"
    scale_inputs: bool = True
    z_dist: str = "normal"
    label_smoothing: float = 0.0
    label_flip: float = 0.0
    instance_noise: float = 0.0
    noise_decay_steps: int = 2000
    separate_batches: bool = True
    g_slope: float = 0.2
    d_slope: float = 0.2
    g_dropout: float = 0.0
    d_steps: int = 1
    gp_weight: float = 10.0
    info_lambda: float = 1.0
    augment: str = "none"

    def __post_init__(self) -> None:
        _check_choice("loss", self.loss, LOSSES)
        _check_choice("augment", self.augment, AUGMENTS)
        _check_choice("z_dist", self.z_dist, Z_DISTS)
        _check_range("label_smoothing", self.label_smoothing, 0.0, 0.5)
        _check_range("label_flip", self.label_flip, 0.0, 0.5)
        _check_range("instance_noise", self.instance_noise, 0.0, 2.0)
        _check_int("noise_decay_steps", self.noise_decay_steps, 1, 10_000_000)
        _check_range("g_slope", self.g_slope, 0.0, 1.0)
        _check_range("d_slope", self.d_slope, 0.0, 1.0)
        _check_range("g_dropout", self.g_dropout, 0.0, 0.9)
        _check_int("d_steps", self.d_steps, 1, 10)
        for name in ("scale_inputs", "separate_batches"):
            _check(isinstance(getattr(self, name), bool), name, "true or false", getattr(self, name))
        _check_range("gp_weight", self.gp_weight, 0.0, 100.0)
        _check_range("info_lambda", self.info_lambda, 0.0, 10.0)


@dataclass(frozen=True)
class TrainConfig:
    """Everything a run needs besides the architecture."""

    dataset: str = "mnist"
    batch_size: int = 64
    epochs: float = 5.0
    max_steps: int = 0  # if > 0, stop after this many G steps instead of after ``epochs``
    seed: int = 0
    optim: OptimConfig = field(default_factory=OptimConfig)
    hacks: HackConfig = field(default_factory=HackConfig)
    publish_every: int = 10
    grid_size: int = 16

    def __post_init__(self) -> None:
        _check(isinstance(self.dataset, str) and self.dataset != "", "dataset", "a dataset name", self.dataset)
        _check_int("batch_size", self.batch_size, 2, 4096)  # BatchNorm needs two examples to measure a spread
        _check_range("epochs", self.epochs, 0.0, 10_000.0)
        _check_int("max_steps", self.max_steps, 0, 100_000_000)
        _check_int("seed", self.seed, 0, 2**31 - 1)
        _check_int("publish_every", self.publish_every, 1, 10_000)
        _check_int("grid_size", self.grid_size, 1, 100)


@dataclass(frozen=True)
class Preset:
    """A named, sourced starting point: the course's settings for one model."""

    name: str
    title: str
    source: str
    model: ModelConfig
    train: TrainConfig


def to_dict(cfg: Any) -> dict:
    """A JSON-ready dict of a (nested) config dataclass; a model config names its family first."""
    d = dataclasses.asdict(cfg)
    return {"family": cfg.family, **d} if isinstance(cfg, ModelConfig) else d


def field_types(cls: type) -> dict[str, type]:
    """A flat config class's field names and their Python types (``bool``, ``int``, ``float``, ``str``)."""
    kinds = {"bool": bool, "int": int, "float": float, "str": str}
    return {f.name: kinds[str(f.type)] for f in dataclasses.fields(cls) if str(f.type) in kinds}


# Version-1 files wrote every field of the one config all families then shared. A field another
# family owns is dropped on reading when it holds that old default (it meant nothing), refused else.
SHARED_V1_DEFAULTS = {
    "channels": 1, "image_size": 28, "width": 1.0, "num_classes": 10, "n_cat": 10, "n_cont": 2, "data_dim": 2,
    "g_hidden": [], "d_hidden": [5, 3], "activation": "tanh", "pack": 1, "g_batchnorm": False, "d_maxout": 1,
}  # fmt: skip


def train_from_dict(d: dict) -> TrainConfig:
    d = dict(d)
    d["optim"] = from_fields(OptimConfig, d.get("optim", {}))
    d["hacks"] = from_fields(HackConfig, d.get("hacks", {}))
    return from_fields(TrainConfig, d)


def from_fields(cls: type, d: Any) -> Any:
    """``cls(**d)`` for a JSON object ``d``, refusing unknown fields and wrong types with a ConfigError."""
    if not isinstance(d, dict):
        raise ConfigError(_("{name} must be a JSON object").format(name=cls.__name__))
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(d) - known)
    if unknown:
        raise ConfigError(_("unknown {name} fields: {join}").format(name=cls.__name__, join=", ".join(unknown)))
    try:
        return cls(**d)
    except TypeError as exc:  # e.g. a string where a number belongs
        raise ConfigError(f"{cls.__name__}: {exc}") from exc
