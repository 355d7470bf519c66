"""One preset from the numbers a source gives: the helper the preset tables share."""

from __future__ import annotations

from gancore.base.config import HackConfig, ModelConfig, OptimConfig, Preset, TrainConfig


def preset(
    name: str,
    title: str,
    source: str,
    model: ModelConfig,
    dataset: str,
    batch: int,
    epochs: float,
    optim: OptimConfig,
    hacks: HackConfig,
    publish: int = 10,
) -> Preset:
    """A preset whose run trains ``model`` on ``dataset`` with these settings (``title`` and
    ``source`` are N_-marked text, translated where shown)."""
    train = TrainConfig(dataset=dataset, batch_size=batch, epochs=epochs, optim=optim, hacks=hacks, publish_every=publish)
    return Preset(name, title, source, model, train)
