"""The app as a course: the order of the pages, the question each answers, three experiments to
try on it (each with what should happen) and what to conclude — in the app's own words.

The home page draws the path from :data:`PATH`; every page on it calls :func:`try_this` near its
top and :func:`conclude` at its end (the conclusion box and the link to the next step). Numbers
quoted here are measured: ``tests/test_course.py`` recomputes each one from ``gancore`` or the
shipped checkpoints' ``.eval.json``.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from gancore.base.i18n import N_, _


@dataclass(frozen=True)
class Lesson:
    """One step of the course: a page, its question, three experiments and the take-away."""

    key: str
    path: str  # the page's script, for st.page_link
    icon: str
    title: str
    question: str
    minutes: int  # about how long the three experiments take
    tries: tuple[tuple[str, str], ...]  # (what to do, what you should see)
    conclude: str


PATH: tuple[Lesson, ...] = (
    Lesson(
        "toy2d", "pages/toy2d.py", "🎯", N_("2D toy GAN lab"),
        N_("What does each player actually do in one step?"), 10,
        (
            (N_("Press **▶ Start** on d2l's Gaussian and let it run for a few seconds."),
             N_("G's orange points drift onto the blue data and its purple lattice stretches to the data's tilted shape; the heatmap fades towards one colour as D runs out of ways to tell them apart.")),
            (N_("**Pause** (⏸), switch on 🐢 Slow motion, then press **D** (Step D) a few times and **G** (Step G) once."),
             N_("Step D only reshapes the heatmap (the points stay put); Step G only moves the points, along the arrows.")),
            (N_("Pick the **Ring of 8** and press **Make it collapse**, then Start."),
             N_("G's points pile onto 3 or fewer of the 8 bumps; the same ring with PacGAN's recipe keeps all 8.")),
        ),
        N_("A GAN step is two separate moves: D redraws its belief of where the data is, then G walks its points uphill on that belief. Neither player sees the data's shape directly — G only ever follows D's slope — so nothing forces G to cover every bump: a G that cannot or does not split its noise between them piles its points onto a few, and D's verdict there is all it learns from. That is mode collapse."),
    ),
    Lesson(
        "theory", "pages/theory.py", "📐", N_("GAN theory"),
        N_("Against a perfect D, what is G minimising — and why not use the paper's loss?"), 10,
        (
            (N_("On **D\\* and JSD**, slide t all the way to 1."),
             N_("JSD falls to 0 and V(D\\*, G) to −log 4 ≈ −1.386: the equilibrium, where D\\* = ½ everywhere.")),
            (N_("On **G's two losses**, set D(G(z)) to 0.001."),
             N_("The saturating loss passes back a gradient of 0.001, the non-saturating one 0.999 — 999× more, exactly when G is worst.")),
            (N_("On **Why training circles**, compare *simultaneous* with *alternating* updates, then add the gradient penalty."), N_("Simultaneous steps spiral out to about 3.1; alternating ones circle at about 1.41; the penalty brings both home to (0, 0).")),
        ),
        N_("With the best D for every G, training G means lowering the Jensen–Shannon divergence to the data, and the game's value is −log 4 at the equilibrium. But G uses −log D(G(z)) instead of the minimax loss because the latter has no slope where G starts. And even the right losses can circle around the equilibrium instead of reaching it: the step rule matters."),
    ),
    Lesson(
        "blocks", "pages/blocks.py", "🧱", N_("Building blocks"),
        N_("Which pieces of G and D keep the gradients alive?"), 8,
        (
            (N_("On **Initialisation**, choose N(0, 1) weights with sigmoid."),
             N_("Every layer piles its activations at 0 and 1 — most neurons sit on a flat part and pass back almost nothing; switch BatchNorm on and they spread out again.")),
            (N_("On **Activations**, leave the starting bias at −2 and look at the neuron race."),
             N_("The ReLU neuron never moves (its loss stays where it started); the LeakyReLU one climbs back and learns.")),
            (N_("On **Transposed convolution**, set kernel 3 and stride 2, then kernel 4 and stride 2."),
             N_("Kernel 3 stamps some output pixels twice and others once (the checkerboard); kernel 4, a multiple of the stride, covers every pixel evenly.")),
        ),
        N_("Training a GAN is passing gradients through two deep networks, and most of the course's recipe exists to keep them flowing: a scale-aware initialisation, BatchNorm, LeakyReLU in D, and kernels divisible by the stride in G."),
    ),
    Lesson(
        "train", "pages/train.py", "🏋️", N_("Training Lab"),
        N_("Why do the losses stop moving while the pictures keep getting better?"), 15,
        (
            (N_("Start the default preset (the Keras MLP on MNIST) and watch both curves and the samples for a minute."),
             N_("Within the first 200 steps G's loss falls to about 1 and D's climbs to about 1.2; then both stay level while the blobs keep turning into digits: each loss measures a player against the *current* opponent, not against the data.")),
            (N_("Start a run from the theory page's **saturating loss** link (or pick *minimax* under GAN hacks)."),
             N_("D(G(z)) stays near 0 for the first hundreds of steps and the samples stay noise longer.")),
            (N_("While a run trains, set **D steps per G step** to 5 in the live hacks."),
             N_("D's loss falls towards 0 and G's climbs: a D that wins too easily leaves G a flat, useless slope.")),
        ),
        N_("A GAN's losses are not a progress bar: they tell you who is winning the game right now. To judge G, look at its samples and at the class histogram under them (all ten digits, in near-equal bars), and keep the two players in balance."),
    ),
    Lesson(
        "infogan", "pages/infogan.py", "🎛️", N_("InfoGAN codes"),
        N_("Can a GAN discover digit, slant and width without labels?"), 6,
        (
            (N_("Move **c2** from −2 to 2."),
             N_("The digit leans from left to right: the shipped model's c2 follows the measured slant with ρ = 0.96.")),
            (N_("Step the **category c1** through its 10 values."),
             N_("Each value draws a different digit: the categories match digits on 99.9% of samples, though no label was ever shown.")),
            (N_("Move **c3** instead."), N_("The stroke gets thinner or thicker only weakly (ρ = −0.42 with width): not every code finds a clean meaning.")),
        ),
        N_("By making G's output predictable from a few codes (maximising their mutual information), InfoGAN turns them into the data's strongest factors of variation — here digit and slant — without any labels. Which factor a code picks is up to training, and some codes stay muddled."),
    ),
    Lesson(
        "latent", "pages/latent.py", "🧭", N_("Latent space"),
        N_("Is z a map of meanings — and is G just copying its training set?"), 8,
        (
            (N_("Walk between two candidates with **lerp**, then with **slerp**."),
             N_("With z from a normal, the straight line's middle is about 0.71 times as long as its ends — a z G rarely saw — while slerp keeps the length.")),
            (N_("In **Vector arithmetic**, press **Choose the groups by slant**."),
             N_("A − B + C leans further right than C's own samples: slant is a direction in z.")),
            (N_("In **Memorisation check**, compare a sample with its nearest training images."),
             N_("The nearest ones are other drawings of the digit, not copies: G learned to draw, it did not store.")),
        ),
        N_("G maps nearby z to similar pictures, and some directions in z mean something (slant, thickness), so meanings can be added and subtracted. A good walk stays where z was sampled. And a G whose samples are not near-copies of training images has learned the data, not memorised it."),
    ),
    Lesson(
        "conditional", "pages/conditional.py", "🏷️", N_("Conditional GAN"),
        N_("How do you ask a GAN for a class, and what does naming it cost?"), 8,
        (
            (N_("Pick a class and re-roll z a few times."),
             N_("Every sample is that class: our classifier agrees with the asked class on 97.8% of cgan-mnist's samples.")),
            (N_("Set the **truncation ψ** to 0.3."),
             N_("Samples get cleaner and more alike: for 7s the variety falls from 20.7 to 8.7 (real 7s: 26.1).")),
            (N_("Compare **CGAN with ACGAN** on one class."),
             N_("ACGAN's samples look alike (variety 9.9 against CGAN's 22.1 and real data's 22.5): its extra 'name the class' loss rewards the easiest example of each class.")),
        ),
        N_("Feeding the label to both players turns one GAN into ten, and z then only carries style. Asking D to also name the class (ACGAN) makes the classes unmistakable but costs variety; truncating z trades variety for clean samples too — a trade you can now see and measure."),
    ),
    Lesson(
        "text2digit", "pages/text2digit.py", "✍️", N_("Text to digit"),
        N_("Can a sentence steer what G draws?"), 6,
        (
            (N_("Type “a thick 7 leaning right”."),
             N_("Thick sevens leaning right: the classifier reads the asked digit in 98.4% of samples.")),
            (N_("Change *thick* to *thin* and keep z."),
             N_("The same sevens, thinner: in 900 of 900 measured sentence pairs the ink moved the asked way.")),
            (N_("Walk **from one sentence to another**."),
             N_("The pictures morph through in-between digits: sentences live in a smooth space too.")),
        ),
        N_("A sentence is just another condition: encode it, give it to both players, and G learns to draw what it says (GAN-CLS). Words for style (thick, leaning) work as well as words for content, because D judges whether picture and sentence match."),
    ),
    Lesson(
        "img2img", "pages/img2img.py", "🔁", N_("Image to image"),
        N_("What does D add that a plain distance to the target cannot?"), 8,
        (
            (N_("Step through a few **test images** and compare pix2pix with the model **trained on L1 alone**."),
             N_("Per pixel both are as close to the real digit (L1 0.042 each), but L1 alone's strokes are softer: the classifier's features put its digits 2.5× further from the real ones (Fréchet distance 4.6 against 1.8).")),
            (N_("Pick **Draw** and draw the outline of a 0: an oval inside an oval."),
             N_("G fills the ring between your lines with ink: a 0 in MNIST's style, from a drawing it never saw.")),
            (N_("Pick **srgan-mnist** in the Model box and step through a few test images."),
             N_("SRResNet, trained on pixel MSE, is the closest pixel by pixel (PSNR 20.1 dB against SRGAN's 18.9) and draws soft strokes; SRGAN's look like real digits: the classifier's features put them 6.7 from the originals against 51.0, and it reads the right digit in 95.8% of them against 94.4%.")),
        ),
        N_("A GAN can be conditioned on a whole picture. The L1 term alone gets the shape right, but where the input leaves something open (how thick, how bright, a shoe's shading) it paints the average of every answer: close on average, softer than any real picture. D, judging (input, output) pairs patch by patch, is what makes the strokes crisp — in pix2pix and in SRGAN alike, where the best PSNR belongs to the blurriest network. With no z, G gives one answer per input: pix2pix's dropout barely moves it. Without pairs (CycleGAN), the cycle is what ties an output to its input: enough to thicken a stroke, not to turn a digit — a round trip can close while the translation is wrong."),
    ),
)  # fmt: skip
# The shipped checkpoint whose samples the home page shows beside a lesson, where one fits.
SHOWCASE: dict[str, str] = {
    "train": "mlp-mnist",
    "infogan": "infogan-mnist",
    "latent": "dcgan-mnist",
    "conditional": "cgan-mnist",
    "text2digit": "text2digit-mnist",
    "img2img": "pix2pix-mnist",
}
BY_KEY = {lesson.key: lesson for lesson in PATH}


def next_of(key: str) -> Lesson | None:
    """The step after ``key`` on the path, or None at its end."""
    keys = [lesson.key for lesson in PATH]
    i = keys.index(key)
    return PATH[i + 1] if i + 1 < len(PATH) else None


def try_this(key: str) -> None:
    """The page's three experiments, each with what should happen: open, on every page, since a
    student meets it first (a collapsed one on the Training Lab went unread)."""
    lesson = BY_KEY[key]
    with st.expander(_("🧪 Try this — {question}").format(question=_(lesson.question)), expanded=True):
        st.markdown("\n".join(f"{i}. {_(do)} → *{_(see)}*" for i, (do, see) in enumerate(lesson.tries, 1)))


def conclude(key: str) -> None:
    """The page's take-away and the link to the next step of the course."""
    lesson = BY_KEY[key]
    st.divider()
    st.success(_("**What to conclude.** {conclude}").format(conclude=_(lesson.conclude)), icon="🎓")
    after = next_of(key)
    step = [x.key for x in PATH].index(key) + 1
    if after is None:
        st.caption(
            _("Step {step} of {n_steps}: the end of the course path. The Training Lab trains every model you met.").format(
                step=step, n_steps=len(PATH)
            )
        )
        link("pages/home.py", _("Back to the course path"), "🏠")
        return
    st.caption(
        _("Step {step} of {n_steps} of the course. Next: {question}").format(step=step, n_steps=len(PATH), question=_(after.question))
    )
    link(after.path, _("Next: {title}").format(title=_(after.title)), "➡️")


def link(path: str, label: str, icon: str) -> None:
    """A page link; a plain one when the page runs outside the app's navigation (a test of one page)."""
    try:
        st.page_link(path, label=label, icon=icon)
    except StreamlitPageNotFoundError:
        st.markdown(f"{icon} {label}")
