"""The 2D toy presets (one list beside the image ones in :mod:`gancore.presets`): d2l's first GAN,
and the mixtures of the mode-collapse lesson — a plain GAN, one made to collapse, and PacGAN's
recipe against it."""

from __future__ import annotations

from gancore.base.config import HackConfig, OptimConfig
from gancore.base.i18n import N_
from gancore.models.toy import ToyConfig
from gancore.presets.build import preset as _p

TOY_PRESETS = (
    _p(
        "d2l-toy",
        N_("d2l 20.1 toy Gaussian"),
        N_(
            "d2l's first GAN: G = Linear(2, 2), D = 2-5-3-1 tanh, batch 8, Adam lr_D 0.05, lr_G 0.005, latent 2, 20 epochs on 1,000 points."
        ),
        ToyConfig(latent_dim=2),
        "gaussian",
        8,
        20,
        OptimConfig(lr_g=0.005, lr_d=0.05, beta1=0.9),
        HackConfig(),
        publish=25,
    ),
    _p(
        "toy-pacgan",
        N_("2D mixture, PacGAN recipe"),
        N_(
            "Lin et al. 2018's 2D networks (VEEGAN's): G 4x400 ReLU with BatchNorm, D 3x200 maxout units "
            "of 5 pieces, batch 100, D judging packs of 2 samples. Set pack to 1 for the plain GAN it is "
            "compared with. The paper trains 400k steps at Adam 1e-4; to fit a CPU this runs 20k steps at "
            "1e-3 (beta1 0.5) decayed linearly to 0, which lets G settle onto the modes at the end."
        ),
        ToyConfig(
            latent_dim=2,
            g_hidden=(400,) * 4,
            d_hidden=(200,) * 3,
            activation="relu",
            pack=2,
            g_batchnorm=True,
            d_maxout=5,
            init="pytorch",
        ),
        "ring8",
        100,
        1000,
        OptimConfig(lr_g=1e-3, lr_d=1e-3, beta1=0.5, lr_decay=True),
        HackConfig(),
        publish=20,
    ),
    _p(
        "toy-collapse",
        N_("2D ring of 8, made to collapse"),
        N_(
            "A generator of two hidden layers of 8 ReLU units against a 3x128 ReLU discriminator, Adam 1e-3 / "
            "beta1 0.5 decayed to 0, batch 256, about 2,100 steps. Too few units to split its noise eight ways, G "
            "piles its points onto one or two bumps and stays there (5 of 5 seeds: 2, 2, 1, 2, 2 modes)."
        ),
        ToyConfig(latent_dim=2, g_hidden=(8, 8), d_hidden=(128,) * 3, activation="relu", init="pytorch"),
        "ring8",
        256,
        300,
        OptimConfig(lr_g=1e-3, lr_d=1e-3, beta1=0.5, lr_decay=True),
        HackConfig(),
        publish=20,
    ),
    _p(
        "toy-mixture",
        N_("2D mixture (ring of 8)"),
        N_("A 4x128 ReLU MLP pair on the 8-Gaussian ring, Adam 1e-3 / beta1 0.5, batch 256."),
        ToyConfig(latent_dim=2, g_hidden=(128,) * 4, d_hidden=(128,) * 3, activation="relu", init="pytorch"),
        "ring8",
        256,
        200,
        OptimConfig(lr_g=1e-3, lr_d=1e-3, beta1=0.5),
        HackConfig(),
        publish=20,
    ),
)
