#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install the requirements given as $1. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
req=${1:-requirements.txt}
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=".venv/.installed-$(basename "$req")-$(cat requirements*.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --disable-pip-version-check -q --upgrade pip
  .venv/bin/python -m pip install --disable-pip-version-check -q -r "$req"
  touch "$stamp"
fi
