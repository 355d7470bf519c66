"""Super-resolution's measures, as in the SRGAN paper's figure: PSNR and SSIM against the real
high-resolution picture (torchmetrics' implementations, with a data range of 2 for [-1, 1]), for
bicubic interpolation, the SRResNet trained on MSE alone, and SRGAN; plus how often the
classifier still reads the right class, and how real the pictures look to it (Frechet distance
of its features to the real pictures'). The paper's lesson, to be measured: SRGAN's PSNR is
lower than SRResNet's, yet its pictures look more like real ones.
"""

from __future__ import annotations

from functools import lru_cache

import torch
from torch import nn
from torchmetrics.functional.image import peak_signal_noise_ratio, structural_similarity_index_measure

from gancore.paths import SHIPPED_DIR


def psnr(x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Peak signal-to-noise ratio per picture (n,), in dB, for pictures in [-1, 1]."""
    return peak_signal_noise_ratio(x.float(), target.float(), data_range=2.0, reduction="none", dim=(1, 2, 3))


def ssim(x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Structural similarity per picture (n,) (Gaussian window 11, sigma 1.5), for [-1, 1]."""
    return structural_similarity_index_measure(x.float(), target.float(), data_range=2.0, reduction="none")


@lru_cache(maxsize=4)
def baseline(dataset: str) -> nn.Module | None:
    """The shipped SRResNet (MSE alone) for ``dataset`` in eval mode, or None if it is not there."""
    from gancore import checkpoints

    path = SHIPPED_DIR / f"srresnet-{dataset}.safetensors"
    try:
        return checkpoints.generator(checkpoints.load(path)).eval()
    except (checkpoints.CheckpointError, OSError):
        return None


@torch.inference_mode()
def columns(g: nn.Module, cfg, lr: torch.Tensor) -> dict[str, torch.Tensor]:
    """The paper's figure for small pictures (n, 1, 7, 7), each answer (n, 1, 28, 28) by name:
    bicubic, the SRResNet trained on MSE (this G, or the shipped one beside an SRGAN) and SRGAN."""
    from gancore.models.srgan import SrObjective, bicubic

    out = {"bicubic": bicubic(lr)}
    if cfg.objective is SrObjective.MSE:
        out["SRResNet (MSE)"] = g(None, lr).float()
        return out
    base = baseline(cfg.data)
    if base is not None:
        out["SRResNet (MSE)"] = base(None, lr).float()
    out["SRGAN"] = g(None, lr).float()
    return out


KEYS = {"bicubic": "bicubic", "SRResNet (MSE)": "srresnet", "SRGAN": "srgan"}


@torch.inference_mode()
def quality(fam, g: nn.Module, cfg, inputs: dict) -> dict:
    """PSNR, SSIM, classifier accuracy and FD to the real pictures for each column of
    :func:`columns` over ``inputs`` (the test pairs ``eval`` uses), keyed ``bicubic_psnr``,
    ``srresnet_ssim``, ``srgan_fd``..."""
    from gancore import classifier as clf
    from gancore.metrics import frechet_distance, load_classifier

    lr, target, labels = inputs["y"], inputs["target"].float(), inputs["labels"].numpy()
    model, _ = load_classifier(cfg.data)
    _, real_feats = clf.predict(model, target)
    chunks = [columns(g, cfg, lr[i : i + 500]) for i in range(0, len(lr), 500)]
    result = {}
    for name, key in KEYS.items():
        if name not in chunks[0]:
            continue
        x = torch.cat([c[name] for c in chunks])
        probs, feats = clf.predict(model, x)
        result[f"{key}_psnr"] = round(float(psnr(x, target).mean()), 2)
        result[f"{key}_ssim"] = round(float(ssim(x, target).mean()), 4)
        result[f"{key}_accuracy"] = round(float((probs.argmax(1).numpy() == labels).mean()), 4)
        result[f"{key}_fd"] = round(frechet_distance(feats, real_feats), 3)
    return result


def scores(x: torch.Tensor, target: torch.Tensor) -> tuple[float, float]:
    """(PSNR, SSIM) of one picture against its original, for the page's captions."""
    return float(psnr(x, target)[0]), float(ssim(x, target)[0])
