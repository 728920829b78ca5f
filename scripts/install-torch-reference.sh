#!/usr/bin/env bash
# Installs the PyTorch reference that `cinn bench` runs side by side: Debian's python3-torch, and
# libopenblas0-pthread, without which Debian's torch falls back to the reference BLAS (~20x slower here).
# Needs root (or sudo) and Debian's apt.
set -euo pipefail
packages=(python3-torch python3-numpy libopenblas0-pthread)
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-torch-reference: no apt-get here; install PyTorch and an optimised BLAS for /usr/bin/python3" >&2
  exit 1
fi
run() { if [[ "$(id -u)" == 0 ]]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
  echo "install-torch-reference: run as root: ${*}" >&2; exit 1; fi; }
if ! apt-cache show python3-torch >/dev/null 2>&1; then
  run apt-get update -qq
fi
run apt-get install -y -qq "${packages[@]}" >/dev/null
/usr/bin/python3 -c "import torch, numpy; print('PyTorch', torch.__version__, 'ready for cinn bench')"
