"""What the exploration pages compute from a trained G: sampling, latent paths and arithmetic, conditional comparison, translation, super-resolution, prompts, summaries and evaluation."""
