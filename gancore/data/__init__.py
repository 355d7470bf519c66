"""Datasets as in-memory tensors: image sets with their offline fallbacks, emoji, 2D point sets, paired and unpaired tasks, captions, and the seeded index sampler."""
