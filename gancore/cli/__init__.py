"""The command line, python -m gancore: train, sample, eval, list, summary and learn."""
