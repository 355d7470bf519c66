"""Every measure that applies to a checkpoint, as ``python -m gancore eval`` prints it: the
classifier's scores of G's samples, their distance to the nearest training picture, the real
data's reference values, and the family's own metrics (label accuracy, code information, ...)."""

from __future__ import annotations

import torch

from gancore.base.errors import DataError
from gancore.data import images as image_sets  # called through the module, so a test's patch of it reaches here
from gancore.explore.superres import companion_generator
from gancore.io.checkpoints import discriminator, generator
from gancore.measure.scores import evaluate_images, frechet_distance, nearest_neighbour_distances, reference_values
from gancore.models import catalog


def evaluate_checkpoint(ck, n: int = 2000, seed: int = 0) -> dict:
    """Every metric that applies to a checkpoint; keys without a leading underscore are JSON-safe."""
    cfg, dataset = ck.model_cfg, ck.train_cfg.dataset
    result: dict = {"checkpoint": ck.name, "family": cfg.family, "dataset": dataset, "step": ck.step}
    if not cfg.is_image:
        return result
    g, fam = generator(ck), catalog.of(cfg)
    lat = fam.sample_inputs(cfg, n, torch.Generator().manual_seed(seed), ck.train_cfg.hacks.z_dist, balanced=True)
    with torch.inference_mode():
        x = torch.cat([fam.generate(g, {k: v[i : i + 500] for k, v in lat.items()}) for i in range(0, n, 500)]).float()
    train = None
    if dataset in image_sets.IMAGE_SETS:  # a folder: the checkpoint names is never read for it
        try:
            train = image_sets.load_images(dataset).images
        except DataError:
            train = None
    else:
        result["note"] = f"{dataset!r} is data the checkpoint names: not read, so no nearest-neighbour distances"
    if train is not None and train.shape[1:] == x.shape[1:]:
        nn_d = nearest_neighbour_distances(x[:500], train[:5000])
        result["nn_distance_mean"] = round(float(nn_d.mean()), 4)
        result["nn_distance_min"] = round(float(nn_d.min()), 4)
    scores = evaluate_images(x, dataset)
    if not scores:
        result["note"] = "; ".join(
            w for w in (result.get("note"), f"no shipped classifier for {dataset!r}: classifier metrics skipped") if w
        )
        return result
    probs, feats = scores.pop("_probs"), scores.pop("_features")
    result.update(scores)
    ref = reference_values(dataset)
    result["frechet_distance"] = round(frechet_distance(feats, ref["_train_features"]), 3)
    result.update({k: v for k, v in ref.items() if not k.startswith("_")})
    result.update(
        fam.evaluate(g, discriminator(ck), cfg, lat, probs.argmax(1).numpy(), feats, seed, companion_generator(cfg))
    )  # e.g. label accuracy
    return result
