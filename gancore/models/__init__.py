"""Model families, one per module, each registering itself (:mod:`gancore.models.family`); the
lookups by name or config are :mod:`gancore.models.catalog`.

Every generator takes ``(z, y=None)`` where ``z`` is the full latent vector (for InfoGAN the
noise and the codes, concatenated) and ``y`` the class labels of a conditional model. Every
discriminator returns one logit per sample, shape (B,); InfoGAN's also has a Q head.
"""
