#!/usr/bin/env bash
# Debian packages the project uses: Fashion-MNIST offline, a font with Hangul for text burned into
# pictures (Korean captions in GIF/PNG exports), and chromium for browser tests.
set -euo pipefail
pkgs=(dataset-fashion-mnist fonts-noto-cjk)
[ "${1:-}" = "--test" ] && pkgs+=(chromium fonts-dejavu-core fonts-noto-color-emoji)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
  echo "warning: could not install ${missing[*]} (Fashion-MNIST offline / Hangul in exported pictures / browser tests need them)" >&2
fi
