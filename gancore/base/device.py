"""Pick the fastest device present: CUDA, then Apple's MPS, then the CPU."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache

import torch

from gancore.base.i18n import phrase


def pick_device(prefer: str | None = None) -> torch.device:
    """CUDA if available, else MPS, else CPU. ``prefer`` (or ``GAN_EXPLORER_DEVICE``) forces one."""
    prefer = prefer or os.environ.get("GAN_EXPLORER_DEVICE") or None
    if prefer:
        return torch.device(prefer)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def describe(device: torch.device) -> str:
    """A line for the sidebar: 'CUDA: NVIDIA H100 80GB HBM3', 'CPU: 2 cores'… (the cores this
    process may use, not torch's current thread count: pages drop that to 1 for a moment while
    they draw, and every other tab's sidebar read the dip)."""
    if device.type == "cuda":
        return phrase("CUDA: {name}", name=torch.cuda.get_device_name(device))
    if device.type == "mps":
        return phrase("Apple GPU (MPS)")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return phrase("CPU: {cores} cores", cores=cores) if cores != 1 else phrase("CPU: 1 core")


def max_concurrent_runs(device: torch.device) -> int:
    """How many runs may train at once: each CPU run wants the cores to itself."""
    if device.type == "cuda":
        return 6
    if device.type == "mps":
        return 3
    return max(2, (os.cpu_count() or 2) // 2)


@lru_cache(maxsize=1)
def _cpu_has_bf16() -> bool:
    """AVX512-BF16 or AMX, read from /proc/cpuinfo (Linux) once per process: where oneDNN runs
    bfloat16 fast. The Training Lab asks on every rerun."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line for line in f if line.startswith("flags")), "").split()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def fast_math_dtype(device: torch.device) -> torch.dtype | None:
    """The autocast type of the "fast math" switch on ``device``, or None where it would not be
    faster: bfloat16 on CUDA GPUs that have it (float16 on the others) and on CPUs with
    AVX512-BF16 or AMX; nothing on other CPUs or on Apple's GPUs."""
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device.type == "cpu" and _cpu_has_bf16():
        return torch.bfloat16
    return None


class _OneThread:
    """Who runs torch on one thread now: the first to enter sets the count to 1, the last to
    leave restores it, and between them any number run at once. (A lock held for the whole block
    made thirty students' pictures wait for each other in a line, each holder also waiting for
    the GIL: 61% of the server's script-thread time at 30 toy students.)"""

    def __init__(self) -> None:
        self.lock, self.inside, self.before = threading.Lock(), 0, 1

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self.lock:
            if self.inside == 0:
                self.before = torch.get_num_threads()
                torch.set_num_threads(1)
            self.inside += 1
        try:
            yield
        finally:
            with self.lock:
                self.inside -= 1
                if self.inside == 0:
                    torch.set_num_threads(self.before)


_ONE_THREAD = _OneThread()


def one_thread() -> AbstractContextManager[None]:
    """Run torch on one thread inside the block (then restore the count).

    The toy nets' tensors are tiny, so a second thread only adds hand-offs; and while a trainer
    keeps the other core busy, each hand-off waits for a descheduled thread: a frame took 4.7 ms
    on 2 threads against 1.4 ms on one next to a busy process, and over 100 ms in the app's
    server beside the trainer and the browser. Blocks may overlap (see :class:`_OneThread`).
    """
    return _ONE_THREAD()


def warm_up() -> None:
    """Pay PyTorch's one-off lazy imports now (the first optimiser imports torch._dynamo and
    sympy: about 3 s, far longer when a run thread does it while pages redraw and both fight
    for the GIL and the import lock). Call once per process before the first run."""
    torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])
