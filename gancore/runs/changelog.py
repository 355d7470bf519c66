"""Live changes of a run's settings in words, for the chart's markers and the CLI's events.

A student reads "G's learning rate 0.0002 → 0.001" on the loss chart, not ``lr_g``; the words are
the Training Lab's own labels for the same switches.
"""

from __future__ import annotations

FIELDS = {
    # OptimConfig
    "optimizer": "optimiser",
    "lr_g": "G's learning rate",
    "lr_d": "D's learning rate",
    "beta1": "Adam β1",
    "beta2": "Adam β2",
    "lr_decay": "learning-rate decay",
    "ema": "G's weight average",
    "fast_math": "fast math",
    # HackConfig
    "loss": "loss",
    "scale_inputs": "inputs scaled to [−1, 1]",
    "z_dist": "z drawn from",
    "label_smoothing": "label smoothing",
    "label_flip": "noisy labels",
    "instance_noise": "instance noise",
    "noise_decay_steps": "instance-noise decay steps",
    "separate_batches": "separate real / fake batches",
    "g_slope": "G's LeakyReLU slope",
    "d_slope": "D's LeakyReLU slope",
    "g_dropout": "dropout in G",
    "d_steps": "D steps per G step",
    "gp_weight": "gradient-penalty weight",
    "info_lambda": "InfoGAN's λ",
    "augment": "DiffAugment",
}
VALUES = {
    "minimax": "saturating (minimax)",
    "non_saturating": "non-saturating",
    "least_squares": "least squares",
    "hinge": "hinge",
    "wgan_gp": "WGAN-GP",
    "normal": "a normal",
    "uniform": "a uniform",
    "none": "off",
    "translate": "shift",
    "translate_cutout": "shift + cut-out",
    "adam": "Adam",
    "sgd": "SGD",
}


def word(value: object) -> str:
    """A setting's value as the Training Lab shows it: on / off, a loss's name, a plain number."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    return VALUES.get(str(value), str(value))


def describe(old, new) -> str:
    """What changed between two configs of one kind: "G's learning rate 0.0002 → 0.001; loss
    non-saturating → saturating (minimax)"; empty when nothing did."""
    parts = []
    for name in old.__dataclass_fields__:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            parts.append(f"{FIELDS.get(name, name.replace('_', ' '))} {word(a)} → {word(b)}")
    return "; ".join(parts)
