"""Untrusted input and faults, round two, on the side of input: every case of the probe, replayed
(hostile files are built here). A checkpoint cannot make the server read its disk; no upload
bombs memory; the CLI checks before it works. Runs and disk: tests/test_faults_runs.py."""

import io
import re
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from gancore.base.errors import CheckpointError, DataError, PictureError
from gancore.base.paths import SHIPPED_DIR, resolve_checkpoint
from gancore.cli.main import main
from gancore.data import images, points2d
from gancore.explore import translate
from gancore.explore.evaluate import evaluate_checkpoint
from gancore.io import checkpoints, savedfiles, schema
from tests.forge import rewrite

ROOT = Path(__file__).resolve().parent.parent


def naming(path: Path, dataset: str) -> Path:
    rewrite(path, edit_meta=lambda m: m["train"].update(dataset=dataset))
    return path


# ---------------------------------------------------------------- 1. data a checkpoint names
@pytest.mark.parametrize("name", ["folder:/", "folder:/etc", "folder:../", "folder:~", "csv:/dev/zero", "csv:../../etc/passwd"])
def test_a_dataset_outside_the_data_root_is_refused_unread(data_dir, name):
    loader = images.load_images if name.startswith("folder:") else points2d.load_points
    with pytest.raises(DataError, match="data folder"):
        loader(name)
    with pytest.raises(DataError, match="data folder"):
        images.check_dataset_name(name, name.startswith("folder:"))


def test_symlinks_out_of_the_data_root_are_not_followed(data_dir, tmp_path_factory):
    outside = tmp_path_factory.mktemp("server-secrets")
    Image.new("RGB", (8, 8), (200, 0, 0)).save(outside / "secret.png")
    (outside / "pts.csv").write_text("1,2\n3,4\n")
    (data_dir / "link").symlink_to(outside)
    (data_dir / "pts.csv").symlink_to(outside / "pts.csv")
    with pytest.raises(DataError, match="out of this server's data folder"):
        images.load_images("folder:link")
    with pytest.raises(DataError, match="out of this server's data folder"):
        points2d.load_points("csv:pts.csv")
    (data_dir / "mine").mkdir()
    Image.new("RGB", (8, 8)).save(data_dir / "mine" / "ok.png")
    (data_dir / "mine" / "peek.png").symlink_to(outside / "secret.png")  # a file linking out is skipped
    assert len(images.load_images("folder:mine")) == 1


