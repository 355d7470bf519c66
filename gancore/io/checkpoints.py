"""Self-describing, safely loadable checkpoints: ``NAME.safetensors`` + ``NAME.json``.

* Weights (G, D, and G's running average when the run kept one), optimiser moments, the run's RNG and sampler state are tensors in a
  safetensors file - a format with no code in it, so loading never unpickles anything.
* The JSON (format version, configs, dataset, step, history, metrics, created) is embedded in
  the safetensors header, so the ``.safetensors`` file alone is the whole checkpoint: one file,
  renamed into place in one step, so a crash mid-save leaves the previous checkpoint intact and
  there is no moment when metadata and weights disagree. A ``.json`` copy is written beside it
  for people to read; it is never read back. A SHA-256 of the tensor bytes catches corruption.
* Every load is validated in the order of :mod:`gancore.io.schema`: the header's size, depth and
  schema; the model's size before anything is built; every tensor — weights, averages,
  optimiser moments, RNG and sampler — against what the config implies. Anything else is
  rejected with a :class:`CheckpointError`.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save
from torch import nn

from gancore.base.atomic import atomic_write
from gancore.base.config import ModelConfig, TrainConfig, to_dict, train_from_dict
from gancore.base.errors import CheckpointError, ConfigError
from gancore.base.i18n import _
from gancore.io import schema
from gancore.io.runstate import RunState
from gancore.models.catalog import build, model_from_dict
from gancore.models.common import set_hacks

FORMAT = "gan-explorer-checkpoint"
VERSION = 1
MAX_BYTES = schema.MAX_FILE_BYTES  # every file a run the app can build writes is read back
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class Checkpoint:
    """A validated checkpoint: configs, metadata and tensors (on the CPU)."""

    path: Path
    model_cfg: ModelConfig
    train_cfg: TrainConfig
    meta: dict
    g: dict[str, torch.Tensor]
    d: dict[str, torch.Tensor]
    resume: RunState | None  # what TrainingRun needs to continue exactly, if the file has it
    g_avg: dict[str, torch.Tensor] | None = None  # G's weight average (OptimConfig.ema): what samples use

    def start_state(self) -> RunState:
        """What a run continues from: the exact state when the file has it, else its weights,
        step and history (a half-size file: the optimisers start afresh). Paused until Resume."""
        if self.resume is not None:
            return self.resume.paused_copy()
        return RunState(self.g, self.d, self.step, g_avg=self.g_avg, history=self.meta.get("history", {}), paused=True)

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def sampling_g(self) -> dict[str, torch.Tensor]:
        """The generator weights samples come from: the average when the run kept one."""
        return self.g_avg if self.g_avg is not None else self.g

    @property
    def step(self) -> int:
        return int(self.meta.get("step", 0))


def check_name(name: str) -> str:
    if not (isinstance(name, str) and NAME_RE.fullmatch(name)):  # fullmatch: '$' lets a trailing newline in
        raise CheckpointError(
            _(
                "a checkpoint name uses letters, digits, '-', '_' or '.', starts with a letter or digit, and has at most 64 characters (got {name!r})"
            ).format(name=name)
        )
    return name


def _flatten_opt(prefix: str, sd: dict, out: dict[str, torch.Tensor]) -> None:
    """Per-parameter moments only: the optimiser's options come from the config at load time."""
    for pid, s in sd["state"].items():
        for name, v in s.items():
            out[f"{prefix}.{pid}.{name}"] = torch.as_tensor(v).detach().cpu().contiguous()


