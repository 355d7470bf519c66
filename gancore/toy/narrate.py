"""Slow motion for the toy lab: what one discriminator or generator update just did, in words."""

from __future__ import annotations

import torch
from torch import nn


@torch.no_grad()
def probe(d: nn.Module, real: torch.Tensor, fake: torch.Tensor) -> dict:
    """D's mean belief on real and on generated points, and where the generated points are."""
    return {
        "d_real": float(torch.sigmoid(d.score_points(real)).mean()),
        "d_fake": float(torch.sigmoid(d.score_points(fake)).mean()),
        "fake": fake.clone(),
    }


def narrate(mode: str, before: dict, after: dict, batch: int, d_steps: int = 1) -> str:
    """One paragraph on an update: 'd' (D only), 'g' (G only) or 'both'."""
    moved = float((after["fake"] - before["fake"]).norm(dim=1).mean())
    dr = f"D(real) {before['d_real']:.3f} → {after['d_real']:.3f}"
    df = f"D(fake) {before['d_fake']:.3f} → {after['d_fake']:.3f}"
    if mode == "d":
        gap_before, gap_after = before["d_real"] - before["d_fake"], after["d_real"] - after["d_fake"]
        verdict = (
            "D now separates them better"
            if gap_after > gap_before
            else "yet on the points shown here D separates them no better: one step on a small, random batch is noisy"
        )
        return (
            f"**Discriminator step.** D saw {batch} real and {batch} generated points and took one gradient step to "
            f"score real higher and fake lower: {dr}, {df} — {verdict}. G did not change, so the generated points "
            f"stayed put (moved {moved:.4f}). On the heatmap, D rises where real points are and sinks where fakes are."
        )
    if mode == "g":
        return (
            f"**Generator step.** D is frozen; G's weights moved so that its points follow the arrows towards "
            f"where D says 'real'. They moved {moved:.4f} on average, and {df}. The real points' score does not "
            f"change ({dr}) — a G step can only fool D, never teach it."
        )
    return (
        f"**Full step** ({d_steps} D update{'s' if d_steps > 1 else ''}, then one G update): {dr}, {df}; "
        f"the generated points moved {moved:.4f} on average."
    )
