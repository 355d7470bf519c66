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
    print("\n## Why most targets are missed, and what it would take\n")
    print("The train times above were measured while two to four other jobs shared the same 2 cores, so")
    print("they are upper bounds. The step counts are what one session's CPU budget allowed: 3,700-8,400")
    print("generator steps on the 4,500 offline digits, where the papers train for tens of thousands of")
    print("steps on 60,000 images. The samples are digit-like but blurry (MLP: speckled; the CNN classifier")
    print("is unsure of them, hence scores of 4-7), the conditional models follow their label 74-78% of the")
    print("time, and InfoGAN's categories cover 8 of the 10 digits (two categories share one digit). More")
    print("steps are the first thing to try (`--epochs` in scripts/train_checkpoints.sh, or a GPU: the")
    print("engine picks CUDA by itself); InfoGAN is also known to depend on the seed.")


if __name__ == "__main__":
    main()
