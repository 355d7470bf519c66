"""Pick the fastest device present: CUDA, then Apple's MPS, then the CPU."""

from __future__ import annotations

import os

import torch


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
    """A line for the sidebar: 'CUDA: NVIDIA H100 80GB HBM3', 'CPU: 2 threads'…"""
    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    if device.type == "mps":
        return "Apple GPU (MPS)"
    return f"CPU: {torch.get_num_threads()} threads"


def max_concurrent_runs(device: torch.device) -> int:
    """How many runs may train at once: each CPU run wants the cores to itself."""
    if device.type == "cuda":
        return 6
    if device.type == "mps":
        return 3
    return max(2, (os.cpu_count() or 2) // 2)
