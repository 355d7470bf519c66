"""The Learn pages' figures as pure, seeded functions (no streamlit, no global RNG).

One module per idea, each small enough to read in one sitting:

- ``weights``     the lecture's initialisation experiment (5 layers of 100, histograms per layer)
- ``activations`` activation functions, their derivatives, and a neuron that dies
- ``convt``       transposed convolution: the matrix view, output sizes, uneven overlap
- ``regularise``  dropout's mask and scaling; BatchNorm's train vs eval statistics
- ``theory``      D*, V(D*, G) = −log 4 + 2·JSD, saturating vs non-saturating G loss, JS vs W
- ``dirac``       the Dirac-GAN (Mescheder et al., 2018): why simultaneous steps spiral out

Their command line, ``python -m gancore learn FIGURE --json``, is :mod:`gancore.cli.learn`.
"""
