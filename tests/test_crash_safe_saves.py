"""A save killed at any moment leaves a loadable checkpoint: one file, renamed into place at once."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from gancore.base import atomic
from gancore.io import checkpoints

ROOT = Path(__file__).resolve().parent.parent

SAVER = """
import sys, time, torch
sys.path.insert(0, {root!r})
from gancore.io import checkpoints
from gancore.base.config import TrainConfig
from gancore.models.catalog import build
from gancore.models.dcgan import DcganConfig
from gancore.io.runstate import RunState
cfg = DcganConfig(width=0.25)
g, d = build(cfg)
step = 0
print("ready", flush=True)
while True:
    step += 1
    for p in g.parameters():
        p.data.fill_(step % 7)  # each save's weights differ, so a mix of two saves would fail its checksum
    export = RunState(g.state_dict(), d.state_dict(), step, history={{"d_loss": [0.5] * 2000}})
    checkpoints.save({path!r}, export, cfg, TrainConfig(dataset="mnist"), half=True)
"""


def test_sigkill_during_saves_never_leaves_a_broken_checkpoint(tmp_path):
    path = tmp_path / "ck.safetensors"
    rng = random.Random(0)
    kills, steps = 0, []
    for _ in range(6):  # each kill costs a fresh interpreter importing torch (2-4 s)
        proc = subprocess.Popen([sys.executable, "-c", SAVER.format(root=str(ROOT), path=str(path))], stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.05, 0.6))  # somewhere inside one of the saves
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        kills += 1
        if path.exists():
            ck = checkpoints.load(path)  # never a half-written or mixed checkpoint
            params = [v for k, v in ck.g.items() if "running" not in k and "num_batches" not in k]
            assert ck.meta["step"] >= 1 and all(bool((p == ck.meta["step"] % 7).all()) for p in params)  # one save's, whole
            steps.append(ck.meta["step"])
    assert kills == 6 and len(steps) >= 4, steps  # saves did complete between kills
    leftovers = list(tmp_path.glob(".*.tmp"))
    old = time.time() - atomic.TEMP_MAX_AGE_S - 1
    for tmp in leftovers:
        os.utime(tmp, (old, old))  # as if the server restarted later
    assert sorted(atomic.clean_temp_files(tmp_path)) == sorted(leftovers) and not list(tmp_path.glob(".*.tmp"))
