"""argparse types that refuse a bad value with the reason, instead of replacing it."""

from __future__ import annotations

import argparse
import math
import os
import tempfile
from pathlib import Path

from gancore import presets
from gancore.base.config import AUGMENTS, HackConfig, field_types
from gancore.base.errors import CLIError
from gancore.base.i18n import _
from gancore.models import catalog


class Parser(argparse.ArgumentParser):
    """Mistakes in the options print one line, ``error: …``, like every other refusal (exit 2)."""

    def error(self, message: str):
        self.exit(2, _("error: {message} (see {prog} --help)\n").format(message=message, prog=self.prog))


def positive(kind: type):
    """A finite number above 0: 0, NaN and infinity are refused, never replaced by a default."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                (_("{text!r} is not a whole number") if kind is int else _("{text!r} is not a number")).format(text=text)
            ) from None
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(_("must be a finite number above 0, not {text}").format(text=text))
        return value

    return parse


def floats(text: str) -> tuple[float, ...]:
    """Comma-separated finite numbers, e.g. ``-2,2``."""
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(_("expected comma-separated numbers, got {text!r}").format(text=text)) from None
    if not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(_("numbers must be finite, got {text!r}").format(text=text))
    return values


def setting(fields_of: dict[str, type]):
    """``NAME=VALUE`` for a config whose fields (and their types) are ``fields_of``: the value is
    read as that field's type (``true``/``false`` for switches); the config checks its range."""

    def parse(text: str) -> tuple[str, object]:
        name, sep, raw = text.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in fields_of:
            raise argparse.ArgumentTypeError(
                _("expected NAME=VALUE with NAME one of {join}, got {text!r}").format(join=", ".join(fields_of), text=text)
            )
        kind = fields_of[name]
        if kind is bool:
            if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise argparse.ArgumentTypeError(_("{name} is a switch: true or false, not {raw!r}").format(name=name, raw=raw))
            return name, raw.lower() in ("true", "1", "yes")
        try:
            return name, kind(raw)
        except ValueError:
            word = {int: _("a whole number"), float: _("a number")}.get(kind, kind.__name__)
            raise argparse.ArgumentTypeError(_("{name} must be {word}, not {raw!r}").format(name=name, word=word, raw=raw)) from None

    return parse


def seed(text: str) -> int:
    """A random seed: a whole number from 0 to 2**63 - 1 (what torch's generators take)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text!r} is not a whole number").format(text=text)) from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(_("a seed is from 0 to 2**63 - 1, not {text}").format(text=text))
    return value


def count(most: int):
    """A whole number from 1 to ``most``."""

    def parse(text: str) -> int:
        value = positive(int)(text)
        if value > most:
            raise argparse.ArgumentTypeError(_("at most {most:,}, not {text}").format(most=most, text=text))
        return value

    return parse


def output_file(text: str, suffix: str) -> Path:
    """Where a command will write, checked before any work: ``suffix`` added when missing, never
    a folder, and a file can really be created there (its folders are made now). Raises
    CLIError with the reason, so a 2,000-step run never ends in a failed save."""
    if not text or text.endswith(("/", os.sep)) or Path(text).is_dir():
        raise CLIError(
            _("--out {text!r} is a folder; give a file name (e.g. {value})").format(text=text, value=Path(text) / ("my-model" + suffix))
        )
    path = Path(text).expanduser()
    path = path if path.suffix == suffix else path.with_name(path.name + suffix)
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise CLIError(_("cannot write {path}: {blocking} is a file, not a folder").format(path=path, blocking=blocking))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise CLIError(_("cannot write {path}: {value}").format(path=path, value=exc.strerror or exc)) from None
    return path


def add_train_arguments(p: argparse.ArgumentParser) -> None:
    """The ``train`` command's options: what to train, for how long, the Training Lab's switches,
    where to save, and where to train."""
    p.add_argument("--preset", default=presets.DEFAULT_PRESET, help=_("one of {join}").format(join=", ".join(presets.PRESETS)))
    p.add_argument(
        "--model",
        help=_("a model family ({join}); its CPU-friendly preset unless --preset is given").format(join=", ".join(catalog.names())),
    )
    p.add_argument("--dataset", help=_("mnist, fashion, folder:<path>, or a 2D set for toy models"))
    g = p.add_mutually_exclusive_group()
    g.add_argument("--epochs", type=positive(float), help=_("passes over the data"))
    g.add_argument("--steps", type=positive(int), help=_("generator steps (with --resume: steps to add)"))
    g.add_argument("--seconds", type=positive(float), help=_("stop after this many seconds"))
    p.add_argument("--batch-size", type=int)
    p.add_argument("--lr-g", type=float)
    p.add_argument("--lr-d", type=float)
    p.add_argument("--lr-decay", action="store_true", help=_("decay both learning rates linearly to 0 by the last step"))
    p.add_argument("--ema", type=float, help=_("keep an average of G's weights with this rate (e.g. 0.999) and sample from it"))
    p.add_argument(
        "--fast-math", action="store_true", help=_("forward passes in bfloat16 where the CPU (AVX512-BF16, AMX) or GPU is fast at it")
    )
    p.add_argument("--augment", choices=AUGMENTS, help=_("DiffAugment on everything D sees: random shifts (and cut-outs)"))
    p.add_argument(
        "--hack",
        type=setting(field_types(HackConfig)),
        action="append",
        metavar="NAME=VALUE",
        help=_("a GAN hack of the Training Lab, e.g. loss=hinge or label_smoothing=0.1 (repeatable)"),
    )
    p.add_argument("--width", type=float, help=_("channel width multiplier of the conv models"))
    p.add_argument("--seed", type=seed)
    p.add_argument("--resume", help=_("continue a checkpoint exactly where it stopped (a folder: or csv: one needs --dataset)"))
    p.add_argument("--out", required=True, help=_("checkpoint path (NAME or NAME.safetensors)"))
    p.add_argument("--half", action="store_true", help=_("save fp16 weights without optimiser state (small, exploration only)"))
    p.add_argument("--quiet", action="store_true", help=_("no progress bar"))
    p.add_argument("--backend", choices=("local", "ray"), default="local", help=_("train here, or as an actor on a Ray cluster"))
    p.add_argument("--ray-address", help=_("the Ray cluster to join (e.g. auto, ray://host:10001); none: start a local one"))
