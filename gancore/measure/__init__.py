"""Measuring pictures: the datasets' small classifiers, the scores computed with them (classifier score, FD, confidence, slant), and pixel metrics."""
