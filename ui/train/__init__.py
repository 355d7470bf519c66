"""The Training Lab's parts: hyperparameters, hack switches, charts and exports."""
