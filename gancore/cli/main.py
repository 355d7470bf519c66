"""Command line: ``python -m gancore {summary,train,sample,eval,list,learn} --help``."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from gancore import presets
from gancore.base import atomic, i18n
from gancore.base.config import ModelConfig
from gancore.base.errors import CheckpointError, CLIError, ConfigError, DataError, LearnError, PresetError, RunError
from gancore.base.i18n import _
from gancore.base.paths import SHIPPED_DIR, resolve_checkpoint, saved_dir
from gancore.cli import learn as learn_cli
from gancore.cli.args import Parser, add_train_arguments, count, output_file, seed
from gancore.data.images import check_dataset_name
from gancore.explore.evaluate import evaluate_checkpoint
from gancore.explore.summary import format_summary, summarize
from gancore.explore.superres import companion_generator
from gancore.io import checkpoints, schema
from gancore.measure import classifier
from gancore.models import catalog
from gancore.runs import raybackend
from gancore.runs.engine import TrainingRun
from gancore.runs.snapshot import Status


def _model_for(name: str) -> ModelConfig:
    """A family name gives the course's own network (full width); a preset name its model."""
    if name in catalog.names() and name not in presets.FAMILY_SOURCES:
        return catalog.get(name).config()  # a family no source preset covers: its own defaults
    return presets.get(presets.FAMILY_SOURCES.get(name, name)).model


def cmd_summary(args) -> None:

    cfg = _model_for(args.model)
    if args.json:
        s = summarize(cfg)
        out = {
            "model": cfg.family,
            "generator_params": s["generator"]["trainable"],
            "discriminator_params": s["discriminator"]["trainable"],
            "generator_non_trainable": s["generator"]["non_trainable"],
            "discriminator_non_trainable": s["discriminator"]["non_trainable"],
        }
        print(json.dumps(out, indent=1))
    else:
        print(format_summary(cfg))


def _train_config(args):
    """The run's configs: ``presets.compose`` (the pages' rule too) with the flags given."""
    flags = {"dataset": args.dataset, "epochs": args.epochs, "max_steps": args.steps, "batch_size": args.batch_size, "seed": args.seed}
    changes = {k: v for k, v in flags.items() if v is not None}  # 0 and NaN reach the config and are refused there
    optim = {"lr_g": args.lr_g, "lr_d": args.lr_d, "ema": getattr(args, "ema", None)}
    optim |= {k: getattr(args, k, False) or None for k in ("lr_decay", "fast_math")}  # a switch given is True
    if any(v is not None for v in optim.values()):
        changes["optim"] = {k: v for k, v in optim.items() if v is not None}
    hacks = dict(getattr(args, "hack", None) or [])
    if getattr(args, "augment", None):
        hacks["augment"] = args.augment
    if hacks:
        changes["hacks"] = hacks
    return presets.compose(args.preset, model=args.model, width=args.width, **changes)


def _new_run(args, model, train, resume):
    """The CLI's run: a thread of this process, or (``--backend ray``) an actor on a Ray cluster."""
    if args.backend == "local":
        return TrainingRun("cli", model, train, resume=resume)

    raybackend.connect(args.ray_address)
    cap = raybackend.capacity(1.0)
    if raybackend.wait_for_slot(1.0) < 1:
        raise CLIError(
            _("no free {value} on the Ray cluster now ({describe}); try when a run ends").format(
                value="GPU" if cap.gpus else "CPU", describe=cap.describe()
            )
        )
    return raybackend.RayRun("cli", model, train, device=cap.device, resume=resume)


