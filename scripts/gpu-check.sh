#!/usr/bin/env bash
# The GPU check (under 5 minutes on a CUDA machine): the tests marked `cuda` (every family's
# networks and a training step, fp32 and fast math; a checkpoint written on the GPU, read on the
# CPU, resumed on the GPU; determinism under cuDNN's deterministic settings), then the engine's
# fp32 vs fast-math throughput on the GPU. Without a CUDA GPU it says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh requirements-dev.txt
py=.venv/bin/python
export GAN_EXPLORER_OFFLINE=1 CUBLAS_WORKSPACE_CONFIG=:4096:8
if ! $py -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)"; then
  echo "gpu-check: no CUDA GPU here (torch $($py -c 'import torch; print(torch.__version__)')): nothing to check."
  exit 0
fi
$py -c "import torch; print('gpu-check:', torch.cuda.get_device_name(0), '| torch', torch.__version__, '| CUDA', torch.version.cuda)"
$py -m pytest -m cuda tests/test_cuda.py -p no:cacheprovider
$py bench/train_throughput.py --device cuda --seconds 3 --rounds 3
