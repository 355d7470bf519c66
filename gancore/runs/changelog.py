"""Live changes of a run's settings in words, for the chart's markers and the CLI's events.

A student reads "G's learning rate 0.0002 → 0.001" on the loss chart, not ``lr_g``; the words are
the Training Lab's own labels for the same switches, kept re-translatable (a :class:`Phrase`)
so each reader sees them in their language.
"""

from __future__ import annotations

from gancore.base.i18n import N_, Phrase, phrase

FIELDS = {
    # OptimConfig
    "optimizer": N_("optimiser"),
    "lr_g": N_("G's learning rate"),
    "lr_d": N_("D's learning rate"),
    "beta1": "Adam β1",
    "beta2": "Adam β2",
    "lr_decay": N_("learning-rate decay"),
    "ema": N_("G's weight average"),
    "fast_math": N_("fast math"),
    # HackConfig
    "loss": N_("loss"),
    "scale_inputs": N_("inputs scaled to [−1, 1]"),
    "z_dist": N_("z drawn from"),
    "label_smoothing": N_("label smoothing"),
    "label_flip": N_("noisy labels"),
    "instance_noise": N_("instance noise"),
    "noise_decay_steps": N_("instance-noise decay steps"),
    "separate_batches": N_("separate real / fake batches"),
    "g_slope": N_("G's LeakyReLU slope"),
    "d_slope": N_("D's LeakyReLU slope"),
    "g_dropout": N_("dropout in G"),
    "d_steps": N_("D steps per G step"),
    "gp_weight": N_("gradient-penalty weight"),
    "info_lambda": N_("InfoGAN's λ"),
    "augment": "DiffAugment",
}
VALUES = {
    "minimax": N_("saturating (minimax)"),
    "non_saturating": N_("non-saturating"),
    "least_squares": N_("least squares"),
    "hinge": N_("hinge"),
    "wgan_gp": "WGAN-GP",
    "normal": N_("a normal"),
    "uniform": N_("a uniform"),
    "none": N_("off"),
    "translate": N_("shift"),
    "translate_cutout": N_("shift + cut-out"),
    "adam": "Adam",
    "sgd": "SGD",
}


def word(value: object) -> str:
    """A setting's value as the Training Lab shows it: on / off, a loss's name, a plain number."""
    if isinstance(value, bool):
        return N_("on") if value else N_("off")
    if isinstance(value, float):
        return f"{value:g}"
    return VALUES.get(str(value), str(value))


def describe(old, new) -> str | Phrase:
    """What changed between two configs of one kind: "G's learning rate 0.0002 → 0.001; loss
    non-saturating → saturating (minimax)"; empty when nothing did."""
    parts = []
    for name in old.__dataclass_fields__:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            setting = FIELDS.get(name, name.replace("_", " "))
            parts.append(phrase("{setting} {before} → {after}", setting=setting, before=word(a), after=word(b)))
    if not parts:
        return ""
    # each part stays re-translatable: the whole is a phrase of phrases, shown in each reader's language
    return Phrase("; ".join(f"{{p{i}}}" for i in range(len(parts))), {f"p{i}": part for i, part in enumerate(parts)})
