"""Engine loop vs the course's textbook loop, side by side in one process.

    .venv/bin/python bench/train_throughput.py [--seconds 4] [--rounds 3]

For the MLP GAN and the 28x28 DCGAN (same model, batch, optimiser and data) it measures
examples/s of
  * textbook: torchvision MNIST dataset + DataLoader(shuffle) + ToTensor/Normalize per item,
    the PyTorch DCGAN example's step (G once, D on real / fake.detach() / fake);
  * engine:   gancore's step on an in-memory tensor, batches sampled by index;
and prints their ratio (the two loops alternate for a few rounds and each column is the median
round, because a shared CPU's speed drifts by tens of percent between seconds), the achieved GFLOP/s of one training step (counted with
torch.utils.flop_counter) against a plain matmul measured in the same run, and what the
engine's snapshot publishing and a UI-side snapshot read cost. Last, the engine's step in float32
beside the same step with fast math on (bfloat16 autocast; skipped where the CPU has no fast
16-bit type), alternating rounds, median ratio.
"""

from __future__ import annotations

import argparse
import gzip
import os
import struct
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GAN_EXPLORER_OFFLINE", "1")

from gancore.base.config import HackConfig, ModelConfig, OptimConfig, TrainConfig
from gancore.base.device import fast_math_dtype
from gancore.data import images as gdata
from gancore.data.sampler import IndexSampler
from gancore.models.dcgan import DcganConfig
from gancore.models.mlp import MlpConfig
from gancore.runs.engine import TrainingRun
from gancore.train.steps import new_state, train_step

MODELS = {
    "MLP GAN (lecture)": (MlpConfig(), 64),
    "DCGAN 28x28 (tutorial, width 0.5)": (DcganConfig(width=0.5), 64),
}
HACKS = HackConfig()
OPTIM = OptimConfig(lr_g=2e-4, lr_d=2e-4, beta1=0.5)


def torchvision_root(ds: gdata.ImageData) -> str:
    """Write the in-use digits as torchvision's raw MNIST files, so torchvision reads them."""
    root = Path(tempfile.mkdtemp()) / "MNIST" / "raw"
    root.mkdir(parents=True)
    u8 = ((ds.images[:, 0] + 1) * 127.5).round().to(torch.uint8).numpy()
    labels = ds.labels.numpy().astype(np.uint8)
    files = [
        (f"{split}-{kind}", arr) for split in ("train", "t10k") for kind, arr in (("images-idx3-ubyte", u8), ("labels-idx1-ubyte", labels))
    ]
    for name, arr in files:
        header = struct.pack(">HBB", 0, 8, arr.ndim) + struct.pack(">" + "I" * arr.ndim, *arr.shape)
        (root / name).write_bytes(header + arr.tobytes())
        with gzip.open(root / f"{name}.gz", "wb") as f:
            f.write(header + arr.tobytes())
    return str(root.parent.parent)


def textbook(cfg: ModelConfig, batch: int, seconds: float, root: str) -> tuple[float, float]:
    """The course's loop: DataLoader over a torchvision dataset with per-item transforms.

    Returns (examples/s, share of the loop's time spent waiting for the DataLoader): the
    share bounds what an in-memory data path alone can gain, 1 / (1 - share).
    """
    import torchvision
    from torchvision import transforms

    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    ds = torchvision.datasets.MNIST(root, train=True, download=False, transform=tf)
    loader = torch.utils.data.DataLoader(ds, batch_size=batch, shuffle=True, drop_last=True)
    st = new_state(cfg, OPTIM, HACKS, 0, torch.device("cpu"))
    g, d, opt_g, opt_d = st.g, st.d, st.opt_g, st.opt_d
    n, start, warm, loading = 0, None, 5, 0.0
    while True:
        batches = iter(loader)
        while True:
            t = time.perf_counter()
            real, _ = next(batches, (None, None))
            if real is None:
                break
            if warm < 0:
                loading += time.perf_counter() - t
            z = torch.randn(batch, cfg.latent_dim)
            fake = g(z)
            ones, zeros = torch.ones(batch), torch.zeros(batch)
            loss_d = F.binary_cross_entropy_with_logits(d(real), ones) + F.binary_cross_entropy_with_logits(d(fake.detach()), zeros)
            opt_d.zero_grad()
            loss_d.backward()
            opt_d.step()
            loss_g = F.binary_cross_entropy_with_logits(d(fake), ones)
            opt_g.zero_grad()
            loss_g.backward()
            opt_g.step()
            warm -= 1
            if warm == 0:
                start = time.perf_counter()
            elif warm < 0:
                n += batch
                spent = time.perf_counter() - start
                if spent > seconds:
                    return n / spent, loading / spent


def engine_loop(
    cfg: ModelConfig, batch: int, seconds: float, ds: gdata.ImageData, optim: OptimConfig = OPTIM, device: str = "cpu"
) -> float:
    dev = torch.device(device)
    st = new_state(cfg, optim, HACKS, 0, dev)
    sampler = IndexSampler(len(ds), batch, 0)
    x, y = ds.images.to(dev), ds.labels.to(dev)

    def next_batch():
        idx = sampler.next().to(dev)
        return x[idx], y[idx]

    for _ in range(5):
        train_step(st, next_batch, HACKS, batch)
    _sync(dev)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        train_step(st, next_batch, HACKS, batch)
        n += batch
    _sync(dev)
    return n / (time.perf_counter() - start)


def _sync(dev: torch.device) -> None:
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)


