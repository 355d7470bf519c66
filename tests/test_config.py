import pytest

from gancore import presets
from gancore.base.config import HackConfig, ModelConfig, OptimConfig, TrainConfig, to_dict, train_from_dict
from gancore.base.errors import ConfigError
from gancore.models.catalog import model_from_dict
from gancore.models.cgan import CganConfig
from gancore.models.dcgan import DcganConfig
from gancore.models.dcgan64 import Dcgan64Config
from gancore.models.infogan import InfoGanConfig
from gancore.models.mlp import MlpConfig
from gancore.models.toy import ToyConfig


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: ModelConfig(), "family"),  # the shared base: only a family's config class is a model
        (lambda: model_from_dict({"family": "vae"}), "family"),
        (lambda: MlpConfig(latent_dim=0), "latent_dim"),
        (lambda: DcganConfig(width=100.0), "width"),
        (lambda: ToyConfig(init="xavier"), "init"),
        (lambda: CganConfig(num_classes=1), "num_classes"),
        (lambda: InfoGanConfig(n_cont=9), "n_cont"),
        (lambda: Dcgan64Config(image_size=28), "image_size"),
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
    cfg = MlpConfig()
    with pytest.raises(AttributeError):
        cfg.latent_dim = 3


@pytest.mark.parametrize("name", sorted(presets.PRESETS))
def test_round_trip_through_dicts(name):
    p = presets.get(name)
    assert model_from_dict(to_dict(p.model)) == p.model and type(model_from_dict(to_dict(p.model))) is type(p.model)
    assert train_from_dict(to_dict(p.train)) == p.train
    assert to_dict(p.model)["family"] == p.model.family


def test_unknown_fields_are_rejected():
    with pytest.raises(ConfigError, match="unknown MlpConfig fields: colour"):
        model_from_dict({"family": "mlp", "colour": "red"})
    with pytest.raises(ConfigError, match="unknown MlpConfig fields: pack"):  # another family's field, set
        model_from_dict({"family": "mlp", "pack": 2})


def test_version_1_dicts_of_the_shared_config_still_load():
    """Files written before the families had their own configs carry every field of the old union."""
    union = {"latent_dim": 2, "channels": 1, "image_size": 28, "num_classes": 10, "width": 1.0, "n_cat": 10, "n_cont": 2,
             "data_dim": 2, "g_hidden": [], "d_hidden": [5, 3], "activation": "tanh", "pack": 1, "g_batchnorm": False, "d_maxout": 1}  # fmt: skip
    assert model_from_dict({"family": "toy", **union}) == ToyConfig(latent_dim=2, init="d2l")
    deep = {**union, "g_hidden": [8], "activation": "relu"}
    assert model_from_dict({"family": "toy", **deep}) == ToyConfig(latent_dim=2, g_hidden=(8,), activation="relu", init="pytorch")
    assert model_from_dict({"family": "cgan", **union, "latent_dim": 100}) == CganConfig()
    assert model_from_dict({"family": "dcgan64", **union, "channels": 3, "image_size": 64}) == Dcgan64Config(latent_dim=2)


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
        (lambda: MlpConfig(latent_dim=2.5), "latent_dim"),
        (lambda: ToyConfig(g_hidden=(8, "a")), "g_hidden"),
        (lambda: DcganConfig(channels=1.0), "channels"),
        (lambda: ToyConfig(pack=2.0), "pack"),
        (lambda: HackConfig(d_steps=1.5), "d_steps"),
        (lambda: HackConfig(separate_batches="no"), "separate_batches"),
    ],
)
def test_whole_number_and_switch_fields_refuse_other_types_by_name(make, field):
    with pytest.raises(ConfigError, match=field):
        make()
