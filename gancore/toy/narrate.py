"""Slow motion for the toy lab: what one discriminator or generator update just did, in words.

Late in a run one update moves D's values and G's points by a few thousandths: three decimals
read "0.499 → 0.499" and "moved 0.0000". So every change is printed with as many digits as it
takes to show it (:func:`change`), D's change is also measured over the whole plane (the
heatmap's largest change), and a change too small to see in the picture is said to be so.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from gancore.base.i18n import _, ngettext

VISIBLE = 0.01  # a change of D below this does not show on the heatmap's colour scale


@torch.no_grad()
def probe(d: nn.Module, real: torch.Tensor, fake: torch.Tensor, n: int = 24) -> dict:
    """D's mean belief on real and on generated points, where the generated points are, and D on
    an ``n`` x ``n`` grid over both point sets (what the heatmap shows)."""
    both = torch.cat([real, fake])
    lo, hi = both.min(0).values, both.max(0).values
    xs, ys = (torch.linspace(float(lo[i]), float(hi[i]), n) for i in (0, 1))
    grid = torch.stack(torch.meshgrid(xs, ys, indexing="xy"), -1).reshape(-1, 2)  # (n*n, 2)
    return {
        "d_real": float(torch.sigmoid(d.score_points(real)).mean()),
        "d_fake": float(torch.sigmoid(d.score_points(fake)).mean()),
        "fake": fake.clone(),
        "d_grid": torch.sigmoid(d.score_points(grid)),
    }


def digits(delta: float) -> int:
    """Decimals that show a change of ``delta``: 3 down to 0.001, then one more per tenfold, up to 6."""
    return 3 if abs(delta) >= 0.001 or delta == 0 else min(6, -math.floor(math.log10(abs(delta))))


def change(name: str, a: float, b: float) -> str:
    """'name 0.4991 → 0.4983 (−0.0008)': both values with the digits their difference needs."""
    k = digits(b - a)
    return f"{name} {a:.{k}f} → {b:.{k}f} ({b - a:+.{k}f})"


def narrate(mode: str, before: dict, after: dict, batch: int, d_steps: int = 1) -> str:
    """One paragraph on an update: 'd' (D only), 'g' (G only) or 'both'."""
    moved = float((after["fake"] - before["fake"]).norm(dim=1).mean())
    shown = f"{moved:.{digits(moved)}f}"
    dr, df = change("D(real)", before["d_real"], after["d_real"]), change("D(fake)", before["d_fake"], after["d_fake"])
    plane = float((after["d_grid"] - before["d_grid"]).abs().max()) if "d_grid" in before and "d_grid" in after else 0.0
    up_to = f"{plane:.{digits(plane)}f}"
    if plane < VISIBLE:
        heat = _(
            "the heatmap changed by up to {up_to}, too little to see in its colours this late in training: the numbers are the picture now"
        ).format(up_to=up_to)
    else:
        heat = _("the heatmap changed by up to {up_to}").format(up_to=up_to)
    if mode == "d":
        gap_before, gap_after = before["d_real"] - before["d_fake"], after["d_real"] - after["d_fake"]
        verdict = (
            _("D now separates them better")
            if gap_after > gap_before
            else _("yet on the points shown here D separates them no better: one step on a small, random batch is noisy")
        )
        return _(
            "**Discriminator step.** D saw {batch} real and {batch} generated points and took one gradient step to "
            "score real higher and fake lower: {dr}, {df} — {verdict}. G did not change, so the generated points "
            "stayed put. On the plane, D rises where real points are and sinks where fakes are: {heat}."
        ).format(batch=batch, dr=dr, df=df, verdict=verdict, heat=heat)
    if mode == "g":
        return _(
            "**Generator step.** D is frozen; G's weights moved so that its points follow the arrows towards "
            "where D says 'real'. They moved {shown} on average, and {df}. The real points' score does not "
            "change ({dr}) — a G step can only fool D, never teach it."
        ).format(shown=shown, df=df, dr=dr)
    return ngettext(
        "**Full step** ({d_steps} D update, then one G update): {dr}, {df}; the generated points moved {shown} on average, and {heat}.",
        "**Full step** ({d_steps} D updates, then one G update): {dr}, {df}; the generated points moved {shown} on average, and {heat}.",
        d_steps,
    ).format(d_steps=d_steps, dr=dr, df=df, shown=shown, heat=heat)
