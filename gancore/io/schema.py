"""What a checkpoint may contain, checked before anything in it is used.

A checkpoint is untrusted input: students upload files they found or broke. ``checkpoints``
reads one in this order, and each step refuses with a :class:`CheckpointError` that says what
is wrong in words:

1. the JSON header: bounded size and nesting depth, then :func:`check_meta` — every field's type
   and range (step, history, events, sampler), before any config is built;
2. the model's size, counted on PyTorch's ``meta`` device (:func:`parameter_count`: no memory is
   allocated), against a cap and against the bytes the file actually holds;
3. every tensor against what the config implies: weights by ``checkpoints``, and here the
   optimiser moments (:func:`optimizer_state`, shapes taken from a fresh optimiser built from the
   config — options such as ``fused`` are never read from the file), the run's RNG state and the
   data sampler's permutation (:func:`run_state`).
"""

from __future__ import annotations

import hashlib
import json
import re

import torch
from torch import nn

from gancore.base.config import ModelConfig, OptimConfig
from gancore.base.errors import CheckpointError
from gancore.base.i18n import _
from gancore.models.catalog import build
from gancore.train.steps import make_optimizers

MAX_HEADER_BYTES = 32 * 2**20  # a 2-million-step run's history is ~15 MB
MAX_DEPTH = 12  # the deepest real metadata is 4 levels
MAX_SERIES = 200_000  # history points per series (one per 10 steps)
MAX_EVENTS = 5_000
MAX_PARAMS = 30_000_000  # G and D together; the largest course model has 13 million
# the largest file a run under MAX_PARAMS writes: 4 bytes a weight for G and D, 8 more for Adam's
# two moments, 4 for G's average, plus the sampler and the header; loading refuses anything larger
MAX_FILE_BYTES = 16 * MAX_PARAMS + 32 * 2**20
MAX_EXAMPLES = 1_000_000  # a sampler's permutation: the largest set (Fashion-MNIST) has 60,000
MAX_STEP = 10**10
CPU_RNG_BYTES = torch.Generator().get_state().numel()  # 5,056: the Mersenne Twister's state
CUDA_RNG_BYTES = 16  # Philox: seed and offset
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def digest(tensors: dict[str, torch.Tensor]) -> str:
    """SHA-256 over every tensor's name, dtype, shape and bytes (in name order): catches corruption."""
    h = hashlib.sha256()
    for k in sorted(tensors):
        t = tensors[k].contiguous()
        h.update(k.encode())
        h.update(str(t.dtype).encode())
        h.update(str(tuple(t.shape)).encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b"")
    return h.hexdigest()


def parse_json(text: bytes | str, what: str) -> object:
    """JSON with bounded size and depth; anything else is a CheckpointError."""
    if len(text) > MAX_HEADER_BYTES:
        raise CheckpointError(
            _("{what} is larger than {value} MB: not a checkpoint of this app").format(what=what, value=MAX_HEADER_BYTES // 2**20)
        )
    try:
        value = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CheckpointError(_("{what} is not readable JSON ({name})").format(what=what, name=type(exc).__name__)) from None
    stack = [(value, 1)]
    while stack:  # iterative: a deep structure cannot exhaust Python's stack here
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise CheckpointError(_("{what} is nested more than {MAX_DEPTH} levels deep").format(what=what, MAX_DEPTH=MAX_DEPTH))
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return value


def _is_int(v: object, lo: int = 0, hi: int = MAX_STEP) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


def check_meta(meta: object, name: str) -> dict:
    """The metadata's fields have the types and ranges this app writes; returns it as a dict."""

    def bad(what: str) -> CheckpointError:
        return CheckpointError(f"{name}: {what} — the file was damaged or not written by this app")

    if not isinstance(meta, dict):
        raise bad(_("its metadata is not a JSON object"))
    for key, inner in (("model", "family"), ("train", "dataset")):  # the listings show both
        if not isinstance(meta.get(key), dict):
            raise bad(_("'{key}' is missing or not an object").format(key=key))
        if not (isinstance(meta[key].get(inner), str) and len(meta[key][inner]) <= 1000):
            raise bad(_("'{key}.{inner}' is missing or not a short text").format(key=key, inner=inner))
    if not _is_int(meta.get("step", 0)):
        raise bad(_("'step' must be a whole number from 0 to {MAX_STEP:,}").format(MAX_STEP=MAX_STEP))
    if not isinstance(meta.get("dataset", ""), str) or len(meta.get("dataset", "")) > 1000:
        raise bad(_("'dataset' must be a short text"))
    history = meta.get("history", {})
    if not isinstance(history, dict) or len(history) > 32:
        raise bad(_("'history' must be an object of at most 32 series"))
    for key, series in history.items():
        if not isinstance(series, list) or len(series) > MAX_SERIES:
            raise bad(_("history '{value}' must be a list of at most {MAX_SERIES:,} numbers").format(value=key[:40], MAX_SERIES=MAX_SERIES))
        if not all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in series):
            raise bad(_("history '{value}' holds something other than numbers").format(value=key[:40]))  # NaN: a metric this family lacks
    events = meta.get("events", [])
    if not isinstance(events, list) or len(events) > MAX_EVENTS:
        raise bad(_("'events' must be a list of at most {MAX_EVENTS:,} entries").format(MAX_EVENTS=MAX_EVENTS))
    for e in events:
        if not (isinstance(e, list) and len(e) == 2 and _is_int(e[0]) and isinstance(e[1], str) and len(e[1]) <= 500):
            raise bad(_("each event must be [step, text]"))
    if not isinstance(meta.get("metrics", {}), dict):
        raise bad(_("'metrics' must be an object"))
    if not isinstance(meta.get("resumable", False), bool):
        raise bad(_("'resumable' must be true or false"))
    if not (isinstance(meta.get("sha256"), str) and SHA256.match(meta["sha256"])):
        raise bad(_("its checksum is missing"))
    if meta.get("resumable"):
        sampler = meta.get("sampler")
        if not (isinstance(sampler, dict) and _is_int(sampler.get("pos")) and _is_int(sampler.get("batches"))):
            raise bad(_("the data sampler's position is missing or not a whole number"))
    return meta


