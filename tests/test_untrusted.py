"""A checkpoint is untrusted input: every malformed or malicious file is a CheckpointError with a
sentence, never a traceback, a crash or memory corruption — including a fuzz over mutated files."""

import json
import math
import random
import subprocess
import sys
import time
from dataclasses import replace

import pytest
import torch

from gancore.base import atomic
from gancore.base.errors import CheckpointError
from gancore.io import checkpoints, schema
from gancore.runs.engine import TrainingRun
from tests.forge import forge, parts
from tests.helpers import wait_status
from tests.test_checkpoints import CFG, CPU, finished_run


@pytest.fixture
def real(tiny_images, tmp_path):
    """A resumable checkpoint's metadata and tensors (a 4-step DCGAN run on tiny data)."""
    run = finished_run(tiny_images, 4)
    path = checkpoints.save(tmp_path / "ck", run.export_state(), CFG, run.train_cfg, dataset="tiny")
    return parts(path.read_bytes())


def refused(raw: bytes, match: str | None = None) -> str:
    with pytest.raises(CheckpointError, match=match) as info:
        checkpoints.load_bytes(raw, "forged.safetensors")
    msg = str(info.value)
    assert "Traceback" not in msg and len(msg) < 600
    return msg


def edited(real, edit_meta=None, edit_tensors=None) -> bytes:
    meta, tensors = json.loads(json.dumps(real[0])), dict(real[1])
    if edit_meta:
        edit_meta(meta)
    if edit_tensors:
        edit_tensors(tensors)
    return forge(meta, tensors)


# ---------------------------------------------------------------- the training state
def test_optimizer_moments_with_the_wrong_size_are_refused_before_the_fused_kernel_sees_them(real):
    def shrink(t):
        t["opt_g.0.exp_avg"] = t["opt_g.0.exp_avg"].flatten()[:10].clone()

    refused(edited(real, edit_tensors=shrink), "opt_g.0.exp_avg")


def test_optimizer_state_must_match_the_models_parameters(real):
    refused(edited(real, edit_tensors=lambda t: t.pop("opt_d.1.exp_avg_sq")), "incomplete")
    refused(edited(real, edit_tensors=lambda t: t.update({"opt_d.999.exp_avg": torch.zeros(3)})), "does not have")
    refused(edited(real, edit_tensors=lambda t: t.update({"opt_g.0.step": torch.tensor(float("nan"))})), "NaN")
    refused(edited(real, edit_tensors=lambda t: t.update({"opt_g.0.exp_avg_sq": -t["opt_g.0.exp_avg_sq"] - 1})), "negative")


def test_optimizer_options_are_never_taken_from_the_file(real, tiny_images):
    raw = edited(real, edit_meta=lambda m: m.update(opt_g_groups=[{"lr": 99.0, "fused": False, "betas": [0.1, 0.2]}]))
    ck = checkpoints.load_bytes(raw, "ck.safetensors")
    run = TrainingRun("r", ck.model_cfg, ck.train_cfg, device=CPU, dataset=tiny_images, resume=ck.start_state())
    run.start()
    wait_status(run, "paused")
    group = run.state.opt_g.param_groups[0]
    run.stop()
    run.join(5)
    assert group["lr"] == ck.train_cfg.optim.lr_g and group["fused"] is True and group["betas"] == (0.5, 0.999)


def test_sampler_and_rng_states_are_checked(real):
    refused(edited(real, edit_tensors=lambda t: t.update({"sampler.perm": t["sampler.perm"] + 10_000})), "permutation")
    refused(edited(real, edit_tensors=lambda t: t.update({"sampler.perm": t["sampler.perm"].float()})), "sampler.perm")
    refused(edited(real, edit_tensors=lambda t: t.update({"rng.gen": t["rng.gen"][:100].clone()})), "random generator")
    refused(edited(real, edit_tensors=lambda t: t.update({"sampler.gen": t["sampler.gen"][:7].clone()})), "sampler.gen")
    refused(edited(real, edit_meta=lambda m: m["sampler"].update(pos=10**6)), "past the end")
    refused(edited(real, edit_tensors=lambda t: t.update({"rng.gen": t["rng.gen"] * 7 + 100})), "corrupted")  # found by the fuzz


