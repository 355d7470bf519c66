import json
import subprocess
import sys

import numpy as np
import pytest

from gancore.cli.main import main


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gancore", *args], capture_output=True, text=True, cwd=cwd)


def run_cli_here(capsys, *args) -> subprocess.CompletedProcess:
    """The CLI in this process (main() as ``python -m gancore`` calls it, argparse's exit included):
    a mistake is refused before any work, so a new interpreter would only add its start-up."""
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's refusals
        code = exc.code
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out, out.err)


def test_summary_json_matches_the_lecture(capsys):
    out = run_cli_here(capsys, "summary", "--model", "mlp", "--json")
    assert out.returncode == 0, out.stderr
    totals = json.loads(out.stdout)
    assert (totals["generator_params"], totals["discriminator_params"]) == (581_520, 265_601)


def test_summary_table(capsys):
    assert main(["summary", "--model", "dcgan"]) == 0
    text = capsys.readouterr().out
    assert "Trainable params: 2,305,472" in text and "(None, 256, 7, 7)" in text


def test_train_sample_eval_end_to_end(tmp_path, capsys):
    """``python -m gancore`` trains in a new interpreter; sampling, evaluating and resuming its
    checkpoint then run in this one (each new interpreter costs ~6 s of imports)."""
    ck = tmp_path / "tiny"
    out = run_cli("train", "--model", "cgan", "--width", "0.125", "--steps", "6", "--batch-size", "16", "--out", str(ck), "--quiet")
    assert out.returncode == 0, out.stderr
    assert "saved" in out.stdout and (tmp_path / "tiny.safetensors").is_file()
    out = run_cli_here(capsys, "sample", str(ck), "--n", "20", "--out", str(tmp_path / "x.npz"))
    assert out.returncode == 0, out.stderr
    npz = np.load(tmp_path / "x.npz")
    assert npz["images"].shape == (20, 1, 28, 28) and npz["images"].dtype == np.float32
    assert npz["images"].min() >= -1 and npz["images"].max() <= 1
    assert np.bincount(npz["labels"]).tolist() == [2] * 10  # balanced classes
    out = run_cli_here(capsys, "eval", str(ck), "--json", "--n", "200")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["step"] == 6 and "nn_distance_mean" in result
    out = run_cli_here(capsys, "train", "--resume", str(ck), "--steps", "2", "--out", str(tmp_path / "more"), "--quiet")
    assert out.returncode == 0 and "step 8" in out.stdout, out.stderr
    first, more = (json.loads((tmp_path / f"{n}.json").read_text())["train_seconds"] for n in ("tiny", "more"))
    assert more > first > 0  # a resumed run's time is the total
    out = run_cli_here(capsys, "train", "--resume", str(ck), "--steps", "2", "--half", "--out", str(tmp_path / "small"), "--quiet")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "small.safetensors").stat().st_size < (tmp_path / "more.safetensors").stat().st_size / 2


def test_weight_averaging_and_augmentation_flags_reach_the_checkpoint(tmp_path, capsys):
    ck = tmp_path / "avg"
    args = ("--model", "dcgan", "--width", "0.125", "--steps", "3", "--batch-size", "16", "--ema", "0.99", "--augment", "translate")
    hacks = ("--hack", "loss=hinge", "--hack", "label-smoothing=0.1", "--hack", "separate_batches=false", "--hack", "d_steps=2")
    out = run_cli_here(capsys, "train", *args, *hacks, "--out", str(ck), "--quiet")
    assert out.returncode == 0, out.stderr
    train = json.loads((tmp_path / "avg.json").read_text())["train"]
    assert train["optim"]["ema"] == 0.99 and train["hacks"]["augment"] == "translate"
    assert train["hacks"]["loss"] == "hinge" and train["hacks"]["label_smoothing"] == 0.1
    assert train["hacks"]["separate_batches"] is False and train["hacks"]["d_steps"] == 2
    from gancore.io import checkpoints

    assert checkpoints.load(ck).g_avg is not None


