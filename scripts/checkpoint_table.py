"""Print checkpoints/README.md: every shipped checkpoint's metrics beside real data's values."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "checkpoints"
COLS = [
    ("classifier_score", "score"),
    ("classes_covered", "classes"),
    ("histogram_kl", "hist. KL"),
    ("frechet_distance", "FD"),
    ("conditional_accuracy", "cond. acc."),
    ("category_accuracy", "cat. acc."),
    ("information_nats", "info (nats)"),
    ("nn_distance_mean", "NN dist."),
]


TARGETS = {  # the metrics issue's targets, checked against each checkpoint's measured values
    "mlp-mnist": [("classifier_score", ">=", 8.0), ("classes_covered", ">=", 10)],
    "dcgan-mnist": [("classifier_score", ">=", 9.0), ("classes_covered", ">=", 10), ("histogram_kl", "<=", 0.05)],
    "cgan-mnist": [("conditional_accuracy", ">=", 0.97)],
    "infogan-mnist": [
        ("category_accuracy", ">=", 0.95),
        ("information_nats", ">=", 2.2),
        ("max_rho_slant", ">=", 0.9),
        ("max_rho_width", ">=", 0.9),
    ],
    "dcgan-fashion": [("classes_covered", ">=", 10), ("histogram_kl", "<=", 0.1)],
    "cgan-fashion": [("conditional_accuracy", ">=", "classifier_test_accuracy - 0.05")],
}


WHY = """\
Train times are wall-clock on a shared 2-core CPU (other jobs or a second training beside them),
so they are upper bounds. The step counts are what one session's CPU budget allowed: 3,700-16,800
generator steps on the 4,500 offline digits, where the papers train for tens of thousands of
steps on 60,000 images.

Steps moved the numbers most. cgan-mnist at a constant learning rate went 0.828, 0.907, 0.941,
0.952, 0.954, 0.965, 0.961 conditional accuracy at 4,200 to 16,800 steps (every 2,100); the same
16,800 steps with both learning rates decayed linearly to 0 (`--lr-decay`) reached 0.978, score
9.44 and FD 9.0 (constant: 0.961, 9.25, 13.9), and that is the one shipped. Decay is not a free
win: cgan-fashion's 12,600 steps decayed reached 0.850 but an FD of 31.3 (constant: 0.848,
FD 18.9), and mlp-mnist's 100 epochs decayed scored 6.89 (constant: 7.29), so those stay
constant. dcgan-mnist's score went 5.9, 7.0, 7.3 and its histogram KL 0.082, 0.021, 0.012 at
2,100, 8,400 and 16,800 steps. cgan-fashion reached 0.856 at 8,400 steps and 0.848 at 12,600,
so its target sits within the noise of 2,000 samples. The unconditional MLP and DCGAN samples
are digit-like but blurry or speckled, and the CNN classifier is unsure of them (scores near 7).

