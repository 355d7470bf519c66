import pytest

from gancore import presets
from gancore.config import (
    ConfigError,
    HackConfig,
    ModelConfig,
    OptimConfig,
    TrainConfig,
    model_from_dict,
    to_dict,
    train_from_dict,
)


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: ModelConfig(family="vae"), "family"),
        (lambda: ModelConfig(latent_dim=0), "latent_dim"),
        (lambda: ModelConfig(width=100.0), "width"),
        (lambda: ModelConfig(family="dcgan64", image_size=28), "image_size"),
        (lambda: OptimConfig(lr_g=-1.0), "lr_g"),
        (lambda: OptimConfig(beta1=1.5), "beta1"),
        (lambda: OptimConfig(lr_d="fast"), "lr_d"),
        (lambda: OptimConfig(lr_decay="yes"), "lr_decay"),
        (lambda: OptimConfig(ema=0.3), "ema"),
        (lambda: OptimConfig(ema="0.999"), "ema"),
        (lambda: OptimConfig(ema=1.0), "ema"),
        (lambda: HackConfig(augment="flip"), "augment"),
        (lambda: HackConfig(loss="magic"), "loss"),
        (lambda: HackConfig(label_smoothing=0.9), "label_smoothing"),
        (lambda: HackConfig(d_steps=0), "d_steps"),
        (lambda: TrainConfig(batch_size=0), "batch_size"),
    ],
)
def test_bad_values_name_the_field_and_range(make, field):
    with pytest.raises(ConfigError, match=field):
        make()


def test_configs_are_frozen():
    cfg = ModelConfig()
    with pytest.raises(AttributeError):
        cfg.latent_dim = 3


def test_round_trip_through_dicts():
    p = presets.get("toy-mixture")
    assert model_from_dict(to_dict(p.model)) == p.model
    assert train_from_dict(to_dict(p.train)) == p.train


def test_unknown_fields_are_rejected():
    with pytest.raises(ConfigError, match="unknown ModelConfig fields: colour"):
        model_from_dict({"family": "mlp", "colour": "red"})


def test_presets_reproduce_their_sources():
    tf = presets.get("tf-dcgan").train
    assert (tf.optim.lr_g, tf.optim.lr_d, tf.batch_size, presets.get("tf-dcgan").model.latent_dim) == (1e-4, 1e-4, 256, 100)
    toy = presets.get("d2l-toy")
    assert (toy.train.batch_size, toy.train.optim.lr_d, toy.train.optim.lr_g, toy.model.latent_dim, toy.train.epochs) == (
        8,
        0.05,
        0.005,
        2,
        20,
    )
    d2l = presets.get("d2l-dcgan").train
    assert (d2l.optim.lr_g, d2l.optim.beta1) == (0.005, 0.5)
    info = presets.get("infogan-paper")
    assert (info.train.optim.lr_d, info.train.optim.lr_g, info.train.hacks.info_lambda, info.train.batch_size) == (2e-4, 1e-3, 1.0, 128)
    assert (info.model.latent_dim, info.model.n_cat, info.model.n_cont) == (62, 10, 2)
    for fam in ("mlp", "dcgan", "cgan", "infogan", "dcgan64", "toy"):
        assert presets.get(fam).model.family == fam  # a CPU-friendly default per model


def test_unknown_preset_lists_the_choices():
    with pytest.raises(KeyError, match="keras-mlp"):
        presets.get("nope")


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: TrainConfig(batch_size=64.5), "batch_size"),
        (lambda: TrainConfig(max_steps=10.0), "max_steps"),
        (lambda: TrainConfig(seed=True), "seed"),
        (lambda: ModelConfig(latent_dim=2.5), "latent_dim"),
        (lambda: ModelConfig(family="toy", g_hidden=(8, "a")), "g_hidden"),
        (lambda: ModelConfig(channels=1.0), "channels"),
        (lambda: HackConfig(d_steps=1.5), "d_steps"),
        (lambda: HackConfig(separate_batches="no"), "separate_batches"),
    ],
)
def test_whole_number_and_switch_fields_refuse_other_types_by_name(make, field):
    with pytest.raises(ConfigError, match=field):
        make()
