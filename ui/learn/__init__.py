"""The Learn pages' charts and figures (GAN theory, building blocks)."""