def save(
    path: str | Path,
    export: RunState,
    model_cfg: ModelConfig,
    train_cfg: TrainConfig,
    *,
    dataset: str = "",
    metrics: dict | None = None,
    extra: dict | None = None,
    half: bool = False,
) -> Path:
    """Write ``path`` (.safetensors, suffix added if missing) and its .json sidecar atomically.

    ``export`` is ``TrainingRun.export_state()``. ``half=True`` stores fp16 weights without the
    optimiser state: a smaller file for exploration that cannot resume training exactly.
    """
    path = Path(path)
    if path.suffix != ".safetensors":
        path = path.with_name(path.name + ".safetensors")
    check_name(path.stem)
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors: dict[str, torch.Tensor] = {}
    for net in ("g", "d", "g_avg"):
        for k, v in (getattr(export, net) or {}).items():
            v = v.detach().cpu()
            tensors[f"{net}.{k}"] = (v.half() if half and v.is_floating_point() else v).contiguous()
    resumable = not half and export.exact
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "model": to_dict(model_cfg),
        "train": to_dict(train_cfg),
        "dataset": dataset,
        "step": int(export.step),
        "history": export.history,
        "events": [list(e) for e in export.events],
        "metrics": metrics or {},
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "resumable": resumable,
        "torch": torch.__version__,
        **(extra or {}),
    }
    if resumable:
        _flatten_opt("opt_g", export.opt_g, tensors)
        _flatten_opt("opt_d", export.opt_d, tensors)
        tensors["rng.gen"] = export.gen.cpu()
        sampler = export.sampler
        tensors["sampler.perm"], tensors["sampler.gen"] = sampler["perm"], sampler["gen"]
        meta["sampler"] = {"pos": sampler["pos"], "batches": sampler["batches"]}
    size = sum(t.numel() * t.element_size() for t in tensors.values())
    if size > MAX_BYTES:  # what it writes, it can read back
        raise CheckpointError(
            _("this run's state is {value:,.0f} MiB; a checkpoint holds at most {value2:,} MiB").format(
                value=size / 2**20, value2=MAX_BYTES // 2**20
            )
        )
    meta["sha256"] = schema.digest(tensors)
    text = json.dumps(meta, indent=1, allow_nan=True)  # history holds NaN where a family lacks a metric
    atomic_write(path, st_save(tensors, metadata={"gan_explorer": text}))  # the checkpoint, in one rename
    atomic_write(path.with_suffix(".json"), text.encode())  # a copy for people; never read back
    return path


