"""A Keras-like model summary: layer, output shape, parameters, and the trainable totals."""

from __future__ import annotations

import torch
from torch import nn

from gancore.base.config import ModelConfig
from gancore.models.catalog import build, sample_latent
from gancore.models.common import Reshape

_SHOWN = (nn.Linear, nn.Conv2d, nn.ConvTranspose2d, nn.BatchNorm1d, nn.BatchNorm2d, Reshape, nn.Flatten)


def layer_table(net: nn.Module, *inputs) -> list[tuple[str, tuple[int, ...], int]]:
    """(name (Type), output shape with None for the batch, trainable parameters) per shown layer."""
    rows: list[tuple[str, tuple, int]] = []
    hooks = []
    for name, m in net.named_modules():
        if isinstance(m, _SHOWN):

            def hook(mod, _inp, out, name=name):
                params = sum(p.numel() for p in mod.parameters(recurse=False) if p.requires_grad)
                rows.append((f"{name} ({type(mod).__name__})", (None, *out.shape[1:]), params))

            hooks.append(m.register_forward_hook(hook))
    was_training = net.training
    net.eval()
    try:
        with torch.no_grad():
            net(*inputs)
    finally:
        net.train(was_training)
        for h in hooks:
            h.remove()
    return rows


def counts(net: nn.Module) -> tuple[int, int]:
    """(trainable parameters, non-trainable parameters and buffers such as BN statistics)."""
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in net.parameters() if not p.requires_grad)
    buffers = sum(b.numel() for n, b in net.named_buffers() if not n.endswith("num_batches_tracked"))
    return trainable, frozen + buffers


def summarize(cfg: ModelConfig) -> dict:
    """Tables and totals for G and D of ``cfg``."""
    g, d = build(cfg)
    lat = sample_latent(cfg, 2, torch.Generator().manual_seed(0))
    x = g.eval()(lat["z"], lat.get("y"))
    out = {}
    for key, net, args in (("generator", g, (lat["z"], lat.get("y"))), ("discriminator", d, (x, lat.get("y")))):
        trainable, other = counts(net)
        out[key] = {"layers": layer_table(net, *args), "trainable": trainable, "non_trainable": other}
    return out


def format_summary(cfg: ModelConfig) -> str:
    s = summarize(cfg)
    lines = []
    for key in ("generator", "discriminator"):
        part = s[key]
        lines += [f'Model: "{key}" ({cfg.family})', "-" * 72, f"{'Layer (type)':<36}{'Output Shape':<24}{'Param #':>12}", "=" * 72]
        for name, shape, n in part["layers"]:
            lines.append(f"{name:<36}{shape!s:<24}{n:>12,}")
        total = part["trainable"] + part["non_trainable"]
        lines += [
            "=" * 72,
            f"Total params: {total:,}",
            f"Trainable params: {part['trainable']:,}",
            f"Non-trainable params: {part['non_trainable']:,}",
            "",
        ]
    return "\n".join(lines)
