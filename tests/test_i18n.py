"""Korean and English: the catalogue is complete and keeps every placeholder and number, the
language follows the URL, the switch, the cookie's session and the server's default, messages
made in a training process are shown in each reader's language, the CLI follows LANG, and every
page of the app speaks Korean when asked (and English otherwise)."""

import pickle
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from gancore.base import i18n
from gancore.base.i18n import _, in_language, ngettext, phrase, shown, use_language

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locales" / "ko" / "LC_MESSAGES" / "messages.po"
HANGUL = re.compile("[\uac00-\ud7a3]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:×|%)?")
PAGES = ["home", "toy2d", "theory", "blocks", "train", "classroom", "infogan", "latent", "conditional", "text2digit", "img2img"]


def placeholders(text: str) -> list[str]:
    return sorted(name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None)


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="ko")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """What `bash scripts/i18n.sh` would extract from the code now."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    cmd = [sys.executable, "-c", "from babel.messages.frontend import main; main()", "extract", "-F", "babel.cfg", "-k", "phrase"]
    subprocess.run([*cmd, "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


def strings(message) -> tuple[str, str]:
    ident = message.id if isinstance(message.id, str) else message.id[0]
    text = message.string if isinstance(message.string, str) else message.string[0]
    return ident, text


# ----------------------------------------------------------------------------- the catalogue


def test_every_message_in_the_code_is_in_the_catalogue_translated_and_none_is_fuzzy(catalogue, extracted):
    have = {strings(m)[0]: m for m in catalogue if m.id}
    missing = sorted(extracted - set(have))
    assert not missing, f"run bash scripts/i18n.sh and translate: {missing[:10]}"
    untranslated = [i for i in extracted if not strings(have[i])[1]]
    fuzzy = [i for i in extracted if have[i].fuzzy]
    assert not untranslated and not fuzzy, (untranslated[:10], fuzzy[:10])
    assert len(extracted) > 1000  # every page, gancore's errors and the CLI


def test_every_translation_keeps_its_placeholders_and_numbers(catalogue):
    for message in catalogue:
        if not message.id:
            continue
        ident, text = strings(message)
        assert placeholders(text) == placeholders(ident), ident
        bare = re.sub(r"\{[^{}]*\}", "", ident), re.sub(r"\{[^{}]*\}", "", text)
        assert [n for n in NUMBER.findall(bare[0]) if n not in NUMBER.findall(bare[1])] == [], ident


def test_the_korean_catalogue_uses_the_lectures_terms(catalogue):
    """docs/glossary.md's terms, as the translations use them."""
    ko = {strings(m)[0]: strings(m)[1] for m in catalogue if m.id}
    assert ko["Mode collapse"] == "모드 붕괴" and ko["Latent space"] == "잠재 공간" and ko["Transposed convolution"] == "전치 합성곱"
    assert (
        "생성자"
        in ko[
            "A generator and a discriminator are ordinary networks: layers, activations, normalisation. Whether they can learn at all depends on these small choices, and GANs are less forgiving of them than most networks."
        ]
    )
    assert "판별자" in ko["Step D: one discriminator update (paused runs)"] and ko["BatchNorm"] == "배치 정규화"
    glossary = (ROOT / "docs" / "glossary.md").read_text()
    for term in ("생성자", "판별자", "손실", "배치 정규화", "전치 합성곱", "잠재 공간", "모드 붕괴"):
        assert term in glossary


# ----------------------------------------------------------------------------- choosing a language