def test_a_sampler_from_another_dataset_size_stops_the_run_with_words(real, tiny_images):
    ck = checkpoints.load_bytes(edited(real), "ck.safetensors")
    small = type(tiny_images)("tiny", tiny_images.images[:128], tiny_images.labels[:128], tiny_images.classes, "fewer", False)
    run = TrainingRun("r", ck.model_cfg, ck.train_cfg, device=CPU, dataset=small, resume=ck.resume)
    run.start()
    run.join(20)
    assert run.snapshot.status == "error" and "256 examples; this dataset has 128" in run.snapshot.message


# ---------------------------------------------------------------- the metadata
@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda m: m.update(model=[1, 2]), "'model'"),
        (lambda m: m.update(train="fast"), "'train'"),
        (lambda m: m["model"].update(g_hidden=["a"]), "g_hidden"),
        (lambda m: m["model"].pop("family"), "model.family"),  # the listings read it
        (lambda m: m["train"].update(dataset=["mnist"]), "train.dataset"),
        (lambda m: m["model"].update(latent_dim=2.5), "latent_dim"),
        (lambda m: m["train"].update(batch_size=64.5), "batch_size"),
        (lambda m: m.update(step=-3), "'step'"),
        (lambda m: m.update(step="12"), "'step'"),
        (lambda m: m.update(history={"d_loss": "abc"}), "history"),
        (lambda m: m.update(history={"d_loss": [1.0] * (schema.MAX_SERIES + 1)}), "history"),
        (lambda m: m.update(events=[["x", 3]]), "event"),
        (lambda m: m.update(resumable="yes"), "resumable"),
        (lambda m: m.update(version=[1]), "version"),
        (lambda m: m["train"]["optim"].update(lr_g="fast"), "lr_g"),
    ],
)
def test_malformed_metadata_is_refused_with_the_fields_name(real, edit, match):
    refused(edited(real, edit_meta=edit), match)


def test_json_that_python_would_choke_on(real):
    meta, tensors = real
    text = json.dumps({**meta, "sha256": schema.digest(tensors)})
    refused(forge(text.replace('"lr_g": 0.0002', '"lr_g": 1e400'), tensors), "lr_g")  # json reads 1e400 as inf
    refused(forge(text.replace(f'"step": {meta["step"]}', '"step": NaN'), tensors), "'step'")
    refused(forge('{"a": ' * 100_000 + "1" + "}" * 100_000, tensors))  # 100,000 levels deep
    refused(forge(json.dumps({**meta, "metrics": {"x": [[[[[[[[[[[[[1]]]]]]]]]]]]]}}), tensors), "nested")


def test_a_large_model_named_by_a_small_file_is_refused_before_anything_is_built(real, monkeypatch):
    monkeypatch.setattr(checkpoints, "build", lambda cfg: pytest.fail("a network was built"))
    big = edited(real, edit_meta=lambda m: m["model"].update(family="infogan", width=4.0, latent_dim=1024))
    assert "parameters" in refused(big)
    wide = edited(real, edit_meta=lambda m: m["model"].update(width=2.0))
    assert "too small" in refused(wide)


def test_a_huge_header_is_refused(real):
    meta, tensors = real
    padded = {**meta, "metrics": {"pad": "x" * (schema.MAX_HEADER_BYTES + 10)}}
    refused(forge(padded, tensors), "header|larger")


def test_a_diverged_runs_history_saves_and_loads_as_it_was(real, tmp_path):
    meta, tensors = real
    ck = checkpoints.load_bytes(forge(meta, tensors), "ck.safetensors")
    history = {**ck.resume.history, "d_loss": [float("nan"), 1.0, float("inf")]}
    export = replace(ck.resume, history=history)
    path = checkpoints.save(tmp_path / "nan", export, ck.model_cfg, ck.train_cfg)
    back = checkpoints.load(path).meta["history"]["d_loss"]
    assert math.isnan(back[0]) and back[1:] == [1.0, float("inf")]


def test_stale_temp_files_of_killed_saves_are_cleaned(tmp_path):
    old, fresh = tmp_path / ".ck.safetensors.abc.tmp", tmp_path / ".ck2.safetensors.def.tmp"
    old.write_bytes(b"half a file")
    fresh.write_bytes(b"a save in progress")
    stale = time.time() - atomic.TEMP_MAX_AGE_S - 5
    import os

    os.utime(old, (stale, stale))
    assert atomic.clean_temp_files(tmp_path) == [old] and fresh.exists() and not old.exists()


