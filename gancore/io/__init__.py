"""What a run leaves on disk: checkpoints (safetensors with embedded JSON), their schema checks, a run's whole state, and the shared folder of saved files."""
