#!/usr/bin/env bash
# Set up .venv and start GAN Explorer on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/debian-packages.sh || true
bash scripts/setup.sh requirements.txt
exec .venv/bin/python scripts/serve.py "$@"