def test_a_csv_is_read_bounded_and_a_folder_counted_before_decoding(data_dir, monkeypatch):
    (data_dir / "big.csv").write_bytes(b"1,2\n" * (points2d.MAX_CSV_BYTES // 4 + 1))
    with pytest.raises(DataError, match="larger than 8 MiB"):
        points2d.load_points("csv:big.csv")
    (data_dir / "many").mkdir()
    for i in range(4):
        Image.new("L", (4, 4)).save(data_dir / "many" / f"{i}.png")
    monkeypatch.setattr(images, "MAX_FOLDER_FILES", 3)
    with pytest.raises(DataError, match="more than 3 images"):
        images.load_images("folder:many")


def test_eval_of_a_checkpoint_naming_a_folder_reads_nothing(ck_path, monkeypatch):
    ck = checkpoints.load(naming(ck_path, "folder:/"))
    monkeypatch.setattr(images, "load_images", lambda *a, **k: pytest.fail("eval read the data a checkpoint names"))
    out = evaluate_checkpoint(ck, n=20)
    assert "not read" in out["note"] and "nn_distance_mean" not in out


def test_the_cli_asks_for_the_data_to_resume_a_folder_checkpoint(ck_path, tmp_path, capsys):
    naming(ck_path, "folder:/etc")
    assert main(["train", "--resume", str(ck_path), "--steps", "1", "--out", str(tmp_path / "o")]) == 2
    assert "name it with --dataset" in capsys.readouterr().err


@pytest.mark.parametrize(
    "train, message",
    [({"dataset": "folder:/etc"}, "data folder"), ({"dataset": "mnist", "epochs": 9999}, "epochs must be a number between")],
)
def test_load_and_continue_refuses_in_words(ck_path, tmp_path, monkeypatch, train, message):
    """A checkpoint naming a server folder, or one whose continuation is out of range (epochs + 5
    over the cap): an error in the page's words, never a traceback, and no run."""
    from streamlit.testing.v1 import AppTest

    from ui.common import state

    monkeypatch.setenv("GAN_EXPLORER_SAVED", str(tmp_path))
    rewrite(ck_path, edit_meta=lambda m: m["train"].update(train))
    state.registry.clear()
    try:
        at = AppTest.from_file(str(ROOT / "pages/train.py"), default_timeout=60).run()
        at.selectbox(key="setup.ck").select(next(o for o in at.selectbox(key="setup.ck").options if o.startswith("ck "))).run()
        at.button(key="setup.load").click().run()
        assert not at.exception and any(re.search(message, e.value) for e in at.error)
        assert state.registry().runs() == []
    finally:
        state.registry().shutdown()
        state.registry.clear()


# ---------------------------------------------------------------- 3. uploads
def picture_bytes(im: Image.Image, fmt: str, **kw) -> bytes:
    b = io.BytesIO()
    im.save(b, format=fmt, **kw)
    return b.getvalue()


def test_an_ico_hiding_a_huge_png_and_a_tiff_are_refused_undecoded(monkeypatch):
    files = (picture_bytes(Image.new("L", (5000, 5000)), "ICO", sizes=[(64, 64)]), picture_bytes(Image.new("L", (28, 28)), "TIFF"))
    decoded = []
    real_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda im: decoded.append(im.size) or real_load(im))
    for raw in files:
        with pytest.raises(PictureError, match="PNG, JPEG, GIF, BMP or WebP"):
            translate.from_upload(raw)
    assert decoded == []


def test_a_16_bit_and_a_transparent_picture_keep_their_ink():
    paper = np.full((28, 28), 60_000, np.uint16)
    paper[6:22, 12:16] = 2_000  # a dark stroke on light paper, 16 bits
    x = translate.from_upload(picture_bytes(Image.fromarray(paper), "PNG"))
    assert (x > 0).float().mean() > 0.03  # the stroke is there (convert('L') clipped it all to white)
    rgba = Image.new("RGBA", (28, 28), (0, 0, 0, 0))
    rgba.paste((0, 0, 0, 255), (12, 6, 16, 22))  # black ink on a transparent sheet
    y = translate.from_upload(picture_bytes(rgba, "PNG"))
    assert (y > 0).float().mean() > 0.03 and (y > 0).float().mean() < 0.5


# ---------------------------------------------------------------- 4. the CLI checks first
@pytest.mark.parametrize(
    "argv, message",
    [
        (["eval", "mlp-mnist", "--n", "0"], "--n: must be a finite number above 0"),
        (["eval", "mlp-mnist", "--n", "-3"], "--n"),
        (["sample", "mlp-mnist", "--seed", "1e23", "--out", "x"], "--seed: '1e23' is not a whole number"),
        (["sample", "mlp-mnist", "--seed", str(10**23), "--out", "x"], "a seed is from 0"),
        (["sample", "mlp-mnist", "--out", "/proc/x"], "cannot write /proc/x.npz"),
        (["sample", "mlp-mnist", "--out", "DIR/"], "is a folder"),
        (["train", "--steps", "2000", "--out", "FILE/ck"], "is a file, not a folder"),
        (["train", "--steps", "5", "--preset", "dcgan64-cpu", "--width", "4", "--out", "OUT"], "builds at most 30,000,000"),
    ],
)
def test_cli_mistakes_are_one_line_before_any_work(argv, message, tmp_path, capsys, monkeypatch):
    (tmp_path / "file").write_text("a file")
    argv = [a.replace("DIR", str(tmp_path)).replace("FILE", str(tmp_path / "file")).replace("OUT", str(tmp_path / "o")) for a in argv]
    monkeypatch.setattr("gancore.runs.engine.TrainingRun.start", lambda self: pytest.fail("it trained before checking"))
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's refusals
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error:") and message in err and "Traceback" not in err


def test_sample_writes_the_file_it_names(tmp_path, capsys):
    assert main(["sample", "mlp-mnist", "--n", "3", "--out", str(tmp_path / "foo")]) == 0
    assert f"wrote {tmp_path / 'foo.npz'}" in capsys.readouterr().out and (tmp_path / "foo.npz").is_file()


def test_every_model_under_the_cap_saves_a_file_load_reads_back():
    assert schema.MAX_FILE_BYTES == checkpoints.MAX_BYTES
    assert 16 * schema.MAX_PARAMS < checkpoints.MAX_BYTES  # G + D + Adam's 2 moments + G's average, fp32


# ---------------------------------------------------------------- 7. the small ones
def test_names_and_shadows(ck_path, tmp_path, monkeypatch):
    with pytest.raises(CheckpointError):
        checkpoints.check_name("mine\n")
    ck = checkpoints.load(ck_path)
    shipped = "mlp-mnist"
    assert (SHIPPED_DIR / f"{shipped}.safetensors").is_file()
    with pytest.raises(CheckpointError, match="the app ships"):
        savedfiles.save(tmp_path, shipped, "alice", ck.start_state(), ck.model_cfg, ck.train_cfg)
    monkeypatch.setenv("GAN_EXPLORER_SAVED", str(tmp_path))
    checkpoints.save(tmp_path / shipped, ck.start_state(), ck.model_cfg, ck.train_cfg)  # written around the rule
    assert resolve_checkpoint(shipped).parent == SHIPPED_DIR


def test_an_unknown_tensor_and_a_huge_permutation_are_refused(ck_path):
    rewrite(ck_path, edit_tensors=lambda t: t.update({"extra.blob": torch.zeros(1000)}))
    with pytest.raises(CheckpointError, match="does not have"):
        checkpoints.load(ck_path)
    rewrite(ck_path, edit_tensors=lambda t: (t.pop("extra.blob"), t.update({"sampler.perm": torch.arange(schema.MAX_EXAMPLES + 1)})))
    with pytest.raises(CheckpointError, match="at most 1,000,000 are read"):
        checkpoints.load(ck_path)