def test_infogan_samples_carry_their_codes(tmp_path, capsys):
    ck = tmp_path / "info"
    assert (
        run_cli_here(
            capsys, "train", "--model", "infogan", "--width", "0.125", "--steps", "2", "--batch-size", "16", "--out", str(ck), "--quiet"
        ).returncode
        == 0
    )
    assert run_cli_here(capsys, "sample", str(ck), "--n", "30", "--out", str(tmp_path / "i.npz")).returncode == 0
    npz = np.load(tmp_path / "i.npz")
    assert npz["codes"].shape == (30,) and npz["cont"].shape == (30, 2)


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "--preset", "nope", "--out", "x"], "unknown preset"),
        (["train", "--dataset", "cifar", "--steps", "1", "--out", "OUT"], "unknown image dataset"),
        (["train", "--batch-size", "0", "--out", "x"], "batch_size"),
        (["sample", "/nonexistent/ck", "--out", "x.npz"], "no checkpoint"),
        (["train", "--lr-decay", "--seconds", "5", "--out", "OUT"], "needs the run's length"),
        (["train", "--ema", "0.2", "--steps", "1", "--out", "OUT"], "ema must be 0 \\(off\\) or between 0.5"),
        (["eval", "README.md"], "not a GAN Explorer checkpoint|no checkpoint|safetensors"),
        # refused, never replaced: --steps 0 used to run 7,000 steps, --seconds nan forever, --lr-g 0 the default
        (["train", "--steps", "0", "--out", "OUT"], "--steps: must be a finite number above 0"),
        (["train", "--seconds", "nan", "--out", "OUT"], "--seconds: must be a finite number above 0"),
        (["train", "--epochs", "inf", "--out", "OUT"], "--epochs: must be a finite number above 0"),
        (["train", "--steps", "2.5", "--out", "OUT"], "is not a whole number"),
        (["train", "--lr-g", "0", "--steps", "1", "--out", "OUT"], "lr_g must be a number between"),
        (["train", "--batch-size", "1", "--steps", "1", "--out", "OUT"], "batch_size must be a whole number between 2"),
        (["train", "--hack", "los=hinge", "--out", "OUT"], "NAME one of loss, "),
        (["train", "--hack", "loss", "--out", "OUT"], "expected NAME=VALUE"),
        (["train", "--hack", "loss=hing", "--steps", "1", "--out", "OUT"], "loss must be one of minimax"),
        (["train", "--hack", "d_steps=1.5", "--out", "OUT"], "d_steps must be a whole number"),
        (["train", "--hack", "separate_batches=maybe", "--out", "OUT"], "separate_batches is a switch"),
        (["train", "--hack", "label_smoothing=0.9", "--steps", "1", "--out", "OUT"], "label_smoothing must be a number between"),
    ],
)
def test_mistakes_get_one_clear_line(tmp_path, capsys, args, message):
    args = [str(tmp_path / "o") if a == "OUT" else a for a in args]
    out = run_cli_here(capsys, *args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("error:")
    import re

    assert re.search(message, out.stderr), out.stderr


def test_list(capsys):
    out = run_cli_here(capsys, "list")
    assert out.returncode == 0 and "mlp-mnist" in out.stdout and "model families" in out.stdout


@pytest.mark.parametrize("model", ["acgan", "text2digit"])
def test_acgan_and_text_to_digit_samples_carry_what_was_asked(tmp_path, model, capsys):
    ck = tmp_path / model
    out = run_cli_here(
        capsys, "train", "--model", model, "--width", "0.125", "--steps", "2", "--batch-size", "16", "--out", str(ck), "--quiet"
    )
    assert out.returncode == 0, out.stderr
    assert run_cli_here(capsys, "sample", str(ck), "--n", "20", "--out", str(tmp_path / "s.npz")).returncode == 0
    npz = np.load(tmp_path / "s.npz")  # no pickles: captions are plain unicode arrays
    assert npz["images"].shape == (20, 1, 28, 28) and np.bincount(npz["labels"]).tolist() == [2] * 10
    if model == "text2digit":
        assert npz["captions"].shape == (20,) and npz["slant"].shape == npz["width"].shape == (20,)
        for caption, digit, slant, width in zip(npz["captions"], npz["labels"], npz["slant"], npz["width"], strict=True):
            words = caption.split()
            assert str(digit) in words or ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"][digit] in words
            assert (slant == -1) or npz["slant_names"][slant] in words or (slant == 1 and "straight" in words)
            assert width in (-1, 0, 1, 2)
    result = json.loads(run_cli_here(capsys, "eval", str(ck), "--json", "--n", "100").stdout)
    wanted = (
        {"conditional_accuracy", "within_class_diversity", "aux_agreement"}
        if model == "acgan"
        else {"digit_accuracy", "width_control", "slant_control"}
    )
    assert wanted <= set(result), result
