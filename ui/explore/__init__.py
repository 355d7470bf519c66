"""The exploration pages' shared parts: where a page gets its generator, and the slider whose picture follows the thumb."""
