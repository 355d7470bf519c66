"""The course path (ui/common/course.py): its order, and every number its lessons quote, recomputed."""

import json
import math
from pathlib import Path

import pytest
import torch

from gancore.base import i18n
from gancore.learn import activations, convt, dirac, theory, weights
from ui.common import course

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["en", "ko"])
def lang(request):
    """Every number test runs in both languages: a translation must quote the same measured numbers."""
    return request.param


def lesson_text(key: str, lang: str) -> str:
    lesson = course.BY_KEY[key]
    parts = [lesson.question, lesson.conclude, *(part for pair in lesson.tries for part in pair)]
    return " ".join(i18n.in_language(lang, part) for part in parts)


def quotes(text: str, *numbers: str) -> None:
    """Every one of ``numbers`` is quoted in ``text`` (in either language: the words differ, the numbers do not)."""
    missing = [n for n in numbers if n not in text]
    assert not missing, f"not quoted: {missing}"


def evaluated(name: str) -> dict:
    return json.loads((ROOT / "checkpoints" / f"{name}.eval.json").read_text())


def test_the_path_runs_from_the_2d_lab_to_image_to_image_and_every_step_is_a_page_with_three_experiments():
    keys = [lesson.key for lesson in course.PATH]
    assert keys == ["toy2d", "theory", "blocks", "train", "infogan", "latent", "conditional", "text2digit", "img2img"]
    for lesson in course.PATH:
        assert (ROOT / lesson.path).is_file()
        assert len(lesson.tries) == 3 and all(do and see for do, see in lesson.tries)
        assert lesson.question.endswith("?") and len(lesson.conclude) > 100
        source = (ROOT / lesson.path).read_text()
        assert f'course.try_this("{lesson.key}"' in source and f'course.conclude("{lesson.key}")' in source
    assert course.next_of("toy2d").key == "theory" and course.next_of("img2img") is None


def test_theory_numbers(lang):
    text = lesson_text("theory", lang)
    at_one = theory.dstar_figure(theory.Mixture((0.5, 0.5), (-2, 2), (0.7, 0.7)), theory.Mixture((1.0,), (0.0,), (1.5,)), 1.0)
    assert at_one["jsd"] == pytest.approx(0, abs=1e-6) and at_one["value"] == pytest.approx(-math.log(4), abs=1e-4)
    assert "−1.386" in text
    g = theory.g_losses(0.001)
    assert abs(g["saturating"]["grad_logit"]) == pytest.approx(0.001) and abs(g["non_saturating"]["grad_logit"]) == pytest.approx(0.999)
    assert "0.001" in text and "0.999" in text and "999×" in text
    radii = {u: dirac.simulate(u, "none", 0.2, 500)["final_radius"] for u in dirac.UPDATES}
    assert round(radii["simultaneous"], 1) == 3.1 and round(radii["alternating"], 2) == 1.41
    assert all(dirac.simulate(u, "gp", 0.2, 500)["final_radius"] < 1e-3 for u in dirac.UPDATES)


def test_building_block_outcomes():
    plain, normed = weights.run_init("std1", "sigmoid"), weights.run_init("std1", "sigmoid", batchnorm=True)
    assert min(layer["saturated"] for layer in plain.layers()) > 0.5  # most neurons on a flat part
    assert max(layer["saturated"] for layer in normed.layers()) < 0.05  # BatchNorm spreads them again
    relu = activations.dead_neuron("relu", -2.0, steps=300, lr=0.5, slope=0.1)
    leaky = activations.dead_neuron("leaky_relu", -2.0, steps=300, lr=0.5, slope=0.1)
    assert relu.loss[-1] == relu.loss[0] and leaky.loss[-1] < 0.01 * leaky.loss[0]
    assert convt.coverage_summary(3, 2)["ratio_1d"] == 2 and convt.coverage_summary(4, 2)["ratio_1d"] == 1