def step_gflops(cfg: ModelConfig, batch: int, ds: gdata.ImageData) -> tuple[float, float]:
    """(GFLOP per training step, achieved GFLOP/s)."""
    st = new_state(cfg, OPTIM, HACKS, 0, torch.device("cpu"))
    real = ds.images[:batch]

    def nb():
        return real, None

    with FlopCounterMode(display=False) as counter:
        train_step(st, nb, HACKS, batch)
    flops = counter.get_total_flops()
    for _ in range(5):
        train_step(st, nb, HACKS, batch)
    reps, start = 0, time.perf_counter()
    while time.perf_counter() - start < 3:
        train_step(st, nb, HACKS, batch)
        reps += 1
    return flops / 1e9, flops * reps / (time.perf_counter() - start) / 1e9


def matmul_gflops(n: int = 1024) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(3):
        a @ b
    reps, start = 0, time.perf_counter()
    while time.perf_counter() - start < 2:
        a @ b
        reps += 1
    return 2 * n**3 * reps / (time.perf_counter() - start) / 1e9


def publish_cost(ds: gdata.ImageData, seconds: float) -> tuple[float, float]:
    """(share of the training thread's time spent publishing snapshots every 10 steps, UI read in ms).

    Measured inside one run by timing each publish, not as the difference of two runs' speeds:
    that difference was smaller than the run-to-run noise on a shared machine.
    """
    cfg = TrainConfig(dataset="bench", batch_size=64, epochs=10_000, publish_every=10)
    run = TrainingRun("pub", MlpConfig(), cfg, device=torch.device("cpu"), dataset=ds)
    spent = [0.0]
    original = run._publish_checked

    def timed_publish() -> bool:
        t = time.perf_counter()
        try:
            return original()
        finally:
            spent[0] += time.perf_counter() - t

    run._publish_checked = timed_publish
    run.start()
    while run.snapshot.status != "running":
        time.sleep(0.01)
    time.sleep(1.0)
    spent[0], t0 = 0.0, time.perf_counter()
    time.sleep(seconds)
    share = spent[0] / (time.perf_counter() - t0)
    t = time.perf_counter()
    for _ in range(10_000):
        snap = run.snapshot
        _ = (snap.step, snap.status, snap.history["d_loss"][-1:], snap.grid)
    read_ms = (time.perf_counter() - t) / 10_000 * 1e3
    run.stop()
    run.join(5)
    return share, read_ms


def fast_math(ds: gdata.ImageData, args) -> None:
    """The engine's examples/s in float32 and with fast math, side by side (on ``args.device``)."""
    if fast_math_dtype(torch.device(args.device)) is None:
        print(f"\nfast math: no fast 16-bit type on this {args.device} (a CPU needs AVX512-BF16 or AMX): skipped")
        return
    print(f"\n{'model':<36}{'fp32 ex/s':>11}{'fast math ex/s':>16}{'ratio':>8}   rounds")
    for name, (cfg, batch) in MODELS.items():
        rounds = []
        for _ in range(max(1, args.rounds)):
            fp32 = engine_loop(cfg, batch, args.seconds, ds, device=args.device)
            fast = engine_loop(cfg, batch, args.seconds, ds, replace(OPTIM, fast_math=True), args.device)
            rounds.append((fast / fp32, fp32, fast))
        ratio, fp32, fast = sorted(rounds)[len(rounds) // 2]
        print(f"{name:<36}{fp32:>11,.0f}{fast:>16,.0f}{ratio:>7.2f}x   " + ", ".join(f"{r[0]:.2f}x" for r in rounds))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=4.0, help="measuring time per loop and round")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds of the two loops")
    ap.add_argument("--device", default="cpu", help="cuda: only the engine's fp32 vs fast-math rows, on the GPU")
    args = ap.parse_args()
    torch.manual_seed(0)
    ds = gdata.load_images("mnist")
    if args.device != "cpu":
        print(f"data: {ds.source}; torch {torch.__version__}; {args.device}: {torch.cuda.get_device_name(0)}")
        fast_math(ds, args)
        return
    root = torchvision_root(ds)
    print(f"data: {ds.source}; torch {torch.__version__}, {torch.get_num_threads()} threads, CPU\n")
    mm = matmul_gflops()
    print(f"plain matmul 1024x1024 fp32: {mm:.1f} GFLOP/s\n")
    head = f"{'model':<36}{'textbook ex/s':>15}{'engine ex/s':>13}{'ratio':>8}{'GFLOP/step':>12}{'GFLOP/s':>9}{'% matmul':>10}"
    print(head + f"{'textbook data wait':>20}")
    for name, (cfg, batch) in MODELS.items():
        rounds = []
        for _ in range(max(1, args.rounds)):
            tb, wait = textbook(cfg, batch, args.seconds, root)
            en = engine_loop(cfg, batch, args.seconds, ds)
            rounds.append((en / tb, tb, en, wait))
        ratio, tb, en, wait = sorted(rounds)[len(rounds) // 2]  # the median round
        gf, gfs = step_gflops(cfg, batch, ds)
        row = f"{name:<36}{tb:>15,.0f}{en:>13,.0f}{ratio:>7.2f}x{gf:>12.3f}{gfs:>9.1f}{gfs / mm:>9.0%}"
        spread = ", ".join(f"{r[0]:.2f}x" for r in rounds)
        print(row + f"{wait:>11.1%} (<= {1 / (1 - wait):.2f}x)   rounds: {spread}")
    print(
        "\n'textbook data wait' is the share of the textbook loop's time spent in the DataLoader; an"
        "\nin-memory data path can at most remove it (the bound in brackets). The rest of the engine's"
        "\ngain is compute it skips: D's weight gradients in the G step."
    )
    fast_math(ds, args)
    slow, read_ms = publish_cost(ds, args.seconds)
    print(
        f"\npublishing a snapshot every 10 steps (MLP): {slow:.1%} of the training thread's time (target < 5%); UI snapshot read: {read_ms * 1e3:.1f} µs"
    )


if __name__ == "__main__":
    main()
