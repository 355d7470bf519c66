"""Self-describing, safely loadable checkpoints: ``NAME.safetensors`` + ``NAME.json``.

* Weights (G, D, and G's running average when the run kept one), optimiser moments, the run's RNG and sampler state are tensors in a
  safetensors file - a format with no code in it, so loading never unpickles anything.
* The JSON (format version, configs, dataset, step, history, metrics, created) is written
  beside it *and* embedded in the safetensors header, so a downloaded ``.safetensors`` alone
  is a complete checkpoint. A SHA-256 of the tensor bytes, stored in both, catches corruption.
* Writes go to a temporary file that is renamed into place: a crash mid-save leaves the
  previous checkpoint intact.
* Every load is validated: header, hash, config, and each tensor's name and shape against a
  freshly built model. Anything else is rejected with a :class:`CheckpointError`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save
from torch import nn

from gancore.config import ConfigError, ModelConfig, TrainConfig, model_from_dict, to_dict, train_from_dict
from gancore.models import build, set_hacks

FORMAT = "gan-explorer-checkpoint"
VERSION = 1
MAX_BYTES = 512 * 1024 * 1024
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class CheckpointError(ValueError):
    """A checkpoint cannot be saved or loaded; the message says why."""


@dataclass(frozen=True)
class Checkpoint:
    """A validated checkpoint: configs, metadata and tensors (on the CPU)."""

    path: Path
    model_cfg: ModelConfig
    train_cfg: TrainConfig
    meta: dict
    g: dict[str, torch.Tensor]
    d: dict[str, torch.Tensor]
    resume: dict | None  # what TrainingRun needs to continue exactly, if the file has it
    g_avg: dict[str, torch.Tensor] | None = None  # G's weight average (OptimConfig.ema): what samples use

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
    if not NAME_RE.match(name or ""):
        raise CheckpointError(
            "a checkpoint name uses letters, digits, '-', '_' or '.', starts with a letter or digit, "
            f"and has at most 64 characters (got {name!r})"
        )
    return name


def _digest(tensors: dict[str, torch.Tensor]) -> str:
    h = hashlib.sha256()
    for k in sorted(tensors):
        t = tensors[k].contiguous()
        h.update(k.encode())
        h.update(str(t.dtype).encode())
        h.update(str(tuple(t.shape)).encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b"")
    return h.hexdigest()


def _flatten_opt(prefix: str, sd: dict, out: dict[str, torch.Tensor]) -> list:
    for pid, s in sd["state"].items():
        for name, v in s.items():
            out[f"{prefix}.{pid}.{name}"] = torch.as_tensor(v).detach().cpu().contiguous()
    return [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in sd["param_groups"]]


def _unflatten_opt(prefix: str, tensors: dict[str, torch.Tensor], groups: list) -> dict:
    state: dict[int, dict] = {}
    for key, v in tensors.items():
        if key.startswith(prefix + "."):
            _, pid, name = key.split(".", 2)
            state.setdefault(int(pid), {})[name] = v
    fixed = [{k: (tuple(v) if k == "betas" else v) for k, v in g.items()} for g in groups]
    return {"state": state, "param_groups": fixed}


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(
    path: str | Path,
    export: dict,
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
        for k, v in (export.get(net) or {}).items():
            v = v.detach().cpu()
            tensors[f"{net}.{k}"] = (v.half() if half and v.is_floating_point() else v).contiguous()
    resumable = not half and export.get("opt_g") is not None
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "model": to_dict(model_cfg),
        "train": to_dict(train_cfg),
        "dataset": dataset,
        "step": int(export.get("step", 0)),
        "history": export.get("history", {}),
        "events": export.get("events", []),
        "metrics": metrics or {},
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "resumable": resumable,
        "torch": torch.__version__,
        **(extra or {}),
    }
    if resumable:
        meta["opt_g_groups"] = _flatten_opt("opt_g", export["opt_g"], tensors)
        meta["opt_d_groups"] = _flatten_opt("opt_d", export["opt_d"], tensors)
        tensors["rng.gen"] = export["gen"].cpu()
        sampler = export["sampler"]
        tensors["sampler.perm"], tensors["sampler.gen"] = sampler["perm"], sampler["gen"]
        meta["sampler"] = {"pos": sampler["pos"], "batches": sampler["batches"]}
    meta["sha256"] = _digest(tensors)
    text = json.dumps(meta, indent=1, allow_nan=True)
    _atomic_write(path, st_save(tensors, metadata={"gan_explorer": text}))
    _atomic_write(path.with_suffix(".json"), text.encode())
    return path


def read_meta(path: str | Path) -> dict:
    """The JSON metadata of a checkpoint (sidecar, else the embedded copy), validated lightly."""
    path = Path(path)
    sidecar = path.with_suffix(".json")
    try:
        if sidecar.is_file():
            meta = json.loads(sidecar.read_text())
        else:
            meta = _embedded_meta(path.read_bytes()[: 64 * 1024 * 1024])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path.name}: unreadable metadata ({exc})") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CheckpointError(f"{path.name} is not a GAN Explorer checkpoint")
    return meta


def _embedded_meta(raw: bytes) -> dict:
    if len(raw) < 8:
        raise CheckpointError("the file is too short to be a safetensors checkpoint")
    n = int.from_bytes(raw[:8], "little")
    if n <= 0 or n > len(raw) - 8 or n > 100_000_000:
        raise CheckpointError("not a safetensors file (bad header length): is it a checkpoint of this app?")
    try:
        header = json.loads(raw[8 : 8 + n])
        text = header.get("__metadata__", {}).get("gan_explorer")
        return json.loads(text) if text else {}
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError, TypeError) as exc:
        raise CheckpointError(f"not a safetensors file: unreadable header ({exc})") from exc


def load_bytes(raw: bytes, name: str = "upload.safetensors") -> Checkpoint:
    """Validate and load a checkpoint from bytes (an upload): metadata must be embedded."""
    if len(raw) > MAX_BYTES:
        raise CheckpointError(f"the file is larger than {MAX_BYTES // 2**20} MB")
    meta = _embedded_meta(raw)
    if meta.get("format") != FORMAT:
        raise CheckpointError("this safetensors file was not written by GAN Explorer (no metadata)")
    return _validate(Path(name), raw, meta)


def load(path: str | Path) -> Checkpoint:
    """Validate and load ``path`` (``NAME``, ``NAME.safetensors`` or ``NAME.json``)."""
    path = Path(path)
    if path.suffix != ".safetensors":
        path = path.with_name(path.stem + ".safetensors") if path.suffix == ".json" else path.with_name(path.name + ".safetensors")
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {path}")
    if path.stat().st_size > MAX_BYTES:
        raise CheckpointError(f"{path.name} is larger than {MAX_BYTES // 2**20} MB")
    raw = path.read_bytes()
    meta = read_meta(path)
    embedded = _embedded_meta(raw)
    if embedded.get("sha256") and embedded.get("sha256") != meta.get("sha256"):
        meta = embedded  # a crash between the two renames: the weights' own copy wins
    return _validate(path, raw, meta)


def _validate(path: Path, raw: bytes, meta: dict) -> Checkpoint:
    if meta.get("version") != VERSION:
        raise CheckpointError(f"{path.name}: format version {meta.get('version')} is not supported (expected {VERSION})")
    try:
        tensors = st_load(raw)
    except (SafetensorError, ValueError, RuntimeError) as exc:
        raise CheckpointError(f"{path.name} is truncated or corrupted: {exc}") from exc
    if _digest(tensors) != meta.get("sha256"):
        raise CheckpointError(f"{path.name} is corrupted: its tensors do not match their checksum")
    try:
        model_cfg = model_from_dict(meta["model"])
        train_cfg = train_from_dict(meta["train"])
    except (KeyError, ConfigError) as exc:
        raise CheckpointError(f"{path.name}: invalid configuration ({exc})") from exc
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
            raise CheckpointError(f"{path.name}: {label} weights do not fit the model (missing {missing}, unexpected {extra})")
        for k, v in got.items():
            if tuple(v.shape) != tuple(want[k].shape):
                raise CheckpointError(f"{path.name}: {label} tensor {k} has shape {tuple(v.shape)}, expected {tuple(want[k].shape)}")
            if not torch.isfinite(v.float()).all():
                raise CheckpointError(f"{path.name}: {label} tensor {k} contains NaN or infinity")
        parts[key] = {k: v.to(want[k].dtype) for k, v in got.items()}
    resume = None
    if meta.get("resumable"):
        try:
            resume = {
                "g": parts["g"],
                "g_avg": parts["g_avg"],
                "d": parts["d"],
                "opt_g": _unflatten_opt("opt_g", tensors, meta["opt_g_groups"]),
                "opt_d": _unflatten_opt("opt_d", tensors, meta["opt_d_groups"]),
                "gen": tensors["rng.gen"],
                "sampler": {"perm": tensors["sampler.perm"], "gen": tensors["sampler.gen"], **meta["sampler"]},
                "step": meta.get("step", 0),
                "history": meta.get("history", {}),
                "events": meta.get("events", []),
            }
        except (KeyError, ValueError, TypeError) as exc:
            raise CheckpointError(f"{path.name}: incomplete training state ({exc})") from exc
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
