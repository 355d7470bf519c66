"""2D point clouds for the toy GAN lab: d2l's Gaussian, mixtures, shapes, and the user's CSV.

Each set is a float32 (N, 2) tensor; mixtures also carry their mode centres and std, which
the mode-coverage metrics need.
"""

from __future__ import annotations

import hashlib
import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import torch

from gancore.base.errors import DataError
from gancore.base.i18n import _, ngettext, phrase
from gancore.base.paths import data_root, under_data_root

POINT_SETS = ("gaussian", "ring8", "grid25", "moons", "spiral")
MAX_CSV_POINTS = 200_000
MAX_CSV_BYTES = 8 * 1024 * 1024  # read at most this much of a CSV file: 200,000 rows fit
POINTS_PER_OWNER = 20  # drawn or uploaded point sets a session keeps; its oldest go first
POINTS_TOTAL_BYTES = 200 * 2**20  # all sessions' point sets together; the oldest go first


@dataclass(frozen=True)
class PointData:
    """A 2D point cloud held in memory."""

    name: str
    points: torch.Tensor  # (N, 2) float32
    source: str
    modes: torch.Tensor | None = None  # (M, 2) centres, for mixtures
    mode_std: float | None = None

    def __len__(self) -> int:
        return self.points.shape[0]


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def gaussian_d2l(n: int = 1000, seed: int = 0) -> PointData:
    """d2l 20.1: X ~ N(0, I), data = X A + b with A = [[1, 2], [-0.1, 0.5]], b = [1, 2]."""
    a = torch.tensor([[1.0, 2.0], [-0.1, 0.5]])
    b = torch.tensor([1.0, 2.0])
    x = torch.randn(n, 2, generator=_generator(seed)) @ a + b
    return PointData("gaussian", x, phrase("d2l 20.1 Gaussian: X·A + b, 1,000 points"), b[None], None)


def mixture(centres: torch.Tensor, std: float, n: int, seed: int, name: str, source: str) -> PointData:
    g = _generator(seed)
    idx = torch.randint(len(centres), (n,), generator=g)
    x = centres[idx] + std * torch.randn(n, 2, generator=g)
    return PointData(name, x, source, centres, std)


def ring8(n: int = 2000, seed: int = 0, radius: float = 1.0, std: float = 0.01) -> PointData:
    """Eight Gaussians on a circle (the VEEGAN / PacGAN 2D-ring benchmark)."""
    angles = torch.arange(8) * (2 * math.pi / 8)
    centres = radius * torch.stack([angles.cos(), angles.sin()], 1)
    return mixture(centres, std, n, seed, "ring8", phrase("ring of 8 Gaussians (radius {radius}, std {std})", radius=radius, std=std))


def grid25(n: int = 2500, seed: int = 0, std: float = 0.05) -> PointData:
    """25 Gaussians on the grid {-4, -2, 0, 2, 4}^2 (the VEEGAN / PacGAN 2D-grid benchmark)."""
    ticks = torch.arange(-4.0, 5.0, 2.0)
    centres = torch.cartesian_prod(ticks, ticks)
    return mixture(centres, std, n, seed, "grid25", phrase("grid of 25 Gaussians (spacing 2, std {std})", std=std))


def moons(n: int = 1000, seed: int = 0, noise: float = 0.05) -> PointData:
    """Two interleaving half circles."""
    g = _generator(seed)
    t = torch.rand(n, generator=g) * math.pi
    upper = torch.rand(n, generator=g) < 0.5
    x = torch.where(upper, t.cos(), 1 - t.cos())
    y = torch.where(upper, t.sin(), 0.5 - t.sin())
    pts = torch.stack([x, y], 1) + noise * torch.randn(n, 2, generator=g)
    return PointData("moons", pts, phrase("two moons"))


def spiral(n: int = 1000, seed: int = 0, noise: float = 0.05) -> PointData:
    """A two-turn spiral."""
    g = _generator(seed)
    t = torch.rand(n, generator=g).sqrt() * 4 * math.pi
    pts = torch.stack([t * t.cos(), t * t.sin()], 1) / (2 * math.pi)
    return PointData("spiral", pts + noise * torch.randn(n, 2, generator=g), phrase("two-turn spiral"))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def points_from_csv(text: str, name: str = "csv") -> PointData:
    """Parse 'x,y' rows (an optional header row is skipped). Raises DataError on bad input."""
    if len(text) > 20_000_000:
        raise DataError(_("the CSV is larger than 20 MB; use at most 200,000 points"))
    rows = [r.strip() for r in text.replace(";", ",").splitlines() if r.strip()]
    head = rows[0].split(",") if rows else []
    if len(head) == 2 and not any(_is_number(cell) for cell in head):
        rows = rows[1:]  # a header such as "x,y"
    if len(rows) < 2:
        raise DataError(_("the CSV needs at least 2 rows of 'x,y' points"))
    if len(rows) > MAX_CSV_POINTS:
        raise DataError(
            _("the CSV has {n_rows:,} rows; the limit is {MAX_CSV_POINTS:,} points").format(n_rows=len(rows), MAX_CSV_POINTS=MAX_CSV_POINTS)
        )
    values = []
    for i, row in enumerate(rows, 1):
        cells = row.split(",")
        if len(cells) != 2:
            raise DataError(
                ngettext(
                    "row {i} has {n_cells} value; every row must be 'x,y' (2 numbers)",
                    "row {i} has {n_cells} values; every row must be 'x,y' (2 numbers)",
                    len(cells),
                ).format(i=i, n_cells=len(cells))
            )
        try:
            values.append((float(cells[0]), float(cells[1])))
        except ValueError:
            raise DataError(_("row {i} is not two numbers: {value!r}").format(i=i, value=row[:40])) from None
    pts = torch.tensor(values, dtype=torch.float32)
    if not torch.isfinite(pts).all():
        raise DataError(_("the CSV contains NaN or infinite values"))
    return PointData(name, pts, phrase("{n:,} points from {name}", n=len(pts), name=name))


