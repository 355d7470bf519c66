#!/usr/bin/env bash
# Set up .venv with the test tools and run lint + the whole test suite (CI runs exactly this).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/debian-packages.sh --test
bash scripts/setup.sh requirements-dev.txt
export GAN_EXPLORER_OFFLINE=1
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
