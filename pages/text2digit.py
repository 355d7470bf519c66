"""Text to digit: type a sentence, see the digits G draws for it; walk from one sentence to another."""

import numpy as np
import streamlit as st

from gancore.base.errors import TextError
from gancore.base.i18n import LANGUAGES, _, current_language
from gancore.data import captions
from gancore.explore import sampling, textprompt
from ui.common import course, display, pictures
from ui.explore import model_picker

st.title(_("✍️ Text to digit"))
st.markdown(
    _(
        "A label can only say *which* digit. A sentence can say more: **“a thick 7 leaning right”**. Reed et al. (2016) drew birds and flowers from sentences with G(z, φ(t)), φ(t) being the sentence's embedding; this is the same idea at MNIST scale. Every training digit got sentences made from its label and its measured slant and stroke weight; D learned to reject a real digit paired with *someone else's* sentence (the matching-aware D, GAN-CLS), and G also trained on halfway mixes of two sentences (GAN-INT), so it can draw between them."
    )
)
course.try_this("text2digit")
src = model_picker.pick("text", ("text2digit",), default="text2digit-mnist")
g = model_picker.generator(src)


def reroll() -> None:
    st.session_state["text.seed"] = st.session_state.get("text.seed", 0) + 1


c1, c2, c3, c4 = st.columns([4, 2, 2, 1], vertical_alignment="bottom")
sentence = c1.text_input(_("Ask for a digit"), "a thick 7 leaning right", max_chars=200, key="text.sentence")
n = c2.slider(_("Samples"), 4, 24, 12, step=4, key="text.n")
seed = c3.number_input(_("Noise seed (z)"), 0, 1_000_000, 0, key="text.seed")
c4.button("🎲", on_click=reroll, key="text.reroll", help=_("Re-roll z"), width="stretch")
if current_language() != LANGUAGES[0]:  # the model's vocabulary is English: say so in the reader's language
    st.caption(_("The model learned from English sentences: write the digit, its stroke and its slant in English words."))
psi = display.truncation_slider("text.psi", _("the drawings grow more alike and more typical of the sentence."))

try:
    inputs, known, ignored = textprompt.sentence_inputs(src.cfg, sentence, n, int(seed), src.hacks.z_dist, psi)
except TextError as exc:
    st.warning(_("I cannot read that: {exc}").format(exc=exc), icon="✍️")
else:
    images = sampling.render(g, inputs["z"], inputs["y"])
    drawn = pictures.png(pictures.grid(images, cols=min(n, 12), scale=3))
    st.image(drawn, caption=_("{n} drawings of “{sentence}”, each with its own z").format(n=n, sentence=sentence))
    st.download_button(_("Download these drawings (PNG)"), drawn, "text-to-digit.png", "image/png", key="text.png")
    read = " ".join(f"**{w}**" if w not in captions.FILLER else w for w in known)
    st.caption(_("Read: {read}").format(read=read) + (_(" · ignored (unknown): {join}").format(join=", ".join(ignored)) if ignored else ""))
    named = captions.digits_named(known)
    if not named:
        st.info(_("No digit named, so G picks one: add a digit (7 or seven) to choose it."), icon="🔢")
    elif len(named) > 1:
        st.info(_("Several digits named ({join}): G mixes them, as GAN-INT taught it.").format(join=", ".join(map(str, named))), icon="🔀")
    else:
        votes = sampling.class_votes(g, src.cfg, src.dataset, inputs["z"], inputs["y"])
        if votes is not None:
            st.metric(
                _("Classifier sees a {value}").format(value=named[0]),
                f"{float(np.mean(votes == named[0])):.0%}",
                help=_("The project's own classifier, on these exact drawings"),
            )

with st.expander(_("The words it knows")):
    for group, words in captions.word_groups().items():
        st.markdown(f"**{_(group)}**: " + ", ".join(words))
    st.caption(
        _(
            "Slant and stroke weight are relative to the digit: “leaning left” is the third of each digit's training images that lean furthest left, “thick” the third with the most ink. Word order is not read."
        )
    )

st.subheader(_("From one sentence to another"))
st.markdown(_("One z; the sentence's embedding moves in even steps from the first to the second — the interpolation GAN-INT trained on."))
c1, c2, c3 = st.columns([3, 3, 2])
first = c1.text_input(_("From"), "a thin 1 leaning left", max_chars=200, key="text.from")
second = c2.text_input(_("To"), "a thick 1 leaning right", max_chars=200, key="text.to")
steps = c3.slider(_("Steps"), 3, 12, 8, key="text.steps")
try:
    strip = textprompt.sentence_strip(src.cfg, first, second, steps, int(seed), src.hacks.z_dist)
except TextError as exc:
    st.warning(_("I cannot read one of them: {exc}").format(exc=exc), icon="✍️")
else:
    frames = sampling.render(g, strip["z"], strip["y"])
    st.image(
        pictures.png(pictures.grid(frames, cols=steps, scale=3)),
        caption=_("“{first}” → “{second}” (noise seed {seed})").format(first=first, second=second, seed=int(seed)),
    )
    ts = [f"t = {i / (steps - 1):.2f}" for i in range(steps)]
    st.download_button(
        _("Download the strip as a GIF (t in each frame)"), lambda: pictures.gif(frames, labels=ts), "sentence-to-sentence.gif", "image/gif",
        key="text.gif", on_click="ignore",
    )  # fmt: skip
course.conclude("text2digit")
