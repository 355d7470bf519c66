"""The lowest layer: frozen configs, the errors a user sees, the device, paths, atomic writes, latent math, losses and array helpers. Imports nothing else of gancore."""