InfoGAN: category accuracy by seed after 60 epochs (4,200 steps) was 0.775, 0.900, 0.832, 0.766
and 0.850 for seeds 0-4. Longer runs: seed 1 0.896 at 120 epochs; seed 4 0.939, 0.928, 0.922
at 120, 180 and 240 epochs - a plateau, not a trend. In both of the best runs eight categories
are one digit each (94-100% of their samples, by the classifier) and two categories share a
pair of digits: 7 and 9 for seed 4; 4 and 9 for seed 1, whose slant code turns a 9 into a 4
along its traversal. The shipped one is seed 1 at 120 epochs: the same category structure as
seed 4, and its codes are the paper's Figure 2 - c2 stroke width, c3 slant (Spearman along a
traversal with z and c1 fixed: median -1.0 and 1.0 over 200 traversals), where seed 4's codes
mix several changes. Across samples the correlations are lower (0.71 slant, 0.46 width)
because z carries slant and width too. The paper's 5% error came from 60,000 digits and
longer training; here the next things to try are more seeds (each 120-epoch run is 13 minutes
on one core) and a GPU (the engine picks CUDA by itself).
"""


def verdicts(r: dict) -> str:
    r = {**r, "max_rho_slant": max((abs(r.get(f"c{i}_rho_slant", 0)) for i in (2, 3)), default=0),
         "max_rho_width": max((abs(r.get(f"c{i}_rho_width", 0)) for i in (2, 3)), default=0)}  # fmt: skip
    out = []
    for key, op, want in TARGETS.get(r["checkpoint"], []):
        if isinstance(want, str):
            want = round(r.get("classifier_test_accuracy", 0) - 0.05, 4)
        got = r.get(key)
        ok = got is not None and (got >= want if op == ">=" else got <= want)
        out.append(f"{key.replace('_', ' ')} {got} {op} {want} {'✅' if ok else '❌'}")
    return "; ".join(out)


def recipe(meta: dict) -> str:
    """The settings that differ between checkpoints, read from the checkpoint's own config."""
    t, o, h = meta["train"], meta["train"]["optim"], meta["train"]["hacks"]
    parts = [f"{meta['model']['family']} width {meta['model'].get('width', 1.0)}", f"batch {t['batch_size']}", f"seed {t['seed']}"]
    parts.append(f"Adam lr G {o['lr_g']:g} / D {o['lr_d']:g}, β1 {o['beta1']}")
    if o.get("lr_decay"):
        parts.append("learning rates decayed linearly to 0")
    if h.get("augment", "none") != "none":
        parts.append(f"DiffAugment {h['augment']}")
    if o.get("ema"):
        parts.append(f"samples from G's weight average (EMA {o['ema']})")
    return ", ".join(parts)


def main() -> None:
    print("# Shipped checkpoints\n")
    print("Reproduce them all with `bash scripts/train_checkpoints.sh` (fixed seeds, offline data).")
    print("Measured with `python -m gancore eval NAME --json` (2,000 samples, seed 0).\n")
    print("| checkpoint | data | steps | train time | " + " | ".join(c for _, c in COLS) + " | codes ρ (slant, width) |")
    print("|" + "---|" * (len(COLS) + 5))
    refs = {}
    for ev in sorted(ROOT.glob("*.eval.json")):
        r = json.loads(ev.read_text())
        meta = json.loads((ROOT / f"{r['checkpoint']}.json").read_text())
        refs[r["dataset"]] = r
        cells = [str(r.get(k, "–")) for k, _ in COLS]
        codes = ", ".join(f"c{i}: {r[f'c{i}_rho_slant']}, {r[f'c{i}_rho_width']}" for i in (2, 3) if f"c{i}_rho_slant" in r) or "–"
        t = f"{meta.get('train_seconds', 0) / 60:.1f} min on {meta.get('device', 'cpu')}"
        print(f"| {r['checkpoint']} | {r['dataset']} | {r['step']:,} | {t} | " + " | ".join(cells) + f" | {codes} |")
    print("\n## How each was trained\n")
    for ev in sorted(ROOT.glob("*.eval.json")):
        name = json.loads(ev.read_text())["checkpoint"]
        print(f"- **{name}**: {recipe(json.loads((ROOT / f'{name}.json').read_text()))}")
    print("\n## Against the targets\n")
    for ev in sorted(ROOT.glob("*.eval.json")):
        r = json.loads(ev.read_text())
        print(f"- **{r['checkpoint']}**: {verdicts(r)}")
    print("\n## Real data, measured the same way\n")
    print("| data | classifier test accuracy | real score | real hist. KL | FD real vs real | FD noise vs real |")
    print("|---|---|---|---|---|---|")
    for ds, r in refs.items():
        print(
            f"| {ds} | {r.get('classifier_test_accuracy')} | {r.get('real_classifier_score')} | {r.get('real_histogram_kl')} | {r.get('fd_real_vs_real')} | {r.get('fd_noise_vs_real')} |"
        )
    print("\nHardware: a 2-core CPU (no GPU). The FD is measured in the feature space of our own small")
    print("classifier, so its scale is that network's: compare it with the two reference rows, not with")
    print("published FID values.")
    print("\n## Why some targets are missed, and what it would take\n")
    print(WHY)


if __name__ == "__main__":
    main()