def load_points(name: str, *, seed: int = 0) -> PointData:
    """Load a 2D set by name: gaussian, ring8, grid25, moons, spiral or csv:<path>."""
    makers = {"gaussian": gaussian_d2l, "ring8": ring8, "grid25": grid25, "moons": moons, "spiral": spiral}
    if name in makers:
        return makers[name](seed=seed)
    if name.startswith("csv:"):
        relative = name.removeprefix("csv:")
        return points_from_csv(read_csv_bounded(relative), Path(relative).name)
    raise DataError(_("unknown 2D dataset {name!r}: use {join} or csv:<path>").format(name=name, join=", ".join(POINT_SETS)))


def read_csv_bounded(relative: str) -> str:
    """The text of a CSV file under the data root, refused unread when it is not a plain file
    (``/dev/zero`` never ends) or larger than :data:`MAX_CSV_BYTES`."""
    path = under_data_root(relative)
    if path.exists() and not path.is_file():  # a device or a pipe: opening one may block
        raise DataError(_("{relative} is not a file").format(relative=relative))
    try:
        with path.open("rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise DataError(_("{relative} is not a file").format(relative=relative))
            raw = f.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise DataError(
            _("cannot read {relative} in the data folder: {value}").format(relative=relative, value=exc.strerror or exc)
        ) from exc
    if len(raw) > MAX_CSV_BYTES:
        raise DataError(
            _("{relative} is larger than {value} MiB; the limit is {MAX_CSV_POINTS:,} points").format(
                relative=relative, value=MAX_CSV_BYTES // 2**20, MAX_CSV_POINTS=MAX_CSV_POINTS
            )
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(_("{relative} is not text (UTF-8)").format(relative=relative)) from exc


def spray(centres: list[tuple[float, float]], per_point: int = 30, std: float = 0.08) -> torch.Tensor:
    """Points drawn by clicking: a small Gaussian puff of ``per_point`` points at each click.
    Seeded by the click's position, so the same drawing always gives the same data."""
    out = []
    for x, y in centres:
        g = _generator((round(x * 1000) * 100_003 + round(y * 1000)) % 2**31)
        out.append(torch.tensor([x, y]) + std * torch.randn(per_point, 2, generator=g))
    return torch.cat(out) if out else torch.zeros(0, 2)


def save_points(points: torch.Tensor, subfolder: str, stem: str = "points") -> str:
    """Write points as 'x,y' CSV named by their content in ``subfolder`` of the data root;
    returns the dataset name 'csv:<path relative to the data root>'."""
    if len(points) < 2:
        raise DataError(_("draw or upload at least 2 points"))
    text = "x,y\n" + "".join(f"{x:.6g},{y:.6g}\n" for x, y in points.tolist())
    relative = f"{subfolder}/{stem}-{hashlib.sha256(text.encode()).hexdigest()[:10]}.csv"
    path = under_data_root(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.touch()  # in use again: the newest, not the first to be cleaned away
    else:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.replace(path)
    return f"csv:{relative}"


def save_owned_points(points: torch.Tensor, token: str, stem: str) -> str:
    """:func:`save_points` into the session's own folder (``points/<hash of its token>``), then
    the clean-up rule: a session keeps its newest :data:`POINTS_PER_OWNER` sets, and all
    sessions together at most :data:`POINTS_TOTAL_BYTES` (the oldest sets go first)."""
    subfolder = f"points/{hashlib.sha256(token.encode()).hexdigest()[:16]}"
    name = save_points(points, subfolder, stem)
    for old in points_files(subfolder)[:-POINTS_PER_OWNER]:
        old.unlink(missing_ok=True)
    everyone = sorted((data_root() / "points").glob("*/*.csv"), key=lambda p: p.stat().st_mtime)
    total = sum(p.stat().st_size for p in everyone)
    for old in everyone[:-1]:  # never the set just saved
        if total <= POINTS_TOTAL_BYTES:
            break
        total -= old.stat().st_size
        old.unlink(missing_ok=True)
    return name


def points_files(subfolder: str) -> list[Path]:
    """The saved point sets in ``subfolder`` of the data root, oldest first."""
    folder = data_root() / subfolder
    return sorted(folder.glob("*.csv"), key=lambda p: p.stat().st_mtime) if folder.is_dir() else []