def cmd_train(args) -> None:
    from tqdm import tqdm

    resume, earlier_seconds = None, 0.0
    if args.resume:
        ck = checkpoints.load(resolve_checkpoint(args.resume))
        earlier_seconds = float(ck.meta.get("train_seconds") or 0.0)
        if ck.resume is None:
            raise CLIError(_("{name} holds no optimiser state (an exploration-only checkpoint); it cannot resume").format(name=ck.name))
        model, train = ck.model_cfg, ck.train_cfg
        if train.dataset.startswith(("folder:", "csv:")) and not args.dataset:
            raise CLIError(
                _("{name} trained on {value!r}; a file's data path is not followed: name it with --dataset").format(
                    name=ck.name, value=train.dataset[:80]
                )
            )
        train = replace(train, dataset=args.dataset or train.dataset)
        if args.steps is not None:
            train = replace(train, max_steps=ck.step + args.steps)
        resume = ck.resume
    else:
        model, train = _train_config(args)
    check_dataset_name(train.dataset, model.is_image)
    schema.check_size(model, schema.MAX_FILE_BYTES, "--model")  # a model it could not save and read back
    if args.seconds and train.optim.lr_decay:
        raise CLIError(_("a decaying learning rate needs the run's length: give --epochs or --steps instead of --seconds"))
    out = output_file(args.out, ".safetensors")
    checkpoints.check_name(out.stem)
    atomic.clean_temp_files(out.parent)  # leftovers of saves killed mid-write
    run = _new_run(args, model, train, resume)
    interrupted = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.set())
    start = time.perf_counter()
    run.start()
    try:
        with tqdm(total=None, unit="step", dynamic_ncols=True, disable=args.quiet) as bar:
            while True:
                time.sleep(0.2)
                snap = run.snapshot
                if bar.total is None and snap.total_steps:
                    bar.total = snap.total_steps
                bar.n = snap.step
                h = snap.history
                if h["d_loss"]:
                    bar.set_postfix(d=f"{h['d_loss'][-1]:.3f}", g=f"{h['g_loss'][-1]:.3f}", ex_s=f"{snap.examples_per_s:,.0f}")
                bar.refresh()
                if snap.status.failed:
                    raise CLIError(snap.message)
                if snap.divergence is not None:
                    print("\n" + snap.message, file=sys.stderr)
                    break
                if snap.status in (Status.FINISHED, Status.STOPPED):
                    break
                if interrupted.is_set() or (args.seconds and time.perf_counter() - start > args.seconds):
                    if interrupted.is_set():
                        print(_("\nInterrupted: saving the checkpoint…"), file=sys.stderr)
                    run.pause()
                    while run.snapshot.status.training:
                        time.sleep(0.05)
                    break
    finally:
        signal.signal(signal.SIGINT, previous)
    if run.status.failed:
        raise CLIError(run.snapshot.message)
    snap = run.snapshot
    path = checkpoints.save(
        out,
        run.export_state(),
        model,
        run.train_cfg,
        dataset=snap.data_source,
        half=args.half,
        extra={"train_seconds": round(earlier_seconds + time.perf_counter() - start, 1), "device": snap.device},  # resumed: in total
    )
    if run.status in (Status.PAUSED, Status.RUNNING):
        run.stop()
    run.join(5)
    run.close()
    print(
        _("saved {path} (step {step:,}, {value:.0f} s, {where}; data: {data_source})").format(
            path=path, step=snap.step, value=time.perf_counter() - start, where=snap.where, data_source=snap.data_source
        )
    )


def cmd_sample(args) -> None:
    ck = checkpoints.load(resolve_checkpoint(args.checkpoint))
    if not ck.model_cfg.is_image:
        raise CLIError(_("sample writes images; this is a 2D toy checkpoint"))
    output_file(args.out, ".npz")  # checked before any sampling
    g, fam = checkpoints.generator(ck), catalog.of(ck.model_cfg)
    gen = torch.Generator().manual_seed(args.seed)
    lat = fam.sample_inputs(ck.model_cfg, args.n, gen, ck.train_cfg.hacks.z_dist, balanced=True)
    with torch.inference_mode():
        chunks = [fam.generate(g, {k: v[i : i + 500] for k, v in lat.items()}).float() for i in range(0, args.n, 500)]
    out = {
        "images": torch.cat(chunks).numpy().astype(np.float32),
        **fam.sample_arrays(lat),
        **fam.output_arrays(g, lat),
        **fam.companion_arrays(ck.model_cfg, lat, companion_generator(ck.model_cfg)),
    }  # e.g. labels, codes
    arrays, out = out, output_file(args.out, ".npz")
    np.savez_compressed(out, **arrays)
    print(_("wrote {out}: ").format(out=out) + ", ".join(f"{k} {v.shape}" for k, v in arrays.items()))