def test_explore_numbers_are_the_shipped_checkpoints_measures(lang):
    info = evaluated("infogan-mnist")
    text = lesson_text("infogan", lang)
    assert f"ρ = {info['c2_rho_slant']:.2f}" in text and f"{info['category_accuracy']:.1%}" in text
    assert f"ρ = {info['c3_rho_width']:.2f}".replace("-", "−") in text
    cgan, acgan = evaluated("cgan-mnist"), evaluated("acgan-mnist")
    text = lesson_text("conditional", lang)
    assert f"{cgan['conditional_accuracy']:.1%}" in text
    for value in (acgan["within_class_diversity"], cgan["within_class_diversity"], cgan["real_within_class_diversity"]):
        assert f"{value:.1f}" in text
    t2d = evaluated("text2digit-mnist")
    text = lesson_text("text2digit", lang)
    assert t2d["width_control"] == 1.0
    quotes(text, f"{t2d['digit_accuracy']:.1%}", f"{t2d['width_pairs']}")
    assert lang == "ko" or f"{t2d['width_pairs']} of {t2d['width_pairs']}" in text


def test_image_to_image_numbers(lang):
    text, full, alone = lesson_text("img2img", lang), evaluated("pix2pix-mnist"), evaluated("pix2pix-mnist-l1")
    assert round(full["l1_to_target"], 3) == round(alone["l1_to_target"], 3) == 0.042
    sr = evaluated("srgan-mnist")
    quotes(
        text,
        "L1 0.042",
        f"{alone['fd_to_targets']:.1f}",
        f"{full['fd_to_targets']:.1f}",
        f"{alone['fd_to_targets'] / full['fd_to_targets']:.1f}×",
        f"PSNR {sr['srresnet_psnr']:.1f} dB",
        f"SRGAN {sr['srgan_psnr']:.1f}" if lang == "ko" else f"SRGAN's {sr['srgan_psnr']:.1f}",
        f"{sr['srgan_fd']:.1f}",
        f"{sr['srresnet_fd']:.1f}",
        f"{sr['srgan_accuracy']:.1%}",
        f"{sr['srresnet_accuracy']:.1%}",
    )
    if lang == "en":  # the English sentences, word for word
        assert "L1 0.042 each" in text and f"{alone['fd_to_targets']:.1f} against {full['fd_to_targets']:.1f}" in text
        assert f"put them {sr['srgan_fd']:.1f} from the originals against {sr['srresnet_fd']:.1f}" in text


def test_truncation_numbers_of_the_conditional_lesson(lang):
    from gancore.explore import conditional
    from gancore.io import checkpoints

    ck = checkpoints.load(ROOT / "checkpoints" / "cgan-mnist.safetensors")
    g = checkpoints.generator(ck).eval()
    with torch.inference_mode():
        wide, narrow = (conditional.column(g, None, ck.model_cfg, "mnist", 7, 64, 0, psi=p).diversity for p in (1.0, 0.3))
    real = conditional.real_diversity("mnist", 7)
    text = lesson_text("conditional", lang)
    quotes(text, f"{wide:.1f}", f"{narrow:.1f}", f"{real:.1f}")
    assert lang == "ko" or (f"from {wide:.1f} to {narrow:.1f}" in text and f"real 7s: {real:.1f}" in text)


def test_a_straight_line_between_two_normal_z_is_shorter_in_the_middle(lang):
    from gancore.base import latent

    gen = torch.Generator().manual_seed(0)
    a, b = torch.randn(200, 100, generator=gen), torch.randn(200, 100, generator=gen)
    ratio = (latent.lerp(a, b, 0.5).norm(dim=1) / a.norm(dim=1)).mean().item()
    kept = (latent.slerp(a, b, 0.5).norm(dim=1) / a.norm(dim=1)).mean().item()
    assert round(ratio, 2) == 0.71 and kept == pytest.approx(1.0, abs=0.03)
    assert "0.71" in lesson_text("latent", lang)


@pytest.mark.usefixtures("app_env")  # the app's registry (and its reaper thread) is shut down after
@pytest.mark.parametrize("key", [lesson.key for lesson in course.PATH])
def test_every_lessons_try_this_opens_expanded(key):
    """A student meets the three experiments first, on every page (the Training Lab's was the one
    collapsed, and went unread)."""
    from tests.test_app_explore import page

    at = page(course.BY_KEY[key].path.removeprefix("pages/").removesuffix(".py"))
    tries = [e for e in at.expander if e.label.startswith("🧪 Try this")]
    assert len(tries) == 1 and tries[0].proto.expanded
