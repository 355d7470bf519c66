"""The image-to-image presets (one list beside the noise-to-image ones in :mod:`gancore.presets`).

pix2pix trains with Adam 2e-4, beta1 0.5, lambda = 100 and dropout 0.5 in G's decoder, as in the
paper. The paper's batch of 1 suits 256x256 photos on a GPU; at 28x28 on a CPU a batch of 64 makes
the same number of steps see 64 times more pairs.
"""

from __future__ import annotations

from gancore.base.config import HackConfig, OptimConfig, Preset, TrainConfig
from gancore.base.i18n import N_
from gancore.models.cyclegan import CycleConfig, Recipe, Task
from gancore.models.pix2pix import Objective, Pix2PixConfig
from gancore.models.srgan import SrganConfig, SrObjective

ADAM = OptimConfig(lr_g=2e-4, lr_d=2e-4, beta1=0.5)
SR_ADAM = OptimConfig(lr_g=1e-4, lr_d=1e-4, beta1=0.9)  # SRGAN's Adam (its later phase: 1e-5)
DROPOUT = HackConfig(g_dropout=0.5, g_slope=0.0, d_slope=0.2)  # G's decoder: ReLU; its encoder and D: LeakyReLU 0.2


def _srgan(name: str, title: str, source: str, data: str, epochs: float, objective: SrObjective) -> Preset:
    train = TrainConfig(dataset=data, batch_size=32, epochs=epochs, optim=SR_ADAM, hacks=HackConfig(d_slope=0.2), publish_every=10)
    return Preset(name, title, source, SrganConfig(data=data, width=0.25, objective=objective), train)


def _pix2pix(name: str, title: str, source: str, data: str, epochs: float, **model) -> Preset:
    train = TrainConfig(dataset=data, batch_size=64, epochs=epochs, optim=ADAM, hacks=DROPOUT, publish_every=10)
    return Preset(name, title, source, Pix2PixConfig(data=data, width=0.5, **model), train)


def _cycle(name: str, title: str, source: str, recipe: Recipe, task: Task) -> Preset:
    """CycleGAN: least squares, lambda 10, identity 0.5 lambda. DiscoGAN: cross-entropy, squared-error cycle, lambda 1."""
    cyclegan = recipe is Recipe.CYCLEGAN
    loss = "least_squares" if cyclegan else "non_saturating"
    model = CycleConfig(
        width=0.25, blocks=2, recipe=recipe, task=task, cycle_weight=10.0 if cyclegan else 1.0, identity_weight=0.5 if cyclegan else 0.0
    )
    train = TrainConfig(dataset="mnist", batch_size=32, epochs=40, optim=ADAM, hacks=HackConfig(loss=loss, d_slope=0.2), publish_every=10)
    return Preset(name, title, source, model, train)


PAIR_PRESETS: tuple[Preset, ...] = (
    _pix2pix(
        "pix2pix-edges-mnist",
        N_("pix2pix: edges → digit"),
        N_(
            "pix2pix (Isola et al. 2017) at half width: a U-Net G draws the digit inside each edge map, a "
            "PatchGAN D judges (edges, digit) pairs patch by patch; G's loss is cGAN + 100 x L1, Adam 2e-4 / "
            "beta1 0.5, dropout 0.5 as G's noise, batch 64 (the paper's is 1)."
        ),
        "mnist",
        30,
    ),
    _pix2pix(
        "pix2pix-edges-shoes",
        N_("pix2pix: edges → shoes"),
        N_(
            "The paper's edges2shoes in miniature: Fashion-MNIST's sandals, sneakers and ankle boots drawn from "
            "their edge maps, with the same networks and settings as edges → digit."
        ),
        "shoes",
        8,
    ),
    _pix2pix(
        "pix2pix-l1-only",
        N_("pix2pix ablation: L1 alone"),
        N_(
            "The paper's ablation: the same U-Net trained on the L1 distance alone, with no discriminator's "
            "verdict. Its pictures are the blurry average of every digit that fits the edges."
        ),
        "mnist",
        30,
        objective=Objective.L1,
    ),
    _pix2pix(
        "pix2pix-shoes-l1-only",
        N_("pix2pix ablation on shoes: L1 alone"),
        N_("The same ablation on the shoes, where an outline leaves more to guess (shading, texture): L1 alone paints the average guess."),
        "shoes",
        8,
        objective=Objective.L1,
    ),
    *(
        _srgan(
            f"srgan-{data}",
            f"SRGAN: 4× super-resolution ({name})",
            N_(
                "SRGAN (Ledig et al. 2017) at MNIST scale: 7×7 -> 28×28 with an SRResNet of 4 residual blocks at quarter "
                "width; G's loss is the distance between the shipped classifier's feature maps of its picture and the "
                "real one (VGG cannot be downloaded here) + 1e-3 × the adversarial loss; Adam 1e-4, batch 32 (the paper's 16)."
            ),
            data,
            epochs,
            SrObjective.GAN,
        )
        for data, name, epochs in (("mnist", "digits", 15), ("fashion", "clothes", 1))
    ),
    *(
        _srgan(
            f"srresnet-{data}",
            f"SRResNet baseline: MSE alone ({name})",
            N_(
                "The same G trained on the pixel MSE alone, no D: the SRGAN paper's baseline, whose pictures score "
                "the best PSNR and look blurred."
            ),
            data,
            epochs,
            SrObjective.MSE,
        )
        for data, name, epochs in (("mnist", "digits", 15), ("fashion", "clothes", 1))
    ),
    _cycle(
        "cyclegan-thick-mnist",
        N_("CycleGAN: thin ↔ thick digits (unpaired)"),
        N_(
            "CycleGAN (Zhu et al. 2017) at quarter width: half the digits as they are, the other half drawn thick, and "
            "no pairs. Two ResNet translators, two PatchGAN Ds, least-squares GAN loss, L1 cycle loss x 10 and the "
            "identity loss x 5; Adam 2e-4 / beta1 0.5, batch 32 (the paper's is 1)."
        ),
        Recipe.CYCLEGAN,
        Task.THICK,
    ),
    _cycle(
        "discogan-thick-mnist",
        N_("DiscoGAN: thin ↔ thick digits (unpaired)"),
        N_(
            "DiscoGAN (Kim et al. 2017) on the same task: encoder-decoder translators with BatchNorm, one verdict per "
            "picture, the cross-entropy GAN loss and a squared-error reconstruction weighted 1, no identity loss."
        ),
        Recipe.DISCOGAN,
        Task.THICK,
    ),
    _cycle(
        "cyclegan-rotate-mnist",
        N_("CycleGAN's limit: upright ↔ turned digits"),
        N_(
            "The same CycleGAN asked to turn digits a quarter: a change of geometry, not of texture. The cycle is "
            "easy to close without turning anything; watch what G_AB draws instead."
        ),
        Recipe.CYCLEGAN,
        Task.ROTATE,
    ),
)
