#!/usr/bin/env bash
# GAN Explorer for a class: every student's run trains as an actor on a Ray cluster.
#
#   bash scripts/class.sh                 start a Ray head on this machine, then the app
#   bash scripts/class.sh HOST:6379       join the Ray cluster at HOST:6379 instead, then the app
#
# More machines join this one's cluster with (after `bash scripts/setup.sh requirements-ray.txt`
# there, and the head's token from `.venv/bin/ray get-auth-token` in ~/.ray/auth_token):
#   .venv/bin/ray start --address <this machine>:6379
# The teacher's key for the class view is GAN_EXPLORER_TEACHER_KEY; a fresh one is printed when unset.
# Extra arguments after the address go to `streamlit run` (e.g. --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/debian-packages.sh || true
bash scripts/setup.sh requirements-ray.txt
export RAY_AUTH_MODE=${RAY_AUTH_MODE:-token}  # the cluster runs code: only holders of its token join
if [ "$RAY_AUTH_MODE" = token ] && [ -z "${RAY_AUTH_TOKEN:-}" ] && [ ! -s ~/.ray/auth_token ]; then
  .venv/bin/ray get-auth-token --generate >/dev/null
fi
port=8501
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = --server.port ]; then j=$((i + 1)); port=${!j}; fi
done
address=""
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then
  address=$1
  shift
fi
if [ -z "$address" ]; then
  if ! .venv/bin/ray status >/dev/null 2>&1; then
    .venv/bin/ray start --head --port 6379 --include-dashboard false --disable-usage-stats
  fi
  address=127.0.0.1:6379
fi
export GAN_EXPLORER_BACKEND=ray GAN_EXPLORER_RAY_ADDRESS=$address
if [ -z "${GAN_EXPLORER_TEACHER_KEY:-}" ]; then
  GAN_EXPLORER_TEACHER_KEY=$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(9))")
  export GAN_EXPLORER_TEACHER_KEY
fi
echo "Runs train on the Ray cluster at $address. Stop it later with: .venv/bin/ray stop"
echo "Teacher: open http://<this machine>:$port/?teacher=$GAN_EXPLORER_TEACHER_KEY once (the class view's pin)."
exec .venv/bin/python scripts/serve.py "$@"
