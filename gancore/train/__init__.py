"""One training step, driven by the family's hooks, and the augmentation of D's inputs."""
