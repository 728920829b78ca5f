#!/usr/bin/env bash
# Fetches the real colour photos used by the colorization and image-to-image demos (see dl4j-cinn-zoo/README-color.md)
# from Debian packages, through apt only, and lays them out as
#
#   $DEST/train/   wallpaper photos (lomiri-wallpapers-16.04/-20.04, mate-backgrounds nature; plasma with --with-plasma)
#   $DEST/eval/    held-out photos from other packages (python3-skimage data photos, palapeli-data; libjxl with --with-libjxl)
#   $DEST/pairs/   xplanet-images earth day/night pair (the one real aligned pair; a toy)
#
# Every entry is a symbolic link to the installed file, named <package>__<file>, so the package of each photo stays
# visible (PhotoTiles splits by photo; train and eval come from different packages, so no photo is in both).
# Idempotent: installed packages are not fetched again, links are recreated.
#
# The data-only packages are installed with apt-get (they have no dependencies). python3-skimage is only downloaded
# and unpacked into $DEST/.debs (installing it would pull ~100 MB of Python libraries we do not need).
#
# Usage: scripts/fetch-photos.sh [--dest DIR] [--with-plasma] [--with-libjxl]
#   default DEST: ${CINN_PHOTOS:-$HOME/.cache/dl4j-cinn/photos}
# Download sizes (Debian bookworm): lomiri 16+11 MB, mate-backgrounds 47 MB, palapeli-data 2 MB, python3-skimage 21 MB,
# xplanet-images 0.4 MB; optional plasma-workspace-wallpapers 94 MB, libjxl-testdata 56 MB.
set -euo pipefail

DEST="${CINN_PHOTOS:-$HOME/.cache/dl4j-cinn/photos}"
WITH_PLASMA=0
WITH_LIBJXL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dest) DEST="$2"; shift 2 ;;
    --with-plasma) WITH_PLASMA=1; shift ;;
    --with-libjxl) WITH_LIBJXL=1; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

apt_updated=0
ensure_lists() {
  if [ "$apt_updated" = 0 ] && ! apt-cache show "$1" >/dev/null 2>&1; then
    $SUDO apt-get update -qq
  fi
  apt_updated=1
}

install_pkgs() {
  local missing=()
  for p in "$@"; do installed "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    ensure_lists "${missing[0]}"
    echo "installing: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "already installed: $*"
  fi
}

# Download-only: unpack a package without installing it or its dependencies.
unpack_pkg() {
  local p="$1" dir="$DEST/.debs/$1"
  if [ -f "$dir/.done" ]; then echo "already unpacked: $p"; return; fi
  ensure_lists "$p"
  mkdir -p "$dir"
  (cd "$DEST/.debs" && rm -f "${p}"_*.deb && apt-get download -qq "$p" && dpkg -x "${p}"_*.deb "$dir" && rm -f "${p}"_*.deb)
  touch "$dir/.done"
  echo "unpacked: $p -> $dir"
}

link() { # link <target dir> <package> <file>
  local f="$3" base
  [ -f "$f" ] || { echo "missing (package layout changed?): $f" >&2; return 0; }
  base="$(basename "$f")"
  ln -sfn "$f" "$1/$2__${base}"
}

mkdir -p "$DEST/train" "$DEST/eval" "$DEST/pairs" "$DEST/.debs"
find "$DEST/train" "$DEST/eval" "$DEST/pairs" -maxdepth 1 -type l -delete

pkgs=(lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 mate-backgrounds palapeli-data xplanet-images)
[ "$WITH_PLASMA" = 1 ] && pkgs+=(plasma-workspace-wallpapers)
[ "$WITH_LIBJXL" = 1 ] && pkgs+=(libjxl-testdata)
install_pkgs "${pkgs[@]}"
unpack_pkg python3-skimage

# ---- training photos: wallpapers that are photographs ----
for f in $(dpkg -L lomiri-wallpapers-16.04 | grep -i '\.jpg$'); do
  case "$(basename "$f")" in *umang*) continue ;; esac   # a drawing, not a photo
  link "$DEST/train" lomiri16 "$f"
done
for f in $(dpkg -L lomiri-wallpapers-20.04 | grep -i 'kleiber.*\.jpg$'); do link "$DEST/train" lomiri20 "$f"; done
for f in $(dpkg -L mate-backgrounds | grep '/backgrounds/mate/nature/.*\.jpg$'); do link "$DEST/train" mate "$f"; done
if [ "$WITH_PLASMA" = 1 ]; then
  for n in BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Kite OneStandsOut Path summer_1am; do
    for f in $(dpkg -L plasma-workspace-wallpapers | grep "/wallpapers/$n/contents/images/2560x1600\.\(jpg\|png\)$"); do
      ln -sfn "$f" "$DEST/train/plasma__$n.${f##*.}"
    done
  done
fi

# ---- held-out photos: other packages ----
SK="$DEST/.debs/python3-skimage"
# natural-scene photos only (skipped: retina, hubble_deep_field, ihc: not scenes; motorcycle_right: same scene as _left)
for n in astronaut.png chelsea.png coffee.png rocket.jpg motorcycle_left.png; do
  f="$(find "$SK" -path '*skimage/data/*' -name "$n" | head -1)"
  [ -n "$f" ] && link "$DEST/eval" skimage "$f"
done
for f in $(dpkg -L palapeli-data | grep '/palapeli/collection/.*\.jpg$'); do link "$DEST/eval" palapeli "$f"; done
if [ "$WITH_LIBJXL" = 1 ]; then
  for f in $(dpkg -L libjxl-testdata | grep '/external/wesaturate/64px/.*_srgb8\.png$'); do link "$DEST/eval" libjxl "$f"; done
fi

# ---- the one real aligned pair (toy image-to-image demo) ----
for n in earth.jpg night.jpg; do
  f="$(dpkg -L xplanet-images | grep "/xplanet/images/$n$" | head -1)"
  [ -n "$f" ] && ln -sfn "$f" "$DEST/pairs/xplanet__$n"
done

echo "train photos: $(find "$DEST/train" -maxdepth 1 -type l | wc -l)  ($DEST/train)"
echo "eval photos:  $(find "$DEST/eval" -maxdepth 1 -type l | wc -l)  ($DEST/eval)"
echo "pairs:        $(find "$DEST/pairs" -maxdepth 1 -type l | wc -l)  ($DEST/pairs)"
