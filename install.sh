#!/bin/sh
# Install pixelscrub on Debian or Ubuntu: Tesseract, fonts and dcmtk from apt where missing, then the
# Python package and its test tools into .venv. Safe to run again.
set -eu
cd "$(dirname "$0")"

apt_install() {
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    echo "install.sh: installing with apt-get: $*" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need=""
command -v tesseract >/dev/null 2>&1 || need="$need tesseract-ocr tesseract-ocr-eng"
[ -d /usr/share/fonts/truetype/dejavu ] || need="$need fonts-dejavu-core"
# `pixelscrub synth --layouts wild` draws with every family below (pixelscrub/synth/fonts.py names the files).
[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || need="$need fonts-liberation"
[ -f /usr/share/fonts/truetype/freefont/FreeSans.ttf ] || need="$need fonts-freefont-ttf"
[ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || need="$need fonts-noto-core"
[ -f /usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf ] || need="$need fonts-noto-mono"
[ -d /usr/share/fonts/opentype/urw-base35 ] || need="$need fonts-urw-base35"
[ -f /usr/share/fonts/X11/misc/6x13-ISO8859-1.pcf.gz ] || need="$need xfonts-base"
command -v dcmdump >/dev/null 2>&1 || need="$need dcmtk"  # the tests check that another toolkit reads our output
[ -z "$need" ] || apt_install $need

if [ ! -x .venv/bin/python ]; then
    # Debian's python3 makes venvs only with python3-venv installed.
    python3 -m venv .venv 2>/dev/null || { rm -rf .venv; apt_install python3-venv; python3 -m venv .venv; }
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
echo "install.sh: ready; run .venv/bin/pixelscrub --help" >&2