def test_language_names_normalise_and_the_default_comes_from_the_environment(monkeypatch):
    assert i18n.normalise("ko_KR.UTF-8") == "ko" and i18n.normalise("KO") == "ko" and i18n.normalise("fr") is None
    monkeypatch.delenv("GAN_EXPLORER_LANG", raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert i18n.default_language() == "en" and i18n.default_language(follow_locale=True) == "ko"
    monkeypatch.setenv("GAN_EXPLORER_LANG", "ko")
    assert i18n.default_language() == "ko"


def test_use_language_speaks_inside_its_block_only():
    with use_language("ko"):
        assert _("Latent space") == "잠재 공간"
        full_step = (
            "**Full step** ({d_steps} D update, then one G update): {dr}, {df}; the generated points moved {shown} on average, and {heat}."
        )
        assert ngettext(full_step, full_step.replace("D update,", "D updates,"), 3).startswith("**전체 스텝**")
    with use_language("en"):
        assert _("Latent space") == "Latent space"
    assert in_language("ko", "Training Lab") == "학습 실험실" and in_language("en", "Training Lab") == "Training Lab"


def test_a_phrase_made_in_one_language_is_shown_in_the_readers_and_survives_pickling():
    with use_language("en"):
        made = phrase("Finished: {steps:,} steps.", steps=1200)  # as a training process would
    assert made == "Finished: 1,200 steps."
    carried = pickle.loads(pickle.dumps(made))  # the trip from a worker to the page
    with use_language("ko"):
        assert shown(carried) == "완료: 1,200 스텝."
        nested = phrase("{name} became NaN", name=phrase("D's loss"))
        assert shown(pickle.loads(pickle.dumps(nested))) == "D의 손실이(가) NaN이 되었습니다"
        assert shown("Paused.") == "일시정지됨." and shown("my-run-7") == "my-run-7"  # a plain label stays as it is


def test_status_words_and_refusals_are_translated():
    from gancore.runs.snapshot import Status

    with use_language("ko"):
        assert Status.PAUSED.words == "일시정지" and Status.RUNNING.words == "학습 중"
    with use_language("en"):
        assert Status.PAUSED.words == "paused"


def test_the_cli_follows_lang_and_gan_explorer_lang(monkeypatch, capsys):
    from gancore.cli.main import main

    for name in ("GAN_EXPLORER_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert main(["sample", "shipped-name-that-is-not-there", "--n", "3", "--out", "x"]) == 2
    korean = capsys.readouterr().err
    monkeypatch.setenv("GAN_EXPLORER_LANG", "en")  # the app's own setting wins over the shell's
    assert main(["sample", "shipped-name-that-is-not-there", "--n", "3", "--out", "x"]) == 2
    english = capsys.readouterr().err
    assert korean.startswith("오류:") and HANGUL.search(korean) and "Traceback" not in korean, korean
    assert english.startswith("error:") and not HANGUL.search(english), english
    assert i18n.current_language() == i18n.default_language()  # the CLI's language ended with main()


# ----------------------------------------------------------------------------- every page, both languages


def visible_texts(at) -> list[str]:
    """The text of each element a reader sees: titles, paragraphs, captions, alerts, buttons,
    expanders, metrics, tabs and widgets' labels (two letters at least: an icon is not text)."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out += [e.value for e in getattr(at, kind)]
    for kind in ("button", "expander", "metric", "selectbox", "radio", "slider", "select_slider", "checkbox", "toggle",
                 "text_input", "number_input", "multiselect", "tabs"):  # fmt: skip
        out += [e.label for e in getattr(at, kind)]
    return [t for t in out if isinstance(t, str) and len(re.findall(r"[^\W\d_]", t)) >= 2]


def app_page(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page != "home":
        at.switch_page(f"pages/{page}.py").run()
    return at


@pytest.mark.usefixtures("app_env")
@pytest.mark.parametrize("page", PAGES)
def test_every_page_speaks_korean_with_lang_ko_and_english_without(page, monkeypatch):
    monkeypatch.setenv("GAN_EXPLORER_LANG", "ko")
    at = app_page(page)
    assert not at.exception, at.exception
    texts = visible_texts(at)
    korean = [t for t in texts if HANGUL.search(t)]
    assert len(korean) >= 0.9 * len(texts), [t for t in texts if not HANGUL.search(t)]
    monkeypatch.delenv("GAN_EXPLORER_LANG")
    at = app_page(page)
    assert not at.exception and visible_texts(at)
    assert [t for t in visible_texts(at) if HANGUL.search(t)] == []


@pytest.mark.usefixtures("app_env")
def test_the_switch_changes_the_language_in_place_and_a_link_with_lang_ko_opens_in_korean(monkeypatch):
    monkeypatch.delenv("GAN_EXPLORER_LANG", raising=False)
    at = app_page("home")
    assert at.title[0].value == "🎨 GAN Explorer" and not HANGUL.search(at.markdown[0].value)
    at.radio(key="lang.switch").set_value("ko").run()
    assert HANGUL.search(at.markdown[0].value) and at.query_params["lang"] in ("ko", ["ko"])
    at.switch_page("pages/train.py").run()  # kept across pages (the session remembers)
    assert at.title[0].value == "🏋️ 학습 실험실"
    # back to English by the URL (AppTest's tree drops the sidebar on a rerun, and its harness cannot
    # re-read a menu whose labels changed language; a browser resets such a menu to its default)
    assert app_page("train", {"lang": "en"}).title[0].value == "🏋️ Training Lab"
    linked = app_page("home", {"lang": "ko"})  # a teacher's link
    assert HANGUL.search(linked.markdown[0].value) and linked.radio(key="lang.switch").value == "ko"
    odd = app_page("home", {"lang": "<b>xx</b>"})  # not offered: English, and the parameter is dropped
    assert not odd.exception and "lang" not in odd.query_params