def cmd_eval(args) -> None:

    ck = checkpoints.load(resolve_checkpoint(args.checkpoint))
    result = evaluate_checkpoint(ck, n=args.n, seed=args.seed)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for k, v in result.items():
            print(f"{k:<32} {v}")


def cmd_classifier(args) -> None:
    out = output_file(str(Path(args.out).with_suffix("")) if args.out.endswith(".safetensors") else args.out, ".safetensors")
    model, info = classifier.train(args.dataset, epochs=args.epochs, seed=args.seed)
    path = classifier.save(model, info, out)
    print(
        _("saved {path}: test accuracy {test_accuracy:.2%} on {test_source} ({train_seconds} s)").format(
            path=path, test_accuracy=info["test_accuracy"], test_source=info["test_source"], train_seconds=info["train_seconds"]
        )
    )


def cmd_list(args) -> None:
    rows = [("shipped", p, m) for p, m in checkpoints.list_checkpoints(SHIPPED_DIR)]
    rows += [("saved", p, m) for p, m in checkpoints.list_checkpoints(saved_dir())]
    if not rows:
        print(_("no checkpoints found"))
    for kind, path, meta in rows:
        print(
            _("{kind:<8}{stem:<24}{family:<9}{dataset:<10}step {get:>7,}  {path}").format(
                kind=kind,
                stem=path.stem,
                family=meta["model"]["family"],
                dataset=meta["train"]["dataset"],
                get=meta.get("step", 0),
                path=path,
            )
        )
    print(_("\nmodel families (--model):"))
    for name in catalog.names():
        print(f"  {name:<11}{catalog.get(name).title}")


def parser() -> argparse.ArgumentParser:
    ap = Parser(prog="python -m gancore", description=_("GAN Explorer's core: train, sample and evaluate GANs."))
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("summary", help=_("print a Keras-like summary of a model's G and D"))
    p.add_argument("--model", default="mlp", help=_("a model family ({join}) or a preset").format(join=", ".join(catalog.names())))
    p.add_argument("--json", action="store_true", help=_("print the trainable totals as JSON"))
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("train", help=_("train a GAN and save a checkpoint (Ctrl-C saves and exits)"))
    add_train_arguments(p)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("sample", help=_("write N generated images to an .npz file"))
    p.add_argument("checkpoint", help=_("a checkpoint path or the name of a shipped/saved one"))
    p.add_argument("--n", type=count(100_000), default=64)
    p.add_argument("--out", required=True, help=_("an .npz file (the suffix is added when missing)"))
    p.add_argument("--seed", type=seed, default=0)
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("eval", help=_("measure a checkpoint (classifier score, coverage, FD, ...)"))
    p.add_argument("checkpoint")
    p.add_argument("--n", type=count(100_000), default=2000, help=_("samples to draw"))
    p.add_argument("--seed", type=seed, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("classifier", help=_("train the small CNN the metrics use for a dataset"))
    p.add_argument("--dataset", default="mnist", choices=["mnist", "fashion"])
    p.add_argument("--epochs", type=count(1000), default=8)
    p.add_argument("--seed", type=seed, default=0)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_classifier)

    p = sub.add_parser("list", help=_("list shipped and saved checkpoints, and the model families"))
    p.set_defaults(func=cmd_list)
    learn_cli.add_parser(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    with i18n.use_language(i18n.default_language(follow_locale=True)):  # GAN_EXPLORER_LANG, else the shell's LANG
        args = parser().parse_args(argv)
        try:
            args.func(args)
        except (CLIError, ConfigError, DataError, RunError, CheckpointError, PresetError, LearnError) as exc:
            print(_("error: {exc}").format(exc=exc), file=sys.stderr)
            return 2
        return 0