# ---------------------------------------------------------------- the CLI and the fuzz
def test_cli_resume_of_a_malicious_file_is_one_line_not_a_signal(real, tmp_path):
    def shrink(t):
        t["opt_g.0.exp_avg"] = t["opt_g.0.exp_avg"].flatten()[:10].clone()

    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(edited(real, edit_tensors=shrink))
    out = subprocess.run(
        [sys.executable, "-m", "gancore", "train", "--resume", str(bad), "--steps", "2", "--out", str(tmp_path / "o"), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and out.stderr.startswith("error:") and "Traceback" not in out.stderr


LEAVES = [None, -1, 0, 2.5, 1e308, 10**30, "x", "", [], {}, True, [1, "a"], {"k": None}]


def _mutate_meta(meta: dict, rng: random.Random) -> None:
    """Replace one random value anywhere in the metadata by a random wrong one."""
    node, key = meta, None
    for _ in range(rng.randint(1, 3)):
        keys = list(node) if isinstance(node, dict) else list(range(len(node))) if isinstance(node, list) else []
        if not keys:
            break
        key = rng.choice(keys)
        if isinstance(node[key], dict | list) and node[key] and rng.random() < 0.6:
            node, key = node[key], None
        else:
            break
    if key is not None and isinstance(node, dict | list):
        node[key] = rng.choice(LEAVES)


def _mutate_tensors(tensors: dict, rng: random.Random) -> None:
    key = rng.choice(sorted(tensors))
    t = tensors[key]
    choice = rng.randrange(5)
    if choice == 0:
        tensors.pop(key)
    elif choice == 1:
        tensors[key] = t.flatten()[: max(t.numel() // 2, 1)].clone()
    elif choice == 2:
        tensors[key] = t.to(rng.choice([torch.float16, torch.int32, torch.uint8, torch.float64]))
    elif choice == 3:
        tensors[key] = torch.full_like(t, float("nan")) if t.is_floating_point() else t * 7 + 1000
    else:
        tensors[f"{key}.extra"] = t.clone()


def test_fuzz_mutated_checkpoints_never_escape_as_anything_but_checkpoint_errors(real, tiny_images):
    """400 mutated files: metadata values, tensors (re-signed: as an attacker would) and raw bytes.
    Whatever loads must also resume and train: a file that passes validation cannot crash a run."""
    rng = random.Random(0)
    meta, tensors = real
    good = forge(meta, tensors)
    outcomes = {"refused": 0, "loaded": 0}
    for i in range(400):
        kind = i % 4
        if kind == 0:
            m = json.loads(json.dumps(meta))
            _mutate_meta(m, rng)
            raw = forge(m, tensors)
        elif kind == 1:
            t = dict(tensors)
            _mutate_tensors(t, rng)
            raw = forge(meta, t)
        elif kind == 2:  # flip bytes of the header
            b = bytearray(good)
            for _ in range(rng.randint(1, 8)):
                b[rng.randrange(8, 8 + int.from_bytes(good[:8], "little"))] = rng.randrange(256)
            raw = bytes(b)
        else:  # truncate or extend
            raw = good[: rng.randrange(len(good))] if rng.random() < 0.7 else good + bytes(rng.randrange(1, 64))
        try:
            ck = checkpoints.load_bytes(raw, "fuzz.safetensors")
        except CheckpointError:
            outcomes["refused"] += 1
            continue
        outcomes["loaded"] += 1
        if ck.resume is not None and i % 8 < 4:  # half of the loadable ones, to keep the test short
            train = replace(ck.train_cfg, dataset="tiny", max_steps=ck.step + 2)
            run = TrainingRun("fuzz", ck.model_cfg, train, device=CPU, dataset=tiny_images, resume=ck.resume)
            run.start()
            run.join(30)
            assert run.snapshot.status == "finished", (i, run.snapshot.message)
    assert sum(outcomes.values()) == 400 and outcomes["refused"] > 300, outcomes


def test_every_shipped_checkpoint_passes_the_schema():
    from gancore.base.paths import SHIPPED_DIR

    found = checkpoints.list_checkpoints(SHIPPED_DIR)
    assert len(found) >= 6, [p.name for p, _ in found]
    for path, meta in found:
        assert checkpoints.load(path).meta["sha256"] == meta["sha256"]


def test_a_bad_file_in_the_saved_folder_is_left_out_of_every_listing(real, tmp_path):
    meta, tensors = real
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "good.safetensors").write_bytes(forge(meta, tensors))
    (folder / "bad.safetensors").write_bytes(forge({**meta, "model": {}}, tensors))
    (folder / "junk.safetensors").write_bytes(b"\x00" * 100)
    assert [p.name for p, _ in checkpoints.list_checkpoints(folder)] == ["good.safetensors"]