def parameter_count(cfg: ModelConfig) -> int:
    """G's and D's parameters, counted without allocating them (PyTorch's meta device)."""
    with torch.device("meta"):
        g, d = build(cfg)
    return sum(p.numel() for net in (g, d) for p in net.parameters())


def check_size(cfg: ModelConfig, file_bytes: int, name: str) -> None:
    """Refuse a model too large to build, or larger than the file could hold (2 bytes a weight at least)."""
    n = parameter_count(cfg)
    if n > MAX_PARAMS:
        raise CheckpointError(
            _("{name}: the model it describes has {n:,} parameters; this app builds at most {MAX_PARAMS:,}").format(
                name=name, n=n, MAX_PARAMS=MAX_PARAMS
            )
        )
    if 2 * n > file_bytes:
        raise CheckpointError(
            _("{name}: the file ({file_bytes:,} bytes) is too small for the {n:,} weights its model needs").format(
                name=name, file_bytes=file_bytes, n=n
            )
        )


def _tensor(tensors: dict, key: str, name: str, dtype: torch.dtype, shape: tuple[int, ...] | None = None) -> torch.Tensor:
    t = tensors.get(key)
    if t is None:
        raise CheckpointError(_("{name}: the training state lacks '{key}'").format(name=name, key=key))
    if t.dtype != dtype or (shape is not None and tuple(t.shape) != shape):
        want = f"{dtype}" + (f" of shape {shape}" if shape is not None else "")
        raise CheckpointError(
            _("{name}: '{key}' is {dtype} of shape {tuple}, expected {want}").format(
                name=name, key=key, dtype=t.dtype, tuple=tuple(t.shape), want=want
            )
        )
    if t.is_floating_point() and not torch.isfinite(t).all():
        raise CheckpointError(_("{name}: '{key}' contains NaN or infinity").format(name=name, key=key))
    return t


def optimizer_state(tensors: dict, prefix: str, opt: torch.optim.Optimizer, name: str) -> dict[int, dict]:
    """The per-parameter state saved under ``prefix``, checked against ``opt`` (built from the
    config): Adam keeps step, exp_avg and exp_avg_sq per parameter (or nothing before its first
    step); SGD without momentum keeps nothing."""
    params = [p for group in opt.param_groups for p in group["params"]]
    adam = isinstance(opt, torch.optim.Adam)
    saved = {k for k in tensors if k.startswith(prefix + ".")}
    state: dict[int, dict] = {}
    for i, p in enumerate(params):
        keys = {f"{prefix}.{i}.{k}" for k in ("step", "exp_avg", "exp_avg_sq")} if adam else set()
        present = keys & saved
        if not present:
            continue
        if present != keys:
            raise CheckpointError(_("{name}: the optimiser state of parameter {i} is incomplete").format(name=name, i=i))
        step = _tensor(tensors, f"{prefix}.{i}.step", name, torch.float32, ())
        if not 0 <= step.item() <= MAX_STEP:
            raise CheckpointError(_("{name}: the optimiser's step count is out of range").format(name=name))
        state[i] = {
            "step": step,
            "exp_avg": _tensor(tensors, f"{prefix}.{i}.exp_avg", name, p.dtype, tuple(p.shape)),
            "exp_avg_sq": _tensor(tensors, f"{prefix}.{i}.exp_avg_sq", name, p.dtype, tuple(p.shape)),
        }
        if (state[i]["exp_avg_sq"] < 0).any():
            raise CheckpointError(_("{name}: a second-moment estimate is negative").format(name=name))
        saved -= keys
    if saved:
        raise CheckpointError(
            _("{name}: the optimiser state has entries the model does not have ({value})").format(name=name, value=sorted(saved)[:2])
        )
    return state


