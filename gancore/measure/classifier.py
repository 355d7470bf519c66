"""A small CNN per dataset: the "Inception network" of our metrics, trained on the offline data.

(B, 1, 28, 28) -> Conv 32 3x3 -> ReLU -> MaxPool   (B, 32, 14, 14)
               -> Conv 64 3x3 -> ReLU -> MaxPool   (B, 64, 7, 7)
               -> FC 128 -> ReLU                   (B, 128)  the feature space of the FD
               -> FC 10                            logits
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from torch import nn

from gancore.data.images import load_images


class Classifier(nn.Module):
    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1),  # (B, 32, 28, 28)
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, 32, 14, 14)
            nn.Conv2d(32, 64, 3, padding=1),  # (B, 64, 14, 14)
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, 64, 7, 7)
            nn.Flatten(),
            nn.Dropout(0.3),
            nn.Linear(64 * 7 * 7, 128),  # (B, 128)
            nn.ReLU(),
        )
        self.head = nn.Linear(128, num_classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))


@torch.inference_mode()
def predict(model: Classifier, x: torch.Tensor, batch: int = 1000) -> tuple[torch.Tensor, torch.Tensor]:
    """(softmax probabilities (N, 10), features (N, 128)) for images in [-1, 1]."""
    model.eval()
    probs, feats = [], []
    for i in range(0, len(x), batch):
        f = model.features(x[i : i + batch].float())
        feats.append(f)
        probs.append(F.softmax(model.head(f), 1))
    return torch.cat(probs), torch.cat(feats)


def train(dataset: str, epochs: int = 8, seed: int = 0, batch_size: int = 64) -> tuple[Classifier, dict]:
    """Train on the dataset's train split (light shift augmentation), report held-out accuracy."""
    torch.manual_seed(seed)
    tr, te = load_images(dataset), load_images(dataset, train=False)
    model = Classifier(len(tr.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=epochs * (len(tr) // batch_size))
    gen = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(len(tr), generator=gen)
        for i in range(len(tr) // batch_size):
            idx = perm[i * batch_size : (i + 1) * batch_size]
            x = tr.images[idx]
            dx, dy = torch.randint(-2, 3, (2,), generator=gen).tolist()
            x = torch.roll(x, (dx, dy), (2, 3))  # small shifts: GAN samples are not centred perfectly
            loss = F.cross_entropy(model(x), tr.labels[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    probs, _ = predict(model, te.images)
    acc = (probs.argmax(1) == te.labels).float().mean().item()
    info = {
        "dataset": dataset,
        "source": tr.source,
        "test_source": te.source,
        "test_accuracy": round(acc, 4),
        "epochs": epochs,
        "train_seconds": round(time.perf_counter() - start, 1),
    }
    return model, info


def save(model: Classifier, info: dict, path: str | Path) -> Path:
    path = Path(path).with_suffix(".safetensors")
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, path, metadata={"info": json.dumps(info)})
    path.chmod(0o644)
    path.with_suffix(".json").write_text(json.dumps(info, indent=1))
    return path


def load(path: str | Path) -> tuple[Classifier, dict]:
    path = Path(path).with_suffix(".safetensors")
    info = json.loads(path.with_suffix(".json").read_text())
    model = Classifier()
    model.load_state_dict(load_file(path))
    return model.eval(), info