def read_meta(path: str | Path) -> dict:
    """The metadata embedded in a checkpoint, schema-checked; only the header is read."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(8)
            n = int.from_bytes(head, "little") if len(head) == 8 else 0
            raw = head + f.read(min(n, schema.MAX_HEADER_BYTES + 1))
    except OSError as exc:
        raise CheckpointError(_("{name}: unreadable ({strerror})").format(name=path.name, strerror=exc.strerror)) from None
    meta = schema.embedded_meta(raw, name=path.name)
    if meta.get("format") != FORMAT:
        raise CheckpointError(_("{name} is not a GAN Explorer checkpoint").format(name=path.name))
    return schema.check_meta(meta, path.name)


def load_bytes(raw: bytes, name: str = "upload.safetensors") -> Checkpoint:
    """Validate and load a checkpoint from bytes (an upload): metadata must be embedded."""
    if len(raw) > MAX_BYTES:
        raise CheckpointError(_("the file is larger than {value} MB").format(value=MAX_BYTES // 2**20))
    meta = schema.embedded_meta(raw, name=name)
    if meta.get("format") != FORMAT:
        raise CheckpointError(_("{name} was not written by GAN Explorer (no metadata)").format(name=name))
    return _validate(Path(name), raw, meta)


def load(path: str | Path) -> Checkpoint:
    """Validate and load ``path`` (``NAME``, ``NAME.safetensors`` or ``NAME.json``)."""
    path = Path(path)
    if path.suffix != ".safetensors":
        path = path.with_name(path.stem + ".safetensors") if path.suffix == ".json" else path.with_name(path.name + ".safetensors")
    if not path.is_file():
        raise CheckpointError(_("no checkpoint at {path}").format(path=path))
    if path.stat().st_size > MAX_BYTES:
        raise CheckpointError(_("{name} is larger than {value} MB").format(name=path.name, value=MAX_BYTES // 2**20))
    raw = path.read_bytes()
    meta = schema.embedded_meta(raw, name=path.name)
    if meta.get("format") != FORMAT:
        raise CheckpointError(_("{name} is not a GAN Explorer checkpoint").format(name=path.name))
    return _validate(path, raw, meta)


def _validate(path: Path, raw: bytes, meta: dict) -> Checkpoint:
    if meta.get("version") != VERSION:
        raise CheckpointError(
            _("{name}: format version {value} is not supported (expected {VERSION})").format(
                name=path.name, value=str(meta.get("version"))[:20], VERSION=VERSION
            )
        )
    schema.check_meta(meta, path.name)
    try:
        model_cfg = model_from_dict(meta["model"])
        train_cfg = train_from_dict(meta["train"])
    except (ConfigError, TypeError, ValueError) as exc:
        raise CheckpointError(_("{name}: invalid configuration ({value})").format(name=path.name, value=str(exc)[:300])) from None
    schema.check_size(model_cfg, len(raw), path.name)  # before anything is allocated
    try:
        tensors = st_load(raw)
    except (SafetensorError, ValueError, RuntimeError, OverflowError) as exc:
        raise CheckpointError(_("{name} is truncated or corrupted: {value}").format(name=path.name, value=str(exc)[:200])) from None
    if schema.digest(tensors) != meta.get("sha256"):
        raise CheckpointError(_("{name} is corrupted: its tensors do not match their checksum").format(name=path.name))
    g_net, d_net = build(model_cfg)
    parts = {}
    for key, net in (("g", g_net), ("d", d_net), ("g_avg", g_net)):
        want = net.state_dict()
        got = {k[len(key) + 1 :]: v for k, v in tensors.items() if k.startswith(key + ".")}
        if key == "g_avg" and not got:
            parts[key] = None  # a run without weight averaging
            continue
        label = {"g": "G", "d": "D", "g_avg": "G's average"}[key]
        if set(got) != set(want):
            missing, extra = sorted(set(want) - set(got))[:3], sorted(set(got) - set(want))[:3]
            raise CheckpointError(
                _("{name}: {label} weights do not fit the model (missing {missing}, unexpected {extra})").format(
                    name=path.name, label=label, missing=missing, extra=extra
                )
            )
        for k, v in got.items():
            if tuple(v.shape) != tuple(want[k].shape):
                raise CheckpointError(
                    _("{name}: {label} tensor {k} has shape {tuple}, expected {tuple2}").format(
                        name=path.name, label=label, k=k, tuple=tuple(v.shape), tuple2=tuple(want[k].shape)
                    )
                )
            if v.is_floating_point() != want[k].is_floating_point() or v.dtype == torch.bool:
                raise CheckpointError(
                    _("{name}: {label} tensor {k} is {dtype}, expected {dtype2}").format(
                        name=path.name, label=label, k=k, dtype=v.dtype, dtype2=want[k].dtype
                    )
                )
            if not torch.isfinite(v.float()).all():
                raise CheckpointError(_("{name}: {label} tensor {k} contains NaN or infinity").format(name=path.name, label=label, k=k))
        parts[key] = {k: v.to(want[k].dtype) for k, v in got.items()}
    known = ("g.", "d.", "g_avg.") + (("opt_g.", "opt_d.", "rng.gen", "sampler.perm", "sampler.gen") if meta.get("resumable") else ())
    unknown = sorted(k for k in tensors if not k.startswith(known))
    if unknown:
        raise CheckpointError(
            _("{name}: holds tensors this format does not have ({value})").format(name=path.name, value=", ".join(unknown[:3])[:200])
        )
    resume = None
    if meta.get("resumable"):
        state = schema.run_state(tensors, meta, model_cfg, train_cfg.optim, g_net, d_net, path.name)
        events = tuple((int(s), str(t)) for s, t in meta.get("events", []))
        resume = RunState(
            parts["g"], parts["d"], meta.get("step", 0), g_avg=parts["g_avg"], history=meta.get("history", {}), events=events, **state
        )
    return Checkpoint(path, model_cfg, train_cfg, meta, parts["g"], parts["d"], resume, parts["g_avg"])


def _rebuilt(ck: Checkpoint) -> tuple[nn.Module, nn.Module]:
    """G (its weight average, if the run kept one) and D with the checkpoint's weights and its live
    hacks (LeakyReLU slopes are not weights)."""
    g, d = build(ck.model_cfg)
    g.load_state_dict(ck.sampling_g)
    d.load_state_dict(ck.d)
    h = ck.train_cfg.hacks
    set_hacks(g, d, g_slope=h.g_slope, d_slope=h.d_slope, g_dropout=h.g_dropout)
    return g, d


def generator(ck: Checkpoint, device: torch.device | str = "cpu") -> nn.Module:
    """G rebuilt from a checkpoint, in eval mode, for sampling and exploration."""
    return _rebuilt(ck)[0].to(device).eval()


def discriminator(ck: Checkpoint, device: torch.device | str = "cpu") -> nn.Module:
    return _rebuilt(ck)[1].to(device).eval()


def list_checkpoints(*folders: str | Path) -> list[tuple[Path, dict]]:
    """(path, metadata) of every readable checkpoint in ``folders``; unreadable ones are skipped."""
    found = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.safetensors")):
            try:
                found.append((path, read_meta(path)))
            except CheckpointError:
                continue
    return found