def run_state(tensors: dict, meta: dict, cfg: ModelConfig, optim: OptimConfig, g: nn.Module, d: nn.Module, name: str) -> dict:
    """The optimisers' moments, the run's RNG and the sampler, each checked (see the module doc)."""
    opt_g, opt_d = make_optimizers(g, d, cfg, optim)
    rng = _tensor(tensors, "rng.gen", name, torch.uint8)
    if tuple(rng.shape) not in ((CPU_RNG_BYTES,), (CUDA_RNG_BYTES,)):
        raise CheckpointError(
            _("{name}: the random generator's state has {numel} bytes, not {CPU_RNG_BYTES} or {CUDA_RNG_BYTES}").format(
                name=name, numel=rng.numel(), CPU_RNG_BYTES=CPU_RNG_BYTES, CUDA_RNG_BYTES=CUDA_RNG_BYTES
            )
        )
    sampler_rng = _tensor(tensors, "sampler.gen", name, torch.uint8, (CPU_RNG_BYTES,))
    for state in (rng, sampler_rng) if rng.numel() == CPU_RNG_BYTES else (sampler_rng,):
        try:
            torch.Generator().set_state(state)  # the Mersenne Twister checks its own state
        except RuntimeError:
            raise CheckpointError(_("{name}: a random generator's state is corrupted").format(name=name)) from None
    perm = _tensor(tensors, "sampler.perm", name, torch.int64)
    if perm.dim() != 1 or perm.numel() > MAX_EXAMPLES:
        raise CheckpointError(
            _("{name}: the data sampler's order has {numel:,} entries; at most {MAX_EXAMPLES:,} are read").format(
                name=name, numel=perm.numel(), MAX_EXAMPLES=MAX_EXAMPLES
            )
        )
    n = perm.numel()  # a permutation: every index in range, each once (bincount: 8 bytes an example)
    if n and (int(perm.min()) < 0 or int(perm.max()) >= n or not bool((torch.bincount(perm, minlength=n) == 1).all())):
        raise CheckpointError(_("{name}: the data sampler's order is not a permutation of the examples").format(name=name))
    if meta["sampler"]["pos"] > perm.numel():
        raise CheckpointError(_("{name}: the data sampler's position is past the end of its epoch").format(name=name))
    return {
        "opt_g": {"state": optimizer_state(tensors, "opt_g", opt_g, name)},
        "opt_d": {"state": optimizer_state(tensors, "opt_d", opt_d, name)},
        "gen": rng,
        "sampler": {"perm": perm, "gen": sampler_rng, **meta["sampler"]},
    }


def load_optimizer_state(opt: torch.optim.Optimizer, saved: dict) -> None:
    """Put saved per-parameter state into ``opt``, keeping ``opt``'s own options (lr, betas, fused):
    a file decides the moments, never how the optimiser runs."""
    sd = opt.state_dict()
    sd["state"] = saved["state"]
    opt.load_state_dict(sd)


def embedded_meta(raw: bytes, name: str = "the file") -> dict:
    """The app's metadata in a safetensors file's header ({} when it has none); the header's length
    and JSON are checked first, so a hostile file is refused before anything else is read."""
    if len(raw) < 8:
        raise CheckpointError(_("{name} is too short to be a safetensors checkpoint").format(name=name))
    n = int.from_bytes(raw[:8], "little")
    if n <= 0 or n > len(raw) - 8 or n > MAX_HEADER_BYTES:
        raise CheckpointError(_("{name} is not a safetensors file (bad header length): is it a checkpoint of this app?").format(name=name))
    header = parse_json(raw[8 : 8 + n], f"{name}'s header")
    meta = header.get("__metadata__") if isinstance(header, dict) else None
    text = meta.get("gan_explorer") if isinstance(meta, dict) else None
    if not isinstance(text, str):
        return {}
    meta = parse_json(text, f"{name}'s metadata")
    return meta if isinstance(meta, dict) else {}
